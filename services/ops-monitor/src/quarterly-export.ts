import { type CsvColumn, spreadsheetCsv } from '@credit/kit';
import { shiftDate } from './department-stats.ts';
import { chinaMinute, type QuarterlyReport, type QuarterlyRow, ruleLabel } from './quarterly.ts';

const reasons = (row: QuarterlyRow) =>
  row.topReasons.map((reason) => `${reason.code}×${reason.count}`).join('; ');
const share = (row: QuarterlyRow) => row.doublePublicity.onTimeShare;

const COLUMNS: readonly CsvColumn<QuarterlyRow>[] = [
  { key: 'rank', title: '名次', value: (row) => row.rank },
  { key: 'department', title: '部门代码', value: (row) => row.department },
  { key: 'name', title: '部门', value: (row) => row.name },
  { key: 'region', title: '行政区划', value: (row) => row.region },
  { key: 'received', title: '接收记录数', value: (row) => row.received },
  { key: 'rejected', title: '拒收数', value: (row) => row.rejected },
  { key: 'topReasons', title: '主要拒收原因', value: reasons },
  { key: 'doublePublicityRecords', title: '双公示记录数', value: (row) => row.doublePublicity.records },
  { key: 'onTime', title: '按时', value: (row) => row.doublePublicity.onTime },
  { key: 'late', title: '超期', value: (row) => row.doublePublicity.late },
  { key: 'unmeasured', title: '无法计算', value: (row) => row.doublePublicity.unmeasured },
  { key: 'onTimeShare', title: '按时率', value: (row) => share(row)?.toFixed(4) ?? null },
  { key: 'deadline', title: '时限', value: (row) => ruleLabel(row.rule) },
  {
    key: 'lastReportedAt',
    title: '最近报送',
    value: (row) => (row.lastReportedAt ? chinaMinute(row.lastReportedAt) : null),
  },
  { key: 'silentDays', title: '未报送天数', value: (row) => row.silentDays },
  { key: 'silenceAlert', title: '沉默告警', value: (row) => (row.silenceAlert ? '是' : '否') },
  { key: 'score', title: '得分', value: (row) => row.score?.toFixed(1) ?? null },
];

/** The quarterly 通报 as CSV: UTF-8 with BOM, bilingual header, one row per department in rank order. */
export function quarterlyCsv(report: QuarterlyReport): string {
  return spreadsheetCsv(COLUMNS, report.rows);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

/** The quarterly 通报 as a printable page (A4 landscape), every value escaped. */
export function quarterlyPage(report: QuarterlyReport): string {
  const title = `${report.quarter.name} 各部门信用信息归集情况通报`;
  const rows = report.rows
    .map((row) => {
      const cells = [
        row.rank,
        row.name,
        row.region,
        row.received,
        row.rejected,
        reasons(row) || '—',
        row.doublePublicity.records,
        row.doublePublicity.onTime,
        row.doublePublicity.late,
        share(row) === null ? '—' : `${((share(row) ?? 0) * 100).toFixed(1)}%`,
        ruleLabel(row.rule),
        row.lastReportedAt ? chinaMinute(row.lastReportedAt) : '从未报送',
        row.silentDays ?? '—',
      ];
      const rowClass = row.silenceAlert ? ' class="alert"' : '';
      return `<tr${rowClass}>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const headers = [
    '名次',
    '部门',
    '行政区划',
    '接收记录',
    '拒收',
    '主要拒收原因',
    '双公示记录',
    '按时',
    '超期',
    '按时率',
    '时限',
    '最近报送',
    '未报送天数',
  ];
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  @page { size: A4 landscape; margin: 15mm; }
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 11pt; }
  h1 { font-size: 16pt; text-align: center; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #444; padding: 2pt 4pt; text-align: center; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  tr.alert td { font-weight: bold; }
  .note { font-size: 9pt; margin-top: 8pt; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>统计期间：${escapeHtml(report.quarter.from)} 至 ${escapeHtml(shiftDate(report.quarter.to, -1))}（北京时间）；未报送天数截至 ${escapeHtml(report.asOf)}。</p>
<table>
<thead><tr>${headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="note">说明：双公示（行政许可、行政处罚）记录自作出行政决定之日的次日起算，至首次报送到平台之日止，按各地规定以工作日或自然日计算（节假日及调休依据日历文件 ${escapeHtml(report.calendarVersion)}）。排名依次按双公示按时率、接收记录数、拒收率排列；加粗行为长时间未报送的部门。</p>
</body>
</html>
`;
}
