import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderReportPdf } from '../src/report-pdf.ts';
import type { CreditReport, ReportRecord, ReportSubject } from '../src/report-types.ts';

const COMPANY: ReportSubject = {
  code: '91350102MA2Y8K3L7Q',
  displayCode: '91350102MA2Y8K3L7Q',
  name: '福州市鼓楼区示例食品有限公司',
  kind: 'enterprise',
  kindName: '企业',
  category: 'legal_person',
  divisionCode: '350102',
  formerNames: ['福州市鼓楼区示例食品商行'],
  legacyCodes: [{ code: '35010200012345', codeType: 'REGISTRATION_NUMBER' }],
};

const DEPARTMENTS = [
  ['samr-fz', '福州市市场监督管理局'],
  ['tax-fz', '国家税务总局福州市税务局'],
  ['hrss-fz', '福州市人力资源和社会保障局'],
] as const;

function record(i: number): ReportRecord {
  const [department, departmentName] = DEPARTMENTS[i % DEPARTMENTS.length] ?? DEPARTMENTS[0];
  const penalty = i % 3 !== 2;
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((i % 12) + 1).padStart(2, '0');
  return {
    department,
    departmentName,
    sourceRecordId: `SRC-${i}`,
    kind: penalty ? 'administrative_penalty' : 'administrative_licence',
    kindName: penalty ? '行政处罚' : '行政许可',
    severity: penalty ? 'general' : 'none',
    status: i % 7 === 0 ? 'repaired' : 'active',
    decisionDate: `2024-${month}-${day}`,
    disclosure: (['public', 'closed', 'authorised'] as const)[i % 3] ?? 'public',
    title: penalty
      ? `榕鼓市监罚字〔2024〕第${1000 + i}号 销售不符合食品安全标准的食品`
      : `JY135010200${1000 + i} 食品经营许可证`,
    details: penalty
      ? [
          { label: '处罚决定书文号', value: `榕鼓市监罚字〔2024〕第${1000 + i}号` },
          { label: '违法行为类型', value: '违反《中华人民共和国食品安全法》第三十四条' },
          {
            label: '处罚内容',
            value: `没收违法所得人民币${(i + 1) * 120}元，并处罚款人民币${(i + 1) * 1000}元。`,
          },
          { label: '处罚依据', value: '《中华人民共和国食品安全法》第一百二十四条第一款第（一）项' },
        ]
      : [
          { label: '许可证书名称', value: '食品经营许可证' },
          { label: '许可内容', value: '预包装食品（含冷藏冷冻食品）销售；散装食品销售' },
          { label: '有效期', value: '2024-01-01 至 2028-12-31' },
        ],
  };
}

function companyReport(recordCount: number): CreditReport {
  const records = Array.from({ length: recordCount }, (_, i) => record(i));
  return {
    reportNumber: 'XYBG-20250301-0000012345',
    verificationCode: '3F2A-91C0-77B1-0D4E',
    contentHash: '3f2a91c077b10d4e'.padEnd(64, '0'),
    issuedAt: '2025-03-01T02:15:30.000Z',
    issuedTo: '中国工商银行股份有限公司福州鼓楼支行',
    purpose: '信贷审批',
    verifyUrl: 'https://credit.example.gov.cn/verify/XYBG-20250301-0000012345',
    content: {
      subject: COMPANY,
      asOf: '2025-03-01',
      summary: {
        recordsTotal: records.length,
        inForce: records.filter((r) => r.status === 'active').length,
        penalties: records.filter((r) => r.kind === 'administrative_penalty').length,
        seriousDishonesty: 1,
        positive: 0,
        listEntriesInForce: 2,
      },
      listEntries: [
        {
          listType: 'dishonest_judgement_debtor',
          listName: '失信被执行人名单',
          colour: 'black',
          state: 'published',
          designatingDepartment: 'court-fz',
          departmentName: '福州市鼓楼区人民法院',
          validFrom: '2024-06-01',
          validUntil: '2027-05-31',
          explanation: '有履行能力而拒不履行生效法律文书确定义务。',
        },
        {
          listType: 'food_safety_watch',
          listName: '食品安全重点关注名单',
          colour: 'watch',
          state: 'confirmed',
          designatingDepartment: 'samr-fz',
          departmentName: '福州市市场监督管理局',
          validFrom: '2024-09-15',
          validUntil: null,
          explanation: '一年内因食品安全违法行为受到三次以上行政处罚。',
        },
        {
          listType: 'tax_a_grade',
          listName: '纳税信用A级纳税人名单',
          colour: 'red',
          state: 'exited',
          designatingDepartment: 'tax-fz',
          departmentName: '国家税务总局福州市税务局',
          validFrom: '2022-04-01',
          validUntil: '2023-03-31',
          explanation: '年度纳税信用评价为A级。',
        },
      ],
      records,
      catalogueVersion: '2025.02',
      listTypesVersion: '2025.01',
    },
  };
}

async function pagesText(pdf: Buffer): Promise<{ totalPages: number; text: string[] }> {
  const { totalPages, text } = await extractText(new Uint8Array(pdf), { mergePages: false });
  // Text runs come back separated by spaces or newlines depending on layout; compare without whitespace.
  return { totalPages, text: text.map((page) => page.replace(/\s+/g, '')) };
}

describe('renderReportPdf', () => {
  it('renders a multi-page company report with readable Chinese text, a footer on every page and a subset font', async () => {
    const report = companyReport(60);
    const pdf = await renderReportPdf(report);

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(1.5 * 1024 * 1024);

    const { totalPages, text } = await pagesText(pdf);
    expect(totalPages).toBeGreaterThanOrEqual(2);
    const all = text.join('\n');
    expect(all).toContain('信用报告');
    expect(all).toContain(report.reportNumber);
    expect(all).toContain(report.verificationCode);
    expect(all).toContain(report.content.subject.name);
    expect(all).toContain(report.content.subject.displayCode);
    expect(all).toContain('失信被执行人名单');
    expect(all).toContain('榕鼓市监罚字〔2024〕第1058号');
    expect(all).toContain('仅授权查询');
    expect(all).toContain('公示期已满');

    text.forEach((page, i) => {
      expect(page).toContain(`第${i + 1}页/共${totalPages}页`);
      expect(page).toContain(report.reportNumber);
      expect(page).toContain(report.verificationCode);
      expect(page).toContain(`本报告可在${report.verifyUrl}输入报告编号和验证码核验`);
    });
  }, 30_000);

  it("shows a natural person's masked identity number and never the subject code", async () => {
    const code = '350102199001011234';
    const report = companyReport(2);
    report.content.subject = {
      code,
      displayCode: '**************1234',
      name: '张三',
      kind: 'natural_person',
      kindName: '自然人',
      category: 'natural_person',
      divisionCode: null,
      formerNames: [],
      legacyCodes: [{ code: '350102900101123', codeType: 'RESIDENT_IDENTITY_CARD' }],
    };
    report.content.listEntries = [];

    const { text } = await pagesText(await renderReportPdf(report));
    const all = text.join('\n');
    expect(all).toContain('证件号码（已脱敏）');
    expect(all).toContain('**************1234');
    expect(all).not.toContain(code);
    expect(all).not.toContain('350102900101123');
    expect(all).not.toContain('统一社会信用代码');
  }, 30_000);
});
