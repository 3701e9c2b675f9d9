import { inTransaction } from '@credit/db';
import type pg from 'pg';
import type { ApiClient, Role } from './api-clients.ts';
import { EntryNotFound, Forbidden, InvalidEvent } from './errors.ts';
import { readEntries } from './facts.ts';
import type { EventType, ListEvent, NoticeChannel, ObjectionOutcome } from './lifecycle.ts';
import { lockSubjects, type ReconcileContext, reconcileSubjects } from './reconcile.ts';
import { ListWork } from './work.ts';

/** Who may ask for each event through the API; expire, supersede, amend and erase are the platform's own. */
export const EVENT_ROLES: { readonly [E in EventType]: readonly Role[] } = {
  notify: ['designator'],
  object: ['objection-desk'],
  'resolve-objection': ['designator'],
  confirm: ['reviewer'],
  publish: ['reviewer'],
  suspend: ['designator', 'reviewer'],
  resume: ['designator'],
  repair: ['designator'],
  withdraw: ['designator'],
  'change-standard': ['reviewer'],
  expire: [],
  supersede: [],
  amend: [],
  erase: [],
};

export interface EventRequest {
  type: EventType;
  reason: string;
  channel?: NoticeChannel;
  outcome?: ObjectionOutcome;
}

/** The role the client acts in for this event on this entry, or a 403 saying why not. */
function actingRole(client: ApiClient, request: EventRequest, designatingDepartment: string): Role {
  const allowed = EVENT_ROLES[request.type];
  if (allowed.length === 0) {
    throw Forbidden(client.actor, request.type, 'only the platform applies this event');
  }
  for (const role of allowed) {
    if (!client.roles.includes(role)) continue;
    if (role === 'designator' && client.department !== designatingDepartment) continue;
    return role;
  }
  const ownDepartment = allowed.includes('designator') && client.roles.includes('designator');
  throw Forbidden(
    client.actor,
    request.type,
    ownDepartment
      ? `the entry was designated by ${designatingDepartment}, not ${client.department ?? 'your department'}`
      : `needs one of the roles ${allowed.join(', ')}`,
  );
}

function toListEvent(
  request: EventRequest,
  actor: { id: string; role: string },
  now: Date,
  entryId: string,
  state: string,
): ListEvent {
  const base = { actor, now, reason: request.reason };
  if (request.type === 'notify') {
    if (request.channel === undefined)
      throw InvalidEvent(entryId, 'notify', state, 'channel (notice or public-display) is required');
    return { ...base, type: 'notify', channel: request.channel };
  }
  if (request.type === 'amend') {
    // Unreachable through the API (EVENT_ROLES.amend is empty): amendments come from corrected records.
    throw InvalidEvent(entryId, 'amend', state, 'only a corrected designation record amends an entry');
  }
  if (request.type === 'resolve-objection') {
    if (request.outcome === undefined)
      throw InvalidEvent(entryId, 'resolve-objection', state, 'outcome (upheld or rejected) is required');
    return { ...base, type: 'resolve-objection', outcome: request.outcome };
  }
  return { ...base, type: request.type };
}

/**
 * Applies one reviewer/designator event to an entry and lets the subject's lists follow (a confirmed black entry
 * removes a red one; an upheld objection ends the entry), all in one transaction with the list-change events.
 */
export async function applyEntryEvent(
  pool: pg.Pool,
  entryId: string,
  request: EventRequest,
  client: ApiClient,
  context: ReconcileContext,
  clock: () => Date,
): Promise<string> {
  return inTransaction(pool, async (db) => {
    const found = await db.query<{ subject_code: string }>('select subject_code from entries where id = $1', [
      entryId,
    ]);
    const subjectCode = found.rows[0]?.subject_code;
    if (subjectCode === undefined) throw EntryNotFound(entryId);
    await lockSubjects(db, [subjectCode]);
    // Read after the lock: every transition before this one is in.
    const now = clock();
    const work = new ListWork(context.registry, now);
    for (const loaded of await readEntries(db, [subjectCode])) work.load(loaded);
    const entry = work.entries.get(entryId);
    if (entry === undefined) throw EntryNotFound(entryId);
    const role = actingRole(client, request, entry.row.designating_department);
    work.apply(entryId, toListEvent(request, { id: client.actor, role }, now, entryId, entry.row.state));
    await reconcileSubjects(db, [subjectCode], context, now, work);
    return subjectCode;
  });
}
