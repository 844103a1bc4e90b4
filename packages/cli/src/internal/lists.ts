/**
 * The lists behind `import` and `export`, loaded only when one of them runs
 * (the ledger specs pull in exceljs and the core): each list's ledger spec,
 * its whole-file checks, how it is read from and written to the
 * `ListRepository`, reading and writing the ledger bytes by format, and the
 * database readiness check.
 */

import type * as Grid from "@civicgrid/core/Grid"
import * as GridRepository from "@civicgrid/core/GridRepository"
import type { UnitNotFound } from "@civicgrid/core/Hierarchy"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import { ListRepository, TaskListInvalid, type TaskViolation } from "@civicgrid/core/ListRepository"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as ResourceList from "@civicgrid/core/ResourceList"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as TaskList from "@civicgrid/core/TaskList"
import * as Csv from "@civicgrid/ledger/Csv"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as ProblemLedger from "@civicgrid/ledger/ProblemLedger"
import * as ResourceLedger from "@civicgrid/ledger/ResourceLedger"
import * as TaskLedger from "@civicgrid/ledger/TaskLedger"
import * as UnitNames from "@civicgrid/ledger/UnitNames"
import * as Xlsx from "@civicgrid/ledger/Xlsx"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlGridRepository from "@civicgrid/sql/SqlGridRepository"
import * as SqlHierarchyRepository from "@civicgrid/sql/SqlHierarchyRepository"
import * as SqlListRepository from "@civicgrid/sql/SqlListRepository"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Arr from "effect/Array"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { DatabaseNotReady, type Format, type List } from "../LedgerFile.js"

type Store = Context.Tag.Service<ListRepository>

/** What the store holds that the whole-file checks compare a ledger with. */
export interface Known {
  readonly hierarchy: Hierarchy.Hierarchy
  readonly grids: ReadonlyArray<Grid.Grid>
}

/** How one list goes between a ledger and the store. */
export interface ListIo<A, E> {
  readonly spec: Ledger.LedgerSpec<A>
  readonly idOf: (item: A) => string
  /**
   * The checks a write runs that need the whole file at once (duplicate ids; a problem's grid in its
   * community), so chunked writes miss none.
   */
  readonly check: (items: ReadonlyArray<A>, known: Known) => Either.Either<void, E>
  readonly read: (
    store: Store,
    within: string | undefined
  ) => Effect.Effect<ReadonlyArray<A>, UnitNotFound | StorageUnavailable>
  readonly put: (store: Store, items: ReadonlyArray<A>) => Effect.Effect<void, E | StorageUnavailable>
}

/** The error a refused write of any list fails with. */
export type WriteError = ProblemList.ProblemListInvalid | ResourceList.ResourceListInvalid | TaskListInvalid

const problems: ListIo<ProblemList.Problem, ProblemList.ProblemListInvalid> = {
  spec: ProblemLedger.spec,
  idOf: (p) => p.id,
  check: (items, known) =>
    Either.map(
      ProblemList.validate(items, { hierarchy: known.hierarchy, grids: known.grids }),
      () => undefined
    ),
  read: (store, within) => store.problems(within === undefined ? {} : { within }),
  put: (store, items) => store.putProblems(items)
}

const resources: ListIo<ResourceList.Resource, ResourceList.ResourceListInvalid> = {
  spec: ResourceLedger.spec,
  idOf: (r) => r.id,
  check: (items) => Either.map(ResourceList.validate(items), () => undefined),
  read: (store, within) => store.resources(within === undefined ? {} : { within }),
  put: (store, items) => store.putResources(items)
}

const duplicateTasks = (items: ReadonlyArray<TaskList.Task>): Either.Either<void, TaskListInvalid> => {
  const counts = new Map<TaskList.TaskId, number>()
  for (const t of items) counts.set(t.id, (counts.get(t.id) ?? 0) + 1)
  const violations: Array<TaskViolation> = []
  for (const [taskId, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (n > 1) {
      violations.push({
        _tag: "TaskViolation",
        rule: "duplicate-id",
        taskId,
        related: [],
        message: `任务标识重复 task "${taskId}" appears ${n} times`
      })
    }
  }
  return Arr.isNonEmptyArray(violations) ? Either.left(new TaskListInvalid({ violations })) : Either.void
}

const tasks: ListIo<TaskList.Task, TaskListInvalid> = {
  spec: TaskLedger.spec,
  idOf: (t) => t.id,
  check: duplicateTasks,
  read: (store, within) => store.tasks(within === undefined ? {} : { within }),
  put: (store, items) => store.putTasks(items)
}

/** Runs `f` with the list's io (its item and error types stay connected). */
export const withList = <R>(list: List, f: <A, E extends WriteError>(io: ListIo<A, E>) => R): R => {
  switch (list) {
    case "problems":
      return f(problems)
    case "resources":
      return f(resources)
    case "tasks":
      return f(tasks)
  }
}

/** Checks a ledger file's size before it is read (`Ledger.Limits.maxFileBytes`). */
export const checkFileSize = (file: string, size: number): Either.Either<void, Ledger.LedgerLimitExceeded> =>
  Ledger.checkFileSize(size, { file })

/** The errors of reading a ledger file. */
export type DecodeError =
  | Ledger.LedgerImportError
  | Ledger.LedgerLimitExceeded
  | Csv.CsvSyntaxError
  | Xlsx.XlsxReadError
  | Xlsx.XlsxCellRefused

/** The units of a hierarchy as ledgers name them: ids, names, paths. */
export const unitsOf = (hierarchy: Hierarchy.Hierarchy): Ledger.UnitResolver => UnitNames.resolver(hierarchy)

/** The notice about skipped rows. */
export const describeSkipped = Ledger.describeSkipped

/** The ledger kinds a file may be, to recognise a file of another list. */
export const kinds: ReadonlyArray<Ledger.LedgerKind> = [
  ProblemLedger.spec,
  ResourceLedger.spec,
  TaskLedger.spec
]

/** How `decode` reads a file: the sheet (XLSX) and the units of the hierarchy (names and paths). */
export interface DecodeOptions {
  readonly sheet?: string | number
  readonly units?: Ledger.UnitResolver
}

/**
 * Decodes a ledger file's bytes (within the import limits): every item and the rows skipped (blank,
 * footer), or every problem. A file of another list is refused naming it.
 */
export const decode = <A>(
  spec: Ledger.LedgerSpec<A>,
  format: Format,
  bytes: Uint8Array,
  file: string,
  options: DecodeOptions = {}
): Effect.Effect<Ledger.ImportReport<A>, DecodeError> => {
  const read: Ledger.Options = {
    file,
    kinds,
    ...(options.units === undefined ? {} : { units: options.units }),
    ...(options.sheet === undefined ? {} : { sheet: options.sheet })
  }
  return format === "csv" ? Csv.readReport(spec, bytes, read) : Xlsx.readReport(spec, bytes, read)
}

/**
 * The units of the stored hierarchy as ledgers name them (`UnitNames.resolver`), or none when the
 * database holds no hierarchy yet.
 */
export const units: Effect.Effect<
  Ledger.UnitResolver | undefined,
  StorageUnavailable,
  HierarchyRepository.HierarchyRepository
> = Effect.flatMap(HierarchyRepository.HierarchyRepository, (repository) =>
  repository.load.pipe(
    Effect.map((h): Ledger.UnitResolver | undefined => UnitNames.resolver(h)),
    Effect.catchTag("HierarchyNotFound", () => Effect.succeed(undefined))
  )
)

/** Encodes items as a ledger file's bytes, the stored units' paths beside their ids. */
export const encode = <A>(
  spec: Ledger.LedgerSpec<A>,
  format: Format,
  items: ReadonlyArray<A>
): Effect.Effect<
  Uint8Array,
  Ledger.LedgerExportError | Xlsx.XlsxWriteError | StorageUnavailable,
  HierarchyRepository.HierarchyRepository
> =>
  Effect.flatMap(units, (resolver) => {
    const options = resolver === undefined ? {} : { units: resolver }
    return format === "csv"
      ? Effect.map(Csv.write(spec, items, options), (text) => new TextEncoder().encode(text))
      : Xlsx.write(spec, items, options)
  })

/**
 * The same item as a ledger row: equal when their encoded rows are (dates compare by instant), so
 * re-importing unchanged rows reports them as unchanged.
 */
export const sameRow = <A>(spec: Ledger.LedgerSpec<A>, a: A, b: A): boolean => {
  const x = spec.encodeRow(a)
  const y = spec.encodeRow(b)
  return Either.isRight(x) && Either.isRight(y) && canonical(x.right) === canonical(y.right)
}

const canonical = (record: Readonly<Record<string, unknown>>): string =>
  JSON.stringify(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]])
  )

/** The stores `import` and `export` use, on the ambient `SqlClient`. */
export const layerStores: Layer.Layer<
  ListRepository | HierarchyRepository.HierarchyRepository | GridRepository.GridRepository,
  never,
  SqlClient.SqlClient
> = Layer.mergeAll(SqlListRepository.layer, SqlHierarchyRepository.layer, SqlGridRepository.layer)

/** The stored hierarchy and every grid of it (run `ready` with `hierarchy` first). */
export const known = (database: string) =>
  Effect.gen(function* () {
    const hierarchy = yield* Effect.catchTag(
      (yield* HierarchyRepository.HierarchyRepository).load,
      "HierarchyNotFound",
      () =>
        new DatabaseNotReady({
          database,
          reason: "no-hierarchy",
          version: Migrations.latestVersion,
          latest: Migrations.latestVersion
        })
    )
    const grids = yield* (yield* GridRepository.GridRepository).grids(Hierarchy.root(hierarchy).id)
    const result: Known = { hierarchy, grids }
    return result
  })

/**
 * Fails unless the database is migrated to the version this code knows
 * (newer: `DatabaseTooNew`), and — with `hierarchy` — holds a hierarchy.
 */
export const ready = (
  database: string,
  options: { readonly hierarchy: boolean }
): Effect.Effect<
  void,
  DatabaseNotReady | Migrations.DatabaseTooNew | SqlError,
  SqlClient.SqlClient | HierarchyRepository.HierarchyRepository
> =>
  Effect.gen(function* () {
    const version = yield* Migrations.databaseVersion
    const latest = Migrations.latestVersion
    if (version > latest) {
      return yield* new Migrations.DatabaseTooNew({ databaseVersion: version, codeVersion: latest })
    }
    if (version < latest) {
      return yield* new DatabaseNotReady({ database, reason: "not-migrated", version, latest })
    }
    if (!options.hierarchy) return
    const repository = yield* HierarchyRepository.HierarchyRepository
    const hierarchy = yield* Effect.option(repository.load)
    if (Option.isNone(hierarchy)) {
      return yield* new DatabaseNotReady({ database, reason: "no-hierarchy", version, latest })
    }
  })

/** The store itself. */
export const store: Effect.Effect<Store, never, ListRepository> = ListRepository
