import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { type RecordKind, samples } from '@credit/schemas';
import { describe, expect, it } from 'vitest';
import { ENUM_LABELS } from '../src/csv.ts';
import {
  type CsvItem,
  contracts,
  kindColumns,
  mappingFor,
  parseDateCell,
  prepareRecord,
  readCsvRecords,
  rowToWire,
  toWire,
} from '../src/index.ts';
import { leavesOf } from '../src/schema-model.ts';
import { contextFor, KINDS, NOW } from './helpers.ts';

const PENALTIES = new URL('./fixtures/penalties.csv', import.meta.url);

async function collect(items: AsyncIterable<CsvItem>): Promise<CsvItem[]> {
  const all: CsvItem[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvText(rows: readonly (readonly string[])[]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** A kind's sample as one row of the generic template: header = field path, arrays joined with ';'. */
function genericRow(kind: RecordKind): { headers: string[]; cells: string[] } {
  const record = toWire(kind, samples[kind]).record as Record<string, unknown>;
  const headers: string[] = [];
  const cells: string[] = [];
  for (const leaf of kindColumns(kind).leaves) {
    let value: unknown = record;
    for (const key of leaf.path.split('.')) value = (value as Record<string, unknown> | null)?.[key];
    headers.push(leaf.path);
    cells.push(
      value === null || value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value),
    );
  }
  return { headers, cells };
}

describe('the 双公示 penalty template', () => {
  it('reads a Chinese-header file with BOM and CRLF: two good records and one refused, by line', async () => {
    const items = await collect(readCsvRecords(createReadStream(PENALTIES), 'administrative-penalty'));
    expect(items.map((item) => ['wire' in item, item.line])).toEqual([
      [true, 2],
      [true, 4],
      [true, 5],
    ]);
    const results = items.map((item) =>
      'wire' in item
        ? { line: item.line, result: prepareRecord(item.wire, contextFor('administrative-penalty')) }
        : undefined,
    );
    expect(results.map((entry) => [entry?.line, entry?.result.ok])).toEqual([
      [2, true],
      [4, false],
      [5, true],
    ]);
    const refused = results[1]?.result;
    expect(refused?.ok === false && refused.rejections).toEqual([
      expect.objectContaining({
        code: 'INTAKE_SUBJECT_CODE',
        value: '91350100MA2Y0001X8',
        rule: 'USCC_CHECK_CHARACTER',
      }),
    ]);
    expect(refused).toMatchObject({ recordId: 'CF-2024-001350', version: 1 });

    const company = results[0]?.result;
    expect(company?.ok && company.value).toMatchObject({
      envelope: {
        sourceRecordId: 'CF-2024-001301',
        reportingDepartmentCode: '113501000037021557',
        decisionDate: '2024-05-20',
        severity: 'GENERAL_DISHONESTY',
        reportedAt: NOW,
        subject: {
          category: 'LEGAL_ENTITY',
          code: '91350100M000100Y43',
          codeType: 'USCC',
          legalRepresentative: {
            name: '林建华',
            idType: 'RESIDENT_IDENTITY_CARD',
            idNumber: '350102198001011233',
          },
          legacyCodes: {
            registrationNumber: '350100100012345',
            organisationCode: 'M000100Y4',
            taxRegistrationNumber: null,
          },
        },
      },
      violationFacts:
        '当事人于2024年2月至4月期间销售标签不符合规定的预包装食品共计1,250件。\r\n货值金额12,505.00元。',
      penaltyCategories: ['FINE'],
      fineAmount: '7.503000',
      confiscatedAmount: null,
      penaltyValidUntil: null,
      publicationDeadline: '2025-05-20',
    });

    const person = results[2]?.result;
    expect(person?.ok && person.value).toMatchObject({
      envelope: {
        decisionDate: '2024-06-12',
        subject: {
          category: 'NATURAL_PERSON',
          code: '35010319880716215X',
          codeType: 'RESIDENT_IDENTITY_CARD',
          legalRepresentative: null,
          legacyCodes: null,
        },
      },
      penaltyCategories: ['FINE', 'CONFISCATION_OF_ILLEGAL_GAINS'],
      fineAmount: '0.200000',
      confiscatedAmount: '0.050000',
      publicationDeadline: '2025-06-12',
    });
    // Keyed by the record id: a person's number never keys a message.
    expect(person?.ok && person.key).toBe(person?.ok && person.recordId);
    expect(person?.ok && person.key).not.toContain('35010319880716215X');
  });

  it('knows every header of the national licence and penalty templates', () => {
    const common = [
      '行政相对人名称',
      '行政相对人类别',
      '统一社会信用代码',
      '工商注册号',
      '组织机构代码',
      '税务登记号',
      '事业单位证书号',
      '社会组织登记证号',
      '法定代表人',
      '法定代表人证件类型',
      '法定代表人证件号码',
      '证件类型',
      '证件号码',
      '数据来源单位',
      '数据来源单位统一社会信用代码',
      '备注',
    ];
    const platform = ['记录编号', '版本', '操作', '目录项编码', '严重程度'];
    const english = ['sourceRecordId', 'version', 'operation', 'catalogueItemCode', 'severity'];
    const licence = [
      '行政许可决定文书名称',
      '行政许可决定文书号',
      '许可类别',
      '许可证书名称',
      '许可编号',
      '许可内容',
      '许可决定日期',
      '有效期自',
      '有效期至',
      '许可机关',
      '许可机关统一社会信用代码',
      '当前状态',
    ];
    const penalty = [
      '行政处罚决定书文号',
      '违法行为类型',
      '违法事实',
      '处罚依据',
      '处罚类别',
      '处罚内容',
      '罚款金额（万元）',
      '没收违法所得、没收非法财物的金额（万元）',
      '暂扣或吊销证照名称及编号',
      '处罚决定日期',
      '处罚有效期',
      '公示截止期',
      '处罚机关',
      '处罚机关统一社会信用代码',
    ];
    for (const [kind, own] of [
      ['administrative-licence', licence],
      ['administrative-penalty', penalty],
    ] as const) {
      const headers = [...common, ...own, ...platform];
      const result = mappingFor(kind, headers);
      expect(result.unknownHeaders).toEqual([]);
      expect(result.duplicateHeaders).toEqual([]);
      expect(result.missingRequired).toEqual([]);
      expect(result.mapping.columns.size).toBe(headers.length);
      const inEnglish = mappingFor(kind, [...common, ...own, ...english]);
      expect([inEnglish.unknownHeaders, inEnglish.missingRequired]).toEqual([[], []]);
      expect([...inEnglish.mapping.columns.values()].slice(-5)).toEqual(
        [...result.mapping.columns.values()].slice(-5),
      );
    }
    // Brackets and spaces do not matter.
    expect(
      mappingFor('administrative-penalty', [' 罚款金额(万元)', '罚款金额（万元） ']).duplicateHeaders,
    ).toEqual(['罚款金额（万元） ']);
  });

  it('converts labels, 长期有效 and the status codes of the licence template', () => {
    const headers = ['许可类别', '有效期自', '有效期至', '当前状态', '行政相对人类别', '严重程度', '操作'];
    const { mapping } = mappingFor('administrative-licence', headers);
    const row = {
      许可类别: '特许',
      有效期自: '20240315',
      有效期至: '长期有效',
      当前状态: '1',
      行政相对人类别: '个体工商户',
      严重程度: '基础信息',
      操作: '撤销',
    };
    const result = rowToWire('administrative-licence', row, mapping);
    expect(result.ok && result.wire.record).toEqual({
      licenceCategory: 'SPECIAL',
      validFrom: '2024-03-15',
      validTo: '2099-12-31',
      status: 'VALID',
      envelope: { subject: { category: 'INDIVIDUAL_BUSINESS' }, severity: 'BASIC', operation: 'REVOKE' },
    });
  });
});

describe('the generic template', () => {
  it.each(KINDS)('reads a %s file whose headers are field paths', async (kind) => {
    const { headers, cells } = genericRow(kind);
    const items = await collect(readCsvRecords(Readable.from([csvText([headers, cells])]), kind));
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect('wire' in item && item.line).toBe(2);
    const result = 'wire' in item ? prepareRecord(item.wire, contextFor(kind)) : undefined;
    expect(result?.ok && result.value).toEqual(samples[kind]);
  });

  it('takes catalogue item, severity and department from defaults when the file has no column for them', async () => {
    const { headers, cells } = genericRow('honour');
    const dropped = new Set([
      'envelope.catalogueItemCode',
      'envelope.severity',
      'envelope.reportingDepartmentCode',
    ]);
    const keep = headers.map((header) => !dropped.has(header));
    const file = csvText([headers.filter((_, i) => keep[i]), cells.filter((_, i) => keep[i])]);
    const withoutDefaults = await collect(readCsvRecords(Readable.from([file]), 'honour'));
    expect(withoutDefaults).toEqual([
      { line: 1, rejections: [expect.objectContaining({ code: 'INTAKE_CSV_MISSING_COLUMN' })] },
    ]);
    const rejection = 'rejections' in withoutDefaults[0]! ? withoutDefaults[0].rejections[0] : undefined;
    expect(rejection?.value).toBe(
      'envelope.reportingDepartmentCode (报送部门统一社会信用代码), envelope.catalogueItemCode (信用信息目录项代码), envelope.severity (信息类别)',
    );
    const sample = samples.honour.envelope;
    const defaults = {
      catalogueItemCode: sample.catalogueItemCode,
      severity: '良好信息',
      reportingDepartmentCode: sample.reportingDepartmentCode,
    };
    const [item] = await collect(readCsvRecords(Readable.from([file]), 'honour', defaults));
    const result = item && 'wire' in item ? prepareRecord(item.wire, contextFor('honour')) : undefined;
    expect(result?.ok && result.value).toEqual(samples.honour);
  });
});

describe('file problems', () => {
  const { headers, cells } = genericRow('administrative-penalty');

  it('reports unknown headers once, at line 1, and reads the rows', async () => {
    const file = csvText([
      [...headers, '联系电话', 'colour'],
      [...cells, '0591-12345678', 'red'],
      [...cells, '', ''],
    ]);
    const items = await collect(readCsvRecords(Readable.from([file]), 'administrative-penalty'));
    expect(items.map((item) => item.line)).toEqual([1, 2, 3]);
    expect(items[0]).toEqual({
      line: 1,
      rejections: [expect.objectContaining({ code: 'INTAKE_CSV_UNKNOWN_HEADER', value: '联系电话, colour' })],
    });
    expect(items.slice(1).every((item) => 'wire' in item)).toBe(true);
  });

  it('reports repeated columns and ignores all but the first', async () => {
    const file = csvText([
      [...headers, '罚款金额（万元）'],
      [...cells, '99'],
    ]);
    const items = await collect(readCsvRecords(Readable.from([file]), 'administrative-penalty'));
    expect(items[0]).toMatchObject({
      line: 1,
      rejections: [{ code: 'INTAKE_CSV_DUPLICATE_HEADER', value: '罚款金额（万元）' }],
    });
    expect(items[1] && 'wire' in items[1] && items[1].wire.record).toMatchObject({ fineAmount: '7.503000' });
  });

  it('refuses a row with the wrong number of cells and goes on', async () => {
    const file = csvText([headers, cells.slice(1), cells]);
    const items = await collect(readCsvRecords(Readable.from([file]), 'administrative-penalty'));
    expect(items).toEqual([
      { line: 2, rejections: [expect.objectContaining({ code: 'INTAKE_CSV_COLUMN_COUNT' })] },
      expect.objectContaining({ line: 3, wire: expect.anything() }),
    ]);
  });

  it('names the column, value and expectation of every cell it cannot convert', async () => {
    const broken = new Map([
      ['penaltyCategories', '罚款;鞭刑'],
      ['envelope.decisionDate', '2024-13-01'],
      ['fineAmount', '七万五'],
    ]);
    const file = csvText([headers, headers.map((header, i) => broken.get(header) ?? cells[i]!)]);
    const [item] = await collect(readCsvRecords(Readable.from([file]), 'administrative-penalty'));
    const rejections = item && 'rejections' in item ? item.rejections : [];
    expect(rejections.map((r) => [r.code, r.field, r.value])).toEqual([
      ['INTAKE_CSV_VALUE', 'envelope.decisionDate', '2024-13-01'],
      ['INTAKE_CSV_VALUE', 'penaltyCategories', '罚款;鞭刑'],
      ['INTAKE_CSV_VALUE', 'fineAmount', '七万五'],
    ]);
    expect(rejections[1]?.rule).toContain('FINE/罚款');
    expect(rejections[1]?.message).toContain('"鞭刑"');
  });

  it('stops at a syntax error, saying where and what was read', async () => {
    const file = `${csvText([headers, cells])}${cells.slice(0, 3).join(',')},"unclosed\r\n`;
    const items = await collect(readCsvRecords(Readable.from([file]), 'administrative-penalty'));
    expect(items.map((item) => item.line)).toEqual([2, 3]);
    expect(items[1]).toMatchObject({ rejections: [{ code: 'INTAKE_CSV_SYNTAX' }] });
    expect(items[1] && 'rejections' in items[1] && items[1].rejections[0]?.message).toContain(
      'nothing after line 2 was read',
    );
  });

  it('refuses a file that is not UTF-8', async () => {
    // 名称 in GBK, as Excel on Chinese Windows saves "CSV (comma delimited)".
    const gbk = Buffer.concat([Buffer.from([0xc3, 0xfb, 0xb3, 0xc6]), Buffer.from(',x\r\na,b\r\n')]);
    const items = await collect(readCsvRecords(Readable.from([gbk]), 'administrative-penalty'));
    expect(items).toEqual([
      { line: 1, rejections: [expect.objectContaining({ code: 'INTAKE_CSV_ENCODING' })] },
    ]);
  });

  it('refuses a kind that does not exist before reading anything', async () => {
    await expect(
      collect(readCsvRecords(Readable.from(['a\r\n']), 'parking-ticket' as RecordKind)),
    ).rejects.toThrow(/unknown record kind parking-ticket/);
  });
});

describe('cells', () => {
  it('reads the date forms of departments’ spreadsheets', () => {
    for (const text of [
      '2024-05-20',
      '2024/5/20',
      '2024.05.20',
      '20240520',
      '2024年5月20日',
      '2024/5/20 0:00',
      '２０２４－０５－２０',
    ]) {
      expect(parseDateCell(text)).toBe('2024-05-20');
    }
    for (const text of ['2024-02-30', '20241301', '5/20/2024', '2024年5月', ''])
      expect(parseDateCell(text)).toBeUndefined();
  });

  it('has Chinese labels for every symbol of every enum of every kind', () => {
    for (const kind of KINDS) {
      for (const leaf of leavesOf(contracts().model(kind))) {
        const node = leaf.node.type === 'array' ? leaf.node.items : leaf.node;
        if (node.type !== 'enum') continue;
        const labels = ENUM_LABELS[node.name];
        expect(labels, `${kind} ${leaf.path}`).toBeDefined();
        for (const symbol of node.symbols)
          expect(labels?.[symbol]?.length, `${node.name}.${symbol}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('streaming', () => {
  it('reads 200,000 rows as they arrive, never holding more than a few hundred', async () => {
    // A lean export: the required columns and the fine, with short text, so the run takes seconds.
    const sample = genericRow('administrative-penalty');
    const defaulted = new Set([
      'envelope.catalogueItemCode',
      'envelope.severity',
      'envelope.reportingDepartmentCode',
    ]);
    const required = new Set(
      kindColumns('administrative-penalty')
        .leaves.filter((leaf) => leaf.required && !defaulted.has(leaf.path))
        .map((leaf) => leaf.path),
    );
    const columns = sample.headers.flatMap((header, i) =>
      required.has(header) || header === 'fineAmount' ? [i] : [],
    );
    const headers = columns.map((i) => sample.headers[i]!);
    const row = columns
      .map((i) => sample.cells[i]!)
      .map((cell) => (/\p{Script=Han}/u.test(cell) ? cell.slice(0, 6) : cell));
    const idColumn = headers.indexOf('envelope.sourceRecordId');
    const { catalogueItemCode, severity, reportingDepartmentCode } =
      samples['administrative-penalty'].envelope;
    const total = 200_000;
    const rowsPerChunk = 100;
    let produced = 0;
    function* chunks() {
      yield csvText([headers]);
      for (let first = 0; first < total; first += rowsPerChunk) {
        const rows = Array.from({ length: rowsPerChunk }, (_, offset) => {
          const cells = [...row];
          cells[idColumn] = `CF-${first + offset}`;
          return cells;
        });
        produced += rowsPerChunk;
        yield Buffer.from(csvText(rows));
      }
    }
    let read = 0;
    let maxAhead = 0;
    let linesInOrder = true;
    const defaults = { catalogueItemCode, severity, reportingDepartmentCode };
    for await (const item of readCsvRecords(Readable.from(chunks()), 'administrative-penalty', defaults)) {
      read += 1;
      maxAhead = Math.max(maxAhead, produced - read);
      linesInOrder &&= item.line === read + 1 && 'wire' in item;
    }
    expect(read).toBe(total);
    expect(linesInOrder).toBe(true);
    expect(maxAhead).toBeLessThan(1000);
  }, 120_000);
});
