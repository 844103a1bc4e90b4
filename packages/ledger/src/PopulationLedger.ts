/**
 * 社区人口台账 — the population of each community or village as its office
 * keeps it (`OrganizationRepository.Population`): one row per community —
 * the community (an id, a name or a path), its residents 常住人口 and the day
 * the figure was taken (统计日期, optional). The mediators-by-population rule
 * reads it (≥ 5 mediators above 3,000 residents, ≥ 3 at or below).
 *
 * @since 0.1.0
 */
import * as OrganizationRepository from "@civicgrid/core/OrganizationRepository"
import * as Schema from "effect/Schema"
import { Day } from "./internal/org.js"
import * as Ledger from "./Ledger.js"

/**
 * 社区人口台账行 — a population as a row, its day as a day cell.
 *
 * @since 0.1.0
 * @category schemas
 */
export const rowSchema = Schema.Struct({
  ...OrganizationRepository.Population.fields,
  asOf: Schema.optionalWith(Day, { exact: true })
}).annotations({ identifier: "PopulationRow", title: "社区人口台账行 population row" })

/**
 * 社区人口台账 — the spec; rows are `OrganizationRepository.Population` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<OrganizationRepository.Population> = Ledger.make({
  sheet: "社区人口台账",
  schema: rowSchema,
  headers: {
    unitId: { header: "社区", reference: "unit", width: 24 },
    residents: "常住人口",
    asOf: { header: "统计日期", width: 12, halfWidth: true }
  }
})
