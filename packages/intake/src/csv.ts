/** The 双公示 CSV templates and the generic one (header = field path): mapping, row conversion, streaming. */
export { type CellResult, cellValue, parseDateCell } from './csv/cells.ts';
export {
  type ColumnTarget,
  type CsvDefaults,
  type CsvMapping,
  chineseName,
  headerKey,
  type KindColumns,
  kindColumns,
  type MappingResult,
  mappingFor,
} from './csv/columns.ts';
export { ENUM_LABELS, symbolFor } from './csv/labels.ts';
export { type ByteSource, type CsvItem, readCsvRecords } from './csv/read.ts';
export { type RowResult, rowToWire } from './csv/row.ts';
