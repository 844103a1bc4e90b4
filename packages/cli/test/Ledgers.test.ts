/**
 * `civicgrid export` and `civicgrid import`: a ledger exported from one
 * database imports into another and exports again byte for byte (CSV) or
 * item for item (XLSX) — the demo lists `seed` stores and generated ones full
 * of awkward texts; a bad cell is reported with its row, column, header,
 * field and rule and nothing is written; a write the store refuses leaves
 * nothing either, even past the first batch; unknown extensions are refused;
 * an existing file is kept unless --force.
 */
import { existsSync } from "node:fs"
import { lstat, readFile, symlink, writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as Csv from "@civicgrid/ledger/Csv"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as ProblemLedger from "@civicgrid/ledger/ProblemLedger"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { chunkSize } from "../src/commands/Import.js"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Lists from "../src/internal/lists.js"
import * as LedgerFile from "../src/LedgerFile.js"
import * as Databases from "./support/Databases.js"
import * as Generated from "./support/Lists.js"
import * as TestConsole from "./support/TestConsole.js"

const seedArgs = ["--streets", "1", "--communities-per-street", "2", "--cases", "0"]

/** Runs the CLI and fails the test (with its stderr) unless it succeeded. */
const ok = (args: ReadonlyArray<string>) =>
  Effect.tap(TestConsole.runCli(args), (run) =>
    Effect.sync(() => expect(Exit.isSuccess(run.exit), `civicgrid ${args.join(" ")}\n${run.err}`).toBe(true))
  )

/** A fresh database of the dialect, seeded with the small district. */
const seeded = (dialect: Databases.Dialect) =>
  Effect.gen(function* () {
    const url = yield* dialect.fresh
    yield* ok(["seed", ...seedArgs, "--database", url])
    return url
  })

/** Runs an effect on the stores of a database. */
const onStore = <A, E>(
  url: string,
  effect: Effect.Effect<A, E, ListRepository | HierarchyRepository.HierarchyRepository>
) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* effect.pipe(
      Effect.provide(Lists.layerStores),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

const unitsOf = (url: string) =>
  onStore(
    url,
    Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) =>
      Effect.map(r.load, (h) => Hierarchy.units(h).map((u) => u.id))
    )
  )

const storedProblems = (url: string) =>
  onStore(
    url,
    Effect.flatMap(ListRepository, (r) => r.problems())
  )

/** The ids of a list's items in a database (in id order). */
const storedIds = (url: string, list: LedgerFile.List) => {
  const ids = (items: ReadonlyArray<{ readonly id: string }>): ReadonlyArray<string> => items.map((i) => i.id)
  return onStore(
    url,
    Effect.flatMap(ListRepository, (r) =>
      list === "problems"
        ? Effect.map(r.problems(), ids)
        : list === "resources"
          ? Effect.map(r.resources(), ids)
          : Effect.map(r.tasks(), ids)
    )
  )
}

/** The header export writes for problems: the spec's, with the units' names beside 所属单元. */
const exportedHeader = Ledger.headers(ProblemLedger.spec)
  .flatMap((h) => (h === "所属单元" ? [h, "所属单元名称"] : [h]))
  .join(",")

/** Seeds a database and stores generated lists in it. */
const withLists = (dialect: Databases.Dialect, seed: number) =>
  Effect.gen(function* () {
    const url = yield* seeded(dialect)
    const sizes = { problems: 30, resources: 12, tasks: 20 } as const
    const lists = Generated.generate(yield* unitsOf(url), sizes, seed)
    expect(lists.problems.length + lists.resources.length + lists.tasks.length).toBe(62)
    yield* onStore(
      url,
      Effect.flatMap(ListRepository, (r) =>
        Effect.all([r.putProblems(lists.problems), r.putResources(lists.resources), r.putTasks(lists.tasks)])
      )
    )
    return { url, lists }
  })

for (const dialect of Databases.dialects) {
  describe(`civicgrid export → import → export (${dialect.name})`, () => {
    it.scoped(
      "a CSV ledger of each list imports into a fresh database and exports again byte for byte",
      () =>
        Effect.gen(function* () {
          const dir = yield* Databases.tempDir
          const { url: a, lists } = yield* withLists(dialect, 7)
          const b = yield* seeded(dialect)
          // problems and resources before the tasks that refer to them
          for (const list of LedgerFile.lists) {
            const first = join(dir, `a-${list}.csv`)
            const again = join(dir, `b-${list}.csv`)
            // both databases hold the same seeded demo lists: those items are unchanged, the generated ones new
            const demo = (yield* storedIds(b, list)).length
            expect(demo, list).toBeGreaterThan(0)
            yield* ok(["export", first, "--list", list, "--database", a])
            const imported = yield* ok(["import", first, "--list", list, "--database", b])
            expect(imported.out).toContain(`imported ${lists[list].length + demo} `)
            expect(imported.out).toContain(`${lists[list].length} new, 0 updated, ${demo} unchanged`)
            yield* ok(["export", again, "--list", list, "--database", b])
            const [x, y] = yield* Effect.promise(() => Promise.all([readFile(first), readFile(again)]))
            expect(y.equals(x), list).toBe(true)
          }
          // importing the same ledger again changes nothing, and says so
          const stored = (yield* storedIds(b, "problems")).length
          const repeat = yield* ok([
            "import",
            join(dir, "a-problems.csv"),
            "--list",
            "problems",
            "--database",
            b
          ])
          expect(repeat.out).toContain(`0 new, 0 updated, ${stored} unchanged`)
        }),
      60_000
    )

    it.scoped(
      "a write the store refuses past the first batch leaves nothing written (one transaction)",
      () =>
        Effect.gen(function* () {
          const dir = yield* Databases.tempDir
          const url = yield* seeded(dialect)
          const before = yield* storedProblems(url)
          const [unit = ""] = yield* unitsOf(url)
          const last = chunkSize + 19
          const problems = Array.from({ length: last + 1 }, (_, i) =>
            ProblemList.make({
              id: `p-${String(i).padStart(4, "0")}`,
              // only the last problem, in the second batch, names a unit the hierarchy does not have
              unitId: i === last ? "no-such-unit" : unit,
              categoryId: ProblemList.defaultCategories[0]?.id ?? "",
              source: { _tag: "HouseholdVisit" },
              description: `问题 ${i}`,
              reportedAt: DateTime.unsafeMake(Date.UTC(2025, 0, 1))
            })
          )
          const file = join(dir, "problems.csv")
          const csv = Either.getOrThrow(Csv.write(ProblemLedger.spec, problems))
          yield* Effect.promise(() => writeFile(file, csv))
          const run = yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url])
          expect(TestConsole.failureOf(run.exit)).toBeInstanceOf(ProblemList.ProblemListInvalid)
          expect(run.err).toContain(`unknown unit "no-such-unit"`)
          expect(run.err).toContain("nothing was imported")
          expect(yield* storedProblems(url)).toEqual(before)
        }),
      60_000
    )
  })
}

describe("civicgrid import: a ledger with bad cells", () => {
  it.scoped(
    "is rejected whole: every bad cell with row, column, header, field and rule; nothing is written",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const url = yield* seeded(Databases.sqlite)
        const before = yield* storedProblems(url)
        const lists = Generated.generate(yield* unitsOf(url), { problems: 6, resources: 0, tasks: 0 }, 11)
        const table = Either.getOrThrow(Ledger.toTable(ProblemLedger.spec, lists.problems))
        const demand = table.columns.findIndex((c) => c.field === "demand")
        const reported = table.columns.findIndex((c) => c.field === "reportedAt")
        // data rows start at spreadsheet row 2: break row 3's 需求量 and row 5's 上报时间
        const rows = table.rows.map((row, i) =>
          row.map((cell, c) => (i === 1 && c === demand ? "许多" : i === 3 && c === reported ? "昨天" : cell))
        )
        const file = join(dir, "problems.csv")
        yield* Effect.promise(() => writeFile(file, Csv.stringifyTable({ ...table, rows })))

        const run = yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url])
        expect(TestConsole.failureOf(run.exit)).toBeInstanceOf(Ledger.LedgerImportError)
        expect(run.err).toContain("nothing was imported")
        for (const [row, index, field] of [
          [3, demand, "demand"],
          [5, reported, "reportedAt"]
        ] as const) {
          const column = table.columns[index]
          const letter = Ledger.columnLetter(index)
          // Chinese first: the Excel row, the column letter and the header; then the English with the rule
          expect(run.err).toContain(`  第 ${row} 行 ${letter} 列「${column?.header}」: `)
          expect(run.err).toContain(`[row ${row}, column ${letter}, field ${field}, rule type]`)
        }
        expect(run.err).not.toMatch(/\n\s+at /)
        expect(yield* storedProblems(url)).toEqual(before)
      })
  )
})

describe("civicgrid export / import: files", () => {
  it.scoped("an XLSX ledger imports back to the same items", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const { url: a } = yield* withLists(Databases.sqlite, 23)
      const b = yield* seeded(Databases.sqlite)
      for (const list of LedgerFile.lists) {
        yield* ok(["export", join(dir, `${list}.xlsx`), "--list", list, "--database", a])
        yield* ok(["import", join(dir, `${list}.xlsx`), "--list", list, "--database", b])
        yield* ok(["export", join(dir, `a-${list}.csv`), "--list", list, "--database", a])
        yield* ok(["export", join(dir, `b-${list}.csv`), "--list", list, "--database", b])
        const [x, y] = yield* Effect.promise(() =>
          Promise.all([readFile(join(dir, `a-${list}.csv`)), readFile(join(dir, `b-${list}.csv`))])
        )
        expect(y.equals(x), list).toBe(true)
      }
    })
  )

  it.scoped("--within exports exactly the items of that unit's jurisdiction", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const { url } = yield* withLists(Databases.sqlite, 31)
      const hierarchy = yield* onStore(
        url,
        Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
      )
      const community = Hierarchy.units(hierarchy).find((u) => u.level === "community")
      expect(community).toBeDefined()
      const within = community?.id ?? ""
      const inside = (unitId: string): boolean =>
        unitId === within ||
        Option.exists(Hierarchy.ancestors(hierarchy, unitId), (chain) => chain.some((u) => u.id === within))
      const file = join(dir, "within.csv")
      yield* ok(["export", file, "--list", "problems", "--within", within, "--database", url])
      const exported = Either.getOrThrow(
        Csv.read(ProblemLedger.spec, yield* Effect.promise(() => readFile(file)))
      )
      // the seeded demo problems and the generated ones of that community
      const stored = yield* storedProblems(url)
      expect(stored.some((p) => p.id.startsWith(`P-${within}-`))).toBe(true)
      expect(exported.map((p) => p.id)).toEqual(stored.filter((p) => inside(p.unitId)).map((p) => p.id))
    })
  )

  it.scoped("a file that is neither .csv nor .xlsx is refused by import and export, touching nothing", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const url = yield* seeded(Databases.sqlite)
      const text = join(dir, "problems.txt")
      yield* Effect.promise(() => writeFile(text, "问题编号\n"))
      const imported = yield* TestConsole.runCli(["import", text, "--list", "problems", "--database", url])
      expect(TestConsole.failureOf(imported.exit)).toBeInstanceOf(LedgerFile.UnsupportedFormat)
      expect(imported.err).toContain('extension ".txt"; use .csv or .xlsx')
      const json = join(dir, "problems.json")
      const exported = yield* TestConsole.runCli(["export", json, "--list", "problems", "--database", url])
      expect(TestConsole.failureOf(exported.exit)).toBeInstanceOf(LedgerFile.UnsupportedFormat)
      expect(existsSync(json)).toBe(false)
    })
  )

  it.scoped("export keeps an existing file unless --force", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const url = yield* seeded(Databases.sqlite)
      const file = join(dir, "problems.csv")
      yield* Effect.promise(() => writeFile(file, "mine\n"))
      const refused = yield* TestConsole.runCli(["export", file, "--list", "problems", "--database", url])
      expect(TestConsole.failureOf(refused.exit)).toBeInstanceOf(LedgerFile.FileExists)
      expect(refused.err).toContain("--force")
      expect(yield* Effect.promise(() => readFile(file, "utf8"))).toBe("mine\n")
      yield* ok(["export", file, "--list", "problems", "--force", "--database", url])
      const written = yield* Effect.promise(() => readFile(file, "utf8"))
      expect(written.startsWith(`${Csv.bom}${exportedHeader}\r\n`)).toBe(true)
    })
  )

  it.scoped("export over a dangling symbolic link needs --force, and then replaces the link", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const url = yield* seeded(Databases.sqlite)
      const target = join(dir, "elsewhere", "target.csv")
      const file = join(dir, "problems.csv")
      yield* Effect.promise(() => symlink(target, file))
      const refused = yield* TestConsole.runCli(["export", file, "--list", "problems", "--database", url])
      const error = TestConsole.failureOf(refused.exit)
      expect(error).toBeInstanceOf(LedgerFile.FileExists)
      expect(error).toMatchObject({ file, danglingLinkTo: target })
      expect(refused.err).toContain("--force")
      expect(refused.err.split("\n")).toHaveLength(1)
      expect((yield* Effect.promise(() => lstat(file))).isSymbolicLink()).toBe(true)
      expect(existsSync(target)).toBe(false)
      yield* ok(["export", file, "--list", "problems", "--force", "--database", url])
      expect((yield* Effect.promise(() => lstat(file))).isSymbolicLink()).toBe(false)
      expect(existsSync(target)).toBe(false)
      const written = yield* Effect.promise(() => readFile(file, "utf8"))
      expect(written.startsWith(`${Csv.bom}${exportedHeader}\r\n`)).toBe(true)
    })
  )

  it.scoped("import and export refuse a SQLite file that does not exist, and create none", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const missing = join(dir, "missing.sqlite")
      const run = yield* TestConsole.runCli([
        "export",
        join(dir, "p.csv"),
        "--list",
        "problems",
        "--database",
        `sqlite:${missing}`
      ])
      expect(TestConsole.failureOf(run.exit)).toBeInstanceOf(DatabaseOption.DatabaseFileMissing)
      expect(existsSync(missing)).toBe(false)
      expect(existsSync(join(dir, "p.csv"))).toBe(false)
    })
  )

  it.scoped("import into a database without a hierarchy is refused: seed it first", () =>
    Effect.gen(function* () {
      const dir = yield* Databases.tempDir
      const url = yield* Databases.sqlite.fresh
      yield* ok(["migrate", "--database", url])
      const file = join(dir, "problems.csv")
      yield* Effect.promise(() => writeFile(file, Either.getOrThrow(Csv.write(ProblemLedger.spec, []))))
      const run = yield* TestConsole.runCli(["import", file, "--list", "problems", "--database", url])
      const error = TestConsole.failureOf(run.exit)
      expect(error).toBeInstanceOf(LedgerFile.DatabaseNotReady)
      expect(run.err).toContain("civicgrid seed")
    })
  )
})
