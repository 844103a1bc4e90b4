/**
 * 时间 — instants as they enter the system: an ISO 8601 / RFC 3339 date-time
 * (`2024-03-04T09:00:00Z`, `2024-03-04T09:00:00.123+08:00`, a time without an
 * offset read as UTC) or a plain date (`2024-03-04`, UTC midnight), decoded to
 * a `DateTime.Utc` — and an impossible calendar date or time refused.
 *
 * `Schema.DateTimeUtc` hands its text to `new Date`, which rolls impossible
 * dates over (V8 reads `2025-02-30` as 2 March); `DateTimeUtc` here checks the
 * month, the day of the month (leap years included), the hours, minutes and
 * seconds and the offset first, and refuses with rule `valid-date`. It encodes
 * as `Schema.DateTimeUtc` does (`2024-03-04T09:00:00.000Z`).
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

// year (4 digits, or ±6 digits as ISO 8601 extended years and `toISOString` write them),
// month, day, then optionally a time with optional seconds, fraction and offset
const pattern =
  /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const daysIn = (year: number, month: number): number =>
  month === 2 ? (isLeap(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

/**
 * The UTC epoch milliseconds of an ISO date-time or date, or `undefined` when
 * the text is not one or names an impossible date or time (30 February, a
 * 13th month, 24:00:01, an offset beyond ±23:59).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseMillis = (text: string): number | undefined => {
  const m = pattern.exec(text)
  if (m === null) return undefined
  const [, y, mo, d, hh, mi, ss, frac, , sign, oh, om] = m
  if (y === "-000000") return undefined
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  const hours = hh === undefined ? 0 : Number(hh)
  const minutes = mi === undefined ? 0 : Number(mi)
  const seconds = ss === undefined ? 0 : Number(ss)
  const millis = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000)
  if (minutes > 59 || seconds > 59) return undefined
  // 24:00 (end of day, ISO 8601) only exactly; 24:00:01 and later do not exist
  if (
    hours > 24 ||
    (hours === 24 && (minutes !== 0 || seconds !== 0 || (frac !== undefined && /[1-9]/.test(frac))))
  )
    return undefined
  let offsetMinutes = 0
  if (sign !== undefined) {
    const h = Number(oh)
    const mm = om === undefined ? 0 : Number(om)
    if (h > 23 || mm > 59) return undefined
    offsetMinutes = (sign === "-" ? -1 : 1) * (h * 60 + mm)
  }
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hours, minutes, seconds, millis)
  const result = date.getTime() - offsetMinutes * 60_000
  return Number.isFinite(result) ? result : undefined
}

/**
 * Whether a text is an ISO 8601 date-time or date that exists on the calendar.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isValid = (text: string): boolean => parseMillis(text) !== undefined

const invalid = (text: string): string =>
  `日期不存在 no such date or time: ${JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)} ` +
  "is not a valid ISO 8601 date-time (e.g. 2024-03-04T09:00:00+08:00) or date (2024-03-04) (rule valid-date)"

/**
 * 时间 — a `DateTime.Utc` from an ISO 8601 / RFC 3339 date-time (with `Z`
 * or a ±hh:mm offset, an optional fraction; without an offset it is UTC) or a
 * plain date `YYYY-MM-DD` (UTC midnight). Impossible dates and times
 * (`2025-02-30`, `2023-02-29`, `2024-13-01`, `24:00:01`) are refused with rule
 * `valid-date`. Encodes to `2024-03-04T09:00:00.000Z`, as `Schema.DateTimeUtc`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DateTimeUtc = Schema.transformOrFail(
  Schema.String.annotations({
    description: "ISO 8601 date-time or date 日期时间",
    jsonSchema: { type: "string", format: "date-time" }
  }),
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (text, _, ast) => {
      const millis = parseMillis(text)
      if (millis === undefined) return ParseResult.fail(new ParseResult.Type(ast, text, invalid(text)))
      const dt = DateTime.make(millis)
      return dt._tag === "Some"
        ? ParseResult.succeed(dt.value)
        : ParseResult.fail(new ParseResult.Type(ast, text, invalid(text)))
    },
    encode: (dt) => ParseResult.succeed(DateTime.formatIso(dt))
  }
).annotations({
  identifier: "DateTimeUtc",
  title: "时间 date-time",
  description: "ISO 8601 date-time (UTC or with an offset) or date; impossible dates are refused",
  jsonSchema: { type: "string", format: "date-time" }
})

/**
 * @since 0.1.0
 * @category models
 */
export type DateTimeUtc = typeof DateTimeUtc.Type
