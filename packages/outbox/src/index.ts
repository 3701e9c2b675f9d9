export {
  createOutboxRelay,
  jsonEventsSelect,
  type OutboxRelay,
  type OutboxRelayOptions,
  type OutboxRow,
} from './relay.ts';
