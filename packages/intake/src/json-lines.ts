import { StringDecoder } from 'node:string_decoder';
import { INTAKE_CODES } from './codes.ts';
import { type Rejection, rejection } from './rejection.ts';

export type JsonLineItem = { line: number; input: unknown } | { line: number; rejections: Rejection[] };

/** A line longer than this is refused without being kept in memory. */
const MAX_LINE_CHARACTERS = 4_000_000;

/**
 * Streams a JSON-lines file (one wire record per line, UTF-8, BOM or not, LF or CRLF): each line parsed as it
 * arrives, blank lines skipped, a line that is not JSON answered with INTAKE_BAD_JSON and the parser's reason.
 */
export async function* readJsonLines(
  input: NodeJS.ReadableStream | AsyncIterable<string | Uint8Array>,
): AsyncGenerator<JsonLineItem, void, undefined> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  let tooLong = false;
  for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      line += 1;
      const item = tooLong ? tooLongItem(line) : parseLine(line, pending.slice(start, newline));
      tooLong = false;
      if (item) yield item;
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARACTERS) {
      tooLong = true;
      pending = '';
    }
  }
  pending += decoder.end();
  if (tooLong) yield tooLongItem(line + 1);
  else if (pending.trim() !== '') {
    const item = parseLine(line + 1, pending);
    if (item) yield item;
  }
}

function parseLine(line: number, raw: string): JsonLineItem | undefined {
  const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).replace(/\r$/, '');
  if (text.trim() === '') return undefined;
  try {
    return { line, input: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      line,
      rejections: [
        rejection(INTAKE_CODES.badJson, {
          value: text,
          rule: 'one JSON value per line',
          explanation: reason,
        }),
      ],
    };
  }
}

function tooLongItem(line: number): JsonLineItem {
  const rule = 'a line of at most 4,000,000 characters';
  return {
    line,
    rejections: [rejection(INTAKE_CODES.badJson, { rule, explanation: 'the line is too long' })],
  };
}
