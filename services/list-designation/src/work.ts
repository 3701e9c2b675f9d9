import { randomUUID } from 'node:crypto';
import { chinaToday } from '@credit/calendar';
import type { ListTypeRegistry } from '@credit/list-types';
import type pg from 'pg';
import { startOfChinaDay } from './china-time.ts';
import { type EntryRow, STANDING_STATES, toListEntry } from './entry-row.ts';
import { type Actor, apply, type ListEvent, type ListState } from './lifecycle.ts';
import { type ChangeEvent, type ListChange, listChange } from './list-change.ts';
import { addMonths } from './rules/dates.ts';

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'list-designation', role: 'system' });

interface TransitionRow {
  entry_id: string;
  seq: number;
  event: ChangeEvent;
  from_state: ListState | 'none';
  to_state: ListState;
  actor_id: string;
  actor_role: string;
  reason: string;
  at: string;
}

export interface LoadedEntry {
  row: EntryRow;
  /** Transitions recorded so far and the time of the last one. */
  seq: number;
  lastAt: Date | null;
  /** Role of the actor of the last transition: tells a person's withdrawal from the platform's. */
  lastActorRole: string | null;
}

export interface WorkCounts {
  created: number;
  transitions: number;
  exited: number;
}

/**
 * The changes of one transaction over a set of subjects: entries created and moved, their transitions, exit
 * announcements and list-change events, written together by {@link flush}. Every state change goes through the
 * lifecycle's `apply`; nothing here sets a state by hand.
 */
export class ListWork {
  readonly entries = new Map<string, LoadedEntry>();
  private readonly created = new Set<string>();
  private readonly changed = new Set<string>();
  private readonly transitions: TransitionRow[] = [];
  private readonly announcements: {
    entry_id: string;
    subject_code: string;
    list_type: string;
    exit_reason: string;
    text: string;
    at: string;
  }[] = [];
  private readonly events: ListChange[] = [];
  readonly counts: WorkCounts = { created: 0, transitions: 0, exited: 0 };

  constructor(
    private readonly registry: ListTypeRegistry,
    readonly now: Date,
  ) {}

  load(loaded: LoadedEntry): void {
    this.entries.set(loaded.row.id, loaded);
  }

  entriesOf(subjectCode: string): EntryRow[] {
    return this.loadedOf(subjectCode).map((e) => e.row);
  }

  loadedOf(subjectCode: string): LoadedEntry[] {
    return [...this.entries.values()].filter((e) => e.row.subject_code === subjectCode);
  }

  /** A new entry in state `proposed`; the transition `designate` records who proposed it and why. */
  create(
    row: Omit<EntryRow, 'id' | 'state' | 'exit_reason' | 'notice_channel'>,
    actor: Actor,
    reason: string,
  ): EntryRow {
    const entry: EntryRow = {
      ...row,
      id: randomUUID(),
      state: 'proposed',
      exit_reason: null,
      notice_channel: null,
    };
    this.entries.set(entry.id, { row: entry, seq: 0, lastAt: null, lastActorRole: null });
    this.created.add(entry.id);
    this.counts.created += 1;
    this.record(entry.id, 'designate', null, actor, reason);
    return entry;
  }

  /** Applies one lifecycle event (refusals throw the lifecycle's coded errors) and its consequences. */
  apply(entryId: string, event: ListEvent): EntryRow {
    const loaded = this.entries.get(entryId);
    if (loaded === undefined) throw new Error(`entry ${entryId} is not loaded in this unit of work`);
    // Never before the entry's last transition: another replica's clock, or a request that waited for the lock,
    // must not make time run backwards for an entry.
    const clamped =
      loaded.lastAt !== null && event.now < loaded.lastAt ? { ...event, now: loaded.lastAt } : event;
    const { entry } = apply(toListEntry(loaded.row), clamped);
    const from = loaded.row.state;
    loaded.row = {
      ...loaded.row,
      state: entry.state,
      exit_reason: entry.exitReason,
      notice_channel: entry.noticeChannel,
    };
    if (!this.created.has(entryId)) this.changed.add(entryId);
    this.record(entryId, event.type, from, event.actor, event.reason);
    if (entry.state === 'exited') this.exited(loaded.row, event, from);
    return loaded.row;
  }

  /** The designating department corrected its record: the entry takes the new validity and basis. */
  amend(
    entryId: string,
    fields: Pick<EntryRow, 'designated_on' | 'valid_from' | 'valid_until' | 'basis'>,
    actor: Actor,
    reason: string,
  ): void {
    const loaded = this.entries.get(entryId);
    if (loaded === undefined) throw new Error(`entry ${entryId} is not loaded in this unit of work`);
    loaded.row = { ...loaded.row, ...fields };
    const validUntil = fields.valid_until === null ? null : startOfChinaDay(fields.valid_until);
    this.apply(entryId, { type: 'amend', validUntil, actor, now: this.now, reason });
  }

  private record(
    entryId: string,
    event: ChangeEvent,
    from: ListState | null,
    actor: Actor,
    reason: string,
  ): void {
    const loaded = this.entries.get(entryId);
    if (loaded === undefined) return;
    const at = loaded.lastAt !== null && loaded.lastAt > this.now ? loaded.lastAt : this.now;
    loaded.seq += 1;
    loaded.lastAt = at;
    loaded.lastActorRole = actor.role;
    this.counts.transitions += 1;
    this.transitions.push({
      entry_id: entryId,
      seq: loaded.seq,
      event,
      from_state: from ?? 'none',
      to_state: loaded.row.state,
      actor_id: actor.id,
      actor_role: actor.role,
      reason,
      at: at.toISOString(),
    });
    this.events.push(listChange(loaded.row, loaded.seq, { event, from, actor, reason, at }));
  }

  /** 退出公告, and for a black list left other than by error, the watch list the designating body set (§3.4 item 15). */
  private exited(row: EntryRow, event: ListEvent, from: ListState): void {
    this.counts.exited += 1;
    const type = this.registry.get(row.list_type);
    this.announcements.push({
      entry_id: row.id,
      subject_code: row.subject_code,
      list_type: row.list_type,
      exit_reason: row.exit_reason ?? 'unknown',
      text: `${type?.name ?? row.list_type}：主体 ${row.subject_code} 自 ${chinaToday(this.now)} 起移出名单（${row.exit_reason}）。${event.reason}`,
      at: this.now.toISOString(),
    });
    // Only a black entry that stood, and left other than as wrong (误列入), replaced by another listing, or with its
    // basis erased by law (a watch entry would keep the erased person listed on erased data).
    if (row.colour !== 'black' || !STANDING_STATES.includes(from) || type?.afterExit === undefined) return;
    if (row.exit_reason === 'objection-upheld' || row.exit_reason === 'superseded') return;
    if (row.exit_reason === 'erased') return;
    const watch = this.registry.get(type.afterExit.list);
    if (watch === undefined) return;
    const today = chinaToday(this.now);
    const after = this.create(
      {
        subject_code: row.subject_code,
        subject_category: row.subject_category,
        list_type: watch.code,
        colour: watch.colour,
        field: null,
        source: 'after-exit',
        rule_id: 'after-black-exit',
        rules_version: row.rules_version,
        identity: `after-exit:${row.id}`,
        generation: 1,
        designating_department: row.designating_department,
        designated_on: today,
        valid_from: today,
        valid_until: addMonths(today, type.afterExit.months),
        repairable: watch.repair.allowed,
        repairable_from:
          watch.repair.allowed && watch.repair.minimumMonths !== undefined
            ? addMonths(today, watch.repair.minimumMonths)
            : null,
        basis: row.basis,
        basis_entries: [row.id],
        explanation: `退出“${type.name}”后列入重点关注名单 ${type.afterExit.months} 个月 / after leaving ${type.code}, watch-listed for ${type.afterExit.months} months`,
        reached_platform_at: null,
        working_days_to_platform: null,
      },
      SYSTEM_ACTOR,
      `黑名单退出后应立即列入重点关注名单（domain.md §3.4 item 15）; exit of ${row.id}`,
    );
    this.putInForce(
      after.id,
      SYSTEM_ACTOR,
      'mandatory consequence of a black-list exit; validity set by the designating body',
    );
  }

  /**
   * Takes a new entry to `published` on behalf of `actor`: for a department's own designation (the department
   * attests its notice and confirmation) and for the watch entry after a black-list exit. Natural persons are
   * notified first, as the lifecycle demands.
   */
  putInForce(entryId: string, actor: Actor, reason: string): void {
    const loaded = this.entries.get(entryId);
    if (loaded === undefined) return;
    const now = this.now;
    if (loaded.row.subject_category === 'NATURAL_PERSON') {
      this.apply(entryId, { type: 'notify', channel: 'notice', actor, now, reason });
    }
    this.apply(entryId, { type: 'confirm', actor, now, reason });
    // A designation whose validity starts later waits, confirmed, for the sweep to publish it on its first day.
    if (loaded.row.valid_from <= chinaToday(now))
      this.apply(entryId, { type: 'publish', actor, now, reason });
  }

  async flush(client: pg.PoolClient): Promise<void> {
    const createdRows = [...this.created]
      .map((id) => this.entries.get(id)?.row)
      .filter((r) => r !== undefined);
    if (createdRows.length > 0) {
      await client.query(
        `insert into entries (id, subject_code, subject_category, list_type, colour, field, state, exit_reason,
            notice_channel, source, rule_id, rules_version, identity, generation, designating_department, designated_on,
            valid_from, valid_until, repairable, repairable_from, basis, basis_entries, explanation,
            reached_platform_at, working_days_to_platform)
         select id, subject_code, subject_category, list_type, colour, field, state, exit_reason, notice_channel,
            source, rule_id, rules_version, identity, generation, designating_department, designated_on, valid_from,
            valid_until,
            repairable, repairable_from, basis, basis_entries, explanation, reached_platform_at,
            working_days_to_platform
           from jsonb_to_recordset($1::jsonb) as t(id text, subject_code text, subject_category text,
            list_type text, colour text, field text, state text, exit_reason text, notice_channel text, source text,
            rule_id text, rules_version text, identity text, generation integer, designating_department text,
            designated_on date,
            valid_from date, valid_until date, repairable boolean, repairable_from date, basis jsonb,
            basis_entries text[], explanation text, reached_platform_at timestamptz, working_days_to_platform integer)`,
        [JSON.stringify(createdRows)],
      );
    }
    const changedRows = [...this.changed]
      .map((id) => this.entries.get(id)?.row)
      .filter((r) => r !== undefined);
    if (changedRows.length > 0) {
      await client.query(
        `update entries e set state = t.state, exit_reason = t.exit_reason, notice_channel = t.notice_channel,
            designated_on = t.designated_on, valid_from = t.valid_from, valid_until = t.valid_until, basis = t.basis,
            updated_at = now()
           from jsonb_to_recordset($1::jsonb) as t(id text, state text, exit_reason text, notice_channel text,
            designated_on date, valid_from date, valid_until date, basis jsonb)
          where e.id = t.id`,
        [
          JSON.stringify(
            changedRows.map(
              ({
                id,
                state,
                exit_reason,
                notice_channel,
                designated_on,
                valid_from,
                valid_until,
                basis,
              }) => ({
                id,
                state,
                exit_reason,
                notice_channel,
                designated_on,
                valid_from,
                valid_until,
                basis,
              }),
            ),
          ),
        ],
      );
    }
    if (this.transitions.length > 0) {
      await client.query(
        `insert into transitions (entry_id, seq, event, from_state, to_state, actor_id, actor_role, reason, at)
         select * from jsonb_to_recordset($1::jsonb) as t(entry_id text, seq integer, event text, from_state text,
            to_state text, actor_id text, actor_role text, reason text, at timestamptz)`,
        [JSON.stringify(this.transitions)],
      );
    }
    if (this.announcements.length > 0) {
      await client.query(
        `insert into exit_announcements (entry_id, subject_code, list_type, exit_reason, text, at)
         select * from jsonb_to_recordset($1::jsonb) as t(entry_id text, subject_code text, list_type text,
            exit_reason text, text text, at timestamptz)
         on conflict (entry_id) do nothing`,
        [JSON.stringify(this.announcements)],
      );
    }
    if (this.events.length > 0) {
      await client.query(
        `insert into outbox (subject_code, event)
         select e ->> 'subjectCode', e from jsonb_array_elements($1::jsonb) with ordinality as x(e, n) order by n`,
        [JSON.stringify(this.events)],
      );
    }
  }

  get eventCount(): number {
    return this.events.length;
  }
}
