import { fileURLToPath } from 'node:url';
import type { Catalogue, CatalogueData } from '../src/index.ts';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export { codedErrorOf } from '@credit/testing';

/** The plain data of a catalogue, deep-copied, to build variants of it with createCatalogue. */
export function dataOf(catalogue: Catalogue): CatalogueData {
  return structuredClone({
    version: catalogue.version,
    changes: [...catalogue.changes],
    kinds: [...catalogue.kinds],
    departments: [...catalogue.departments],
    items: [...catalogue.items],
  });
}
