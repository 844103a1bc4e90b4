/**
 * `civicgrid calendar import` and `civicgrid calendar list`, on SQLite and
 * PostgreSQL: a year's schedule (JSON or CSV) is checked and stored all or
 * nothing, listed with the last covered day, replaced when loaded again; a
 * file with a make-up working day on a weekday is refused naming the date
 * and the rule, and stores nothing. `serve`'s start warning follows the
 * clock (TestClock): from 60 days before the last loaded day.
 *
 * The 2027 schedule here is SYNTHETIC (a test fixture): the official one is
 * the State Council's notice, which operators import as published.
 */
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as ScheduleFile from "@civicgrid/core/ScheduleFile"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as Cli from "../src/Cli.js"
import * as Calendar from "../src/commands/Calendar.js"
import * as Progress from "../src/internal/Progress.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const d = (text: string) => WorkingCalendar.LocalDate.make(text)

/** SYNTHETIC 2027 — not the official schedule: 1 January off, Saturday 9 January a make-up working day. */
const synthetic = ScheduleFile.fromYearSchedule({
  year: 2027,
  holidays: [d("2027-01-01")],
  workdays: [d("2027-01-09")],
  names: { [d("2027-01-01")]: "元旦" },
  source: "SYNTHETIC test fixture — not the State Council's notice"
})

const at = (iso: string) => TestClock.setTime(Date.parse(iso))

for (const dialect of Databases.dialects) {
  describe(`civicgrid calendar (${dialect.name})`, () => {
    it.scoped(
      "import checks and stores a year (JSON, then CSV replacing it); list shows it and the last day; a bad file stores nothing",
      () =>
        Effect.gen(function* () {
          yield* at("2026-12-06T02:00:00Z")
          const url = yield* dialect.fresh
          const dir = yield* Databases.tempDir
          expect(Exit.isSuccess((yield* TestConsole.runCli(["migrate", "--database", url])).exit)).toBe(true)

          const before = yield* TestConsole.runCli(["calendar", "list", "--database", url])
          expect(Exit.isSuccess(before.exit), before.err).toBe(true)
          expect(before.out).toContain("已加载年度 loaded years: none")
          expect(before.out).toContain("the calendar reaches 2026-12-31 (25 day(s) from 2026-12-06)")
          expect(before.out).toContain("警告 warning: 工作日历即将到期")

          // a make-up working day on a Monday: refused, naming the date and the rule, nothing stored
          const bad = ScheduleFile.encodeCsv({
            ...synthetic,
            days: synthetic.days.map((x) =>
              x.date === "2027-01-04" ? { date: x.date, kind: "makeUpWorkday" } : x
            )
          })
          yield* Effect.promise(() => writeFile(join(dir, "bad-2027.csv"), bad))
          const refused = yield* TestConsole.runCli([
            "calendar",
            "import",
            join(dir, "bad-2027.csv"),
            "--database",
            url
          ])
          expect(Exit.isFailure(refused.exit)).toBe(true)
          expect(refused.err).toContain(
            "年度安排文件无效 invalid year schedule file: 1 problem(s), nothing loaded"
          )
          expect(refused.err).toContain("2027-01-04 [kind, make-up-on-weekday] 调休上班日只能在周末")

          yield* Effect.promise(() => writeFile(join(dir, "2027.json"), ScheduleFile.encodeJson(synthetic)))
          const loaded = yield* TestConsole.runCli([
            "calendar",
            "import",
            join(dir, "2027.json"),
            "--database",
            url
          ])
          expect(Exit.isSuccess(loaded.exit), loaded.err).toBe(true)
          expect(loaded.out).toContain(
            "已加载 loaded 2027 from " +
              join(dir, "2027.json") +
              ": 365 dates — 1 holiday(s) 节假日, 1 make-up working day(s) 调休上班日"
          )
          expect(loaded.out).not.toContain("replacing")
          expect(loaded.out).toContain("来源 source: SYNTHETIC test fixture")
          expect(loaded.out).toContain("the calendar reaches 2027-12-31 (390 day(s) from 2026-12-06)")

          yield* Effect.promise(() => writeFile(join(dir, "2027.csv"), ScheduleFile.encodeCsv(synthetic)))
          const again = yield* TestConsole.runCli([
            "calendar",
            "import",
            join(dir, "2027.csv"),
            "--source",
            "synthetic CSV",
            "--database",
            url
          ])
          expect(Exit.isSuccess(again.exit), again.err).toBe(true)
          expect(again.out).toContain("(replacing the year loaded before)")

          const after = yield* TestConsole.runCli(["calendar", "list", "--database", url])
          expect(Exit.isSuccess(after.exit), after.err).toBe(true)
          expect(after.out).toMatch(
            /\n {2}2027 {2}loaded 2026-12-06T02:00:00\.000Z {2}source: synthetic CSV\n/
          )
          expect(after.out).toContain("the calendar reaches 2027-12-31")
          expect(after.out).not.toContain("警告 warning")
          expect(after.out).not.toContain("2028")
        }),
      60_000
    )
  })
}

describe("civicgrid calendar — refusals and the start warning", () => {
  it.scoped("a file that is neither .json nor .csv, and a database not migrated, are refused", () =>
    Effect.gen(function* () {
      const url = yield* Databases.sqlite.fresh
      const dir = yield* Databases.tempDir
      const xlsx = yield* TestConsole.runCli([
        "calendar",
        "import",
        join(dir, "2027.xlsx"),
        "--database",
        url
      ])
      expect(Exit.isFailure(xlsx.exit)).toBe(true)
      expect(xlsx.err).toContain("不支持的日历文件 unsupported calendar file")
      // the SQLite file exists but holds no migrations
      yield* Effect.promise(() => writeFile(url.slice("sqlite:".length), ""))
      yield* Effect.promise(() => writeFile(join(dir, "2027.json"), ScheduleFile.encodeJson(synthetic)))
      const early = yield* TestConsole.runCli([
        "calendar",
        "import",
        join(dir, "2027.json"),
        "--database",
        url
      ])
      expect(Exit.isFailure(early.exit)).toBe(true)
      expect(early.err).toContain("run `civicgrid migrate` first")
    })
  )

  it.effect(
    "serve's start warning: from 60 days before the last loaded day, not before; loaded years move it",
    () =>
      Effect.gen(function* () {
        yield* Migrations.run
        yield* at("2026-10-31T02:00:00Z")
        expect(yield* Calendar.startWarning).toEqual(Option.none())
        yield* at("2026-11-01T02:00:00Z")
        const line = yield* Calendar.startWarning
        expect(Option.getOrThrow(line)).toMatch(
          /^警告 warning: 工作日历即将到期: the holiday schedules end on 2026-12-31 \(60 day/
        )
      }).pipe(Effect.provide(SqliteClient.layer({ filename: ":memory:" })), Effect.orDie)
  )

  it.scoped(
    "civicgrid serve prints the warning line at start (clock at 2026-12-06)",
    () =>
      Effect.gen(function* () {
        yield* at("2026-12-06T02:00:00Z")
        const url = yield* Databases.sqlite.fresh
        const small = ["--streets", "1", "--communities-per-street", "1", "--cases", "5", "--database", url]
        expect(Exit.isSuccess((yield* TestConsole.runCli(["seed", ...small])).exit)).toBe(true)
        const { console, captured } = TestConsole.make()
        const sink: Progress.Sink = { isTTY: false, columns: 100, write: () => {} }
        const serving = yield* Cli.main(["serve", "--port", "0", "--database", url]).pipe(
          Effect.withConsole(console),
          Effect.provideService(Progress.Output, sink),
          Effect.provide(NodeContext.layer),
          Effect.fork
        )
        const realSleep = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
        for (let i = 0; i < 200 && !captured.out.join("\n").includes("listening on"); i++) yield* realSleep
        yield* Fiber.interrupt(serving)
        const out = captured.out.join("\n")
        expect(out).toContain("listening on")
        expect(out).toContain(
          "警告 warning: 工作日历即将到期: the holiday schedules end on 2026-12-31 (25 day(s) left)"
        )
      }),
    60_000
  )
})
