import { api } from './api.js';
import { COLOURS, searchForm, subjectHref } from './common.js';
import { h, link, notice, replace } from './dom.js';
import { listsView } from './lists.js';
import { profileView } from './profile.js';
import { verifyView } from './verify.js';

const PAGE_SIZE = 20;
const MATCH = { exact: '完全匹配', prefix: '前缀匹配', contains: '包含', similar: '相似名称' };
const main = document.getElementById('main');

function homeView() {
  document.title = '信用查询';
  return [
    h(
      'section',
      { class: 'hero' },
      h('h1', { tabindex: '-1' }, '信用信息查询'),
      h('p', { class: 'muted' }, '查询企业、个体工商户等主体的行政许可、行政处罚和红黑名单信息'),
      searchForm('', true),
    ),
    h(
      'nav',
      { class: 'quick card', 'aria-label': '名单公示' },
      h('h2', {}, '名单公示'),
      h(
        'ul',
        {},
        Object.entries(COLOURS).map(([colour, meta]) =>
          h('li', {}, link(`#/lists?colour=${colour}`, meta.label, { class: `tag tag-${colour}` })),
        ),
      ),
      h('p', {}, link('#/verify', '信用报告核验 →')),
    ),
  ];
}

function pageLink(q, page, text, enabled) {
  return enabled
    ? link(`#/search?${new URLSearchParams({ q, page: String(page) })}`, text, { class: 'button secondary' })
    : h('span', { class: 'button secondary disabled', 'aria-disabled': 'true' }, text);
}

async function searchView(params) {
  const q = (params.get('q') ?? '').trim();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  document.title = `${q} - 搜索 - 信用查询`;
  const head = [h('h1', { class: 'visually-hidden', tabindex: '-1' }, '搜索结果'), searchForm(q)];
  if (q.length < 2) return [...head, notice('error', '请输入至少 2 个字符的企业名称或代码。')];
  const { data } = await api.search(q, page, PAGE_SIZE);
  if (data.results.length === 0) {
    return [
      ...head,
      notice('empty', page > 1 ? '没有更多结果了。' : `未找到与“${q}”相关的主体，请尝试更换关键词。`),
    ];
  }
  return [
    ...head,
    h('p', { class: 'muted' }, `“${q}”的查询结果，第 ${page} 页`),
    h(
      'ol',
      { class: 'results', start: String((page - 1) * PAGE_SIZE + 1) },
      data.results.map((r) =>
        h(
          'li',
          { class: 'result card' },
          h('a', { class: 'result-name', href: subjectHref(r.code) }, r.name),
          r.matchedName && r.matchedName !== r.name
            ? h('p', { class: 'hint' }, `曾用名：${r.matchedName}`)
            : null,
          h(
            'p',
            { class: 'muted' },
            h('span', { class: 'code' }, r.displayCode),
            ` · ${r.kindName}`,
            r.match === 'similar' ? ` · ${MATCH.similar}` : '',
          ),
        ),
      ),
    ),
    h(
      'nav',
      { class: 'pager', 'aria-label': '分页' },
      pageLink(q, page - 1, '上一页', page > 1),
      h('span', { class: 'muted' }, `第 ${page} 页`),
      pageLink(q, page + 1, '下一页', data.hasMore),
    ),
  ];
}

function notFoundView() {
  document.title = '页面不存在 - 信用查询';
  return [notice('error', '页面不存在。'), h('p', {}, link('#/', '返回首页'))];
}

/** The route of a hash like #/search?q=x: its path and parameters. */
function parse(hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?', 2);
  return { path, params: new URLSearchParams(query) };
}

function view(path, params) {
  if (path === '/' || path === '') return homeView();
  if (path === '/search') return searchView(params);
  if (path === '/lists') return listsView(params);
  if (path === '/verify') return verifyView(params);
  const subject = /^\/subject\/(.+)$/.exec(path);
  // Not upper-cased: a natural person's token (p_…) is lower case; the server normalises other codes.
  if (subject) return profileView(decodeURIComponent(subject[1]).trim());
  return notFoundView();
}

let current = 0;

async function render() {
  const token = ++current;
  const { path, params } = parse(location.hash);
  for (const a of document.querySelectorAll('.site-nav a')) {
    const section = a.getAttribute('href').replace(/^#/, '').split('?')[0];
    if (section === '/' ? path === '/' : path.startsWith(section)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.setAttribute('aria-busy', 'true');
  replace(main, h('p', { class: 'loading', role: 'status' }, '正在查询…'));
  let content;
  try {
    content = await view(path, params);
  } catch (error) {
    content = [
      notice(
        'error',
        error?.message && error.status !== undefined ? error.message : '页面出错了，请刷新后重试。',
      ),
      h('p', {}, link('#/', '返回首页')),
    ];
    if (error?.status === undefined) console.error(error);
  }
  if (token !== current) return; // a newer navigation won
  replace(main, content);
  main.removeAttribute('aria-busy');
  window.scrollTo(0, 0);
  main.querySelector('h1')?.focus({ preventScroll: true });
}

window.addEventListener('hashchange', render);
render();
