/**
 * 组织与岗位仓库 — the port through which bodies 组织机构, posts 岗位 (with
 * their appointment history 任职记录), party memberships 党员关系, compounds 小区
 * with their management, the people who hold posts 任职人员, cadre appraisals
 * 干部考核, the weak-and-lax flags of party organisations 软弱涣散, the founding
 * of compound party organisations 小区党组织组建 and award rounds 评选表彰 are
 * stored, with the population 社区人口 of each community
 * or village (the headcount rule reads it) and the staff placed by the role
 * table below the grid 楼道力量 (楼道长, 十户长 …). The core declares it; `@civicgrid/sql` implements
 * it (`SqlOrganizationRepository`) and `layerMemory` keeps it in memory on top
 * of a `HierarchyRepository`.
 *
 * - Bodies, posts, compounds, people and appraisals are **upserted** (by id;
 *   appraisals by cadre and period; weak-and-lax flags by body and period;
 *   memberships by person, body, kind and start). A post whose term ended stays: the posts of a body over time are
 *   its appointment history. A write names only what the store holds (units
 *   of the hierarchy, stored bodies), else it is refused whole
 *   (`UnitNotFound`, `BodyNotFound`) and nothing is written.
 * - Lists are read **by jurisdiction** (`within`: a body's unit, a post's or
 *   membership's body's unit, a compound's own unit, an appraisal's unit, a
 *   weak-and-lax flag's body's unit, a founding's compound, a round's unit).
 * - The founding of a compound party organisation (`CompoundPartyFounding`)
 *   and award rounds (`Award`) are **event streams**: events are appended after
 *   the version the writer last saw (`checkFoundingAppend`,
 *   `checkAwardAppend`); a concurrent writer gets `FoundingConcurrencyConflict`
 *   / `AwardConcurrencyConflict`, never a lost or doubled event.
 * - People are never listed: they are read by id (`people`) for those who
 *   hold posts; the output layer masks names and phones (`Resident.maskName`,
 *   `Resident.maskPhone`).
 *
 * The use cases `check` (`OrganizationRules`, `Membership.check`,
 * `CadreAppraisal.check` over what is stored within a jurisdiction),
 * `metrics` (`OrganizationMetrics`) and `directory` (the 公示牌 of a building)
 * read through the port.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Award from "./Award.js"
import * as Body from "./Body.js"
import * as CadreAppraisal from "./CadreAppraisal.js"
import type * as Compound from "./Compound.js"
import * as CompoundPartyFounding from "./CompoundPartyFounding.js"
import * as Decider from "./Decider.js"
import * as Hierarchy from "./Hierarchy.js"
import { HierarchyRepository } from "./HierarchyRepository.js"
import * as internal from "./internal/memoryOrganization.js"
import * as Membership from "./Membership.js"
import * as OrganizationMetrics from "./OrganizationMetrics.js"
import * as OrganizationRules from "./OrganizationRules.js"
import * as Period from "./Period.js"
import * as Post from "./Post.js"
import type * as Ratio from "./Ratio.js"
import * as Resident from "./Resident.js"
import * as RoleTable from "./RoleTable.js"
import type * as Score from "./Score.js"
import * as Staffing from "./Staffing.js"
import type { StorageUnavailable } from "./Storage.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"
import { type LocalDate, LocalDate as LocalDateSchema } from "./WorkingCalendar.js"

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 机构不存在 — a write names a body the store does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export class BodyNotFound extends Schema.TaggedError<BodyNotFound>()("BodyNotFound", {
  bodyId: Schema.String
}) {
  override get message(): string {
    return `机构不存在：bodyId "${this.bodyId}" 未登记 — body not found: bodyId "${this.bodyId}" is not stored`
  }
}

/**
 * 组建并发冲突 — another writer appended to the founding first:
 * `expectedVersion` is not its current version. Reload, decide again, retry.
 *
 * @since 0.1.0
 * @category errors
 */
export class FoundingConcurrencyConflict extends Schema.TaggedError<FoundingConcurrencyConflict>()(
  "FoundingConcurrencyConflict",
  {
    compoundId: Schema.String,
    expectedVersion: Schema.Int,
    actualVersion: Schema.Int
  }
) {
  override get message(): string {
    return `并发冲突：小区 ${this.compoundId} 的党组织组建 expectedVersion 为 ${this.expectedVersion}，实际为 ${this.actualVersion}，请重新读取后重试 — concurrency conflict on the party founding of compound ${this.compoundId}: expectedVersion ${this.expectedVersion}, the founding is at ${this.actualVersion}; reload and retry`
  }
}

/**
 * 评选并发冲突 — another writer appended to the round first.
 *
 * @since 0.1.0
 * @category errors
 */
export class AwardConcurrencyConflict extends Schema.TaggedError<AwardConcurrencyConflict>()(
  "AwardConcurrencyConflict",
  {
    roundId: Schema.String,
    expectedVersion: Schema.Int,
    actualVersion: Schema.Int
  }
) {
  override get message(): string {
    return `并发冲突：评选 ${this.roundId} 的 expectedVersion 为 ${this.expectedVersion}，实际为 ${this.actualVersion}，请重新读取后重试 — concurrency conflict on award round ${this.roundId}: expectedVersion ${this.expectedVersion}, the round is at ${this.actualVersion}; reload and retry`
  }
}

/**
 * 评选不存在 — no award round has this id.
 *
 * @since 0.1.0
 * @category errors
 */
export class RoundNotFound extends Schema.TaggedError<RoundNotFound>()("RoundNotFound", {
  roundId: Schema.String
}) {
  override get message(): string {
    return `评选不存在：roundId "${this.roundId}" — award round not found: roundId "${this.roundId}"`
  }
}

// ---------------------------------------------------------------------------
// records
// ---------------------------------------------------------------------------

/**
 * 考核记录（含单元） — a cadre appraisal with the unit the cadre serves (the
 * jurisdiction it is read in).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnitAppraisal = Schema.Struct({
  unitId: UnitId,
  appraisal: CadreAppraisal.Appraisal
}).annotations({ identifier: "UnitAppraisal", title: "干部考核记录（含单元） unit appraisal" })

/**
 * @since 0.1.0
 * @category models
 */
export interface UnitAppraisal extends Schema.Schema.Type<typeof UnitAppraisal> {}

/**
 * 社区人口 — the residents (常住人口) of a community or village as its office
 * reports them, on a day (统计日期, where known): the population the
 * mediators-by-population rule reads (`OrganizationRules`, the 3,000
 * boundary). Households and residents in the people store are not a census;
 * this is the figure the office keeps.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Population = Schema.Struct({
  unitId: UnitId,
  residents: Schema.Int.pipe(Schema.between(0, 100_000_000)),
  asOf: Schema.optionalWith(LocalDateSchema, { exact: true })
}).annotations({ identifier: "Population", title: "社区人口 population" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Population extends Schema.Schema.Type<typeof Population> {}

/**
 * 社区人口问题 — why a population cannot be kept: its unit is not a community
 * or village (`not-community`, naming the unit's level), or a batch names the
 * unit twice (`duplicate-unit`, at the second).
 *
 * @since 0.1.0
 * @category models
 */
export interface PopulationProblem {
  readonly index: number
  readonly unitId: string
  readonly rule: "not-community" | "duplicate-unit"
  readonly message: string
}

/**
 * 社区人口校验 — a batch of populations: each unit must be a community or
 * village (`levelOf` gives a unit's level, undefined for a unit the
 * hierarchy does not hold — left to the store's `UnitNotFound`), once.
 * Every problem, in batch order.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkPopulations = (
  populations: ReadonlyArray<Population>,
  levelOf: (unitId: string) => string | undefined,
  communityLevels: ReadonlyArray<string> = defaultCommunityLevels
): ReadonlyArray<PopulationProblem> => {
  const levels = new Set(communityLevels)
  const first = new Map<string, number>()
  const out: Array<PopulationProblem> = []
  populations.forEach((p, index) => {
    const level = levelOf(p.unitId)
    if (level !== undefined && !levels.has(level))
      out.push({
        index,
        unitId: p.unitId,
        rule: "not-community",
        message:
          `${p.unitId} 不是社区或村（层级 ${level}），社区人口按社区、村登记 — ${p.unitId} is not a community or ` +
          `village (level ${level}); populations are kept per community or village (rule not-community)`
      })
    const seen = first.get(p.unitId)
    if (seen === undefined) first.set(p.unitId, index)
    else
      out.push({
        index,
        unitId: p.unitId,
        rule: "duplicate-unit",
        message:
          `社区 ${p.unitId} 的人口登记了两次（第 ${seen + 1} 条） — the population of ${p.unitId} is given twice ` +
          `(first as item ${seen + 1}; rule duplicate-unit)`
      })
  })
  return out
}

/**
 * 楼道力量任职 — a person serving in a role of the role table below the grid
 * or at a unit (楼道长 at a stairwell, 十户长 at a micro-grid, 楼栋长 at a
 * building, 调解员 at a community …: `RoleTable` staffing roles), with the
 * unit it lies in (`unitId`: the target itself for a unit, building or
 * stairwell; the community of a grid or micro-grid) — the jurisdiction it
 * is read in.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StaffPlacement = Schema.Struct({
  unitId: UnitId,
  personId: Staffing.PersonId,
  name: Schema.optionalWith(Text.Name, { exact: true }),
  role: RoleTable.RoleId,
  placement: RoleTable.Placement,
  targetId: Text.Id,
  since: Schema.optionalWith(LocalDateSchema, { exact: true })
}).annotations({ identifier: "StaffPlacement", title: "楼道力量任职 staff placement" })

/**
 * @since 0.1.0
 * @category models
 */
export interface StaffPlacement extends Schema.Schema.Type<typeof StaffPlacement> {}

/**
 * The key of a placement: person, role, placement and target.
 *
 * @since 0.1.0
 * @category utils
 */
export const placementKey = (p: StaffPlacement): string =>
  `${p.personId}\u0000${p.role}\u0000${p.placement}\u0000${p.targetId}`

/**
 * 评选（含单元） — an award round's state with the unit that runs it.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnitRound {
  readonly unitId: UnitId
  readonly round: Extract<Award.State, { readonly _tag: "Round" }>
}

/**
 * 小区党组织组建 — a founding's state (started).
 *
 * @since 0.1.0
 * @category models
 */
export type Founding = Extract<CompoundPartyFounding.State, { readonly _tag: "Founding" }>

/**
 * The key of a membership: person, body, kind and start.
 *
 * @since 0.1.0
 * @category utils
 */
export const membershipKey = (m: Membership.Membership): string =>
  `${m.personId}\u0000${m.bodyId}\u0000${m.kind}\u0000${m.since}`

/**
 * The key of an appraisal: cadre and period.
 *
 * @since 0.1.0
 * @category utils
 */
export const appraisalKey = (a: CadreAppraisal.Appraisal): string =>
  `${a.cadreId}\u0000${a.period.granularity}\u0000${a.period.firstDay}\u0000${a.period.utcOffsetMinutes}`

/**
 * The key of a weak-and-lax flag: body and period.
 *
 * @since 0.1.0
 * @category utils
 */
export const weakAndLaxKey = (f: OrganizationMetrics.WeakAndLaxFlag): string =>
  `${f.bodyId}\u0000${f.period.granularity}\u0000${f.period.firstDay}\u0000${f.period.utcOffsetMinutes}`

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The order lists come back in: by id.
 *
 * @since 0.1.0
 * @category utils
 */
export const byId = <A extends { readonly id: string }>(items: Iterable<A>): ReadonlyArray<A> =>
  [...items].sort((a, b) => compare(a.id, b.id))

/**
 * The order memberships come back in: by key.
 *
 * @since 0.1.0
 * @category utils
 */
export const orderMemberships = (
  items: Iterable<Membership.Membership>
): ReadonlyArray<Membership.Membership> =>
  [...items].sort((a, b) => compare(membershipKey(a), membershipKey(b)))

/**
 * The order appraisals come back in: by unit, cadre, then period.
 *
 * @since 0.1.0
 * @category utils
 */
export const orderAppraisals = (items: Iterable<UnitAppraisal>): ReadonlyArray<UnitAppraisal> =>
  [...items].sort(
    (a, b) =>
      compare(a.unitId, b.unitId) ||
      compare(a.appraisal.cadreId, b.appraisal.cadreId) ||
      Period.Order(a.appraisal.period, b.appraisal.period)
  )

/**
 * The order weak-and-lax flags come back in: by body, then period.
 *
 * @since 0.1.0
 * @category utils
 */
export const orderWeakAndLaxFlags = (
  items: Iterable<OrganizationMetrics.WeakAndLaxFlag>
): ReadonlyArray<OrganizationMetrics.WeakAndLaxFlag> =>
  [...items].sort((a, b) => compare(a.bodyId, b.bodyId) || Period.Order(a.period, b.period))

/**
 * The items of a batch, the last of each key (what an upsert keeps).
 *
 * @since 0.1.0
 * @category utils
 */
export const lastByKey = <A>(items: ReadonlyArray<A>, key: (a: A) => string): ReadonlyArray<A> => [
  ...new Map(items.map((i) => [key(i), i] as const)).values()
]

// ---------------------------------------------------------------------------
// validation (shared by every implementation)
// ---------------------------------------------------------------------------

const firstMissing = (ids: Iterable<string>, known: ReadonlySet<string>): string | undefined =>
  [...new Set(ids)].filter((id) => !known.has(id)).sort(compare)[0]

/**
 * The units a write names: a body's unit; a compound, its community and the
 * unit that took it over; an appraisal's, a population's and a placement's unit.
 *
 * @since 0.1.0
 * @category utils
 */
export const referencedUnits = (input: {
  readonly bodies?: ReadonlyArray<Body.Body>
  readonly compounds?: ReadonlyArray<Compound.Compound>
  readonly appraisals?: ReadonlyArray<UnitAppraisal>
  readonly populations?: ReadonlyArray<Population>
  readonly placements?: ReadonlyArray<StaffPlacement>
}): ReadonlyArray<string> => [
  ...new Set([
    ...(input.bodies ?? []).map((b) => b.unitId),
    ...(input.compounds ?? []).flatMap((c) => [
      c.id,
      c.communityId,
      ...(c.management?._tag === "Unmanaged" && c.management.takenOverBy !== undefined
        ? [c.management.takenOverBy]
        : [])
    ]),
    ...(input.appraisals ?? []).map((a) => a.unitId),
    ...(input.populations ?? []).map((p) => p.unitId),
    ...(input.placements ?? []).map((p) => p.unitId)
  ])
]

/**
 * The units a write names must be in the hierarchy (the first missing, in id order, is reported).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkUnits = (
  ids: ReadonlyArray<string>,
  units: ReadonlySet<string>
): Either.Either<void, Hierarchy.UnitNotFound> => {
  const missing = firstMissing(ids, units)
  return missing === undefined ? Either.void : Either.left(new Hierarchy.UnitNotFound({ unitId: missing }))
}

/**
 * The bodies a write names (posts and memberships: their body, a post's
 * affiliation, a report's home organisation) must be stored or in the same write.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkBodies = (
  ids: ReadonlyArray<string>,
  bodies: ReadonlySet<string>
): Either.Either<void, BodyNotFound> => {
  const missing = firstMissing(ids, bodies)
  return missing === undefined ? Either.void : Either.left(new BodyNotFound({ bodyId: missing }))
}

/**
 * The bodies posts name: the body and the affiliation (派出单位).
 *
 * @since 0.1.0
 * @category utils
 */
export const postBodies = (posts: ReadonlyArray<Post.Post>): ReadonlyArray<string> => [
  ...new Set(posts.flatMap((p) => (p.affiliation === undefined ? [p.bodyId] : [p.bodyId, p.affiliation])))
]

/**
 * The bodies memberships name: the branch and the home organisation.
 *
 * @since 0.1.0
 * @category utils
 */
export const membershipBodies = (
  memberships: ReadonlyArray<Membership.Membership>
): ReadonlyArray<string> => [
  ...new Set(memberships.flatMap((m) => (m.homeBodyId === undefined ? [m.bodyId] : [m.bodyId, m.homeBodyId])))
]

/**
 * 组建追加校验 — what an append leads to, or why it is refused: the
 * `expectedVersion` must be the stored version (else
 * `FoundingConcurrencyConflict`); the stored history followed by the new
 * events must replay (`CompoundPartyFounding.replay`) and be the compound's;
 * the compound and its community must be units.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkFoundingAppend = (input: {
  readonly compoundId: string
  readonly expectedVersion: number
  readonly stored: ReadonlyArray<CompoundPartyFounding.Event>
  readonly events: ReadonlyArray<CompoundPartyFounding.Event>
  readonly units: ReadonlySet<string>
}): Either.Either<
  { readonly state: Founding; readonly version: number },
  FoundingConcurrencyConflict | CompoundPartyFounding.FoundingReplayError | Hierarchy.UnitNotFound
> => {
  const actual = input.stored.length
  if (input.expectedVersion !== actual)
    return Either.left(
      new FoundingConcurrencyConflict({
        compoundId: input.compoundId,
        expectedVersion: input.expectedVersion,
        actualVersion: actual
      })
    )
  const foreign = input.events.findIndex((e) => e.compoundId !== input.compoundId)
  const event = input.events[foreign]
  if (event !== undefined)
    return Either.left(
      new CompoundPartyFounding.FoundingReplayError({ index: actual + foreign, sequence: event.sequence })
    )
  return Either.flatMap(
    CompoundPartyFounding.replay([...input.stored, ...input.events]),
    (
      state
    ): Either.Either<
      { readonly state: Founding; readonly version: number },
      CompoundPartyFounding.FoundingReplayError | Hierarchy.UnitNotFound
    > => {
      if (state._tag === "NotStarted")
        return Either.left(new CompoundPartyFounding.FoundingReplayError({ index: 0, sequence: 0 }))
      return Either.map(checkUnits([state.compoundId, state.communityId], input.units), () => ({
        state,
        version: state.version
      }))
    }
  )
}

/**
 * 评选追加校验 — as {@link checkFoundingAppend} for an award round
 * (`Award.replay`; the round's unit must be a unit).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkAwardAppend = (input: {
  readonly roundId: string
  readonly unitId: string
  readonly expectedVersion: number
  readonly stored: ReadonlyArray<Award.Event>
  readonly events: ReadonlyArray<Award.Event>
  readonly units: ReadonlySet<string>
}): Either.Either<
  { readonly state: UnitRound["round"]; readonly version: number },
  AwardConcurrencyConflict | Award.AwardReplayError | Hierarchy.UnitNotFound
> => {
  const actual = input.stored.length
  if (input.expectedVersion !== actual)
    return Either.left(
      new AwardConcurrencyConflict({
        roundId: input.roundId,
        expectedVersion: input.expectedVersion,
        actualVersion: actual
      })
    )
  const foreign = input.events.findIndex((e) => e.roundId !== input.roundId)
  const event = input.events[foreign]
  if (event !== undefined)
    return Either.left(new Award.AwardReplayError({ index: actual + foreign, sequence: event.sequence }))
  return Either.flatMap(
    Award.replay([...input.stored, ...input.events]),
    (
      state
    ): Either.Either<
      { readonly state: UnitRound["round"]; readonly version: number },
      Award.AwardReplayError | Hierarchy.UnitNotFound
    > => {
      if (state._tag === "NoRound") return Either.left(new Award.AwardReplayError({ index: 0, sequence: 0 }))
      return Either.map(checkUnits([input.unitId], input.units), () => ({ state, version: state.version }))
    }
  )
}

// ---------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------

/**
 * 辖区查询 — `within` a unit's jurisdiction.
 *
 * @since 0.1.0
 * @category models
 */
export interface Within {
  readonly within?: string
}

/**
 * 机构查询 — bodies within a jurisdiction (their unit), of kinds, with ids
 * (`ids` reads named bodies wherever they are, intersected with `within` when both are given).
 *
 * @since 0.1.0
 * @category models
 */
export interface BodyQuery extends Within {
  readonly kinds?: ReadonlyArray<string>
  readonly ids?: ReadonlyArray<string>
}

/**
 * 岗位查询 — posts within a jurisdiction (their body's unit), of a body, a
 * holder, held on a day (absent: every record — the appointment history).
 *
 * @since 0.1.0
 * @category models
 */
export interface PostQuery extends Within {
  readonly bodyId?: string
  readonly holder?: string
  readonly heldOn?: LocalDate
}

/**
 * 党员关系查询 — memberships within a jurisdiction (their body's unit), of a body.
 *
 * @since 0.1.0
 * @category models
 */
export interface MembershipQuery extends Within {
  readonly bodyId?: string
}

/**
 * What an append returns: the stream and its version after it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Appended {
  readonly id: string
  readonly version: number
}

// ---------------------------------------------------------------------------
// port
// ---------------------------------------------------------------------------

/**
 * 组织与岗位仓库 — the organisation store port (see the module notes).
 *
 * @since 0.1.0
 * @category tags
 */
export class OrganizationRepository extends Context.Tag("@civicgrid/core/OrganizationRepository")<
  OrganizationRepository,
  {
    /** Upserts bodies by id; their units must be in the hierarchy. */
    readonly putBodies: (
      bodies: ReadonlyArray<Body.Body>
    ) => Effect.Effect<void, Hierarchy.UnitNotFound | StorageUnavailable>
    readonly bodies: (
      query?: BodyQuery
    ) => Effect.Effect<ReadonlyArray<Body.Body>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts post records by id; their bodies (and affiliations) must be stored. */
    readonly putPosts: (
      posts: ReadonlyArray<Post.Post>
    ) => Effect.Effect<void, BodyNotFound | StorageUnavailable>
    /** Post records by id (`heldOn` absent: the whole appointment history). */
    readonly posts: (
      query?: PostQuery
    ) => Effect.Effect<ReadonlyArray<Post.Post>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts memberships by person, body, kind and start; their bodies must be stored. */
    readonly putMemberships: (
      memberships: ReadonlyArray<Membership.Membership>
    ) => Effect.Effect<void, BodyNotFound | StorageUnavailable>
    readonly memberships: (
      query?: MembershipQuery
    ) => Effect.Effect<ReadonlyArray<Membership.Membership>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts compounds by id; the compound, its community and a taking-over unit must be units. */
    readonly putCompounds: (
      compounds: ReadonlyArray<Compound.Compound>
    ) => Effect.Effect<void, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Compounds whose own unit lies within the jurisdiction. */
    readonly compounds: (
      query?: Within
    ) => Effect.Effect<ReadonlyArray<Compound.Compound>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts populations by unit; their units must be in the hierarchy. */
    readonly putPopulations: (
      populations: ReadonlyArray<Population>
    ) => Effect.Effect<void, Hierarchy.UnitNotFound | StorageUnavailable>
    /** The populations of the units within the jurisdiction, by unit. */
    readonly populations: (
      query?: Within
    ) => Effect.Effect<ReadonlyArray<Population>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts staff placements by person, role, placement and target; their units must be in the hierarchy. */
    readonly putPlacements: (
      placements: ReadonlyArray<StaffPlacement>
    ) => Effect.Effect<void, Hierarchy.UnitNotFound | StorageUnavailable>
    /** The staff placements whose unit lies within the jurisdiction, by key. */
    readonly placements: (
      query?: Within
    ) => Effect.Effect<ReadonlyArray<StaffPlacement>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts the people who hold posts, by id (personal data: never listed). */
    readonly putPeople: (people: ReadonlyArray<Staffing.Person>) => Effect.Effect<void, StorageUnavailable>
    /** The stored people among `ids`, by id. */
    readonly people: (
      ids: ReadonlyArray<string>
    ) => Effect.Effect<ReadonlyArray<Staffing.Person>, StorageUnavailable>
    /** Upserts appraisals by cadre and period; their units must be in the hierarchy. */
    readonly putAppraisals: (
      appraisals: ReadonlyArray<UnitAppraisal>
    ) => Effect.Effect<void, Hierarchy.UnitNotFound | StorageUnavailable>
    readonly appraisals: (
      query?: Within
    ) => Effect.Effect<ReadonlyArray<UnitAppraisal>, Hierarchy.UnitNotFound | StorageUnavailable>
    /** Upserts weak-and-lax flags 软弱涣散 by body and period; their bodies must be stored. */
    readonly putWeakAndLaxFlags: (
      flags: ReadonlyArray<OrganizationMetrics.WeakAndLaxFlag>
    ) => Effect.Effect<void, BodyNotFound | StorageUnavailable>
    /** The weak-and-lax flags whose body's unit lies within the jurisdiction, by body then period. */
    readonly weakAndLaxFlags: (
      query?: Within
    ) => Effect.Effect<
      ReadonlyArray<OrganizationMetrics.WeakAndLaxFlag>,
      Hierarchy.UnitNotFound | StorageUnavailable
    >
    /** Appends a founding's events after `expectedVersion` (0 for a new one), atomically with its state. */
    readonly appendFoundingEvents: (input: {
      readonly compoundId: string
      readonly expectedVersion: number
      readonly events: ReadonlyArray<CompoundPartyFounding.Event>
    }) => Effect.Effect<
      Appended,
      | FoundingConcurrencyConflict
      | CompoundPartyFounding.FoundingReplayError
      | Hierarchy.UnitNotFound
      | StorageUnavailable
    >
    /** A founding's events in sequence order (empty when not started). */
    readonly foundingEvents: (
      compoundId: string
    ) => Effect.Effect<ReadonlyArray<CompoundPartyFounding.Event>, StorageUnavailable>
    /** The foundings of the compounds within the jurisdiction, by compound. */
    readonly foundings: (
      query?: Within
    ) => Effect.Effect<ReadonlyArray<Founding>, Hierarchy.UnitNotFound | StorageUnavailable>
    /**
     * Appends a round's events after `expectedVersion` (0 for a new one),
     * atomically with its state; `unitId` is the round's unit, fixed by its
     * first append (later appends keep the stored one).
     */
    readonly appendAwardEvents: (input: {
      readonly roundId: string
      readonly unitId: string
      readonly expectedVersion: number
      readonly events: ReadonlyArray<Award.Event>
    }) => Effect.Effect<
      Appended,
      AwardConcurrencyConflict | Award.AwardReplayError | Hierarchy.UnitNotFound | StorageUnavailable
    >
    /** A round's events in sequence order (empty for an unknown round). */
    readonly awardEvents: (roundId: string) => Effect.Effect<ReadonlyArray<Award.Event>, StorageUnavailable>
    /** One round with its unit. */
    readonly round: (roundId: string) => Effect.Effect<UnitRound, RoundNotFound | StorageUnavailable>
    /** The rounds of the units within the jurisdiction, by round id. */
    readonly awards: (
      query?: Within
    ) => Effect.Effect<ReadonlyArray<UnitRound>, Hierarchy.UnitNotFound | StorageUnavailable>
  }
>() {}

/**
 * An in-memory organisation store on top of a `HierarchyRepository`; each build starts empty.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<OrganizationRepository, never, HierarchyRepository> = Layer.effect(
  OrganizationRepository,
  internal.make
)

// ---------------------------------------------------------------------------
// use cases
// ---------------------------------------------------------------------------

/**
 * 组建 — decides a founding command on the stored history and appends its
 * events (after `expectedVersion`, the stored version when absent).
 *
 * @since 0.1.0
 * @category use cases
 */
export const handleFounding = (input: {
  readonly command: CompoundPartyFounding.Command
  readonly expectedVersion?: number
  readonly config?: CompoundPartyFounding.Config
}): Effect.Effect<
  Founding,
  | CompoundPartyFounding.FoundingRefused
  | FoundingConcurrencyConflict
  | CompoundPartyFounding.FoundingReplayError
  | Hierarchy.UnitNotFound
  | StorageUnavailable,
  OrganizationRepository
> =>
  Effect.gen(function* () {
    const store = yield* OrganizationRepository
    const compoundId = input.command.compoundId
    const stored = yield* store.foundingEvents(compoundId)
    const expectedVersion = input.expectedVersion ?? stored.length
    if (expectedVersion !== stored.length)
      return yield* new FoundingConcurrencyConflict({
        compoundId,
        expectedVersion,
        actualVersion: stored.length
      })
    const { events, state } = yield* Decider.execute(CompoundPartyFounding.makeDecider(input.config))(
      CompoundPartyFounding.fold(stored),
      input.command
    )
    if (events.length > 0) yield* store.appendFoundingEvents({ compoundId, expectedVersion, events })
    return state._tag === "Founding" ? state : yield* Effect.dieMessage("组建指令未产生组建 no founding")
  })

/**
 * 评选 — decides an award command on the stored round and appends its events
 * (`unitId`: the round's unit, used when the round is opened).
 *
 * @since 0.1.0
 * @category use cases
 */
export const handleAward = (input: {
  readonly command: Award.Command
  readonly unitId: string
  readonly expectedVersion?: number
}): Effect.Effect<
  UnitRound,
  | Award.AwardRefused
  | AwardConcurrencyConflict
  | Award.AwardReplayError
  | Hierarchy.UnitNotFound
  | StorageUnavailable,
  OrganizationRepository
> =>
  Effect.gen(function* () {
    const store = yield* OrganizationRepository
    const roundId = input.command.roundId
    const stored = yield* store.awardEvents(roundId)
    const expectedVersion = input.expectedVersion ?? stored.length
    if (expectedVersion !== stored.length)
      return yield* new AwardConcurrencyConflict({ roundId, expectedVersion, actualVersion: stored.length })
    const before = Award.fold(stored)
    const events = yield* Award.decide(input.command, before)
    const state = events.reduce(Award.evolve, before)
    if (events.length > 0)
      yield* store.appendAwardEvents({ roundId, unitId: input.unitId, expectedVersion, events })
    if (state._tag !== "Round") return yield* Effect.dieMessage("评选指令未产生评选 no round")
    const unitId = yield* store.round(roundId).pipe(
      Effect.map((r): UnitId => r.unitId),
      Effect.catchTag("RoundNotFound", () =>
        Effect.succeed(UnitId.make(input.unitId, { disableValidation: true }))
      )
    )
    return { unitId, round: state }
  })

/**
 * 检查选项 — the day the rules are checked on, the rules, the kind tables,
 * the levels that are communities or villages and those that are streets or
 * towns, and the residents of communities where known (the headcount rule
 * needs them; a community without is reported `population-unknown`). Without
 * `residents` the check reads the populations stored within the jurisdiction
 * (`putPopulations`: the 社区人口 the office keeps).
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckOptions {
  readonly day: LocalDate
  readonly rules?: OrganizationRules.Rules
  readonly bodyKinds?: Body.BodyKindTable
  readonly postKinds?: Post.PostKindTable
  readonly communityLevels?: ReadonlyArray<string>
  readonly streetLevels?: ReadonlyArray<string>
  readonly residents?: ReadonlyMap<string, number>
  /**
   * 网格长（网格力量配置） — grid leaders known from grid staffing
   * (`OrganizationRules.gridLeadersFromStaffing`), checked by the same rule as
   * the grid-leader posts; only those of communities within the jurisdiction count.
   */
  readonly staffingGridLeaders?: ReadonlyArray<OrganizationRules.StaffingGridLeader>
}

/**
 * The default community levels (社区, 村).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCommunityLevels: ReadonlyArray<string> = ["community", "village"]

/**
 * The default street levels (街道, 镇, 乡).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultStreetLevels: ReadonlyArray<string> = ["street", "town", "township"]

/**
 * 检查报告 — every violation found within a jurisdiction.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckReport {
  readonly within: string
  readonly day: LocalDate
  readonly communities: ReadonlyArray<UnitId>
  readonly organization: ReadonlyArray<OrganizationRules.OrganizationViolation>
  readonly memberships: ReadonlyArray<Membership.MembershipViolation>
  readonly appraisals: ReadonlyArray<CadreAppraisal.AppraisalViolation>
}

interface Loaded {
  readonly communities: ReadonlyArray<OrganizationRules.Community>
  /** the bodies within the jurisdiction and those named from outside it */
  readonly bodies: ReadonlyArray<Body.Body>
  /** the ids of the bodies within the jurisdiction */
  readonly inScope: ReadonlySet<string>
  readonly posts: ReadonlyArray<Post.Post>
  readonly compounds: ReadonlyArray<Compound.Compound>
}

const load = (
  within: string,
  options: {
    readonly communityLevels?: ReadonlyArray<string> | undefined
    readonly streetLevels?: ReadonlyArray<string> | undefined
    readonly residents?: ReadonlyMap<string, number> | undefined
  }
): Effect.Effect<
  Loaded,
  Hierarchy.UnitNotFound | StorageUnavailable,
  OrganizationRepository | HierarchyRepository
> =>
  Effect.gen(function* () {
    const store = yield* OrganizationRepository
    const hierarchies = yield* HierarchyRepository
    const ids = yield* hierarchies.subtreeIds(within)
    const h = yield* Effect.catchTag(hierarchies.load, "HierarchyNotFound", () =>
      Effect.fail(new Hierarchy.UnitNotFound({ unitId: within }))
    )
    const communityLevels = new Set(options.communityLevels ?? defaultCommunityLevels)
    const streetLevels = new Set(options.streetLevels ?? defaultStreetLevels)
    // the residents given, else the populations stored within the jurisdiction
    const population =
      options.residents ??
      new Map((yield* store.populations({ within })).map((p) => [p.unitId as string, p.residents] as const))
    const communities: Array<OrganizationRules.Community> = []
    for (const id of ids) {
      const unit = Option.getOrUndefined(Hierarchy.get(h, id))
      if (unit === undefined || !communityLevels.has(unit.level)) continue
      const street = Option.getOrElse(Hierarchy.ancestors(h, id), () => []).find((u) =>
        streetLevels.has(u.level)
      )
      const residents = population.get(id)
      communities.push({
        unitId: unit.id,
        ...(residents === undefined ? {} : { residents }),
        ...(street === undefined ? {} : { streetId: street.id })
      })
    }
    const inScope = yield* store.bodies({ within })
    const posts = yield* store.posts({ within })
    const compounds = yield* store.compounds({ within })
    // bodies named from outside the jurisdiction: a 第一书记's street leadership, a compound's property company
    const inside = new Set<string>(inScope.map((b) => b.id))
    const outside = [
      ...posts.flatMap((p) => (p.affiliation === undefined ? [] : [p.affiliation])),
      ...compounds.flatMap((c) =>
        c.management?._tag === "Professional"
          ? [c.management.propertyCompanyId]
          : c.management?._tag === "SelfManaged"
            ? [c.management.bodyId]
            : []
      )
    ].filter((id) => !inside.has(id))
    const named = outside.length === 0 ? [] : yield* store.bodies({ ids: [...new Set(outside)] })
    return { communities, bodies: byId([...inScope, ...named]), inScope: inside, posts, compounds }
  })

/**
 * 组织配置检查 — `OrganizationRules.check` over the bodies, posts and
 * compounds stored within a jurisdiction (its communities and villages from
 * the hierarchy), with `Membership.check` and `CadreAppraisal.check` over its
 * memberships and appraisals: every violation.
 *
 * @since 0.1.0
 * @category use cases
 */
export const check = (
  within: string,
  options: CheckOptions
): Effect.Effect<
  CheckReport,
  Hierarchy.UnitNotFound | StorageUnavailable,
  OrganizationRepository | HierarchyRepository
> =>
  Effect.gen(function* () {
    const store = yield* OrganizationRepository
    const loaded = yield* load(within, options)
    const memberships = yield* store.memberships({ within })
    const appraisals = yield* store.appraisals({ within })
    const inJurisdiction = new Set<string>(loaded.communities.map((c) => c.unitId))
    const leaders = (options.staffingGridLeaders ?? []).filter((l) => inJurisdiction.has(l.unitId))
    const organization = OrganizationRules.check(
      {
        day: options.day,
        ...(options.bodyKinds === undefined ? {} : { bodyKinds: options.bodyKinds }),
        ...(options.postKinds === undefined ? {} : { postKinds: options.postKinds }),
        ...(leaders.length === 0 ? {} : { staffingGridLeaders: leaders }),
        communities: loaded.communities,
        bodies: loaded.bodies,
        posts: loaded.posts,
        compounds: loaded.compounds
      },
      options.rules
    )
    return {
      within,
      day: options.day,
      communities: loaded.communities.map((c) => c.unitId),
      organization,
      memberships: Membership.check(memberships),
      appraisals: CadreAppraisal.check(appraisals.map((a) => a.appraisal))
    }
  })

/**
 * 组织建设指标 — what `metrics` reports for a jurisdiction.
 *
 * @since 0.1.0
 * @category models
 */
export interface MetricsReport {
  readonly within: string
  readonly day: LocalDate
  /** 治理理事会覆盖率 — communities and villages with a governance council. */
  readonly councilCoverage: Ratio.Ratio
  /** 理事会平均成员 — chairs and members per council. */
  readonly councilMembers: Ratio.Ratio
  /** 党员占比 — per post kind. */
  readonly partyShareByPost: ReadonlyArray<{ readonly kind: Post.PostKindId; readonly share: Ratio.Ratio }>
  /** 小区管理覆盖. */
  readonly compoundManagement: ReturnType<typeof OrganizationMetrics.compoundManagement>
  /** 机构数 — bodies per kind. */
  readonly bodiesByKind: ReadonlyArray<{ readonly kind: Body.BodyKindId; readonly count: number }>
  /** 组织模式 — each community's pattern. */
  readonly patterns: ReadonlyArray<{
    readonly unitId: UnitId
    readonly committees: number
    readonly stations: number
    readonly pattern: OrganizationMetrics.Pattern
  }>
  /** 亮灯 — the appraisal lights of a period, when asked. */
  readonly lights?: ReturnType<typeof CadreAppraisal.lightsOf>
  /** 软弱涣散 — the organisations flagged in a period and the zero target (清零), when asked. */
  readonly weakAndLax?: WeakAndLaxReport
}

/**
 * 软弱涣散报告 — `OrganizationMetrics.weakAndLax` over the flags stored within a
 * jurisdiction for a period: the flagged bodies, their count, the target and
 * whether it is met.
 *
 * @since 0.1.0
 * @category models
 */
export interface WeakAndLaxReport extends ReturnType<typeof OrganizationMetrics.weakAndLax> {
  readonly period: Period.Period
}

/**
 * 组织建设指标 — `OrganizationMetrics` over what is stored within a
 * jurisdiction on a day; the lights and the weak-and-lax organisations
 * (`OrganizationMetrics.weakAndLax`) of `period` when given.
 *
 * @since 0.1.0
 * @category use cases
 */
export const metrics = (
  within: string,
  options: {
    readonly day: LocalDate
    readonly bodyKinds?: Body.BodyKindTable
    readonly communityLevels?: ReadonlyArray<string>
    readonly period?: Period.Period
    readonly thresholds?: Score.LightThresholds
  }
): Effect.Effect<
  MetricsReport,
  Hierarchy.UnitNotFound | StorageUnavailable,
  OrganizationRepository | HierarchyRepository
> =>
  Effect.gen(function* () {
    const store = yield* OrganizationRepository
    const loaded = yield* load(within, options)
    const day = options.day
    const bodies = loaded.bodies.filter((b) => loaded.inScope.has(b.id))
    const held = Post.activeOn(loaded.posts, day)
    const people = yield* store.people([...new Set(held.map((p) => p.holder))])
    const communityIds = loaded.communities.map((c) => c.unitId)
    const council = [Body.kinds.governanceCouncil]
    const appraisals =
      options.period === undefined
        ? undefined
        : Effect.map(store.appraisals({ within }), (as) =>
            CadreAppraisal.lightsOf(
              as.map((a) => a.appraisal),
              options.period as Period.Period,
              options.thresholds
            )
          )
    const lights = appraisals === undefined ? undefined : yield* appraisals
    const period = options.period
    const weakAndLax: WeakAndLaxReport | undefined =
      period === undefined
        ? undefined
        : { period, ...OrganizationMetrics.weakAndLax(yield* store.weakAndLaxFlags({ within }), period) }
    return {
      within,
      day,
      councilCoverage: OrganizationMetrics.bodyCoverage(communityIds, bodies, council, day),
      councilMembers: OrganizationMetrics.membersPerBody(
        bodies,
        loaded.posts,
        council,
        [Post.kinds.chair, Post.kinds.councilMember],
        day
      ),
      partyShareByPost: OrganizationMetrics.partyShareByPost(held, people, day),
      compoundManagement: OrganizationMetrics.compoundManagement(loaded.compounds),
      bodiesByKind: OrganizationMetrics.bodiesByKind(bodies, day),
      patterns: communityIds.map((unitId) => ({
        unitId,
        ...OrganizationMetrics.patternOf(bodies, unitId, options.bodyKinds, day)
      })),
      ...(lights === undefined ? {} : { lights }),
      ...(weakAndLax === undefined ? {} : { weakAndLax })
    }
  })

/**
 * 考核看板行 — one cadre on the appraisal board (`CadreAppraisal.board`) with
 * the unit's name, the stored person (personal data: mask it where shown;
 * absent when not stored) and the posts the cadre holds on the day within the
 * jurisdiction, with their kind names and bodies.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppraisalBoardRow extends CadreAppraisal.BoardRow<UnitId> {
  readonly unitName: string
  readonly person?: Staffing.Person
  readonly posts: ReadonlyArray<{
    readonly post: Post.Post
    readonly kindName: { readonly zh: string; readonly en: string }
    readonly bodyName: string
  }>
}

/**
 * 干部考核看板 — the 绿橙红 appraisals stored within a jurisdiction
 * (`CadreAppraisal.board`: in `period` when given, else each cadre's latest;
 * each with the cadre's history), with unit names, the stored people and the
 * posts held on `day`; `lights` counts the current lights.
 *
 * @since 0.1.0
 * @category use cases
 */
export const appraisalBoard = (
  within: string,
  options: {
    readonly day: LocalDate
    readonly period?: Period.Period
    readonly thresholds?: Score.LightThresholds
    readonly postKinds?: Post.PostKindTable
  }
): Effect.Effect<
  {
    readonly rows: ReadonlyArray<AppraisalBoardRow>
    readonly lights: { readonly green: number; readonly orange: number; readonly red: number }
  },
  Hierarchy.UnitNotFound | StorageUnavailable,
  OrganizationRepository | HierarchyRepository
> =>
  Effect.gen(function* () {
    const store = yield* OrganizationRepository
    const hierarchies = yield* HierarchyRepository
    const h = yield* Effect.catchTag(hierarchies.load, "HierarchyNotFound", () =>
      Effect.fail(new Hierarchy.UnitNotFound({ unitId: within }))
    )
    const stored = yield* store.appraisals({ within })
    const { rows, lights } = CadreAppraisal.board(stored, {
      ...(options.period === undefined ? {} : { period: options.period }),
      ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds })
    })
    const cadres = new Set<string>(rows.map((r) => r.cadreId))
    const posts = (yield* store.posts({ within, heldOn: options.day })).filter((p) => cadres.has(p.holder))
    const bodies = new Map((yield* store.bodies({ within })).map((b) => [b.id as string, b] as const))
    const people = new Map((yield* store.people([...cadres])).map((p) => [p.id as string, p] as const))
    const table = options.postKinds ?? Post.defaultKinds
    return {
      lights,
      rows: rows.map((row): AppraisalBoardRow => {
        const person = people.get(row.cadreId)
        return {
          ...row,
          unitName: Option.match(Hierarchy.get(h, row.unitId), {
            onNone: () => row.unitId,
            onSome: (u) => u.name
          }),
          ...(person === undefined ? {} : { person }),
          posts: posts
            .filter((p) => p.holder === row.cadreId)
            .map((post) => ({
              post,
              kindName: Post.kindName(table, post.kind),
              bodyName: bodies.get(post.bodyId)?.name ?? post.bodyId
            }))
        }
      })
    }
  })

/**
 * 公示牌条目 — one person serving a building, as shown in public: a post of a
 * body (`source: "post"`) or a grid-staffing assignment (`source: "staffing"`:
 * 网格员, 楼栋长, 民警 …), the holder's name and phone masked.
 *
 * @since 0.1.0
 * @category models
 */
export interface DirectoryEntry {
  readonly source: "post" | "staffing"
  /** 岗位 — a post kind, or a staffing role. */
  readonly kind: string
  readonly kindName: { readonly zh: string; readonly en: string }
  readonly bodyId?: Body.BodyId
  readonly bodyName?: string
  /** 服务单元 — the unit served (the body's unit, an assignment's building or unit). */
  readonly unitId?: UnitId
  readonly gridId?: string
  /** 姓名（脱敏） — `王**`; absent when the holder is not stored. */
  readonly name?: string
  /** 电话（脱敏） — `138****5678`. */
  readonly phone?: string
}

/**
 * 公示牌 — who serves a building on a day: the posts of bodies at the building
 * and at the units above it up to its community or village (a building's
 * 楼栋长, its compound's 业委会, its community's 书记, 法律顾问 and 调解员 …), a
 * post tied to a grid (网格长) only when the grid is one of `grids` (the grids
 * covering the building); and, when given, the grid-staffing assignments to
 * those grids, to the building and to units on that line (网格员, 楼栋长, 民警 …).
 * Names and phones masked (`Resident.maskName`, `Resident.maskPhone`);
 * ordered from the building up, posts before assignments, then by kind.
 *
 * @since 0.1.0
 * @category use cases
 */
export const directory = (
  buildingId: string,
  options: {
    readonly day: LocalDate
    readonly grids?: ReadonlyArray<string>
    readonly staffing?: {
      readonly assignments: ReadonlyArray<Staffing.Assignment>
      readonly people: ReadonlyArray<Staffing.Person>
    }
    readonly postKinds?: Post.PostKindTable
    readonly communityLevels?: ReadonlyArray<string>
  }
): Effect.Effect<
  ReadonlyArray<DirectoryEntry>,
  Hierarchy.UnitNotFound | StorageUnavailable,
  OrganizationRepository | HierarchyRepository
> =>
  Effect.gen(function* () {
    const store = yield* OrganizationRepository
    const hierarchies = yield* HierarchyRepository
    const h = yield* Effect.catchTag(hierarchies.load, "HierarchyNotFound", () =>
      Effect.fail(new Hierarchy.UnitNotFound({ unitId: buildingId }))
    )
    const line = yield* Option.match(Hierarchy.path(h, buildingId), {
      onNone: () => Effect.fail(new Hierarchy.UnitNotFound({ unitId: buildingId })),
      onSome: Effect.succeed
    })
    const communityLevels = new Set(options.communityLevels ?? defaultCommunityLevels)
    const top = line.findIndex((u) => communityLevels.has(u.level))
    const serving = (top < 0 ? line.slice(-1) : line.slice(top)).reverse()
    const rank = new Map<string, number>(serving.map((u, i) => [u.id, i] as const))
    const topRank = serving.length - 1
    const grids = new Set(options.grids ?? [])
    const scope = serving[topRank]?.id ?? buildingId
    const bodies = (yield* store.bodies({ within: scope })).filter(
      (b) => rank.has(b.unitId) && Body.existsOn(b, options.day)
    )
    const bodyOf = new Map(bodies.map((b) => [b.id, b] as const))
    const posts = (yield* store.posts({ within: scope, heldOn: options.day })).filter(
      (p) => bodyOf.has(p.bodyId) && (p.gridId === undefined || grids.has(p.gridId))
    )
    const assignments = (options.staffing?.assignments ?? []).filter((a) =>
      a.target._tag === "Grid"
        ? grids.has(a.target.gridId)
        : a.target._tag === "Building"
          ? a.target.buildingId === buildingId
          : rank.has(a.target.unitId)
    )
    const stored = yield* store.people([...new Set(posts.map((p) => p.holder))])
    const people = new Map(
      [...(options.staffing?.people ?? []), ...stored].map((p) => [p.id as string, p] as const)
    )
    const masked = (personId: string) => {
      const person = people.get(personId)
      return {
        ...(person === undefined ? {} : { name: Resident.maskName(person.name) }),
        ...(person?.phone === undefined ? {} : { phone: Resident.maskPhone(person.phone) })
      }
    }
    const table = options.postKinds ?? Post.defaultKinds
    const postOrder = new Map<string, number>(table.map((k, i) => [k.id, i] as const))
    const roleOrder = new Map<string, number>(Staffing.roles.map((r, i) => [r, i] as const))
    type Ranked = {
      readonly rank: number
      readonly order: number
      readonly key: string
      readonly entry: DirectoryEntry
    }
    const fromPosts = posts.map((p): Ranked => {
      const body = bodyOf.get(p.bodyId) as Body.Body
      return {
        rank: (rank.get(body.unitId) ?? 0) * 2,
        order: postOrder.get(p.kind) ?? table.length,
        key: `${p.kind}\u0000${p.bodyId}\u0000${p.id}`,
        entry: {
          source: "post",
          kind: p.kind,
          kindName: Post.kindName(table, p.kind),
          bodyId: body.id,
          bodyName: body.name,
          unitId: body.unitId,
          ...(p.gridId === undefined ? {} : { gridId: p.gridId }),
          ...masked(p.holder)
        }
      }
    })
    const fromStaffing = assignments.map((a): Ranked => {
      const target = a.target
      const unitId =
        target._tag === "Grid" ? undefined : target._tag === "Building" ? target.buildingId : target.unitId
      return {
        rank: (unitId === undefined ? topRank : (rank.get(unitId) ?? topRank)) * 2 + 1,
        order: roleOrder.get(a.role) ?? Staffing.roles.length,
        key: `${a.role}\u0000${target._tag === "Grid" ? target.gridId : (unitId ?? "")}\u0000${a.personId}`,
        entry: {
          source: "staffing",
          kind: a.role,
          kindName: Staffing.roleNames[a.role],
          ...(unitId === undefined ? {} : { unitId }),
          ...(target._tag === "Grid" ? { gridId: target.gridId } : {}),
          ...masked(a.personId)
        }
      }
    })
    return [...fromPosts, ...fromStaffing]
      .sort((a, b) => a.rank - b.rank || a.order - b.order || compare(a.key, b.key))
      .map((e) => e.entry)
  })
