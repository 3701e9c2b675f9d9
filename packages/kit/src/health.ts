import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** A dependency the service cannot work without (broker, database...). Throws or rejects when not usable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface HealthState {
  /** Set when shutdown begins, so load balancers stop sending before the server closes. */
  shuttingDown: boolean;
}

export interface OperationalRoutesOptions {
  checks: ReadinessCheck[];
  state: HealthState;
  metrics?: Registry;
  checkTimeoutMs?: number;
}

/**
 * `/health/live`: the process is up and its event loop answers. `/health/ready`: every dependency answered
 * within the timeout and the service is not shutting down (503 with the failing checks otherwise).
 * `/metrics`: Prometheus text format.
 */
export async function registerOperationalRoutes(app: FastifyInstance, options: OperationalRoutesOptions) {
  const timeoutMs = options.checkTimeoutMs ?? 2_000;
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    if (options.state.shuttingDown) return reply.code(503).send({ status: 'shutting_down', checks: {} });
    const results = await Promise.all(options.checks.map((check) => runCheck(check, timeoutMs)));
    const checks = Object.fromEntries(results.map((result) => [result.name, result.outcome]));
    const ready = results.every((result) => result.outcome === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
  const metrics = options.metrics;
  if (metrics) {
    app.get('/metrics', async (_request, reply) =>
      reply.type(metrics.contentType).send(await metrics.metrics()),
    );
  }
}

async function runCheck(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ name: string; outcome: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, outcome: 'ok' };
  } catch (error) {
    return { name: check.name, outcome: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export interface WaitUntilReadyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Asked between attempts: a reason to give up at once (e.g. the process exited), or undefined to keep waiting. */
  abandon?: () => string | undefined;
}

/** Polls `<baseUrl>/health/ready` until it answers 2xx; throws when the time runs out or `abandon` says so. */
export async function waitUntilReady(baseUrl: string, options: WaitUntilReadyOptions = {}): Promise<void> {
  const { timeoutMs = 90_000, intervalMs = 250, abandon } = options;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = abandon?.();
    if (reason) throw new Error(reason);
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${baseUrl} was not ready within ${timeoutMs / 1000} s`);
}
