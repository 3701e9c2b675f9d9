import type { DeadLetterReason, IncomingMessage } from '@credit/kit';
import type pg from 'pg';

export interface RefusedMessage {
  message: IncomingMessage;
  department: string | null;
  reason: DeadLetterReason;
}

/** Keeps refused messages where operators can query them; a redelivered refusal is recorded once. */
export async function insertRefusals(client: pg.ClientBase, refused: RefusedMessage[]): Promise<void> {
  if (refused.length === 0) return;
  await client.query(
    `insert into ingest_errors (source_topic, source_partition, source_offset, department, reason_code, reason,
                                message_key, headers, value)
     select * from unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::jsonb[], $9::bytea[])
     on conflict (source_topic, source_partition, source_offset) do nothing`,
    [
      refused.map((r) => r.message.topic),
      refused.map((r) => r.message.partition),
      refused.map((r) => r.message.offset),
      refused.map((r) => r.department),
      refused.map((r) => r.reason.code),
      refused.map((r) => r.reason.message),
      refused.map((r) => r.message.key?.toString('utf8') ?? null),
      refused.map((r) => JSON.stringify(textHeaders(r.message.headers))),
      refused.map((r) => r.message.value),
    ],
  );
}

function textHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) result[name] = value.toString('utf8');
  return result;
}
