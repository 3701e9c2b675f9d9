import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { type Identification, identify } from '@credit/identifiers';

export interface IdCheckOptions {
  /** HMAC key for resident identity number tokens; without it, no token is written. */
  tokenKey?: Uint8Array;
  today?: string;
}

export interface IdCheckSummary {
  checked: number;
  valid: number;
  invalid: number;
}

/**
 * Reads codes one a line (USCCs, resident identity numbers, organisation codes, registration numbers) and writes
 * one JSON line per code. Streams, so a file of any size runs in constant memory. Blank lines are skipped.
 */
export async function checkIdentifiers(
  input: Readable,
  output: Writable,
  options: IdCheckOptions = {},
): Promise<IdCheckSummary> {
  const summary: IdCheckSummary = { checked: 0, valid: 0, invalid: 0 };
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const result: Identification = identify(line, options);
    summary.checked += 1;
    if (result.valid) summary.valid += 1;
    else summary.invalid += 1;
    if (!output.write(`${JSON.stringify({ line: lineNumber, ...result })}\n`)) {
      await new Promise((resolve) => output.once('drain', resolve));
    }
  }
  return summary;
}
