import { api } from './api.js';
import { colourTag, listBadge } from './common.js';
import { facts, formatDate, h, notice } from './dom.js';

/** Record kinds shown first, in this order (双公示); other kinds follow as they come. */
const FIRST_KINDS = ['administrative-licence', 'administrative-penalty'];

function period(from, until) {
  return `${formatDate(from)} 至 ${until ? formatDate(until) : '长期'}`;
}

function listSection(lists) {
  const body = lists.length
    ? h(
        'ul',
        { class: 'entries' },
        lists.map((entry) =>
          h(
            'li',
            { class: `entry entry-${entry.colour}` },
            h(
              'div',
              { class: 'entry-head' },
              colourTag(entry.colour),
              listBadge(entry.colour, entry.listName),
            ),
            facts([
              ['列入依据', entry.explanation],
              ['认定部门', entry.departmentName],
              ['有效期', period(entry.validFrom, entry.validUntil)],
            ]),
          ),
        ),
      )
    : notice('empty', '暂无公示的名单信息。');
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'lists-title' },
    h('h2', { id: 'lists-title' }, '名单信息'),
    body,
  );
}

function recordItem(record) {
  return h(
    'li',
    { class: 'record' },
    h(
      'details',
      {},
      h(
        'summary',
        {},
        h('span', { class: 'record-title' }, record.title),
        h('span', { class: 'record-meta' }, `${formatDate(record.decisionDate)} · ${record.departmentName}`),
      ),
      record.details.length
        ? facts(
            record.details.map((d) => [d.label, d.value]),
            'facts facts-detail',
          )
        : notice('empty', '无更多内容。'),
    ),
  );
}

function recordSections(records, total) {
  const groups = new Map();
  const ordered = [...records].sort((a, b) => rank(a.kind) - rank(b.kind));
  for (const record of ordered) {
    const group = groups.get(record.kindName) ?? [];
    group.push(record);
    groups.set(record.kindName, group);
  }
  const sections = [...groups].map(([kindName, group]) =>
    h(
      'section',
      { class: 'card' },
      h('h2', {}, kindName, h('span', { class: 'count' }, `${group.length} 条`)),
      h('ul', { class: 'records' }, group.map(recordItem)),
    ),
  );
  if (sections.length === 0)
    sections.push(
      h('section', { class: 'card' }, h('h2', {}, '公示信息'), notice('empty', '暂无公示的信用记录。')),
    );
  if (total > records.length)
    sections.push(notice('info', `共 ${total} 条记录，此处显示最近 ${records.length} 条。`));
  return sections;
}

function rank(kind) {
  const i = FIRST_KINDS.indexOf(kind);
  return i === -1 ? FIRST_KINDS.length : i;
}

/** #/subject/<code>: the public profile; an old code is redirected by the API to the canonical one. */
export async function profileView(code) {
  const { data } = await api.subject(code);
  const { subject } = data;
  if (subject.code !== code) history.replaceState(null, '', `#/subject/${encodeURIComponent(subject.code)}`);
  const person = subject.category === 'NATURAL_PERSON';
  const colours = [...new Set(data.lists.map((e) => e.colour))];
  document.title = `${subject.name} - 信用查询`;
  return [
    h(
      'section',
      { class: 'card profile-head' },
      h('h1', { tabindex: '-1' }, subject.name),
      colours.length ? h('p', { class: 'tags' }, colours.map(colourTag)) : null,
      facts([
        [person ? '证件号码' : '统一社会信用代码', h('span', { class: 'code' }, subject.displayCode)],
        ['主体类型', subject.kindName],
        ['曾用名', subject.formerNames.length ? subject.formerNames.join('、') : ''],
        ['信息截至', formatDate(data.asOf)],
      ]),
    ),
    listSection(data.lists),
    ...recordSections(data.records, data.recordsTotal),
  ];
}
