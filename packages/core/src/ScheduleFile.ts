/**
 * 年度安排文件 — the file an operator loads one year's official holiday
 * schedule from (国务院办公厅关于××年部分节假日安排的通知), when the SDK's
 * shipped schedules (`WorkingCalendar.officialYears()`) end before the year
 * the deadlines reach.
 *
 * The file classifies **every date of the year exactly once**:
 *
 * | kind 类型 | 中文 | on |
 * |---|---|---|
 * | `workday` | 工作日 | Monday–Friday, an ordinary working day |
 * | `restDay` | 休息日 | Saturday or Sunday, an ordinary weekly rest day |
 * | `holiday` | 节假日 | any day: a public holiday or a bridging day off (调休放假); **named** (元旦, 春节 …) |
 * | `makeUpWorkday` | 调休上班日 | Saturday or Sunday only: a make-up working day (name optional) |
 *
 * Two encodings:
 *
 * - **JSON** — `{ "year": 2027, "source": "国办发明电〔…〕…号", "days": [ { "date":
 *   "2027-01-01", "kind": "holiday", "name": "元旦" }, … ] }` (`source` optional);
 * - **CSV** — UTF-8 (a BOM is allowed), a header row `date,kind,name` (or
 *   `日期,类型,名称`), then one row per date; the year is the first row's year
 *   unless given (`decodeCsv(text, { year })`), the source is given apart.
 *
 * A kind may be written in English or Chinese (`holiday` or `节假日`). The
 * decoders check the file completely (`violations`) and report every problem
 * with the date (or line) and the rule; a valid file becomes a
 * `WorkingCalendar.YearSchedule` (`toYearSchedule`). The weekly rest days of
 * the file are Saturday and Sunday, as in the State Council's notices.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Cal from "./internal/calendar.js"
import * as Text from "./Text.js"
import * as WorkingCalendar from "./WorkingCalendar.js"

// -----------------------------------------------------------------------------
// models
// -----------------------------------------------------------------------------

/**
 * 日期类型 — how the file classifies a date: `workday` 工作日 (Mon–Fri),
 * `restDay` 休息日 (Sat/Sun), `holiday` 节假日 (named), `makeUpWorkday`
 * 调休上班日 (Sat/Sun only).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DayKind = Schema.Literal("workday", "restDay", "holiday", "makeUpWorkday").annotations({
  identifier: "ScheduleDayKind",
  title: "日期类型 day kind"
})

/**
 * @since 0.1.0
 * @category models
 */
export type DayKind = typeof DayKind.Type

/**
 * The Chinese label of each kind (also accepted when decoding).
 *
 * @since 0.1.0
 * @category constants
 */
export const kindLabels: Readonly<Record<DayKind, string>> = {
  workday: "工作日",
  restDay: "休息日",
  holiday: "节假日",
  makeUpWorkday: "调休上班日"
}

/**
 * 日期条目 — one date of the file: its kind and, for a holiday (required) or a
 * make-up working day (optional), the festival's name.
 *
 * @since 0.1.0
 * @category models
 */
export interface ScheduleDay {
  readonly date: WorkingCalendar.LocalDate
  readonly kind: DayKind
  readonly name?: string
}

/**
 * 年度安排文件 — a valid file: the year, where it comes from, and every date
 * of the year in order.
 *
 * @since 0.1.0
 * @category models
 */
export interface ScheduleFile {
  readonly year: number
  readonly source?: string
  readonly days: ReadonlyArray<ScheduleDay>
}

/**
 * The unchecked shape `violations` takes: the rows as read, each with where it
 * was read (`line`: a CSV line, or the index in the JSON `days` array).
 *
 * @since 0.1.0
 * @category models
 */
export interface RawFile {
  readonly year: unknown
  readonly source?: unknown
  readonly days: ReadonlyArray<{
    readonly line: number
    readonly date: unknown
    readonly kind: unknown
    readonly name?: unknown
  }>
}

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * 文件规则 — the rules a schedule file is checked against.
 *
 * @since 0.1.0
 * @category validation
 */
export const Rule = Schema.Literal(
  "syntax",
  "header",
  "year",
  "source",
  "date-format",
  "date-outside-year",
  "duplicate-date",
  "missing-date",
  "kind",
  "workday-on-weekend",
  "rest-day-on-weekday",
  "make-up-on-weekday",
  "holiday-name",
  "name-format",
  "unexpected-name"
).annotations({ identifier: "ScheduleFileRule", title: "文件规则 schedule file rule" })

/**
 * @since 0.1.0
 * @category models
 */
export type Rule = typeof Rule.Type

/**
 * 文件问题 — one problem: the date (or `line N`, or the field) it concerns,
 * the field, the rule and a bilingual message (Chinese first).
 *
 * @since 0.1.0
 * @category validation
 */
export const Violation = Schema.Struct({
  subject: Schema.String,
  field: Schema.Literal("file", "year", "source", "date", "kind", "name"),
  rule: Rule,
  message: Schema.String
}).annotations({ identifier: "ScheduleFileViolation", title: "文件问题 schedule file violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Violation extends Schema.Schema.Type<typeof Violation> {}

/**
 * How many violations an error message lists before “… n more”.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxListed = 30

/**
 * 年度安排文件无效 — a schedule file refused, with every violation; nothing is loaded.
 *
 * @since 0.1.0
 * @category errors
 */
export class ScheduleFileInvalid extends Schema.TaggedError<ScheduleFileInvalid>()("ScheduleFileInvalid", {
  violations: Schema.NonEmptyArray(Violation)
}) {
  override get message(): string {
    const lines = this.violations
      .slice(0, maxListed)
      .map((v) => `  ${v.subject} [${v.field}, ${v.rule}] ${v.message}`)
    const more = this.violations.length > maxListed ? [`  … ${this.violations.length - maxListed} more`] : []
    return [
      `年度安排文件无效 invalid year schedule file: ${this.violations.length} problem(s), nothing loaded`,
      ...lines,
      ...more
    ].join("\n")
  }
}

// -----------------------------------------------------------------------------
// validation
// -----------------------------------------------------------------------------

const kindsByLabel: ReadonlyMap<string, DayKind> = new Map<string, DayKind>([
  ["workday", "workday"],
  ["restDay", "restDay"],
  ["holiday", "holiday"],
  ["makeUpWorkday", "makeUpWorkday"],
  ...Object.entries(kindLabels).map(([kind, label]) => [label, kind as DayKind] as const)
])

const isName = Schema.is(Text.Name)
const isSource = Schema.is(Text.line(Text.limits.title))
const isWeekend = (day: number): boolean => Cal.isoWeekday(day) >= 6
const show = (value: unknown): string =>
  typeof value === "string" ? `"${value}"` : (JSON.stringify(value) ?? String(value))

/** Consecutive day numbers as ranges `[from, to]`. */
const ranges = (days: ReadonlyArray<number>): Array<readonly [number, number]> => {
  const out: Array<[number, number]> = []
  for (const day of days) {
    const last = out[out.length - 1]
    if (last !== undefined && last[1] + 1 === day) last[1] = day
    else out.push([day, day])
  }
  return out
}

/**
 * Every problem of a file (empty when valid), in order of date: the year an
 * integer in `WorkingCalendar.yearRange`; `source`, when given, one line of at
 * most `Text.limits.title` characters; every row a real `YYYY-MM-DD` date of
 * that year, at most once; every date of the year present (missing dates are
 * reported as ranges); a known kind; `workday` only Monday–Friday, `restDay`
 * and `makeUpWorkday` only on Saturday or Sunday; a holiday named; a name one
 * line of at most `Text.limits.name` characters, and only on a holiday or a
 * make-up working day.
 *
 * @since 0.1.0
 * @category validation
 */
export const violations = (raw: RawFile): Array<Violation> => {
  const out: Array<Violation> = []
  const add = (subject: string, field: Violation["field"], rule: Rule, message: string) =>
    out.push({ subject, field, rule, message })
  const year = raw.year
  if (
    typeof year !== "number" ||
    !Number.isInteger(year) ||
    year < WorkingCalendar.yearRange.min ||
    year > WorkingCalendar.yearRange.max
  ) {
    add(
      "year",
      "year",
      "year",
      `年份无效: the year ${show(year)} is not an integer in ${WorkingCalendar.yearRange.min}–${WorkingCalendar.yearRange.max}`
    )
    return out
  }
  if (raw.source !== undefined && !isSource(raw.source)) {
    add(
      "source",
      "source",
      "source",
      `来源无效: the source ${show(raw.source)} is not one non-empty line of at most ${Text.limits.title} characters`
    )
  }
  const from = Cal.dayFromCivil(year, 1, 1)
  const to = Cal.dayFromCivil(year + 1, 1, 1)
  const seen = new Map<number, number>()
  for (const row of raw.days) {
    const where = `line ${row.line}`
    if (typeof row.date !== "string" || Number.isNaN(Cal.dayFromIso(row.date))) {
      add(
        where,
        "date",
        "date-format",
        `日期格式错误: ${where}: ${show(row.date)} is not a real YYYY-MM-DD date`
      )
      continue
    }
    const date = row.date
    const day = Cal.dayFromIso(date)
    if (day < from || day >= to) {
      add(date, "date", "date-outside-year", `日期不在本年: ${date} (${where}) is not in ${year}`)
      continue
    }
    const first = seen.get(day)
    if (first !== undefined) {
      add(
        date,
        "date",
        "duplicate-date",
        `日期重复: ${date} is listed twice (lines ${first} and ${row.line}); each date once`
      )
      continue
    }
    seen.set(day, row.line)
    const kind = typeof row.kind === "string" ? kindsByLabel.get(row.kind.trim()) : undefined
    if (kind === undefined) {
      add(
        date,
        "kind",
        "kind",
        `类型无效: ${date}: the kind ${show(row.kind)} is not one of workday 工作日, restDay 休息日, holiday 节假日, makeUpWorkday 调休上班日`
      )
    } else if (kind === "workday" && isWeekend(day)) {
      add(
        date,
        "kind",
        "workday-on-weekend",
        `周末不能是普通工作日: ${date} is a Saturday or Sunday; a worked weekend day is a makeUpWorkday 调休上班日`
      )
    } else if (kind === "restDay" && !isWeekend(day)) {
      add(
        date,
        "kind",
        "rest-day-on-weekday",
        `工作日不能是休息日: ${date} is a Monday–Friday; a weekday off is a holiday 节假日 (with its name)`
      )
    } else if (kind === "makeUpWorkday" && !isWeekend(day)) {
      add(
        date,
        "kind",
        "make-up-on-weekday",
        `调休上班日只能在周末: ${date} is a Monday–Friday; make-up working days are Saturdays or Sundays only`
      )
    }
    const name = row.name === undefined || row.name === "" ? undefined : row.name
    if (name === undefined) {
      if (kind === "holiday")
        add(date, "name", "holiday-name", `节假日须有名称: the holiday ${date} has no name (元旦, 春节 …)`)
    } else if (!isName(name)) {
      add(
        date,
        "name",
        "name-format",
        `名称无效: ${date}: the name ${show(name)} is not one non-empty line of at most ${Text.limits.name} characters`
      )
    } else if (kind === "workday" || kind === "restDay") {
      add(
        date,
        "name",
        "unexpected-name",
        `普通日期不应有名称: ${date} is an ordinary ${kind}; only a holiday or a make-up working day has a name`
      )
    }
  }
  const missing: Array<number> = []
  for (let day = from; day < to; day++) if (!seen.has(day)) missing.push(day)
  for (const [a, b] of ranges(missing)) {
    const subject = a === b ? Cal.isoFromDay(a) : `${Cal.isoFromDay(a)}…${Cal.isoFromDay(b)}`
    add(
      subject,
      "date",
      "missing-date",
      `缺少日期: ${subject} is not in the file; every date of ${year} is classified once`
    )
  }
  return out.sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0))
}

const fail = (list: ReadonlyArray<Violation>): Either.Either<never, ScheduleFileInvalid> => {
  const [first, ...rest] = list
  return Either.left(
    new ScheduleFileInvalid({
      violations:
        first === undefined
          ? [{ subject: "file", field: "file", rule: "syntax", message: "文件无效 invalid file" }]
          : [first, ...rest]
    })
  )
}

/**
 * Checks a raw file; a valid one comes back with its dates in order, kinds
 * in English, names only where they belong.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (raw: RawFile): Either.Either<ScheduleFile, ScheduleFileInvalid> => {
  const found = violations(raw)
  if (found.length > 0) return fail(found)
  const days = raw.days
    .map((row): ScheduleDay => {
      const kind = kindsByLabel.get(String(row.kind).trim()) ?? "workday"
      const date = WorkingCalendar.LocalDate.make(String(row.date), { disableValidation: true })
      return typeof row.name === "string" && row.name !== "" ? { date, kind, name: row.name } : { date, kind }
    })
    .sort((a, b) => (a.date < b.date ? -1 : 1))
  const year = Number(raw.year)
  return Either.right(typeof raw.source === "string" ? { year, source: raw.source, days } : { year, days })
}

// -----------------------------------------------------------------------------
// JSON
// -----------------------------------------------------------------------------

const syntax = (message: string): Either.Either<never, ScheduleFileInvalid> =>
  fail([{ subject: "file", field: "file", rule: "syntax", message }])

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Decodes and checks a JSON file `{ year, source?, days: [{ date, kind, name? }] }`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeJson = (text: string): Either.Either<ScheduleFile, ScheduleFileInvalid> => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""))
  } catch (e) {
    return syntax(`JSON 语法错误 not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.days)) {
    return syntax('JSON 结构错误: the file is an object { "year": …, "source": …, "days": [ … ] }')
  }
  const days: Array<RawFile["days"][number]> = []
  parsed.days.forEach((row: unknown, i) => {
    const r = isRecord(row) ? row : {}
    days.push({ line: i + 1, date: r.date, kind: r.kind, name: r.name })
  })
  return validate({ year: parsed.year, source: parsed.source, days })
}

/**
 * Encodes a file as JSON (two-space indentation, one date per line).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeJson = (file: ScheduleFile): string => {
  const head = [
    `  "year": ${file.year},`,
    ...(file.source === undefined ? [] : [`  "source": ${JSON.stringify(file.source)},`])
  ]
  const rows = file.days.map(
    (d) => `    ${JSON.stringify(d.name === undefined ? { date: d.date, kind: d.kind } : d)}`
  )
  return ["{", ...head, '  "days": [', rows.join(",\n"), "  ]", "}", ""].join("\n")
}

// -----------------------------------------------------------------------------
// CSV
// -----------------------------------------------------------------------------

/** RFC 4180 rows (quoted fields with `""`, CRLF or LF), or an error message. */
const parseCsv = (text: string): Array<Array<string>> | string => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ""
  let quoted = false
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else field += c
      i++
      continue
    }
    if (c === '"' && field === "") quoted = true
    else if (c === ",") {
      row.push(field)
      field = ""
    } else if (c === "\n" || c === "\r") {
      row.push(field)
      rows.push(row)
      row = []
      field = ""
      if (c === "\r" && text[i + 1] === "\n") i++
    } else field += c
    i++
  }
  if (quoted) return `CSV 语法错误: a quoted field is not closed (line ${rows.length + 1})`
  if (field !== "" || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

const headers: Readonly<Record<string, "date" | "kind" | "name">> = {
  date: "date",
  日期: "date",
  kind: "kind",
  类型: "kind",
  name: "name",
  名称: "name"
}

/**
 * Decodes and checks a CSV file: a header row naming the columns `date`,
 * `kind`, `name` (or `日期`, `类型`, `名称`; any order), then one row per
 * date; blank lines are skipped. The year is `options.year`, else the year of
 * the first row's date; `options.source` is the file's source.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeCsv = (
  text: string,
  options: { readonly year?: number; readonly source?: string } = {}
): Either.Either<ScheduleFile, ScheduleFileInvalid> => {
  const rows = parseCsv(text.replace(/^\uFEFF/, ""))
  if (typeof rows === "string") return syntax(rows)
  const [header, ...body] = rows
  const columns = (header ?? []).map((h) => headers[h.trim()])
  const index = (name: "date" | "kind" | "name") => columns.indexOf(name)
  if (index("date") < 0 || index("kind") < 0) {
    return fail([
      {
        subject: "line 1",
        field: "file",
        rule: "header",
        message: `表头错误: the first row names the columns date,kind,name (or 日期,类型,名称); got ${JSON.stringify((header ?? []).join(","))}`
      }
    ])
  }
  const days: Array<RawFile["days"][number]> = []
  body.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === "")) return
    const cell = (name: "date" | "kind" | "name") => {
      const at = index(name)
      return at < 0 ? undefined : (cells[at] ?? "").trim()
    }
    days.push({ line: i + 2, date: cell("date"), kind: cell("kind"), name: cell("name") })
  })
  const firstDate = days[0]?.date
  const year =
    options.year ??
    (typeof firstDate === "string" && !Number.isNaN(Cal.dayFromIso(firstDate))
      ? Cal.yearOfDay(Cal.dayFromIso(firstDate))
      : undefined)
  return validate({ year, days, ...(options.source === undefined ? {} : { source: options.source }) })
}

const csvCell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)

/**
 * Encodes a file as CSV (header `date,kind,name`, CRLF line ends); the source
 * is not part of the CSV.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeCsv = (file: ScheduleFile): string =>
  ["date,kind,name", ...file.days.map((d) => `${d.date},${d.kind},${csvCell(d.name ?? "")}`), ""].join("\r\n")

// -----------------------------------------------------------------------------
// conversions
// -----------------------------------------------------------------------------

/**
 * The year schedule a file loads: its holidays, its make-up working days and
 * their names; the file's source.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toYearSchedule = (file: ScheduleFile): WorkingCalendar.YearSchedule => {
  const names: Record<string, string> = {}
  for (const d of file.days) if (d.name !== undefined) names[d.date] = d.name
  const base = {
    year: file.year,
    holidays: file.days.filter((d) => d.kind === "holiday").map((d) => d.date),
    workdays: file.days.filter((d) => d.kind === "makeUpWorkday").map((d) => d.date),
    names
  }
  return file.source === undefined ? base : { ...base, source: file.source }
}

/**
 * The file of a year schedule: every date of the year classified (a listed
 * holiday without a name is named `节假日`). The inverse of `toYearSchedule`
 * for a schedule whose holidays are named and whose make-up working days are
 * weekend days.
 *
 * @since 0.1.0
 * @category conversions
 */
export const fromYearSchedule = (schedule: WorkingCalendar.YearSchedule): ScheduleFile => {
  const holidays = new Set<string>(schedule.holidays)
  const workdays = new Set<string>(schedule.workdays)
  const days: Array<ScheduleDay> = []
  const to = Cal.dayFromCivil(schedule.year + 1, 1, 1)
  for (let day = Cal.dayFromCivil(schedule.year, 1, 1); day < to; day++) {
    const date = WorkingCalendar.LocalDate.make(Cal.isoFromDay(day), { disableValidation: true })
    const name = schedule.names?.[date]
    if (holidays.has(date)) days.push({ date, kind: "holiday", name: name ?? kindLabels.holiday })
    else if (workdays.has(date))
      days.push(name === undefined ? { date, kind: "makeUpWorkday" } : { date, kind: "makeUpWorkday", name })
    else days.push({ date, kind: isWeekend(day) ? "restDay" : "workday" })
  }
  return schedule.source === undefined
    ? { year: schedule.year, days }
    : { year: schedule.year, source: schedule.source, days }
}
