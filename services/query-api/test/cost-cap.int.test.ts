import {
  byOutcome,
  latencies,
  percentile,
  roundMs,
  startCrowd,
  timeCalls,
  timed,
} from '@credit/testing/load';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QueryHarness, seedRecord, seedSubject, startQueryHarness, TOKENS } from './harness.ts';

/** Enough organisations that a search for a common word sorts tens of thousands of names. */
const SUBJECTS = 40_000;
const SEARCH = { concurrency: 4, queue: 8, statementTimeoutMs: 1_500 };
/** Searchers hammering at once: more than the search routes run (4) and queue (8) together. */
const CROWD = 20;
const CHEAP_CALLS = 40;

const COMPANY = '91350100M000100Y43';
const CITIES = ['福州', '厦门', '泉州', '漳州', '莆田', '三明', '南平', '龙岩', '宁德', '福清'];
const BRANDS = [...'鑫华盛泰恒达源兴隆祥瑞丰博宏信诚远创海阳晨星金银宇嘉福安康永新腾锦明辉润通'];
const INDUSTRIES = ['科技', '网络科技', '环保科技', '贸易', '食品', '物流', '电子', '建设工程'];
/** Common words: each matches thousands of names in the contains and similar tiers. */
const BROAD_QUERIES = ['科技有限公司', '有限公司', '网络科技', '科技', '福州鑫科技', '环保科技有限'];

let h: QueryHarness;

const get = (url: string, headers: Record<string, string> = {}) =>
  h.queryApi.app.inject({ method: 'GET', url, headers });
const authorised = {
  authorization: `Bearer ${TOKENS.historyOnly}`,
  'x-credit-purpose': encodeURIComponent('行政许可 资格审查 2026-7号'),
};
const checker = { ...authorised, authorization: `Bearer ${TOKENS.checker}` };
/** The pre-decision check (应查必查), through the query API to the sanctions service, as an approval system asks it. */
const check = () =>
  h.queryApi.app.inject({
    method: 'POST',
    url: '/v1/authorised/checks',
    headers: checker,
    payload: { subjectCode: COMPANY, matterType: 'government-procurement' },
  });
const searchUrl = (q: string, extra = '') => `/v1/public/search?q=${encodeURIComponent(q)}${extra}`;

const pick = (words: readonly string[], seed: string) =>
  `(array[${words.map((word) => `'${word}'`).join(',')}])[1 + (hashint4(${seed}) & 2147483647) % ${words.length}]`;

/** Organisations with varied names (city, two brand characters, industry, 有限公司), in two statements. */
async function seedOrganisations(count: number): Promise<void> {
  await h.pool.query(
    `insert into aggregator.subjects (code, code_type, category, kind, display_code, division_code, name, name_reported_at)
     select code, 'USCC', 'LEGAL_ENTITY', 'enterprise', code, '350102', name, now()
       from (select 'CC' || lpad(i::text, 16, '0') as code,
                    ${pick(CITIES, 'i')} || ${pick(BRANDS, 'i * 7 + 1')} || ${pick(BRANDS, 'i * 11 + 2')} ||
                    ${pick(INDUSTRIES, 'i * 13 + 3')} || '有限公司' as name
               from generate_series(1, $1::int) as i) s`,
    [count],
  );
  await h.pool.query(
    `insert into aggregator.subject_names (subject_code, name, first_reported_at)
     select code, name, now() from aggregator.subjects where code like 'CC%'`,
  );
  await h.pool.query('analyze aggregator.subjects; analyze aggregator.subject_names');
}

beforeAll(async () => {
  h = await startQueryHarness({ search: SEARCH });
  await seedSubject(h.pool, { code: COMPANY, name: '福州闽江智联科技有限公司' });
  for (const id of ['penalty-1', 'penalty-2', 'penalty-3'])
    await seedRecord(h.pool, { subjectCode: COMPANY, id });
  await seedOrganisations(SUBJECTS);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('bounded cost of public search', () => {
  it('refuses pages past the caps with coded 400s', async () => {
    const tooLarge = await get(searchUrl('科技', '&pageSize=51'));
    expect(tooLarge.statusCode).toBe(400);
    expect(tooLarge.json().error).toMatchObject({ code: 'REQUEST_INVALID' });
    expect(tooLarge.json().error.message).toContain('50');

    const tooDeep = await get(searchUrl('科技', '&pageSize=50&page=21'));
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json().error.code).toBe('QUERY_SEARCH_TOO_BROAD');
    expect(tooDeep.json().error.message).toContain('1000');
    // The last page within the depth is answered.
    expect((await get(searchUrl('科技', '&pageSize=50&page=20'))).statusCode).toBe(200);

    const tooShort = await get(searchUrl('科'));
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().error.code).toBe('QUERY_INVALID_SEARCH');

    for (const url of ['/v1/public/changes?limit=1001', '/v1/public/lists?limit=101']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code, url).toBe('REQUEST_INVALID');
    }
  });

  it('keeps checks, authorised lookups and profiles fast while a crowd of broad searches is capped', async () => {
    // Alone first: what a broad search and a cheap lookup cost on this data.
    const soloSearch = await timed(() => get(searchUrl('科技有限公司')));
    expect(soloSearch.value.statusCode).toBe(200);
    expect(soloSearch.value.json().hasMore).toBe(true);
    const soloCheap = await timed(() => get(`/v1/authorised/subjects/${COMPANY}/history`, authorised));
    expect(soloCheap.value.statusCode).toBe(200);
    const soloCheck = await timed(check);
    expect(soloCheck.value.statusCode).toBe(200);

    const crowd = startCrowd(CROWD, (k) =>
      get(searchUrl(BROAD_QUERIES[k % BROAD_QUERIES.length] ?? '科技', `&page=${1 + (k % 3)}`)),
    );
    const searches = crowd.answers;
    // The crowd is on: every search turn taken and the first refusals answered.
    await crowd.reached('QUERY_BUSY');

    let searchPoolWaiting = 0;
    let mainPoolWaiting = 0;
    // The timed calls take turns: a check, an authorised history, a public profile.
    const turns = [
      check,
      () => get(`/v1/authorised/subjects/${COMPANY}/history`, authorised),
      () => get(`/v1/public/subjects/${COMPANY}`),
    ];
    const turnOf = (i: number) => turns[i % turns.length]!;
    const { ms: cheap, statuses } = await timeCalls(CHEAP_CALLS, (i) => turnOf(i)(), {
      afterEach: () => {
        searchPoolWaiting = Math.max(searchPoolWaiting, h.searchPool.waitingCount);
        mainPoolWaiting = Math.max(mainPoolWaiting, h.pool.waitingCount);
      },
    });
    const checks = cheap.filter((_, i) => turnOf(i) === check);
    const searchesDuring = searches.length;
    await crowd.stop();

    const answered = searches.filter((s) => s.status === 200).map((s) => s.ms);
    console.log(
      JSON.stringify({
        subjects: SUBJECTS,
        soloSearchMs: roundMs(soloSearch.ms),
        soloCheapMs: roundMs(soloCheap.ms),
        soloCheckMs: roundMs(soloCheck.ms),
        cheap: latencies(cheap),
        checks: latencies(checks),
        searches: {
          during: searchesDuring,
          total: searches.length,
          byOutcome: byOutcome(searches),
          answeredP50: roundMs(percentile(answered, 50)),
          slowestMs: roundMs(Math.max(...searches.map((s) => s.ms))),
        },
        searchPoolWaiting,
        mainPoolWaiting,
      }),
    );

    // The checks and the cheap lookups kept answering, and fast.
    expect(cheap.length).toBe(CHEAP_CALLS);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(percentile(cheap, 95)).toBeLessThan(1_000);
    expect(checks.length).toBe(Math.ceil(CHEAP_CALLS / 3));
    expect(percentile(checks, 95)).toBeLessThan(1_000);
    // The crowd was real: searches ran, and the ones beyond the limit were refused with a coded 503 and Retry-After.
    expect(answered.length).toBeGreaterThan(0);
    const busy = searches.filter((s) => s.code === 'QUERY_BUSY');
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((s) => s.status === 503 && s.retryAfter === '1')).toBe(true);
    // Nothing else: no 500, no connection-pool timeout; every search answered within its wait and statement bounds.
    for (const s of searches) {
      expect([200, 400, 503]).toContain(s.status);
      if (s.status === 400) expect(s.code).toBe('QUERY_SEARCH_TOO_BROAD');
    }
    expect(Math.max(...searches.map((s) => s.ms))).toBeLessThan(2_000 + SEARCH.statementTimeoutMs + 5_000);
    // Nothing piled up behind the pools: the limit let at most the search pool's size run.
    expect(searchPoolWaiting).toBe(0);
    expect(mainPoolWaiting).toBe(0);
  });

  it('answers a statement its timeout cancelled with a coded answer and Retry-After, never a 500', async () => {
    const client = await h.pool.connect();
    try {
      await client.query('begin');
      // Held locks make the next statements wait past the search pool's statement_timeout, whatever the load.
      await client.query('lock table aggregator.subject_names, lists.entries in access exclusive mode');
      const search = await get(searchUrl('智联科技'));
      expect(search.statusCode).toBe(400);
      expect(search.json().error.code).toBe('QUERY_SEARCH_TOO_BROAD');
      expect(search.headers['retry-after']).toBe('2');
      const lists = await get('/v1/public/lists');
      expect(lists.statusCode).toBe(503);
      expect(lists.json().error.code).toBe('DB_STATEMENT_TIMEOUT');
      expect(lists.headers['retry-after']).toBe('5');
    } finally {
      await client.query('rollback');
      client.release();
    }
    expect((await get(searchUrl('智联科技'))).statusCode).toBe(200);
  });
});
