/** First two digits of the province-level administrative divisions of GB/T 2260. */
// biome-ignore format: one row per region, as GB/T 2260 groups them
export const PROVINCE_PREFIXES: readonly string[] = [
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
];

/**
 * Codes issued by a national-level registration authority carry 100000 instead of a province's division:
 * e.g. 91100000100003962T (Industrial and Commercial Bank of China) and its former registration number
 * 100000000003965. Resident identity numbers never do.
 */
export const NATIONAL_DIVISION = '100000';

const SIX_DIGITS = /^\d{6}$/;

/** Why `division` is not an acceptable division code, or undefined when it is. */
export function divisionProblem(division: string, options: { allowNational: boolean }): string | undefined {
  if (!SIX_DIGITS.test(division)) return 'is not 6 digits';
  if (options.allowNational && division === NATIONAL_DIVISION) return undefined;
  if (PROVINCE_PREFIXES.includes(division.slice(0, 2))) return undefined;
  const national = options.allowNational ? ` or be ${NATIONAL_DIVISION} (national level)` : '';
  return `must start with a province-level prefix (${describePrefixes()})${national}`;
}

function describePrefixes(): string {
  const runs: number[][] = [];
  for (const prefix of PROVINCE_PREFIXES.map(Number)) {
    const run = runs.at(-1);
    if (run !== undefined && run.at(-1) === prefix - 1) run.push(prefix);
    else runs.push([prefix]);
  }
  return runs.map((run) => (run.length === 1 ? `${run[0]}` : `${run[0]}–${run.at(-1)}`)).join(', ');
}
