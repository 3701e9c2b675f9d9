import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { type HealthState, type ReadinessCheck, registerOperationalRoutes } from './health.ts';
import { registerErrorHandling } from './http-errors.ts';
import type { Logger } from './logger.ts';
import type { Registry } from './metrics.ts';

export interface ServiceAppOptions {
  logger: Logger;
  readiness: ReadinessCheck[];
  health: HealthState;
  metrics: Registry;
  /** Behind a trusted proxy: client addresses (per-IP limits) from X-Forwarded-For. */
  trustProxy?: boolean;
}

/**
 * A service's fastify app as every service starts it: the service's logger, coded error answers, and the operational
 * routes (/health/live, /health/ready, /metrics). The service adds its own routes.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    trustProxy: options.trustProxy ?? false,
    loggerInstance: options.logger,
    // Two log lines per request cost more CPU than the rest of a small request; errors are still logged and every
    // request is counted in the metrics.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  registerErrorHandling(app);
  await registerOperationalRoutes(app, {
    checks: options.readiness,
    state: options.health,
    metrics: options.metrics,
  });
  return app;
}
