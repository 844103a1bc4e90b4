/**
 * 干部考核台账 — the cadre appraisals of the Pingyi street report's 绿橙红
 * dynamic management (`CadreAppraisal.ts`) as the street keeps them: one row
 * per cadre and period — the community (an id, a name or a path), the cadre's
 * person id (任职人员台账), the period (`2025-Q3`, `2025年第3季度`, `2025-10`,
 * `2025年10月` …), the score 0–100 and a note. The light is not a column: the
 * core lights each score (`Score.light`, thresholds configurable), so a sheet
 * cannot disagree with the rule.
 *
 * A cadre appraised twice in one period and a score outside 0–100 are the
 * core's rules (`CadreAppraisal.check`), reported by row by the importer.
 *
 * @since 0.1.0
 */
import * as CadreAppraisal from "@civicgrid/core/CadreAppraisal"
import * as OrganizationRepository from "@civicgrid/core/OrganizationRepository"
import * as Period from "@civicgrid/core/Period"
import { UnitId } from "@civicgrid/core/Unit"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

/** Generated periods: a day's period of any granularity, 2000–2099. */
const periodArbitrary = Schema.typeSchema(Period.Period).annotations({
  arbitrary: () => (fc) =>
    fc
      .tuple(fc.integer({ min: 10_957, max: 47_480 }), fc.constantFrom(...Period.granularities))
      .map(([n, granularity]) =>
        Period.ofDate(LocalDate.make(new Date(n * 86_400_000).toISOString().slice(0, 10)), granularity)
      )
})

/**
 * 考核周期 — a period cell: an ISO-style or Chinese period label (`Period.parse`),
 * written ISO-style (`2025-Q3`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PeriodCell: Schema.Schema<Period.Period, string> = Schema.transformOrFail(
  Schema.String,
  periodArbitrary,
  {
    strict: true,
    decode: (text, _, ast) =>
      Either.match(Period.parse(text), {
        onLeft: (e) => ParseResult.fail(new ParseResult.Type(ast, text, e.message)),
        onRight: ParseResult.succeed
      }),
    encode: (p) => ParseResult.succeed(Period.label(p))
  }
).annotations({ identifier: "PeriodCell", title: "考核周期 period" })

/**
 * 干部考核台账行 — an appraisal as a flat row.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FlatRow = Schema.Struct({
  unitId: UnitId,
  cadreId: CadreAppraisal.Appraisal.fields.cadreId,
  period: PeriodCell,
  score: CadreAppraisal.Appraisal.fields.score,
  note: CadreAppraisal.Appraisal.fields.note
}).annotations({ identifier: "AppraisalRow", title: "干部考核台账行 appraisal row" })

/**
 * An appraisal with its unit (`OrganizationRepository.UnitAppraisal`) from its
 * flat row, and back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const rowSchema: Schema.Schema<OrganizationRepository.UnitAppraisal, typeof FlatRow.Encoded> =
  Schema.transform(FlatRow, Schema.typeSchema(OrganizationRepository.UnitAppraisal), {
    strict: true,
    decode: ({ unitId, ...appraisal }) => ({ unitId, appraisal }),
    encode: ({ appraisal, unitId }) => ({ unitId, ...appraisal })
  })

/**
 * 干部考核台账 — the spec; rows are `OrganizationRepository.UnitAppraisal` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<OrganizationRepository.UnitAppraisal> = Ledger.make({
  sheet: "干部考核台账",
  schema: rowSchema,
  headers: {
    unitId: { header: "社区", reference: "unit", width: 24 },
    cadreId: "人员编号",
    period: { header: "考核周期", width: 14, halfWidth: true },
    score: "得分",
    note: { header: "备注", width: 30 }
  }
})
