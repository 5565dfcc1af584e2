// Quiet hours: a daily window in the recipient's own time zone ("22:00"–"07:00" may cross midnight)
// during which non-critical email, SMS and push wait until the window ends. Wall-clock arithmetic
// goes through Intl with the IANA zone, so daylight saving time moves the end with the clock.

/** The channels quiet hours hold: the ones that interrupt. The in-app inbox makes no sound. */
export const QUIET_CHANNELS: ReadonlySet<string> = new Set(["email", "sms", "push"]);

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let known = formatters.get(timeZone);
  if (!known) {
    known = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, known);
  }
  return known;
}

/** Minutes since local midnight in `timeZone` at `at` (epoch ms). */
export function localMinutes(at: number, timeZone: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type === "hour") hour = Number(part.value) % 24;
    if (part.type === "minute") minute = Number(part.value);
  }
  return hour * 60 + minute;
}

const clockMinutes = (clock: string): number => {
  const [hours = "0", minutes = "0"] = clock.split(":");
  return Number(hours) * 60 + Number(minutes);
};

export interface QuietHours {
  timeZone: string;
  start: string;
  end: string;
}

/**
 * When the quiet window that `now` falls in ends (epoch ms), or null when `now` is outside it (or
 * the zone is unknown: better to deliver than to hold forever). The end is found at the local clock
 * time `end`; on a day whose clocks jump, an end inside the jump comes out an hour off, never a day.
 */
export function quietHoursEnd(now: number, quiet: QuietHours): number | null {
  const start = clockMinutes(quiet.start);
  const end = clockMinutes(quiet.end);
  if (start === end) return null;
  let local: number;
  try {
    local = localMinutes(now, quiet.timeZone);
  } catch {
    return null;
  }
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return null;
  const wait = (end - local + DAY_MINUTES) % DAY_MINUTES;
  let until = Math.floor(now / MINUTE_MS) * MINUTE_MS + wait * MINUTE_MS;
  // A daylight saving change inside the wait shifts the wall clock: correct by what it moved.
  const drift =
    ((end - localMinutes(until, quiet.timeZone) + DAY_MINUTES * 1.5) % DAY_MINUTES) - DAY_MINUTES / 2;
  until += drift * MINUTE_MS;
  return until > now ? until : now + MINUTE_MS;
}
