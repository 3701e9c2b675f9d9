import { api, loadReference } from './api.js';
import { COLOURS, colourTag, listBadge, subjectLink } from './common.js';
import { formatDate, h, notice } from './dom.js';

const FILTERS = ['colour', 'listType', 'department', 'region'];

function select(name, label, options, current) {
  return h(
    'label',
    { class: 'field' },
    h('span', {}, label),
    h(
      'select',
      { name },
      h('option', { value: '' }, '全部'),
      options.map(([value, text]) => h('option', { value, selected: value === current }, text)),
    ),
  );
}

function entryItem(entry) {
  return h(
    'li',
    { class: `entry entry-${entry.colour}` },
    h('div', { class: 'entry-head' }, colourTag(entry.colour), listBadge(entry.colour, entry.listName)),
    h('p', { class: 'entry-subject' }, subjectLink(entry.subject.code, entry.subject.name)),
    h('p', { class: 'muted code' }, entry.subject.displayCode),
    h(
      'p',
      { class: 'muted' },
      `${entry.departmentName} · ${formatDate(entry.validFrom)} 至 ${entry.validUntil ? formatDate(entry.validUntil) : '长期'}`,
    ),
  );
}

/** #/lists?colour=&listType=&department=&region=: published list entries with filters, 加载更多 by cursor. */
export async function listsView(params) {
  const filter = Object.fromEntries(FILTERS.map((key) => [key, params.get(key) ?? '']));
  const reference = await loadReference();
  const listTypes = reference.listTypes.filter((t) => !filter.colour || t.colour === filter.colour);
  const regionError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h(
    'form',
    {
      class: 'filters card',
      onSubmit: (event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const region = String(data.get('region') ?? '').trim();
        if (region && !/^\d{2}(\d{2}){0,2}$/.test(region)) {
          regionError.textContent = '地区代码应为 2、4 或 6 位数字（如 35、3501、350102）。';
          regionError.hidden = false;
          return;
        }
        const next = new URLSearchParams();
        for (const key of FILTERS) {
          const value = key === 'region' ? region : String(data.get(key) ?? '');
          if (value) next.set(key, value);
        }
        location.hash = `#/lists?${next}`;
      },
    },
    select(
      'colour',
      '名单类别',
      Object.entries(COLOURS).map(([value, meta]) => [value, meta.label]),
      filter.colour,
    ),
    select(
      'listType',
      '名单名称',
      listTypes.map((t) => [t.code, t.name]),
      filter.listType,
    ),
    select(
      'department',
      '认定部门',
      reference.departments.map((d) => [d.code, d.regionName ? `${d.name}（${d.regionName}）` : d.name]),
      filter.department,
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '地区代码'),
      h('input', {
        name: 'region',
        value: filter.region,
        inputmode: 'numeric',
        maxlength: '6',
        placeholder: '如 35 或 3501',
        autocomplete: 'off',
      }),
    ),
    h('div', { class: 'field field-actions' }, h('button', { type: 'submit' }, '筛选')),
    regionError,
  );

  const list = h('ul', { class: 'entries' });
  const status = h('div', { class: 'more' });
  const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v));

  async function load(cursor) {
    const { data } = await api.lists({ ...query, cursor });
    list.append(...data.entries.map(entryItem));
    if (!cursor && data.entries.length === 0)
      status.replaceChildren(notice('empty', '没有符合条件的名单信息。'));
    else if (data.nextCursor) {
      const button = h('button', { type: 'button', class: 'secondary' }, '加载更多');
      button.addEventListener('click', async () => {
        button.disabled = true;
        button.textContent = '加载中…';
        try {
          await load(data.nextCursor);
        } catch (error) {
          button.disabled = false;
          button.textContent = '加载更多';
          status.append(notice('error', error.message));
        }
      });
      status.replaceChildren(button);
    } else status.replaceChildren(h('p', { class: 'muted end' }, '已显示全部'));
  }
  await load(undefined);
  document.title = '名单公示 - 信用查询';
  return [h('h1', { tabindex: '-1' }, '名单公示'), form, list, status];
}
