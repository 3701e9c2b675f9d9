export * from './dead-letter.ts';
export {
  type BrokerAddress,
  createKafkajsBus,
  type KafkajsBusOptions,
  kafkajsConnection,
} from './kafkajs.ts';
export * from './prefix-subscription.ts';
export * from './security.ts';
export * from './types.ts';
