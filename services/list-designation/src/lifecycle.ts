import type { ErrorDefinition } from '@credit/errors';
import {
  EntryExited,
  IllegalTransition,
  InvalidEvent,
  NotExpired,
  NoticeRequired,
  NotRepairable,
  RepairTooEarly,
} from './errors.ts';

/**
 * The lifecycle of one red, black or watch list entry (domain §3.4, §6.1, §6.2):
 * 认定 → 告知/公示 → 异议 → 审核/校核/确认 → 发布 → 修复/移出/到期.
 *
 * - `proposed`: 初步认定 by the designating body.
 * - `notified`: 告知 (prior notice, mandatory for natural persons) or 公示 (public display, organisations only).
 * - `objected`: an objection to the preliminary designation is being verified by the designating body.
 * - `confirmed`: 审核/校核/确认 done, not yet published.
 * - `published`: 发布, in force.
 * - `suspended`: in force, but an objection or a doubt on its basis is being verified; sanctions 暂不执行.
 * - `exited`: final, with an {@link ExitReason}.
 */
export type ActiveState = 'proposed' | 'notified' | 'objected' | 'confirmed' | 'published' | 'suspended';
export type ListState = ActiveState | 'exited';

export type ExitReason =
  /** The validity period ended (奖惩有效期届满应自动退出). */
  | 'expired'
  /** Verification found the designation wrong (更正或撤销). */
  | 'objection-upheld'
  /** Early exit after credit repair (修复). */
  | 'repaired'
  /** The designation standard changed and the entry no longer qualifies. */
  | 'standard-changed'
  /** The designating body withdrew the entry. */
  | 'withdrawn-by-designator'
  /** Another listing replaces this one, e.g. a red entry removed because the subject was black- or watch-listed. */
  | 'superseded'
  /** The natural person's data the entry rests on was erased by law (PIPL art. 47; `credit erase-person`). */
  | 'erased';

/** `natural_person` as the aggregator names it; prior notice is mandatory for them. */
export type SubjectCategory = 'natural_person' | 'organisation';

/** 告知 (notice to the subject) or 公示 (public display). */
export type NoticeChannel = 'notice' | 'public-display';

export interface Actor {
  readonly id: string;
  /** Free text for now (designator, reviewer, subject, implementing department, system). */
  readonly role: string;
}

export type EventType =
  | 'notify'
  | 'object'
  | 'resolve-objection'
  | 'confirm'
  | 'publish'
  | 'suspend'
  | 'resume'
  | 'expire'
  | 'repair'
  | 'change-standard'
  | 'withdraw'
  | 'supersede'
  /** The designating department corrected its designation (a new version of its record): new validity. */
  | 'amend'
  /** The records the entry rests on were erased with the natural person's data. */
  | 'erase';

export const EVENT_TYPES: readonly EventType[] = [
  'notify',
  'object',
  'resolve-objection',
  'confirm',
  'publish',
  'suspend',
  'resume',
  'expire',
  'repair',
  'change-standard',
  'withdraw',
  'supersede',
  'amend',
  'erase',
];

interface EventBase {
  readonly actor: Actor;
  /** The injected clock: when the event happens. Time guards (expiry, repair) are judged against it. */
  readonly now: Date;
  readonly reason: string;
}

export type ObjectionOutcome = 'upheld' | 'rejected';

export type ListEvent =
  | (EventBase & { readonly type: 'notify'; readonly channel: NoticeChannel })
  | (EventBase & { readonly type: 'resolve-objection'; readonly outcome: ObjectionOutcome })
  | (EventBase & { readonly type: 'amend'; readonly validUntil: Date | null })
  | (EventBase & { readonly type: Exclude<EventType, 'notify' | 'resolve-objection' | 'amend'> });

export interface Transition {
  readonly from: ListState;
  readonly to: ListState;
  readonly event: EventType;
  readonly actor: Actor;
  readonly at: Date;
  readonly reason: string;
}

export interface ListEntry {
  readonly id: string;
  /** The list type's code, e.g. a blacklist of a given field; repairability below comes from its configuration. */
  readonly listType: string;
  readonly subjectCode: string;
  readonly subjectCategory: SubjectCategory;
  readonly state: ListState;
  /** Set exactly when `state` is `exited`. */
  readonly exitReason: ExitReason | null;
  /** How the subject was told, once notified. */
  readonly noticeChannel: NoticeChannel | null;
  /** End of validity (exclusive): the entry may expire from this instant on; null means no expiry. */
  readonly validUntil: Date | null;
  /** Whether the list type allows credit repair. */
  readonly repairable: boolean;
  /** Earliest instant repair may be granted (the minimum period); null means no minimum. */
  readonly repairableFrom: Date | null;
  readonly history: readonly Transition[];
}

export interface Applied {
  readonly entry: ListEntry;
  readonly transition: Transition;
}

export type NewEntry = Omit<ListEntry, 'state' | 'exitReason' | 'noticeChannel' | 'history'>;

/** A preliminary designation (初步认定): state `proposed`, empty history. */
export function propose(fields: NewEntry): ListEntry {
  return freeze({
    ...fields,
    validUntil: copyDate(fields.validUntil),
    repairableFrom: copyDate(fields.repairableFrom),
    state: 'proposed',
    exitReason: null,
    noticeChannel: null,
    history: Object.freeze([]),
  });
}

export function isFinal(state: ListState): state is 'exited' {
  return state === 'exited';
}

interface Refusal {
  readonly error: ErrorDefinition<[entryId: string, event: string, state: string, why: string]>;
  readonly why: string;
}

interface Rule {
  /** States the event may be applied in. */
  readonly from: readonly ActiveState[];
  /** Further conditions on the entry and the clock; payload checks stay in {@link apply}. */
  readonly guard?: (entry: ListEntry, now: Date) => Refusal | null;
}

const ANY_ACTIVE: readonly ActiveState[] = [
  'proposed',
  'notified',
  'objected',
  'confirmed',
  'published',
  'suspended',
];

/** The one table of legal transitions. Targets are computed in {@link target}. */
const RULES: { readonly [E in EventType]: Rule } = {
  notify: { from: ['proposed'] },
  // Before finalisation only during notice; once in force, an objection suspends the entry.
  object: { from: ['notified', 'published'] },
  'resolve-objection': { from: ['objected', 'suspended'] },
  confirm: {
    from: ['proposed', 'notified'],
    guard: (entry) =>
      entry.state === 'proposed' && entry.subjectCategory === 'natural_person'
        ? { error: NoticeRequired, why: 'a natural person must be given prior notice before confirmation' }
        : null,
  },
  publish: { from: ['confirmed'] },
  // Verification started without a formal objection, e.g. an implementing department doubts the information.
  suspend: { from: ['published'] },
  // Verification found the information right: back in force (继续执行).
  resume: { from: ['suspended'] },
  expire: {
    from: ['confirmed', 'published', 'suspended'],
    guard: (entry, now) => {
      if (entry.validUntil === null) return { error: NotExpired, why: 'the entry has no validity end' };
      if (now.getTime() < entry.validUntil.getTime()) {
        return { error: NotExpired, why: `valid until ${entry.validUntil.toISOString()}` };
      }
      return null;
    },
  },
  repair: {
    from: ['published'],
    guard: (entry, now) => {
      if (!entry.repairable) {
        return { error: NotRepairable, why: `list type ${entry.listType} does not allow repair` };
      }
      if (entry.repairableFrom !== null && now.getTime() < entry.repairableFrom.getTime()) {
        return {
          error: RepairTooEarly,
          why: `the minimum period ends at ${entry.repairableFrom.toISOString()}`,
        };
      }
      return null;
    },
  },
  'change-standard': { from: ANY_ACTIVE },
  withdraw: { from: ANY_ACTIVE },
  supersede: { from: ANY_ACTIVE },
  amend: { from: ANY_ACTIVE },
  erase: { from: ANY_ACTIVE },
};

function refusal(entry: ListEntry, type: EventType, now: Date): Refusal | null {
  if (isFinal(entry.state)) {
    return { error: EntryExited, why: `the entry exited (${entry.exitReason ?? 'unknown'}) and is final` };
  }
  const rule = RULES[type];
  if (!rule.from.includes(entry.state)) {
    return { error: IllegalTransition, why: `${type} is allowed only in ${rule.from.join(', ')}` };
  }
  return rule.guard?.(entry, now) ?? null;
}

/** The event types {@link apply} would accept at `now`, in {@link EVENT_TYPES} order; payload checks aside. */
export function allowedEvents(entry: ListEntry, now: Date): EventType[] {
  return EVENT_TYPES.filter((type) => refusal(entry, type, now) === null);
}

const EXITS: { readonly [E in EventType]?: ExitReason } = {
  expire: 'expired',
  repair: 'repaired',
  'change-standard': 'standard-changed',
  withdraw: 'withdrawn-by-designator',
  supersede: 'superseded',
  erase: 'erased',
};

function target(entry: ListEntry, event: ListEvent): { state: ListState; exitReason: ExitReason | null } {
  const exit = EXITS[event.type];
  if (exit !== undefined) return { state: 'exited', exitReason: exit };
  switch (event.type) {
    case 'notify':
      return { state: 'notified', exitReason: null };
    case 'object':
      return { state: entry.state === 'published' ? 'suspended' : 'objected', exitReason: null };
    case 'resolve-objection':
      if (event.outcome === 'upheld') return { state: 'exited', exitReason: 'objection-upheld' };
      return { state: entry.state === 'suspended' ? 'published' : 'notified', exitReason: null };
    case 'confirm':
      return { state: 'confirmed', exitReason: null };
    case 'amend':
      return { state: entry.state, exitReason: null };
    case 'publish':
    case 'resume':
      return { state: 'published', exitReason: null };
    case 'suspend':
      return { state: 'suspended', exitReason: null };
    default:
      throw new Error(`no target for ${event.type}`);
  }
}

function invalid(entry: ListEntry, event: ListEvent): string | null {
  if (!(event.now instanceof Date) || Number.isNaN(event.now.getTime())) return 'now is not a valid date';
  if (event.actor.id.trim() === '' || event.actor.role.trim() === '')
    return 'the actor needs an id and a role';
  if (event.reason.trim() === '') return 'a reason is required';
  const last = entry.history.at(-1);
  if (last !== undefined && event.now.getTime() < last.at.getTime()) {
    return `now is before the last transition at ${last.at.toISOString()}`;
  }
  if (
    event.type === 'notify' &&
    event.channel === 'public-display' &&
    entry.subjectCategory === 'natural_person'
  ) {
    return 'a natural person must be given notice, not public display';
  }
  return null;
}

/**
 * Applies one event and returns a new, frozen entry with the transition appended to its history. The entry passed
 * in is left as it was. Refusals throw a coded error naming the state, the event and why.
 */
export function apply(entry: ListEntry, event: ListEvent): Applied {
  const bad = invalid(entry, event);
  if (bad !== null) {
    throw InvalidEvent.with(
      { entryId: entry.id, state: entry.state, event: event.type, why: bad },
      undefined,
      entry.id,
      event.type,
      entry.state,
      bad,
    );
  }
  const refused = refusal(entry, event.type, event.now);
  if (refused !== null) {
    throw refused.error.with(
      { entryId: entry.id, state: entry.state, event: event.type, why: refused.why },
      undefined,
      entry.id,
      event.type,
      entry.state,
      refused.why,
    );
  }
  const { state, exitReason } = target(entry, event);
  const transition: Transition = Object.freeze({
    from: entry.state,
    to: state,
    event: event.type,
    actor: Object.freeze({ id: event.actor.id, role: event.actor.role }),
    at: new Date(event.now.getTime()),
    reason: event.reason,
  });
  const next = freeze({
    ...entry,
    state,
    exitReason,
    noticeChannel: event.type === 'notify' ? event.channel : entry.noticeChannel,
    validUntil: event.type === 'amend' ? copyDate(event.validUntil) : entry.validUntil,
    history: Object.freeze([...entry.history, transition]),
  });
  return { entry: next, transition };
}

function copyDate(date: Date | null): Date | null {
  return date === null ? null : new Date(date.getTime());
}

function freeze(entry: ListEntry): ListEntry {
  return Object.freeze(entry);
}
