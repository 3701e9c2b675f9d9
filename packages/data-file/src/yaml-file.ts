import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { Locate } from './problems.ts';

export type YamlFile = { ok: true; value: unknown; locate: Locate } | { ok: false; syntaxErrors: string[] };

/**
 * Reads a YAML data file (duplicate keys refused) and keeps its positions, so a problem found later at a path of
 * the data can name its line; or every syntax error, one formatted line each.
 */
export function readYamlFile(file: string): YamlFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(file, 'utf8'), {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: true,
  });
  if (document.errors.length > 0) {
    return {
      ok: false,
      syntaxErrors: document.errors.map((error) => ` - ${error.message.trimEnd().replaceAll('\n', '\n   ')}`),
    };
  }
  const locate: Locate = (path) => {
    for (let prefix = path; ; prefix = prefix.slice(0, -1)) {
      const node = prefix.length === 0 ? document.contents : document.getIn(prefix, true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      if (prefix.length === 0) return undefined;
    }
  };
  return { ok: true, value: document.toJS() as unknown, locate };
}
