/**
 * 组织建设指标 — figures of organisational coverage, as ratios (numerator and
 * denominator; rollups add them, never average percentages):
 *
 * - {@link bodyCoverage} 机构覆盖率 — the share of communities and villages with a body of a
 *   kind (the Panlong district report: 37 governance councils over 51 communities and villages = 72.5 %);
 * - {@link membersPerBody} 平均成员数 — holders of posts per body (223 council members over 37
 *   councils ≈ 6.0);
 * - {@link partyShareByPost} 党员占比 — the share of a post's holders who are party members (the
 *   community experience report: 441 楼道长, "党员占比80%以上");
 * - {@link compoundManagement} 小区管理覆盖率 — the share of compounds with a management
 *   arrangement, by mode (the Pingyi street report: 57 unmanaged compounds under 兜底管理);
 * - {@link bodiesByKind} — bodies per kind (the Yilong county report: 52 compound and 6
 *   property-company party organisations, 63 业(院)委会);
 * - {@link patternOf} 一委一站 / 两委一站 / 两委两站 — the pattern of a community's committees
 *   and stations (the Panlong district report's three working patterns);
 * - {@link weakAndLax} 软弱涣散 — the party organisations flagged weak and lax in a period
 *   against the target of zero (the Pingyi street report: "实现了软弱涣散村清零的目标").
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Body from "./Body.js"
import * as Compound from "./Compound.js"
import * as Period from "./Period.js"
import * as Post from "./Post.js"
import * as Ratio from "./Ratio.js"
import type { Person, PersonId } from "./Staffing.js"
import * as Text from "./Text.js"
import type { UnitId } from "./Unit.js"
import type { LocalDate } from "./WorkingCalendar.js"

/**
 * 机构覆盖率 — of the given units (communities and villages), how many have at
 * least one body of one of the kinds (existing on `day` when given).
 *
 * @since 0.1.0
 * @category metrics
 */
export const bodyCoverage = (
  units: ReadonlyArray<UnitId>,
  bodies: ReadonlyArray<Body.Body>,
  kinds: ReadonlyArray<Body.BodyKindId>,
  day?: LocalDate
): Ratio.Ratio => {
  const kindSet = new Set(kinds)
  const covered = new Set(
    bodies
      .filter((b) => kindSet.has(b.kind) && (day === undefined || Body.existsOn(b, day)))
      .map((b) => b.unitId)
  )
  const distinct = [...new Set(units)]
  return Ratio.count(distinct, (u) => covered.has(u))
}

/**
 * 平均成员数 — distinct holders of the given post kinds per body of the given
 * body kinds: numerator the holders (counted per body), denominator the bodies.
 *
 * @since 0.1.0
 * @category metrics
 */
export const membersPerBody = (
  bodies: ReadonlyArray<Body.Body>,
  posts: ReadonlyArray<Post.Post>,
  bodyKinds: ReadonlyArray<Body.BodyKindId>,
  postKinds: ReadonlyArray<Post.PostKindId>,
  day?: LocalDate
): Ratio.Ratio => {
  const bk = new Set(bodyKinds)
  const pk = new Set(postKinds)
  const ids = new Set(
    bodies.filter((b) => bk.has(b.kind) && (day === undefined || Body.existsOn(b, day))).map((b) => b.id)
  )
  const holders = new Set<string>()
  for (const p of posts) {
    if (!ids.has(p.bodyId) || !pk.has(p.kind) || (day !== undefined && !Post.heldOn(p, day))) continue
    holders.add(`${p.bodyId}\u0000${p.holder}`)
  }
  return Ratio.make(holders.size, ids.size)
}

/**
 * 党员占比 — per post kind, the share of distinct holders who are party members
 * (a holder unknown to `people` counts as not a member). Kinds in table order
 * of first appearance.
 *
 * @since 0.1.0
 * @category metrics
 */
export const partyShareByPost = (
  posts: ReadonlyArray<Post.Post>,
  people: ReadonlyArray<Person>,
  day?: LocalDate
): ReadonlyArray<{ readonly kind: Post.PostKindId; readonly share: Ratio.Ratio }> => {
  const member = new Map<PersonId, boolean>(people.map((p) => [p.id, p.partyMember] as const))
  const byKind = new Map<Post.PostKindId, Set<PersonId>>()
  for (const p of posts) {
    if (day !== undefined && !Post.heldOn(p, day)) continue
    const set = byKind.get(p.kind) ?? new Set<PersonId>()
    set.add(p.holder)
    byKind.set(p.kind, set)
  }
  return [...byKind].map(([kind, holders]) => ({
    kind,
    share: Ratio.count(holders, (h) => member.get(h) === true)
  }))
}

/**
 * 小区管理覆盖 — compounds with a management arrangement, and the count per
 * mode: `professional` 专业物业, `selfManaged` 自管, `takenOver` 无人管理但已兜底,
 * `unmanaged` 无人管理且无兜底, `unrecorded` 未登记.
 *
 * @since 0.1.0
 * @category metrics
 */
export const compoundManagement = (
  compounds: ReadonlyArray<Compound.Compound>
): {
  readonly arranged: Ratio.Ratio
  readonly takenOverShare: Ratio.Ratio
  readonly professional: number
  readonly selfManaged: number
  readonly takenOver: number
  readonly unmanaged: number
  readonly unrecorded: number
} => {
  let professional = 0
  let selfManaged = 0
  let takenOver = 0
  let unmanaged = 0
  let unrecorded = 0
  for (const c of compounds) {
    const m = c.management
    if (m === undefined) unrecorded++
    else if (m._tag === "Professional") professional++
    else if (m._tag === "SelfManaged") selfManaged++
    else if (m.takenOverBy !== undefined) takenOver++
    else unmanaged++
  }
  return {
    arranged: Ratio.count(compounds, Compound.isArranged),
    takenOverShare: Ratio.make(takenOver, takenOver + unmanaged),
    professional,
    selfManaged,
    takenOver,
    unmanaged,
    unrecorded
  }
}

/**
 * Bodies per kind (existing on `day` when given), in order of first appearance.
 *
 * @since 0.1.0
 * @category metrics
 */
export const bodiesByKind = (
  bodies: ReadonlyArray<Body.Body>,
  day?: LocalDate
): ReadonlyArray<{ readonly kind: Body.BodyKindId; readonly count: number }> => {
  const counts = new Map<Body.BodyKindId, number>()
  for (const b of bodies) {
    if (day !== undefined && !Body.existsOn(b, day)) continue
    counts.set(b.kind, (counts.get(b.kind) ?? 0) + 1)
  }
  return [...counts].map(([kind, count]) => ({ kind, count }))
}

/**
 * 软弱涣散标记 — a party organisation (or its village / community) flagged weak
 * and lax in a period, with the reason.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WeakAndLaxFlag = Schema.Struct({
  bodyId: Body.BodyId,
  period: Period.Period,
  flagged: Schema.Boolean,
  reason: Schema.optionalWith(Text.Note, { exact: true })
}).annotations({ identifier: "WeakAndLaxFlag", title: "软弱涣散标记 weak-and-lax flag" })

/**
 * @since 0.1.0
 * @category models
 */
export interface WeakAndLaxFlag extends Schema.Schema.Type<typeof WeakAndLaxFlag> {}

/**
 * The target count of weak-and-lax organisations: zero (清零).
 *
 * @since 0.1.0
 * @category constants
 */
export const weakAndLaxTarget = 0

/**
 * 软弱涣散 — the organisations flagged in a period (the last flag of a body in
 * the period wins), their count, the target and whether it is met.
 *
 * @since 0.1.0
 * @category metrics
 */
export const weakAndLax = (
  flags: ReadonlyArray<WeakAndLaxFlag>,
  period: Period.Period,
  target: number = weakAndLaxTarget
): {
  readonly flagged: ReadonlyArray<Body.BodyId>
  readonly count: number
  readonly target: number
  readonly met: boolean
} => {
  const last = new Map<Body.BodyId, boolean>()
  for (const f of flags) if (Period.equals(f.period, period)) last.set(f.bodyId, f.flagged)
  const flagged = [...last]
    .filter(([, v]) => v)
    .map(([id]) => id)
    .sort()
  return { flagged, count: flagged.length, target, met: flagged.length <= target }
}

/**
 * 组织模式 — a community's committees and stations as the Panlong district report
 * names its patterns: `一委一站` (one committee, one station), `两委一站` (the party
 * committee and the residents' committee, one station), `两委两站` (two
 * committees, two stations); `other` for any other count.
 *
 * @since 0.1.0
 * @category models
 */
export type Pattern = "一委一站" | "两委一站" | "两委两站" | "other"

/**
 * 组织模式 — the pattern of a unit's bodies existing on `day` (when given):
 * committees are the bodies of a 两委 kind, stations those of the executive class.
 *
 * @since 0.1.0
 * @category metrics
 */
export const patternOf = (
  bodies: ReadonlyArray<Body.Body>,
  unitId: UnitId,
  kinds: Body.BodyKindTable = Body.defaultKinds,
  day?: LocalDate
): { readonly committees: number; readonly stations: number; readonly pattern: Pattern } => {
  let committees = 0
  let stations = 0
  for (const b of bodies) {
    if (b.unitId !== unitId || (day !== undefined && !Body.existsOn(b, day))) continue
    const kind = kinds.find((k) => k.id === b.kind)
    if (kind === undefined) continue
    if (kind.twoCommittees) committees++
    else if (kind.bodyClass === "executive") stations++
  }
  const pattern: Pattern =
    committees === 1 && stations === 1
      ? "一委一站"
      : committees === 2 && stations === 1
        ? "两委一站"
        : committees === 2 && stations === 2
          ? "两委两站"
          : "other"
  return { committees, stations, pattern }
}
