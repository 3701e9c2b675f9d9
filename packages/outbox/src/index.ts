export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions, type OutboxRow } from './relay.ts';
