/** What `credit replay` needs from the aggregator. */
export { decodeKey } from './config.ts';
export { contentDigest } from './content-digest.ts';
export { ReplayTargetLive } from './errors.ts';
export { createIdentityCipher } from './identity-cipher.ts';
export { AGGREGATOR_SCHEMA } from './migrations.ts';
export { type ReplayResult, replay } from './replay.ts';
export { listSnapshots, type Snapshot, takeSnapshot } from './snapshot.ts';
