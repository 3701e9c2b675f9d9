import { normaliseCode } from './normalise.ts';
import { computeOrganisationCodeCheckCharacter } from './organisation-code.ts';
import { computeUsccCheckCharacter, isUsccCharacter } from './uscc-check-character.ts';

export type UsccParts = {
  /** Position 1, e.g. '9' (工商). */
  authority: string;
  /** Position 2, e.g. '1' (企业). */
  entityType: string;
  /** Positions 3–8, e.g. '350100'. */
  division: string;
  /** The 8-character organisation code body (positions 9–16), from the USCC charset. */
  organisationBody: string;
};

/**
 * Builds a USCC with both check characters filled in, for fixtures and sample data. It does not check that
 * the authority, entity type or division exist, so tests can also build codes that fail only on those.
 */
export function makeUscc(parts: UsccParts): string {
  const authority = fixedLength(parts.authority, 1, 'authority');
  const entityType = fixedLength(parts.entityType, 1, 'entityType');
  const division = fixedLength(parts.division, 6, 'division');
  const body = fixedLength(parts.organisationBody, 8, 'organisationBody');
  const first17 = `${authority}${entityType}${division}${body}${computeOrganisationCodeCheckCharacter(body)}`;
  return `${first17}${computeUsccCheckCharacter(first17)}`;
}

function fixedLength(value: string, length: number, name: string): string {
  const normalised = normaliseCode(value);
  if (normalised.length !== length || ![...normalised].every(isUsccCharacter)) {
    throw new RangeError(
      `${name} must be ${length} character(s) from the USCC charset 0123456789ABCDEFGHJKLMNPQRTUWXY, got '${value}'`,
    );
  }
  return normalised;
}
