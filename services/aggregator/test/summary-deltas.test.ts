import { describe, expect, it } from 'vitest';
import { type Contribution, summaryDeltas } from '../src/summary-deltas.ts';

const penalty = (over: Partial<Contribution> = {}): Contribution => ({
  subjectCode: 'A',
  kind: 'administrative-penalty',
  status: 'active',
  severity: 'GENERAL_DISHONESTY',
  decisionDate: '2026-03-01',
  ...over,
});

describe('summaryDeltas', () => {
  it('counts a new active record in every figure it belongs to', () => {
    const { deltas, recount } = summaryDeltas([{ next: penalty({ severity: 'SERIOUS_DISHONESTY' }) }]);
    expect(recount).toEqual([]);
    expect(deltas).toEqual([
      {
        subject_code: 'A',
        total: 1,
        active: 1,
        revoked: 0,
        expired: 0,
        by_kind: { 'administrative-penalty': 1 },
        penalties: 1,
        serious: 1,
        positive: 0,
        last_decision: '2026-03-01',
      },
    ]);
  });

  it('nets a correction to zero records and keeps a later decision date', () => {
    const { deltas } = summaryDeltas([
      { previous: penalty(), next: penalty({ status: 'corrected', decisionDate: '2026-04-01' }) },
    ]);
    expect(deltas[0]).toMatchObject({
      total: 0,
      active: 0,
      penalties: 0,
      by_kind: { 'administrative-penalty': 0 },
    });
    expect(deltas[0]!.last_decision).toBe('2026-04-01');
  });

  it('moves an expired record from active to expired', () => {
    const { deltas } = summaryDeltas([{ previous: penalty(), next: penalty({ status: 'expired' }) }]);
    expect(deltas[0]).toMatchObject({ total: 0, active: -1, expired: 1, penalties: -1 });
  });

  it('sends a subject whose latest decision may fall to a recount: revocation, move, earlier date', () => {
    expect(summaryDeltas([{ previous: penalty(), next: penalty({ status: 'revoked' }) }])).toEqual({
      deltas: [],
      recount: ['A'],
    });
    expect(
      summaryDeltas([
        { previous: penalty(), next: penalty({ subjectCode: 'B', status: 'corrected' }) },
      ]).recount.sort(),
    ).toEqual(['A', 'B']);
    expect(
      summaryDeltas([{ previous: penalty(), next: penalty({ decisionDate: '2025-01-01' }) }]).recount,
    ).toEqual(['A']);
  });

  it('needs no recount when a revoked record is corrected again', () => {
    const { deltas, recount } = summaryDeltas([
      { previous: penalty({ status: 'revoked' }), next: penalty({ status: 'revoked' }) },
    ]);
    expect(recount).toEqual([]);
    expect(deltas[0]).toMatchObject({ total: 0, revoked: 0, last_decision: null });
  });
});
