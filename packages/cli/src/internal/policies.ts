/**
 * 配置导入 — the policies behind `import --list categories|routing|time-limits`
 * (loaded only when one of them runs): a street office's own 案件分类 category
 * catalogue (`CategoryLedger`), 派遣规则 routing table (`RoutingLedger`) and
 * 处置时限 time-limit policy (`TimeLimitLedger`), read from a CSV or XLSX
 * ledger within the import limits, checked whole through the core and stored
 * through `PolicyRepository` (`SqlPolicyRepository`) in one transaction: the
 * file replaces the stored document, or nothing is written.
 *
 * Counts compare the file with the stored document: a row whose key (a 小类
 * id — a 大类 id for a major class's own row —, a routing rule id, a
 * time-limit pattern) is not stored is `created`, one stored with other
 * fields `updated`, an equal one `unchanged`; stored rows the file leaves out
 * are `removed` (the document is replaced whole). A file equal to the stored
 * document is not written again. The server reads the policies when it
 * starts: a restart applies them.
 */
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as PolicyRepository from "@civicgrid/core/PolicyRepository"
import type * as Routing from "@civicgrid/core/Routing"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as CategoryLedger from "@civicgrid/ledger/CategoryLedger"
import * as Csv from "@civicgrid/ledger/Csv"
import type * as Ledger from "@civicgrid/ledger/Ledger"
import * as RoutingLedger from "@civicgrid/ledger/RoutingLedger"
import * as TimeLimitLedger from "@civicgrid/ledger/TimeLimitLedger"
import * as UnitNames from "@civicgrid/ledger/UnitNames"
import * as Xlsx from "@civicgrid/ledger/Xlsx"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlHierarchyRepository from "@civicgrid/sql/SqlHierarchyRepository"
import * as SqlPolicyRepository from "@civicgrid/sql/SqlPolicyRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { type DatabaseNotReady, type InputFormat, UnsupportedFormat } from "../LedgerFile.js"
import * as Lists from "./lists.js"

/**
 * 配置种类 — what `--list` names: `categories` 案件分类, `routing` 派遣规则,
 * `time-limits` 处置时限 (`PolicyRepository.PolicyKind`).
 */
export type PolicyKind = PolicyRepository.PolicyKind

/** The policy kinds `import --list` takes, in order. */
export const policyKinds: ReadonlyArray<PolicyKind> = PolicyRepository.kinds

/** What `importPolicy` is given: the file, its format and bytes, and the options of `import`. */
export interface Input {
  readonly file: string
  readonly format: InputFormat
  readonly bytes: Uint8Array
  /** 工作表 — XLSX: the sheet by name or 1-based position (default: found by its headers). */
  readonly sheet?: string | number
  /** The database, as the messages name it. */
  readonly database: string
  /** Reports writing progress (one step: the document). */
  readonly progress?: (done: number, total: number) => void
}

/** What an import did: the counts, the rows skipped, and lines to print after the counts. */
export interface Result {
  readonly rows: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  /** Stored rows the file left out (the document is replaced whole). */
  readonly removed: number
  readonly skipped: ReadonlyArray<Ledger.SkippedRow>
  readonly notes: ReadonlyArray<string>
}

/** Why a policy import wrote nothing. */
export type PolicyImportError =
  | UnsupportedFormat
  | Lists.DecodeError
  | DatabaseNotReady
  | Migrations.DatabaseTooNew
  | PolicyRepository.PolicyRefused
  | StorageUnavailable
  | SqlError

/** The stores `importPolicy` uses. */
export type Stores =
  | PolicyRepository.PolicyRepository
  | HierarchyRepository.HierarchyRepository
  | SqlClient.SqlClient

/** The stores of a policy import, on the ambient `SqlClient`. */
export const layerStores: Layer.Layer<
  PolicyRepository.PolicyRepository | HierarchyRepository.HierarchyRepository,
  never,
  SqlClient.SqlClient
> = SqlPolicyRepository.layer.pipe(Layer.provideMerge(SqlHierarchyRepository.layer))

/** The ledger kinds a file may be, to recognise a file of another list. */
const kinds: ReadonlyArray<Ledger.LedgerKind> = [
  CategoryLedger.spec,
  RoutingLedger.spec,
  TimeLimitLedger.spec,
  ...Lists.kinds
]

/** How one policy kind goes between a ledger and the store. */
interface PolicyIo<A> {
  readonly spec: Ledger.LedgerSpec<A>
  readonly keyOf: (row: A) => string
  /** The stored document as ledger rows (none stored: no rows). */
  readonly stored: (
    repository: PolicyRepository.PolicyRepository["Type"]
  ) => Effect.Effect<ReadonlyArray<A>, StorageUnavailable>
  readonly put: (
    repository: PolicyRepository.PolicyRepository["Type"],
    rows: ReadonlyArray<A>
  ) => Effect.Effect<void, PolicyRepository.PolicyRefused | StorageUnavailable>
}

const categories: PolicyIo<CategoryLedger.CategoryRow> = {
  spec: CategoryLedger.spec,
  keyOf: (row) => row.id ?? row.majorId,
  stored: (repository) =>
    Effect.map(repository.catalogue, (c) =>
      Option.match(c, { onNone: () => [], onSome: (catalogue) => CategoryLedger.rowsOf(catalogue) })
    ),
  put: (repository, rows) => Effect.asVoid(repository.putCatalogue(CategoryLedger.categoriesOf(rows)))
}

const routing: PolicyIo<Routing.RoutingRule> = {
  spec: RoutingLedger.spec,
  keyOf: (rule) => rule.id,
  stored: (repository) =>
    Effect.map(
      repository.routing,
      Option.getOrElse(() => [])
    ),
  put: (repository, rules) => Effect.asVoid(repository.putRouting(rules))
}

const timeLimits: PolicyIo<TimeLimit.Rule> = {
  spec: TimeLimitLedger.spec,
  keyOf: (rule) => JSON.stringify([rule.categoryId ?? null, rule.urgency ?? null, rule.step ?? null]),
  stored: (repository) =>
    Effect.map(repository.timeLimits, Option.match({ onNone: () => [], onSome: (policy) => policy.rules })),
  put: (repository, rules) => Effect.asVoid(repository.putTimeLimits(rules))
}

const withKind = <R>(kind: PolicyKind, f: <A>(io: PolicyIo<A>) => R): R => {
  switch (kind) {
    case "categories":
      return f(categories)
    case "routing":
      return f(routing)
    case "time-limits":
      return f(timeLimits)
  }
}

/**
 * The units of the stored hierarchy as ledgers name them (ids, names, paths), or none.
 */
const units: Effect.Effect<
  Ledger.UnitResolver | undefined,
  StorageUnavailable,
  HierarchyRepository.HierarchyRepository
> = Effect.flatMap(HierarchyRepository.HierarchyRepository, (repository) =>
  repository.load.pipe(
    Effect.map((h): Ledger.UnitResolver | undefined => UnitNames.resolver(h)),
    Effect.catchTag("HierarchyNotFound", () => Effect.succeed(undefined))
  )
)

/**
 * 导入配置 — reads a policy ledger (CSV or XLSX; a GeoJSON file is refused),
 * checks the whole file through the core and replaces the stored document in
 * one transaction (see the module notes for the counts). The database must
 * be migrated to the latest version; a hierarchy is needed only by a routing
 * rule that names a unit (its unit column reads ids, names or paths).
 *
 * Wiring, as `import` runs an importer:
 *
 * ```ts
 * const Policies = yield* Effect.promise(() => import("../internal/policies.js"))
 * const result = yield* Policies.importPolicy(kind, { file, format, bytes, sheet, database: input.name, progress })
 *   .pipe(Effect.provide(Policies.layerStores), Effect.provide(DatabaseOption.layer(input.database)))
 * ```
 */
export const importPolicy = (
  kind: PolicyKind,
  input: Input
): Effect.Effect<Result, PolicyImportError, Stores> =>
  Effect.gen(function* () {
    if (input.format === "geojson") {
      return yield* new UnsupportedFormat({ file: input.file, extension: ".geojson" })
    }
    const format = input.format
    yield* Lists.ready(input.database, { hierarchy: false })
    const resolver = yield* units
    const options: Ledger.Options = {
      file: input.file,
      kinds,
      ...(resolver === undefined ? {} : { units: resolver }),
      ...(input.sheet === undefined ? {} : { sheet: input.sheet })
    }
    return yield* withKind(kind, (io) =>
      Effect.gen(function* () {
        const report =
          format === "csv"
            ? yield* Csv.readReport(io.spec, input.bytes, options)
            : yield* Xlsx.readReport(io.spec, input.bytes, options)
        const rows = report.rows
        const repository = yield* PolicyRepository.PolicyRepository
        const sql = yield* SqlClient.SqlClient
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            const before = yield* io.stored(repository)
            const stored = new Map(before.map((row) => [io.keyOf(row), row]))
            const inFile = new Set(rows.map(io.keyOf))
            let created = 0
            let updated = 0
            for (const row of rows) {
              const old = stored.get(io.keyOf(row))
              if (old === undefined) created++
              else if (!Lists.sameRow(io.spec, old, row)) updated++
            }
            const removed = before.filter((row) => !inFile.has(io.keyOf(row))).length
            const unchanged = rows.length - created - updated
            const same =
              created === 0 &&
              updated === 0 &&
              removed === 0 &&
              before.length === rows.length &&
              before.length > 0
            input.progress?.(0, 1)
            if (!same) yield* io.put(repository, rows)
            input.progress?.(1, 1)
            const result: Result = {
              rows: rows.length,
              created,
              updated,
              unchanged,
              removed,
              skipped: report.skipped,
              notes: same
                ? [
                    `${PolicyRepository.kindNames[kind]}未变 the stored ${kind} policy equals the file; nothing written`
                  ]
                : [
                    `${PolicyRepository.kindNames[kind]}已保存 stored; the server applies it when it (re)starts`
                  ]
            }
            return result
          })
        )
      })
    )
  })
