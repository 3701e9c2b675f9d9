import { InvalidDepartmentCode } from './errors.ts';

/** Same as `ingest.prefix` of infra/topics.json (a unit test keeps them equal). */
export const INGEST_TOPIC_PREFIX = 'credit.ingest.';

const DEPARTMENT_CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The Kafka topic a department reports to: credit.ingest.<department code>. */
export function ingestTopicName(departmentCode: string): string {
  if (!DEPARTMENT_CODE.test(departmentCode)) throw InvalidDepartmentCode(departmentCode);
  return `${INGEST_TOPIC_PREFIX}${departmentCode}`;
}
