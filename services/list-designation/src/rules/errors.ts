import { defineError } from '@credit/errors';

export const ListRulesInvalid = defineError<[source: string, count: number, problems: string]>(
  'LIST_RULES_INVALID',
  500,
  'the list designation rules %s are invalid (%d problem(s)):\n%s',
);
