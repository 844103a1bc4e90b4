/**
 * The official schedules (国务院办公厅 holiday notices: 法定节假日 and 调休上班日)
 * read from the `chinese-days` package, which embeds them per year.
 *
 * `chinese-days` builds its day tables when it loads, keying each date by the
 * *process-local* calendar date of that date's UTC midnight. In a time zone
 * west of UTC every key is therefore one day early (1.5.7 reports 2025-09-28
 * as an ordinary Sunday under `TZ=America/New_York`). We query it with the very
 * same instant it keyed the date by — `new Date(Date.UTC(y, m, d))` — so its
 * lookup applies the same shift and lands on the right entry in every time
 * zone. The test suite checks the result against the package's static
 * `dist/chinese-days.json`.
 *
 * @since 0.1.0
 */
import ChineseDays from "chinese-days"

/** One year of official data, dates as `YYYY-MM-DD`, sorted. */
export interface RawYearSchedule {
  readonly year: number
  readonly holidays: ReadonlyArray<string>
  readonly workdays: ReadonlyArray<string>
  /** Chinese festival name per listed date (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆节 …). */
  readonly names: Readonly<Record<string, string>>
}

/** The English weekday names `getDayDetail` answers for a date it has no entry for. */
const weekdayNames: ReadonlySet<string> = new Set([
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday"
])

/** Years probed for data: 元旦 (1 January) is a holiday in every year the package covers. */
const probeFrom = 1949
const probeTo = 2199

const DAY = 86_400_000

const pad = (n: number): string => (n < 10 ? `0${n}` : `${n}`)

const isoOf = (date: Date): string =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`

/** The package's entry for a date (given as its UTC midnight), or none for an ordinary day. */
const entryOf = (utcMidnight: number): { readonly work: boolean; readonly name: string } | undefined => {
  const detail = ChineseDays.getDayDetail(new Date(utcMidnight))
  return weekdayNames.has(detail.name) ? undefined : detail
}

/** `"National Day,国庆节,3"` → `"国庆节"`. */
const chineseName = (name: string): string => name.split(",")[1] ?? name

let cache: ReadonlyArray<RawYearSchedule> | undefined

/**
 * Every year `chinese-days` has an official schedule for, ascending.
 * Computed once (about 8,000 look-ups) and memoised.
 */
export const officialSchedules = (): ReadonlyArray<RawYearSchedule> => {
  if (cache !== undefined) return cache
  const years: Array<RawYearSchedule> = []
  for (let year = probeFrom; year <= probeTo; year++) {
    const newYear = entryOf(Date.UTC(year, 0, 1))
    if (newYear === undefined || newYear.work) continue
    const holidays: Array<string> = []
    const workdays: Array<string> = []
    const names: Record<string, string> = {}
    const end = Date.UTC(year + 1, 0, 1)
    for (let t = Date.UTC(year, 0, 1); t < end; t += DAY) {
      const entry = entryOf(t)
      if (entry === undefined) continue
      const iso = isoOf(new Date(t))
      if (entry.work) workdays.push(iso)
      else holidays.push(iso)
      names[iso] = chineseName(entry.name)
    }
    years.push({ year, holidays, workdays, names })
  }
  cache = years
  return years
}
