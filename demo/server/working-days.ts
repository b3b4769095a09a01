/** `YYYY-MM-DD` of a date in local time. */
export function isoDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * The date `days` working days after `from`: Saturdays, Sundays and the region's holidays do not count, and
 * neither does the day of submission itself (the seed: review within 1-3 working days).
 */
export function addWorkingDays(from: Date, days: number, holidays: readonly string[] = []): Date {
  const off = new Set(holidays);
  const date = new Date(from.getFullYear(), from.getMonth(), from.getDate());
  let left = days;
  while (left > 0) {
    date.setDate(date.getDate() + 1);
    const weekday = date.getDay();
    if (weekday !== 0 && weekday !== 6 && !off.has(isoDate(date))) left--;
  }
  return date;
}
