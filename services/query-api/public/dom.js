// Small DOM helpers: every piece of data goes in as text (textContent / text nodes), never as HTML.

/**
 * Builds an element. `attrs`: `class`, `text`, `on<Event>` handlers, boolean or string attributes.
 * Children: nodes, strings (as text), or nested arrays; null/undefined/false are left out.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'value') el.value = String(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.append(child);
    else el.append(document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** A hash-route link, e.g. link('#/subject/X', '名称'). */
export function link(href, text, attrs = {}) {
  return h('a', { ...attrs, href }, text);
}

/** A label/value list (<dl>), leaving out empty values. */
export function facts(pairs, cls = 'facts') {
  return h(
    'dl',
    { class: cls },
    pairs
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([label, value]) => h('div', {}, h('dt', { text: label }), h('dd', {}, value))),
  );
}

/** A short notice: kind is 'error', 'empty' or 'info'. */
export function notice(kind, message) {
  return h('p', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
}

/** 2026-06-01 stays as it is; a timestamp becomes China time, to the minute. */
export function formatDate(value) {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
