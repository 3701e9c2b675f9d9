import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

export interface BatchAnswer {
  results: {
    index: number;
    status: 'accepted' | 'duplicate' | 'rejected' | 'retry';
    recordId?: string;
    version?: number;
    rejections?: { code: string; message: string; field?: string; value?: string; rule?: string }[];
    error?: { code: string; message: string };
  }[];
  summary: Record<string, number>;
}

export class GatewayRefused extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'GatewayRefused';
    this.status = status;
  }
}

export interface GatewayClientOptions {
  url: string;
  apiKey: string;
  /** Attempts for a transient failure (network, 429, 5xx) before giving up on a batch. */
  attempts?: number;
  /** First backoff; doubles each attempt, with jitter. */
  backoffMs?: number;
  onRetry?: (attempt: number, reason: string) => void;
}

/**
 * Posts batches to the ingest gateway. Transient failures (network errors, 429, 5xx) are retried with backoff;
 * resending is safe because the gateway answers a record it already accepted as a duplicate. Anything else
 * (401, 413, ...) is final and stops the push.
 */
export function createGatewayClient(options: GatewayClientOptions) {
  const pool = new Pool(options.url, { connections: 4 });
  const attempts = options.attempts ?? 6;
  const backoffMs = options.backoffMs ?? 500;

  async function postBatch(records: unknown[]): Promise<BatchAnswer> {
    const body = JSON.stringify({ records });
    let lastReason = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const response = await pool.request({
          method: 'POST',
          path: '/v1/records:batch',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body,
        });
        const answer = (await response.body.json()) as BatchAnswer & {
          error?: { code: string; message: string };
        };
        if (response.statusCode === 200) return answer;
        lastReason =
          `${response.statusCode} ${answer.error?.code ?? ''} ${answer.error?.message ?? ''}`.trim();
        const retryAfter = Number(response.headers['retry-after']);
        const transient = response.statusCode === 429 || response.statusCode >= 500;
        if (!transient) throw new GatewayRefused(response.statusCode, lastReason);
        if (attempt < attempts) {
          options.onRetry?.(attempt, lastReason);
          await sleep(
            Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : delay(attempt, backoffMs),
          );
        }
      } catch (error) {
        if (error instanceof GatewayRefused) throw error;
        lastReason = error instanceof Error ? error.message : String(error);
        if (attempt < attempts) {
          options.onRetry?.(attempt, lastReason);
          await sleep(delay(attempt, backoffMs));
        }
      }
    }
    throw new GatewayRefused(0, `gave up after ${attempts} attempts: ${lastReason}`);
  }

  return { postBatch, close: () => pool.close() };
}

function delay(attempt: number, base: number): number {
  return base * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
}
