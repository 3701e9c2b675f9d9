/** What `credit erase-person` needs from the aggregator. */

export { type Erasure, type ErasureRequest, erasePerson } from './erasure.ts';
export {
  ErasureAlreadyDone,
  ErasureNotNaturalPerson,
  ErasureRequestInvalid,
  ErasureSubjectUnknown,
  ErasureTablesMissing,
} from './errors.ts';
export { AGGREGATOR_SCHEMA } from './migrations.ts';
