/** SMS quiet hours, read on the provider's wall clock. */

/** Minutes since local midnight in `timeZone` at unix second `at`. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function localMinutes(at: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(at * 1000));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When quiet hours are on at `at`, the unix second they end; otherwise null. The window may
 * span midnight (21:00–08:00). A window whose start equals its end is empty.
 */
export function quietUntil(quiet: { start: string; end: string } | null, timeZone: string, at: number): number | null {
  if (!quiet) return null;
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  const now = localMinutes(at, timeZone);
  const inside = start < end ? now >= start && now < end : start > end ? now >= start || now < end : false;
  if (!inside) return null;
  const left = (end - now + 1440) % 1440;
  // To the start of the ending minute: seconds past the current minute are already gone.
  return at - (at % 60) + left * 60;
}
