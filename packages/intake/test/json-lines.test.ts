import { Readable } from 'node:stream';
import { samples } from '@credit/schemas';
import { describe, expect, it } from 'vitest';
import { type JsonLineItem, readJsonLines, toWire } from '../src/index.ts';

async function collect(input: Readable): Promise<JsonLineItem[]> {
  const items: JsonLineItem[] = [];
  for await (const item of readJsonLines(input)) items.push(item);
  return items;
}

describe('readJsonLines', () => {
  it('reads one value per line, by line number, through BOM, CRLF, blank lines and a missing last newline', async () => {
    const text = '\uFEFF{"a":1}\r\n\r\n[2]\n  \n"三"';
    expect(await collect(Readable.from([text]))).toEqual([
      { line: 1, input: { a: 1 } },
      { line: 3, input: [2] },
      { line: 5, input: '三' },
    ]);
  });

  it('answers a line that is not JSON with INTAKE_BAD_JSON and the parser’s reason, and reads on', async () => {
    const items = await collect(Readable.from(['{"kind": \n{"ok":true}\n']));
    expect(items).toEqual([
      { line: 1, rejections: [expect.objectContaining({ code: 'INTAKE_BAD_JSON', value: '{"kind": ' })] },
      { line: 2, input: { ok: true } },
    ]);
    const rejection = 'rejections' in items[0]! ? items[0].rejections[0] : undefined;
    expect(rejection?.message).toMatch(/JSON/);
  });

  it('joins lines and characters split across chunks', async () => {
    const line = JSON.stringify(toWire('administrative-penalty', samples['administrative-penalty']));
    const bytes = Buffer.from(`${line}\n${line}\n`);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) =>
      bytes.subarray(i * 7, i * 7 + 7),
    );
    const items = await collect(Readable.from(chunks));
    expect(items).toHaveLength(2);
    expect(items[1]).toEqual({ line: 2, input: JSON.parse(line) });
  });

  it('refuses an overlong line without keeping it, and reads on', async () => {
    function* chunks() {
      for (let i = 0; i < 100; i += 1) yield 'x'.repeat(100_000);
      yield '\n{"after":1}\n';
    }
    const items = await collect(Readable.from(chunks()));
    expect(items).toEqual([
      {
        line: 1,
        rejections: [
          expect.objectContaining({
            code: 'INTAKE_BAD_JSON',
            rule: 'a line of at most 4,000,000 characters',
          }),
        ],
      },
      { line: 2, input: { after: 1 } },
    ]);
  });

  it('masks identity numbers in the text it quotes', async () => {
    const items = await collect(Readable.from(['{"id": "350102198001011233",\n']));
    expect(JSON.stringify(items)).not.toContain('350102198001011233');
  });
});
