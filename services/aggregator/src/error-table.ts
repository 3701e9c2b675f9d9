import { maskIdentityNumberBytes } from '@credit/identifiers';
import { type DeadLetterReason, type IncomingMessage, maskIdentityNumbers } from '@credit/kit';
import type pg from 'pg';

export interface RefusedMessage {
  message: IncomingMessage;
  department: string | null;
  reason: DeadLetterReason;
}

/** Keeps refused messages where operators can query them; a redelivered refusal is recorded once. */
export async function insertRefusals(
  client: pg.ClientBase,
  refused: RefusedMessage[],
  options: { bare?: boolean } = {},
): Promise<void> {
  if (refused.length === 0) return;
  // bare: the last resort when even the sanitised row is refused; position, department and reason code remain.
  const bare = options.bare ?? false;
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
      refused.map((r) =>
        bare ? 'reason not storable; see the DLQ message' : storableText(r.reason.message),
      ),
      refused.map((r) => (r.message.key === null || bare ? null : storableBytes(r.message.key))),
      refused.map((r) => (bare ? '{}' : JSON.stringify(textHeaders(r.message.headers)))),
      // Masked as the DLQ copy is: a number a producer failed to seal never rests here in clear.
      refused.map((r) => (r.message.value === null ? null : maskIdentityNumberBytes(r.message.value).bytes)),
    ],
  );
}

function textHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) result[storableText(name)] = storableBytes(value);
  return result;
}

/**
 * Keys and header values as an operator reads them: text with identity numbers masked (a person's code is the
 * message key), or `base64:` when the bytes are not text PostgreSQL can hold (NUL, invalid UTF-8). Anything else
 * would fail the insert and, with it, every batch of the transaction, again and again. The original bytes stay in
 * * the DLQ message and in `value` (identity numbers masked there too), which re-injection needs.
 */
export function storableBytes(bytes: Buffer): string {
  const masked = maskIdentityNumberBytes(bytes).bytes;
  const text = masked.toString('utf8');
  if (text.includes('\u0000') || text.includes('\uFFFD')) return `base64:${masked.toString('base64')}`;
  return text;
}

function storableText(text: string): string {
  return maskIdentityNumbers(text.replaceAll('\u0000', '\\0'));
}
