/**
 * Parsing Open311 request parameters (query strings and form bodies): every
 * problem is collected as `{ field, message }`, never thrown.
 */

export interface FieldError {
  readonly field: string
  readonly message: string
}

/** Parameters as the router hands them over: a name → one or more values. */
export type Params = ReadonlyMap<string, ReadonlyArray<string>>

export const paramsOf = (entries: Iterable<readonly [string, string]>): Map<string, Array<string>> => {
  const out = new Map<string, Array<string>>()
  for (const [k, v] of entries) {
    const list = out.get(k)
    if (list === undefined) out.set(k, [v])
    else list.push(v)
  }
  return out
}

/** The first value of a parameter, trimmed; undefined when absent or blank. */
export const first = (params: Params, name: string): string | undefined => {
  const v = params.get(name)?.[0]?.trim()
  return v === undefined || v.length === 0 ? undefined : v
}

/** The last value of a parameter, trimmed (a form's last occurrence wins); undefined when absent or blank. */
export const last = (params: Params, name: string): string | undefined => {
  const vs = params.get(name)
  const v = vs?.[vs.length - 1]?.trim()
  return v === undefined || v.length === 0 ? undefined : v
}

/** Whether a parameter is sent with a value that is not blank (in any occurrence). */
export const given = (params: Params, name: string): boolean =>
  (params.get(name) ?? []).some((v) => v.trim().length > 0)

/**
 * Every value of a list parameter: each occurrence (`status=open&status=closed`)
 * and each comma-separated item (`status=open,closed`), trimmed, blanks and
 * repeats dropped, in order of first appearance.
 */
export const all = (params: Params, name: string): ReadonlyArray<string> => {
  const out = new Set<string>()
  for (const v of params.get(name) ?? []) {
    for (const item of v.split(",")) {
      const t = item.trim()
      if (t.length > 0) out.add(t)
    }
  }
  return [...out]
}

/**
 * `Date.UTC` for every year: `Date.UTC` reads the years 0–99 as 1900–1999,
 * so `0024-01-01` would be 1924 (and a window from year 0099 to 2000 would
 * look 31 days wide).
 */
const utc = (
  year: number,
  monthIndex: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number
): number => {
  const date = new Date(Date.UTC(2000, monthIndex, day, hour, minute, second, millis))
  date.setUTCFullYear(year)
  return date.getTime()
}

/** The days of a month (1–12) of a proleptic Gregorian year. */
const daysInMonth = (year: number, month: number): number => {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
}

const W3C =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * A W3C date-time (`2010-01-01T00:00:00Z`, `2010-01-01T08:00:00+08:00`, or a
 * date `2010-01-01`) as epoch milliseconds; a time without offset is read at
 * `offsetMinutes`. Undefined when malformed or not a real calendar instant.
 */
export const parseDateTime = (text: string, offsetMinutes: number): number | undefined => {
  const m = W3C.exec(text.trim())
  if (m === null) return undefined
  const n = (i: number): number => Number(m[i] ?? "0")
  const [year, month, day, hour, minute, second] = [n(1), n(2), n(3), n(4), n(5), n(6)]
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  if (day > daysInMonth(year, month)) return undefined
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  const zone = m[8]
  let offset = offsetMinutes
  if (zone === "Z") offset = 0
  else if (zone !== undefined) {
    const sign = zone.startsWith("-") ? -1 : 1
    const digits = zone.slice(1).replace(":", "")
    const oh = Number(digits.slice(0, 2))
    const om = Number(digits.slice(2, 4))
    if (oh > 14 || om > 59) return undefined
    offset = sign * (oh * 60 + om)
  }
  return utc(year, month - 1, day, hour, minute, second, fraction) - offset * 60_000
}

/** A decimal number (no hex, no exponent tricks beyond plain `e`), or undefined. */
export const parseNumber = (text: string): number | undefined => {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/.test(text)) return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

/**
 * The `attribute[code]` parameters of a form: a code with one value gives a
 * string, a code sent several times (or as `attribute[code][]`) a list.
 */
export const attributesOf = (
  params: Params
): {
  readonly values: Record<string, string | ReadonlyArray<string>>
  readonly errors: Array<FieldError>
} => {
  const errors: Array<FieldError> = []
  const lists = new Map<string, Array<string>>()
  for (const [name, vs] of params) {
    if (!name.startsWith("attribute")) continue
    const m = /^attribute\[([^[\]]{1,100})\](\[\])?$/.exec(name)
    if (m === null || m[1] === undefined) {
      errors.push({
        field: name.slice(0, 120),
        message: "参数名应为 attribute[code] (expected attribute[code])"
      })
      continue
    }
    const code = m[1]
    const list = lists.get(code) ?? []
    list.push(...vs)
    lists.set(code, list)
    if (m[2] !== undefined) lists.set(`${code}\u0000list`, [])
  }
  const entries: Array<readonly [string, string | ReadonlyArray<string>]> = []
  for (const [code, vs] of lists) {
    if (code.endsWith("\u0000list")) continue
    entries.push([code, vs.length === 1 && !lists.has(`${code}\u0000list`) ? (vs[0] ?? "") : vs])
  }
  // fromEntries defines own properties, so a code such as `__proto__` stays a plain key
  return { values: Object.fromEntries(entries), errors }
}

/** The length of a string in code points. */
export const codePoints = (text: string): number => {
  let n = 0
  for (const _ of text) n++
  return n
}

/** A boolean form value: `true`/`false`, `1`/`0`, `yes`/`no` (any case); undefined otherwise. */
export const parseBoolean = (text: string): boolean | undefined => {
  const v = text.trim().toLowerCase()
  return v === "true" || v === "1" || v === "yes"
    ? true
    : v === "false" || v === "0" || v === "no"
      ? false
      : undefined
}
