import type { Catalogue, Department } from '@credit/catalogue';
import { makeUscc } from '@credit/identifiers';
import { type RecordKind, type RecordKinds, samples } from '@credit/schemas';

/**
 * Demo data: realistic records for generated enterprises of 福州 (valid USCCs), varied from the schema samples.
 * Deterministic for a given seed, with record ids unique to the run so each start adds records.
 */
const NAMES = ['闽江', '榕城', '鼓山', '三坊', '马尾', '仓山', '晋安', '长乐', '福清', '永泰'];
const TRADES = ['智联科技', '食品贸易', '建筑工程', '物流', '医药连锁', '环保科技', '餐饮管理', '电子商务'];
const DISTRICTS = ['350102', '350103', '350104', '350105', '350111', '350112'];
/** Letters of the USCC charset (no I, O, S, V, Z). */
const LETTERS = 'ABCDEFGHJKLMNPQRTUWXY';

export interface DemoSubject {
  code: string;
  name: string;
}

export function demoSubjects(count: number): DemoSubject[] {
  return Array.from({ length: count }, (_, i) => ({
    code: makeUscc({
      authority: '9',
      entityType: '1',
      division: DISTRICTS[i % DISTRICTS.length]!,
      organisationBody: `M${String(100000 + i * 7919).slice(-6)}${LETTERS[i % LETTERS.length]}`,
    }),
    name: `福州${NAMES[i % NAMES.length]}${TRADES[i % TRADES.length]}有限公司`,
  }));
}

/** A copy of the sample of `kind`, reported by `department` about `subject`, with its own id and dates. */
export function demoRecord<K extends RecordKind>(
  kind: K,
  department: Department,
  catalogue: Catalogue,
  subject: DemoSubject,
  id: string,
  daysAgo: number,
): RecordKinds[K] {
  const record = structuredClone(samples[kind]) as RecordKinds[K];
  const decided = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const item = catalogue.grants(department.code, kind)[0];
  if (!item) throw new Error(`the catalogue does not let ${department.code} report ${kind}`);
  Object.assign(record.envelope, {
    sourceRecordId: id,
    reportingDepartmentCode: department.uscc,
    decisionDate: decided,
    reportedAt: new Date(),
    catalogueItemCode: item.code,
    severity: item.severities.includes(record.envelope.severity)
      ? record.envelope.severity
      : item.severities[0],
  });
  Object.assign(record.envelope.subject, { code: subject.code, name: subject.name, legacyCodes: null });
  const fields = record as unknown as Record<string, unknown>;
  // Every other date of the sample moves with the decision date, so validity periods stay in order.
  const shiftDays = (Date.parse(decided) - Date.parse(samples[kind].envelope.decisionDate)) / 86_400_000;
  for (const [field, value] of Object.entries(fields)) {
    if (field.endsWith('AuthorityCode')) fields[field] = department.uscc;
    else if (typeof value === 'string' && ISO_DATE.test(value)) fields[field] = addDays(value, shiftDays);
  }
  return record;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The catalogue department that reports the schemas' sample of `kind` (its reportingDepartmentCode). */
export function sampleDepartment(catalogue: Catalogue, kind: RecordKind): Department {
  const department = catalogue.departmentByUscc(samples[kind].envelope.reportingDepartmentCode);
  if (!department) throw new Error(`no catalogue department reports the ${kind} sample`);
  return department;
}
