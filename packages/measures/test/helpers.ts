import { fileURLToPath } from 'node:url';
import { loadListTypes } from '@credit/list-types';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** A small list-type registry (fixtures/list-types.yaml) the measure fixtures attach to. */
export const fixtureListTypes = loadListTypes(fixture('list-types.yaml'));

export { codedErrorOf } from '@credit/testing';
