import type { RecordKind } from '@credit/schemas';
import { INTAKE_CODES } from '../codes.ts';
import { valueAt } from '../plain.ts';
import { type Rejection, rejection } from '../rejection.ts';
import type { Leaf } from '../schema-model.ts';

/** The founding of the People's Republic: no decision of a current authority is older. */
export const EARLIEST_DATE = '1949-10-01';

/** Dates of things that have already happened when they are reported. */
export const PAST_DATES: readonly string[] = ['envelope.decisionDate', 'filingDate'];

/** Pairs of dates (paths in the record) where the first may not be after the second; null skips the pair. */
export const DATE_ORDER: {
  readonly [K in RecordKind]: readonly (readonly [earlier: string, later: string])[];
} = {
  'administrative-licence': [['validFrom', 'validTo']],
  'administrative-penalty': [
    ['envelope.decisionDate', 'publicationDeadline'],
    ['envelope.decisionDate', 'penaltyValidUntil'],
  ],
  'credit-commitment': [['validFrom', 'validTo']],
  'credit-grade': [['validFrom', 'validTo']],
  'dishonest-judgment-debtor': [['filingDate', 'envelope.decisionDate']],
  honour: [['validFrom', 'validTo']],
  'list-designation': [['validFrom', 'validTo']],
};

/** Every date after 1949-10-01, past events not after today in China, and each kind's date pairs in order. */
export function dateRejections(
  kind: RecordKind,
  record: unknown,
  dateLeaves: readonly Leaf[],
  today: string,
): Rejection[] {
  const rejections: Rejection[] = [];
  for (const { path } of dateLeaves) {
    const value = valueAt(record, path);
    if (typeof value !== 'string') continue;
    if (value < EARLIEST_DATE) {
      rejections.push(
        rejection(INTAKE_CODES.dateOutOfRange, {
          field: path,
          value,
          rule: 'NOT_BEFORE_1949_10_01',
          explanation: `is before ${EARLIEST_DATE}`,
        }),
      );
    } else if (PAST_DATES.includes(path) && value > today) {
      rejections.push(
        rejection(INTAKE_CODES.dateOutOfRange, {
          field: path,
          value,
          rule: 'NOT_IN_FUTURE',
          explanation: `is in the future (today in China is ${today})`,
        }),
      );
    }
  }
  for (const [earlier, later] of DATE_ORDER[kind]) {
    const from = valueAt(record, earlier);
    const to = valueAt(record, later);
    if (typeof from === 'string' && typeof to === 'string' && from > to) {
      rejections.push(
        rejection(INTAKE_CODES.dateOrder, {
          field: later,
          value: to,
          rule: `${earlier} <= ${later}`,
          explanation: `is before ${earlier} ${from}`,
        }),
      );
    }
  }
  return rejections;
}
