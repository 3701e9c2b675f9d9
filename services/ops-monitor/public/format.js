// Formatting in China time (the platform's days and hours are China's).

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export const formatTime = (value) => TIME.format(new Date(value));
export const formatDateTime = (value) => (value ? DATE_TIME.format(new Date(value)) : '—');
export const formatCount = (value) => Number(value).toLocaleString('zh-CN');

/** Seconds as 秒/分钟/小时. */
export function formatSeconds(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0 秒';
  if (seconds < 60) return `${Math.round(seconds)} 秒`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} 分钟`;
  return `${(seconds / 3600).toFixed(1)} 小时`;
}

export const formatShare = (share) =>
  share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)}%`;

/** The current quarter in China time, e.g. 2026Q4, and the one before it. */
export function quarters(now = new Date()) {
  const china = new Date(now.getTime() + 8 * 3600 * 1000);
  const year = china.getUTCFullYear();
  const quarter = Math.floor(china.getUTCMonth() / 3) + 1;
  const previous = quarter === 1 ? `${year - 1}Q4` : `${year}Q${quarter - 1}`;
  return { current: `${year}Q${quarter}`, previous };
}

/** 2026Q4 → 2026 年第四季度. */
export function quarterName(code) {
  const [year, q] = code.split('Q');
  return `${year} 年第${['一', '二', '三', '四'][Number(q) - 1]}季度`;
}

/** Consumer group status (Burrow-style) in Chinese. */
export const STATUS_LABELS = {
  OK: '正常',
  WARN: '延迟增长',
  STALL: '停滞',
  STOP: '已停止',
  ERR: '异常',
};
