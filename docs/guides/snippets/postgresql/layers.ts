import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlCaseRepository from "@civicgrid/sql/SqlCaseRepository"
import * as SqlGridRepository from "@civicgrid/sql/SqlGridRepository"
import * as SqlHierarchyRepository from "@civicgrid/sql/SqlHierarchyRepository"
import * as SqlListRepository from "@civicgrid/sql/SqlListRepository"
import * as SqlSurveyRepository from "@civicgrid/sql/SqlSurveyRepository"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"

// The client: the URL is a `Redacted`, so it never shows up in logs or error messages.
export const layerPg = (url: Redacted.Redacted<string>) => PgClient.layer({ url, maxConnections: 10 })

// 时限 — with a policy and a calendar, the case store keeps each case's deadline in its read model
// and the indicator tables of `SqlIndicators` in the same transaction as the events.
export const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

// Migrate before anything reads or writes: each migration runs once (recorded in `cg_migrations`);
// a database migrated by a newer civicgrid is refused with `DatabaseTooNew` before anything is touched.
const layerMigrated = Layer.effectDiscard(Migrations.run)

// The core's ports on PostgreSQL, over one pool; `SqlClient` stays available for `SqlIndicators`.
export const layerStores = (url: Redacted.Redacted<string>) =>
  Layer.mergeAll(
    SqlCaseRepository.layer({ timeLimits }),
    SqlHierarchyRepository.layer,
    SqlGridRepository.layer,
    SqlListRepository.layer,
    SqlSurveyRepository.layer
  ).pipe(Layer.provideMerge(layerMigrated), Layer.provideMerge(layerPg(url)))

// In an app, read the URL from the environment — the variable the example server and `npx civicgrid` use:
export const layerFromEnv = Layer.unwrapEffect(
  Effect.map(Config.redacted("CIVICGRID_DATABASE_URL"), (url) => layerStores(url))
)
