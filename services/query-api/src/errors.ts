import { defineError } from '@credit/errors';

export const SubjectNotFound = defineError<[code: string]>(
  'QUERY_SUBJECT_NOT_FOUND',
  404,
  'no subject with the code %s in the unified database',
);
export const InvalidSubjectCode = defineError<[why: string]>(
  'QUERY_INVALID_CODE',
  400,
  'the subject code cannot be looked up: %s',
);
export const PersonLookupAuthorised = defineError<[]>(
  'QUERY_PERSON_LOOKUP_AUTHORISED',
  400,
  'natural persons are looked up by identity number through the authorised API only; the public reaches a listed person through the lists and the person’s token',
);
export const InvalidSearch = defineError<[why: string]>('QUERY_INVALID_SEARCH', 400, 'search: %s');
/** Throw with `.with({ retryAfterSeconds }, cause, why)`: a busier moment may have been the rest of the cause. */
export const SearchTooBroad = defineError<[why: string]>(
  'QUERY_SEARCH_TOO_BROAD',
  400,
  'search: %s; narrow the query (a longer or more complete name)',
);
/** Throw with `.with({ retryAfterSeconds }, undefined, what, why)`: the kit's error answer adds Retry-After. */
export const QueryBusy = defineError<[what: string, why: string]>(
  'QUERY_BUSY',
  503,
  'too many %s requests at once (%s); retry after the Retry-After seconds',
);
export const InvalidCursor = defineError<[cursor: string]>(
  'QUERY_INVALID_CURSOR',
  400,
  'cursor %s was not issued by this API (pass back the nextCursor of an earlier page)',
);
export const InvalidParameter = defineError<[name: string, value: string, rule: string]>(
  'QUERY_INVALID_PARAMETER',
  400,
  '%s=%s: %s',
);
export const PurposeRequired = defineError<[]>(
  'QUERY_PURPOSE_REQUIRED',
  400,
  'authorised queries must name their purpose (the matter being decided) in the X-Credit-Purpose header, 4 to 200 characters',
);
export const ScopeMissing = defineError<[actor: string, scope: string]>(
  'QUERY_SCOPE_MISSING',
  403,
  'client %s lacks the scope %s',
);
export const ReportNotFound = defineError<[reportNumber: string]>(
  'QUERY_REPORT_NOT_FOUND',
  404,
  'no credit report %s was issued by this platform',
);
export const SanctionsUnavailable = defineError<[why: string]>(
  'QUERY_SANCTIONS_UNAVAILABLE',
  502,
  'the sanctions service did not answer the check: %s',
);
export const CheckNotFound = defineError<[checkId: string]>(
  'QUERY_CHECK_NOT_FOUND',
  404,
  'no check %s made by this client',
);
export const RateLimited = defineError<[who: string, max: string, after: string]>(
  'QUERY_RATE_LIMITED',
  429,
  '%s sent more than %s requests in a minute; retry after %s',
);
