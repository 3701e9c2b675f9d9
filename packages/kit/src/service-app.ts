import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { refuseNonFiniteNumbers } from './finite-numbers.ts';
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

/** Fastify's errors refused before routing, with our codes. */
const FRAMEWORK_ERRORS: Record<string, string> = {
  FST_ERR_BAD_URL: 'REQUEST_BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'REQUEST_PARAMETER_TOO_LONG',
};

/**
 * For fastify's `frameworkErrors` option: a malformed URL (FST_ERR_BAD_URL, e.g. a bad percent-escape) and an
 * over-long path parameter (FST_ERR_MAX_PARAM_LENGTH) are refused before routing, where no error handler runs;
 * without this option fastify answers them in its own shape. With it they are coded like any bad request.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (
  error,
  _request,
  reply,
) => {
  // The option's reply is typed for a route's reply schema, which these errors (sent before routing) have none of.
  const answer = reply as unknown as FastifyReply;
  const code = FRAMEWORK_ERRORS[error.code];
  if (code === undefined) return void answer.send(error);
  answer
    .code(error.statusCode ?? 400)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code, message: error.message } }));
};

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
    frameworkErrors,
  }) as unknown as FastifyInstance;
  registerErrorHandling(app);
  refuseNonFiniteNumbers(app);
  await registerOperationalRoutes(app, {
    checks: options.readiness,
    state: options.health,
    metrics: options.metrics,
  });
  return app;
}
