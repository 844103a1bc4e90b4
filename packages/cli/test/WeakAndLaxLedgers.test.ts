/**
 * `civicgrid import|export|template --list weak-and-lax` on SQLite (and
 * PostgreSQL when configured): 软弱涣散台账 loads whether each party
 * organisation is flagged weak and lax 软弱涣散 in a period, bodies by id or
 * name, periods ISO-style or in Chinese. A body the store does not hold and
 * an ambiguous body name are refused at their rows and store nothing; a row
 * of a stored body and period replaces it (清零: flagged, then cleared); the
 * core's count against the zero target reads what was imported; export →
 * import is unchanged; `--within` exports one community's flags only.
 */
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as Period from "@civicgrid/core/Period"
import * as Unit from "@civicgrid/core/Unit"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import ExcelJS from "exceljs"
import * as DatabaseOption from "../src/DatabaseOption.js"
import * as Organization from "../src/internal/organization.js"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const run = (args: ReadonlyArray<string>) => TestConsole.runCli(args)

const ok = (args: ReadonlyArray<string>) =>
  Effect.tap(run(args), (r) =>
    Effect.sync(() => expect(Exit.isSuccess(r.exit), `civicgrid ${args.join(" ")}\n${r.err}`).toBe(true))
  )

/** A refused import: the cells it names as `row:column`, and what it printed. */
const refused = (args: ReadonlyArray<string>) =>
  Effect.map(run(args), (r) => {
    expect(Exit.isFailure(r.exit), `civicgrid ${args.join(" ")} should fail\n${r.out}`).toBe(true)
    const error = TestConsole.failureOf(r.exit)
    expect(error).toMatchObject({ _tag: "LedgerImportError" })
    return {
      cells: error?._tag === "LedgerImportError" ? error.rowProblems.map((p) => `${p.row}:${p.column}`) : [],
      err: r.err
    }
  })

/** Runs an effect on the organisation store of a database. */
const onStore = <A, E>(
  url: string,
  effect: Effect.Effect<A, E, Org.OrganizationRepository | HierarchyRepository.HierarchyRepository>
) =>
  Effect.gen(function* () {
    const database = yield* DatabaseOption.resolve(Option.some(url))
    return yield* effect.pipe(
      Effect.provide(Organization.layerStores),
      Effect.provide(DatabaseOption.layer(database))
    )
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

const unit = (id: string, parentId: string | undefined, level: string, name: string) =>
  Unit.make({ id, parentId: parentId ?? null, level, name })

/** An XLSX workbook of one sheet, as staff fill it in. */
const xlsx = (file: string, sheet: string, rows: ReadonlyArray<ReadonlyArray<string | number>>) =>
  Effect.promise(async () => {
    const book = new ExcelJS.Workbook()
    const ws = book.addWorksheet(sheet)
    for (const row of rows) ws.addRow([...row])
    await book.xlsx.writeFile(file)
    return file
  })

const text = (file: string) => Effect.promise(() => readFile(file, "utf8"))

const header = ["党组织", "周期", "是否软弱涣散", "原因"]

const stored = (url: string) =>
  Effect.map(
    onStore(
      url,
      Effect.flatMap(Org.OrganizationRepository, (r) => r.weakAndLaxFlags())
    ),
    (flags) => flags.map((f) => `${f.bodyId}:${Period.label(f.period)}:${f.flagged ? "是" : "否"}`)
  )

describe.each(Databases.dialects)("软弱涣散台账 on $name", (dialect) => {
  it.scopedLive(
    "flags load from XLSX by body name, refusals store nothing, a cleared flag replaces the stored one, export → import is unchanged",
    () =>
      Effect.gen(function* () {
        const dir = yield* Databases.tempDir
        const at = (name: string) => join(dir, name)
        const url = yield* dialect.fresh
        yield* ok(["migrate", "--database", url])
        yield* onStore(
          url,
          Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) =>
            h.save(LevelScheme.FiveLevel, [
              unit("d", undefined, "district", "朝阳区"),
              unit("s", "d", "street", "金星街道"),
              unit("c1", "s", "community", "金星社区"),
              unit("c2", "s", "community", "银河社区"),
              unit("v1", "s", "community", "石门社区")
            ])
          )
        )
        yield* ok([
          "import",
          yield* xlsx(at("bodies.xlsx"), "组织台账", [
            ["机构编号", "机构类别", "机构名称", "所属单元"],
            ["c1-party", "社区党委", "金星社区党委", "金星社区"],
            ["c2-party", "社区党委", "银河社区党委", "银河社区"],
            ["v1-party", "社区党委", "党支部", "石门社区"],
            ["c2-branch", "社区党委", "党支部", "银河社区"]
          ]),
          "--list",
          "bodies",
          "--database",
          url
        ])
        yield* ok(["template", "weak-and-lax", "--out", at("template.xlsx"), "--database", url])

        // a body the store does not hold: refused at its cells (every row naming it), nothing stored
        const unknown = yield* refused([
          "import",
          yield* xlsx(at("unknown.xlsx"), "软弱涣散台账", [
            header,
            ["金星社区党委", "2025-Q1", "是", ""],
            ["火星社区党委", "2025-Q1", "是", ""],
            ["火星社区党委", "2025-Q2", "否", ""]
          ]),
          "--list",
          "weak-and-lax",
          "--database",
          url
        ])
        expect(unknown.cells).toEqual(["3:A", "4:A"])
        expect(unknown.err).toContain("火星社区党委")
        // an ambiguous name (two bodies are named 党支部): refused naming both, nothing stored
        const ambiguous = yield* refused([
          "import",
          yield* xlsx(at("ambiguous.xlsx"), "软弱涣散台账", [
            header,
            ["金星社区党委", "2025-Q1", "是", ""],
            ["党支部", "2025-Q1", "否", ""]
          ]),
          "--list",
          "weak-and-lax",
          "--database",
          url
        ])
        expect(ambiguous.cells).toEqual(["3:A"])
        expect(ambiguous.err).toContain("c2-branch")
        expect(yield* stored(url)).toEqual([])

        const first = yield* ok([
          "import",
          yield* xlsx(at("flags.xlsx"), "软弱涣散台账", [
            header,
            ["金星社区党委", "2025年第1季度", "是", "班子软弱"],
            ["c2-party", "2025-Q1", "否", ""],
            ["v1-party", "2025-Q1", "是", "制度不落实"],
            ["v1-party", "2025-Q2", "否", "已整顿"]
          ]),
          "--list",
          "weak-and-lax",
          "--database",
          url
        ])
        expect(first.out).toContain("4 new, 0 updated, 0 unchanged")
        // cleared in Q2 (清零): a row of a stored body and period replaces it
        const cleared = yield* ok([
          "import",
          yield* xlsx(at("cleared.xlsx"), "软弱涣散台账", [
            header,
            ["c1-party", "2025-Q2", "否", "整顿完成"],
            ["v1-party", "2025年第2季度", "否", "已整顿"]
          ]),
          "--list",
          "weak-and-lax",
          "--database",
          url
        ])
        expect(cleared.out).toContain("1 new, 0 updated, 1 unchanged")
        expect(yield* stored(url)).toEqual([
          "c1-party:2025-Q1:是",
          "c1-party:2025-Q2:否",
          "c2-party:2025-Q1:否",
          "v1-party:2025-Q1:是",
          "v1-party:2025-Q2:否"
        ])
        // the core counts what was imported: two in Q1, none in Q2 — the target met
        const count = (label: string) =>
          onStore(
            url,
            Effect.map(
              Org.metrics("s", {
                day: LocalDate.make("2025-06-01"),
                period: Either.getOrThrow(Period.parse(label))
              }),
              (m) => m.weakAndLax
            )
          )
        expect(yield* count("2025-Q1")).toMatchObject({
          flagged: ["c1-party", "v1-party"],
          count: 2,
          met: false
        })
        expect(yield* count("2025-Q2")).toMatchObject({ flagged: [], count: 0, target: 0, met: true })

        // export → import: every row unchanged
        const file = at("export.xlsx")
        const exported = yield* ok(["export", file, "--list", "weak-and-lax", "--database", url])
        expect(exported.out).toContain("exported 5 ")
        const again = yield* ok(["import", file, "--list", "weak-and-lax", "--database", url])
        expect(again.out).toContain("0 new, 0 updated, 5 unchanged")

        // within 石门社区: its flags only
        yield* ok([
          "export",
          at("v1.csv"),
          "--list",
          "weak-and-lax",
          "--within",
          "金星街道/石门社区",
          "--database",
          url
        ])
        const v1 = yield* text(at("v1.csv"))
        expect(v1).toContain("v1-party")
        expect(v1).toContain("制度不落实")
        expect(v1).not.toContain("c1-party")
      }).pipe(Effect.map(() => undefined)),
    60_000
  )
})
