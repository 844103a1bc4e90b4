/**
 * 年度安排文件 — the schedule file operators load next year's official
 * holidays from: generated valid years round-trip through JSON and CSV,
 * every single-date corruption is refused with the rule that names it, the
 * shipped official years are valid files, and the calendar built from shipped
 * plus loaded years reaches as far as it says (`coverage`, the 60-day warning).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as CalendarRepository from "../src/CalendarRepository.js"
import * as ScheduleFile from "../src/ScheduleFile.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const DAY = 86_400_000
const iso = (t: number) => new Date(t).toISOString().slice(0, 10)
const isWeekend = (t: number) => {
  const w = new Date(t).getUTCDay()
  return w === 0 || w === 6
}
const datesOf = (year: number): Array<number> => {
  const out: Array<number> = []
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) out.push(t)
  return out
}

/** Festival names, some with CSV's special characters. */
const names = [
  "元旦",
  "春节",
  "清明节",
  "劳动节",
  "端午节",
  "中秋节",
  "国庆节",
  '春节, "除夕"',
  "Spring Festival"
]

interface Row {
  readonly date: string
  readonly kind: string
  readonly name?: string
}

/** A valid year: each weekday a workday or a named holiday; each weekend day a rest day, a named holiday or a make-up working day (named or not). */
const validYear = fc.integer({ min: 1990, max: 2120 }).chain((year) => {
  const dates = datesOf(year)
  return fc
    .tuple(
      fc.array(fc.nat(9), { minLength: dates.length, maxLength: dates.length }),
      fc.array(fc.constantFrom(...names), { minLength: dates.length, maxLength: dates.length }),
      fc.option(fc.constantFrom("国务院办公厅关于测试年度部分节假日安排的通知 (synthetic)", "test source"), {
        nil: undefined
      })
    )
    .map(([choices, picked, source]): { year: number; source: string | undefined; rows: Array<Row> } => ({
      year,
      source,
      rows: dates.map((t, i) => {
        const c = choices[i] ?? 0
        const name = picked[i] ?? "元旦"
        const date = iso(t)
        if (!isWeekend(t)) return c < 8 ? { date, kind: "workday" } : { date, kind: "holiday", name }
        if (c < 6) return { date, kind: "restDay" }
        if (c < 8) return { date, kind: "holiday", name }
        return c === 8 ? { date, kind: "makeUpWorkday" } : { date, kind: "makeUpWorkday", name }
      })
    }))
})

const toFile = (y: {
  year: number
  source: string | undefined
  rows: Array<Row>
}): ScheduleFile.ScheduleFile => {
  const days = y.rows.map(
    (r) => ({ ...r, date: WorkingCalendar.LocalDate.make(r.date) }) as ScheduleFile.ScheduleDay
  )
  return y.source === undefined ? { year: y.year, days } : { year: y.year, source: y.source, days }
}

/** Raw rows as JSON and as CSV (the test's own writers: corruptions are not valid files). */
const rawJson = (year: number, rows: ReadonlyArray<Row>) => JSON.stringify({ year, days: rows })
const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
const rawCsv = (rows: ReadonlyArray<Row>) =>
  ["日期,类型,名称", ...rows.map((r) => `${r.date},${cell(r.kind)},${cell(r.name ?? "")}`)].join("\n")

const right = <A, E>(e: Either.Either<A, E>): A =>
  Either.getOrThrowWith(e, (err) => new Error(`expected Right, got ${String(err)}`))
const refused = <A>(e: Either.Either<A, ScheduleFile.ScheduleFileInvalid>) =>
  Either.match(e, {
    onLeft: (err) => err.violations.map((v) => `${v.rule} ${v.subject}`).sort(),
    onRight: () => ["(accepted)"]
  })

describe("ScheduleFile", () => {
  it.prop(
    "往返: a generated valid year round-trips through JSON and through CSV",
    [validYear],
    ([y]) => {
      const file = toFile(y)
      expect(right(ScheduleFile.decodeJson(ScheduleFile.encodeJson(file)))).toEqual(file)
      const csv = ScheduleFile.encodeCsv(file)
      expect(right(ScheduleFile.decodeCsv(csv, y.source === undefined ? {} : { source: y.source }))).toEqual(
        file
      )
      // and the schedule it loads classifies every date as the file does
      const calendar = right(
        WorkingCalendar.withYear(WorkingCalendar.empty, y.year, ScheduleFile.toYearSchedule(file))
      )
      for (const d of file.days) {
        const info = right(WorkingCalendar.describeDay(calendar, d.date))
        expect(info.kind).toBe(d.kind)
        if (d.name !== undefined) expect(info.name).toBe(d.name)
      }
      expect(ScheduleFile.fromYearSchedule(ScheduleFile.toYearSchedule(file))).toEqual(file)
    },
    { fastCheck: { numRuns: 40 } }
  )

  type Corruption = (
    rows: Array<Row>,
    i: number,
    year: number
  ) => { rows: Array<Row>; expected: Array<string> } | undefined

  const corruptions: Record<string, Corruption> = {
    "drop the date": (rows, i) => {
      const r = rows[i] as Row
      return { rows: rows.filter((_, j) => j !== i), expected: [`missing-date ${r.date}`] }
    },
    "list the date twice": (rows, i) => {
      const r = rows[i] as Row
      return { rows: [...rows, r], expected: [`duplicate-date ${r.date}`] }
    },
    "a date of another year": (rows, i, year) => {
      const r = rows[i] as Row
      const other = `${year + 1}-01-01`
      return {
        rows: rows.map((x, j) => (j === i ? { ...x, date: other } : x)),
        expected: [`date-outside-year ${other}`, `missing-date ${r.date}`].sort()
      }
    },
    "a date that is not real": (rows, i, year) => {
      const r = rows[i] as Row
      return {
        rows: rows.map((x, j) => (j === i ? { ...x, date: `${year}-02-30` } : x)),
        expected: ["date-format line", `missing-date ${r.date}`].sort()
      }
    },
    "an unknown kind": (rows, i) => {
      const r = rows[i] as Row
      return {
        rows: rows.map((x, j) => (j === i ? { date: x.date, kind: "vacation" } : x)),
        expected: [`kind ${r.date}`]
      }
    },
    "a holiday without a name": (rows, i) => {
      const r = rows[i] as Row
      return {
        rows: rows.map((x, j) => (j === i ? { date: x.date, kind: "holiday" } : x)),
        expected: [`holiday-name ${r.date}`]
      }
    },
    "a kind that does not fit the weekday": (rows, i) => {
      const r = rows[i] as Row
      const weekend = isWeekend(Date.parse(`${r.date}T00:00:00Z`))
      const [kind, rule] = weekend
        ? ["workday", "workday-on-weekend"]
        : i % 2 === 0
          ? ["restDay", "rest-day-on-weekday"]
          : ["makeUpWorkday", "make-up-on-weekday"]
      return {
        rows: rows.map((x, j) => (j === i ? { date: x.date, kind } : x)),
        expected: [`${rule} ${r.date}`]
      }
    },
    "a name on an ordinary day": (rows, i) => {
      const r = rows[i] as Row
      if (r.kind !== "workday" && r.kind !== "restDay") return undefined
      return {
        rows: rows.map((x, j) => (j === i ? { ...x, name: "元旦" } : x)),
        expected: [`unexpected-name ${r.date}`]
      }
    },
    "a name on two lines": (rows, i) => {
      const r = rows[i] as Row
      if (r.kind !== "holiday") return undefined
      return {
        rows: rows.map((x, j) => (j === i ? { ...x, name: "春\n节" } : x)),
        expected: [`name-format ${r.date}`]
      }
    }
  }

  for (const [label, corrupt] of Object.entries(corruptions)) {
    it.prop(
      `单日错误: ${label} — refused in JSON and in CSV with that rule, naming that date`,
      [validYear, fc.nat()],
      ([y, n]) => {
        const i = n % y.rows.length
        const found = corrupt([...y.rows], i, y.year)
        if (found === undefined) return
        // the "not real date" case names its line: 1-based in JSON, +1 for the CSV header
        const fix = (lineBase: number) =>
          found.expected
            .map((e) => (e.startsWith("date-format line") ? `date-format line ${i + lineBase}` : e))
            .sort()
        expect(refused(ScheduleFile.decodeJson(rawJson(y.year, found.rows)))).toEqual(fix(1))
        expect(refused(ScheduleFile.decodeCsv(rawCsv(found.rows), { year: y.year }))).toEqual(fix(2))
      },
      { fastCheck: { numRuns: 25 } }
    )
  }

  it("年份: a JSON file whose year is not its dates' year is refused on every date; a bad year alone", () => {
    const file = ScheduleFile.fromYearSchedule(
      WorkingCalendar.officialSchedules().find((s) => s.year === 2025) as WorkingCalendar.YearSchedule
    )
    const text = ScheduleFile.encodeJson({ ...file, year: 2026 })
    const error = Either.getLeft(ScheduleFile.decodeJson(text))
    const rules = new Set(error.pipe((o) => (o._tag === "Some" ? o.value.violations.map((v) => v.rule) : [])))
    expect([...rules].sort()).toEqual(["date-outside-year", "missing-date"])
    expect(refused(ScheduleFile.decodeJson('{"year":"2027","days":[]}'))).toEqual(["year year"])
    expect(refused(ScheduleFile.decodeJson("{ not json"))).toEqual(["syntax file"])
    expect(refused(ScheduleFile.decodeCsv("day,type\n2027-01-01,holiday"))).toEqual(["header line 1"])
  })

  it("双语: the error message is Chinese first and names the date and the rule", () => {
    const rows = datesOf(2027).map((t) => ({ date: iso(t), kind: isWeekend(t) ? "restDay" : "workday" }))
    rows[0] = { date: "2027-01-01", kind: "holiday" }
    const error = Either.getLeft(ScheduleFile.decodeCsv(rawCsv(rows)))
    expect(error._tag).toBe("Some")
    if (error._tag === "Some") {
      expect(error.value.message).toMatch(/^年度安排文件无效 invalid year schedule file: 1 problem/)
      expect(error.value.message).toContain(
        "2027-01-01 [name, holiday-name] 节假日须有名称: the holiday 2027-01-01 has no name"
      )
    }
  })

  it("官方年度: every shipped official year is a valid file and loads back to the same schedule", () => {
    for (const schedule of WorkingCalendar.officialSchedules()) {
      const file = ScheduleFile.fromYearSchedule(schedule)
      const decoded = right(ScheduleFile.decodeCsv(ScheduleFile.encodeCsv(file), { source: "chinese-days" }))
      const back = ScheduleFile.toYearSchedule(decoded)
      expect(back.holidays).toEqual(schedule.holidays)
      expect(back.workdays).toEqual(schedule.workdays)
    }
  })

  it("中文类型: kinds may be written in Chinese", () => {
    const rows = datesOf(2027).map((t) => ({ date: iso(t), kind: isWeekend(t) ? "休息日" : "工作日" }))
    const file = right(ScheduleFile.decodeCsv(rawCsv(rows)))
    expect(file.year).toBe(2027)
    expect(file.days[0]).toEqual({ date: "2027-01-01", kind: "workday" })
    expect(file.days[1]).toEqual({ date: "2027-01-02", kind: "restDay" })
  })
})

describe("WorkingCalendar.chinaWith and coverage", () => {
  const d = (text: string) => WorkingCalendar.LocalDate.make(text)
  /** A synthetic 2027 (NOT the official schedule): only 1 January off, 9 January a make-up Saturday. */
  const synthetic2027: WorkingCalendar.YearSchedule = {
    year: 2027,
    holidays: [d("2027-01-01")],
    workdays: [d("2027-01-09")],
    names: { [d("2027-01-01")]: "元旦" },
    source: "synthetic test fixture"
  }

  it("跨年: deadlines across the year end fail on the shipped years alone and work with a loaded year", () => {
    const shipped = WorkingCalendar.china()
    expect(Either.isLeft(WorkingCalendar.addWorkingDays(shipped, d("2026-12-30"), 3))).toBe(true)
    const loaded = right(WorkingCalendar.chinaWith([synthetic2027]))
    // 12-31 (Thu), 01-01 holiday, 01-02/03 weekend, 01-04 (Mon), 01-05 (Tue)
    expect(right(WorkingCalendar.addWorkingDays(loaded, d("2026-12-30"), 3))).toBe("2027-01-05")
    expect(right(WorkingCalendar.isWorkingDay(loaded, d("2027-01-09")))).toBe(true)
    expect(WorkingCalendar.loadedYears(loaded)).toContain(2026)
    expect(right(WorkingCalendar.chinaWith([]))).toBe(shipped)
  })

  it("覆盖: a loaded year replaces the shipped one of the same year", () => {
    const replaced = right(WorkingCalendar.chinaWith([{ year: 2025, holidays: [], workdays: [] }]))
    expect(right(WorkingCalendar.isWorkingDay(replaced, d("2025-10-01")))).toBe(true)
  })

  it.prop(
    "到期提醒: coverage warns exactly within 60 days of the last loaded day, and when today's year is not loaded",
    [fc.integer({ min: 0, max: 364 })],
    ([offset]) => {
      const today = d(iso(Date.UTC(2026, 0, 1) + offset * DAY))
      const left = Math.round((Date.UTC(2026, 11, 31) - Date.UTC(2026, 0, 1)) / DAY) - offset
      const found = WorkingCalendar.coverage(WorkingCalendar.china(), today)
      expect(found).toEqual({ lastDay: "2026-12-31", daysLeft: left, warning: left <= 60 })
      expect(WorkingCalendar.coverageWarning(found, today) !== undefined).toBe(left <= 60)
      const loaded = right(WorkingCalendar.chinaWith([synthetic2027]))
      expect(WorkingCalendar.coverage(loaded, today)).toEqual({
        lastDay: "2027-12-31",
        daysLeft: left + 365,
        warning: false
      })
    }
  )

  it("未加载: today's year not loaded is a warning with no last day", () => {
    const found = WorkingCalendar.coverage(WorkingCalendar.china(), d("2027-01-04"))
    expect(found).toEqual({ lastDay: undefined, daysLeft: -1, warning: true })
    expect(WorkingCalendar.coverageWarning(found, d("2027-01-04"))).toMatch(/^工作日历未加载本年度: .*2027/)
    expect(WorkingCalendar.coverage(WorkingCalendar.china(), d("2026-10-31")).warning).toBe(false)
    expect(WorkingCalendar.coverage(WorkingCalendar.china(), d("2026-11-01")).warning).toBe(true)
  })
})

describe("CalendarRepository (memory)", () => {
  const d = (text: string) => WorkingCalendar.LocalDate.make(text)
  it.effect(
    "put stores a year, list returns it, a bad write changes nothing, calendar uses the stored year",
    () =>
      Effect.gen(function* () {
        const repository = yield* CalendarRepository.CalendarRepository
        yield* repository.put([
          { year: 2027, holidays: [d("2027-01-01")], workdays: [], names: { [d("2027-01-01")]: "元旦" } }
        ])
        const bad = yield* Effect.flip(
          repository.put([
            { year: 2028, holidays: [d("2028-01-01")], workdays: [] },
            { year: 2029, holidays: [d("2029-01-01")], workdays: [d("2029-01-01")] }
          ])
        )
        expect(bad._tag).toBe("InvalidCalendar")
        const stored = yield* repository.list
        expect(stored.map((s) => s.schedule.year)).toEqual([2027])
        const calendar = yield* CalendarRepository.calendar
        expect(WorkingCalendar.isWorkingDay(calendar, d("2027-01-01"))).toEqual(Either.right(false))
      }).pipe(Effect.provide(CalendarRepository.layerMemory))
  )
})
