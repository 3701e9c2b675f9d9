import type { RecordKind } from '@credit/schemas';
import { INTAKE_CODES } from '../codes.ts';
import { isPlainObject } from '../plain.ts';
import { type Rejection, rejection } from '../rejection.ts';
import type { WireRecord } from '../wire.ts';
import { cellValue } from './cells.ts';
import { type CsvDefaults, type CsvMapping, kindColumns } from './columns.ts';

export type RowResult = { ok: true; wire: WireRecord } | { ok: false; rejections: Rejection[] };

const SUBJECT = 'envelope.subject';
/**
 * One CSV row (cells by header) as the wire form of a record of `kind`. Cells are converted by the field's
 * type (labels to symbols, dates to YYYY-MM-DD, empty to null); the schema and business checks come later,
 * in prepareRecord. `defaults` fill the envelope fields the file leaves out or empty.
 */
export function rowToWire(
  kind: RecordKind,
  row: Readonly<Record<string, string>>,
  mapping: CsvMapping,
  defaults: CsvDefaults = {},
): RowResult {
  const record: Record<string, unknown> = {};
  const rejections: Rejection[] = [];
  const subject: { uscc?: string; idType?: string; idNumber?: string } = {};

  mapping.columns.forEach((target, header) => {
    const cell = Object.hasOwn(row, header) ? row[header] : undefined;
    if (cell === undefined) return;
    if ('special' in target) {
      if (target.special !== 'ignored' && cell.trim() !== '') subject[target.special] = cell.trim();
      return;
    }
    const result = cellValue(target.leaf, cell);
    if (result.ok) {
      if (result.value !== undefined) setPath(record, target.path, result.value);
      return;
    }
    rejections.push(
      rejection(INTAKE_CODES.csvValue, {
        field: target.path,
        value: cell,
        rule: result.rule,
        explanation: `column ${header}: ${result.explanation}`,
      }),
    );
  });

  // 统一社会信用代码 keys organisations; a natural person (no USCC) is keyed by 证件类型 + 证件号码.
  if (subject.uscc !== undefined) {
    setMissing(record, `${SUBJECT}.code`, subject.uscc);
    setMissing(record, `${SUBJECT}.codeType`, 'USCC');
  } else if (subject.idNumber !== undefined) {
    setMissing(record, `${SUBJECT}.code`, subject.idNumber);
  }
  if (subject.uscc === undefined && subject.idType !== undefined) {
    const codeType = leafOf(kind, `${SUBJECT}.codeType`);
    const result = codeType ? cellValue(codeType, subject.idType) : undefined;
    if (result?.ok) setMissing(record, `${SUBJECT}.codeType`, result.value);
    else if (result) {
      rejections.push(
        rejection(INTAKE_CODES.csvValue, {
          field: `${SUBJECT}.codeType`,
          value: subject.idType,
          rule: result.rule,
          explanation: `column 证件类型: ${result.explanation}`,
        }),
      );
    }
  }

  if (defaults.catalogueItemCode)
    setMissing(record, 'envelope.catalogueItemCode', defaults.catalogueItemCode);
  if (defaults.reportingDepartmentCode) {
    setMissing(record, 'envelope.reportingDepartmentCode', defaults.reportingDepartmentCode);
  }
  if (defaults.severity) {
    // A default given as a label (严重失信) means its symbol.
    const leaf = leafOf(kind, 'envelope.severity');
    const severity = leaf ? cellValue(leaf, defaults.severity) : undefined;
    setMissing(record, 'envelope.severity', severity?.ok ? severity.value : defaults.severity);
  }
  for (const optional of ['legalRepresentative', 'legacyCodes'])
    collapseEmpty(record, `${SUBJECT}.${optional}`);

  if (rejections.length > 0) return { ok: false, rejections };
  return { ok: true, wire: { kind, record } as WireRecord };
}

function leafOf(kind: RecordKind, path: string) {
  return kindColumns(kind).leaves.find((leaf) => leaf.path === path);
}

// The record is built here from plain objects only, so a property test is enough to walk it.
type Node = Record<string, unknown>;

function setPath(root: Node, path: string, value: unknown): void {
  const keys = pathKeys(path);
  let node = root;
  for (let index = 0; index < keys.length - 1; index += 1) {
    const key = keys[index] ?? '';
    let next = node[key];
    if (typeof next !== 'object' || next === null) {
      next = {};
      node[key] = next;
    }
    node = next as Node;
  }
  node[keys[keys.length - 1] ?? ''] = value;
}

function getPath(root: Node, path: string): unknown {
  let node: unknown = root;
  for (const key of pathKeys(path)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Node)[key];
  }
  return node;
}

const splitPaths = new Map<string, readonly string[]>();

function pathKeys(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (keys === undefined) {
    keys = path.split('.');
    splitPaths.set(path, keys);
  }
  return keys;
}

function setMissing(root: Node, path: string, value: unknown): void {
  const current = getPath(root, path);
  if (current === undefined || current === null) setPath(root, path, value);
}

/** A legal representative or legacy-code group whose cells are all empty is null, not an empty object. */
function collapseEmpty(root: Node, path: string): void {
  const group = getPath(root, path);
  if (isPlainObject(group) && Object.values(group).every((value) => value === null))
    setPath(root, path, null);
}
