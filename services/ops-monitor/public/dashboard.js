// 信用数据运行监控: the ops monitor's JSON API drawn as tables and ECharts charts, refreshed every 10 seconds.
import { h, notice, replace, table } from './dom.js';
import {
  formatCount,
  formatDateTime,
  formatSeconds,
  formatShare,
  formatTime,
  quarterName,
  quarters,
  STATUS_LABELS,
} from './format.js';

const REFRESH_MS = 10_000;
const echarts = window.echarts;
const charts = new Map();
const $ = (id) => document.getElementById(id);

class HttpError extends Error {
  constructor(status, code) {
    super(`HTTP ${status}${code ? ` ${code}` : ''}`);
    this.status = status;
    this.code = code;
  }
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new HttpError(response.status, body?.error?.code);
  }
  return response.json();
}

/** The page's own font (so Chinese in the charts uses the same font as the text). */
function fontFamily() {
  return getComputedStyle(document.documentElement).fontFamily || 'sans-serif';
}

/** The ECharts instance drawing into the element with this id (created on first use). */
function chart(id) {
  let instance = charts.get(id);
  if (!instance) {
    instance = echarts.init($(id), null, { renderer: 'canvas' });
    charts.set(id, instance);
  }
  return instance;
}

function draw(id, option) {
  if (!echarts) return;
  const el = $(id);
  const wasHidden = el.hidden;
  el.hidden = false;
  const instance = chart(id);
  instance.setOption(
    { textStyle: { fontFamily: fontFamily() }, animation: false, ...option },
    { notMerge: true },
  );
  if (wasHidden) instance.resize();
}

function hideChart(id) {
  $(id).hidden = true;
}

const narrow = () => window.innerWidth < 600;

const labelWidth = () => (narrow() ? 84 : 150);

/** A category axis of department names, shortened (…) to a fixed width, narrower on small screens. */
function departmentAxis(names) {
  return {
    type: 'category',
    data: names,
    inverse: true,
    axisLabel: { width: labelWidth(), overflow: 'truncate', interval: 0 },
  };
}

/** Room on the left for department names (fixed: the axis labels are truncated to labelWidth()). */
function departmentGrid() {
  return { left: labelWidth() + 12, right: 40, top: 36, bottom: 24 };
}

// 消费组状态

function statusBadge(status) {
  return h('span', {
    class: `badge badge-${String(status).toLowerCase()}`,
    text: STATUS_LABELS[status] ?? status,
  });
}

function renderGroups(result) {
  const el = $('groups');
  if (result.status === 'rejected') {
    const error = result.reason;
    if (error instanceof HttpError && error.code === 'OPS_LAG_NOT_SAMPLED')
      return replace(el, notice('尚未完成首次采样，请稍候。'));
    return replace(el, notice(`无法获取消费组状态（${error.message}）`, 'error'));
  }
  const { groups } = result.value;
  if (groups.length === 0) return replace(el, notice('暂无受监控的消费组。'));
  const rows = groups.map((group) => [
    h('span', { class: 'mono', text: group.groupId }),
    statusBadge(group.status),
    formatCount(group.totalLag),
    formatSeconds(group.maxLagMs / 1000),
    String(group.partitions.length),
  ]);
  replace(
    el,
    table(['消费组', '状态', '积压消息', '最大延迟', '分区数'], rows, 'groups-table'),
    h('p', { class: 'hint', text: `采样时间：${formatDateTime(result.value.at)}` }),
  );
}

// 消费延迟趋势

function renderLagHistory(result) {
  const empty = $('lag-empty');
  if (result.status === 'rejected') {
    hideChart('chart-lag');
    empty.hidden = false;
    empty.textContent = `无法获取延迟趋势（${result.reason.message}）`;
    return;
  }
  const { points } = result.value;
  const byGroup = new Map();
  for (const point of points) {
    for (const group of point.groups) {
      if (!byGroup.has(group.groupId)) byGroup.set(group.groupId, []);
      byGroup.get(group.groupId).push([point.at, group.totalLag]);
    }
  }
  if (byGroup.size === 0) {
    hideChart('chart-lag');
    empty.hidden = false;
    empty.textContent = '暂无采样数据。';
    return;
  }
  empty.hidden = true;
  draw('chart-lag', {
    tooltip: { trigger: 'axis', valueFormatter: (value) => `${formatCount(value)} 条` },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 56, right: 24, top: 48, bottom: 28 },
    xAxis: { type: 'time', axisLabel: { formatter: (value) => formatTime(value), hideOverlap: true } },
    yAxis: { type: 'value', name: '积压（条）', nameTextStyle: { align: 'left' }, minInterval: 1 },
    series: [...byGroup].map(([groupId, data]) => ({
      name: groupId,
      type: 'line',
      showSymbol: data.length < 30,
      data,
    })),
  });
}

// 各部门报送量, 双公示及时率, 沉默告警, 部门报送明细

function renderDepartments(result) {
  if (result.status === 'rejected') {
    const message = `无法获取部门数据（${result.reason.message}）`;
    hideChart('chart-intake');
    hideChart('chart-timeliness');
    replace($('silence'), notice(message, 'error'));
    replace($('departments'), notice(message, 'error'));
    return;
  }
  const { from, to, departments } = result.value;
  $('intake-period').textContent = `${from} 至 ${to}（不含）接收与拒收的记录数。`;
  const names = departments.map((department) => department.name);

  draw('chart-intake', {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: departmentGrid(),
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: departmentAxis(names),
    series: [
      {
        name: '接收',
        type: 'bar',
        stack: 'total',
        data: departments.map((d) => d.received),
        color: '#2f6fb3',
      },
      {
        name: '拒收',
        type: 'bar',
        stack: 'total',
        data: departments.map((d) => d.rejected),
        color: '#c0392b',
      },
    ],
  });

  draw('chart-timeliness', {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (value) => (value === '-' || value === undefined ? '无数据' : `${value}%`),
    },
    grid: departmentGrid(),
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: departmentAxis(names),
    series: [
      {
        name: '及时率',
        type: 'bar',
        data: departments.map((d) => {
          const share = d.doublePublicity.onTimeShare;
          if (share === null || share === undefined) return '-';
          const value = Math.round(share * 1000) / 10;
          return {
            value,
            itemStyle: { color: value >= 95 ? '#1b7f3b' : value >= 80 ? '#c28a00' : '#c0392b' },
          };
        }),
        label: { show: true, position: 'right', formatter: '{c}%' },
        markLine: {
          silent: true,
          symbol: 'none',
          label: { show: false },
          lineStyle: { type: 'dashed', color: '#888' },
          data: [{ xAxis: 95 }],
        },
      },
    ],
  });

  const silent = departments.filter((d) => d.silence?.alert);
  replace(
    $('silence'),
    silent.length === 0
      ? notice('暂无沉默告警。', 'ok')
      : h(
          'ul',
          { class: 'alerts' },
          silent.map((d) =>
            h(
              'li',
              {},
              h('strong', { text: d.name }),
              h('span', {
                text: silenceText(d.silence),
              }),
            ),
          ),
        ),
  );

  replace(
    $('departments'),
    table(
      ['部门', '接收', '拒收', '双公示记录', '及时率', '最迟（工作日）', '最后报送'],
      departments.map((d) => [
        h('span', { class: 'department-name', text: d.name }),
        formatCount(d.received),
        formatCount(d.rejected),
        formatCount(d.doublePublicity.records),
        formatShare(d.doublePublicity.onTimeShare),
        d.doublePublicity.maxDays === null || d.doublePublicity.maxDays === undefined
          ? '—'
          : String(d.doublePublicity.maxDays),
        formatDateTime(d.lastReportedAt),
      ]),
      'departments-table',
    ),
  );
}

function silenceText(silence) {
  if (silence.silentDays === null || silence.silentDays === undefined) return '从未报送数据。';
  const usual = silence.usualGapDays === null ? '' : `通常间隔 ${silence.usualGapDays} 天，`;
  return `已 ${silence.silentDays} 天未报送（${usual}告警阈值 ${silence.thresholdDays} 天），最后报送日 ${silence.lastReportingDay}。`;
}

// 死信

function renderDlq(result, departmentNames) {
  const empty = $('dlq-empty');
  const none = (text) => {
    hideChart('chart-dlq');
    empty.hidden = false;
    empty.textContent = text;
  };
  if (result.status === 'rejected') {
    if (result.reason instanceof HttpError && result.reason.status === 404) return none('暂无死信数据');
    if (result.reason instanceof HttpError && [401, 403].includes(result.reason.status))
      return none('死信统计需要操作员授权，请通过 /v1/dlq/summary 接口查询。');
    return none(`无法获取死信统计（${result.reason.message}）`);
  }
  const rows = result.value.byDepartment ?? [];
  if (rows.length === 0) return none('暂无死信数据');
  empty.hidden = true;
  const departments = [...new Set(rows.map((row) => row.department ?? '未知部门'))];
  const reasons = [...new Set(rows.map((row) => row.reason))];
  const count = (department, reason) =>
    rows
      .filter((row) => (row.department ?? '未知部门') === department && row.reason === reason)
      .reduce((sum, row) => sum + Number(row.count), 0);
  draw('chart-dlq', {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { type: 'scroll', top: 0 },
    grid: departmentGrid(),
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: departmentAxis(departments.map((code) => departmentNames.get(code) ?? code)),
    series: reasons.map((reason) => ({
      name: reason,
      type: 'bar',
      stack: 'dlq',
      data: departments.map((department) => count(department, reason)),
    })),
  });
}

// 季度通报

function renderReports() {
  const { current, previous } = quarters();
  const item = (code, label) =>
    h(
      'li',
      {},
      h('span', { text: `${label}（${quarterName(code)}）：` }),
      h('a', {
        href: `v1/reports/quarterly/${code}.html`,
        target: '_blank',
        rel: 'noopener',
        text: '查看通报',
      }),
      ' · ',
      h('a', { href: `v1/reports/quarterly/${code}.csv`, text: '下载 CSV' }),
    );
  replace($('reports'), h('ul', { class: 'links' }, item(current, '本季度'), item(previous, '上季度')));
}

let departmentNames = new Map();

async function refresh() {
  const [lag, history, departments, dlq] = await Promise.allSettled([
    getJson('v1/lag'),
    getJson('v1/lag/history'),
    getJson('v1/departments'),
    getJson('v1/dlq/summary'),
  ]);
  if (departments.status === 'fulfilled')
    departmentNames = new Map(departments.value.departments.map((d) => [d.department, d.name]));
  renderGroups(lag);
  renderLagHistory(history);
  renderDepartments(departments);
  renderDlq(dlq, departmentNames);
  const failed = [lag, history, departments].some(
    (r) => r.status === 'rejected' && r.reason?.code !== 'OPS_LAG_NOT_SAMPLED',
  );
  const updated = $('updated');
  updated.textContent = `更新于 ${formatTime(new Date())}${failed ? '（部分数据获取失败）' : ''}`;
  updated.classList.toggle('updated-error', failed);
  document.body.dataset.loaded = 'true';
}

async function main() {
  if (!echarts) {
    replace($('updated'), notice('图表库未能加载。', 'error'));
  }
  renderReports();
  // Draw Chinese in the charts only once the page's fonts are ready (canvas text does not re-render by itself).
  await document.fonts.ready;
  await refresh();
  setInterval(() => void refresh(), REFRESH_MS);
  const resize = () => {
    for (const instance of charts.values()) instance.resize();
  };
  window.addEventListener('resize', resize);
  new ResizeObserver(resize).observe(document.querySelector('main'));
}

void main();
