import { normaliseText } from '@credit/identifiers';
import type { RecordKind } from '@credit/schemas';
import { type Contracts, contracts } from '../contracts.ts';
import { type Leaf, leavesOf } from '../schema-model.ts';

/**
 * Which field a CSV column fills. Besides field paths, three columns of the 双公示 template fill the
 * subject's code together (统一社会信用代码 for organisations, else 证件类型 + 证件号码 for natural persons),
 * and a few carry nothing the record keeps (数据来源单位: the name follows from the department).
 */
export type ColumnTarget =
  | { path: string; leaf: Leaf }
  | { special: 'uscc' | 'idType' | 'idNumber' | 'ignored' };

export interface Column {
  /** The header as the file has it. */
  header: string;
  target: ColumnTarget;
}

/** Headers of a kind: by normalised header (see headerKey), what the column fills. */
export interface KindColumns {
  kind: RecordKind;
  byHeader: ReadonlyMap<string, ColumnTarget>;
  leaves: readonly Leaf[];
}

/** Columns every kind accepts beyond its fields' own paths and doc names. */
const COMMON_HEADERS: Readonly<
  Record<string, string | { special: 'uscc' | 'idType' | 'idNumber' | 'ignored' }>
> = {
  统一社会信用代码: { special: 'uscc' },
  证件类型: { special: 'idType' },
  证件号码: { special: 'idNumber' },
  数据来源单位: { special: 'ignored' },
  序号: { special: 'ignored' },
  数据来源单位统一社会信用代码: 'envelope.reportingDepartmentCode',
  // Platform columns the national template does not have.
  记录编号: 'envelope.sourceRecordId',
  版本: 'envelope.version',
  操作: 'envelope.operation',
  目录项编码: 'envelope.catalogueItemCode',
  严重程度: 'envelope.severity',
  变更原因: 'envelope.changeReason',
};

/** What each kind's template calls its decision date (the schema's record docs). */
const DECISION_DATE_HEADERS: Readonly<Record<RecordKind, string>> = {
  'administrative-licence': '许可决定日期',
  'administrative-penalty': '处罚决定日期',
  'credit-commitment': '承诺日期',
  'credit-grade': '评定日期',
  'dishonest-judgment-debtor': '发布时间',
  honour: '授予日期',
  'list-designation': '认定日期',
};

/** Headers are compared trimmed, without spaces, full-width brackets and letters as half-width, any case. */
export function headerKey(header: string): string {
  return normaliseText(header.replace(/^\uFEFF/, ''))
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** The Chinese name a field's doc starts with ("罚款金额（万元）/ Fine amount ..."). */
export function chineseName(doc: string | undefined): string | undefined {
  const slash = doc?.indexOf('/') ?? -1;
  if (doc === undefined || slash <= 0) return undefined;
  const name = doc.slice(0, slash).trim();
  return /\p{Script=Han}/u.test(name) ? name : undefined;
}

const cache = new WeakMap<Contracts, Map<RecordKind, KindColumns>>();

/**
 * Every header a kind accepts: each field's dotted path (`envelope.subject.code`), an envelope field's own
 * name (`sourceRecordId`), the Chinese name its schema doc gives (the 双公示 headers for licences and
 * penalties), the template's decision-date header, and COMMON_HEADERS.
 */
export function kindColumns(kind: RecordKind, schemas: Contracts = contracts()): KindColumns {
  let perKind = cache.get(schemas);
  if (perKind === undefined) {
    perKind = new Map();
    cache.set(schemas, perKind);
  }
  const cached = perKind.get(kind);
  if (cached) return cached;

  const leaves = leavesOf(schemas.model(kind));
  const byPath = new Map(leaves.map((leaf) => [leaf.path, leaf]));
  const byHeader = new Map<string, ColumnTarget>();
  const add = (header: string, target: ColumnTarget) => {
    const key = headerKey(header);
    const existing = byHeader.get(key);
    if (existing !== undefined && !sameTarget(existing, target)) {
      throw new Error(`header ${header} of ${kind} would fill two different fields`);
    }
    byHeader.set(key, target);
  };
  const fieldTarget = (path: string): ColumnTarget => {
    const leaf = byPath.get(path);
    if (leaf === undefined) throw new Error(`${kind} has no field ${path}`);
    return { path, leaf };
  };

  for (const leaf of leaves) {
    const target = { path: leaf.path, leaf };
    add(leaf.path, target);
    if (leaf.path.startsWith('envelope.') && leaf.path.split('.').length === 2) add(leaf.field.name, target);
    const name = chineseName(leaf.field.doc);
    if (name !== undefined) add(name, target);
  }
  add(DECISION_DATE_HEADERS[kind], fieldTarget('envelope.decisionDate'));
  for (const [header, target] of Object.entries(COMMON_HEADERS)) {
    add(header, typeof target === 'string' ? fieldTarget(target) : target);
  }
  const columns = { kind, byHeader, leaves };
  perKind.set(kind, columns);
  return columns;
}

function sameTarget(a: ColumnTarget, b: ColumnTarget): boolean {
  if ('path' in a && 'path' in b) return a.path === b.path;
  return 'special' in a && 'special' in b && a.special === b.special;
}

/** What the columns of a file fill; a header names one target, and a target is filled by one column. */
export interface CsvMapping {
  kind: RecordKind;
  /** By header as the file has it; unknown and repeated headers are not in it. */
  columns: ReadonlyMap<string, ColumnTarget>;
}

export interface CsvDefaults {
  catalogueItemCode?: string;
  severity?: string;
  reportingDepartmentCode?: string;
}

export interface MappingResult {
  mapping: CsvMapping;
  /** Headers that fill no field of the kind. */
  unknownHeaders: string[];
  /** Headers that repeat a field another column already fills; the first column wins. */
  duplicateHeaders: string[];
  /** Required fields no column (nor default) fills, as dotted paths with their Chinese names. */
  missingRequired: string[];
}

// Filled by the intake when absent: version 1, operation UPSERT, reportedAt the receipt time.
const WIRE_DEFAULTS = new Set(['envelope.version', 'envelope.operation', 'envelope.reportedAt']);

export function mappingFor(
  kind: RecordKind,
  headers: readonly string[],
  defaults: CsvDefaults = {},
  schemas?: Contracts,
): MappingResult {
  const known = kindColumns(kind, schemas);
  const columns = new Map<string, ColumnTarget>();
  const filled = new Set<string>();
  const unknownHeaders: string[] = [];
  const duplicateHeaders: string[] = [];
  for (const header of headers) {
    const target = known.byHeader.get(headerKey(header));
    if (target === undefined) {
      if (headerKey(header) !== '') unknownHeaders.push(header);
      continue;
    }
    const slot = 'path' in target ? target.path : `@${target.special}`;
    if (columns.has(header) || (slot !== '@ignored' && filled.has(slot))) {
      duplicateHeaders.push(header);
      continue;
    }
    filled.add(slot);
    columns.set(header, target);
  }

  const covered = new Set(filled);
  if (filled.has('@uscc')) covered.add('envelope.subject.code').add('envelope.subject.codeType');
  if (filled.has('@idNumber')) covered.add('envelope.subject.code');
  if (filled.has('@idType')) covered.add('envelope.subject.codeType');
  for (const [name, value] of Object.entries(defaults)) if (value) covered.add(`envelope.${name}`);
  const missingRequired = known.leaves
    .filter((leaf) => leaf.required && !covered.has(leaf.path) && !WIRE_DEFAULTS.has(leaf.path))
    .map((leaf) => {
      const name =
        leaf.path === 'envelope.decisionDate' ? DECISION_DATE_HEADERS[kind] : chineseName(leaf.field.doc);
      return name === undefined ? leaf.path : `${leaf.path} (${name})`;
    });
  return { mapping: { kind, columns }, unknownHeaders, duplicateHeaders, missingRequired };
}
