import { CodedError } from '@credit/errors';
import { SanctionsUnavailable } from './errors.ts';

export interface SanctionsClient {
  /** POST a path of the sanctions API with the query API's own token; its 4xx answers come back as they are. */
  post(path: string, body: unknown): Promise<unknown>;
}

/**
 * The check (应查必查) lives in the sanctions service, beside the measures catalogue and the check log that proves
 * it was made; the query API passes authorised clients' checks through to it. The sanctions service knows the query
 * API as the caller; who really asked, and for what, is in the query API's audit log.
 */
export function createSanctionsClient(baseUrl: string, token: string, timeoutMs = 5_000): SanctionsClient {
  const root = baseUrl.replace(/\/$/, '');
  return {
    async post(path, body) {
      let response: Response;
      try {
        response = await fetch(`${root}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw SanctionsUnavailable((error as Error).message);
      }
      const answer: unknown = await response.json().catch(() => null);
      if (response.ok) return answer;
      const error = (answer as { error?: { code?: string; message?: string } } | null)?.error;
      // The caller's own mistakes (an unknown matter, a decided check) pass through; our credentials' do not.
      const callersMistake = response.status < 500 && response.status !== 401 && response.status !== 403;
      if (callersMistake) {
        throw new CodedError(
          error?.code ?? 'QUERY_CHECK_REFUSED',
          response.status,
          error?.message ?? 'refused',
        );
      }
      throw SanctionsUnavailable(`HTTP ${response.status} ${error?.code ?? ''}`.trim());
    },
  };
}
