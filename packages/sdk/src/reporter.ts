import { type Catalogue, ingestTopicName, loadCatalogue } from '@credit/catalogue';
import { createSealer, createSigner } from '@credit/ingest-trust';
import { ingestMessage, type Prepared, prepareRecord, type Rejection, toWire } from '@credit/intake';
import {
  createKafkajsBus,
  createLogger,
  type KafkaSecurity,
  type Logger,
  type MessageBus,
  type Producer,
} from '@credit/kit';
import type { RecordKind, RecordKinds } from '@credit/schemas';

export interface ReporterOptions {
  /** The department's catalogue code, e.g. `market-regulation`. */
  department: string;
  /** Kafka bootstrap servers and the department's credentials (its principal `department.<code>`), or a bus of your own. */
  brokers?: string[];
  /**
   * TLS and the department's Kafka credentials: SASL/SCRAM (`sasl: { mechanism: 'scram-sha-512', username:
   * 'department.<code>', password }`) or a client certificate whose CN is `department.<code>`; `ca` is the PEM of
   * the platform's CA. `kafkaSecurityFrom(process.env)` reads them from KAFKA_SASL_* / KAFKA_TLS_* variables.
   */
  security?: KafkaSecurity;
  bus?: MessageBus;
  /**
   * The department's private signing key (PKCS#8 PEM, Ed25519 or SM2), made with `credit signing-keys generate`.
   * Its public key must be registered in the platform's catalogue (`credit signing-keys register`): the platform
   * refuses anything this department's topic carries that its registered key did not sign.
   */
  signingKey: string;
  /**
   * The platform's sealing public key (base64url, 32 bytes), from the credit office or the ingest gateway's
   * GET /v1/keys/platform: identity numbers are sealed for it before they leave the department.
   */
  platformKey: string;
  catalogue?: Catalogue;
  logger?: Logger;
  /** Default credit.ingest.<department>. */
  topic?: string;
  now?: () => Date;
}

export type ReportResult =
  | { status: 'sent'; recordId: string; version: number; topic: string; partition: number; offset: string }
  | { status: 'rejected'; recordId?: string; version?: number; rejections: Rejection[] };

export interface DepartmentReporter {
  /** Validates and sends one record; nothing invalid reaches the topic. */
  report<K extends RecordKind>(kind: K, record: RecordKinds[K]): Promise<ReportResult>;
  /** Validates all, sends the valid ones in one produce, answers each in order. */
  reportMany(
    records: { [K in RecordKind]: { kind: K; record: RecordKinds[K] } }[RecordKind][],
  ): Promise<ReportResult[]>;
  close(): Promise<void>;
}

/**
 * A department's producer: the same checks as the ingest gateway (Avro schema, identifiers, dates, amounts,
 * catalogue grants, reporting as itself, no identity number in free text) before sealing identity numbers for the
 * platform, encoding with the shared schemas (single-object encoding), signing with the department's key and
 * producing to its topic with acks from all in-sync replicas, keyed by the department's record id.
 */
export async function createDepartmentReporter(options: ReporterOptions): Promise<DepartmentReporter> {
  const catalogue = options.catalogue ?? loadCatalogue();
  const found = catalogue.department(options.department);
  if (!found) {
    throw new Error(
      `department '${options.department}' is not in the credit information catalogue ${catalogue.version}`,
    );
  }
  const department = found;
  const logger = options.logger ?? createLogger({ service: `sdk-${department.code}`, level: 'warn' });
  if (!options.bus && ((options.brokers ?? []).length === 0 || !options.security)) {
    throw new Error('give brokers and security (the department’s Kafka credentials), or a bus');
  }
  const bus =
    options.bus ??
    createKafkajsBus({
      brokers: options.brokers ?? [],
      clientId: `department-${department.code}`,
      security: options.security!,
      logger,
    });
  const signer = createSigner(department.code, options.signingKey);
  const sealer = await createSealer(options.platformKey);
  const producer: Producer = await bus.producer({ idempotent: true });
  const topic = options.topic ?? ingestTopicName(department.code);
  const now = options.now ?? (() => new Date());

  async function reportMany(records: { kind: RecordKind; record: unknown }[]): Promise<ReportResult[]> {
    const results: ReportResult[] = new Array(records.length);
    const ready: { index: number; prepared: Prepared }[] = [];
    records.forEach(({ kind, record }, index) => {
      const prepared = prepareRecord(toWire(kind, record as RecordKinds[typeof kind]), {
        department,
        catalogue,
        now: now(),
        sealer,
      });
      if (prepared.ok) ready.push({ index, prepared });
      else
        results[index] = {
          status: 'rejected',
          recordId: prepared.recordId,
          version: prepared.version,
          rejections: prepared.rejections,
        };
    });
    if (ready.length > 0) {
      const deliveries = await producer.send(
        topic,
        ready.map((r) => ingestMessage(r.prepared, department, signer)),
      );
      ready.forEach((r, i) => {
        const { recordId, version } = r.prepared;
        results[r.index] = { status: 'sent', recordId, version, ...deliveries[i]! };
      });
    }
    return results;
  }

  return {
    report: async (kind, record) => (await reportMany([{ kind, record }]))[0]!,
    reportMany: (records) => reportMany(records),
    close: async () => {
      sealer.close();
      await producer.disconnect();
    },
  };
}
