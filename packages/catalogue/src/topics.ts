import { InvalidDepartmentCode } from './errors.ts';

/** The per-department topics of infra/topics.json (a unit test keeps them equal). */
export const INGEST_TOPIC_PREFIX = 'credit.ingest.';
export const SANCTION_ORDERS_TOPIC_PREFIX = 'credit.sanction-orders.';
export const SANCTION_FEEDBACK_TOPIC_PREFIX = 'credit.sanction-feedback.';

const DEPARTMENT_CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function departmentTopic(prefix: string, departmentCode: string): string {
  if (!DEPARTMENT_CODE.test(departmentCode)) throw InvalidDepartmentCode(departmentCode);
  return `${prefix}${departmentCode}`;
}

/** The Kafka topic a department reports to: credit.ingest.<department code>. */
export function ingestTopicName(departmentCode: string): string {
  return departmentTopic(INGEST_TOPIC_PREFIX, departmentCode);
}
