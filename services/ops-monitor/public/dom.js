// Small DOM helpers: every piece of data goes in as text (textContent / text nodes), never as HTML.

/** Builds an element. `attrs`: `class`, `text`, boolean or string attributes; children: nodes or strings (as text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
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

/** A table in a horizontally scrollable box (the page itself never scrolls sideways). */
export function table(headers, rows, cls = '') {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: cls },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((header) => h('th', { scope: 'col', text: header })),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((cells) =>
          h(
            'tr',
            {},
            cells.map((cell) => h('td', {}, cell)),
          ),
        ),
      ),
    ),
  );
}

/** A notice paragraph. */
export function notice(text, kind = '') {
  return h('p', { class: `notice ${kind ? `notice-${kind}` : ''}`.trim(), text });
}
