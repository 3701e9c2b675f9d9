import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { createCatalogue } from './create.ts';
import { CatalogueInvalid } from './errors.ts';
import { CATALOGUE_FILE } from './paths.ts';
import { formatProblems, type Locate } from './problems.ts';
import { checkShape } from './shape.ts';
import type { Catalogue } from './types.ts';

/**
 * Reads and checks a catalogue file (default: the repository's data/catalogue.yaml): YAML syntax, the JSON
 * Schema, then the cross-checks. Any failure is one CATALOGUE_INVALID error listing every problem with its
 * path, entry and line.
 */
export function loadCatalogue(file: string = CATALOGUE_FILE): Catalogue {
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(file, 'utf8'), {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: true,
  });
  if (document.errors.length > 0) {
    const messages = document.errors.map(
      (error) => ` - ${error.message.trimEnd().replaceAll('\n', '\n   ')}`,
    );
    throw CatalogueInvalid(file, document.errors.length, messages.join('\n'));
  }
  const value: unknown = document.toJS();
  const locate: Locate = (path) => {
    for (let prefix = path; ; prefix = prefix.slice(0, -1)) {
      const node = prefix.length === 0 ? document.contents : document.getIn(prefix, true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      if (prefix.length === 0) return undefined;
    }
  };
  const shape = checkShape(value);
  if (!('data' in shape)) {
    throw CatalogueInvalid.with(
      { source: file, problems: shape.problems },
      undefined,
      file,
      shape.problems.length,
      formatProblems(shape.problems, value, locate),
    );
  }
  return createCatalogue(shape.data, { source: file, locate });
}
