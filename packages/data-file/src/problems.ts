/** Where in the data a problem is, e.g. ['items', 3, 'code'], and what it is. */
export interface Problem {
  path: (string | number)[];
  message: string;
}

export type Locate = (path: Problem['path']) => number | undefined;

/** One line per problem: where (path, the entry's code, the file line) and what. */
export function formatProblems(problems: Problem[], data: unknown, locate?: Locate): string {
  return problems
    .map((problem) => {
      const where = describePath(problem.path, data);
      const line = locate?.(problem.path);
      return ` - ${where}${line === undefined ? '' : ` (line ${line})`}: ${problem.message}`;
    })
    .join('\n');
}

/** e.g. ['items', 3, 'code'] → `items[3] (350100-XZCF-0007).code`. */
export function describePath(path: Problem['path'], data: unknown): string {
  if (path.length === 0) return '(file)';
  let text = '';
  let node: unknown = data;
  for (const segment of path) {
    node =
      isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[segment] : undefined;
    if (typeof segment === 'number') {
      text += `[${segment}]`;
      const name = entryName(node);
      if (name !== undefined) text += ` (${name})`;
    } else {
      text += text === '' ? segment : `.${segment}`;
    }
  }
  return text;
}

function entryName(node: unknown): string | undefined {
  if (!isRecord(node)) return undefined;
  for (const key of ['code', 'kind', 'severity', 'version']) {
    const value = node[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
