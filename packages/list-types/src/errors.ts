import { defineError } from '@credit/errors';

export const ListTypesInvalid = defineError<[source: string, count: number, problems: string]>(
  'LIST_TYPES_INVALID',
  500,
  'the credit list types %s are invalid (%d problem(s)):\n%s',
);
