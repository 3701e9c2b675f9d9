import type { AuditEntry, AuditLog } from '@credit/audit';
import { createGroupCommit } from '@credit/db';
import type { Logger } from '@credit/kit';

export interface QueryAudit {
  /** An authorised query, one row each: resolves once the row is committed, so nothing is answered unaudited. */
  record(entry: AuditEntry): Promise<void>;
  /** A public query, counted and written aggregated (per action and subject) at each flush. */
  countPublic(action: string, subjectCode: string | null): void;
  /** Writes the public counts gathered so far. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  stop(): Promise<void>;
}

const keyOf = (action: string, subjectCode: string | null) => `${action}\u0000${subjectCode ?? ''}`;

interface Tally {
  action: string;
  subjectCode: string | null;
  count: number;
  from: Date;
  to: Date;
}

/**
 * Every query goes to the hash-chained audit log: authorised ones individually (group-committed, like the check
 * log), public ones as counts per subject and action over each flush period — a subject can still see that, and
 * how often, the public looked it up, without one chained row per anonymous request.
 */
export function createQueryAudit(log: AuditLog, logger: Logger, flushMs: number): QueryAudit {
  const commit = createGroupCommit<AuditEntry>(async (batch) => {
    await log.append(batch);
  });
  let tallies = new Map<string, Tally>();

  async function flush(): Promise<void> {
    if (tallies.size === 0) return;
    const taken = tallies;
    tallies = new Map();
    const tallied = [...taken.values()];
    const written = await Promise.allSettled(
      tallied.map((tally) =>
        commit.submit({
          actor: 'public',
          purpose: null,
          subjectCode: tally.subjectCode,
          action: tally.action,
          detail: { count: tally.count, from: tally.from.toISOString(), to: tally.to.toISOString() },
        }),
      ),
    );
    // Counts whose row failed are kept for the next flush rather than lost: they merge back.
    written.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') return;
      const tally = tallied[i]!;
      const key = keyOf(tally.action, tally.subjectCode);
      const since = tallies.get(key);
      tallies.set(key, since ? { ...since, count: since.count + tally.count, from: tally.from } : tally);
    });
    const failed = written.find((outcome) => outcome.status === 'rejected');
    if (failed) {
      logger.error(
        { err: failed.reason },
        'public query counts not written to the audit log; kept for the next flush',
      );
    }
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    record: (entry) => commit.submit(entry),
    countPublic(action, subjectCode) {
      const key = keyOf(action, subjectCode);
      const now = new Date();
      const tally = tallies.get(key);
      if (tally) {
        tally.count += 1;
        tally.to = now;
      } else tallies.set(key, { action, subjectCode, count: 1, from: now, to: now });
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
