import { defineError } from '@credit/errors';

export const CatalogueInvalid = defineError<[source: string, count: number, problems: string]>(
  'CATALOGUE_INVALID',
  500,
  'the credit information catalogue %s is invalid (%d problem(s)):\n%s',
);
export const CatalogueVersionReused = defineError<[version: string, loaded: string, given: string]>(
  'CATALOGUE_VERSION_REUSED',
  409,
  'catalogue version %s is already loaded with other content (content hash %s, this one %s): versions are immutable, bump the version',
);
export const NoDisclosureWindow = defineError<[kind: string, severity: string, version: string]>(
  'CATALOGUE_NO_WINDOW',
  422,
  'record kind %s has no disclosure window for severity %s in catalogue %s',
);
export const UnknownRecordKind = defineError<[kind: string, version: string]>(
  'CATALOGUE_UNKNOWN_KIND',
  422,
  'record kind %s has no rule in catalogue %s',
);
export const InvalidDate = defineError<[value: string]>(
  'CATALOGUE_INVALID_DATE',
  422,
  'decision date %s is not a calendar date YYYY-MM-DD',
);
export const InvalidDepartmentCode = defineError<[value: string]>(
  'CATALOGUE_INVALID_DEPARTMENT_CODE',
  422,
  'department code %s is not a catalogue code (lower-case letters, digits and hyphens)',
);
