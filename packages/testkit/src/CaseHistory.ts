/**
 * 案件历史生成器 — one generator of **valid case histories** for every
 * property test: random walks through the closed loop 案件闭环 that
 * the decider accepts, command by command.
 *
 * How a walk is built, step by step:
 *
 * 1. the command tag is drawn from the rows of `Case.transitions` that start
 *    at the case's status (`"none"` before the case exists) — the loop table
 *    as data, so a new row is walked the day it appears (a comment, allowed
 *    in every status, is drawn now and then; a walk that reaches an end —
 *    rejected, voided, merged — mostly stops there);
 * 2. the command's **payload comes from its schema** (`Arbitrary.make` of the
 *    `CaseCommand` member): every field, every optional field present or
 *    absent, so a field added to a command schema tomorrow is generated
 *    without editing this file. The walk overrides only what ties the command
 *    to the case and the world: `caseId`, `actor` (role, unit, department
 *    fitting one of `Case.authorities[tag]`; the id comes from the schema),
 *    `at`, and the targets — a report's community, location unit and owner
 *    unit, a dispatch target's unit or department, a merge's target case, an
 *    escalation's unit (the next tier's owner);
 * 3. the candidate goes through `Case.decide`: accepted, its events are
 *    applied; refused (a blank reason, an amount that is no whole number, a
 *    source that does not fit the role …), it is kept apart in `refused` and
 *    another candidate is drawn — so the generator follows the decider's
 *    rules as they change.
 *
 * Instants increase (equal instants happen, as in real life); with
 * `workingHours` (the default) every instant is working time on the working
 * calendar, so time limits and timer lights mean something.
 *
 * ```ts
 * import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
 *
 * it.prop("…", [CaseHistory.history()], ([h]) => {
 *   expect(Case.fold(h.events)).toEqual(h.state)
 * })
 * it.prop("…", [CaseHistory.histories({ cases: { min: 1, max: 8 } })], ([hs]) => {
 *   // hs.cases: one CaseHistory per case; hs.events: every event, in time order
 * })
 * ```
 *
 * **Shrinking.** Every draw of a walk is a shrink point, so shrinking a
 * failing walk can take minutes; properties over histories pass
 * `parameters` (`endOnFailure`: report the first counterexample as found,
 * with its seed and path to replay it) to keep a red run short.
 *
 * Texts are what the command schemas admit (`Text`: bounded, without control
 * characters), so a generated command never carries NUL or an over-long text,
 * and long texts up to the limits (a 4,000-character description) come up
 * now and then.
 *
 * @since 0.1.0
 */
import { type Actor, DepartmentId, type Role, Role as RoleSchema, staffRole } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import * as CaseCommand from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import type { Tier } from "@civicgrid/core/Tier"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"

// -----------------------------------------------------------------------------
// the command schemas
// -----------------------------------------------------------------------------

type CommandSchema = Schema.Schema<
  CaseCommand.CaseCommand,
  Schema.Schema.Encoded<typeof CaseCommand.CaseCommand>
>

const tagOfAst = (ast: SchemaAST.AST): string | undefined => {
  const tag = SchemaAST.getPropertySignatures(ast).find((p) => p.name === "_tag")
  return tag !== undefined && SchemaAST.isLiteral(tag.type) && typeof tag.type.literal === "string"
    ? tag.type.literal
    : undefined
}

/**
 * 指令模式 — every member of the `CaseCommand` union by its tag, read from the
 * union itself (a new command appears here without editing this file).
 *
 * @since 0.1.0
 * @category schemas
 */
export const commandSchemas: ReadonlyMap<Case.CommandTag, CommandSchema> = new Map(
  CaseCommand.CaseCommand.members.flatMap((member): Array<[Case.CommandTag, CommandSchema]> => {
    const tag = tagOfAst(member.ast)
    return tag !== undefined && Schema.is(Case.CommandTag)(tag)
      ? [[tag, member as unknown as CommandSchema]]
      : []
  })
)

/**
 * 可选字段 — the dotted paths of every optional field of a schema, nested
 * structs and union members included (e.g. `location.gridId`,
 * `actor.departmentId`, `resolved`), read from its AST.
 *
 * @since 0.1.0
 * @category schemas
 */
export const optionalPaths = (ast: SchemaAST.AST): ReadonlyArray<string> => {
  const out = new Set<string>()
  const visit = (node: SchemaAST.AST, prefix: string, seen: ReadonlySet<SchemaAST.AST>): void => {
    if (seen.has(node)) return
    const next = new Set(seen).add(node)
    if (node._tag === "TypeLiteral") {
      for (const p of node.propertySignatures) {
        if (typeof p.name !== "string") continue
        const path = prefix === "" ? p.name : `${prefix}.${p.name}`
        if (p.isOptional) out.add(path)
        visit(p.type, path, next)
      }
    } else if (node._tag === "Union") {
      for (const member of node.types) visit(member, prefix, next)
    } else if (node._tag === "Refinement") {
      visit(node.from, prefix, next)
    } else if (node._tag === "Transformation") {
      visit(node.to, prefix, next)
    } else if (node._tag === "Suspend") {
      visit(node.f(), prefix, next)
    }
  }
  visit(SchemaAST.typeAST(ast), "", new Set())
  return [...out]
}

/**
 * Whether the value has the field at a dotted path (`present`), lacks it
 * while its parent object is there (`absent`), or has no parent object there
 * (`n/a`, e.g. a union member that is not this one).
 *
 * @since 0.1.0
 * @category schemas
 */
export const fieldAt = (value: unknown, path: string): "present" | "absent" | "n/a" => {
  const keys = path.split(".")
  let at: unknown = value
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] ?? ""
    if (typeof at !== "object" || at === null || !(key in at)) return "n/a"
    at = (at as Record<string, unknown>)[key]
  }
  if (typeof at !== "object" || at === null || Array.isArray(at)) return "n/a"
  return (keys[keys.length - 1] ?? "") in at ? "present" : "absent"
}

const builders = new Map<Case.CommandTag, () => fc.Arbitrary<CaseCommand.CaseCommand>>()
const builderOf = (tag: Case.CommandTag): (() => fc.Arbitrary<CaseCommand.CaseCommand>) => {
  const known = builders.get(tag)
  if (known !== undefined) return known
  const schema = commandSchemas.get(tag)
  if (schema === undefined) throw new Error(`no schema for command ${tag}`)
  const arbitrary = Arbitrary.make(schema)
  const builder = () => arbitrary
  builders.set(tag, builder)
  return builder
}

const caseIdArbitrary = Arbitrary.make(Case.CaseId)
const actorArbitrary = Arbitrary.make(Schema.typeSchema(CaseCommand.meta.actor))
const caseIdBuilder = () => caseIdArbitrary
const actorBuilder = () => actorArbitrary

/**
 * fast-check parameters for properties over histories: stop at the first
 * counterexample instead of shrinking it (see the module documentation).
 *
 * @since 0.1.0
 * @category constants
 */
export const parameters = { endOnFailure: true } as const

// -----------------------------------------------------------------------------
// the world
// -----------------------------------------------------------------------------

/**
 * 世界 — the units and departments a walk acts in. `units` is a tree of
 * flat rows (one `district` root, `street`s below it, `community`s below
 * them, anything below a community is a place a case can happen); levels by
 * name as in `LevelScheme.FiveLevel`.
 *
 * @since 0.1.0
 * @category models
 */
export interface World {
  readonly units: ReadonlyArray<{
    readonly id: UnitId
    readonly parentId: UnitId | null
    readonly level: string
    readonly name: string
  }>
  readonly departments: ReadonlyArray<DepartmentId>
}

const u = UnitId.make

/**
 * A small district: 盘龙区 with two streets, three communities (one with a
 * compound and a building) and two departments (城管, 住建).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWorld: World = {
  units: [
    { id: u("d-panlong"), parentId: null, level: "district", name: "盘龙区" },
    { id: u("s-qingyun"), parentId: u("d-panlong"), level: "street", name: "青云街道" },
    { id: u("s-tuodong"), parentId: u("d-panlong"), level: "street", name: "拓东街道" },
    { id: u("c-jinsha"), parentId: u("s-qingyun"), level: "community", name: "金沙社区" },
    { id: u("c-beijinglu"), parentId: u("s-qingyun"), level: "community", name: "北京路社区" },
    { id: u("c-nanhua"), parentId: u("s-tuodong"), level: "community", name: "南华社区" },
    { id: u("k-jinsha-yuan"), parentId: u("c-jinsha"), level: "compound", name: "金沙苑" },
    { id: u("b-jinsha-yuan-3"), parentId: u("k-jinsha-yuan"), level: "building", name: "金沙苑3栋" }
  ],
  departments: [DepartmentId.make("dept-chengguan"), DepartmentId.make("dept-zhujian")]
}

interface Places {
  readonly root: UnitId
  readonly communities: ReadonlyArray<UnitId>
  /** community → the units a case there can happen at (the community and everything below it). */
  readonly placesIn: ReadonlyMap<UnitId, ReadonlyArray<UnitId>>
  /** community → its owner unit at each tier. */
  readonly ownerAt: (community: UnitId, tier: Tier) => UnitId
  readonly all: ReadonlyArray<UnitId>
}

const placesCache = new WeakMap<World, Places>()
const placesOf = (world: World): Places => {
  const cached = placesCache.get(world)
  if (cached !== undefined) return cached
  const parent = new Map(world.units.map((x) => [x.id, x.parentId]))
  const level = new Map(world.units.map((x) => [x.id, x.level]))
  const root = world.units.find((x) => x.parentId === null)?.id
  if (root === undefined) throw new Error("CaseHistory: the world has no root unit")
  const ancestorAt = (id: UnitId, wanted: string): UnitId | undefined => {
    let at: UnitId | null | undefined = id
    while (at !== null && at !== undefined) {
      if (level.get(at) === wanted) return at
      at = parent.get(at)
    }
    return undefined
  }
  const communities = world.units.filter((x) => x.level === "community").map((x) => x.id)
  if (communities.length === 0) throw new Error("CaseHistory: the world has no community")
  const placesIn = new Map<UnitId, Array<UnitId>>(communities.map((c) => [c, []]))
  for (const x of world.units) {
    const c = ancestorAt(x.id, "community")
    if (c !== undefined) placesIn.get(c)?.push(x.id)
  }
  const places: Places = {
    root,
    communities,
    placesIn,
    ownerAt: (community, tier) =>
      tier === "community"
        ? community
        : (ancestorAt(community, tier) ?? (tier === "district" ? root : community)),
    all: world.units.map((x) => x.id)
  }
  placesCache.set(world, places)
  return places
}

// -----------------------------------------------------------------------------
// options
// -----------------------------------------------------------------------------

/**
 * 生成选项.
 *
 * - `world` the units and departments (default `defaultWorld`);
 * - `from`, `to` the time range the histories start and stay in (default
 *   2024-03-01 … 2025-12-31, years the official calendar has);
 * - `workingHours` every instant is working time on `calendar` (default
 *   true; `calendar` default `WorkingCalendar.china()`);
 * - `maxCommands` the most accepted commands per case (default 24);
 * - `roles` the roles actors may have (default every role; e.g. leave out
 *   `hotline` and `system` for an API whose principals cannot hold them);
 * - `attempts` candidates drawn per step before a walk stops (default 40).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly world?: World
  readonly from?: Date
  readonly to?: Date
  readonly workingHours?: boolean
  readonly calendar?: WorkingCalendar.WorkingCalendar
  readonly maxCommands?: number
  readonly roles?: ReadonlyArray<Role>
  readonly attempts?: number
}

interface Settings {
  readonly world: World
  readonly places: Places
  readonly from: number
  readonly to: number
  readonly calendar: WorkingCalendar.WorkingCalendar | undefined
  readonly maxCommands: number
  readonly roles: ReadonlySet<Role>
  readonly attempts: number
}

let china: WorkingCalendar.WorkingCalendar | undefined
const settingsOf = (options: Options): Settings => {
  const world = options.world ?? defaultWorld
  const workingHours = options.workingHours ?? true
  if (workingHours && options.calendar === undefined && china === undefined) china = WorkingCalendar.china()
  return {
    world,
    places: placesOf(world),
    from: (options.from ?? new Date(Date.UTC(2024, 2, 1))).getTime(),
    to: (options.to ?? new Date(Date.UTC(2025, 11, 31))).getTime(),
    calendar: workingHours ? (options.calendar ?? china) : undefined,
    maxCommands: options.maxCommands ?? 24,
    roles: new Set(options.roles ?? RoleSchema.literals),
    attempts: options.attempts ?? 40
  }
}

// -----------------------------------------------------------------------------
// one step
// -----------------------------------------------------------------------------

/**
 * A refused candidate: the command, the state it was decided against, the refusal.
 *
 * @since 0.1.0
 * @category models
 */
export interface Refusal {
  readonly command: CaseCommand.CaseCommand
  readonly state: Case.State
  readonly error: Case.CaseRefused
}

/**
 * What a step needs besides the state: the case, the instant, the cases it
 * may be merged into.
 *
 * @since 0.1.0
 * @category models
 */
export interface StepContext {
  readonly caseId: Case.CaseId
  readonly at: DateTime.Utc
  /** Other cases (merge targets); empty: the schema's own `targetId`. */
  readonly others?: ReadonlyArray<Case.CaseId>
}

/** Commands that end a case early: drawn rarely so walks reach deep into the loop. */
const ending: ReadonlySet<string> = new Set(["Reject", "Void", "Merge"])

const weightOf = (tag: Case.CommandTag, state: Case.State): number => {
  if (ending.has(tag)) return 1
  if (state._tag === "NoCase") return tag === "Report" ? 3 : 1
  switch (tag) {
    case "ApproveSuspension":
    case "DenySuspension":
      return state.pendingSuspension === null ? 0 : 20
    case "ApproveExtension":
    case "DenyExtension":
      return state.pendingExtension === null ? 0 : 30
    case "RequestSuspension":
      return state.pendingSuspension === null ? 4 : 0
    case "RequestExtension":
      return state.pendingExtension === null ? 4 : 0
    case "Escalate":
      return 2
    case "Comment":
    case "Supervise":
      // allowed in every (open) status: drawn now and then, so walks still move through the loop
      return 2
    default:
      return 10
  }
}

const tagsIn = (state: Case.State): ReadonlyArray<fc.WeightedArbitrary<Case.CommandTag>> => {
  const from = state._tag === "Case" ? state.status : "none"
  return Case.transitions
    .filter((t) => t.from === from)
    .map((t) => ({ weight: weightOf(t.command, state), arbitrary: fc.constant(t.command) }))
    .filter((w) => w.weight > 0)
}

const pick = <A>(g: fc.GeneratorValue, items: ReadonlyArray<A>): A | undefined =>
  items.length === 0 ? undefined : items[g(fc.nat, { max: items.length - 1 })]

const unitHandlerRoles: ReadonlyArray<Role> = [
  "grid-worker",
  "community-staff",
  "street-staff",
  "district-staff",
  "department"
]

/** An actor of `role` for `unitId`, the id (and a non-department's optional department) from the schema. */
const actorAs = (
  g: fc.GeneratorValue,
  s: Settings,
  role: Role,
  unitId: UnitId,
  department?: DepartmentId
): Actor => {
  const base = g(actorBuilder)
  const { departmentId: _ignored, ...rest } = base
  if (role === "department") {
    const departmentId = department ?? pick(g, s.world.departments)
    return departmentId === undefined ? { ...rest, role, unitId } : { ...rest, role, unitId, departmentId }
  }
  return { ...base, role, unitId }
}

/** An actor fitting one of the command's authorities in the state, among the allowed roles. */
const actorFor = (
  g: fc.GeneratorValue,
  s: Settings,
  tag: Case.CommandTag,
  state: Case.State,
  report: { readonly communityId: UnitId; readonly tier: Tier; readonly ownerUnitId: UnitId } | undefined
): Actor | undefined => {
  const p = s.places
  const ctx =
    state._tag === "Case"
      ? { communityId: state.communityId, tier: state.tier, ownerUnitId: state.ownerUnitId }
      : (report ?? {
          communityId: p.communities[0] ?? p.root,
          tier: "community" as const,
          ownerUnitId: p.root
        })
  const homeOf = (role: Role): UnitId =>
    role === "street-staff"
      ? p.ownerAt(ctx.communityId, "street")
      : role === "district-staff" || role === "hotline" || role === "system" || role === "department"
        ? p.ownerAt(ctx.communityId, "district")
        : ctx.communityId
  const options: Array<Actor> = []
  const add = (role: Role, unitId: UnitId, department?: DepartmentId) => {
    if (s.roles.has(role)) options.push(actorAs(g, s, role, unitId, department))
  }
  const authority = pick(g, Case.authorities[tag])
  switch (authority) {
    case "reporter": {
      const role = pick(
        g,
        RoleSchema.literals.filter((r) => r !== "system" && s.roles.has(r))
      )
      if (role !== undefined) add(role, homeOf(role))
      break
    }
    case "community-grid-worker":
      add("grid-worker", ctx.communityId)
      break
    case "owning-tier-staff":
      add(staffRole[ctx.tier], ctx.ownerUnitId)
      break
    case "community-staff":
      add("community-staff", ctx.communityId)
      break
    case "system":
      add("system", homeOf("system"))
      break
    case "hotline":
      add("hotline", homeOf("hotline"))
      break
    case "supervisor": {
      const role = pick(
        g,
        (["street-staff", "district-staff"] as const).filter((r) => s.roles.has(r))
      )
      if (role !== undefined) add(role, homeOf(role))
      break
    }
    case "anyone": {
      const role = pick(
        g,
        RoleSchema.literals.filter((r) => s.roles.has(r))
      )
      if (role !== undefined) add(role, homeOf(role))
      break
    }
    case "handler": {
      const target = state._tag === "Case" ? state.dispatchTarget : null
      if (target === null) break
      if (target._tag === "Department") add("department", homeOf("department"), target.departmentId)
      else {
        const role = pick(
          g,
          unitHandlerRoles.filter((r) => r !== "department" && s.roles.has(r))
        )
        if (role !== undefined) add(role, target.unitId)
      }
      break
    }
    default:
      break
  }
  return options[0]
}

/**
 * The candidate for a tag: the schema's payload with the walk's case, actor,
 * instant and targets. Undefined when no allowed role can issue it.
 */
const candidate = (
  g: fc.GeneratorValue,
  s: Settings,
  tag: Case.CommandTag,
  state: Case.State,
  ctx: StepContext
): CaseCommand.CaseCommand | undefined => {
  const base = g(builderOf(tag))
  const p = s.places
  const meta = { caseId: ctx.caseId, at: ctx.at }
  switch (base._tag) {
    case "Report":
    case "SelfHandle": {
      const communityId = pick(g, p.communities) ?? p.root
      const unitId = pick(g, p.placesIn.get(communityId) ?? []) ?? communityId
      const owner = p.ownerAt(communityId, base.tier)
      const { ownerUnitId, ...rest } = base
      const placed = {
        ...rest,
        communityId,
        location: { ...base.location, unitId },
        ...(base.tier === "community" && ownerUnitId === undefined ? {} : { ownerUnitId: owner })
      }
      const actor = actorFor(g, s, tag, state, { communityId, tier: base.tier, ownerUnitId: owner })
      return actor === undefined ? undefined : { ...placed, ...meta, actor }
    }
    default: {
      const actor = actorFor(g, s, tag, state, undefined)
      if (actor === undefined) return undefined
      const command = { ...base, ...meta, actor }
      switch (command._tag) {
        case "Dispatch": {
          const target = command.target
          if (target._tag === "Unit") {
            return { ...command, target: { ...target, unitId: pick(g, p.all) ?? target.unitId } }
          }
          const departmentId = pick(g, s.world.departments)
          return departmentId === undefined ? command : { ...command, target: { ...target, departmentId } }
        }
        case "Merge": {
          const others = (ctx.others ?? []).filter((id) => id !== ctx.caseId)
          return { ...command, targetId: pick(g, others) ?? command.targetId }
        }
        case "Escalate": {
          if (state._tag !== "Case") return command
          const next: Tier | undefined =
            state.tier === "community" ? "street" : state.tier === "street" ? "district" : undefined
          return next === undefined ? command : { ...command, toUnitId: p.ownerAt(state.communityId, next) }
        }
        default:
          return command
      }
    }
  }
}

/**
 * 一步 — one valid command in the state, or `undefined` when `attempts`
 * candidates were all refused (or nothing is allowed in the status). Every
 * refused candidate is passed to `onRefused`. For walks driven from outside,
 * e.g. against a server's state.
 *
 * @since 0.1.0
 * @category generators
 */
export const nextCommand = (
  g: fc.GeneratorValue,
  state: Case.State,
  ctx: StepContext,
  options: Options = {},
  onRefused: (refusal: Refusal) => void = () => {}
): { readonly command: CaseCommand.CaseCommand; readonly events: ReadonlyArray<CaseEvent> } | undefined =>
  step(g, settingsOf(options), state, ctx, onRefused)

const step = (
  g: fc.GeneratorValue,
  s: Settings,
  state: Case.State,
  ctx: StepContext,
  onRefused: (refusal: Refusal) => void
): { readonly command: CaseCommand.CaseCommand; readonly events: ReadonlyArray<CaseEvent> } | undefined => {
  const tags = tagsIn(state)
  if (tags.length === 0) return undefined
  const tagArbitrary = fc.oneof(...tags)
  const tagBuilder = () => tagArbitrary
  // creating a case meets the most rules at once (role and source, tier and owner, contact): more tries
  const attempts = state._tag === "NoCase" ? s.attempts * 4 : s.attempts
  for (let attempt = 0; attempt < attempts; attempt++) {
    const tag = g(tagBuilder)
    const command = candidate(g, s, tag, state, ctx)
    if (command === undefined) continue
    const decided = Case.decide(command, state)
    if (Either.isRight(decided)) return { command, events: decided.right }
    onRefused({ command, state, error: decided.left })
  }
  return undefined
}

// -----------------------------------------------------------------------------
// time
// -----------------------------------------------------------------------------

const MINUTE = 60_000
const delayArbitrary = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 59 }).map((m) => m * MINUTE) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 8 }).map((h) => h * 60 * MINUTE) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 }).map((d) => d * 24 * 60 * MINUTE) }
)
const delayBuilder = () => delayArbitrary

/** The instant itself, or with working hours the next working instant (unchanged where no schedule is loaded). */
const working = (s: Settings, millis: number): number => {
  if (s.calendar === undefined) return millis
  const next = WorkingCalendar.nextWorkingInstant(s.calendar, DateTime.unsafeMake(millis))
  return Either.isRight(next) ? next.right.epochMillis : millis
}

/**
 * 下一时刻 — a random instant at or after `millis` (0 … several days later),
 * on working time when `workingHours` (default true).
 *
 * @since 0.1.0
 * @category generators
 */
export const nextInstant = (g: fc.GeneratorValue, millis: number, options: Options = {}): number =>
  working(settingsOf(options), millis + g(delayBuilder))

// -----------------------------------------------------------------------------
// histories
// -----------------------------------------------------------------------------

/**
 * 案件历史 — one case's walk: the accepted `commands` in order, the `events`
 * they caused (sequences 1 … n), the `state` they fold to, and the candidates
 * the decider `refused` on the way (with the state they met).
 *
 * @since 0.1.0
 * @category models
 */
export interface CaseHistory {
  readonly caseId: Case.CaseId
  readonly commands: ReadonlyArray<CaseCommand.CaseCommand>
  readonly events: ReadonlyArray<CaseEvent>
  readonly state: Case.State
  readonly refused: ReadonlyArray<Refusal>
}

/**
 * 多案件历史 — several cases' walks (`cases`, distinct ids; merges target one
 * another), and every command and event of them all in time order (`commands`,
 * `events`; stable: one case's order is kept).
 *
 * @since 0.1.0
 * @category models
 */
export interface Histories {
  readonly cases: ReadonlyArray<CaseHistory>
  readonly commands: ReadonlyArray<CaseCommand.CaseCommand>
  readonly events: ReadonlyArray<CaseEvent>
}

const walk = (
  g: fc.GeneratorValue,
  s: Settings,
  caseId: Case.CaseId,
  others: ReadonlyArray<Case.CaseId>
): CaseHistory => {
  const commands: Array<CaseCommand.CaseCommand> = []
  const events: Array<CaseEvent> = []
  const refused: Array<Refusal> = []
  let state: Case.State = Case.initial
  // a case starts in the first three quarters of the range, so its walk has time to run
  const startRange = Math.max(0, Math.floor((s.to - s.from) / MINUTE / 4) * 3)
  let now = working(s, s.from + g(fc.nat, { max: startRange }) * MINUTE)
  const length = g(fc.integer, { min: 1, max: s.maxCommands })
  while (commands.length < length && now <= s.to) {
    // an ended case (rejected, voided, merged) takes only comments: a walk goes on commenting now and then
    if (state._tag === "Case" && Case.isEnd(state.status) && g(fc.nat, { max: 3 }) > 0) break
    const next = step(g, s, state, { caseId, at: DateTime.unsafeMake(now), others }, (r) => refused.push(r))
    if (next === undefined) break
    commands.push(next.command)
    events.push(...next.events)
    state = next.events.reduce(Case.evolve, state)
    now = working(s, now + g(delayBuilder))
  }
  return { caseId, commands, events, state, refused }
}

/** Distinct case ids from the schema (a repeat gets a `#k` suffix). */
const distinctIds = (g: fc.GeneratorValue, n: number): ReadonlyArray<Case.CaseId> => {
  const out: Array<Case.CaseId> = []
  const seen = new Set<string>()
  for (let k = 0; k < n; k++) {
    let id: string = g(caseIdBuilder)
    if (seen.has(id)) id = `${id}#${k}`
    seen.add(id)
    out.push(Case.CaseId.make(id))
  }
  return out
}

/**
 * `fc.gen()` draws from a clone of the random source and leaves the source
 * itself where it was: generated twice from one source (as `.filter` does
 * after a rejection) it gives the same walk again — a filter that rejects it
 * would loop for ever. Drawing a number first moves the source on, so every
 * generation is a new walk and the arbitraries can be filtered.
 */
const walks = (): fc.Arbitrary<fc.GeneratorValue> => fc.tuple(fc.nat(), fc.gen()).map(([, g]) => g)

/**
 * 单案件历史 — an arbitrary of one valid case history (see the module
 * documentation). Shrinks towards shorter walks.
 *
 * @since 0.1.0
 * @category generators
 */
export const history = (options: Options = {}): fc.Arbitrary<CaseHistory> => {
  const s = settingsOf(options)
  return walks().map((g) => walk(g, s, distinctIds(g, 1)[0] ?? Case.CaseId.make("case"), []))
}

/**
 * 多案件历史 — an arbitrary of several cases' valid histories (`cases`: how
 * many, default 1 … 6); a merge targets another generated case.
 *
 * @since 0.1.0
 * @category generators
 */
export const histories = (
  options: Options & { readonly cases?: { readonly min?: number; readonly max?: number } } = {}
): fc.Arbitrary<Histories> => {
  const s = settingsOf(options)
  const min = options.cases?.min ?? 1
  const max = options.cases?.max ?? 6
  return walks().map((g) => {
    const ids = distinctIds(g, g(fc.integer, { min, max }))
    const cases = ids.map((id) => walk(g, s, id, ids))
    const stamped = cases.flatMap((h, c) =>
      h.commands.map((command, k) => ({ at: command.at.epochMillis, c, k, command }))
    )
    stamped.sort((a, b) => a.at - b.at || a.c - b.c || a.k - b.k)
    const events = cases
      .flatMap((h, c) => h.events.map((e) => ({ at: e.at.epochMillis, c, k: e.sequence, e })))
      .sort((a, b) => a.at - b.at || a.c - b.c || a.k - b.k)
      .map((x) => x.e)
    return { cases, commands: stamped.map((x) => x.command), events }
  })
}
