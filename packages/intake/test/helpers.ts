import { type RecordKind, samples } from '@credit/schemas';
import { type PrepareResult, prepareRecord, type Rejection, toWire } from '../src/index.ts';
import { departmentFor, fixtureCatalogue } from './fixtures/catalogue.ts';

/** "Today" of the tests: after every sample's dates, before their validity ends. */
export const NOW = new Date('2025-06-01T04:00:00Z');

export const catalogue = fixtureCatalogue();

export const KINDS = Object.keys(samples) as RecordKind[];

/** Loosely typed view of a wire record, for tests that break it on purpose. */
export type LooseRecord = Record<string, unknown> & {
  envelope: Record<string, unknown> & {
    subject: Record<string, unknown> & {
      legalRepresentative: Record<string, unknown> | null;
      legacyCodes: Record<string, unknown> | null;
    };
  };
};

/** The wire form of a kind's sample, changed by `edit`. */
export function wire(kind: RecordKind, edit: (record: LooseRecord) => void = () => {}) {
  const form = toWire(kind, samples[kind]) as unknown as { kind: RecordKind; record: LooseRecord };
  edit(form.record);
  return form;
}

export function contextFor(kind: RecordKind, now = NOW) {
  return { department: departmentFor(kind), catalogue, now };
}

/** prepareRecord on a kind's sample changed by `edit`, as the sample's department. */
export function prepare(kind: RecordKind, edit: (record: LooseRecord) => void = () => {}): PrepareResult {
  return prepareRecord(wire(kind, edit), contextFor(kind));
}

export function rejectionsOf(result: PrepareResult): Rejection[] {
  return result.ok ? [] : result.rejections;
}

export function codesOf(result: PrepareResult): string[] {
  return rejectionsOf(result).map((rejection) => rejection.code);
}
