import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface RejectLine {
  line: number;
  recordId?: string;
  version?: number;
  code: string;
  message: string;
  field?: string;
  value?: string;
  rule?: string;
}

/** One JSON line per reason: the source line, the record and what is wrong, so the department can fix and resend. */
export function createRejectsFile(path: string) {
  let stream: WriteStream | undefined;
  let count = 0;
  return {
    async write(rows: RejectLine[]): Promise<void> {
      for (const row of rows) {
        stream ??= createWriteStream(path, { encoding: 'utf8' });
        count += 1;
        if (!stream.write(`${JSON.stringify(row)}\n`)) await once(stream, 'drain');
      }
    },
    async close(): Promise<number> {
      if (stream) {
        stream.end();
        await once(stream, 'finish');
      }
      return count;
    },
  };
}
