/**
 * 指标来源（SQL） — the core's `IndicatorSource` port over `SqlIndicators`:
 * the indicators of a subtree per period, added up in SQL from the sums the
 * case store (`SqlCaseRepository`, given `timeLimits`) keeps — figures equal
 * to the core's `Indicator.measure` over the same events. `SqlIndicators`'
 * failures become the port's (same tags and fields); SQL errors are defects.
 *
 * ```ts
 * SqlIndicatorSource.layer // Layer<IndicatorSource, never, SqlClient>
 * ```
 *
 * @since 0.1.0
 */
import { IndicatorSource, type Query } from "@civicgrid/core/IndicatorSource"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as SqlIndicators from "./SqlIndicators.js"

/**
 * The `IndicatorSource` over `SqlIndicators.compute` on the ambient
 * `SqlClient` (migrated).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<IndicatorSource, never, SqlClient.SqlClient> = Layer.effect(
  IndicatorSource,
  Effect.map(SqlClient.SqlClient, (sql) =>
    IndicatorSource.of({
      compute: (query: Query) =>
        // SqlIndicators fails with the port's own errors
        SqlIndicators.compute(query).pipe(Effect.provideService(SqlClient.SqlClient, sql))
    })
  )
)
