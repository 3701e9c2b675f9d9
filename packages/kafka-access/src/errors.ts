import { defineError } from '@credit/errors';

export const KafkaAccessInvalid = defineError<[source: string, count: number, problems: string]>(
  'KAFKA_ACCESS_INVALID',
  500,
  'the Kafka access table %s is invalid (%d problem(s)):\n%s',
);
