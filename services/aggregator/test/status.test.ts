import { describe, expect, it } from 'vitest';
import type { RecordRow } from '../src/normalise.ts';
import { statusOf } from '../src/upsert.ts';

const TODAY = '2025-06-15';

function row(fields: Partial<RecordRow> = {}): RecordRow {
  return {
    department: 'market-regulation',
    sourceRecordId: 'CF-2025-000001',
    version: 1,
    subjectCode: '91350100M000100Y43',
    kind: 'administrative-penalty',
    schemaVersion: 1,
    catalogueItemCode: '350100-XZCF-0007',
    severity: 'GENERAL_DISHONESTY',
    operation: 'UPSERT',
    decisionDate: '2025-01-10',
    reportedAt: new Date('2025-01-11T08:00:00Z'),
    disclosurePublic: true,
    disclosureFrom: '2025-01-10',
    disclosureUntil: '2026-01-10',
    changeReason: null,
    payload: {},
    topic: 'credit.ingest.market-regulation',
    partition: 0,
    offset: '0',
    ...fields,
  };
}

/** A public window that closed the day before TODAY. */
const CLOSED = { disclosurePublic: true, disclosureFrom: '2023-06-14', disclosureUntil: '2025-06-14' };

describe('statusOf', () => {
  it('makes the first version of a record active', () => {
    expect(statusOf(row(), undefined, TODAY)).toBe('active');
  });

  it('makes a revoke revoked, whatever its version or stored state', () => {
    expect(statusOf(row({ operation: 'REVOKE', changeReason: '撤销' }), undefined, TODAY)).toBe('revoked');
    expect(
      statusOf(row({ operation: 'REVOKE', version: 3 }), { version: 2, status: 'corrected' }, TODAY),
    ).toBe('revoked');
  });

  it('makes a revoke revoked even when its public window has closed', () => {
    expect(statusOf(row({ operation: 'REVOKE', ...CLOSED }), undefined, TODAY)).toBe('revoked');
  });

  it('makes a version above 1 corrected, even when no earlier version was stored', () => {
    expect(statusOf(row({ version: 2 }), undefined, TODAY)).toBe('corrected');
  });

  it('makes a record that replaces a stored version corrected', () => {
    expect(statusOf(row({ version: 2 }), { version: 1, status: 'active' }, TODAY)).toBe('corrected');
  });

  it('makes a correction of a revoked record corrected again', () => {
    expect(statusOf(row({ version: 3 }), { version: 2, status: 'revoked' }, TODAY)).toBe('corrected');
  });

  it('makes a public record whose window ended before today expired', () => {
    expect(statusOf(row(CLOSED), undefined, TODAY)).toBe('expired');
  });

  it('makes a correction whose public window has closed expired rather than corrected', () => {
    expect(statusOf(row({ version: 2, ...CLOSED }), { version: 1, status: 'active' }, TODAY)).toBe('expired');
  });

  it('keeps a public record active on the last day of its window', () => {
    expect(statusOf(row({ disclosureUntil: TODAY }), undefined, TODAY)).toBe('active');
  });

  it('does not expire a record that was never public (window from == until, in the past)', () => {
    const hidden = row({
      severity: 'BASIC',
      disclosurePublic: false,
      disclosureFrom: '2024-01-10',
      disclosureUntil: '2024-01-10',
    });
    expect(statusOf(hidden, undefined, TODAY)).toBe('active');
    expect(statusOf({ ...hidden, version: 2 }, { version: 1, status: 'active' }, TODAY)).toBe('corrected');
  });

  it('never expires a public record with an open-ended window', () => {
    const open = row({ disclosureFrom: '1990-01-01', disclosureUntil: null });
    expect(statusOf(open, undefined, TODAY)).toBe('active');
    expect(statusOf(open, undefined, '2999-12-31')).toBe('active');
  });
});
