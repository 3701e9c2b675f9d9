export * from './dead-letter.ts';
export { createKafkajsBus, type KafkajsBusOptions, kafkajsConnection } from './kafkajs.ts';
export * from './prefix-subscription.ts';
export * from './security.ts';
export * from './types.ts';
