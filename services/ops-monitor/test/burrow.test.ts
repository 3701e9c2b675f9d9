import { describe, expect, it } from 'vitest';
import {
  evaluateGroup,
  evaluatePartition,
  type LagSample,
  lagOf,
  STATUS_SEVERITY,
  worstStatus,
} from '../src/burrow.ts';

const rules = { windowSize: 5 };

/** Samples one second apart from pairs of [committed, end]; `owned` as given for all. */
function samples(pairs: [committed: number | null, end: number][], owned = true): LagSample[] {
  return pairs.map(([committed, end], i) => ({ at: 1_000 * (i + 1), committed, end, owned }));
}

describe('evaluatePartition', () => {
  it('is OK with nothing to judge', () => {
    expect(evaluatePartition([], rules)).toEqual({ status: 'OK', reason: 'NO_SAMPLES', complete: 0 });
  });

  it('is ERR when the group never committed on a partition that holds messages', () => {
    expect(evaluatePartition(samples([[null, 10]]), rules)).toMatchObject({
      status: 'ERR',
      reason: 'NO_COMMIT',
    });
  });

  it('is OK when the group never committed on an empty partition', () => {
    const emptied = [{ at: 1, committed: null, end: 7, low: 7 }];
    expect(evaluatePartition(emptied, rules)).toMatchObject({ status: 'OK', reason: 'NO_DATA' });
  });

  it('is OK when caught up now, whatever came before', () => {
    const window = samples([
      [0, 5],
      [0, 6],
      [0, 7],
      [0, 8],
      [8, 8],
    ]);
    expect(evaluatePartition(window, rules)).toMatchObject({ status: 'OK', reason: 'CAUGHT_UP' });
  });

  it('is OK when lag touched zero anywhere in the window (rule 1)', () => {
    const window = samples([
      [5, 5],
      [5, 8],
      [5, 9],
      [5, 10],
      [5, 11],
    ]);
    expect(evaluatePartition(window, rules)).toMatchObject({ status: 'OK', reason: 'LAG_ZERO_IN_WINDOW' });
  });

  it('waits for a full window before calling anything wrong', () => {
    const window = samples([
      [1, 5],
      [1, 6],
      [1, 7],
      [1, 8],
    ]);
    expect(evaluatePartition(window, rules)).toEqual({
      status: 'OK',
      reason: 'WINDOW_INCOMPLETE',
      complete: 0.8,
    });
  });

  it('is ERR when the committed offset goes backwards (rewind)', () => {
    const window = samples([
      [5, 10],
      [6, 11],
      [4, 12],
      [5, 13],
      [6, 14],
    ]);
    expect(evaluatePartition(window, rules)).toMatchObject({ status: 'ERR', reason: 'REWIND' });
  });

  it('is STALL when a live member owns the partition and the offset never moves while there is lag', () => {
    const window = samples([
      [3, 10],
      [3, 10],
      [3, 12],
      [3, 12],
      [3, 15],
    ]);
    expect(evaluatePartition(window, rules)).toEqual({ status: 'STALL', reason: 'STALLED', complete: 1 });
  });

  it('is STOP when the offset never moves while there is lag and no live member owns the partition', () => {
    const window = samples(
      [
        [3, 10],
        [3, 10],
        [3, 10],
        [3, 10],
        [3, 10],
      ],
      false,
    );
    expect(evaluatePartition(window, rules)).toMatchObject({ status: 'STOP', reason: 'STOPPED' });
  });

  it('turns a stall into STOP once the offset has not moved for stopAfterMs', () => {
    const window = samples(Array.from({ length: 5 }, () => [3, 10] as [number, number])).map((s) => ({
      ...s,
      committedSince: 0,
    }));
    // The newest sample is at 5 000 ms, so the offset has stood still for 5 000 ms.
    expect(evaluatePartition(window, { ...rules, stopAfterMs: 5_001 })).toMatchObject({ status: 'STALL' });
    expect(evaluatePartition(window, { ...rules, stopAfterMs: 5_000 })).toMatchObject({ status: 'STOP' });
  });

  it('is WARN when the offset advances but lag rises over the window and never falls (rule 5)', () => {
    const window = samples([
      [1, 5],
      [2, 7],
      [3, 8],
      [4, 9],
      [5, 12],
    ]);
    expect(evaluatePartition(window, rules)).toEqual({ status: 'WARN', reason: 'LAG_GROWING', complete: 1 });
  });

  it('is OK when the offset advances and lag holds steady (a consumer keeping pace)', () => {
    const window = samples([
      [1, 5],
      [2, 6],
      [3, 7],
      [4, 8],
      [5, 9],
    ]);
    expect(evaluatePartition(window, rules)).toMatchObject({ status: 'OK', reason: 'PROGRESSING' });
  });

  it('is OK when lag falls once inside an otherwise rising window', () => {
    const window = samples([
      [1, 5],
      [2, 9],
      [8, 10],
      [9, 13],
      [10, 16],
    ]);
    expect(evaluatePartition(window, rules)).toMatchObject({ status: 'OK', reason: 'PROGRESSING' });
  });

  it('judges only the last windowSize samples as the window slides', () => {
    const history = samples([
      [0, 0], // caught up, then stuck
      [0, 2],
      [0, 4],
      [0, 6],
      [0, 8],
      [0, 10],
    ]);
    expect(evaluatePartition(history.slice(0, 5), rules)).toMatchObject({ status: 'OK' });
    expect(evaluatePartition(history, rules)).toMatchObject({ status: 'STALL' });
  });

  it('recovers to OK once the consumer catches up after a stall', () => {
    const stuck = samples([
      [3, 10],
      [3, 11],
      [3, 12],
      [3, 13],
      [3, 14],
    ]);
    expect(evaluatePartition(stuck, rules)).toMatchObject({ status: 'STALL' });
    const resumed = [...stuck, { at: 6_000, committed: 9, end: 14, owned: true }];
    // Offsets moved and lag fell: no longer stuck, not yet caught up.
    expect(evaluatePartition(resumed, rules)).toMatchObject({ status: 'OK', reason: 'PROGRESSING' });
    const caughtUp = [...resumed, { at: 7_000, committed: 14, end: 14, owned: true }];
    expect(evaluatePartition(caughtUp, rules)).toMatchObject({ status: 'OK', reason: 'CAUGHT_UP' });
  });

  it('is ERR for samples out of time order', () => {
    const window = [
      { at: 2, committed: 1, end: 5 },
      { at: 1, committed: 1, end: 6 },
    ];
    expect(evaluatePartition(window, rules)).toMatchObject({ status: 'ERR', reason: 'INVALID_SAMPLES' });
  });

  it('accepts bigint offsets beyond 2^53', () => {
    const base = 2n ** 60n;
    const window = Array.from({ length: 5 }, (_, i) => ({
      at: i + 1,
      committed: base,
      end: base + BigInt(i + 1),
      owned: false,
    }));
    expect(evaluatePartition(window, rules)).toMatchObject({ status: 'STOP' });
  });
});

describe('lagOf', () => {
  it('is end minus committed, never negative, and null without a commit', () => {
    expect(lagOf({ at: 1, committed: 3, end: 10 })).toBe(7n);
    expect(lagOf({ at: 1, committed: 12, end: 10 })).toBe(0n);
    expect(lagOf({ at: 1, committed: null, end: 10 })).toBeNull();
  });
});

describe('evaluateGroup', () => {
  it('takes the status of its worst partition', () => {
    const group = evaluateGroup(
      [
        { topic: 't', partition: 0, samples: samples([[5, 5]]) },
        {
          topic: 't',
          partition: 1,
          samples: samples([
            [1, 5],
            [2, 7],
            [3, 8],
            [4, 9],
            [5, 12],
          ]),
        },
        {
          topic: 't',
          partition: 2,
          samples: samples(
            Array.from({ length: 5 }, () => [3, 10]),
            false,
          ),
        },
      ],
      rules,
    );
    expect(group.status).toBe('STOP');
    expect(group.partitions.map((p) => p.status)).toEqual(['OK', 'WARN', 'STOP']);
  });

  it('is OK with no partitions', () => {
    expect(evaluateGroup([], rules).status).toBe('OK');
  });
});

describe('worstStatus', () => {
  it('orders OK < WARN < STALL < STOP < ERR', () => {
    expect(STATUS_SEVERITY).toEqual(['OK', 'WARN', 'STALL', 'STOP', 'ERR']);
    expect(worstStatus(['WARN', 'OK', 'STALL'])).toBe('STALL');
    expect(worstStatus(['ERR', 'STOP'])).toBe('ERR');
    expect(worstStatus([])).toBe('OK');
  });
});
