import { CodedError } from '@credit/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ActiveState,
  type Actor,
  allowedEvents,
  apply,
  EVENT_TYPES,
  type EventType,
  type ExitReason,
  type ListEvent,
  type NewEntry,
  propose,
  type SubjectCategory,
} from '../src/index.ts';

const DAY = 86_400_000;
const T0 = new Date('2025-01-01T00:00:00.000Z');
const at = (days: number, ms = 0): Date => new Date(T0.getTime() + days * DAY + ms);
const VALID_UNTIL = at(365);
const REPAIRABLE_FROM = at(180);

const DESIGNATOR: Actor = { id: 'dept-market-supervision', role: 'designator' };
const SUBJECT: Actor = { id: 'subject-1', role: 'subject' };

function fields(category: SubjectCategory, overrides: Partial<NewEntry> = {}): NewEntry {
  return {
    id: 'entry-1',
    listType: 'black.food-safety',
    subjectCode: category === 'natural_person' ? 'person-token-1' : '91350100M000100Y43',
    subjectCategory: category,
    validUntil: VALID_UNTIL,
    repairable: true,
    repairableFrom: REPAIRABLE_FROM,
    ...overrides,
  };
}

type Payload =
  | { type: 'notify'; channel?: 'notice' | 'public-display' }
  | { type: 'resolve-objection'; outcome: 'upheld' | 'rejected' }
  | { type: 'amend'; validUntil?: Date | null }
  | { type: Exclude<EventType, 'notify' | 'resolve-objection' | 'amend'> };

function event(
  payload: Payload,
  now: Date,
  actor = DESIGNATOR,
  reason = `reason for ${payload.type}`,
): ListEvent {
  if (payload.type === 'notify') {
    return { type: 'notify', channel: payload.channel ?? 'notice', actor, now, reason };
  }
  if (payload.type === 'amend')
    return { type: 'amend', validUntil: payload.validUntil ?? null, actor, now, reason };
  return { ...payload, actor, now, reason };
}

/** A minimal event of each type, resolving objections as rejected. */
function simple(type: EventType, now: Date): ListEvent {
  if (type === 'notify') return event({ type }, now);
  if (type === 'resolve-objection') return event({ type, outcome: 'rejected' }, now);
  return event({ type }, now);
}

/** Legal paths to each active state, every step on day 1. */
const PATHS: { readonly [S in ActiveState]: readonly EventType[] } = {
  proposed: [],
  notified: ['notify'],
  objected: ['notify', 'object'],
  confirmed: ['notify', 'confirm'],
  published: ['notify', 'confirm', 'publish'],
  suspended: ['notify', 'confirm', 'publish', 'suspend'],
};

function reach(
  state: ActiveState,
  category: SubjectCategory = 'natural_person',
  overrides: Partial<NewEntry> = {},
) {
  let entry = propose(fields(category, overrides));
  for (const type of PATHS[state]) entry = apply(entry, simple(type, at(1))).entry;
  expect(entry.state).toBe(state);
  return entry;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodedError);
    return (error as CodedError).code;
  }
  throw new Error('expected a refusal');
}

/** Which events each state accepts, written out independently of the implementation's table. */
const LEGAL: { readonly [S in ActiveState]: readonly EventType[] } = {
  proposed: ['notify', 'confirm', 'change-standard', 'withdraw', 'supersede', 'amend', 'erase'],
  notified: ['object', 'confirm', 'change-standard', 'withdraw', 'supersede', 'amend', 'erase'],
  objected: ['resolve-objection', 'change-standard', 'withdraw', 'supersede', 'amend', 'erase'],
  confirmed: ['publish', 'expire', 'change-standard', 'withdraw', 'supersede', 'amend', 'erase'],
  published: [
    'object',
    'suspend',
    'expire',
    'repair',
    'change-standard',
    'withdraw',
    'supersede',
    'amend',
    'erase',
  ],
  suspended: [
    'resolve-objection',
    'resume',
    'expire',
    'change-standard',
    'withdraw',
    'supersede',
    'amend',
    'erase',
  ],
};
const STATES = Object.keys(LEGAL) as ActiveState[];

describe('legal transitions', () => {
  const cases: [ActiveState, Payload, string, ExitReason | null][] = [
    ['proposed', { type: 'notify' }, 'notified', null],
    ['proposed', { type: 'confirm' }, 'confirmed', null],
    ['notified', { type: 'object' }, 'objected', null],
    ['notified', { type: 'confirm' }, 'confirmed', null],
    ['objected', { type: 'resolve-objection', outcome: 'rejected' }, 'notified', null],
    ['objected', { type: 'resolve-objection', outcome: 'upheld' }, 'exited', 'objection-upheld'],
    ['confirmed', { type: 'publish' }, 'published', null],
    ['confirmed', { type: 'expire' }, 'exited', 'expired'],
    ['published', { type: 'object' }, 'suspended', null],
    ['published', { type: 'suspend' }, 'suspended', null],
    ['published', { type: 'expire' }, 'exited', 'expired'],
    ['published', { type: 'repair' }, 'exited', 'repaired'],
    ['suspended', { type: 'resolve-objection', outcome: 'rejected' }, 'published', null],
    ['suspended', { type: 'resolve-objection', outcome: 'upheld' }, 'exited', 'objection-upheld'],
    ['suspended', { type: 'resume' }, 'published', null],
    ['suspended', { type: 'expire' }, 'exited', 'expired'],
    ...STATES.flatMap((state): [ActiveState, Payload, string, ExitReason | null][] => [
      [state, { type: 'change-standard' }, 'exited', 'standard-changed'],
      [state, { type: 'withdraw' }, 'exited', 'withdrawn-by-designator'],
      [state, { type: 'supersede' }, 'exited', 'superseded'],
      [state, { type: 'amend' }, state, null],
      [state, { type: 'erase' }, 'exited', 'erased'],
    ]),
  ];

  it.each(cases)('%s --%o--> %s (%s)', (from, payload, to, exitReason) => {
    // Organisations, so that `confirm` from `proposed` is legal; after the validity end and the repair minimum.
    const entry = reach(from, 'organisation');
    const now = at(400);
    const { entry: next, transition } = apply(entry, event(payload, now));
    expect(next.state).toBe(to);
    expect(next.exitReason).toBe(exitReason);
    expect(transition).toEqual({
      from,
      to,
      event: payload.type,
      actor: DESIGNATOR,
      at: now,
      reason: `reason for ${payload.type}`,
    });
    expect(next.history.at(-1)).toEqual(transition);
  });

  it('amend gives the entry the corrected validity and keeps its state', () => {
    const entry = reach('published', 'organisation');
    const later = at(900);
    const { entry: amended } = apply(entry, event({ type: 'amend', validUntil: later }, at(5)));
    expect(amended.validUntil).toEqual(later);
    expect(amended.state).toBe('published');
    expect(apply(amended, event({ type: 'amend', validUntil: null }, at(6))).entry.validUntil).toBeNull();
  });

  it('covers every legal (state, event) pair', () => {
    const covered = new Set(cases.map(([state, payload]) => `${state}:${payload.type}`));
    const expected = STATES.flatMap((state) => LEGAL[state].map((type) => `${state}:${type}`));
    expect([...covered].sort()).toEqual([...expected].sort());
  });

  it('walks a whole natural-person lifecycle to repair', () => {
    let entry = propose(fields('natural_person'));
    const steps: [Payload, Date][] = [
      [{ type: 'notify' }, at(1)],
      [{ type: 'object' }, at(2)],
      [{ type: 'resolve-objection', outcome: 'rejected' }, at(20)],
      [{ type: 'confirm' }, at(21)],
      [{ type: 'publish' }, at(22)],
      [{ type: 'object' }, at(100)],
      [{ type: 'resolve-objection', outcome: 'rejected' }, at(110)],
      [{ type: 'repair' }, at(200)],
    ];
    for (const [payload, now] of steps) entry = apply(entry, event(payload, now)).entry;
    expect(entry.history.map((t) => `${t.from}>${t.to}`)).toEqual([
      'proposed>notified',
      'notified>objected',
      'objected>notified',
      'notified>confirmed',
      'confirmed>published',
      'published>suspended',
      'suspended>published',
      'published>exited',
    ]);
    expect(entry.exitReason).toBe('repaired');
  });
});

describe('illegal transitions', () => {
  const cases = STATES.flatMap((state) =>
    EVENT_TYPES.filter((type) => !LEGAL[state].includes(type)).map((type) => [state, type] as const),
  );

  it.each(cases)('%s refuses %s with LIST_ILLEGAL_TRANSITION', (state, type) => {
    const entry = reach(state, 'organisation');
    expect(codeOf(() => apply(entry, simple(type, at(400))))).toBe('LIST_ILLEGAL_TRANSITION');
  });

  it('names the state, the event and why', () => {
    const entry = reach('proposed', 'organisation');
    let caught: unknown;
    try {
      apply(entry, simple('publish', at(2)));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CodedError);
    const error = caught as CodedError;
    expect(error.statusCode).toBe(409);
    expect(error.message).toBe(
      'list entry entry-1: event publish is not allowed in state proposed: publish is allowed only in confirmed',
    );
    expect(error.details).toEqual({
      entryId: 'entry-1',
      state: 'proposed',
      event: 'publish',
      why: 'publish is allowed only in confirmed',
    });
  });

  const exits: [ActiveState, Payload, ExitReason][] = [
    ['published', { type: 'expire' }, 'expired'],
    ['suspended', { type: 'resolve-objection', outcome: 'upheld' }, 'objection-upheld'],
    ['published', { type: 'repair' }, 'repaired'],
    ['confirmed', { type: 'change-standard' }, 'standard-changed'],
    ['proposed', { type: 'withdraw' }, 'withdrawn-by-designator'],
    ['published', { type: 'supersede' }, 'superseded'],
  ];

  it.each(exits)(
    'an entry exited from %s (%o) refuses every event with LIST_ENTRY_EXITED',
    (from, payload, reason) => {
      const exited = apply(reach(from, 'organisation'), event(payload, at(400))).entry;
      expect(exited.exitReason).toBe(reason);
      expect(allowedEvents(exited, at(1000))).toEqual([]);
      for (const type of EVENT_TYPES) {
        expect(codeOf(() => apply(exited, simple(type, at(1000))))).toBe('LIST_ENTRY_EXITED');
      }
      expect(
        codeOf(() => apply(exited, event({ type: 'resolve-objection', outcome: 'upheld' }, at(1000)))),
      ).toBe('LIST_ENTRY_EXITED');
    },
  );
});

describe('prior notice', () => {
  it('refuses to confirm a natural person who was not notified', () => {
    const entry = propose(fields('natural_person'));
    expect(codeOf(() => apply(entry, simple('confirm', at(1))))).toBe('LIST_NOTICE_REQUIRED');
    expect(allowedEvents(entry, at(1))).not.toContain('confirm');
  });

  it('confirms a natural person after notice, and records the channel', () => {
    const notified = apply(propose(fields('natural_person')), event({ type: 'notify' }, at(1))).entry;
    expect(notified.noticeChannel).toBe('notice');
    expect(apply(notified, simple('confirm', at(2))).entry.state).toBe('confirmed');
  });

  it('confirms an organisation without notice (notice is as needed)', () => {
    const entry = propose(fields('organisation'));
    expect(allowedEvents(entry, at(1))).toContain('confirm');
    expect(apply(entry, simple('confirm', at(1))).entry.state).toBe('confirmed');
  });

  it('lets an organisation be notified by public display, but not a natural person', () => {
    const org = apply(
      propose(fields('organisation')),
      event({ type: 'notify', channel: 'public-display' }, at(1)),
    );
    expect(org.entry.noticeChannel).toBe('public-display');
    const person = propose(fields('natural_person'));
    expect(codeOf(() => apply(person, event({ type: 'notify', channel: 'public-display' }, at(1))))).toBe(
      'LIST_INVALID_EVENT',
    );
  });

  it('still requires notice after a rejected objection (it returns to notified, not proposed)', () => {
    let entry = reach('objected');
    entry = apply(entry, event({ type: 'resolve-objection', outcome: 'rejected' }, at(5))).entry;
    expect(entry.state).toBe('notified');
    expect(apply(entry, simple('confirm', at(6))).entry.state).toBe('confirmed');
  });
});

describe('repair', () => {
  it('is refused one millisecond before the minimum period ends and allowed exactly at its end', () => {
    const entry = reach('published');
    const early = REPAIRABLE_FROM.getTime() - 1;
    expect(codeOf(() => apply(entry, simple('repair', new Date(early))))).toBe('LIST_REPAIR_TOO_EARLY');
    expect(allowedEvents(entry, new Date(early))).not.toContain('repair');
    expect(allowedEvents(entry, REPAIRABLE_FROM)).toContain('repair');
    const repaired = apply(entry, simple('repair', REPAIRABLE_FROM)).entry;
    expect(repaired.state).toBe('exited');
    expect(repaired.exitReason).toBe('repaired');
  });

  it('is refused for a list type that is not repairable, whatever the date', () => {
    const entry = reach('published', 'organisation', { repairable: false, repairableFrom: null });
    expect(codeOf(() => apply(entry, simple('repair', at(10_000))))).toBe('LIST_NOT_REPAIRABLE');
    expect(allowedEvents(entry, at(10_000))).not.toContain('repair');
  });

  it('has no minimum period when repairableFrom is null', () => {
    const entry = reach('published', 'organisation', { repairableFrom: null });
    expect(apply(entry, simple('repair', at(1))).entry.exitReason).toBe('repaired');
  });

  it('is allowed only while published, not while suspended or before publication', () => {
    for (const state of ['proposed', 'notified', 'objected', 'confirmed', 'suspended'] as const) {
      expect(codeOf(() => apply(reach(state, 'organisation'), simple('repair', at(400))))).toBe(
        'LIST_ILLEGAL_TRANSITION',
      );
    }
  });
});

describe('expiry', () => {
  it('is refused one millisecond before the validity end and happens exactly at it', () => {
    const entry = reach('published');
    const before = new Date(VALID_UNTIL.getTime() - 1);
    expect(codeOf(() => apply(entry, simple('expire', before)))).toBe('LIST_NOT_EXPIRED');
    expect(allowedEvents(entry, before)).not.toContain('expire');
    expect(allowedEvents(entry, VALID_UNTIL)).toContain('expire');
    const { entry: expired, transition } = apply(entry, simple('expire', VALID_UNTIL));
    expect(expired.exitReason).toBe('expired');
    expect(transition.at).toEqual(VALID_UNTIL);
  });

  it('never happens when validUntil is null', () => {
    const entry = reach('published', 'organisation', { validUntil: null });
    expect(codeOf(() => apply(entry, simple('expire', new Date('2999-01-01T00:00:00Z'))))).toBe(
      'LIST_NOT_EXPIRED',
    );
    expect(allowedEvents(entry, new Date('2999-01-01T00:00:00Z'))).not.toContain('expire');
  });

  it('also ends a suspended entry', () => {
    expect(apply(reach('suspended'), simple('expire', VALID_UNTIL)).entry.exitReason).toBe('expired');
  });
});

describe('objections', () => {
  it('from notice, a rejected objection returns to notified and an upheld one exits', () => {
    const objected = reach('objected');
    const rejected = apply(objected, event({ type: 'resolve-objection', outcome: 'rejected' }, at(3))).entry;
    expect(rejected.state).toBe('notified');
    const upheld = apply(objected, event({ type: 'resolve-objection', outcome: 'upheld' }, at(3))).entry;
    expect([upheld.state, upheld.exitReason]).toEqual(['exited', 'objection-upheld']);
  });

  it('while in force, an objection suspends; rejected goes back in force, upheld exits', () => {
    const suspended = apply(reach('published'), event({ type: 'object' }, at(50), SUBJECT)).entry;
    expect(suspended.state).toBe('suspended');
    expect(
      apply(suspended, event({ type: 'resolve-objection', outcome: 'rejected' }, at(60))).entry.state,
    ).toBe('published');
    expect(
      apply(suspended, event({ type: 'resolve-objection', outcome: 'upheld' }, at(60))).entry.exitReason,
    ).toBe('objection-upheld');
  });

  it('is not accepted before notice or after confirmation and before publication', () => {
    expect(codeOf(() => apply(reach('proposed'), simple('object', at(2))))).toBe('LIST_ILLEGAL_TRANSITION');
    expect(codeOf(() => apply(reach('confirmed'), simple('object', at(2))))).toBe('LIST_ILLEGAL_TRANSITION');
    expect(codeOf(() => apply(reach('objected'), simple('object', at(2))))).toBe('LIST_ILLEGAL_TRANSITION');
    expect(codeOf(() => apply(reach('suspended'), simple('object', at(2))))).toBe('LIST_ILLEGAL_TRANSITION');
  });
});

describe('allowedEvents', () => {
  it.each(STATES)('lists what %s accepts once every time guard has passed', (state) => {
    expect(allowedEvents(reach(state, 'organisation'), at(400))).toEqual(
      EVENT_TYPES.filter((type) => LEGAL[state].includes(type)),
    );
  });

  it('leaves time-guarded events out until their time', () => {
    expect(allowedEvents(reach('published'), at(2))).toEqual([
      'object',
      'suspend',
      'change-standard',
      'withdraw',
      'supersede',
      'amend',
      'erase',
    ]);
  });
});

describe('immutability and history', () => {
  it('returns a new frozen entry and leaves the old one as it was', () => {
    const entry = reach('confirmed');
    const snapshot = structuredClone(entry);
    const { entry: next } = apply(entry, simple('publish', at(3)));
    expect(next).not.toBe(entry);
    expect(next.history).not.toBe(entry.history);
    expect(entry).toEqual(snapshot);
    expect(entry.history).toHaveLength(2);
    expect(next.history).toHaveLength(3);
    expect(Object.isFrozen(next)).toBe(true);
    expect(Object.isFrozen(next.history)).toBe(true);
    expect(Object.isFrozen(next.history[2])).toBe(true);
    expect(() => {
      (next as { state: string }).state = 'proposed';
    }).toThrow(TypeError);
  });

  it('records actor, time and reason, copied from the event', () => {
    const now = at(30, 123);
    const mutableNow = new Date(now.getTime());
    const actor = { id: 'reviewer-7', role: 'reviewer' };
    const { entry } = apply(
      reach('notified'),
      event({ type: 'confirm' }, mutableNow, actor, '审核/校核/确认通过'),
    );
    mutableNow.setTime(0);
    actor.id = 'someone-else';
    expect(entry.history.at(-1)).toEqual({
      from: 'notified',
      to: 'confirmed',
      event: 'confirm',
      actor: { id: 'reviewer-7', role: 'reviewer' },
      at: now,
      reason: '审核/校核/确认通过',
    });
  });

  it('keeps the whole trail in order', () => {
    const entry = reach('suspended');
    expect(entry.history.map((t) => t.event)).toEqual(['notify', 'confirm', 'publish', 'suspend']);
    expect(entry.history.map((t) => t.from)).toEqual(['proposed', 'notified', 'confirmed', 'published']);
  });

  it('copies the dates given to propose', () => {
    const validUntil = new Date(VALID_UNTIL.getTime());
    const entry = propose(fields('organisation', { validUntil }));
    validUntil.setTime(0);
    expect(entry.validUntil).toEqual(VALID_UNTIL);
    expect(entry.state).toBe('proposed');
    expect(entry.history).toEqual([]);
  });
});

describe('invalid events', () => {
  it('refuses an empty reason, a missing actor, an invalid date and a clock running backwards', () => {
    const entry = reach('notified');
    expect(codeOf(() => apply(entry, event({ type: 'confirm' }, at(2), DESIGNATOR, '  ')))).toBe(
      'LIST_INVALID_EVENT',
    );
    expect(
      codeOf(() => apply(entry, event({ type: 'confirm' }, at(2), { id: '', role: 'designator' }))),
    ).toBe('LIST_INVALID_EVENT');
    expect(codeOf(() => apply(entry, event({ type: 'confirm' }, new Date(Number.NaN))))).toBe(
      'LIST_INVALID_EVENT',
    );
    expect(codeOf(() => apply(entry, event({ type: 'confirm' }, at(0))))).toBe('LIST_INVALID_EVENT');
    expect(apply(entry, event({ type: 'confirm' }, at(1))).entry.state).toBe('confirmed');
  });
});

describe('properties', () => {
  const payload = fc.oneof(
    fc
      .constantFrom(...EVENT_TYPES.filter((type) => type !== 'notify' && type !== 'resolve-objection'))
      .map((type): Payload => ({ type })),
    fc
      .constantFrom('notice' as const, 'public-display' as const)
      .map((channel): Payload => ({ type: 'notify', channel })),
    fc
      .constantFrom('upheld' as const, 'rejected' as const)
      .map((outcome): Payload => ({ type: 'resolve-objection', outcome })),
  );
  const steps = fc.array(fc.tuple(payload, fc.integer({ min: 0, max: 60 })), { maxLength: 40 });
  const start = fc.record({
    category: fc.constantFrom<SubjectCategory>('natural_person', 'organisation'),
    repairable: fc.boolean(),
    validDays: fc.option(fc.integer({ min: 0, max: 500 })),
    repairDays: fc.option(fc.integer({ min: 0, max: 500 })),
  });

  it('no event sequence ever leaves a final state, and apply agrees with allowedEvents', () => {
    fc.assert(
      fc.property(start, steps, (init, sequence) => {
        let entry = propose(
          fields(init.category, {
            repairable: init.repairable,
            validUntil: init.validDays === null ? null : at(init.validDays),
            repairableFrom: init.repairDays === null ? null : at(init.repairDays),
          }),
        );
        let day = 0;
        for (const [step, gap] of sequence) {
          day += gap;
          const now = at(day);
          const before = entry;
          const allowed = allowedEvents(before, now).includes(step.type);
          let accepted = true;
          try {
            entry = apply(before, event(step, now)).entry;
          } catch (error) {
            if (!(error instanceof CodedError)) throw error;
            accepted = false;
            expect(entry).toBe(before);
          }
          const payloadRefusal =
            step.type === 'notify' && step.channel === 'public-display' && init.category === 'natural_person';
          expect(accepted).toBe(allowed && !payloadRefusal);
          if (before.state === 'exited') {
            expect(accepted).toBe(false);
            expect(entry).toBe(before);
          }
          expect(entry.state === 'exited').toBe(entry.exitReason !== null);
          expect(entry.history).toHaveLength(before.history.length + (accepted ? 1 : 0));
        }
      }),
      { numRuns: 500 },
    );
  });
});
