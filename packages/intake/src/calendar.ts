/** Calendar dates as 'YYYY-MM-DD' strings (compared as strings), and instants in ISO-8601 text. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isRealDate(year: number, month: number, day: number): boolean {
  return Number.isInteger(day) && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** 'YYYY-MM-DD' of year, month and day, zero-padded. */
export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

export type TimestampResult = { ok: true; date: Date } | { ok: false; problem: string };

/** RFC 3339 / ISO-8601 date-time with an explicit offset or Z; seconds and fractions optional. */
export function parseTimestamp(text: string): TimestampResult {
  const match = TIMESTAMP.exec(text.trim());
  if (match === null)
    return { ok: false, problem: 'not an ISO-8601 date-time such as 2024-05-21T09:45:00+08:00' };
  const [
    ,
    year,
    month,
    day,
    hour,
    minute,
    second = '00',
    fraction = '',
    zulu,
    sign,
    offsetHours,
    offsetMinutes,
  ] = match;
  if (!isRealDate(Number(year), Number(month), Number(day))) {
    return { ok: false, problem: `${year}-${month}-${day} is not a calendar date` };
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return { ok: false, problem: `${hour}:${minute}:${second} is not a time of day` };
  }
  if (zulu === undefined && sign === undefined) {
    return { ok: false, problem: 'has no time zone; add +08:00 (China) or Z (UTC)' };
  }
  if (sign !== undefined && (Number(offsetHours) > 14 || Number(offsetMinutes) > 59)) {
    return { ok: false, problem: `${sign}${offsetHours}:${offsetMinutes} is not a UTC offset` };
  }
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const zone = sign === undefined ? 'Z' : `${sign}${offsetHours}:${offsetMinutes}`;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${zone}`);
  return Number.isNaN(date.getTime()) ? { ok: false, problem: 'is out of range' } : { ok: true, date };
}
