import { stringify } from 'csv-stringify/sync';

/** One column of a CSV export: a stable English key, a Chinese title, and how a row's cell is read. */
export interface CsvColumn<Row> {
  key: string;
  title: string;
  value(row: Row): string | number | boolean | null | undefined;
}

/** A cell a spreadsheet program would run as a formula (=, +, -, @, tab, CR) is quoted as text (CSV injection). */
export function spreadsheetCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Rows as CSV for spreadsheet programs: UTF-8 with a BOM (so Excel reads the Chinese), a bilingual header
 * ("部门 department"), empty cells for null, formula-like cells quoted.
 */
export function spreadsheetCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const header = columns.map((column) => `${column.title} ${column.key}`);
  const data = rows.map((row) => columns.map((column) => spreadsheetCell(column.value(row))));
  return `\uFEFF${stringify([header, ...data])}`;
}
