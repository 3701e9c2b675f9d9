import type { ErrorDefinition } from '@credit/errors';
import { formatProblems, type Locate, type Problem } from './problems.ts';
import type { ShapeCheck } from './shape.ts';
import { readYamlFile } from './yaml-file.ts';

export interface DataFileOptions<T> {
  checkShape: ShapeCheck<T>;
  /** The file's coded error: `(source, number of problems, the problems one per line)`. */
  invalid: ErrorDefinition<[source: string, count: number, problems: string]>;
  /** Problems beyond the JSON Schema (cross-checks against other data); none by default. */
  crossCheck?: (data: T) => Problem[];
  /** The document problems are described against, e.g. one whose entries are named by their code. */
  describedAs?: (value: unknown) => unknown;
}

/**
 * Reads a versioned data file and checks it: YAML syntax, the JSON Schema, then the cross-checks. Any failure is
 * one coded error listing every problem with its path, entry and line; the data comes back only when all pass.
 */
export function loadDataFile<T>(file: string, options: DataFileOptions<T>): { data: T; locate: Locate } {
  const read = readYamlFile(file);
  if (!read.ok) throw options.invalid(file, read.syntaxErrors.length, read.syntaxErrors.join('\n'));
  const { value, locate } = read;
  const fail = (problems: Problem[]) =>
    options.invalid.with(
      { source: file, problems },
      undefined,
      file,
      problems.length,
      formatProblems(problems, options.describedAs ? options.describedAs(value) : value, locate),
    );
  const shape = options.checkShape(value);
  if (!('data' in shape)) throw fail(shape.problems);
  const problems = options.crossCheck?.(shape.data) ?? [];
  if (problems.length > 0) throw fail(problems);
  return { data: shape.data, locate };
}
