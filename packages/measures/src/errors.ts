import { defineError } from '@credit/errors';

export const MeasuresInvalid = defineError<[source: string, count: number, problems: string]>(
  'MEASURES_INVALID',
  500,
  'the joint reward and sanction measures %s are invalid (%d problem(s)):\n%s',
);
