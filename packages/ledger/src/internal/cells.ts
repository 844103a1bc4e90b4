/**
 * Cell codecs: how a column's encoded field value becomes a spreadsheet cell
 * and back, per cell kind (text, number, boolean, date, list, JSON), plus the
 * formula-injection escape, date text in a fixed UTC offset, Excel serial
 * dates, and display widths.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"

/** A cell as the engine sees it: `null` is an empty cell. */
export type Cell = string | number | boolean | Date | null

/** How a date field is represented on the encoded side of its schema. */
export type DateRep = "iso" | "millis" | "date"

// -----------------------------------------------------------------------------
// formula injection
// -----------------------------------------------------------------------------

const dangerous = /^'*[=+\-@]/

/**
 * Neutralises a text that a spreadsheet would read as a formula (starting with
 * `=`, `+`, `-` or `@`) by prefixing `'`. Texts that already start with quotes
 * followed by such a character get one more quote, so that `unescapeFormula`
 * is an exact inverse.
 */
export const escapeFormula = (s: string): string => (dangerous.test(s) ? `'${s}` : s)

/** The inverse of `escapeFormula`: drops the quote it added. */
export const unescapeFormula = (s: string): string =>
  s.startsWith("'") && dangerous.test(s) ? s.slice(1) : s

// -----------------------------------------------------------------------------
// emptiness, booleans, numbers
// -----------------------------------------------------------------------------

/** Whether a cell is empty: no value, or the empty text. */
export const isEmpty = (cell: Cell): cell is null | "" => cell === null || cell === ""

/** The texts a boolean is written as. */
export const booleanText = (b: boolean): string => (b ? "是" : "否")

const trueTexts: ReadonlySet<string> = new Set(["是", "true", "yes", "y", "1", "√", "✓"])
const falseTexts: ReadonlySet<string> = new Set(["否", "false", "no", "n", "0", "×", "✗"])

const parseBoolean = (s: string): boolean | undefined => {
  const t = s.trim().toLowerCase()
  return trueTexts.has(t) ? true : falseTexts.has(t) ? false : undefined
}

const numberPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i
const groupedPattern = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/

/** Parses a number as a person or a program writes it: `12`, `-3.5`, `1e21`, `1,234.5`. */
export const parseNumber = (s: string): number | undefined => {
  const t = s.trim()
  if (t === "NaN") return Number.NaN
  if (t === "Infinity" || t === "+Infinity") return Number.POSITIVE_INFINITY
  if (t === "-Infinity") return Number.NEGATIVE_INFINITY
  if (numberPattern.test(t)) return Number(t)
  if (groupedPattern.test(t)) return Number(t.replaceAll(",", ""))
  return undefined
}

/** The text of a number: the shortest exact form (`String`). */
export const numberText = (n: number): string => String(n)

// -----------------------------------------------------------------------------
// dates
// -----------------------------------------------------------------------------

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/**
 * Formats an instant as wall-clock text at a fixed UTC offset:
 * `2024-03-01 16:30:00`, with `.123` when the milliseconds are not zero.
 */
export const formatDate = (date: Date, offsetMinutes: number): string => {
  const d = new Date(date.getTime() + offsetMinutes * 60_000)
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  const ms = d.getUTCMilliseconds()
  return ms === 0 ? base : `${base}.${pad(ms, 3)}`
}

const datePattern =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()

/**
 * Parses date text: ISO 8601 (`2024-03-01T08:30:00.000Z`, `…+08:00`), and the
 * forms staff type or Excel writes: `2024-03-01 16:30`, `2024/3/1 16:30:05`,
 * `2024.3.1`, `2024年3月1日`. Without an explicit zone the text is wall-clock
 * time at `offsetMinutes`.
 */
export const parseDate = (s: string, offsetMinutes: number): Date | undefined => {
  const m = datePattern.exec(s.trim())
  if (m === null) return undefined
  const [, y, mo, d, h, mi, se, frac, zone] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = h === undefined ? 0 : Number(h)
  const minute = mi === undefined ? 0 : Number(mi)
  const second = se === undefined ? 0 : Number(se)
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000 + 1e-6)
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  let offset = offsetMinutes
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1
    const digits = zone.slice(1).replace(":", "")
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)))
  } else if (zone !== undefined) {
    offset = 0
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  // Date.UTC maps years 0–99 to 1900–1999; four digits are required above, so only 0000–0099 are affected.
  const fixed = year < 100 ? new Date(wall).setUTCFullYear(year) : wall
  return new Date(fixed - offset * 60_000)
}

const excelEpoch = Date.UTC(1899, 11, 30)

/** An Excel serial date (1900 system) read as wall-clock time at `offsetMinutes`. */
export const fromExcelSerial = (serial: number, offsetMinutes: number): Date =>
  new Date(Math.round(excelEpoch + serial * 86_400_000) - offsetMinutes * 60_000)

// -----------------------------------------------------------------------------
// lists
// -----------------------------------------------------------------------------

/**
 * The separators a list cell is split at on import unless its column sets its
 * own: `、`, `,`, `，`, `;`, `；` — staff write tags every one of these ways.
 */
export const listSeparators: ReadonlyArray<string> = ["、", ",", "，", ";", "；"]

/**
 * Joins list items with the first separator, escaping every separator of
 * `separators` and `\` inside items with `\` (so `splitList` with the same
 * separators gives the items back).
 */
export const joinList = (items: ReadonlyArray<string>, separators: ReadonlyArray<string>): string => {
  const [first = "、"] = separators
  return items
    .map((item) => {
      let out = ""
      for (const ch of item) out += ch === "\\" || separators.includes(ch) ? `\\${ch}` : ch
      return out
    })
    .join(first)
}

/**
 * Splits a list written by `joinList` at any of `separators` (an escaped
 * separator stays in its item). The empty text is the empty list.
 */
export const splitList = (s: string, separators: ReadonlyArray<string>): ReadonlyArray<string> => {
  if (s === "") return []
  const items: Array<string> = []
  let current = ""
  const chars = Array.from(s)
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? ""
    const next = chars[i + 1]
    if (ch === "\\" && next !== undefined && (next === "\\" || separators.includes(next))) {
      current += next
      i++
    } else if (separators.includes(ch)) {
      items.push(current)
      current = ""
    } else current += ch
  }
  items.push(current)
  return items
}

// -----------------------------------------------------------------------------
// normalisation
// -----------------------------------------------------------------------------

/**
 * Full-width ASCII forms (U+FF01–U+FF5E: `２０２５－０３－０１`, `：`, `，`) as
 * their ASCII characters, and the ideographic space U+3000 as a space.
 */
export const toHalfWidth = (s: string): string =>
  s.replace(/[\uff01-\uff5e\u3000]/g, (ch) =>
    ch === "\u3000" ? " " : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)
  )

/**
 * 单元格规范化 — a cell as import reads it: text is trimmed of surrounding
 * white space (spaces, tabs, line breaks, U+3000, no-break spaces); in
 * number, boolean, date and number-list cells — and text cells of a
 * `halfWidth` column (phones, codes) — full-width digits and punctuation also
 * become ASCII. Other values are kept. Idempotent.
 */
export const normalizeCell = (
  cell: Cell,
  kind: CellKind,
  itemKind: "text" | "number" = "text",
  asciiText = false
): Cell => {
  if (typeof cell !== "string") return cell
  const halfWidth =
    asciiText ||
    kind === "number" ||
    kind === "boolean" ||
    kind === "date" ||
    (kind === "list" && itemKind === "number")
  return (halfWidth ? toHalfWidth(cell) : cell).trim()
}

// -----------------------------------------------------------------------------
// codecs
// -----------------------------------------------------------------------------

/** The kind of cell a column holds. */
export type CellKind = "text" | "number" | "boolean" | "date" | "list" | "json"

/** What a column's codec needs to know about its field. */
export interface CodecSpec {
  readonly kind: CellKind
  /** For `text`: display labels of literal values (value → label). */
  readonly labels: Readonly<Record<string, string>> | undefined
  /** For `text`: the literal values the field allows, if it is a union of literals. */
  readonly literals: ReadonlyArray<string> | undefined
  /** For `list`: the kind of the items. */
  readonly itemKind: "text" | "number"
  /** For `list`: the separators (the first is written; import splits at any). */
  readonly separators: ReadonlyArray<string>
  /** For `date`: the encoded representation. */
  readonly dateRep: DateRep
}

/** Options of a decode. */
export interface DecodeOptions {
  readonly utcOffsetMinutes: number
}

/** Text of any non-empty cell, for messages and text columns. */
export const cellText = (cell: Cell, offsetMinutes: number): string => {
  if (cell === null) return ""
  if (typeof cell === "string") return cell
  if (typeof cell === "number") return numberText(cell)
  if (typeof cell === "boolean") return booleanText(cell)
  return formatDate(cell, offsetMinutes)
}

const dateFromEncoded = (value: unknown): Date | undefined => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value
  if (typeof value === "number") return new Date(value)
  if (typeof value === "string") {
    const ms = Date.parse(value)
    return Number.isNaN(ms) ? undefined : new Date(ms)
  }
  return undefined
}

const dateToEncoded = (date: Date, rep: DateRep): unknown =>
  rep === "iso" ? date.toISOString() : rep === "millis" ? date.getTime() : date

const scalarToCell = (value: unknown): Cell => {
  if (value === null || value === undefined) return null
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value
  if (value instanceof Date) return value
  return JSON.stringify(value) ?? null
}

/**
 * A text value's label, if the spec gives one: an own key of the labels only
 * (a value such as "constructor" or "__proto__" is not a label).
 */
const labelOf = (spec: CodecSpec, value: string): string => {
  const labels = spec.labels
  return labels !== undefined && Object.hasOwn(labels, value) ? (labels[value] ?? value) : value
}

/** Encodes a (non-null) encoded field value as a cell. Total: odd values fall back to JSON text. */
export const encodeCell = (spec: CodecSpec, value: unknown): Cell => {
  if (value === null || value === undefined) return null
  switch (spec.kind) {
    case "text":
      return typeof value === "string" ? labelOf(spec, value) : scalarToCell(value)
    case "number":
      return typeof value === "number" && !Number.isFinite(value) ? numberText(value) : scalarToCell(value)
    case "boolean":
      return scalarToCell(value)
    case "date":
      return dateFromEncoded(value) ?? scalarToCell(value)
    case "list":
      return Array.isArray(value)
        ? joinList(
            value.map((item: unknown) => (typeof item === "number" ? numberText(item) : String(item))),
            spec.separators
          )
        : scalarToCell(value)
    case "json":
      return JSON.stringify(value) ?? null
  }
}

const describeLiterals = (spec: CodecSpec): string =>
  (spec.literals ?? []).map((l) => labelOf(spec, l)).join("、")

/** Decodes a non-empty cell to the field's encoded value, or says why it cannot. */
export const decodeCell = (
  spec: CodecSpec,
  cell: string | number | boolean | Date,
  options: DecodeOptions
): Either.Either<unknown, string> => {
  const offset = options.utcOffsetMinutes
  switch (spec.kind) {
    case "text": {
      const s = cellText(cell, offset)
      if (spec.labels !== undefined) {
        for (const [value, label] of Object.entries(spec.labels)) if (label === s) return Either.right(value)
      }
      if (spec.literals !== undefined && !spec.literals.includes(s)) {
        return Either.left(`应为 ${describeLiterals(spec)} 之一 (expected one of ${describeLiterals(spec)})`)
      }
      return Either.right(s)
    }
    case "number": {
      if (typeof cell === "number") return Either.right(cell)
      const n = typeof cell === "string" ? parseNumber(cell) : undefined
      return n === undefined ? Either.left("不是数字 (not a number)") : Either.right(n)
    }
    case "boolean": {
      if (typeof cell === "boolean") return Either.right(cell)
      if (typeof cell === "number" && (cell === 0 || cell === 1)) return Either.right(cell === 1)
      const b = typeof cell === "string" ? parseBoolean(cell) : undefined
      return b === undefined ? Either.left("应为 是 或 否 (expected 是/否, yes/no)") : Either.right(b)
    }
    case "date": {
      const date =
        cell instanceof Date
          ? cell
          : typeof cell === "number"
            ? fromExcelSerial(cell, offset)
            : typeof cell === "string"
              ? parseDate(cell, offset)
              : undefined
      return date === undefined || Number.isNaN(date.getTime())
        ? Either.left("不是有效的日期时间 (not a date, e.g. 2024-03-01 16:30:00)")
        : Either.right(dateToEncoded(date, spec.dateRep))
    }
    case "list": {
      const parts = (typeof cell === "string" ? splitList(cell, spec.separators) : [cellText(cell, offset)])
        .map((part) => part.trim())
        .filter((part) => part !== "")
      if (spec.itemKind === "text") return Either.right(parts)
      const numbers: Array<number> = []
      for (const [i, part] of parts.entries()) {
        const n = parseNumber(part)
        if (n === undefined) return Either.left(`第 ${i + 1} 项不是数字 (item ${i + 1} is not a number)`)
        numbers.push(n)
      }
      return Either.right(numbers)
    }
    case "json": {
      const s = cellText(cell, offset)
      try {
        return Either.right(JSON.parse(s))
      } catch {
        return Either.left("不是有效的 JSON (not valid JSON)")
      }
    }
  }
}

// -----------------------------------------------------------------------------
// widths and column letters
// -----------------------------------------------------------------------------

const wide = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u

/** The display width of a text: East Asian wide characters count 2; the longest line counts. */
export const displayWidth = (s: string): number => {
  let best = 0
  for (const line of s.split("\n")) {
    let w = 0
    for (const ch of line) w += wide.test(ch) ? 2 : 1
    if (w > best) best = w
  }
  return best
}

/** The spreadsheet letter of a 0-based column index: 0 → A, 25 → Z, 26 → AA. */
export const columnLetter = (index: number): string => {
  let n = index + 1
  let s = ""
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}
