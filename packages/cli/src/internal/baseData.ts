/**
 * 基础数据导入 — the base data of a real district behind `import --list
 * units|party-organizations|buildings|grids|staff|assignments|departments`,
 * loaded only when one of them runs. Each importer reads its ledger through
 * the ledger specs (the same cell rules as the lists: trimming, full-width
 * digits, blank and footer rows, units by id, name or path, `--sheet`,
 * Chinese-first problems with row, column, header and rule), converts
 * positions and boundaries to WGS-84 (`Crs`), checks the whole file through
 * the core (the store's own write checks over every row, the hierarchy and
 * party-tree validation, and the coverage rule: a grid covers only buildings
 * of its community, a building lies in at most one basic grid), then writes
 * the rows that changed in one transaction — all or nothing — the way the
 * demo seed stores its district. Grids, buildings and staff end with the
 * coverage, size and staffing reports of the core (`Coverage`, `Staffing`).
 */
import type * as Building from "@civicgrid/core/Building"
import * as Coverage from "@civicgrid/core/Coverage"
import * as Crs from "@civicgrid/core/Crs"
import * as DepartmentRepository from "@civicgrid/core/DepartmentRepository"
import * as GeoJson from "@civicgrid/core/GeoJson"
import type * as Grid from "@civicgrid/core/Grid"
import * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as Routing from "@civicgrid/core/Routing"
import * as Staffing from "@civicgrid/core/Staffing"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as Unit from "@civicgrid/core/Unit"
import * as BuildingLedger from "@civicgrid/ledger/BuildingLedger"
import * as Csv from "@civicgrid/ledger/Csv"
import * as DepartmentLedger from "@civicgrid/ledger/DepartmentLedger"
import * as GridLedger from "@civicgrid/ledger/GridLedger"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as PartyOrganizationLedger from "@civicgrid/ledger/PartyOrganizationLedger"
import * as StaffingLedger from "@civicgrid/ledger/StaffingLedger"
import * as UnitLedger from "@civicgrid/ledger/UnitLedger"
import * as UnitNames from "@civicgrid/ledger/UnitNames"
import * as Xlsx from "@civicgrid/ledger/Xlsx"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlDepartmentRepository from "@civicgrid/sql/SqlDepartmentRepository"
import * as FileSystem from "@effect/platform/FileSystem"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as LedgerFile from "../LedgerFile.js"
import * as Lists from "./lists.js"

// ---------------------------------------------------------------------------
// models and errors
// ---------------------------------------------------------------------------

/** What an importer is given: the file, its bytes and the options of `import`. */
export interface Input {
  readonly file: string
  readonly format: LedgerFile.InputFormat
  readonly bytes: Uint8Array
  readonly sheet?: string | number
  readonly crs: Crs.Crs
  /** 层级方案 — `--scheme`: a scheme id (`LevelScheme`'s presets) or a JSON file holding a scheme. */
  readonly scheme?: string
  /** The database, as the messages name it. */
  readonly database: string
  /** Reports writing progress. */
  readonly progress: (done: number, total: number) => void
}

/** What an importer did: the counts, the rows skipped, and lines to print after the counts. */
export interface Result {
  readonly rows: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  /** Stored items the file left out and the write removed (units, party organisations: replaced whole). */
  readonly removed: number
  /** Coordinates converted to WGS-84; undefined for a kind without coordinates. */
  readonly converted?: number
  readonly skipped: ReadonlyArray<Ledger.SkippedRow>
  readonly notes: ReadonlyArray<string>
}

/**
 * 层级方案未知 — `--scheme` names no preset and no readable scheme file.
 */
export class SchemeUnknown extends Schema.TaggedError<SchemeUnknown>()("SchemeUnknown", {
  scheme: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return (
      `层级方案无效 --scheme ${this.scheme}: ${this.reason}; use one of ` +
      `${presets.map((s) => `${s.id} (${s.name})`).join(", ")} or a JSON file holding a level scheme`
    )
  }
}

/**
 * 覆盖规则不允许 — the write would leave a grid covering a building of another
 * community (跨社区) or a building in two basic grids (重叠); nothing was written.
 */
export class CoverageRefused extends Schema.TaggedError<CoverageRefused>()("CoverageRefused", {
  kind: Schema.String,
  violations: Schema.NonEmptyArray(Coverage.CoverageViolation)
}) {
  override get message(): string {
    const shown = this.violations.slice(0, 5).map((v) => v.message)
    const more = this.violations.length > 5 ? `; … and ${this.violations.length - 5} more` : ""
    return (
      `网格覆盖规则不允许 the ${this.kind} would break the coverage rule (${this.violations.length} violation(s)); ` +
      `nothing was imported: ${shown.join("; ")}${more}`
    )
  }
}

/** Why a base-data import wrote nothing. */
export type BaseDataError =
  | Lists.DecodeError
  | LedgerFile.DatabaseNotReady
  | LedgerFile.GeoJsonInvalid
  | Migrations.DatabaseTooNew
  | SchemeUnknown
  | CoverageRefused
  | Hierarchy.HierarchyInvalid
  | Hierarchy.UnitNotFound
  | PartyOrganization.PartyOrganizationInvalid
  | HierarchyRepository.HierarchyNotFound
  | GridRepository.GridDataInvalid
  | DepartmentRepository.DepartmentsInvalid
  | StorageUnavailable
  | SqlError

/** The stores the importers use. */
export type Stores =
  | HierarchyRepository.HierarchyRepository
  | GridRepository.GridRepository
  | DepartmentRepository.DepartmentRepository
  | SqlClient.SqlClient
  | FileSystem.FileSystem

/** The stores of `import` and `export` for base data, on the ambient `SqlClient`. */
export const layerStores = Layer.merge(Lists.layerStores, SqlDepartmentRepository.layer)

/** The level schemes `--scheme` names by id, tried in this order when it is not given. */
export const presets: ReadonlyArray<LevelScheme.LevelScheme> = [
  LevelScheme.FiveLevel,
  LevelScheme.WithHouseholds,
  LevelScheme.SixLevel,
  LevelScheme.StreetAreaCommunityGrid
]

// ---------------------------------------------------------------------------
// reading
// ---------------------------------------------------------------------------

/** Every ledger kind, to name the list a wrong file belongs to. */
const allKinds: ReadonlyArray<Ledger.LedgerKind> = [
  ...Lists.kinds,
  UnitLedger.spec(LevelScheme.FiveLevel),
  PartyOrganizationLedger.spec,
  BuildingLedger.spec,
  GridLedger.withBoundary,
  StaffingLedger.person,
  StaffingLedger.assignment,
  DepartmentLedger.spec
]

/** A boundary's WKT or GeoJSON can be long: a cell of a grid file may hold up to 1,000,000 characters. */
const gridCellLength = 1_000_000

const readLedger = <A>(
  spec: Ledger.LedgerSpec<A>,
  input: Input,
  options: { readonly units?: Ledger.UnitResolver; readonly limits?: Partial<Ledger.Limits> } = {}
): Effect.Effect<Ledger.ImportReport<A>, Lists.DecodeError> => {
  const read: Ledger.Options = {
    file: input.file,
    kinds: allKinds,
    ...(options.units === undefined ? {} : { units: options.units }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(input.sheet === undefined ? {} : { sheet: input.sheet })
  }
  return input.format === "csv"
    ? Csv.readReport(spec, input.bytes, read)
    : Xlsx.readReport(spec, input.bytes, read)
}

const Feature = Schema.Struct({
  type: Schema.Literal("Feature"),
  id: Schema.optional(Schema.Union(Schema.String, Schema.Number)),
  properties: Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  geometry: Schema.Unknown
})

const FeatureCollection = Schema.Struct({
  type: Schema.Literal("FeatureCollection"),
  features: Schema.Array(Feature)
})

const decodeCollection = Schema.decodeUnknownEither(Schema.parseJson(FeatureCollection))

const cellOf = (value: unknown): Ledger.Cell => {
  if (value === null || value === undefined) return null
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value
  if (Array.isArray(value))
    return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("、")
  return JSON.stringify(value)
}

/**
 * 读取 GeoJSON 网格 — a FeatureCollection's features as the rows of the grid
 * ledger (with boundary): each feature's properties by header (`网格编号`…) or
 * field name (`id`, `communityId`…), its `id` as 网格编号 when the properties
 * have none, its geometry in the boundary column. Row numbers are the
 * features' (1-based); other properties are ignored.
 */
const readGeoJson = (
  input: Input,
  units: Ledger.UnitResolver
): Effect.Effect<
  Ledger.ImportReport<GridLedger.GridRowWithBoundary>,
  Lists.DecodeError | LedgerFile.GeoJsonInvalid
> =>
  Effect.gen(function* () {
    const spec = GridLedger.withBoundary
    const text = new TextDecoder().decode(input.bytes).replace(/^\uFEFF/, "")
    const collection = yield* Either.mapLeft(
      decodeCollection(text),
      (e) =>
        new LedgerFile.GeoJsonInvalid({
          file: input.file,
          reason: ParseResult.TreeFormatter.formatErrorSync(e)
        })
    )
    const headerOf = new Map<string, string>(spec.columns.map((c) => [c.field, c.header]))
    const idHeader = headerOf.get("id") ?? "网格编号"
    const header: Array<string> = []
    const add = (h: string) => {
      if (!header.includes(h)) header.push(h)
    }
    const records = collection.features.map((f) => {
      const record = new Map<string, Ledger.Cell>()
      for (const [key, value] of Object.entries(f.properties ?? {})) {
        const h = headerOf.get(key) ?? key
        if (h === GridLedger.boundaryHeader) continue
        add(h)
        record.set(h, cellOf(value))
      }
      if (!record.has(idHeader) && f.id !== undefined) {
        add(idHeader)
        record.set(idHeader, String(f.id))
      }
      record.set(GridLedger.boundaryHeader, f.geometry === null ? null : JSON.stringify(f.geometry))
      return record
    })
    add(GridLedger.boundaryHeader)
    const rows: Array<Ledger.SourceRow> = [
      { row: 0, cells: header },
      ...records.map((record, i) => ({ row: i + 1, cells: header.map((h) => record.get(h) ?? null) }))
    ]
    const options: Ledger.Options = {
      file: input.file,
      units,
      unknownColumns: "ignore",
      limits: { maxCellLength: gridCellLength }
    }
    yield* Ledger.checkRows(rows, "GeoJSON", options)
    return yield* Ledger.importRows(spec, rows, options)
  })

// ---------------------------------------------------------------------------
// shared steps
// ---------------------------------------------------------------------------

interface Counted<A> {
  readonly created: number
  readonly changed: ReadonlyArray<A>
  readonly unchanged: number
}

/** New, changed and unchanged rows against the stored ones (the same ledger row = unchanged). */
const count = <A>(
  spec: Ledger.LedgerSpec<A>,
  items: ReadonlyArray<A>,
  stored: ReadonlyArray<A>,
  idOf: (a: A) => string
): Counted<A> => {
  const byId = new Map(stored.map((s) => [idOf(s), s]))
  const created = items.filter((i) => !byId.has(idOf(i))).length
  const changed = items.filter((i) => {
    const before = byId.get(idOf(i))
    return before === undefined || !Lists.sameRow(spec, before, i)
  })
  return { created, changed, unchanged: items.length - changed.length }
}

const resultOf = <A>(
  counted: Counted<A>,
  rows: number,
  skipped: ReadonlyArray<Ledger.SkippedRow>,
  extra: Partial<Pick<Result, "removed" | "converted" | "notes">> = {}
): Result => ({
  rows,
  created: counted.created,
  updated: counted.changed.length - counted.created,
  unchanged: counted.unchanged,
  removed: extra.removed ?? 0,
  skipped,
  notes: extra.notes ?? [],
  ...(extra.converted === undefined ? {} : { converted: extra.converted })
})

/** Writes in one transaction, reporting progress. */
const write = <E, R>(input: Input, total: number, effect: Effect.Effect<void, E, R>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    input.progress(0, total)
    yield* sql.withTransaction(effect)
    input.progress(total, total)
  })

/** The stored hierarchy (the database must hold one), its resolver and everything stored on it. */
const stored = (database: string) =>
  Effect.gen(function* () {
    yield* Lists.ready(database, { hierarchy: true })
    const { hierarchy } = yield* Lists.known(database)
    const root = Hierarchy.root(hierarchy).id
    const store = yield* GridRepository.GridRepository
    const snapshot = yield* store.snapshot(root)
    const buildings = yield* store.buildings(root)
    const grids = yield* store.grids(root)
    return { hierarchy, root, snapshot, buildings, grids, units: UnitNames.resolver(hierarchy) }
  })

const refuse = <E>(error: E | undefined): Effect.Effect<void, E> =>
  error === undefined ? Effect.void : Effect.fail(error)

/** At most this many findings of a report are listed. */
const shown = 20

const lines = (items: ReadonlyArray<string>): ReadonlyArray<string> =>
  items.length > shown
    ? [...items.slice(0, shown).map((l) => `  ${l}`), `  … ${items.length - shown} more`]
    : items.map((l) => `  ${l}`)

/** 覆盖与规模报告 — the store's coverage (`GridRepository.coverage`) and `Coverage.checkSize` of what is stored. */
const coverageNotes = (root: string) =>
  Effect.gen(function* () {
    const store = yield* GridRepository.GridRepository
    const coverage = yield* store.coverage(root)
    const grids = yield* store.grids(root)
    const buildings = yield* store.buildings(root)
    const size = Coverage.checkSize(grids, buildings)
    const complete = coverage.communities.filter((c) => c.complete).length
    const gaps = coverage.communities.reduce((n, c) => n + c.gaps.length, 0)
    const inBounds = size.grids.filter((g) => g.status === "ok").length
    const basic = size.grids.filter((g) => g.kind === "basic").length
    return [
      `覆盖检查 coverage: ${coverage.communities.length} 个社区 communities, ${complete} 个全覆盖 complete, ` +
        `${gaps} 栋楼未入网格 building(s) in no basic grid, ${coverage.violations.length} 项问题 finding(s)`,
      ...lines(coverage.violations.map((v) => v.message)),
      `规模检查 size (${size.bounds.min}–${size.bounds.max} 户 households per basic grid): ` +
        `${inBounds} / ${basic} 个基础网格在范围内 basic grids within bounds, ${size.violations.length} 项问题 finding(s)`,
      ...lines(size.violations.map((v) => v.message))
    ]
  })

/** 力量配置检查 — `Staffing.check` with every policy over what is stored (as the HTTP staffing report). */
const staffingNotes = (hierarchy: Hierarchy.Hierarchy, root: string) =>
  Effect.gen(function* () {
    const snapshot = yield* (yield* GridRepository.GridRepository).snapshot(root)
    const communityOf = new Map(snapshot.grids.map((g) => [g.id, g.communityId]))
    const locate: Staffing.GridLocator = (gridId) =>
      Option.flatMap(Option.fromNullable(communityOf.get(gridId)), (communityId) =>
        Option.all({
          streetId: Routing.tierUnitOf(hierarchy, communityId, "street"),
          districtId: Routing.tierUnitOf(hierarchy, communityId, "district")
        })
      )
    const violations = Staffing.check(Staffing.allPolicies, { ...snapshot, locate })
    return [
      `力量配置检查 staffing (一格一员、一员多格、一格多员、1+1+1+n): ${snapshot.people.length} 人在岗 people assigned, ` +
        `${snapshot.assignments.length} 项任职 assignments, ${violations.length} 项问题 finding(s)`,
      ...lines(violations.map((v) => v.message))
    ]
  })

/** Coverage violations of these rules naming one of `ids` (grids or buildings written) refuse a write. */
const refusedCoverage = (
  kind: string,
  report: Coverage.CoverageReport,
  touches: (v: Coverage.CoverageViolation) => boolean
): CoverageRefused | undefined => {
  const refused = report.violations.filter(
    (v) => (v.rule === "foreign-building" || v.rule === "overlap") && touches(v)
  )
  return Arr.isNonEmptyReadonlyArray(refused) ? new CoverageRefused({ kind, violations: refused }) : undefined
}

const overlay = <A extends { readonly id: string }>(
  stored: ReadonlyArray<A>,
  written: ReadonlyArray<A>
): ReadonlyArray<A> => {
  const ids = new Set(written.map((w) => w.id))
  return [...stored.filter((s) => !ids.has(s.id)), ...written]
}

// ---------------------------------------------------------------------------
// units
// ---------------------------------------------------------------------------

const decodeScheme = Schema.decodeUnknownEither(Schema.parseJson(LevelScheme.LevelScheme))

/** `--scheme`: a preset by id, else a JSON file holding a scheme. */
const schemeOf = (
  text: string
): Effect.Effect<LevelScheme.LevelScheme, SchemeUnknown, FileSystem.FileSystem> => {
  const preset = presets.find((s) => s.id === text.trim() || s.name === text.trim())
  if (preset !== undefined) return Effect.succeed(preset)
  return Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const json = yield* fs
      .readFileString(text)
      .pipe(
        Effect.mapError(
          (e) => new SchemeUnknown({ scheme: text, reason: `不是已知方案，也无法读取 ${e.message}` })
        )
      )
    return yield* Either.mapLeft(
      decodeScheme(json),
      (e) =>
        new SchemeUnknown({
          scheme: text,
          reason: `方案文件无效 not a level scheme: ${ParseResult.TreeFormatter.formatErrorSync(e)}`
        })
    )
  })
}

const importUnits = (input: Input) =>
  Effect.gen(function* () {
    yield* Lists.ready(input.database, { hierarchy: false })
    const repository = yield* HierarchyRepository.HierarchyRepository
    const before = yield* Effect.option(repository.load)
    const loose = yield* readLedger(UnitLedger.loose, input)
    const resolver = UnitLedger.resolver(loose.rows)
    const given = input.scheme === undefined ? undefined : yield* schemeOf(input.scheme)
    const candidates =
      given !== undefined
        ? [given]
        : Arr.dedupeWith(
            [...Option.toArray(Option.map(before, (h) => h.scheme)), ...presets],
            (a, b) => a.id === b.id
          )
    const fits = UnitLedger.fitting(loose.rows, candidates)
    // the first scheme that names every level and validates the tree; else the first that names the levels
    // (its violations are reported); else the first candidate (every unknown level is reported by row)
    const scheme =
      fits.find((s) => {
        const units = UnitLedger.unitsOf(loose.rows, s, resolver)
        return units !== undefined && Either.isRight(Hierarchy.make(s, units))
      }) ??
      fits[0] ??
      candidates[0] ??
      LevelScheme.FiveLevel
    const spec = UnitLedger.spec(scheme)
    const report = yield* readLedger(spec, input, { units: resolver })
    const units = report.rows
    yield* Hierarchy.make(scheme, units)
    const storedUnits: ReadonlyArray<Unit.Unit> = Option.match(before, {
      onNone: () => [],
      onSome: (h) => Hierarchy.units(h)
    })
    const counted = count(spec, units, storedUnits, (u) => u.id)
    const ids = new Set(units.map((u) => u.id))
    const removed = storedUnits.filter((u) => !ids.has(u.id)).length
    const sameScheme = Option.exists(before, (h) => h.scheme.id === scheme.id)
    if (counted.changed.length > 0 || removed > 0 || !sameScheme) {
      yield* write(input, units.length, Effect.asVoid(repository.save(scheme, units)))
    }
    return resultOf(counted, units.length, report.skipped, {
      removed,
      notes: [
        `层级方案 level scheme: ${scheme.name} (${scheme.id}) — ${scheme.levels.map((l) => l.name).join(" → ")}`
      ]
    })
  })

// ---------------------------------------------------------------------------
// party organisations
// ---------------------------------------------------------------------------

const importPartyOrganizations = (input: Input) =>
  Effect.gen(function* () {
    const { hierarchy, grids, units } = yield* stored(input.database)
    const report = yield* readLedger(PartyOrganizationLedger.spec, input, { units })
    const orgs = report.rows
    const kinds = PartyOrganizationLedger.kindOrderOf(orgs)
    // grid links are checked against the stored grids once there are any
    const options = { kinds, ...(grids.length > 0 ? { grids } : {}) }
    yield* PartyOrganization.make(orgs, { hierarchy, ...options })
    const repository = yield* HierarchyRepository.HierarchyRepository
    const before = yield* repository.loadPartyOrganizations.pipe(
      Effect.map(PartyOrganization.orgs),
      Effect.catchTags({
        PartyTreeNotFound: () => Effect.succeed([]),
        PartyOrganizationInvalid: () => Effect.succeed([])
      })
    )
    const counted = count(PartyOrganizationLedger.spec, orgs, before, (o) => o.id)
    const ids = new Set(orgs.map((o) => o.id))
    const removed = before.filter((o) => !ids.has(o.id)).length
    if (counted.changed.length > 0 || removed > 0) {
      yield* write(input, orgs.length, Effect.asVoid(repository.savePartyOrganizations(orgs, options)))
    }
    return resultOf(counted, orgs.length, report.skipped, {
      removed,
      notes: [`党组织层级 kind order: ${kinds.name} — ${kinds.levels.map((l) => l.name).join(" → ")}`]
    })
  })

// ---------------------------------------------------------------------------
// buildings and grids
// ---------------------------------------------------------------------------

const importBuildings = (input: Input) =>
  Effect.gen(function* () {
    const { hierarchy, root, buildings: before, grids, units } = yield* stored(input.database)
    const report = yield* readLedger(BuildingLedger.spec, input, { units })
    const toWgs84 = Crs.toWgs84(input.crs)
    const buildings = report.rows.map(
      (b): Building.Building => (b.location === undefined ? b : { ...b, location: toWgs84(b.location) })
    )
    const converted = input.crs === "WGS84" ? 0 : buildings.filter((b) => b.location !== undefined).length
    const unitIds = new Set(Hierarchy.units(hierarchy).map((u) => u.id as string))
    yield* refuse(GridRepository.toError(GridRepository.checkBuildings(buildings, { units: unitIds })))
    const written = new Set(buildings.map((b) => b.id as string))
    yield* refuse(
      refusedCoverage(
        "buildings",
        Coverage.check(overlay(before, buildings), grids),
        (v) => v.buildingId !== undefined && written.has(v.buildingId)
      )
    )
    const counted = count(BuildingLedger.spec, buildings, before, (b) => b.id)
    const store = yield* GridRepository.GridRepository
    if (counted.changed.length > 0) {
      yield* write(input, counted.changed.length, store.putBuildings(counted.changed))
    }
    return resultOf(counted, buildings.length, report.skipped, {
      converted,
      notes: yield* coverageNotes(root)
    })
  })

const positionsOf = (boundary: GeoJson.Boundary): number =>
  GeoJson.polygonsOf(boundary).reduce((n, rings) => n + rings.reduce((m, ring) => m + ring.length, 0), 0)

const importGrids = (input: Input) =>
  Effect.gen(function* () {
    const { hierarchy, root, buildings, grids: before, units } = yield* stored(input.database)
    const report =
      input.format === "geojson"
        ? yield* readGeoJson(input, units)
        : yield* readLedger(GridLedger.withBoundary, input, {
            units,
            limits: { maxCellLength: gridCellLength }
          })
    const toWgs84 = Crs.convertBoundary(input.crs, "WGS84")
    const storedById = new Map(before.map((g) => [g.id as string, g]))
    let converted = 0
    const grids = report.rows.map((row): Grid.Grid => {
      const old = storedById.get(row.id)
      // micro-grids are not in the file, and an empty boundary cell keeps the stored boundary
      const boundary = row.boundary === undefined ? old?.boundary : toWgs84(row.boundary)
      if (row.boundary !== undefined && input.crs !== "WGS84") converted += positionsOf(row.boundary)
      return {
        ...row,
        ...(old?.microGrids === undefined ? {} : { microGrids: old.microGrids }),
        ...(boundary === undefined ? {} : { boundary })
      }
    })
    const unitIds = new Set(Hierarchy.units(hierarchy).map((u) => u.id as string))
    yield* refuse(GridRepository.toError(GridRepository.checkGrids(grids, { units: unitIds, buildings })))
    const written = new Set(grids.map((g) => g.id as string))
    yield* refuse(
      refusedCoverage("grids", Coverage.check(buildings, overlay(before, grids)), (v) =>
        v.gridIds.some((id) => written.has(id))
      )
    )
    const spec = GridLedger.withBoundary
    const counted = count(spec, grids, before, (g) => g.id)
    const store = yield* GridRepository.GridRepository
    if (counted.changed.length > 0)
      yield* write(input, counted.changed.length, store.putGrids(counted.changed))
    const notes = [...(yield* coverageNotes(root)), ...(yield* staffingNotes(hierarchy, root))]
    return resultOf(counted, grids.length, report.skipped, { converted, notes })
  })

// ---------------------------------------------------------------------------
// staff, assignments, departments
// ---------------------------------------------------------------------------

interface PersonRow {
  readonly id: string
  readonly name: string
  readonly party_member: unknown
  readonly party_member_class: string | null
  readonly phone: string | null
}

const decodePerson = Schema.decodeUnknownEither(Staffing.Person)

/**
 * The stored people among `ids` — the grid store's port lists people only
 * with their assignments (`snapshot`), so the people table is read here to
 * tell new, updated and unchanged people apart.
 */
const storedPeople = (ids: ReadonlyArray<string> | undefined) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows =
      ids === undefined
        ? [
            yield* sql<PersonRow>`SELECT id, name, party_member, party_member_class, phone FROM cg_people ORDER BY id`
          ]
        : yield* Effect.forEach(
            Arr.chunksOf([...new Set(ids)], 500),
            (batch) =>
              sql<PersonRow>`SELECT id, name, party_member, party_member_class, phone FROM cg_people
                WHERE ${sql.in("id", batch)}`
          )
    return rows.flat().flatMap((r) => {
      const person = decodePerson({
        id: r.id,
        name: r.name,
        partyMember: Number(r.party_member) === 1,
        ...(r.party_member_class === null ? {} : { partyMemberClass: r.party_member_class }),
        ...(r.phone === null ? {} : { phone: r.phone })
      })
      return Either.isRight(person) ? [person.right] : []
    })
  })

const importStaff = (input: Input) =>
  Effect.gen(function* () {
    const { hierarchy, root } = yield* stored(input.database)
    const report = yield* readLedger(StaffingLedger.person, input)
    const people = report.rows
    yield* refuse(GridRepository.toError(GridRepository.checkPeople(people)))
    const before = yield* storedPeople(people.map((p) => p.id))
    const counted = count(StaffingLedger.person, people, before, (p) => p.id)
    const store = yield* GridRepository.GridRepository
    if (counted.changed.length > 0)
      yield* write(input, counted.changed.length, store.putPeople(counted.changed))
    return resultOf(counted, people.length, report.skipped, { notes: yield* staffingNotes(hierarchy, root) })
  })

const importAssignments = (input: Input) =>
  Effect.gen(function* () {
    const { hierarchy, root, snapshot, units } = yield* stored(input.database)
    const report = yield* readLedger(StaffingLedger.assignment, input, { units })
    const assignments = report.rows
    const storedKeys = new Set(snapshot.assignments.map(GridRepository.assignmentId))
    // an assignment already stored is unchanged (assignments have no other fields to update)
    const fresh = assignments.filter((a) => !storedKeys.has(GridRepository.assignmentId(a)))
    const store = yield* GridRepository.GridRepository
    // the store checks the whole write: people, grids, buildings, units, roles and repeats
    if (fresh.length > 0) yield* write(input, fresh.length, store.assign(fresh))
    const counted: Counted<Staffing.Assignment> = {
      created: fresh.length,
      changed: fresh,
      unchanged: assignments.length - fresh.length
    }
    return resultOf(counted, assignments.length, report.skipped, {
      notes: yield* staffingNotes(hierarchy, root)
    })
  })

const importDepartments = (input: Input) =>
  Effect.gen(function* () {
    const { hierarchy, units } = yield* stored(input.database)
    const report = yield* readLedger(DepartmentLedger.spec, input, { units })
    const departments = report.rows
    yield* refuse(
      DepartmentRepository.toError(
        DepartmentRepository.check((id) => Hierarchy.has(hierarchy, id), departments)
      )
    )
    const repository = yield* DepartmentRepository.DepartmentRepository
    const before = yield* repository.list
    const counted = count(DepartmentLedger.spec, departments, before, (d) => d.id)
    if (counted.changed.length > 0)
      yield* write(input, counted.changed.length, repository.put(counted.changed))
    return resultOf(counted, departments.length, report.skipped)
  })

/**
 * 基础数据导入器 — one importer per kind.
 */
export const importers: {
  readonly [K in LedgerFile.BaseKind]: (input: Input) => Effect.Effect<Result, BaseDataError, Stores>
} = {
  units: importUnits,
  "party-organizations": importPartyOrganizations,
  buildings: importBuildings,
  grids: importGrids,
  staff: importStaff,
  assignments: importAssignments,
  departments: importDepartments
}

// ---------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------

/** What an exporter wrote. */
export interface Written {
  readonly bytes: Uint8Array
  readonly rows: number
}

/** Why a base-data export wrote nothing. */
export type ExportError =
  | Ledger.LedgerExportError
  | Xlsx.XlsxWriteError
  | LedgerFile.DatabaseNotReady
  | Migrations.DatabaseTooNew
  | Hierarchy.UnitNotFound
  | PartyOrganization.PartyOrganizationInvalid
  | HierarchyRepository.HierarchyNotFound
  | StorageUnavailable
  | SqlError

const encoded = <A>(spec: Ledger.LedgerSpec<A>, format: LedgerFile.Format, items: ReadonlyArray<A>) =>
  Effect.map(Lists.encode(spec, format, items), (bytes): Written => ({ bytes, rows: items.length }))

/** The stored hierarchy and the unit `--within` names (default: the root). */
const scope = (database: string, within: string | undefined) =>
  Effect.gen(function* () {
    yield* Lists.ready(database, { hierarchy: true })
    const { hierarchy } = yield* Lists.known(database)
    const root = Hierarchy.root(hierarchy).id
    return { hierarchy, within: within ?? root }
  })

/**
 * 基础数据导出器 — one exporter per kind: what it writes imports back to the
 * same data (`--within` applies to buildings, grids, staff and assignments;
 * units, party organisations and departments are written whole; staff are
 * every stored person; grid boundaries as WKT).
 */
export const exporters: {
  readonly [K in LedgerFile.BaseKind]: (
    database: string,
    format: LedgerFile.Format,
    within: string | undefined
  ) => Effect.Effect<Written, ExportError, Stores>
} = {
  units: (database, format) =>
    Effect.gen(function* () {
      const { hierarchy } = yield* scope(database, undefined)
      return yield* encoded(UnitLedger.spec(hierarchy.scheme), format, Hierarchy.units(hierarchy))
    }),
  "party-organizations": (database, format) =>
    Effect.gen(function* () {
      yield* scope(database, undefined)
      const orgs = yield* (yield* HierarchyRepository.HierarchyRepository).loadPartyOrganizations.pipe(
        Effect.map(PartyOrganization.orgs),
        Effect.catchTag("PartyTreeNotFound", () => Effect.succeed([]))
      )
      return yield* encoded(PartyOrganizationLedger.spec, format, orgs)
    }),
  buildings: (database, format, within) =>
    Effect.gen(function* () {
      const s = yield* scope(database, within)
      const buildings = yield* (yield* GridRepository.GridRepository).buildings(s.within)
      return yield* encoded(BuildingLedger.spec, format, buildings)
    }),
  grids: (database, format, within) =>
    Effect.gen(function* () {
      const s = yield* scope(database, within)
      const grids = yield* (yield* GridRepository.GridRepository).grids(s.within)
      return yield* encoded(GridLedger.withBoundary, format, grids)
    }),
  staff: (database, format, within) =>
    Effect.gen(function* () {
      const s = yield* scope(database, within)
      const people =
        within === undefined
          ? yield* storedPeople(undefined)
          : (yield* (yield* GridRepository.GridRepository).snapshot(s.within)).people
      return yield* encoded(StaffingLedger.person, format, people)
    }),
  assignments: (database, format, within) =>
    Effect.gen(function* () {
      const s = yield* scope(database, within)
      const snapshot = yield* (yield* GridRepository.GridRepository).snapshot(s.within)
      return yield* encoded(StaffingLedger.assignment, format, snapshot.assignments)
    }),
  departments: (database, format) =>
    Effect.gen(function* () {
      yield* scope(database, undefined)
      const departments = yield* (yield* DepartmentRepository.DepartmentRepository).list
      return yield* encoded(DepartmentLedger.spec, format, departments)
    })
}

/**
 * 网格 GeoJSON — the grids (within a unit) as a GeoJSON FeatureCollection:
 * each grid a feature with its id, its ledger fields as properties keyed by
 * the ledger's headers (网格编号, 网格名称 …; the buildings as an array) and its
 * boundary (WGS-84) as the geometry (`null` without one). `import --list
 * grids` reads it back.
 */
export const exportGridsGeoJson = (
  database: string,
  within: string | undefined
): Effect.Effect<Written, ExportError, Stores> =>
  Effect.gen(function* () {
    const s = yield* scope(database, within)
    const grids = yield* (yield* GridRepository.GridRepository).grids(s.within)
    const spec = GridLedger.spec
    const features: Array<unknown> = []
    const problems: Array<Ledger.ExportProblem> = []
    for (const [i, grid] of grids.entries()) {
      const encoded = spec.encodeRow(grid)
      if (Either.isLeft(encoded)) {
        problems.push({
          index: i,
          field: "",
          message: ParseResult.TreeFormatter.formatErrorSync(encoded.left)
        })
        continue
      }
      const properties: Record<string, unknown> = {}
      for (const column of spec.columns) {
        const value = encoded.right[column.field]
        if (value !== undefined) properties[column.header] = value
      }
      features.push({ type: "Feature", id: grid.id, properties, geometry: grid.boundary ?? null })
    }
    if (Arr.isNonEmptyReadonlyArray(problems)) {
      return yield* new Ledger.LedgerExportError({ sheet: spec.sheet, problems })
    }
    const text = `${JSON.stringify({ type: "FeatureCollection", features }, null, 2)}\n`
    const written: Written = { bytes: new TextEncoder().encode(text), rows: grids.length }
    return written
  })
