import { INTAKE_CODES } from '../codes.ts';
import { valueAt } from '../plain.ts';
import { type Rejection, rejection } from '../rejection.ts';
import type { Leaf } from '../schema-model.ts';

/** Amounts are never negative. */
export function amountRejections(record: unknown, decimalLeaves: readonly Leaf[]): Rejection[] {
  const rejections: Rejection[] = [];
  for (const { path } of decimalLeaves) {
    const value = valueAt(record, path);
    if (typeof value === 'string' && value.startsWith('-') && /[1-9]/.test(value)) {
      rejections.push(
        rejection(INTAKE_CODES.amountNegative, {
          field: path,
          value,
          rule: 'NOT_NEGATIVE',
          explanation: 'an amount cannot be negative',
        }),
      );
    }
  }
  return rejections;
}

/** A penalty that includes a fine says how much (the schema's doc of fineAmount). */
export function fineRejections(record: {
  penaltyCategories: readonly string[];
  fineAmount: string | null;
}): Rejection[] {
  if (!record.penaltyCategories.includes('FINE') || record.fineAmount !== null) return [];
  return [
    rejection(INTAKE_CODES.fineWithoutAmount, {
      field: 'fineAmount',
      value: null,
      rule: 'FINE_NEEDS_AMOUNT',
      explanation: 'penaltyCategories contains FINE, so the fine amount (万元) is required',
    }),
  ];
}

/** Text a record cannot do without is not blank; fields with checks of their own are left to them. */
export function blankRejections(record: unknown, requiredTextLeaves: readonly Leaf[]): Rejection[] {
  const rejections: Rejection[] = [];
  for (const { path } of requiredTextLeaves) {
    const value = valueAt(record, path);
    if (typeof value === 'string' && value.trim() === '') {
      rejections.push(
        rejection(INTAKE_CODES.emptyField, {
          field: path,
          value,
          rule: 'NOT_BLANK',
          explanation: 'is blank',
        }),
      );
    }
  }
  return rejections;
}
