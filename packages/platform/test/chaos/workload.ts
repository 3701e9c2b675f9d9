import type { Catalogue, Department } from '@credit/catalogue';
import { makeResidentId } from '@credit/identifiers';
import { toWire } from '@credit/intake';
import { demoRecord, demoSubjects } from '@credit/sample-data';
import type { RecordKinds } from '@credit/schemas';

/**
 * What the chaos run sends, and what the unified database must hold afterwards, written down from the input alone
 * (and the catalogue's disclosure windows, which are data), never from the services' code.
 *   - market regulation reports penalties over HTTPS: one per organisation (so no list rule fires), every 4th
 *     corrected (v2), every 12th then revoked (v3, in phase 2), every 25th with a bad code the gateway must refuse;
 *   - the intermediate court reports dishonest judgment debtors straight to Kafka with the SDK (organisations and
 *     natural persons, identity numbers sealed); every 5th is revoked in phase 2, once its list entry is in force;
 *   - garbage messages on the court's topic, which the aggregator must dead-letter.
 */
export interface ChaosWorkload {
  /** Phase 1 and phase 2 batches for the gateway (wire JSON). */
  http: { phase1: unknown[][]; phase2: unknown[][] };
  /** Records the gateway must refuse (bad subject codes), by source record id. */
  refusedAtEdge: Set<string>;
  court: { phase1: CourtRecord[]; phase2: CourtRecord[] };
  poison: Buffer[];
  /** `<department>/<sourceRecordId>` → the final version and status. */
  records: Map<string, { version: number; status: 'active' | 'corrected' | 'revoked' | 'expired' }>;
  /** Debtor designations: source record id → the subject's category and whether it ends revoked. */
  debtors: Map<
    string,
    { category: 'LEGAL_ENTITY' | 'NATURAL_PERSON'; revoked: boolean; subjectCode: string }
  >;
  /** Organisations with records, by code (the public feed must show each). */
  organisations: Set<string>;
  /**
   * `<department>/<sourceRecordId>` of records answered 503 while the broker was down: a produce abandoned at the
   * gateway's bound may still land later, so they may or may not be stored (a client would send them again).
   */
  unanswered: Set<string>;
}

export type CourtRecord = {
  kind: 'dishonest-judgment-debtor';
  record: RecordKinds['dishonest-judgment-debtor'];
};

export function buildWorkload(
  catalogue: Catalogue,
  sizes: { penalties: number; debtors: number; batch: number },
  run: string,
): ChaosWorkload {
  const market = catalogue.department('market-regulation')!;
  const court = catalogue.department('intermediate-court')!;
  const subjects = demoSubjects(sizes.penalties + sizes.debtors);
  const today = new Date().toISOString().slice(0, 10);
  const records: ChaosWorkload['records'] = new Map();
  const debtors: ChaosWorkload['debtors'] = new Map();
  const organisations = new Set<string>();
  const refusedAtEdge = new Set<string>();
  const phase1: unknown[] = [];
  const phase2: unknown[] = [];

  for (let i = 0; i < sizes.penalties; i += 1) {
    const subject = subjects[i]!;
    const id = `CHAOS-${run}-CF-${i}`;
    const record = demoRecord('administrative-penalty', market, catalogue, subject, id, 2 + (i % 200));
    generalSeverity(record, catalogue, market);
    if (i % 25 === 24) {
      // A code whose check character is wrong: refused at the edge, never stored.
      record.envelope.subject.code = `${subject.code.slice(0, 17)}${subject.code[17] === '0' ? '1' : '0'}`;
      refusedAtEdge.add(id);
      phase1.push(toWire('administrative-penalty', record));
      continue;
    }
    organisations.add(subject.code);
    phase1.push(toWire('administrative-penalty', record));
    const window = catalogue.disclosureWindow(
      'administrative-penalty',
      record.envelope.severity,
      record.envelope.decisionDate,
    );
    const closed = window.public && window.until !== null && window.until < today;
    let final: { version: number; status: 'active' | 'corrected' | 'revoked' | 'expired' } = {
      version: 1,
      status: closed ? 'expired' : 'active',
    };
    if (i % 4 === 0) {
      const corrected = structuredClone(record);
      Object.assign(corrected.envelope, { version: 2, changeReason: '更正', reportedAt: new Date() });
      phase1.push(toWire('administrative-penalty', corrected));
      final = { version: 2, status: closed ? 'expired' : 'corrected' };
      if (i % 12 === 0) {
        const revoked = structuredClone(record);
        Object.assign(revoked.envelope, {
          version: 3,
          operation: 'REVOKE',
          changeReason: '撤销',
          reportedAt: new Date(),
        });
        phase2.push(toWire('administrative-penalty', revoked));
        final = { version: 3, status: 'revoked' };
      }
    }
    records.set(`${market.code}/${id}`, final);
  }

  const courtPhase1: CourtRecord[] = [];
  const courtPhase2: CourtRecord[] = [];
  for (let j = 0; j < sizes.debtors; j += 1) {
    const subject = subjects[sizes.penalties + j]!;
    const id = `CHAOS-${run}-SX-${j}`;
    const record = demoRecord('dishonest-judgment-debtor', court, catalogue, subject, id, 3 + (j % 20));
    const person = j % 3 === 2;
    if (person) {
      Object.assign(record.envelope.subject, {
        category: 'NATURAL_PERSON',
        codeType: 'RESIDENT_IDENTITY_CARD',
        code: makeResidentId({
          division: '350102',
          birthDate: `19${60 + (j % 40)}-0${1 + (j % 9)}-1${j % 10}`,
          sequence: 100 + (j % 800),
        }),
        name: ['陈明', '林秀英', '黄建国', '张伟', '王芳'][j % 5],
        lei: null,
        legalRepresentative: null,
        legacyCodes: null,
      });
    } else organisations.add(subject.code);
    courtPhase1.push({ kind: 'dishonest-judgment-debtor', record });
    const revoked = j % 5 === 4;
    if (revoked) {
      const revocation = structuredClone(record);
      Object.assign(revocation.envelope, {
        version: 2,
        operation: 'REVOKE',
        changeReason: '撤销',
        reportedAt: new Date(),
      });
      courtPhase2.push({ kind: 'dishonest-judgment-debtor', record: revocation });
    }
    records.set(`${court.code}/${id}`, { version: revoked ? 2 : 1, status: revoked ? 'revoked' : 'active' });
    debtors.set(id, {
      category: person ? 'NATURAL_PERSON' : 'LEGAL_ENTITY',
      revoked,
      subjectCode: record.envelope.subject.code,
    });
  }

  const poison = Array.from({ length: Math.max(1, Math.floor(sizes.debtors / 20)) }, (_, n) =>
    Buffer.from(`chaos-poison-${run}-${n} \u0000\u00ff not an Avro record`),
  );
  return {
    http: { phase1: chunk(phase1, sizes.batch), phase2: chunk(phase2, sizes.batch) },
    refusedAtEdge,
    court: { phase1: courtPhase1, phase2: courtPhase2 },
    poison,
    records,
    debtors,
    organisations,
    unanswered: new Set(),
  };
}

/** A general breach (一般失信): a serious one in a key field would put the organisation on a watch list. */
function generalSeverity(
  record: RecordKinds['administrative-penalty'],
  catalogue: Catalogue,
  department: Department,
): void {
  const item = catalogue.grants(department.code, 'administrative-penalty')[0]!;
  if (item.severities.includes('GENERAL_DISHONESTY')) record.envelope.severity = 'GENERAL_DISHONESTY';
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
