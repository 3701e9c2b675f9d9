import { getKind, getSchemaVersion, listSchemas, type SchemaRegistry } from '@credit/schemas';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { UnknownSchema } from '../errors.ts';

/** The Avro contracts and their fingerprints, so departments can encode single-object messages themselves. */
export async function schemaRoutes(
  app: FastifyInstance,
  { registry }: { registry: SchemaRegistry },
): Promise<void> {
  const summaries = listSchemas(registry);

  app.get(
    '/v1/schemas',
    { schema: { summary: 'Every record kind with its versions and fingerprints', tags: ['schemas'] } },
    async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').send({ encoding: ENCODING, kinds: summaries }),
  );

  app.get(
    '/v1/schemas/:kind',
    {
      schema: {
        summary: 'The current version of a kind',
        tags: ['schemas'],
        params: Type.Object({ kind: Type.String() }),
      },
    },
    async (request, reply) => {
      const { kind } = request.params as { kind: string };
      if (!registry.kinds.has(kind)) throw UnknownSchema(kind);
      const current = getKind(registry, kind).current;
      return reply.header('cache-control', 'public, max-age=300').send(view(current));
    },
  );

  app.get(
    '/v1/schemas/:kind/:version',
    {
      schema: {
        summary: 'One version of a kind',
        tags: ['schemas'],
        params: Type.Object({ kind: Type.String(), version: Type.String({ pattern: '^v?\\d+$' }) }),
      },
    },
    async (request, reply) => {
      const { kind, version } = request.params as { kind: string; version: string };
      const number = Number(version.replace(/^v/, ''));
      const found = registry.kinds.get(kind)?.versions.find((v) => v.version === number);
      if (!found) throw UnknownSchema(`${kind} v${number}`);
      return reply
        .header('cache-control', 'public, max-age=86400, immutable')
        .send(view(getSchemaVersion(registry, kind, number)));
    },
  );
}

const ENCODING =
  'Avro single-object encoding: 0xC3 0x01, the 8-byte little-endian CRC-64-AVRO fingerprint of the schema, then the Avro binary body.';

function view(version: ReturnType<typeof getSchemaVersion>) {
  return {
    kind: version.kind,
    version: version.version,
    fingerprint: version.fingerprint,
    canonicalForm: version.canonicalForm,
    schema: version.schema,
  };
}
