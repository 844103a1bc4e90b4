/**
 * 软弱涣散台账 — the weak-and-lax flags 软弱涣散 of party organisations
 * (`OrganizationMetrics.WeakAndLaxFlag`) as the street keeps them toward its
 * zero target (清零, the Pingyi street report): one row per organisation and
 * period — the body (an id, or the name of one of the bodies given, as the
 * post ledger's body column), the period (`2025-Q3`, `2025年第3季度`,
 * `2025-10` …), 是否软弱涣散 是/否 and the reason. A row 否 after a period
 * 是 is the organisation cleared.
 *
 * Whether the target is met is not a column: the core counts the flagged
 * organisations of a period (`OrganizationMetrics.weakAndLax`), so a sheet
 * cannot disagree with the rule. A body the store does not hold is refused by
 * the store (`BodyNotFound`).
 *
 * @since 0.1.0
 */
import type * as Body from "@civicgrid/core/Body"
import * as OrganizationMetrics from "@civicgrid/core/OrganizationMetrics"
import * as Schema from "effect/Schema"
import { PeriodCell } from "./AppraisalLedger.js"
import { bodyByName } from "./internal/org.js"
import * as Ledger from "./Ledger.js"

/**
 * What a weak-and-lax ledger reads against: the bodies whose names the body
 * column may hold.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly bodies?: ReadonlyArray<Body.Body>
}

/**
 * 软弱涣散台账行 — a flag as a row: its body by id or name, its period as a
 * period cell.
 *
 * @since 0.1.0
 * @category schemas
 */
export const rowSchema = (context: Context = {}) =>
  Schema.Struct({
    ...OrganizationMetrics.WeakAndLaxFlag.fields,
    bodyId: bodyByName(OrganizationMetrics.WeakAndLaxFlag.fields.bodyId, context.bodies ?? []),
    period: PeriodCell
  }).annotations({ identifier: "WeakAndLaxRow", title: "软弱涣散台账行 weak-and-lax row" })

/**
 * 软弱涣散台账 — the spec; rows are `OrganizationMetrics.WeakAndLaxFlag` values.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (context: Context = {}): Ledger.LedgerSpec<OrganizationMetrics.WeakAndLaxFlag> =>
  Ledger.make({
    sheet: "软弱涣散台账",
    schema: rowSchema(context),
    headers: {
      bodyId: { header: "党组织", width: 24 },
      period: { header: "周期", width: 14, halfWidth: true },
      flagged: "是否软弱涣散",
      reason: { header: "原因", width: 30 }
    }
  })

/**
 * 软弱涣散台账 — the spec with bodies by id.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<OrganizationMetrics.WeakAndLaxFlag> = make()
