/**
 * What a hostile test of the CLI found (issue 12) and how it answers now —
 * always one line on stderr, no stack trace, exit status 1, nothing written:
 *
 * - finding 11: import limits — a file over the size limit (refused before it
 *   is read), a ZIP bomb (refused while inflating), too many rows; a problem
 *   whose grid belongs to another community;
 * - finding 7: a control character (NUL) in a cell, on SQLite and PostgreSQL,
 *   is a bad cell named by row, column, header, field and rule;
 * - finding 6: a SQLite file another connection holds (`BEGIN IMMEDIATE`) —
 *   the write waits for the busy timeout, then one line with a hint to retry;
 *   `StorageUnavailable` and SQL errors that end a command as defects are one
 *   line too.
 */
import { open, writeFile } from "node:fs/promises"
import { join } from "node:path"
import type * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import type * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as Storage from "@civicgrid/core/Storage"
import * as Csv from "@civicgrid/ledger/Csv"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as ProblemLedger from "@civicgrid/ledger/ProblemLedger"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Cli from "../src/Cli.js"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Failure from "../src/Failure.js"
import * as Lists from "../src/internal/lists.js"
import * as Bomb from "./support/Bomb.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const seedArgs = ["--streets", "1", "--communities-per-street", "2", "--cases", "0"]

const ok = (args: ReadonlyArray<string>) =>
  Effect.tap(TestConsole.runCli(args), (run) =>
    Effect.sync(() => expect(Exit.isSuccess(run.exit), `civicgrid ${args.join(" ")}\n${run.err}`).toBe(true))
  )

const seeded = (dialect: Databases.Dialect) =>
  Effect.gen(function* () {
    const url = yield* dialect.fresh
    yield* ok(["seed", ...seedArgs, "--database", url])
    return url
  })

/** Runs an effect on the stores of a database. */
const onStore = <A, E>(
  url: string,
  effect: Effect.Effect<
    A,
    E,
    ListRepository | HierarchyRepository.HierarchyRepository | GridRepository.GridRepository
  >
) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* effect.pipe(
      Effect.provide(Lists.layerStores),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

const storedProblems = (url: string) =>
  onStore(
    url,
    Effect.flatMap(ListRepository, (r) => r.problems())
  )

/** A failed run: one line on stderr, no stack trace; the typed error it failed with. */
const refusedInOneLine = (run: { readonly exit: Exit.Exit<unknown, unknown>; readonly err: string }) => {
  expect(Exit.isFailure(run.exit)).toBe(true)
  expect(run.err.split("\n"), run.err).toHaveLength(1)
  expect(run.err.startsWith("civicgrid: ")).toBe(true)
  expect(run.err).not.toMatch(/\bat .*:\d+:\d+/)
  return TestConsole.failureOf(run.exit)
}

const problemsCsv = (
  problems: ReadonlyArray<ProblemList.Problem>,
  edit?: (table: Ledger.Table) => Ledger.Table
) => {
  const table = Either.getOrThrow(Ledger.toTable(ProblemLedger.spec, problems))
  return Csv.stringifyTable(edit === undefined ? table : edit(table))
}

const columnOf = (field: string): number => ProblemLedger.spec.columns.findIndex((c) => c.field === field)

describe("civicgrid import — limits (finding 11)", () => {
  it.scoped(
    "a file larger than 20 MiB is refused in one line before it is read",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* seeded(Databases.sqlite)
        const file = join(dir, "big.csv")
        // a sparse file: 21 MiB on paper, nothing on disk
        yield* Effect.promise(async () => {
          const handle = await open(file, "w")
          await handle.truncate(21 * 1024 * 1024)
          await handle.close()
        })
        const run = yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url])
        const error = refusedInOneLine(run)
        expect(error).toBeInstanceOf(Ledger.LedgerLimitExceeded)
        expect(error).toMatchObject({ file, rule: "file-size", limit: 20 * 1024 * 1024 })
        expect(run.err).toContain("20 MiB")
        expect(run.err).toContain("[rule file-size]")
      }),
    60_000
  )

  it.scoped(
    "a ZIP bomb (under 1 MB inflating to 300 MiB) is refused in one line while it is inflated",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* seeded(Databases.sqlite)
        const file = join(dir, "bomb.xlsx")
        const bytes = yield* Effect.promise(() => Bomb.bomb(300))
        expect(bytes.length).toBeLessThan(1024 * 1024)
        yield* Effect.promise(() => writeFile(file, bytes))
        const before = yield* storedProblems(url)
        const run = yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url])
        const error = refusedInOneLine(run)
        expect(error).toBeInstanceOf(Ledger.LedgerLimitExceeded)
        expect(error).toMatchObject({ file, rule: "compression-ratio", limit: 100 })
        expect(run.err).toContain(file)
        expect(yield* storedProblems(url)).toEqual(before)
      }),
    60_000
  )

  it.scoped(
    "a CSV of more than 50,000 rows is refused in one line",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* seeded(Databases.sqlite)
        const file = join(dir, "rows.csv")
        const header = Ledger.headers(ProblemLedger.spec).join(",")
        yield* Effect.promise(() => writeFile(file, `${header}\n${"x\n".repeat(50_000)}`))
        const run = yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url])
        expect(refusedInOneLine(run)).toMatchObject({
          _tag: "LedgerLimitExceeded",
          rule: "rows",
          limit: 50_000
        })
        expect(run.err).toContain("[rule rows]")
      }),
    60_000
  )
})

describe("civicgrid import — a problem's grid belongs to its community (finding 11)", () => {
  it.scoped(
    "a problem placed in another community's grid is refused with rule grid-community; nothing is written",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* seeded(Databases.sqlite)
        const { hierarchy, grids } = yield* onStore(url, Lists.known(url))
        const problems = yield* storedProblems(url)
        // a problem in a unit under one community, and a grid of another
        const [problem, grid] = problems.flatMap((p) => {
          const other = grids.find((g) => !Hierarchy.isWithin(hierarchy, p.unitId, g.communityId))
          return other === undefined ? [] : [[p, other] as const]
        })[0] ?? [undefined, undefined]
        expect(problem).toBeDefined()
        if (problem === undefined || grid === undefined) return
        const moved: ProblemList.Problem = { ...problem, gridId: grid.id }
        const file = join(dir, "problems.csv")
        yield* Effect.promise(() => writeFile(file, problemsCsv([moved])))
        const run = yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url])
        expect(Exit.isFailure(run.exit)).toBe(true)
        const error = TestConsole.failureOf(run.exit)
        expect(error).toBeInstanceOf(ProblemList.ProblemListInvalid)
        expect(run.err).toContain("rule grid-community")
        expect(run.err).toContain(`"${grid.id}"`)
        expect(run.err).not.toMatch(/\bat .*:\d+:\d+/)
        expect(yield* storedProblems(url)).toEqual(problems)
        // the same problem in a grid of its own community imports
        const own = grids.find((g) => Hierarchy.isWithin(hierarchy, problem.unitId, g.communityId))
        if (own !== undefined) {
          yield* Effect.promise(() => writeFile(file, problemsCsv([{ ...problem, gridId: own.id }])))
          yield* ok(["import", file, "--list", "problems", "--database", url])
        }
      }),
    60_000
  )
})

for (const dialect of Databases.dialects) {
  describe(`civicgrid import — control characters (finding 7, ${dialect.name})`, () => {
    it.scoped(
      "a NUL in a cell is a bad cell named by row, column, header, field and rule; nothing is written",
      () =>
        Effect.gen(function* () {
          const dir = yield* Databases.tempDir
          const url = yield* seeded(dialect)
          const before = yield* storedProblems(url)
          expect(before.length).toBeGreaterThan(1)
          const description = columnOf("description")
          const file = join(dir, "problems.csv")
          const csv = problemsCsv(before, (table) => ({
            ...table,
            rows: table.rows.map((row, i) =>
              i === 1 ? row.map((cell, c) => (c === description ? `小区\u0000电瓶车乱停` : cell)) : row
            )
          }))
          yield* Effect.promise(() => writeFile(file, csv))
          const run = yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url])
          expect(TestConsole.failureOf(run.exit)).toBeInstanceOf(Ledger.LedgerImportError)
          const lines = run.err.split("\n")
          expect(lines).toHaveLength(2)
          expect(lines[1]).toContain(`第 3 行 ${Ledger.columnLetter(description)} 列「问题描述」: `)
          expect(lines[1]).toContain(
            `[row 3, column ${Ledger.columnLetter(description)}, field description, rule invalid]`
          )
          expect(lines[1]).toContain("rule no-control-characters")
          expect(run.err).not.toMatch(/\bat .*:\d+:\d+/)
          expect(yield* storedProblems(url)).toEqual(before)
        }),
      60_000
    )
  })
}

describe("civicgrid — a busy or unreachable database (finding 6)", () => {
  it.scoped(
    "a write while another connection holds the SQLite file (BEGIN IMMEDIATE) waits the busy timeout, then one line, exit 1",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* seeded(Databases.sqlite)
        const file = join(dir, "problems.csv")
        yield* ok(["export", file, "--list", "problems", "--database", url])
        const before = yield* storedProblems(url)
        const filename = url.replace(/^sqlite:/, "")
        const run = yield* Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql.unsafe("BEGIN IMMEDIATE")
          return yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url], {
            env: { [DatabaseOption.busyTimeoutVariable]: "200 millis" }
          }).pipe(Effect.ensuring(Effect.ignore(sql.unsafe("ROLLBACK"))))
        }).pipe(Effect.provide(SqliteClient.layer({ filename })))
        refusedInOneLine(run)
        expect(run.err).toContain("数据库忙")
        expect(run.err).toContain(Failure.retryHint)
        expect(yield* storedProblems(url)).toEqual(before)
        // the lock released, the same import goes through
        yield* ok(["import", file, "--list", "problems", "--database", url])
      }),
    60_000
  )

  it.scoped(
    "a PostgreSQL server that cannot be reached is one line with a hint to retry, exit 1",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const file = join(dir, "problems.csv")
        yield* Effect.promise(() => writeFile(file, problemsCsv([])))
        // port 1: nothing listens there
        const run = yield* TestConsole.runCli([
          "import",
          file,
          "--list",
          "problems",
          "--database",
          "postgres://postgres@127.0.0.1:1/civicgrid"
        ])
        refusedInOneLine(run)
        expect(run.err).toContain("数据库不可达 the database cannot be reached")
        expect(run.err).toContain("ECONNREFUSED")
        expect(run.err).toContain(Failure.retryHint)
      }),
    60_000
  )

  it("StorageUnavailable is one line with the retry hint", () => {
    const text = Failure.message(Storage.unavailable("unreachable", 5))
    expect(text.split("\n")).toHaveLength(1)
    expect(text).toContain("数据库不可达")
    expect(text).toContain(Failure.retryHint)
  })

  it("an SQL error that ends a command as a defect (database is locked) is one line, not a stack trace", () => {
    const locked = new SqlError({
      cause: Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }),
      message: "Failed to execute statement"
    })
    const text = Option.getOrThrow(Cli.describeFailure(Cause.die(locked)))
    expect(text.split("\n")).toHaveLength(1)
    expect(text).toBe(
      `civicgrid: 数据库忙 the database is busy (another writer holds it): Failed to execute statement: database is locked — ${Failure.retryHint}`
    )
    const other = Option.getOrThrow(
      Cli.describeFailure(Cause.die(new SqlError({ cause: new Error("syntax error\nnear x") })))
    )
    expect(other.split("\n")).toHaveLength(1)
    expect(other).toContain("数据库错误 database error")
    // a bug is still shown with its stack
    expect(
      Option.getOrThrow(Cli.describeFailure(Cause.die(new Error("bug")))).split("\n").length
    ).toBeGreaterThan(1)
  })
})
