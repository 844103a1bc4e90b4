/**
 * 组织与岗位台账核查 — a street's bodies, posts and compounds loaded from their
 * ledgers (组织台账, 岗位台账, 小区管理台账) and checked together by the core's
 * organisation rules (`OrganizationRules.check`: 大党委 composition, 一村一顾问,
 * mediators by population, grid leaders from the 两委, 议行分离, every compound
 * managed, and the records' integrity). Every violation is shown at the rows
 * it names — a post at its row of the post ledger, a body at its row of the
 * organisation ledger, a compound at its row of the compound ledger — with the
 * cell to look at; one that names no row (a community with no legal adviser at
 * all) is reported without one.
 *
 * The two-step import: read the organisation ledger first; read the post and
 * compound ledgers with its bodies (`PostLedger.make({ bodies })`,
 * `CompoundLedger.make(bodies)`) so body cells may hold names; then `check`.
 *
 * @since 0.1.0
 */
import type * as Body from "@civicgrid/core/Body"
import type * as Compound from "@civicgrid/core/Compound"
import * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import type * as Post from "@civicgrid/core/Post"
import type { LocalDate } from "@civicgrid/core/WorkingCalendar"
import * as Either from "effect/Either"
import * as BodyLedger from "./BodyLedger.js"
import * as CompoundLedger from "./CompoundLedger.js"
import type * as Ledger from "./Ledger.js"
import * as LedgerCheck from "./LedgerCheck.js"
import * as PostLedger from "./PostLedger.js"

/**
 * 导入的台账 — the import reports of the ledgers (each with its row numbers)
 * and the specs they were read with (for headers; the default specs when
 * absent).
 *
 * @since 0.1.0
 * @category models
 */
export interface Reports {
  readonly bodies: Ledger.ImportReport<Body.Body>
  readonly posts: Ledger.ImportReport<Post.Post>
  readonly compounds?: Ledger.ImportReport<Compound.Compound>
  readonly specs?: {
    readonly bodies?: Ledger.LedgerSpec<Body.Body>
    readonly posts?: Ledger.LedgerSpec<Post.Post>
    readonly compounds?: Ledger.LedgerSpec<Compound.Compound>
  }
}

/**
 * 核查背景 — what the rules read beside the ledgers: the day, the communities
 * and villages (residents, street), the kind tables, grid leaders from grid
 * staffing, and the rules (default: the field reports').
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly day: LocalDate
  readonly communities: ReadonlyArray<OrganizationRules.Community>
  readonly bodyKinds?: Body.BodyKindTable
  readonly postKinds?: Post.PostKindTable
  readonly staffingGridLeaders?: ReadonlyArray<OrganizationRules.StaffingGridLeader>
  readonly rules?: OrganizationRules.Rules
}

type Problem = OrganizationRules.Problem

/** The post cell each problem points at. */
const postField: Partial<Readonly<Record<Problem, string>>> = {
  "too-few": "kind",
  "too-many": "kind",
  "not-two-committees": "holder",
  "first-secretaries-several": "holder",
  "first-secretary-not-from-street": "affiliation",
  "secretaries-several": "holder",
  "secretary-not-community-secretary": "holder",
  "part-time-member-source": "affiliation",
  "holds-both": "holder",
  "duplicate-id": "id",
  "unknown-body": "bodyId",
  "unknown-post-kind": "kind",
  "term-reversed": "until",
  "single-post-overlap": "since"
}

/** The body cell each problem points at. */
const bodyField: Partial<Readonly<Record<Problem, string>>> = {
  "first-secretary-missing": "name",
  "secretary-missing": "name",
  "sector-missing": "name",
  "duplicate-id": "id",
  "unknown-body-kind": "kind",
  "temporary-without-end": "until",
  "term-reversed": "until"
}

/** The compound cell each problem points at. */
const compoundField: Partial<Readonly<Record<Problem, string>>> = {
  "no-arrangement": "mode",
  "not-taken-over": "takenOverBy",
  "manager-unknown": "managerId",
  "manager-wrong-kind": "managerId",
  "duplicate-id": "id"
}

/**
 * 组织配置检查输入 — the rules' input from the imported ledgers and the context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const inputOf = (reports: Reports, context: Context): OrganizationRules.Input => ({
  day: context.day,
  communities: context.communities,
  bodies: reports.bodies.rows,
  posts: reports.posts.rows,
  compounds: reports.compounds?.rows ?? [],
  ...(context.bodyKinds === undefined ? {} : { bodyKinds: context.bodyKinds }),
  ...(context.postKinds === undefined ? {} : { postKinds: context.postKinds }),
  ...(context.staffingGridLeaders === undefined ? {} : { staffingGridLeaders: context.staffingGridLeaders })
})

/**
 * 定位 — each violation of the rules with the rows it names (empty when it
 * names none).
 *
 * @since 0.1.0
 * @category checking
 */
export const locate = (
  reports: Reports,
  violations: ReadonlyArray<OrganizationRules.OrganizationViolation>
): ReadonlyArray<{
  readonly violation: OrganizationRules.OrganizationViolation
  readonly rows: ReadonlyArray<LedgerCheck.LocatedViolation>
}> => {
  const posts = LedgerCheck.numbered(reports.posts)
  const bodies = LedgerCheck.numbered(reports.bodies)
  const compounds = reports.compounds === undefined ? [] : LedgerCheck.numbered(reports.compounds)
  const postSpec = reports.specs?.posts ?? PostLedger.spec
  const bodySpec = reports.specs?.bodies ?? BodyLedger.spec
  const compoundSpec = reports.specs?.compounds ?? CompoundLedger.spec
  return violations.map((v) => {
    const rule = `${v.rule}/${v.problem}`
    const out: Array<LedgerCheck.LocatedViolation> = []
    const pf = postField[v.problem]
    const bf = bodyField[v.problem]
    const cf = compoundField[v.problem]
    if (v.postIds.length > 0 && pf !== undefined) {
      for (const p of posts) {
        if (v.postIds.includes(p.value.id))
          out.push(LedgerCheck.at(postSpec, reports.posts, p.row, pf, rule, v.message))
      }
    } else if (
      v.rule === "compound-management" ||
      (v.problem === "duplicate-id" && v.unitId !== undefined && v.bodyIds.length === 0)
    ) {
      const compoundReport = reports.compounds
      if (compoundReport !== undefined && cf !== undefined) {
        for (const c of compounds) {
          if (c.value.id === v.unitId)
            out.push(LedgerCheck.at(compoundSpec, compoundReport, c.row, cf, rule, v.message))
        }
      }
    } else if (v.bodyIds.length > 0 && bf !== undefined) {
      for (const b of bodies) {
        if (v.bodyIds.includes(b.value.id))
          out.push(LedgerCheck.at(bodySpec, reports.bodies, b.row, bf, rule, v.message))
      }
    }
    return { violation: v, rows: out }
  })
}

/**
 * 核查 — runs the organisation rules over the imported ledgers: the rules'
 * input, or every violation at its rows (and those that name no row).
 *
 * @since 0.1.0
 * @category checking
 */
export const check = (
  reports: Reports,
  context: Context
): Either.Either<OrganizationRules.Input, LedgerCheck.LedgerCheckFailed> => {
  const input = inputOf(reports, context)
  const located: Array<LedgerCheck.LocatedViolation> = []
  const unlocated: Array<LedgerCheck.UnlocatedViolation> = []
  for (const { violation, rows } of locate(reports, OrganizationRules.check(input, context.rules))) {
    if (rows.length === 0) {
      unlocated.push({ rule: `${violation.rule}/${violation.problem}`, message: violation.message })
    } else {
      located.push(...rows)
    }
  }
  const failed = LedgerCheck.failure(located, unlocated)
  return failed === undefined ? Either.right(input) : Either.left(failed)
}
