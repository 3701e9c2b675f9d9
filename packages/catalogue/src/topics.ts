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

/** Where the sanctions service sends one implementing department its orders; only that department reads it. */
export function sanctionOrdersTopicName(departmentCode: string): string {
  return departmentTopic(SANCTION_ORDERS_TOPIC_PREFIX, departmentCode);
}

/** Where one department answers its orders over Kafka; only that department writes it. */
export function sanctionFeedbackTopicName(departmentCode: string): string {
  return departmentTopic(SANCTION_FEEDBACK_TOPIC_PREFIX, departmentCode);
}
