import type { HealthState, ReadinessCheck } from './health.ts';
import { createKafkajsBus } from './kafka/kafkajs.ts';
import type { KafkaSecurity } from './kafka/security.ts';
import type { Admin, MessageBus, Producer } from './kafka/types.ts';
import type { Logger } from './logger.ts';
import { installGracefulShutdown, type ShutdownStep } from './shutdown.ts';

/** What every service process connects to: the broker (bus, idempotent producer, admin) and its database pool. */
export interface ServiceConnections {
  bus: MessageBus;
  producer: Producer;
  admin: Admin;
  health: HealthState;
  /** Database and broker answering: the readiness checks of /health/ready. */
  readiness: ReadinessCheck[];
  /** On SIGTERM/SIGINT: the service's own steps first, then the producer, the admin client and the database. */
  stopOnSignal(steps: ShutdownStep[]): void;
}

export interface ConnectOptions {
  service: string;
  logger: Logger;
  brokers: string[];
  /** TLS and the service's own principal (kafkaSecurityFrom(config)). */
  kafkaSecurity: KafkaSecurity;
  clientId?: string;
  /** The service's pool, seen only through what readiness and shutdown need (kit does not depend on pg). */
  database: { ping(): Promise<void>; end(): Promise<void> };
  /** Bound on one send of the producer (ProducerOptions.sendTimeoutMs), for a service that answers clients. */
  producerSendTimeoutMs?: number;
}

export async function connectService(options: ConnectOptions): Promise<ServiceConnections> {
  const bus = createKafkajsBus({
    brokers: options.brokers,
    clientId: options.clientId ?? options.service,
    security: options.kafkaSecurity,
    logger: options.logger,
  });
  const producer = await bus.producer({ idempotent: true, sendTimeoutMs: options.producerSendTimeoutMs });
  const admin = await bus.admin();
  const health: HealthState = { shuttingDown: false };
  return {
    bus,
    producer,
    admin,
    health,
    readiness: [
      { name: 'database', check: () => options.database.ping() },
      { name: 'kafka', check: async () => void (await admin.ping()) },
    ],
    stopOnSignal(steps) {
      installGracefulShutdown({
        logger: options.logger,
        state: health,
        steps: [
          ...steps,
          { name: 'kafka producer', run: () => producer.disconnect() },
          { name: 'kafka admin', run: () => admin.disconnect() },
          { name: 'database', run: () => options.database.end() },
        ],
      });
    },
  };
}
