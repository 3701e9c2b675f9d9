/** What `credit erase-person` needs from the aggregator. */

export { type Erasure, type ErasureRequest, erasePerson } from './erasure.ts';
export { ERASURE_REFUSALS } from './errors.ts';
export { AGGREGATOR_SCHEMA } from './migrations.ts';
