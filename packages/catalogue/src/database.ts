import { migrate } from '@credit/db';
import type pg from 'pg';
import { catalogueContentHash } from './content-hash.ts';
import { CatalogueVersionReused } from './errors.ts';
import { MIGRATIONS_DIR } from './paths.ts';
import type { Catalogue } from './types.ts';

export const CATALOGUE_DB_SCHEMA = 'catalogue';

/**
 * Makes the database hold `catalogue`: migrates schema "catalogue", then in one transaction upserts its
 * kinds, windows, departments and items, deletes what it no longer has, and records the version as current
 * with its content hash. The current version again is a no-op (changed: false); an older version loaded
 * again (a rollback) is allowed when its content is the same. A loaded version string with other content
 * throws CATALOGUE_VERSION_REUSED: versions are immutable.
 */
export async function loadCatalogueIntoDatabase(
  pool: pg.Pool,
  catalogue: Catalogue,
): Promise<{ version: string; changed: boolean }> {
  await migrate(pool, CATALOGUE_DB_SCHEMA, MIGRATIONS_DIR);
  const hash = catalogueContentHash(catalogue);
  const { version } = catalogue;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select pg_advisory_xact_lock(hashtext('catalogue:load'))`);
    const { rows } = await client.query<{ content_hash: string; is_current: boolean }>(
      'select content_hash, is_current from catalogue.versions where version = $1',
      [version],
    );
    const loaded = rows[0];
    if (loaded && loaded.content_hash !== hash)
      throw CatalogueVersionReused(version, loaded.content_hash, hash);
    if (loaded?.is_current) {
      await client.query('commit');
      return { version, changed: false };
    }
    await replaceContent(client, catalogue);
    await client.query('update catalogue.versions set is_current = false where is_current');
    await client.query(
      `insert into catalogue.versions (version, content_hash, is_current) values ($1, $2, true)
       on conflict (version) do update set is_current = true`,
      [version, hash],
    );
    await client.query('commit');
    return { version, changed: true };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

async function replaceContent(client: pg.PoolClient, catalogue: Catalogue): Promise<void> {
  const json = (value: unknown) => JSON.stringify(value);
  const itemCodes = catalogue.items.map((item) => item.code);
  const departmentCodes = catalogue.departments.map((department) => department.code);
  const kinds = catalogue.kinds.map((rule) => rule.kind);
  const windows = catalogue.kinds.flatMap((rule) =>
    rule.windows.map((window) => ({ kind: rule.kind, ...window })),
  );

  // Removed entries first (a removed department's items go with it), upserts parents before children, and
  // removed kinds last, once no item refers to them.
  await client.query('delete from catalogue.items where code <> all($1::text[])', [itemCodes]);
  await client.query('delete from catalogue.departments where code <> all($1::text[])', [departmentCodes]);
  await client.query(
    `delete from catalogue.disclosure_windows w
     where not exists (
       select 1 from jsonb_to_recordset($1::jsonb) as n(kind text, severity text)
       where n.kind = w.kind and n.severity = w.severity
     )`,
    [json(windows)],
  );

  await client.query(
    `insert into catalogue.record_kinds (kind, name, abbreviation, disclosure)
     select kind, name, abbreviation, disclosure
     from jsonb_to_recordset($1::jsonb) as k(kind text, name text, abbreviation text, disclosure text)
     on conflict (kind) do update
       set name = excluded.name, abbreviation = excluded.abbreviation, disclosure = excluded.disclosure`,
    [json(catalogue.kinds)],
  );
  await client.query(
    `insert into catalogue.disclosure_windows (kind, severity, months, minimum_months, basis)
     select kind, severity, months, "minimumMonths", basis
     from jsonb_to_recordset($1::jsonb)
       as w(kind text, severity text, months integer, "minimumMonths" integer, basis text)
     on conflict (kind, severity) do update
       set months = excluded.months, minimum_months = excluded.minimum_months, basis = excluded.basis`,
    [json(windows)],
  );
  await client.query(
    `insert into catalogue.departments (code, name, uscc, region, region_name)
     select code, name, uscc, region, "regionName"
     from jsonb_to_recordset($1::jsonb)
       as d(code text, name text, uscc text, region text, "regionName" text)
     on conflict (code) do update
       set name = excluded.name, uscc = excluded.uscc, region = excluded.region, region_name = excluded.region_name`,
    [json(catalogue.departments)],
  );
  await client.query(
    `insert into catalogue.items (code, department, kind, name, list, severities)
     select code, department, kind, name, list, severities
     from jsonb_to_recordset($1::jsonb)
       as i(code text, department text, kind text, name text, list text, severities text[])
     on conflict (code) do update
       set department = excluded.department, kind = excluded.kind, name = excluded.name,
           list = excluded.list, severities = excluded.severities`,
    [json(catalogue.items)],
  );
  await client.query('delete from catalogue.record_kinds where kind <> all($1::text[])', [kinds]);
}
