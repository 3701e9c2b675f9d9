import type { RecordKind } from '@credit/schemas';
import { parse } from 'csv-parse';
import { INTAKE_CODES, UnknownKind } from '../codes.ts';
import { contracts } from '../contracts.ts';
import { type Rejection, rejection } from '../rejection.ts';
import type { WireRecord } from '../wire.ts';
import { type CsvDefaults, type CsvMapping, mappingFor } from './columns.ts';
import { rowToWire } from './row.ts';

/** One record of a file, by the line it starts on: its wire form, or why it could not be read. */
export type CsvItem = { line: number; wire: WireRecord } | { line: number; rejections: Rejection[] };

export type ByteSource = NodeJS.ReadableStream | AsyncIterable<string | Uint8Array>;

/**
 * Streams a CSV export (UTF-8, BOM or not, quoted fields, CRLF or LF) of one kind of record: the header line
 * is mapped once (unknown or repeated headers are reported once, at line 1; missing required columns end the
 * file there), then each row is yielded as soon as it is parsed. The next chunk of input is read only when
 * the rows of the last one were taken, so memory does not grow with the file.
 */
export async function* readCsvRecords(
  input: ByteSource,
  kind: RecordKind,
  defaults: CsvDefaults = {},
): AsyncGenerator<CsvItem, void, undefined> {
  const schemas = contracts();
  if (!schemas.isKind(kind)) throw UnknownKind(String(kind), schemas.kinds.join(', '));
  const rows = new RowParser();
  let header: string[] | undefined;
  let mapping: CsvMapping | undefined;
  try {
    for await (const batch of rows.batches(input)) {
      for (const { record, line } of batch) {
        if (header === undefined || mapping === undefined) {
          header = record;
          const checked = checkHeader(kind, header, defaults);
          if (checked.rejections.length > 0) yield { line, rejections: checked.rejections };
          if (checked.mapping === undefined) return;
          mapping = checked.mapping;
          continue;
        }
        if (record.length !== header.length) {
          const rule = `${header.length} cells, one per header`;
          const explanation = `the row has ${record.length} cells`;
          yield { line, rejections: [rejection(INTAKE_CODES.csvColumnCount, { rule, explanation })] };
          continue;
        }
        const row: Record<string, string> = {};
        header.forEach((name, index) => {
          if (!Object.hasOwn(row, name)) row[name] = record[index] ?? '';
        });
        const result = rowToWire(kind, row, mapping, defaults);
        yield result.ok ? { line, wire: result.wire } : { line, rejections: result.rejections };
      }
    }
  } catch (error) {
    if (!isCsvError(error)) throw error;
    // An unclosed quote is only noticed at the end of the file; it opened on the line after the last record.
    const line =
      (error.code === 'CSV_QUOTE_NOT_CLOSED' ? undefined : rows.errorLine(error)) ?? rows.lastLine + 1;
    yield { line, rejections: [syntaxRejection(error, line, rows.lastLine)] };
  }
}

interface ParsedRow {
  record: string[];
  /** Line the record starts on. */
  line: number;
}

/**
 * csv-parse driven chunk by chunk: records are taken in `on_record` as they are parsed, so the records
 * before a syntax error in the same chunk are not lost with the stream.
 */
class RowParser {
  lastLine = 0;
  // csv-parse counts the CR and the LF of a CRLF inside a quoted field as two lines (6.2.1): its line
  // numbers drift by one for each, which is taken off.
  private drift = 0;

  async *batches(input: ByteSource): AsyncGenerator<ParsedRow[], void, undefined> {
    let batch: ParsedRow[] = [];
    let failure: unknown;
    const parser = parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (record: string[], context: { lines: number }) => {
        batch.push(this.located(record, context.lines));
        return undefined;
      },
    });
    parser.on('error', (error: unknown) => {
      failure ??= error;
    });
    parser.resume();
    const take = () => {
      const taken = batch;
      batch = [];
      return taken;
    };
    try {
      for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
        await new Promise<void>((resolve) => parser.write(chunk, () => resolve()));
        yield take();
        if (failure !== undefined) throw failure;
      }
      await new Promise<void>((resolve) => parser.end(() => resolve()));
      yield take();
      if (failure !== undefined) throw failure;
    } finally {
      parser.destroy();
    }
  }

  private located(record: string[], reportedEnd: number): ParsedRow {
    let breaks = 0;
    for (const cell of record) {
      if (!cell.includes('\n') && !cell.includes('\r')) continue;
      this.drift += cell.match(/\r\n/g)?.length ?? 0;
      breaks += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
    }
    const end = reportedEnd - this.drift;
    this.lastLine = end;
    return { record, line: end - breaks };
  }

  /** The line of a parse error, with the drift taken off. */
  errorLine(error: { lines?: unknown }): number | undefined {
    return typeof error.lines === 'number' ? error.lines - this.drift : undefined;
  }
}

/** csv-parse's CsvError: a syntax problem of the file, not a failure of the reader. */
function isCsvError(error: unknown): error is Error & { code: string; lines?: unknown } {
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && code.startsWith('CSV_');
}

function checkHeader(
  kind: RecordKind,
  header: readonly string[],
  defaults: CsvDefaults,
): { mapping: CsvMapping | undefined; rejections: Rejection[] } {
  if (header.some((name) => name.includes('\uFFFD'))) {
    const rule = 'UTF-8 text';
    const explanation = 'the file is not UTF-8 (GBK, perhaps); save it as "CSV UTF-8"';
    return { mapping: undefined, rejections: [rejection(INTAKE_CODES.csvEncoding, { rule, explanation })] };
  }
  const { mapping, unknownHeaders, duplicateHeaders, missingRequired } = mappingFor(kind, header, defaults);
  const rejections: Rejection[] = [];
  if (unknownHeaders.length > 0) {
    rejections.push(
      rejection(INTAKE_CODES.csvUnknownHeader, {
        value: unknownHeaders.join(', '),
        rule: `a field of ${kind}: its path, its Chinese name or a 双公示 template header`,
        explanation: `${unknownHeaders.length} header(s) fill no field; their columns are ignored`,
      }),
    );
  }
  if (duplicateHeaders.length > 0) {
    rejections.push(
      rejection(INTAKE_CODES.csvDuplicateHeader, {
        value: duplicateHeaders.join(', '),
        rule: 'one column per field',
        explanation: 'these columns fill a field an earlier column already fills; they are ignored',
      }),
    );
  }
  if (missingRequired.length > 0) {
    rejections.push(
      rejection(INTAKE_CODES.csvMissingColumn, {
        value: missingRequired.join(', '),
        rule: 'a column (or a default) for every required field',
        explanation: 'required fields have no column, so no row can be read',
      }),
    );
    return { mapping: undefined, rejections };
  }
  return { mapping, rejections };
}

const SYNTAX_EXPLANATIONS: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field is followed by characters other than a comma or line end',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted field is followed by characters other than a comma',
};

function syntaxRejection(error: Error & { code: string }, line: number, lastLine: number): Rejection {
  const reason = SYNTAX_EXPLANATIONS[error.code] ?? error.message;
  return rejection(INTAKE_CODES.csvSyntax, {
    rule: 'RFC 4180 CSV',
    explanation: `the file cannot be parsed at line ${line}: ${reason}; nothing after line ${lastLine} was read`,
  });
}
