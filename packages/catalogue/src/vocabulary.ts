import type { RecordKind, Severity } from '@credit/schemas';

/** Every record kind of @credit/schemas; the checks below fail to compile when a kind is added there. */
export const RECORD_KINDS = [
  'administrative-licence',
  'administrative-penalty',
  'dishonest-judgment-debtor',
  'credit-grade',
  'honour',
  'credit-commitment',
  'list-designation',
] as const satisfies readonly RecordKind[];

export const SEVERITIES = [
  'BASIC',
  'POSITIVE',
  'GENERAL_DISHONESTY',
  'SERIOUS_DISHONESTY',
] as const satisfies readonly Severity[];

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
const allKindsListed: Missing<RecordKind, (typeof RECORD_KINDS)[number]> = true;
const allSeveritiesListed: Missing<Severity, (typeof SEVERITIES)[number]> = true;
void allKindsListed;
void allSeveritiesListed;

export function isRecordKind(value: string): value is RecordKind {
  return (RECORD_KINDS as readonly string[]).includes(value);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
