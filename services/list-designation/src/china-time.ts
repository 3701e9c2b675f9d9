/** The instant a China calendar day (YYYY-MM-DD) begins: validity ends are exclusive days. */
export function startOfChinaDay(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}
