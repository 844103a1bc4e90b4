/**
 * Fixtures of the case-store tests: a small hierarchy (区 → 街道 → 社区 → 楼栋),
 * the actors of the closed loop, command builders, a random command model
 * (after the core's `Case.property.test.ts`: a legal command in the current
 * state by the right actor, now and then an illegal one), the stores the
 * conformance suite runs against — in memory, SQLite, PostgreSQL — and a
 * writer that runs commands against a store alone (`execute`).
 */

import { type Actor, ActorId, DepartmentId, type Role } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId, type Urgency } from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Tier from "@civicgrid/core/Tier"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Migrations from "../../src/Migrations.js"
import * as SqlCaseRepository from "../../src/SqlCaseRepository.js"
import { type Dialect, dialects } from "./Databases.js"

// -----------------------------------------------------------------------------
// the hierarchy
// -----------------------------------------------------------------------------

export const D = UnitId.make("d-panlong")
export const S1 = UnitId.make("s-qingyun")
export const S2 = UnitId.make("s-other")
export const C1 = UnitId.make("c-jinsha")
export const C2 = UnitId.make("c-yinsha")
export const C3 = UnitId.make("c-other")
/** A sibling whose id extends C1's: a subtree range must not take it for part of C1. */
export const C1X = UnitId.make("c-jinsha-x")
export const B1 = UnitId.make("b-jinsha-1")
/** A building the hierarchy does not know: its cases get a fallback path under their community. */
export const B_UNKNOWN = UnitId.make("b-unknown")
/** A community the hierarchy does not know: its cases get the fallback path `/<community>/<unit>/`. */
export const C_UNKNOWN = UnitId.make("c-unknown")

export const units: ReadonlyArray<{
  readonly id: UnitId
  readonly parentId: UnitId | null
  readonly level: string
  readonly name: string
}> = [
  { id: D, parentId: null, level: "district", name: "盘龙区" },
  { id: S1, parentId: D, level: "street", name: "青云街道" },
  { id: S2, parentId: D, level: "street", name: "其他街道" },
  { id: C1, parentId: S1, level: "community", name: "金沙社区" },
  { id: C2, parentId: S1, level: "community", name: "银沙社区" },
  { id: C3, parentId: S2, level: "community", name: "其他社区" },
  { id: C1X, parentId: S1, level: "community", name: "金沙西社区" },
  { id: B1, parentId: C1, level: "building", name: "金沙1栋" }
]

export const streetOf: Readonly<Record<string, UnitId>> = {
  [C1]: S1,
  [C2]: S1,
  [C1X]: S1,
  [C3]: S2,
  [C_UNKNOWN]: S1
}

/** Inserts the hierarchy into `cg_units` with materialised paths (as the hierarchy store writes them). */
export const seedUnits: Effect.Effect<void, SqlError, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const paths = CaseRepository.unitPaths(units)
  const rows = units.map((u) => {
    const path = paths.get(u.id) ?? `/${u.id}/`
    return {
      id: u.id,
      parent_id: u.parentId,
      level: u.level,
      name: u.name,
      code: null,
      path,
      depth: path.split("/").length - 3
    }
  })
  yield* sql`INSERT INTO cg_units ${sql.insert(rows)}`
})

// -----------------------------------------------------------------------------
// the stores under test
// -----------------------------------------------------------------------------

/** The time limits the stores get in tests: the default policy on the official Chinese calendar. */
export const timeLimits: CaseRepository.TimeLimits = {
  policy: TimeLimit.defaultPolicy,
  calendar: WorkingCalendar.china()
}

/** A store under test: a fresh, empty store with the hierarchy above. */
export interface Store {
  readonly name: string
  readonly make: (options?: {
    readonly timeLimits?: CaseRepository.TimeLimits
  }) => Layer.Layer<CaseRepository.CaseRepository>
}

/** A fresh migrated database of a dialect with the hierarchy seeded, and its client. */
export const freshDatabase = (dialect: Dialect): Layer.Layer<SqlClient.SqlClient> =>
  Layer.effectDiscard(Effect.zipRight(Migrations.run, seedUnits).pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh())
  )

export const sqlStore = (dialect: Dialect): Store => ({
  name: dialect.name,
  make: (options = {}) => SqlCaseRepository.layer(options).pipe(Layer.provide(freshDatabase(dialect)))
})

export const memoryStore: Store = {
  name: "memory",
  make: (options = {}) => CaseRepository.layerMemory({ ...options, units })
}

/** Every store: in memory, SQLite, and PostgreSQL when configured. */
export const stores: ReadonlyArray<Store> = [memoryStore, ...dialects.map(sqlStore)]

// -----------------------------------------------------------------------------
// running commands against the store
// -----------------------------------------------------------------------------

/** What a command did: its events (none when replayed) and the case after them. */
export interface Executed {
  readonly events: ReadonlyArray<CaseEvent>
  readonly state: Case.Case
  readonly replayed: boolean
}

/** The case's state, folded from its stored events. */
export const load = (caseId: string) =>
  Effect.flatMap(CaseRepository.CaseRepository, (repo) =>
    Effect.flatMap(repo.events(caseId), (events) => {
      const state = Case.fold(events)
      return state._tag === "Case" ? Effect.succeed(state) : Effect.dieMessage(`no case ${caseId}`)
    })
  )

/**
 * Runs a command as a writer does, on the store alone (no routing, no
 * referential checks — those are `CaseService`'s): load the case's events,
 * fold, `Case.decide`, append after the version read. With `decided` (the
 * default, as `CaseService` appends) the append carries the history and the
 * state after the events; without, the store reads and folds them itself. An
 * idempotency key applies to `Report` and `SelfHandle`.
 */
export const execute = (
  command: CaseCommand,
  options: { readonly idempotencyKey?: string; readonly decided?: boolean } = {}
): Effect.Effect<
  Executed,
  Case.CaseRefused | CaseRepository.ConcurrencyConflict | StorageUnavailable,
  CaseRepository.CaseRepository
> =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository.CaseRepository
    const creates = command._tag === "Report" || command._tag === "SelfHandle"
    const key = creates ? options.idempotencyKey : undefined
    if (key !== undefined) {
      const existing = yield* repo.findByIdempotencyKey(key)
      if (Option.isSome(existing)) return { events: [], state: yield* load(existing.value), replayed: true }
    }
    const history = yield* repo.events(command.caseId)
    const before = Case.fold(history)
    const events = yield* Case.decide(command, before)
    const after = Case.fold([...history, ...events])
    if (after._tag !== "Case") return yield* Effect.dieMessage("a decided command left no case")
    const result = yield* repo.append({
      caseId: command.caseId,
      expectedVersion: before.version,
      events,
      ...(options.decided === false ? {} : { decided: { history, after } }),
      ...(key === undefined ? {} : { idempotencyKey: key })
    })
    if (result.replayed) return { events: [], state: yield* load(result.caseId), replayed: true }
    return { events, state: after, replayed: false }
  })

// -----------------------------------------------------------------------------
// actors and commands
// -----------------------------------------------------------------------------

export const DEPT_CG = DepartmentId.make("dept-chengguan")
export const DEPT_ZJ = DepartmentId.make("dept-zhujian")

const mk = (id: string, role: Role, unitId: UnitId, departmentId?: DepartmentId): Actor =>
  departmentId === undefined
    ? { id: ActorId.make(id), role, unitId }
    : { id: ActorId.make(id), role, unitId, departmentId }

export const A = {
  resident: mk("resident-1", "resident", C1),
  gridWorker: mk("gw-1", "grid-worker", C1),
  communityStaff: mk("cs-1", "community-staff", C1),
  streetStaff: mk("ss-1", "street-staff", S1),
  districtStaff: mk("ds-1", "district-staff", D),
  chengguan: mk("dp-1", "department", D, DEPT_CG),
  zhujian: mk("dp-2", "department", D, DEPT_ZJ),
  hotline: mk("hotline-1", "hotline", D),
  system: mk("system", "system", D)
}

/** 2024-03-04 09:00 in Beijing (a Monday, a working day). */
export const T0 = Date.UTC(2024, 2, 4, 1, 0)

export const at = (millis: number): DateTime.Utc => DateTime.unsafeMake(millis)

export const CATEGORY = CategoryId.make("市容环境.暴露垃圾")
export const CATEGORY_2 = CategoryId.make("街面秩序.占道经营")

/** A report of a new case in a community, by its grid worker. */
export const report = (
  caseId: string,
  options: {
    readonly at?: number
    readonly community?: UnitId
    readonly unit?: UnitId
    readonly category?: CategoryId
    readonly urgency?: Urgency
    readonly tier?: Tier.Tier
    /** The reporter (default the community's grid worker, source 巡查 patrol). */
    readonly by?: { readonly actor: Actor; readonly source: Case.Source }
  } = {}
): CaseCommand => {
  const community = options.community ?? C1
  const tier = options.tier ?? "community"
  const owner = tier === "community" ? community : tier === "street" ? (streetOf[community] ?? S1) : D
  return {
    _tag: "Report",
    caseId: Case.CaseId.make(caseId),
    actor: options.by?.actor ?? { ...A.gridWorker, unitId: community },
    at: at(options.at ?? T0),
    source: options.by?.source ?? "patrol",
    categoryId: options.category ?? CATEGORY,
    urgency: options.urgency ?? "normal",
    description: "楼道堆放杂物",
    location: { unitId: options.unit ?? community },
    communityId: community,
    tier,
    ...(tier === "community" ? {} : { ownerUnitId: owner }),
    anonymous: false,
    attributes: {}
  }
}

/** 立案 by the community's staff. */
export const accept = (caseId: string, millis: number, community: UnitId = C1): CaseCommand => ({
  _tag: "Accept",
  caseId: Case.CaseId.make(caseId),
  actor: { ...A.communityStaff, unitId: community },
  at: at(millis)
})

/** 派遣 to 城管 by the community's staff. */
export const dispatch = (caseId: string, millis: number, community: UnitId = C1): CaseCommand => ({
  _tag: "Dispatch",
  caseId: Case.CaseId.make(caseId),
  actor: { ...A.communityStaff, unitId: community },
  at: at(millis),
  target: { _tag: "Department", departmentId: DEPT_CG }
})

/** 处置 by 城管. */
export const handle = (caseId: string, millis: number): CaseCommand => ({
  _tag: "Handle",
  caseId: Case.CaseId.make(caseId),
  actor: A.chengguan,
  at: at(millis),
  result: "已清理",
  evidence: ["photo://after.jpg"]
})

/** 核查通过 by the community's staff. */
export const verify = (caseId: string, millis: number, community: UnitId = C1): CaseCommand => ({
  _tag: "Verify",
  caseId: Case.CaseId.make(caseId),
  actor: { ...A.communityStaff, unitId: community },
  at: at(millis),
  outcome: "pass"
})

// -----------------------------------------------------------------------------
// the random command model
// -----------------------------------------------------------------------------

const ownerOf: Record<Tier.Tier, UnitId> = { community: C1, street: S1, district: D }
const staffOf: Record<Tier.Tier, Actor> = {
  community: A.communityStaff,
  street: A.streetStaff,
  district: A.districtStaff
}
const pool: ReadonlyArray<Actor> = Object.values(A)

/** One random step: which command, by whom, when. */
export interface Intent {
  readonly legal: boolean
  readonly tag: number
  readonly actor: number
  readonly dt: number
  readonly variant: number
}

export const intent: fc.Arbitrary<Intent> = fc.record({
  legal: fc.integer({ min: 0, max: 9 }).map((n) => n < 9),
  tag: fc.nat({ max: 1000 }),
  actor: fc.oneof(
    { weight: 9, arbitrary: fc.constant(-1) },
    { weight: 1, arbitrary: fc.nat({ max: pool.length - 1 }) }
  ),
  dt: fc.integer({ min: 0, max: 600 }),
  variant: fc.nat({ max: 1000 })
})

export const intents = (maxLength: number): fc.Arbitrary<ReadonlyArray<Intent>> =>
  fc.array(intent, { minLength: 1, maxLength })

const ending: ReadonlySet<Case.CommandTag> = new Set(["Reject", "Void", "Merge"])

const weight = (tag: Case.CommandTag, state: Case.Case): number => {
  if (ending.has(tag)) return 1
  switch (tag) {
    case "ApproveSuspension":
    case "DenySuspension":
      return state.pendingSuspension === null ? 0 : 10
    case "ApproveExtension":
    case "DenyExtension":
      return state.pendingExtension === null ? 0 : 10
    case "RequestSuspension":
      return state.pendingSuspension === null ? 4 : 0
    case "RequestExtension":
      return state.pendingExtension === null ? 3 : 0
    case "Escalate":
      return 2
    default:
      return 10
  }
}

const legalIn = (state: Case.Case): ReadonlyArray<Case.CommandTag> =>
  Case.transitions
    .filter((t) => t.from === state.status)
    .flatMap((t) => Array.from({ length: weight(t.command, state) }, () => t.command))

const handlerOf = (state: Case.State): Actor => {
  if (state._tag === "NoCase" || state.dispatchTarget === null) return A.chengguan
  const target = state.dispatchTarget
  if (target._tag === "Department") return target.departmentId === DEPT_CG ? A.chengguan : A.zhujian
  return target.unitId === C1 ? A.communityStaff : target.unitId === S1 ? A.streetStaff : A.districtStaff
}

const rightActor = (tag: Case.CommandTag, state: Case.State, variant: number): Actor => {
  const tier = state._tag === "Case" ? state.tier : "community"
  const authority = Case.authorities[tag][variant % Case.authorities[tag].length] ?? "owning-tier-staff"
  switch (authority) {
    case "reporter":
      return variant % 3 === 0 ? A.resident : A.gridWorker
    case "community-grid-worker":
      return A.gridWorker
    case "owning-tier-staff":
      return staffOf[tier]
    case "handler":
      return handlerOf(state)
    case "system":
      return A.system
    case "hotline":
      return A.hotline
    case "community-staff":
      return A.communityStaff
    case "anyone":
      return variant % 3 === 0 ? A.resident : variant % 3 === 1 ? A.system : staffOf[tier]
    case "supervisor":
      return variant % 2 === 0 ? A.streetStaff : A.districtStaff
  }
}

const targets: ReadonlyArray<Case.DispatchTarget> = [
  { _tag: "Department", departmentId: DEPT_CG },
  { _tag: "Department", departmentId: DEPT_ZJ },
  { _tag: "Unit", unitId: C1 },
  { _tag: "Unit", unitId: S1 }
]
const locations: ReadonlyArray<UnitId> = [C1, B1, B_UNKNOWN]

/** The command an intent stands for, in a state, for a case, at an instant. */
export const build = (i: Intent, state: Case.State, caseId: Case.CaseId, now: DateTime.Utc): CaseCommand => {
  const legalTags: ReadonlyArray<Case.CommandTag> =
    state._tag === "NoCase" ? [i.variant % 5 === 0 ? "SelfHandle" : "Report"] : legalIn(state)
  const tag: Case.CommandTag =
    i.legal && legalTags.length > 0
      ? (legalTags[i.tag % legalTags.length] ?? "Accept")
      : (Case.commandTags[i.tag % Case.commandTags.length] ?? "Accept")
  const actor = i.actor < 0 ? rightActor(tag, state, i.variant) : (pool[i.actor] ?? A.resident)
  const meta = { caseId, actor, at: now }
  const tier = state._tag === "Case" ? state.tier : "community"
  const v = i.variant
  switch (tag) {
    case "Report":
    case "SelfHandle": {
      const startTier: Tier.Tier = v % 7 === 0 ? "street" : v % 11 === 0 ? "district" : "community"
      const fields = {
        ...meta,
        source: Case.Source.literals[v % Case.Source.literals.length] ?? "patrol",
        categoryId: v % 2 === 0 ? CATEGORY : CATEGORY_2,
        urgency: v % 4 === 0 ? ("urgent" as const) : ("normal" as const),
        description: "楼道堆放杂物",
        location: { unitId: locations[v % locations.length] ?? C1 },
        communityId: C1,
        tier: startTier,
        ...(startTier === "community" ? {} : { ownerUnitId: ownerOf[startTier] }),
        anonymous: v % 6 === 0,
        attributes: { floor: 3 }
      }
      return tag === "Report"
        ? { _tag: "Report", ...fields }
        : { _tag: "SelfHandle", ...fields, result: "已清理", evidence: ["photo://after.jpg"] }
    }
    case "Accept":
      return { _tag: "Accept", ...meta }
    case "Reject":
      return { _tag: "Reject", ...meta, reason: "不属于受理范围" }
    case "Void":
      return { _tag: "Void", ...meta, reason: v % 2 === 0 ? "duplicate" : "invalid", note: "重复上报" }
    case "Dispatch":
      return {
        _tag: "Dispatch",
        ...meta,
        target: targets[v % targets.length] ?? targets[0] ?? { _tag: "Unit", unitId: C1 }
      }
    case "Return":
      return { _tag: "Return", ...meta, reason: "非本部门职责" }
    case "Handle":
      return { _tag: "Handle", ...meta, result: "已处置", evidence: [`photo://${v}.jpg`] }
    case "Verify":
      return v % 3 === 0
        ? { _tag: "Verify", ...meta, outcome: "fail", note: "现场仍有垃圾" }
        : { _tag: "Verify", ...meta, outcome: "pass" }
    case "Evaluate":
      return {
        _tag: "Evaluate",
        ...meta,
        rating: Case.Rating.literals[v % Case.Rating.literals.length] ?? "satisfied"
      }
    case "Reopen":
      return { _tag: "Reopen", ...meta, reason: "群众不满意", to: v % 2 === 0 ? "handling" : "dispatch" }
    case "RequestSuspension":
      return { _tag: "RequestSuspension", ...meta, reason: "等待产权单位确认" }
    case "ApproveSuspension":
      return { _tag: "ApproveSuspension", ...meta }
    case "DenySuspension":
      return { _tag: "DenySuspension", ...meta, reason: "理由不充分" }
    case "Resume":
      return { _tag: "Resume", ...meta }
    case "RequestExtension":
      return {
        _tag: "RequestExtension",
        ...meta,
        amount: { amount: 1 + (v % 5), unit: "working-days" },
        reason: "需协调施工单位"
      }
    case "ApproveExtension":
      return v % 2 === 0
        ? { _tag: "ApproveExtension", ...meta }
        : { _tag: "ApproveExtension", ...meta, amount: { amount: 1, unit: "natural-hours" } }
    case "DenyExtension":
      return { _tag: "DenyExtension", ...meta, reason: "不予延期" }
    case "Merge":
      return { _tag: "Merge", ...meta, targetId: Case.CaseId.make(`${caseId}-target`) }
    case "Escalate": {
      const up = Tier.next(tier)
      return {
        _tag: "Escalate",
        ...meta,
        toUnitId: up._tag === "Some" ? ownerOf[up.value] : D,
        reason: "超期未办结"
      }
    }
    case "Supervise":
      return { _tag: "Supervise", ...meta, level: v % 2 === 0 ? "urge" : "supervise", note: "请加快办理" }
    case "Comment":
      return {
        _tag: "Comment",
        ...meta,
        text: "群众补充说明",
        // a resident comments publicly; staff sometimes internally (a refusal otherwise)
        visibility: actor.role !== "resident" && v % 2 === 0 ? "internal" : "public",
        ...(v % 3 === 0 ? { media: [`https://example.org/${v}.jpg`] } : {})
      }
  }
}
