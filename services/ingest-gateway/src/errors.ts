import { defineError } from '@credit/errors';

export const Unauthenticated = defineError(
  'AUTH_REQUIRED',
  401,
  'this endpoint needs a department credential: Authorization: Bearer <api key>, or a client certificate',
);
export const BadCredential = defineError('AUTH_INVALID_KEY', 401, 'the API key is %s');
export const UnknownDepartment = defineError(
  'AUTH_UNKNOWN_DEPARTMENT',
  403,
  'department %s is not in the credit information catalogue (version %s)',
);
export const BatchTooLarge = defineError(
  'INTAKE_BATCH_TOO_LARGE',
  413,
  'a batch holds at most %s records; this one has %s: split it',
);
export const BadBatch = defineError(
  'INTAKE_BAD_BATCH',
  400,
  'the body must be a JSON object {"records": [...]} with 1 to %s records',
);
export const BrokerUnavailable = defineError(
  'INTAKE_BROKER_UNAVAILABLE',
  503,
  'the records could not be written to Kafka (%s); nothing was accepted, send them again',
);
export const RecordInProgress = defineError(
  'INTAKE_IN_PROGRESS',
  409,
  'record %s version %s is being accepted by another request right now; send it again shortly',
);
export const UnknownSchema = defineError('SCHEMA_NOT_FOUND', 404, 'no schema %s');
export const RateLimited = defineError(
  'RATE_LIMITED',
  429,
  'department %s sent more than %s requests in a minute; retry after %s',
);
export const NoSigningKey = defineError(
  'GATEWAY_NO_SIGNING_KEY',
  503,
  'the gateway holds no signing key for department %s, so it cannot report for it: the credit office issues one (credit signing-keys generate --holder gateway)',
);
