/**
 * 处置时限台账 — the time-limit ledger (`TimeLimit.ts`): one row per time-limit
 * rule 时限规则 — the 小类 it applies to, the urgency 紧急程度 and the step 处置环节
 * (each empty = any), and the limit as an amount and a unit (工作时, 工作日,
 * 小时, 自然日). Rows are `TimeLimit.Rule` values; the policy is checked by
 * the core (`TimeLimit.makePolicy`, `PolicyRepository.putTimeLimits`).
 *
 * @since 0.1.0
 */
import { CategoryId, Urgency } from "@civicgrid/core/CaseCategory"
import * as CaseStep from "@civicgrid/core/CaseStep"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

/**
 * 时限台账行 — a time-limit rule as a flat row (the limit as amount and unit).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimeLimitRow = Schema.Struct({
  categoryId: Schema.optionalWith(CategoryId, { exact: true }),
  urgency: Schema.optionalWith(Urgency, { exact: true }),
  step: Schema.optionalWith(CaseStep.CaseStep, { exact: true }),
  amount: WorkDuration.WorkDuration.fields.amount,
  unit: WorkDuration.DurationUnit
}).annotations({ identifier: "TimeLimitRow", title: "时限台账行 time-limit row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TimeLimitRow extends Schema.Schema.Type<typeof TimeLimitRow> {}

/**
 * A time-limit rule from its flat row, and back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RuleFromRow = Schema.transform(TimeLimitRow, Schema.typeSchema(TimeLimit.Rule), {
  strict: true,
  decode: ({ amount, unit, ...pattern }) => ({ ...pattern, limit: { amount, unit } }),
  encode: ({ limit, ...pattern }) => ({ ...pattern, amount: limit.amount, unit: limit.unit })
})

/**
 * 处置时限台账 — the spec; rows are `TimeLimit.Rule` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<TimeLimit.Rule> = Ledger.make({
  sheet: "处置时限台账",
  schema: RuleFromRow,
  headers: {
    categoryId: "案件小类",
    urgency: { header: "紧急程度", labels: { normal: "一般", urgent: "紧急", critical: "特急" } },
    step: { header: "处置环节", labels: CaseStep.names },
    amount: "时限",
    unit: { header: "时限单位", labels: WorkDuration.unitNames }
  }
})
