export { INTAKE_CODES, type IntakeCode, UnknownKind } from './codes.ts';
export { type Contracts, contracts, createContracts } from './contracts.ts';
export {
  type ByteSource,
  type CsvDefaults,
  type CsvItem,
  type CsvMapping,
  kindColumns,
  type MappingResult,
  mappingFor,
  parseDateCell,
  type RowResult,
  readCsvRecords,
  rowToWire,
} from './csv.ts';
export { type IngestMessage, ingestMessage } from './ingest-message.ts';
export { type JsonLineItem, readJsonLines } from './json-lines.ts';
export {
  encodeRecord,
  type NotPrepared,
  type PrepareContext,
  type Prepared,
  type PrepareResult,
  prepareRecord,
} from './prepare.ts';
export type { Rejection } from './rejection.ts';
export { type ValidationContext, validateRecord } from './validate.ts';
export {
  type FromWireResult,
  fromWire,
  type KindValue,
  toWire,
  type Wire,
  type WireOptions,
  type WireRecord,
} from './wire.ts';
