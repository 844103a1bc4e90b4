/**
 * Fixtures of the Open311 tests: a small district (区 → 街道 → 社区 → 楼栋) with
 * two gridded communities, a fresh migrated SQLite / PostgreSQL database per
 * test with the hierarchy stored, the Open311 endpoints served in process
 * (through `Open311.layer` on the `HttpApiBuilder` server), a JSON Schema
 * validator for the contract, and a strict little XML parser to read the XML
 * responses back.
 */
import { ActorId, DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import * as DepartmentRepository from "@civicgrid/core/DepartmentRepository"
import type { Boundary } from "@civicgrid/core/GeoJson"
import { type Grid, GridId } from "@civicgrid/core/Grid"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlCaseRepository from "@civicgrid/sql/SqlCaseRepository"
import * as SqlDepartmentRepository from "@civicgrid/sql/SqlDepartmentRepository"
import * as SqlHierarchyRepository from "@civicgrid/sql/SqlHierarchyRepository"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Ajv, type ValidateFunction } from "ajv"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Open311 from "../src/Open311.js"

// -----------------------------------------------------------------------------
// the district
// -----------------------------------------------------------------------------

export const D = Unit.UnitId.make("d-panlong")
export const DEPT = DepartmentId.make("dept-ludeng")
export const S1 = Unit.UnitId.make("s-qingyun")
export const C1 = Unit.UnitId.make("c-jinsha")
export const C2 = Unit.UnitId.make("c-yinsha")
export const B1 = Unit.UnitId.make("b-jinsha-1")
/** A district outside the jurisdiction. */
export const D_OTHER = Unit.UnitId.make("d-other")

const rows: ReadonlyArray<Unit.Unit> = [
  { id: D, parentId: null, level: LevelScheme.LevelId.make("district"), name: "盘龙区" },
  { id: S1, parentId: D, level: LevelScheme.LevelId.make("street"), name: "青云街道" },
  { id: C1, parentId: S1, level: LevelScheme.LevelId.make("community"), name: "金沙社区" },
  { id: C2, parentId: S1, level: LevelScheme.LevelId.make("community"), name: "银沙社区" },
  { id: B1, parentId: C1, level: LevelScheme.LevelId.make("building"), name: "金沙小区1栋" }
]

export const hierarchy: Hierarchy.Hierarchy = Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows))

const square = (lon: number, lat: number, size: number): Boundary => ({
  type: "Polygon",
  coordinates: [
    [
      [lon, lat],
      [lon + size, lat],
      [lon + size, lat + size],
      [lon, lat + size],
      [lon, lat]
    ]
  ]
})

export const grids: ReadonlyArray<Grid> = [
  {
    id: GridId.make("g-jinsha-1"),
    name: "金沙第一网格",
    kind: "basic",
    communityId: C1,
    buildingIds: [B1],
    boundary: square(102.7, 25.04, 0.01)
  },
  {
    id: GridId.make("g-yinsha-1"),
    name: "银沙第一网格",
    kind: "basic",
    communityId: C2,
    buildingIds: [],
    boundary: square(102.71, 25.04, 0.01)
  }
]

/** A point inside 金沙第一网格. */
export const IN_C1 = { lat: 25.045, long: 102.705 }
/** A point inside 银沙第一网格. */
export const IN_C2 = { lat: 25.045, long: 102.715 }
/** A point in no grid. */
export const NOWHERE = { lat: 30.5, long: 114.3 }

export const API_KEY = "test-key-0123456789"
export const client: Open311.ApiClient = { id: "fms", name: "FixMyStreet test client" }

/** 路灯 — a 小类 with a required list attribute `lamp_fault` and an optional `facility_number`. */
export const LAMP = "BJ-0112"

export const config: Open311.Config = {
  jurisdiction: { unitId: D, id: "panlong.km.cn" },
  catalogue: CaseCategory.Standard,
  routing: { hierarchy, rules: [], grids, gridIndex: PointLocation.make(grids) },
  discovery: { contact: "盘龙区城市运行管理中心 0871-12345", changeset: "2024-03-01T00:00:00+08:00" }
}

/** 2024-03-04 09:00 in Beijing (a Monday, a working day). */
export const T0 = Date.UTC(2024, 2, 4, 1, 0)

// -----------------------------------------------------------------------------
// databases
// -----------------------------------------------------------------------------

import { type Dialect, dialects, pgUrl, sqlite } from "./support/Databases.js"

export { type Dialect, dialects, pgUrl, sqlite }

/** The stores and case settings the Open311 endpoints run over. */
export type Stores =
  | CaseRepository
  | HierarchyRepository
  | DepartmentRepository.DepartmentRepository
  | CaseService.Settings

/**
 * A fresh migrated database with the district and its departments stored, the
 * case store on it (with time limits), and the case settings (this fixture's
 * grids for routing points).
 */
export const stores = (dialect: Dialect): Layer.Layer<Stores> => {
  const sqlStores = Layer.mergeAll(
    SqlCaseRepository.layer({
      timeLimits: { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }
    }),
    SqlDepartmentRepository.layer
  ).pipe(Layer.provideMerge(SqlHierarchyRepository.layer))
  const seeded = Layer.effectDiscard(
    Effect.gen(function* () {
      yield* Migrations.run
      yield* Effect.flatMap(HierarchyRepository, (repo) => repo.save(LevelScheme.FiveLevel, rows))
      yield* Effect.flatMap(DepartmentRepository.DepartmentRepository, (repo) =>
        repo.put([{ id: DEPT, name: "路灯管理所", nameEn: "Street Lighting Office", jurisdiction: D }])
      )
    }).pipe(Effect.orDie)
  ).pipe(Layer.provideMerge(sqlStores))
  const settings = CaseService.layerSettings({
    grids: Effect.succeed({ grids, gridIndex: PointLocation.make(grids) })
  })
  return Layer.merge(seeded, settings).pipe(Layer.provide(dialect.fresh()))
}

const EmptyApi = HttpApi.make("open311-test")

/**
 * The Open311 endpoints on an in-process server (the `HttpApiBuilder` server
 * with `Open311.layer`), the case store, and an `HttpClient` aimed at it.
 */
export const server = (
  dialect: Dialect,
  overrides: Partial<Open311.Config> = {}
): Layer.Layer<HttpClient.HttpClient | Stores> => {
  const store = stores(dialect)
  const app = HttpApiBuilder.serve().pipe(
    Layer.provide(Open311.layer({ ...config, ...overrides })),
    Layer.provide(HttpApiBuilder.api(EmptyApi)),
    Layer.provide(Open311.layerApiKeysMemory([[API_KEY, client]])),
    Layer.provide(store)
  )
  return Layer.merge(app, store).pipe(Layer.provideMerge(NodeHttpServer.layerTest), Layer.orDie)
}

// -----------------------------------------------------------------------------
// calls
// -----------------------------------------------------------------------------

export interface Reply {
  readonly status: number
  readonly contentType: string
  readonly text: string
  readonly json: unknown
}

const read = (response: {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly text: Effect.Effect<string, unknown>
}) =>
  Effect.map(Effect.orDie(response.text), (text): Reply => {
    const contentType = response.headers["content-type"] ?? ""
    let json: unknown = null
    if (contentType.startsWith("application/json")) json = JSON.parse(text)
    return { status: response.status, contentType, text, json }
  })

/** GET a path under /open311/v2. */
export const get = (path: string): Effect.Effect<Reply, never, HttpClient.HttpClient> =>
  Effect.flatMap(HttpClient.HttpClient, (http) => http.get(`/open311/v2/${path}`)).pipe(
    Effect.flatMap(read),
    Effect.scoped,
    Effect.orDie
  )

/** POST a form to a path under /open311/v2. */
export const post = (
  path: string,
  form: ReadonlyArray<readonly [string, string]>
): Effect.Effect<Reply, never, HttpClient.HttpClient> =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.execute(HttpClientRequest.post(`/open311/v2/${path}`).pipe(HttpClientRequest.bodyUrlParams(form)))
  ).pipe(Effect.flatMap(read), Effect.scoped, Effect.orDie)

/** POST a raw body with a content type. */
export const postRaw = (
  path: string,
  body: string,
  contentType: string
): Effect.Effect<Reply, never, HttpClient.HttpClient> =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.execute(
      HttpClientRequest.post(`/open311/v2/${path}`).pipe(HttpClientRequest.bodyText(body, contentType))
    )
  ).pipe(Effect.flatMap(read), Effect.scoped, Effect.orDie)

/** A valid report form of a 路灯 fault in 金沙 (by position). */
export const lampReport = (
  extra: ReadonlyArray<readonly [string, string]> = []
): ReadonlyArray<readonly [string, string]> => [
  ["api_key", API_KEY],
  ["service_code", LAMP],
  ["lat", String(IN_C1.lat)],
  ["long", String(IN_C1.long)],
  ["attribute[lamp_fault]", "off"],
  ["description", "路灯不亮，晚上很黑"],
  ...extra
]

// -----------------------------------------------------------------------------
// staff commands (to move a reported case along the loop)
// -----------------------------------------------------------------------------

const communityStaff = { id: ActorId.make("cs-1"), role: "community-staff" as const, unitId: C1 }

export const staff = (
  caseId: string,
  millis: number,
  command: "Accept" | "Dispatch" | "Void-duplicate"
): Effect.Effect<CaseService.Executed, unknown, Stores> => {
  const meta = { caseId: Case.CaseId.make(caseId), actor: communityStaff, at: DateTime.unsafeMake(millis) }
  const c: CaseCommand =
    command === "Accept"
      ? { _tag: "Accept", ...meta }
      : command === "Dispatch"
        ? { _tag: "Dispatch", ...meta, target: { _tag: "Department", departmentId: DEPT } }
        : { _tag: "Void", ...meta, reason: "duplicate", note: "与已有案件重复" }
  return CaseService.execute(caseId, () => c)
}

// -----------------------------------------------------------------------------
// the contract
// -----------------------------------------------------------------------------

const W3C_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

const ajv = new Ajv({ allErrors: true, strict: true })
ajv.addFormat("date-time", W3C_DATE_TIME)

export type SchemaName =
  | "discovery"
  | "errors"
  | "post_requests"
  | "requests"
  | "service_definition"
  | "servicerequestupdates"
  | "services"
  | "tokens"

const validators = new Map<SchemaName, ValidateFunction>()

/** The JSON Schema errors of a value (empty when it validates). */
export const contractErrors = async (name: SchemaName, value: unknown): Promise<ReadonlyArray<string>> => {
  let validate = validators.get(name)
  if (validate === undefined) {
    const { readFile } = await import("node:fs/promises")
    const schema: unknown = JSON.parse(
      await readFile(new URL(`./open311-schemas/${name}.json`, import.meta.url), "utf8")
    )
    if (typeof schema !== "object" || schema === null) throw new Error(`schema ${name} is not an object`)
    validate = ajv.getSchema(`open311/${name}.json`) ?? ajv.compile(schema)
    validators.set(name, validate)
  }
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`)
}

// -----------------------------------------------------------------------------
// a strict little XML parser (declaration, elements without attributes, text)
// -----------------------------------------------------------------------------

export interface XmlNode {
  readonly name: string
  readonly children: ReadonlyArray<XmlNode>
  readonly text: string
}

const entities: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }

/** Parses a document; throws on anything not well-formed (mismatched tags, stray `<` or `&`, two roots …). */
export const parseXml = (input: string): XmlNode => {
  let i = 0
  const decl = /^<\?xml version="1\.0" encoding="utf-8"\?>/.exec(input)
  if (decl === null) throw new Error("missing XML declaration")
  i = decl[0].length
  const name = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(input.slice(i, i + 200))
    if (m === null) throw new Error(`bad element name at ${i}`)
    i += m[0].length
    return m[0]
  }
  const text = (): string => {
    let out = ""
    while (i < input.length && input[i] !== "<") {
      const ch = input[i] ?? ""
      if (ch === "&") {
        const end = input.indexOf(";", i)
        if (end < 0) throw new Error(`unterminated entity at ${i}`)
        const ref = input.slice(i + 1, end)
        const decoded = ref.startsWith("#x")
          ? String.fromCodePoint(Number.parseInt(ref.slice(2), 16))
          : ref.startsWith("#")
            ? String.fromCodePoint(Number.parseInt(ref.slice(1), 10))
            : entities[ref]
        if (decoded === undefined) throw new Error(`unknown entity &${ref}; at ${i}`)
        out += decoded
        i = end + 1
      } else if (ch === ">") {
        throw new Error(`raw > at ${i}`)
      } else {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
        if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(ch))
          throw new Error(`forbidden character at ${i}`)
        out += ch
        i++
      }
    }
    return out
  }
  const element = (): XmlNode => {
    if (input[i] !== "<") throw new Error(`expected < at ${i}`)
    i++
    const tag = name()
    if (input.startsWith("/>", i)) {
      i += 2
      return { name: tag, children: [], text: "" }
    }
    if (input[i] !== ">") throw new Error(`expected > at ${i} (attributes are not expected)`)
    i++
    const children: Array<XmlNode> = []
    let content = ""
    for (;;) {
      if (i >= input.length) throw new Error(`unclosed <${tag}>`)
      if (input.startsWith("</", i)) {
        i += 2
        const close = name()
        if (close !== tag) throw new Error(`</${close}> closes <${tag}>`)
        if (input[i] !== ">") throw new Error(`expected > at ${i}`)
        i++
        if (children.length > 0 && content.trim().length > 0) throw new Error(`mixed content in <${tag}>`)
        return { name: tag, children, text: content }
      }
      if (input[i] === "<") children.push(element())
      else content += text()
    }
  }
  const root = element()
  if (i !== input.length) throw new Error(`content after the root element at ${i}`)
  return root
}

/**
 * Whether an XML element carries the same data as a JSON value, by the
 * GeoReport v2 conventions (arrays as repeated children, booleans as
 * `true`/`false`, null as an empty element) — the check is written
 * independently of the encoder. Returns the first difference, if any.
 */
export const sameData = (node: XmlNode, value: unknown, path = node.name): string | undefined => {
  if (value === null || value === undefined) {
    return node.children.length === 0 && node.text === "" ? undefined : `${path}: expected empty`
  }
  if (Array.isArray(value)) {
    if (node.children.length !== value.length) {
      return `${path}: ${node.children.length} children, ${value.length} items`
    }
    for (let k = 0; k < value.length; k++) {
      const child = node.children[k]
      if (child === undefined) return `${path}[${k}] missing`
      const diff = sameData(child, value[k], `${path}/${child.name}[${k}]`)
      if (diff !== undefined) return diff
    }
    return undefined
  }
  if (typeof value === "object") {
    const entries = Object.entries(value)
    if (node.children.length !== entries.length) {
      return `${path}: ${node.children.length} children, ${entries.length} fields`
    }
    for (const [key, v] of entries) {
      const child = node.children.find((c) => c.name === key)
      if (child === undefined) return `${path}/${key} missing`
      const diff = sameData(child, v, `${path}/${key}`)
      if (diff !== undefined) return diff
    }
    return undefined
  }
  const expected = typeof value === "boolean" ? (value ? "true" : "false") : String(value)
  return node.text === expected ? undefined : `${path}: "${node.text}" ≠ "${expected}"`
}
