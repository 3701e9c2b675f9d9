export { checkIdentifiers, type IdCheckOptions, type IdCheckSummary } from './id-check.ts';
