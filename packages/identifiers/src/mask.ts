import { normaliseCode, normaliseText } from './normalise.ts';

const KEPT_PREFIX = 6;
const KEPT_SUFFIX = 4;

/**
 * Keeps the division (first 6) and the last 4 of an 18-character number: `110101********4578`. Anything
 * else is masked entirely, since its layout is unknown.
 */
export function maskResidentId(number: string): string {
  const normalised = normaliseCode(number);
  const characters = [...normalised];
  if (characters.length !== 18) return '*'.repeat(characters.length);
  return (
    characters.slice(0, KEPT_PREFIX).join('') +
    '*'.repeat(18 - KEPT_PREFIX - KEPT_SUFFIX) +
    characters.slice(-KEPT_SUFFIX).join('')
  );
}

/** Keeps the first character (the surname, usually): `张三丰` → `张**`. A one-character name becomes `*`. */
export function maskName(name: string): string {
  const characters = [...normaliseText(name)];
  if (characters.length <= 1) return '*'.repeat(characters.length);
  return `${characters[0]}${'*'.repeat(characters.length - 1)}`;
}
