import { normaliseText } from '@credit/identifiers';
import { isoDate, isRealDate } from '../calendar.ts';
import type { Leaf, SchemaNode } from '../schema-model.ts';
import { labelsOf, symbolFor } from './labels.ts';

/** A cell turned into its wire value; `value` undefined leaves the field out (so its default applies). */
export type CellResult = { ok: true; value: unknown } | { ok: false; rule: string; explanation: string };

/** 长期有效: a licence valid indefinitely is reported as 2099-12-31 (schema doc of validTo). */
const INDEFINITE = new Set(['长期', '长期有效', '永久', '永久有效']);
const INDEFINITE_DATE = '2099-12-31';
const LIST_SEPARATORS = /[;；、,，]/;

/** The wire value of a trimmed cell for a field: empty cells are null when the field allows it. */
export function cellValue(leaf: Leaf, cell: string): CellResult {
  const text = cell.trim();
  if (text === '') return { ok: true, value: leaf.nullable ? null : undefined };
  return convert(leaf.node, text, leaf.nullable);
}

function convert(node: SchemaNode, text: string, nullable: boolean): CellResult {
  switch (node.type) {
    case 'enum': {
      const symbol = symbolFor(node.name, node.symbols, text);
      return symbol === undefined ? enumProblem(node.name, node.symbols) : { ok: true, value: symbol };
    }
    case 'array': {
      const values: unknown[] = [];
      for (const part of text.split(LIST_SEPARATORS).map((item) => item.trim())) {
        if (part === '') continue;
        const item = convert(node.items, part, false);
        if (!item.ok) return { ...item, explanation: `${JSON.stringify(part)} ${item.explanation}` };
        values.push(item.value);
      }
      return { ok: true, value: values };
    }
    case 'date': {
      if (INDEFINITE.has(text)) return { ok: true, value: nullable ? null : INDEFINITE_DATE };
      const date = parseDateCell(text);
      return date === undefined
        ? problem('a date as YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or YYYY年M月D日', 'is not a calendar date')
        : { ok: true, value: date };
    }
    case 'decimal': {
      // Spreadsheets add thousands separators and sometimes full-width digits.
      const amount = normaliseText(text).replace(/[\s,，]/g, '');
      return /^-?\d+(\.\d+)?$/.test(amount)
        ? { ok: true, value: amount }
        : problem(
            `a decimal number with at most ${node.scale} fraction digits, e.g. 7.503`,
            'is not a number',
          );
    }
    case 'timestamp': {
      const timestamp = timestampCell(text);
      return timestamp === undefined
        ? problem(
            'a date and time, e.g. 2024-05-21 09:45:00 (China time) or 2024-05-21T09:45:00+08:00',
            'is not a date and time',
          )
        : { ok: true, value: timestamp };
    }
    case 'primitive':
      if (node.name === 'long' || node.name === 'int') {
        const digits = normaliseText(text);
        return /^\d{1,15}$/.test(digits)
          ? { ok: true, value: Number(digits) }
          : problem('a whole number', 'is not a whole number');
      }
      return { ok: true, value: text };
    default:
      return { ok: true, value: text };
  }
}

function enumProblem(name: string, symbols: readonly string[]): CellResult {
  return problem(`one of ${labelsOf(name, symbols).join(', ')}`, `is not a ${name}`);
}

function problem(expected: string, explanation: string): CellResult {
  return { ok: false, rule: `expected ${expected}`, explanation };
}

const SEPARATED_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+0{1,2}:0{1,2}(?::0{1,2})?)?$/;
const CHINESE_DATE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** 2024-05-20, 2024/5/20, 2024.05.20, 20240520, 2024年5月20日 (and Excel's "2024/5/20 0:00") → 2024-05-20. */
export function parseDateCell(text: string): string | undefined {
  const normalised = normaliseText(text);
  const match =
    SEPARATED_DATE.exec(normalised) ?? CHINESE_DATE.exec(normalised) ?? COMPACT_DATE.exec(normalised);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(year, month, day) ? isoDate(year, month, day) : undefined;
}

const DATE_TIME = /^(.+?)[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** A date and time as an ISO-8601 string; without a zone it is China time (+08:00). */
function timestampCell(text: string): string | undefined {
  const match = DATE_TIME.exec(normaliseText(text));
  if (match === null) return undefined;
  const [, datePart = '', hour = '', minute = '', second = '00', fraction = '', zone] = match;
  const date = parseDateCell(datePart);
  if (date === undefined) return undefined;
  return `${date}T${hour.padStart(2, '0')}:${minute}:${second}${fraction}${zone ?? '+08:00'}`;
}
