export * from './dead-letter.ts';
export { createKafkajsBus, type KafkajsBusOptions } from './kafkajs.ts';
export * from './types.ts';
