import { counter, gauge, histogram, type Registry } from '@credit/kit';

export type ListMetrics = ReturnType<typeof createListMetrics>;

export function createListMetrics(registry: Registry) {
  return {
    subjectsEvaluated: counter(
      registry,
      'credit_lists_subjects_evaluated_total',
      'Subjects whose lists were re-evaluated',
      ['trigger'],
    ),
    entriesCreated: counter(registry, 'credit_lists_entries_created_total', 'List entries created'),
    transitions: counter(registry, 'credit_lists_transitions_total', 'Lifecycle transitions recorded'),
    exits: counter(registry, 'credit_lists_exits_total', 'Entries that left their list'),
    refused: counter(
      registry,
      'credit_lists_messages_refused_total',
      'Subject-change messages sent to the DLQ',
      ['reason'],
    ),
    evaluationSeconds: histogram(
      registry,
      'credit_lists_evaluation_seconds',
      'One transaction of re-evaluation (a batch of subjects, including its writes)',
      ['trigger'],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
    designationWorkingDays: histogram(
      registry,
      'credit_lists_designation_working_days',
      "Working days from a department's designation date to its arrival on the platform (7 allowed)",
      ['department'],
      [1, 2, 3, 5, 7, 10, 15, 30, 60],
    ),
    designationsUnmeasured: counter(
      registry,
      'credit_lists_designations_unmeasured_total',
      'Department designations whose working days the holiday calendar could not count (year not covered)',
      ['department'],
    ),
    changesPublished: counter(
      registry,
      'credit_lists_changes_published_total',
      'List-change events published',
    ),
    backfillSubjects: gauge(
      registry,
      'credit_lists_backfill_subjects_done',
      'Subjects done by the current backfill',
    ),
  };
}
