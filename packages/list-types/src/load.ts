import { readFileSync } from 'node:fs';
import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { crossCheck } from './cross-check.ts';
import { ListTypesInvalid } from './errors.ts';
import { LIST_TYPES_FILE } from './paths.ts';
import { formatProblems, type Locate } from './problems.ts';
import { registryOf } from './registry.ts';
import { checkShape } from './shape.ts';
import type { ListType, ListTypeRegistry, Problem } from './types.ts';

export interface LoadOptions {
  /** The catalogue whose departments designate; default: loadCatalogue() (the repository's catalogue). */
  catalogue?: Catalogue;
}

/**
 * Reads and checks a list-types file (default: the repository's data/list-types.yaml): YAML syntax, the JSON
 * Schema, then the cross-checks against the catalogue and @credit/schemas. Any failure is one
 * LIST_TYPES_INVALID error listing every problem with its path, entry and line.
 */
export function loadListTypes(file: string = LIST_TYPES_FILE, options: LoadOptions = {}): ListTypeRegistry {
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
    throw ListTypesInvalid(file, document.errors.length, messages.join('\n'));
  }
  const value: unknown = document.toJS();
  const locate: Locate = (path) => {
    for (let prefix = path; ; prefix = prefix.slice(0, -1)) {
      const node = prefix.length === 0 ? document.contents : document.getIn(prefix, true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      if (prefix.length === 0) return undefined;
    }
  };
  const fail = (problems: Problem[]) =>
    ListTypesInvalid.with(
      { source: file, problems },
      undefined,
      file,
      problems.length,
      formatProblems(problems, value, locate),
    );
  const shape = checkShape(value);
  if (!('data' in shape)) throw fail(shape.problems);
  const data = shape.data;
  const problems = crossCheck(data, options.catalogue ?? loadCatalogue());
  if (problems.length > 0) throw fail(problems);
  // The cross-checks have matched every kind and category against @credit/schemas.
  const types = structuredClone(data.types) as ListType[];
  return registryOf(data.version, structuredClone(data.changes), types);
}
