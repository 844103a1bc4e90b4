/**
 * 配置导入 — `importPolicy` (behind `import --list categories|routing|
 * time-limits`) on a migrated SQLite database: a routing table CSV naming
 * units by name is stored and counted; importing it again is unchanged; a
 * changed file counts created, updated and removed rows; a file with an
 * unknown category writes nothing and names the rule; a time-limit CSV and a
 * category catalogue CSV (written from the built-in catalogue) are stored and
 * read back; a CSV of another policy is refused as the wrong ledger.
 */
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PolicyRepository from "@civicgrid/core/PolicyRepository"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as CategoryLedger from "@civicgrid/ledger/CategoryLedger"
import * as Csv from "@civicgrid/ledger/Csv"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqliteStore from "@civicgrid/sql/SqliteStore"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Policies from "../src/internal/policies.js"

const env = () =>
  Policies.layerStores.pipe(
    Layer.provideMerge(Layer.effectDiscard(Effect.orDie(Migrations.run))),
    Layer.provideMerge(SqliteStore.layer({ filename: ":memory:" })),
    Layer.orDie
  )

const units = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "青山区" }),
  Unit.make({ id: "s-east", parentId: "d", level: "street", name: "东城街道" }),
  Unit.make({ id: "c-1", parentId: "s-east", level: "community", name: "东城社区" })
]

const bytes = (lines: ReadonlyArray<string>): Uint8Array =>
  new TextEncoder().encode(`${lines.join("\r\n")}\r\n`)

const importCsv = (kind: Policies.PolicyKind, file: Uint8Array) =>
  Policies.importPolicy(kind, { file: `${kind}.csv`, format: "csv", bytes: file, database: "test" })

const counts = (r: Policies.Result) => [r.rows, r.created, r.updated, r.unchanged, r.removed]

describe("importPolicy", () => {
  it.effect(
    "派遣规则: a routing CSV (units by name) is stored; again is unchanged; a change is counted",
    () =>
      Effect.gen(function* () {
        yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) =>
          r.save(LevelScheme.FiveLevel, units)
        )
        const first = bytes([
          "规则编号,案件类别,适用辖区,处置部门",
          "r-garbage,SJ-0102,东城街道,环卫所",
          "r-any,,,城管",
          ""
        ])
        const imported = yield* importCsv("routing", first)
        expect(counts(imported)).toEqual([2, 2, 0, 0, 0])
        const repository = yield* PolicyRepository.PolicyRepository
        expect(Option.getOrThrow(yield* repository.routing)).toEqual([
          { id: "r-garbage", categoryId: "SJ-0102", unitId: "s-east", departmentId: "环卫所" },
          { id: "r-any", departmentId: "城管" }
        ])
        expect(counts(yield* importCsv("routing", first))).toEqual([2, 0, 0, 2, 0])
        const second = bytes([
          "规则编号,案件类别,适用辖区,处置部门",
          "r-garbage,SJ-0102,东城社区,环卫所",
          "r-new,BJ-01,,住建"
        ])
        expect(counts(yield* importCsv("routing", second))).toEqual([2, 1, 1, 0, 1])
        expect(Option.getOrThrow(yield* repository.routing).map((r) => r.id)).toEqual(["r-garbage", "r-new"])
      }).pipe(Effect.provide(env()))
  )

  it.effect("拒绝: an unknown category refuses the whole file naming the rule; nothing is written", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        importCsv(
          "routing",
          bytes(["规则编号,案件类别,适用辖区,处置部门", "r-1,SJ-0102,,环卫所", "r-2,NO-SUCH,,城管"])
        )
      )
      expect(error._tag).toBe("PolicyRefused")
      expect(error.message).toContain("unknown-category")
      expect(error.message).toContain("r-2")
      const repository = yield* PolicyRepository.PolicyRepository
      expect(Option.isNone(yield* repository.routing)).toBe(true)
      // a ledger of another kind is refused as such
      const wrong = yield* Effect.flip(
        importCsv("routing", bytes(["案件小类,紧急程度,处置环节,时限,时限单位", ",,立案,2,工作时"]))
      )
      expect(wrong._tag).toBe("LedgerImportError")
    }).pipe(Effect.provide(env()))
  )

  it.effect("处置时限 and 案件分类: a time-limit CSV and a catalogue CSV are stored and read back", () =>
    Effect.gen(function* () {
      const limits = yield* importCsv(
        "time-limits",
        bytes([
          "案件小类,紧急程度,处置环节,时限,时限单位",
          ",,立案,2,工作日",
          "SJ-0102,特急,处置,4,工作时",
          ",,,5,自然日"
        ])
      )
      expect(counts(limits)).toEqual([3, 3, 0, 0, 0])
      const repository = yield* PolicyRepository.PolicyRepository
      expect(Option.getOrThrow(yield* repository.timeLimits).rules).toEqual([
        { step: "filing", limit: WorkDuration.workingDays(2) },
        { categoryId: "SJ-0102", urgency: "critical", step: "handling", limit: WorkDuration.workingHours(4) },
        { limit: { amount: 5, unit: "natural-days" } }
      ])
      const text = Either.getOrThrow(
        Csv.write(CategoryLedger.spec, CategoryLedger.rowsOf(CaseCategory.WithCommunityGovernance))
      )
      const catalogue = yield* importCsv("categories", new TextEncoder().encode(text))
      expect(catalogue.created).toBe(catalogue.rows)
      expect(Option.getOrThrow(yield* repository.catalogue).categories).toEqual(
        CaseCategory.WithCommunityGovernance.categories
      )
      const again = yield* importCsv("categories", new TextEncoder().encode(text))
      expect(again.unchanged).toBe(again.rows)
    }).pipe(Effect.provide(env()))
  )
})
