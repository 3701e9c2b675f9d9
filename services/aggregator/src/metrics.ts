import { counter, gauge, histogram, type Registry } from '@credit/kit';

export type AggregatorMetrics = ReturnType<typeof createAggregatorMetrics>;

export function createAggregatorMetrics(registry: Registry) {
  return {
    applied: counter(
      registry,
      'credit_aggregator_records_applied_total',
      'Records written (new or a newer version)',
    ),
    ignored: counter(
      registry,
      'credit_aggregator_records_ignored_total',
      'Records that changed nothing (redelivered, or older than the stored version)',
    ),
    refused: counter(
      registry,
      'credit_aggregator_messages_refused_total',
      'Messages sent to the DLQ and the error table',
      ['department', 'reason'],
    ),
    freshness: histogram(
      registry,
      'credit_aggregator_freshness_seconds',
      'From a record version reportedAt to its commit in the unified database',
      ['department'],
      [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
    ),
    eventsPublished: counter(
      registry,
      'credit_aggregator_subject_changes_published_total',
      'Change events published',
    ),
    topics: gauge(registry, 'credit_aggregator_ingest_topics', 'Department ingest topics subscribed'),
    expired: counter(
      registry,
      'credit_aggregator_records_expired_total',
      'Records whose public disclosure window closed',
    ),
  };
}
