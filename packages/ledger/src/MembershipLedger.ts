/**
 * 党员双报到台账 — the ledger of party members' memberships (`Membership.ts`):
 * one row per member and branch — the branch that holds the member's
 * organisational relation (组织关系), or a branch the member reports to where
 * they live (报到, 双报到) with the home organisation that holds the relation
 * (原单位党组织) — and the term.
 *
 * `check` runs the core's membership rules (`Membership.check`: one relation
 * at a time, a report names its home organisation and is not to it, no
 * reversed term) over the imported rows and shows every breach at its rows.
 *
 * @since 0.1.0
 */
import type * as Body from "@civicgrid/core/Body"
import * as Membership from "@civicgrid/core/Membership"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { bodyByName, Day } from "./internal/org.js"
import * as Ledger from "./Ledger.js"
import * as LedgerCheck from "./LedgerCheck.js"

/**
 * 关系类别名称 — 组织关系 and 报到.
 *
 * @since 0.1.0
 * @category constants
 */
export const kindLabels: Readonly<Record<Membership.MembershipKind, string>> = {
  relation: "组织关系",
  reported: "报到"
}

/**
 * 党员双报到台账行 — a membership as a row: the core's `Membership` with its
 * bodies by id or name and its days as day cells.
 *
 * @since 0.1.0
 * @category schemas
 */
export const rowSchema = (bodies: ReadonlyArray<Body.Body> = []) => {
  const body = bodyByName(Membership.Membership.fields.bodyId, bodies)
  return Schema.Struct({
    ...Membership.Membership.fields,
    bodyId: body,
    homeBodyId: Schema.optionalWith(body, { exact: true }),
    since: Day,
    until: Schema.optionalWith(Day, { exact: true })
  }).annotations({ identifier: "MembershipRow", title: "党员双报到台账行 membership row" })
}

/**
 * 党员双报到台账 — the spec, the body columns reading ids or the names of
 * `bodies`; rows are `Membership.Membership` values.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (bodies: ReadonlyArray<Body.Body> = []): Ledger.LedgerSpec<Membership.Membership> =>
  Ledger.make({
    sheet: "党员双报到台账",
    schema: rowSchema(bodies),
    headers: {
      personId: "党员编号",
      bodyId: { header: "所在党组织", width: 20 },
      kind: { header: "关系类别", labels: kindLabels },
      homeBodyId: { header: "原单位党组织", width: 20 },
      since: { header: "起始日期", width: 12, halfWidth: true },
      until: { header: "终止日期", width: 12, halfWidth: true }
    }
  })

/**
 * 党员双报到台账 — the spec with bodies by id.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<Membership.Membership> = make()

/** The cell a breach of each rule points at. */
const fieldOf: Readonly<Record<Membership.MembershipRule, string>> = {
  "several-relations": "bodyId",
  "reported-without-home": "homeBodyId",
  "report-to-home": "homeBodyId",
  "term-reversed": "until"
}

/** Whether a row is one a violation speaks of. */
const concerns = (v: Membership.MembershipViolation, m: Membership.Membership): boolean => {
  if (m.personId !== v.personId || !v.bodyIds.includes(m.bodyId)) return false
  switch (v.rule) {
    case "several-relations":
      return m.kind === "relation"
    case "reported-without-home":
      return m.kind === "reported" && m.homeBodyId === undefined
    case "report-to-home":
      return m.kind === "reported" && m.homeBodyId === m.bodyId
    case "term-reversed":
      return m.until !== undefined && m.until < m.since
  }
}

/**
 * 核查 — runs `Membership.check` over the imported rows: the memberships, or
 * every breach at its rows (the cell to look at: 所在党组织 for two relations,
 * 原单位党组织 for a report, 终止日期 for a reversed term).
 *
 * @since 0.1.0
 * @category checking
 */
export const check = (
  report: Ledger.ImportReport<Membership.Membership>,
  ledger: Ledger.LedgerSpec<Membership.Membership> = spec
): Either.Either<ReadonlyArray<Membership.Membership>, LedgerCheck.LedgerCheckFailed> => {
  const rows = LedgerCheck.numbered(report)
  const located: Array<LedgerCheck.LocatedViolation> = []
  const unlocated: Array<LedgerCheck.UnlocatedViolation> = []
  for (const v of Membership.check(report.rows)) {
    const hits = rows.filter((r) => concerns(v, r.value))
    if (hits.length === 0) unlocated.push({ rule: v.rule, message: v.message })
    for (const hit of hits) {
      located.push(LedgerCheck.at(ledger, report, hit.row, fieldOf[v.rule], v.rule, v.message))
    }
  }
  const failed = LedgerCheck.failure(located, unlocated)
  return failed === undefined ? Either.right(report.rows) : Either.left(failed)
}
