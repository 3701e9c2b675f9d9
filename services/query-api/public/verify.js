import { api } from './api.js';
import { facts, formatDate, h, notice } from './dom.js';

function form(number, code) {
  return h(
    'form',
    {
      class: 'card verify-form',
      onSubmit: (event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const next = new URLSearchParams({
          number: String(data.get('number') ?? '').trim(),
          code: String(data.get('code') ?? '').trim(),
        });
        location.hash = `#/verify?${next}`;
      },
    },
    h(
      'label',
      { class: 'field' },
      h('span', {}, '报告编号'),
      h('input', { name: 'number', value: number, required: true, maxlength: '40', autocomplete: 'off' }),
    ),
    h(
      'label',
      { class: 'field' },
      h('span', {}, '核验码'),
      h('input', { name: 'code', value: code, required: true, maxlength: '24', autocomplete: 'off' }),
    ),
    h('div', { class: 'field field-actions' }, h('button', { type: 'submit' }, '核验')),
  );
}

async function result(number, code) {
  if (code.replace(/[^0-9A-Za-z]/g, '').length < 16)
    return notice('error', '核验码应为 16 位以上的字母或数字，请核对报告上的核验码。');
  try {
    const { data } = await api.verify(number, code);
    const s = data.summary;
    return h(
      'section',
      { class: `card verdict ${data.valid ? 'verdict-ok' : 'verdict-bad'}`, 'aria-live': 'polite' },
      h('h2', {}, data.valid ? '真实有效' : '核验未通过：报告内容与存档不一致'),
      facts([
        ['主体名称', data.subject.name],
        ['证照号码', h('span', { class: 'code' }, data.subject.displayCode)],
        ['报告编号', data.reportNumber],
        ['出具时间', formatDate(data.issuedAt)],
        ['信息截至', formatDate(data.asOf)],
        ['记录总数', `${s.recordsTotal} 条（有效 ${s.inForce} 条）`],
        ['行政处罚', `${s.penalties} 条`],
        ['严重失信', `${s.seriousDishonesty} 条`],
        ['守信激励', `${s.positive} 条`],
        ['在列名单', `${s.listEntriesInForce} 项`],
      ]),
      data.listEntries.length
        ? h(
            'ul',
            { class: 'plain' },
            data.listEntries.map((e) =>
              h(
                'li',
                {},
                `${e.listName}（${formatDate(e.validFrom)} 至 ${e.validUntil ? formatDate(e.validUntil) : '长期'}）`,
              ),
            ),
          )
        : null,
    );
  } catch (error) {
    if (error.status === 404) {
      return h(
        'section',
        { class: 'card verdict verdict-bad', role: 'alert' },
        h('h2', {}, '未找到'),
        h('p', {}, error.message),
      );
    }
    throw error;
  }
}

/** #/verify?number=&code=: checks a printed credit report. */
export async function verifyView(params) {
  const number = params.get('number') ?? '';
  const code = params.get('code') ?? '';
  document.title = '报告核验 - 信用查询';
  return [
    h('h1', { tabindex: '-1' }, '信用报告核验'),
    h('p', { class: 'muted' }, '输入信用报告上的报告编号和核验码，核对报告是否由本平台出具、内容是否真实。'),
    form(number, code),
    number && code ? await result(number, code) : null,
  ];
}
