import { h, link } from './dom.js';

export const COLOURS = {
  red: { label: '红名单', hint: '守信激励' },
  black: { label: '黑名单', hint: '失信惩戒' },
  watch: { label: '重点关注名单', hint: '重点关注' },
  warning: { label: '信用预警', hint: '风险提示' },
};

/** A coloured badge for a list entry: the list's own name, titled with the colour's kind of list. */
export function listBadge(colour, listName) {
  const meta = COLOURS[colour] ?? { label: colour };
  return h('span', { class: `badge badge-${colour}`, title: meta.label }, listName || meta.label);
}

export function colourTag(colour) {
  const meta = COLOURS[colour] ?? { label: colour };
  return h('span', { class: `tag tag-${colour}` }, meta.label);
}

export function subjectHref(code) {
  return `#/subject/${encodeURIComponent(code)}`;
}

export function subjectLink(code, name) {
  return link(subjectHref(code), name);
}

/** Whether a query is a code rather than a name: USCC or ID number (18), registration number (15), org code (9). */
export function looksLikeCode(text) {
  const value = text.trim().toUpperCase();
  return (
    /^[0-9A-Z]{18}$/.test(value) ||
    /^\d{15}$/.test(value) ||
    /^[0-9A-Z]{8}-?[0-9X]$/.test(value) ||
    /^\d{17}[0-9X]$/.test(value)
  );
}

/** Where a query from a search box goes: a profile for a code, the results otherwise. */
export function queryTarget(text) {
  const value = text.trim();
  if (looksLikeCode(value)) return subjectHref(value.toUpperCase().replace('-', ''));
  return `#/search?${new URLSearchParams({ q: value })}`;
}

/** The search form, big on the home page and compact above results. */
export function searchForm(initial = '', big = false) {
  const input = h('input', {
    type: 'search',
    name: 'q',
    value: initial,
    placeholder: '搜索企业名称或统一社会信用代码',
    'aria-label': '搜索企业名称或统一社会信用代码',
    autocomplete: 'off',
    enterkeyhint: 'search',
    maxlength: '100',
  });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h(
    'form',
    {
      class: big ? 'search search-big' : 'search',
      role: 'search',
      onSubmit: (event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (value.length < 2) {
          error.textContent = '请输入至少 2 个字符的企业名称或代码。';
          error.hidden = false;
          input.focus();
          return;
        }
        error.hidden = true;
        location.hash = queryTarget(value);
      },
    },
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit' }, '查询')),
    error,
  );
  return form;
}
