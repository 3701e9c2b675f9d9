/**
 * A consumer's health from a sliding window of lag samples, after LinkedIn Burrow's evaluation rules
 * (core/internal/evaluator/caching.go), adapted to what polling can see. Pure: no clock, no I/O.
 *
 * A partition's window is its last `windowSize` samples, oldest first; "lag" of a sample is end − committed.
 * The rules, in order; the first that applies decides:
 *
 *  1. no samples                                                    → OK    NO_SAMPLES
 *  2. samples not strictly ordered by time                         → ERR   INVALID_SAMPLES
 *  3. the group has never committed (newest sample):
 *       the partition holds messages (end > low)                   → ERR   NO_COMMIT
 *       it is empty                                                → OK    NO_DATA
 *  4. newest lag is 0                                              → OK    CAUGHT_UP
 *  5. lag was 0 at some sample in the window (Burrow rule 1)       → OK    LAG_ZERO_IN_WINDOW
 *  6. fewer than `windowSize` samples                              → OK    WINDOW_INCOMPLETE
 *  7. committed offset went backwards (Burrow rule 2, REWIND)      → ERR   REWIND
 *  8. committed offset did not change over the whole window while there is lag (Burrow rules 3 and 4):
 *       no live member of the group owns the partition, or the offset has not moved for `stopAfterMs`
 *       (counted from the sample's `committedSince`, else from the window's start)
 *                                                                  → STOP  STOPPED
 *       a live member owns it (the consumer is there, stuck)       → STALL STALLED
 *  9. committed offset advanced but lag never fell between two samples and is higher at the end than at the
 *     start (Burrow rule 5)                                        → WARN  LAG_GROWING
 * 10. otherwise                                                    → OK    PROGRESSING
 *
 * Where this departs from Burrow, and why:
 *  - Burrow's window holds the group's commits, each with its commit time; an offset fetch shows neither commit
 *    times nor re-commits of the same offset. So "stopped" (no commits) and "stalled" (commits that do not move)
 *    look alike here, and membership tells them apart: a member that owns the partition is alive but not
 *    progressing (STALL); nobody owning it means nobody is consuming (STOP). `stopAfterMs` turns a long stall
 *    into STOP when an operator wants a hard limit.
 *  - Burrow evaluates partial windows; with samples, one sample would already look "unchanged", so errors and
 *    warnings wait for a full window (`complete` reports how full it is).
 *  - Burrow warns on lag that is fixed or rising; a steady consumer polled mid-batch always shows the same small
 *    lag, so WARN here needs lag that rose over the window, never falling.
 *  - Burrow reports STOP/STALL/REWIND as group ERR; here the group takes its worst partition's own status, with
 *    REWIND and NO_COMMIT reported as ERR.
 */

export type LagStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'ERR';

export type StatusReason =
  | 'NO_SAMPLES'
  | 'INVALID_SAMPLES'
  | 'NO_COMMIT'
  | 'NO_DATA'
  | 'CAUGHT_UP'
  | 'LAG_ZERO_IN_WINDOW'
  | 'WINDOW_INCOMPLETE'
  | 'REWIND'
  | 'STOPPED'
  | 'STALLED'
  | 'LAG_GROWING'
  | 'PROGRESSING';

/** Worst last: a group takes the status of its worst partition. */
export const STATUS_SEVERITY: readonly LagStatus[] = ['OK', 'WARN', 'STALL', 'STOP', 'ERR'];

export type Offset = bigint | number;

export interface LagSample {
  /** When the sample was taken, ms since the epoch. */
  at: number;
  /** The group's committed offset (the next message it will read); null when it has never committed. */
  committed: Offset | null;
  /** The partition's log-end offset (high watermark). */
  end: Offset;
  /** The partition's log-start offset; 0 when unknown. */
  low?: Offset;
  /** Age of the oldest unconsumed message; reported, not used by the rules (Burrow has no time rule either). */
  lagMs?: number | null;
  /** Whether a live member of the group had the partition assigned; unknown counts as not owned. */
  owned?: boolean;
  /** When this committed offset was first seen, if known from before the window. */
  committedSince?: number;
}

export interface EvaluationRules {
  windowSize: number;
  /** An unmoved committed offset older than this is STOP even while a member owns the partition. */
  stopAfterMs?: number;
}

export interface Evaluation {
  status: LagStatus;
  reason: StatusReason;
  /** How full the window is, 0..1. */
  complete: number;
}

export function lagOf(sample: LagSample): bigint | null {
  if (sample.committed === null) return null;
  const lag = BigInt(sample.end) - BigInt(sample.committed);
  return lag > 0n ? lag : 0n;
}

/** `samples` oldest first; only the last `rules.windowSize` are considered. */
export function evaluatePartition(samples: readonly LagSample[], rules: EvaluationRules): Evaluation {
  const window = samples.slice(-rules.windowSize);
  const complete = Math.min(1, window.length / rules.windowSize);
  const verdict = (status: LagStatus, reason: StatusReason): Evaluation => ({ status, reason, complete });

  const newest = window.at(-1);
  if (newest === undefined) return verdict('OK', 'NO_SAMPLES');
  if (window.some((sample, i) => i > 0 && sample.at <= (window[i - 1]?.at ?? 0))) {
    return verdict('ERR', 'INVALID_SAMPLES');
  }
  if (newest.committed === null) {
    return BigInt(newest.end) > BigInt(newest.low ?? 0)
      ? verdict('ERR', 'NO_COMMIT')
      : verdict('OK', 'NO_DATA');
  }
  if (lagOf(newest) === 0n) return verdict('OK', 'CAUGHT_UP');
  const lags = window.map(lagOf);
  if (lags.some((lag) => lag === 0n)) return verdict('OK', 'LAG_ZERO_IN_WINDOW');
  if (window.length < rules.windowSize) return verdict('OK', 'WINDOW_INCOMPLETE');

  const committed = window.map((sample) => (sample.committed === null ? null : BigInt(sample.committed)));
  if (committed.some((offset, i) => i > 0 && isBefore(offset, committed[i - 1] ?? null))) {
    return verdict('ERR', 'REWIND');
  }
  if (committed.every((offset) => offset === committed[0])) {
    const unmovedFor = newest.at - (newest.committedSince ?? window[0]?.at ?? newest.at);
    const overLimit = rules.stopAfterMs !== undefined && unmovedFor >= rules.stopAfterMs;
    return newest.owned === true && !overLimit ? verdict('STALL', 'STALLED') : verdict('STOP', 'STOPPED');
  }
  const neverFalls = lags.every((lag, i) => i === 0 || (lag ?? 0n) >= (lags[i - 1] ?? 0n));
  if (neverFalls && (lags.at(-1) ?? 0n) > (lags[0] ?? 0n)) return verdict('WARN', 'LAG_GROWING');
  return verdict('OK', 'PROGRESSING');
}

function isBefore(offset: bigint | null, previous: bigint | null): boolean {
  return offset !== null && previous !== null && offset < previous;
}

export function worstStatus(statuses: Iterable<LagStatus>): LagStatus {
  let worst = 0;
  for (const status of statuses) worst = Math.max(worst, STATUS_SEVERITY.indexOf(status));
  return STATUS_SEVERITY[worst] ?? 'OK';
}

export interface PartitionWindow {
  topic: string;
  partition: number;
  /** Oldest first. */
  samples: readonly LagSample[];
}

export interface GroupEvaluation {
  status: LagStatus;
  partitions: (Evaluation & { topic: string; partition: number })[];
}

/** A group is as healthy as its worst partition; a group with no partitions is OK. */
export function evaluateGroup(
  partitions: readonly PartitionWindow[],
  rules: EvaluationRules,
): GroupEvaluation {
  const evaluated = partitions.map(({ topic, partition, samples }) => ({
    topic,
    partition,
    ...evaluatePartition(samples, rules),
  }));
  return { status: worstStatus(evaluated.map((p) => p.status)), partitions: evaluated };
}
