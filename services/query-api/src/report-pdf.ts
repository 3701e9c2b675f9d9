import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chinaDateTime } from '@credit/calendar';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CreditReport, ReportListEntry, ReportRecord, ReportSubject } from './report-types.ts';

/** Renders an issued credit report (信用报告) as an A4 PDF with an embedded, subsetted Noto Sans SC font. */
export async function renderReportPdf(report: CreditReport): Promise<Buffer> {
  const fonts = await reportFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `信用报告 ${report.reportNumber}`,
      Subject: report.content.subject.name,
      Creator: 'credit-platform query-api',
      // The issue time rather than "now", so re-rendering the same report gives the same document metadata.
      CreationDate: new Date(report.issuedAt),
    },
  });
  const done = collect(doc);
  doc.registerFont(FONT.regular, fonts.regular);
  doc.registerFont(FONT.bold, fonts.bold);

  const layout = new Layout(doc);
  drawCover(layout, report);
  drawSubject(layout, report.content.subject);
  drawSummary(layout, report.content.summary);
  drawListEntries(layout, report.content.listEntries);
  drawRecords(layout, report.content.records);
  drawClosing(layout, report);
  drawPageFurniture(doc, report);

  doc.end();
  return done;
}

// --- font ---------------------------------------------------------------------------------------------------------

const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;
const FONT = { regular: 'NotoSansSC', bold: 'NotoSansSC-Bold' } as const;

type FontBytes = { regular: Buffer; bold: Buffer };
let fontBytes: Promise<FontBytes> | undefined;

/** The two TTFs are ~10 MB each: read once per process; pdfkit embeds only the glyphs each document uses. */
function reportFonts(): Promise<FontBytes> {
  if (!fontBytes) {
    const require = createRequire(import.meta.url);
    fontBytes = Promise.all([
      readFile(require.resolve(FONT_FILES.regular)),
      readFile(require.resolve(FONT_FILES.bold)),
    ]).then(([regular, bold]) => ({ regular, bold }));
    fontBytes.catch(() => {
      fontBytes = undefined; // let a later call retry instead of caching the failure
    });
  }
  return fontBytes;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

// --- layout primitives --------------------------------------------------------------------------------------------

const MARGINS = { top: 56, bottom: 78, left: 56, right: 56 };
const COLOUR = { text: '#1a1a1a', muted: '#5f6368', accent: '#0b3d91', rule: '#c8ccd2', fill: '#eef2f8' };
const SIZE = { title: 24, heading: 13, body: 10, small: 9, footer: 7.5 };

interface Column {
  header: string;
  width: number;
}

/** Thin helpers over pdfkit that keep blocks from running into the footer and start new pages when needed. */
class Layout {
  readonly left: number;
  readonly width: number;

  constructor(readonly doc: PDFKit.PDFDocument) {
    this.left = doc.page.margins.left;
    this.width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  usableHeight(): number {
    return this.bottom - this.doc.page.margins.top;
  }

  font(weight: 'regular' | 'bold', size: number, colour: string = COLOUR.text): PDFKit.PDFDocument {
    return this.doc.font(FONT[weight]).fontSize(size).fillColor(colour);
  }

  /** A section heading, moved to the next page with whatever follows unless `keepWith` more points fit under it. */
  heading(text: string, keepWith = 40): void {
    this.doc.moveDown(0.8);
    this.ensureSpace(30 + Math.min(keepWith, this.usableHeight() - 30));
    const y = this.doc.y;
    this.font('bold', SIZE.heading, COLOUR.accent).text(text, this.left, y, { width: this.width });
    const ruleY = this.doc.y + 2;
    this.rule(ruleY, COLOUR.accent, 1);
    this.doc.y = ruleY + 8;
  }

  rule(y: number, colour: string = COLOUR.rule, width = 0.5): void {
    this.doc
      .moveTo(this.left, y)
      .lineTo(this.left + this.width, y)
      .lineWidth(width)
      .strokeColor(colour)
      .stroke();
  }

  /** Label/value pairs, the label in a fixed column; `width` limits the block (e.g. beside the QR code). */
  fields(
    rows: [string, string][],
    opts: { indent?: number; labelWidth?: number; width?: number; size?: number } = {},
  ): void {
    const size = opts.size ?? SIZE.body;
    const x = this.left + (opts.indent ?? 0);
    const labelWidth = opts.labelWidth ?? 110;
    const valueWidth = (opts.width ?? this.width - (opts.indent ?? 0)) - labelWidth;
    for (const [label, value] of rows) {
      const height = this.fieldsHeight([[label, value]], size, labelWidth, valueWidth);
      this.ensureSpace(height);
      const y = this.doc.y;
      this.font('regular', size, COLOUR.muted).text(label, x, y, { width: labelWidth - 6 });
      this.font('regular', size).text(value, x + labelWidth, y, { width: valueWidth });
      this.doc.y = y + height;
    }
  }

  fieldsHeight(rows: [string, string][], size: number, labelWidth: number, valueWidth: number): number {
    this.doc.font(FONT.regular).fontSize(size);
    let total = 0;
    for (const [label, value] of rows) {
      const h = Math.max(
        this.doc.heightOfString(label, { width: labelWidth - 6 }),
        this.doc.heightOfString(value || ' ', { width: valueWidth }),
      );
      total += h + 3;
    }
    return total;
  }

  /** A table whose header row repeats on every page it spans; cells wrap. */
  table(columns: Column[], rows: string[][]): void {
    const pad = 4;
    const scale = this.width / columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => c.width * scale);
    const rowHeight = (cells: string[], weight: 'regular' | 'bold'): number => {
      this.doc.font(FONT[weight]).fontSize(SIZE.small);
      return (
        Math.max(
          ...cells.map((cell, i) =>
            this.doc.heightOfString(cell || ' ', { width: (widths[i] ?? 0) - 2 * pad }),
          ),
        ) +
        2 * pad
      );
    };
    const drawRow = (cells: string[], weight: 'regular' | 'bold', fill?: string): void => {
      const height = rowHeight(cells, weight);
      const y = this.doc.y;
      if (fill) this.doc.rect(this.left, y, this.width, height).fillColor(fill).fill();
      let x = this.left;
      cells.forEach((cell, i) => {
        const w = widths[i] ?? 0;
        this.font(weight, SIZE.small).text(cell, x + pad, y + pad, { width: w - 2 * pad });
        x += w;
      });
      this.rule(y + height);
      this.doc.y = y + height;
    };
    const header = columns.map((c) => c.header);
    const drawHeader = (): void => drawRow(header, 'bold', COLOUR.fill);

    this.ensureSpace(rowHeight(header, 'bold') + (rows[0] ? rowHeight(rows[0], 'regular') : 0));
    drawHeader();
    for (const row of rows) {
      const height = rowHeight(row, 'regular');
      if (this.doc.y + height > this.bottom) {
        this.doc.addPage();
        drawHeader();
      }
      drawRow(row, 'regular');
    }
  }

  note(text: string): void {
    this.ensureSpace(20);
    this.font('regular', SIZE.small, COLOUR.muted).text(text, this.left, this.doc.y, { width: this.width });
  }
}

// --- sections ----------------------------------------------------------------------------------------------------

const QR_SIZE = 88;

function drawCover(layout: Layout, report: CreditReport): void {
  const { doc } = layout;
  layout.font('bold', SIZE.title).text('信用报告', layout.left, doc.page.margins.top, {
    width: layout.width,
    align: 'center',
    characterSpacing: 6,
  });
  doc.moveDown(0.3);
  layout.rule(doc.y, COLOUR.accent, 1.5);
  doc.y += 12;

  const top = doc.y;
  drawQrCode(doc, report.verifyUrl, layout.left + layout.width - QR_SIZE, top, QR_SIZE);
  layout
    .font('regular', SIZE.footer, COLOUR.muted)
    .text('扫码核验', layout.left + layout.width - QR_SIZE, top + QR_SIZE + 2, {
      width: QR_SIZE,
      align: 'center',
    });

  doc.y = top;
  layout.fields(
    [
      ['报告编号', report.reportNumber],
      ['验证码', report.verificationCode],
      ['出具时间', `${chinaDateTime(new Date(report.issuedAt))}（北京时间）`],
      ['信息截止日期', report.content.asOf],
      ['查询机构', report.issuedTo],
      ['查询事由', report.purpose],
    ],
    { width: layout.width - QR_SIZE - 16, labelWidth: 90 },
  );
  doc.y = Math.max(doc.y, top + QR_SIZE + 14);
}

/** Vector QR code drawn module by module: crisp at any zoom and a few hundred bytes, no image decoding. */
function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const cell = size / (modules.size + 2 * quiet);
  doc.save().fillColor('#000000');
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
    }
  }
  doc.fill().restore();
}

function drawSubject(layout: Layout, subject: ReportSubject): void {
  layout.heading('一、主体基本信息');
  const isPerson = subject.kind === 'natural_person';
  const rows: [string, string][] = [
    ['主体名称', subject.name],
    [isPerson ? '证件号码（已脱敏）' : '统一社会信用代码', subject.displayCode],
    ['主体类型', subject.kindName],
    ['曾用名', subject.formerNames.length > 0 ? subject.formerNames.join('；') : '无'],
  ];
  if (subject.divisionCode) rows.push(['行政区划代码', subject.divisionCode]);
  // A natural person's legacy codes are unmasked identity numbers; only organisations' old codes are printed.
  if (!isPerson && subject.legacyCodes.length > 0) {
    rows.push([
      '原登记代码',
      subject.legacyCodes.map((c) => `${c.code}（${LEGACY_CODE_TYPE[c.codeType] ?? c.codeType}）`).join('；'),
    ]);
  }
  layout.fields(rows);
}

function drawSummary(layout: Layout, summary: CreditReport['content']['summary']): void {
  layout.heading('二、信息概要', 92);
  const cells: [string, number][] = [
    ['信用记录总数', summary.recordsTotal],
    ['有效记录', summary.inForce],
    ['行政处罚', summary.penalties],
    ['严重失信', summary.seriousDishonesty],
    ['守信（正面）信息', summary.positive],
    ['在列名单', summary.listEntriesInForce],
  ];
  const { doc } = layout;
  const perRow = 3;
  const cellWidth = layout.width / perRow;
  const cellHeight = 46;
  layout.ensureSpace(cellHeight * Math.ceil(cells.length / perRow));
  const top = doc.y;
  cells.forEach(([label, count], i) => {
    const x = layout.left + (i % perRow) * cellWidth;
    const y = top + Math.floor(i / perRow) * cellHeight;
    doc
      .rect(x + 2, y + 2, cellWidth - 4, cellHeight - 4)
      .fillColor(COLOUR.fill)
      .fill();
    layout.font('regular', SIZE.small, COLOUR.muted).text(label, x + 10, y + 8, { width: cellWidth - 20 });
    layout.font('bold', 14, COLOUR.accent).text(String(count), x + 10, y + 21, { width: cellWidth - 20 });
  });
  doc.y = top + Math.ceil(cells.length / perRow) * cellHeight;
}

function drawListEntries(layout: Layout, entries: ReportListEntry[]): void {
  layout.heading('三、名单信息');
  if (entries.length === 0) {
    layout.note('报告期内无名单信息。');
    return;
  }
  layout.table(
    [
      { header: '名单名称', width: 24 },
      { header: '类别', width: 10 },
      { header: '状态', width: 9 },
      { header: '认定部门', width: 18 },
      { header: '有效期', width: 17 },
      { header: '说明', width: 26 },
    ],
    entries.map((e) => [
      e.listName,
      LIST_COLOUR[e.colour],
      LIST_STATE[e.state] ?? e.state,
      e.departmentName,
      `${e.validFrom} 至 ${e.validUntil ?? '长期'}`,
      e.explanation,
    ]),
  );
}

function drawRecords(layout: Layout, records: ReportRecord[]): void {
  const blocks = records.map((record, i) => recordBlock(layout, record, i + 1));
  layout.heading('四、信用记录', blocks[0]?.height ?? 20);
  if (blocks.length === 0) {
    layout.note('报告期内无信用记录。');
    return;
  }
  for (const block of blocks) drawRecord(layout, block);
}

const RECORD_INDENT = 14;
const RECORD_LABEL_WIDTH = 110;

interface RecordBlock {
  title: string;
  meta: string;
  details: [string, string][];
  /** Points to keep together on one page: the whole record, or its heading lines when it is longer than a page. */
  height: number;
}

function recordBlock(layout: Layout, record: ReportRecord, index: number): RecordBlock {
  const { doc } = layout;
  const title = `${index}. 【${record.kindName}】${record.title}`;
  const meta = [
    `决定日期：${record.decisionDate}`,
    `决定部门：${record.departmentName}`,
    `记录状态：${RECORD_STATUS[record.status] ?? record.status}`,
    `公开状态：${DISCLOSURE[record.disclosure]}`,
  ].join('　　');
  const details = record.details.map((d): [string, string] => [d.label, d.value]);
  layout.font('bold', SIZE.body);
  const titleHeight = doc.heightOfString(title, { width: layout.width });
  layout.font('regular', SIZE.small);
  const metaHeight = doc.heightOfString(meta, { width: layout.width - RECORD_INDENT });
  const detailsWidth = layout.width - RECORD_INDENT - RECORD_LABEL_WIDTH;
  const detailsHeight = layout.fieldsHeight(details, SIZE.small, RECORD_LABEL_WIDTH, detailsWidth);
  const full = titleHeight + metaHeight + detailsHeight + 15;
  return {
    title,
    meta,
    details,
    height: full <= layout.usableHeight() ? full : titleHeight + metaHeight + 20,
  };
}

function drawRecord(layout: Layout, block: RecordBlock): void {
  const { doc } = layout;
  layout.ensureSpace(block.height);
  layout.font('bold', SIZE.body).text(block.title, layout.left, doc.y, { width: layout.width });
  doc.y += 2;
  layout.font('regular', SIZE.small, COLOUR.muted).text(block.meta, layout.left + RECORD_INDENT, doc.y, {
    width: layout.width - RECORD_INDENT,
  });
  doc.y += 3;
  layout.fields(block.details, { indent: RECORD_INDENT, labelWidth: RECORD_LABEL_WIDTH, size: SIZE.small });
  doc.y += 4;
  layout.rule(doc.y);
  doc.y += 6;
}

function drawClosing(layout: Layout, report: CreditReport): void {
  const { doc } = layout;
  doc.moveDown(1);
  layout.ensureSpace(70);
  layout.note(
    `说明：本报告依据截至 ${report.content.asOf} 归集的公共信用信息生成。“仅授权查询”记录不向社会公开，仅向经授权的查询机构提供；` +
      '“公示期已满”记录已超过公示期限，不再公开公示。',
  );
  doc.moveDown(0.3);
  layout.note(
    `目录版本：${report.content.catalogueVersion}　名单类型版本：${report.content.listTypesVersion}　内容摘要（SHA-256）：${report.contentHash}`,
  );
  doc.moveDown(1);
  layout.font('regular', SIZE.small, COLOUR.muted).text('— 报告结束 —', layout.left, doc.y, {
    width: layout.width,
    align: 'center',
  });
}

/** Running header and footer on every page, drawn last so "第 x 页 / 共 y 页" knows y. */
function drawPageFurniture(doc: PDFKit.PDFDocument, report: CreditReport): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const page = doc.page;
    const left = page.margins.left;
    const width = page.width - page.margins.left - page.margins.right;
    const savedBottom = page.margins.bottom;
    // Text below the bottom margin would make pdfkit open a new page; lift the margin while drawing the footer.
    page.margins.bottom = 0;

    if (i > start) {
      doc
        .font(FONT.regular)
        .fontSize(SIZE.footer)
        .fillColor(COLOUR.muted)
        .text(`信用报告　${report.content.subject.name}`, left, 30, { width, lineBreak: false });
    }

    const footerTop = page.height - savedBottom + 14;
    doc
      .moveTo(left, footerTop)
      .lineTo(left + width, footerTop)
      .lineWidth(0.5)
      .strokeColor(COLOUR.rule)
      .stroke();
    doc
      .font(FONT.regular)
      .fontSize(SIZE.footer)
      .fillColor(COLOUR.muted)
      .text(`报告编号：${report.reportNumber}　　验证码：${report.verificationCode}`, left, footerTop + 6, {
        width,
        lineBreak: false,
      });
    doc.text(`第 ${i - start + 1} 页 / 共 ${count} 页`, left, footerTop + 6, {
      width,
      align: 'right',
      lineBreak: false,
    });
    doc.text(`本报告可在 ${report.verifyUrl} 输入报告编号和验证码核验。`, left, footerTop + 18, {
      width,
      height: 24,
    });
    page.margins.bottom = savedBottom;
  }
}

// --- wording -----------------------------------------------------------------------------------------------------

const DISCLOSURE: Record<ReportRecord['disclosure'], string> = {
  public: '公开',
  closed: '公示期已满',
  authorised: '仅授权查询',
};

const RECORD_STATUS: Record<string, string> = {
  active: '有效',
  corrected: '已更正',
  revoked: '已撤销',
  repaired: '已信用修复',
  expired: '已过期',
};

const LIST_COLOUR: Record<ReportListEntry['colour'], string> = {
  red: '红名单',
  black: '黑名单',
  watch: '重点关注',
  warning: '警示名单',
};

const LIST_STATE: Record<string, string> = {
  proposed: '拟列入',
  notified: '已告知',
  objected: '异议处理中',
  confirmed: '已认定',
  published: '已公示',
  suspended: '暂停执行',
  exited: '已移出',
};

const LEGACY_CODE_TYPE: Record<string, string> = {
  ORGANISATION_CODE: '组织机构代码',
  REGISTRATION_NUMBER: '工商注册号',
};
