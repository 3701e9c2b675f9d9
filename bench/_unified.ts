import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import type { Severity } from '@credit/schemas';
import type pg from 'pg';
import { loadListTypes } from '../packages/list-types/src/index.ts';
import { hashSql, round, subjectCategorySql, subjectCodeSql } from './_support.ts';

/**
 * The unified credit database of the benchmarks that read it (lists, query), generated in SQL: BENCH-sized subjects
 * (90% legal entities, 5% individual businesses, 5% natural persons) with realistic Chinese names, their names
 * (current, ~10% a former one) and old codes, about `records` records with catalogue templates, disclosure windows
 * and per-kind payload fields; and list entries (lists.entries and/or the sanctions service's projection of them).
 * Deterministic: the same data every run. Generation uses LOAD_CONNECTIONS connections side by side with JIT off.
 */
export const LOAD_CONNECTIONS = Math.min(4, Math.max(2, availableParallelism()));

const catalogue = loadCatalogue();

// Name vocabulary (exported: the query benchmark draws its search terms from it).
export const CITIES = [
  '福州',
  '厦门',
  '泉州',
  '漳州',
  '莆田',
  '三明',
  '南平',
  '龙岩',
  '宁德',
  '福清',
  '长乐',
  '晋江',
];
export const BRAND_CHARS = [
  ...'鑫华盛泰恒达源兴隆祥瑞丰博宏信诚远创海阳晨星金银宇嘉福安康永新腾锦明辉润通豪佳力',
];
export const INDUSTRIES = [
  '科技',
  '贸易',
  '建设工程',
  '食品',
  '物流',
  '电子',
  '置业',
  '餐饮管理',
  '医药',
  '纺织',
  '机械设备',
  '网络科技',
  '文化传媒',
  '环保科技',
  '农业开发',
  '汽车销售',
];
const DISTRICTS = ['鼓楼区', '台江区', '仓山区', '晋安区', '马尾区', '长乐区', '闽侯县', '连江县'];
const SHOPS = ['商行', '便利店', '餐馆', '五金店', '服装店', '茶叶店', '水果店', '理发店'];
const SURNAMES = [...'张王李陈林黄吴郑刘杨周徐朱高何郭罗谢'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华'];

/** One word of `words`, picked by an integer SQL expression. */
const pick = (words: readonly string[], seed: string) =>
  `(array[${words.map((w) => `'${w}'`).join(',')}])[1 + ${hashSql(seed)} % ${words.length}]`;

/** An organisation's name in SQL (city + two-character brand + industry + legal form), varied by `seed`. */
const organisationNameSql = (i: string, seed: number) =>
  `${pick(CITIES, `${i} * 5 + ${seed}`)} || ${pick(BRAND_CHARS, `${i} * 7 + ${seed + 1}`)} ||
   ${pick(BRAND_CHARS, `${i} * 11 + ${seed + 2}`)} || ${pick(INDUSTRIES, `${i} * 13 + ${seed + 3}`)} ||
   case when ${hashSql(`${i} * 17 + ${seed}`)} % 20 < 17 then '有限公司'
        when ${hashSql(`${i} * 17 + ${seed}`)} % 20 < 19 then '股份有限公司' else '有限责任公司' end`;

/** Subject number `i`'s name in SQL: a person's, a 个体户 shop's, or an organisation's. */
export const nameSql = (i: string) => `case when ${i} % 20 = 0 then ${pick(SURNAMES, `${i} * 3`)} ||
     ${pick(GIVEN, `${i} * 19 + 1`)} || case when ${i} % 3 = 0 then '' else ${pick(GIVEN, `${i} * 23 + 2`)} end
  when ${i} % 20 = 1 then ${pick(CITIES, `${i} * 5`)} || '市' || ${pick(DISTRICTS, `${i} * 29`)} ||
     ${pick(BRAND_CHARS, `${i} * 7 + 1`)} || ${pick(BRAND_CHARS, `${i} * 11 + 2`)} || ${pick(SHOPS, `${i} * 31`)}
  else ${organisationNameSql(i, 0)} end`;

/** The former name of subjects with one (i % 10 = 5: 10% of subjects, all legal entities). */
const formerNameSql = (i: string) => organisationNameSql(i, 1000);

/** Kinds of records the generator writes; each subject group draws from its own templates. */
type Group = 'base' | 'general' | 'serious' | 'court' | 'tax-list' | 'grade-a';

interface TemplateSpec {
  item: string;
  severity: Severity;
  level?: string;
  listTypeCode?: string;
}

const TEMPLATES: Record<Group, TemplateSpec[]> = {
  // 20 slots: 55% licences, 15% commitments, 15% honours, 10% BASIC (unpublished) penalties, 5% tax grade B.
  base: [
    ...['350100-XZXK-0011', '350100-XZXK-0011', '350100-XZXK-0011', '350100-XZXK-0012', '350100-XZXK-0012'],
    ...['350100-XZXK-0001', '350100-XZXK-0002', '350100-XZXK-0002', '350100-XZXK-0003', '350100-XZXK-0004'],
    '350100-XZXK-0005',
  ]
    .map((item): TemplateSpec => ({ item, severity: 'BASIC' }))
    .concat(
      ['350100-XYCN-0001', '350100-XYCN-0002', '350100-XYCN-0003'].map((item) => ({
        item,
        severity: 'BASIC',
      })),
      ['350100-SXBZ-0001', '350000-SXBZ-0002', '350100-SXBZ-0002'].map((item) => ({
        item,
        severity: 'POSITIVE',
      })),
      ['350100-XZCF-0007', '350100-XZCF-0010'].map((item) => ({ item, severity: 'BASIC' })),
      [{ item: '350100-XYDJ-0003', severity: 'BASIC', level: 'B' }],
    ),
  // Every department's penalty item: some in key fields, some (customs, transport, agriculture) in none.
  general: [
    '350100-XZCF-0007',
    '350100-XZCF-0008',
    '350100-XZCF-0002',
    '350100-XZCF-0004',
    '350100-XZCF-0009',
    '350100-XZCF-0001',
    '350100-XZCF-0003',
    '350100-XZCF-0005',
    '350100-XZCF-0006',
    '350100-XZCF-0010',
    '350100-XZCF-0011',
  ].map((item) => ({ item, severity: 'GENERAL_DISHONESTY' })),
  // One penalty item per key field (rules.yaml keyFields), eight different fields.
  serious: [
    '350100-XZCF-0007',
    '350100-XZCF-0002',
    '350100-XZCF-0004',
    '350100-XZCF-0009',
    '350100-XZCF-0001',
    '350100-XZCF-0003',
    '350100-XZCF-0008',
    '350100-XZCF-0005',
  ].map((item) => ({ item, severity: 'SERIOUS_DISHONESTY' })),
  court: [{ item: '350100-SXBZXR-0001', severity: 'SERIOUS_DISHONESTY' }],
  'tax-list': [
    { item: '350100-MD-0003', severity: 'SERIOUS_DISHONESTY', listTypeCode: 'major-tax-violation' },
  ],
  'grade-a': [{ item: '350100-XYDJ-0003', severity: 'POSITIVE', level: 'A' }],
};

/** Template rows with department, kind, department USCC and disclosure months from the catalogue; checked. */
function templateRows(source: Catalogue) {
  return Object.entries(TEMPLATES).flatMap(([group, specs]) =>
    specs.map((spec, t) => {
      const item = source.item(spec.item);
      if (item === undefined) throw new Error(`catalogue item ${spec.item} does not exist`);
      const check = source.check(item.department, item.kind, item.code, spec.severity);
      if (!check.allowed) throw new Error(`${item.department} may not report ${spec.item} ${spec.severity}`);
      const window = source.kindRule(item.kind).windows.find((w) => w.severity === spec.severity);
      if (window === undefined) throw new Error(`no disclosure window for ${item.kind} ${spec.severity}`);
      return {
        grp: group,
        t,
        department: item.department,
        kind: item.kind,
        item: item.code,
        severity: spec.severity,
        uscc: source.department(item.department)?.uscc ?? '',
        department_name: source.department(item.department)?.name ?? item.department,
        item_name: item.name,
        months: window.months,
        level: spec.level ?? null,
        list_type: spec.listTypeCode ?? null,
      };
    }),
  );
}

/** The kind's own payload fields (what the query side renders), from the template and the plan row. */
const kindFieldsSql = `case tp.kind
  when 'administrative-licence' then jsonb_build_object('decisionDocumentName', '准予' || tp.item_name || '决定书',
    'licenceCategory', 'ORDINARY', 'certificateName', tp.item_name || '证', 'licenceNumber',
    'XK' || to_char(p.d, 'YYYYMMDD') || lpad((p.i % 100000)::text, 5, '0'), 'licenceContent', '准予' || tp.item_name,
    'licensingAuthority', tp.department_name, 'licensingAuthorityCode', tp.uscc, 'status', 'VALID')
  when 'administrative-penalty' then jsonb_build_object('violationType', tp.item_name,
    'violationFacts', '经查，当事人存在' || tp.item_name || '所列违法行为', 'legalBasis', '依据相关法律法规第' || (1 + p.k % 90) || '条',
    'penaltyCategories', jsonb_build_array('FINE', 'WARNING'), 'penaltyContent', '警告并处罚款',
    'fineAmount', ((1 + ${hashSql('p.i + p.k * 3')} % 200) * 500)::text || '.00',
    'penalisingAuthority', tp.department_name, 'penalisingAuthorityCode', tp.uscc,
    'publicationDeadline', (p.d + interval '3 years')::date::text)
  when 'honour' then jsonb_build_object('honourName', tp.item_name, 'honourLevel', 'MUNICIPAL',
    'awardDocumentNumber', '榕政〔' || extract(year from p.d) || '〕' || (10 + p.k % 90) || '号',
    'awardingAuthority', tp.department_name, 'awardingAuthorityCode', tp.uscc)
  when 'credit-commitment' then jsonb_build_object('commitmentType', 'APPLICATION', 'commitmentMatter', tp.item_name,
    'commitmentContent', '本单位承诺所提交材料真实有效，如有不实愿承担相应责任', 'receivingAuthority', tp.department_name,
    'receivingAuthorityCode', tp.uscc, 'fulfilment', 'FULFILLED')
  when 'credit-grade' then jsonb_build_object('scheme', 'tax-credit', 'schemeName', '纳税信用等级',
    'levelName', coalesce(tp.level, 'B') || '级', 'ratingPeriod', (extract(year from p.d) - 1)::text || '年度',
    'ratingAuthority', tp.department_name, 'ratingAuthorityCode', tp.uscc)
  when 'dishonest-judgment-debtor' then jsonb_build_object('caseNumber',
    '（' || extract(year from p.d) || '）闽0102执' || (100 + p.i % 9000) || '号', 'enforcementCourt', '福州市鼓楼区人民法院',
    'province', '福建', 'filingDate', p.d::text, 'enforcementBasisNumber', '（' || extract(year from p.d) || '）闽0102民初' || (p.i % 9000) || '号',
    'enforcementBasisIssuer', '福州市鼓楼区人民法院', 'obligation', '支付货款及利息', 'performance', 'NOT_PERFORMED',
    'dishonestConduct', '有履行能力而拒不履行生效法律文书确定义务')
  when 'list-designation' then jsonb_build_object('listTypeName', tp.item_name, 'designationDocumentNumber',
    '榕税〔' || extract(year from p.d) || '〕' || (p.i % 900) || '号', 'designationBasis', '重大税收违法失信主体信息公布管理办法',
    'designationReason', '逃避缴纳税款', 'designatingAuthority', tp.department_name, 'designatingAuthorityCode', tp.uscc)
  else '{}'::jsonb end`;

/** The records of one plan (subject i, sequence k, template t, decision date d, payload validity vf..vt). */
function insertRecords(plan: string): string {
  return `
    with plan as (${plan})
    insert into aggregator.records (department, source_record_id, version, subject_code, kind, schema_version,
      catalogue_item_code, severity, operation, status, decision_date, reported_at, disclosure_public,
      disclosure_from, disclosure_until, change_reason, payload, source_topic, source_partition, source_offset)
    select tp.department, x.srid, 1, x.code, tp.kind, 1, tp.item, tp.severity, 'UPSERT',
           case when w.until < current_date then 'expired' else 'active' end,
           p.d, x.reported, tp.months is distinct from 0, p.d, w.until, null,
           jsonb_build_object(
             'envelope', jsonb_build_object(
               'sourceRecordId', x.srid, 'version', 1, 'operation', 'UPSERT',
               'reportingDepartmentCode', tp.uscc,
               'subject', jsonb_build_object('category', x.category, 'code', x.code,
                 'codeType', case when x.category = 'NATURAL_PERSON' then 'RESIDENT_IDENTITY_CARD' else 'USCC' end,
                 'name', x.name, 'lei', null, 'legalRepresentative', null, 'legacyCodes', null),
               'decisionDate', p.d::text, 'reportedAt', x.reported, 'catalogueItemCode', tp.item,
               'severity', tp.severity, 'changeReason', null),
             'decisionDocumentNumber', '榕' || tp.department || '〔' || extract(year from p.d) || '〕' || p.k || '号',
             'remarks', null)
           || ${kindFieldsSql}
           || jsonb_strip_nulls(jsonb_build_object('listTypeCode', tp.list_type, 'level', tp.level,
                'validFrom', p.vf::text, 'validTo', p.vt::text)),
           'credit.ingest.' || tp.department, p.i % 6, p.k
      from plan p
      join public.bench_templates tp on tp.grp = p.grp and tp.t = p.t
      cross join lateral (select ${subjectCodeSql('p.i')} as code, ${subjectCategorySql('p.i')} as category,
             ${nameSql('p.i')} as name,
             'bench-' || p.grp || '-' || p.i || '-' || p.k as srid,
             least(now(), (p.d + 1 + ${hashSql('p.i + p.k')} % 5)::timestamp + interval '10 hours') as reported) x
      cross join lateral (select case when tp.months is null then null
             else (p.d + make_interval(months => tp.months))::date end as until) w`;
}

/** One statement on a connection of its own, tuned for bulk loading (no JIT: it costs seconds per statement here). */
export async function load(pool: pg.Pool, sql: string, values: unknown[] = []): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('set synchronous_commit = off');
    await client.query('set jit = off');
    return (await client.query(sql, values)).rowCount ?? 0;
  } finally {
    client.release();
  }
}

export interface UnifiedSize {
  subjects: number;
  /** About this many records (the special groups are sized by subjects; the rest fills up to this). */
  records: number;
}

/**
 * Subjects, their names and old codes, and records, straight into the aggregator's tables (migrated already) with
 * insert … select from generate_series (no Kafka); then `analyze`. The pool needs LOAD_CONNECTIONS connections.
 */
export async function generateUnifiedDatabase(
  pool: pg.Pool,
  { subjects: SUBJECTS, records: RECORDS }: UnifiedSize,
): Promise<{ subjects: number; records: number; seconds: number }> {
  const started = performance.now();
  const elapsed = () => round((performance.now() - started) / 1000, 1);
  await load(
    pool,
    `create table public.bench_templates (grp text, t int, department text, kind text, item text,
      severity text, uscc text, department_name text, item_name text, months int, level text, list_type text,
      primary key (grp, t))`,
  );
  await load(
    pool,
    `insert into public.bench_templates
     select * from jsonb_populate_recordset(null::public.bench_templates, $1::jsonb)`,
    [JSON.stringify(templateRows(catalogue))],
  );
  const counts = Object.fromEntries(Object.entries(TEMPLATES).map(([group, specs]) => [group, specs.length]));
  const subjects = () =>
    load(
      pool,
      `insert into aggregator.subjects (code, code_type, category, kind, display_code, identity_ciphertext,
        division_code, name, name_reported_at, first_seen_at, updated_at)
      select code, case when i % 20 = 0 then 'RESIDENT_IDENTITY_CARD' else 'USCC' end, category,
             case when i % 20 = 0 then 'natural_person' when i % 20 = 1 then 'individual_business'
                  else 'enterprise' end,
             case when i % 20 = 0 then '350102********' || lpad((i % 10000)::text, 4, '0') else code end,
             case when i % 20 = 0 then 'bench-ciphertext-' || md5(i::text) end,
             '350100', name, now() - make_interval(days => ${hashSql('i')} % 1461), now(), now()
        from (select i, ${subjectCodeSql('i')} as code, ${subjectCategorySql('i')} as category, ${nameSql('i')} as name
                from generate_series(1, ${SUBJECTS}) as i) s`,
    );
  // Subject buckets b (0..999): general < 80 (repeated breaches < 30), serious 80..119 (3 fields < 90),
  // court 120..129, tax list 130..139; grade A independently, g < 5 of 100.
  const specials = () =>
    load(
      pool,
      insertRecords(`
        with s as (select i, ${hashSql('i')} % 1000 as b, ${hashSql('i + 500009')} % 100 as g
                     from generate_series(1, ${SUBJECTS}) as i)
        select 'general' as grp, i, k,
               case when b % 3 = 0 then i % ${counts.general} else (i + k) % ${counts.general} end as t,
               current_date - ${hashSql('i * 7 + k')} % (case when b < 30 then 330 else 1461 end) as d,
               null::date as vf, null::date as vt
          from s cross join lateral generate_series(1, case when b < 30 then 3 + b % 2 else 1 + b % 2 end) as k
         where b < 80
        union all
        select 'serious', i, k, (i + k) % ${counts.serious},
               current_date - ${hashSql('i * 11 + k')} % (case when b < 90 then 300 else 1461 end), null, null
          from s cross join lateral generate_series(1, case when b < 90 then 3 else 1 + b % 2 end) as k
         where b >= 80 and b < 120
        union all
        select 'court', i, 1, 0, current_date - ${hashSql('i * 13')} % 1461, null, null
          from s where b >= 120 and b < 130
        union all
        select 'tax-list', i, 1, 0, d, d, (d + interval '3 years' - interval '1 day')::date
          from (select i, current_date - ${hashSql('i * 17')} % 1461 as d from s where b >= 130 and b < 140) q
        union all
        select 'grade-a', i, 1, 0, d, d, (d + interval '1 year' - interval '1 day')::date
          from (select i, current_date - ${hashSql('i * 19')} % 1461 as d from s where g < 5) q`),
    );
  const [, special] = await Promise.all([subjects(), specials()]);
  const names = await load(
    pool,
    `insert into aggregator.subject_names (subject_code, name, first_reported_at)
     select code, name, name_reported_at from aggregator.subjects
     union all
     select ${subjectCodeSql('i')}, ${formerNameSql('i')}, now() - interval '5 years' - make_interval(days => i % 1000)
       from generate_series(5, ${SUBJECTS}, 10) as i
     on conflict do nothing`,
  );
  // Old codes: an organisation code for 10% of subjects (legal entities), a 注册号 for 2% more.
  const legacy = await load(
    pool,
    `insert into aggregator.legacy_codes (legacy_code, code_type, subject_code)
     select substr(${subjectCodeSql('i')}, 9, 9), 'ORGANISATION_CODE', ${subjectCodeSql('i')}
       from generate_series(3, ${SUBJECTS}, 10) as i
     union all
     select '350100' || lpad(i::text, 9, '0'), 'REGISTRATION_NUMBER', ${subjectCodeSql('i')}
       from generate_series(7, ${SUBJECTS}, 50) as i`,
  );
  console.log(`  ${names} subject names, ${legacy} old codes: ${elapsed()} s`);
  console.log(`  ${SUBJECTS} subjects, ${special} dishonesty, designation and grade records: ${elapsed()} s`);
  // The rest in LOAD_CONNECTIONS slices side by side: building the payloads is CPU-bound.
  const base = Math.max(0, RECORDS - special);
  const slice = Math.ceil(base / LOAD_CONNECTIONS);
  const slices = Array.from({ length: LOAD_CONNECTIONS }, (_, n) => [
    n * slice + 1,
    Math.min(base, (n + 1) * slice),
  ]);
  await Promise.all(
    slices
      .filter(([from = 0, to = 0]) => from <= to)
      .map(([from, to]) =>
        load(
          pool,
          insertRecords(`
            select 'base' as grp, (j - 1) % ${SUBJECTS} + 1 as i, j as k, ${hashSql('j')} % ${counts.base} as t,
                   current_date - ${hashSql('j * 3 + 1')} % 1461 as d, null::date as vf, null::date as vt
              from generate_series(${from}, ${to}) as j`),
        ),
      ),
  );
  console.log(`  ${base} other records: ${elapsed()} s`);
  await load(pool, 'drop table public.bench_templates');
  const client = await pool.connect();
  try {
    await client.query('analyze aggregator.subjects');
    await client.query('analyze aggregator.subject_names');
    await client.query('analyze aggregator.legacy_codes');
    await client.query('analyze aggregator.records');
    const total = await client.query<{ n: string }>('select count(*) as n from aggregator.records');
    return {
      subjects: SUBJECTS,
      records: Number(total.rows[0]?.n),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    client.release();
  }
}

/** List types the list-entry generator uses, with colour, designating department and validity from the registry. */
function listTypeRows() {
  const registry = loadListTypes();
  const codes = [
    'dishonest-judgment-debtor',
    'major-tax-violation',
    'joint-sanction',
    'key-attention',
    'a-level-taxpayer',
  ];
  return codes.map((code, t) => {
    const type = registry.get(code);
    if (type === undefined) throw new Error(`list type ${code} does not exist`);
    return {
      t,
      code,
      name: type.name,
      colour: type.colour,
      department: type.designatingDepartments[0]!,
      months: 'months' in type.validity ? type.validity.months : 36,
    };
  });
}

/**
 * List entries of `subjects` subjects, in the sanctions service's projection (sanctions.list_entries) and, with
 * `lists`, in the list service's own table (lists.entries) too, the same entry ids in both. Subject buckets
 * b = hash(i) % 1000: black < 30 (one black entry, every third a second one), watch 30..79, red 80..109,
 * exited-only 110..119 (an expired black entry). Every entry has 4 events behind it (last_seq 4). Then `analyze`.
 */
export async function generateListEntries(
  pool: pg.Pool,
  subjects: number,
  { lists }: { lists: boolean },
): Promise<{ entries: number; inForce: number }> {
  const client = await pool.connect();
  try {
    await client.query('set synchronous_commit = off');
    await client.query('set jit = off');
    await client.query(
      `create table public.bench_list_types (t int primary key, code text, name text, colour text, department text,
        months int)`,
    );
    await client.query(
      `insert into public.bench_list_types
       select * from jsonb_populate_recordset(null::public.bench_list_types, $1::jsonb)`,
      [JSON.stringify(listTypeRows())],
    );
    await client.query(`
      create table public.bench_list_plan as
      with s as (select i, ${hashSql('i')} % 1000 as b from generate_series(1, ${subjects}) as i),
      plan as (
        select i, 1 as k, (i % 3) as t, true as live from s where b < 30
        union all select i, 2, ((i + 1) % 3), true from s where b < 30 and i % 3 = 0
        union all select i, 1, 3, true from s where b >= 30 and b < 80
        union all select i, 1, 4, true from s where b >= 80 and b < 110
        union all select i, 1, (i % 3), false from s where b >= 110 and b < 120)
      select 'bench-' || lt.code || '-' || p.i || '-' || p.k as entry_id, p.i, p.k, p.live,
             ${subjectCodeSql('p.i')} as subject_code, ${subjectCategorySql('p.i')} as subject_category,
             lt.code as list_type, lt.name as list_name, lt.colour, lt.department, d.valid_from,
             (d.valid_from + make_interval(months => lt.months))::date as valid_until
        from plan p
        join public.bench_list_types lt on lt.t = p.t
        cross join lateral (select case when p.live
               then current_date - ${hashSql('p.i * 7 + p.k')} % (lt.months * 28)
               else current_date - lt.months * 31 - ${hashSql('p.i * 7 + p.k')} % 700 end as valid_from) d`);
    const basis = `jsonb_build_array(jsonb_build_object('department', department,
               'sourceRecordId', 'bench-record-' || i || '-' || k, 'version', 1))`;
    const inserted = await client.query(`
      insert into sanctions.list_entries (entry_id, subject_code, subject_category, list_type, colour, state, exit_reason,
        measures_apply, designating_department, valid_from, valid_until, basis, last_seq, updated_at)
      select entry_id, subject_code, subject_category, list_type, colour,
             case when live then 'published' else 'exited' end, case when live then null else 'expired' end,
             live, department, valid_from, valid_until, ${basis}, 4, now()
        from public.bench_list_plan`);
    if (lists) {
      await client.query(`
        insert into lists.entries (id, subject_code, subject_category, list_type, colour, state, exit_reason, source,
          rule_id, rules_version, identity, designating_department, designated_on, valid_from, valid_until, repairable,
          basis, explanation, created_at, updated_at)
        select entry_id, subject_code, subject_category, list_type, colour,
               case when live then 'published' else 'exited' end, case when live then null else 'expired' end,
               'department', 'department-designation', 'bench', 'department:' || department || ':bench-record-' || i || '-' || k,
               department, valid_from, valid_from, valid_until, colour = 'black', ${basis},
               '因' || list_name || '认定，自' || valid_from || '起列入', now(), now()
          from public.bench_list_plan`);
      await client.query('analyze lists.entries');
    }
    await client.query('drop table public.bench_list_plan');
    await client.query('drop table public.bench_list_types');
    await client.query('analyze sanctions.list_entries');
    const inForce = await client.query<{ n: string }>(
      'select count(*) as n from sanctions.list_entries where measures_apply',
    );
    return { entries: inserted.rowCount ?? 0, inForce: Number(inForce.rows[0]?.n ?? 0) };
  } finally {
    client.release();
  }
}
