import {
  type Codec,
  createCodec,
  getKind,
  loadRegistry,
  type RecordKind,
  type SchemaRegistry,
  type SchemaVersion,
} from '@credit/schemas';
import { buildModel, type RecordNode } from './schema-model.ts';

/** The contracts the intake checks against: each kind's current version, its avsc type and our model of it. */
export interface Contracts {
  readonly kinds: readonly RecordKind[];
  readonly codec: Codec;
  isKind(kind: unknown): kind is RecordKind;
  type(kind: RecordKind): SchemaVersion['type'];
  model(kind: RecordKind): RecordNode;
}

export function createContracts(registry: SchemaRegistry): Contracts {
  const codec = createCodec(registry);
  const kinds = [...registry.kinds.keys()] as RecordKind[];
  const known = new Set<string>(kinds);
  const models = new Map<string, RecordNode>();
  return {
    kinds,
    codec,
    isKind: (kind): kind is RecordKind => typeof kind === 'string' && known.has(kind),
    type: (kind) => getKind(registry, kind).current.type,
    model(kind) {
      let model = models.get(kind);
      if (model === undefined) {
        const node = buildModel(getKind(registry, kind).current.schema);
        if (node.type !== 'record') throw new Error(`the schema of ${kind} is not a record`);
        model = node;
        models.set(kind, model);
      }
      return model;
    },
  };
}

let shared: Contracts | undefined;

/** The repository's contracts (schemas/avro), loaded once per process on first use. */
export function contracts(): Contracts {
  shared ??= createContracts(loadRegistry());
  return shared;
}
