/**
 * 仓库全集（SQL） — every core repository port on the ambient `SqlClient`,
 * as one Layer: the case store, the hierarchy (cached), grids, lists, surveys,
 * the department registry and the indicator source — and the case settings
 * the use cases place reports with (`CaseService.Settings`, grids read from
 * this store). A server composes it with the HTTP API:
 *
 * ```ts
 * Server.layer().pipe(
 *   Layer.provide(Authorization.layerMemory(tokens)), // or an app's verifier
 *   Layer.provide(SqlRepositories.layer({ timeLimits })),
 *   Layer.provide(SqliteStore.layer({ filename: "civicgrid.sqlite" })), // migrated: Migrations.run
 *   Layer.provide(NodeHttpServer.layer(createServer, { port: 3000 }))
 * )
 * ```
 *
 * **Policies (配置).** A street office's own category catalogue, routing
 * table and time-limit policy, stored with `PolicyRepository`
 * (`SqlPolicyRepository`, provided here too), are read when the layer is
 * built and replace the options' (or the built-in) ones: a stored catalogue
 * or routing table becomes the case settings' `catalogue` / `rules`, a stored
 * time-limit policy the case store's `timeLimits.policy` (on the options'
 * calendar, else the database's: `SqlCalendarRepository.calendar`). With
 * nothing stored the options apply unchanged. A stored change takes effect
 * when the layer is built again (a restart); a store that cannot be read then
 * is a defect.
 *
 * Apps run `Migrations.run` first. On SQLite, open the file with
 * `SqliteStore.layer` (`@civicgrid/sql/SqliteStore`): write transactions
 * `BEGIN IMMEDIATE` and wait for a busy file up to a busy timeout. Every port
 * fails with `Storage.StorageUnavailable` when the store is busy, unreachable
 * or kept conflicting (nothing written); other SQL errors are defects.
 *
 * @since 0.1.0
 */
import type { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import type { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import type { GridRepository } from "@civicgrid/core/GridRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import type { IndicatorSource } from "@civicgrid/core/IndicatorSource"
import type { ListRepository } from "@civicgrid/core/ListRepository"
import type { PolicyRepository } from "@civicgrid/core/PolicyRepository"
import type { SurveyRepository } from "@civicgrid/core/SurveyRepository"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PeopleCipher from "./PeopleCipher.js"
import * as SqlCalendarRepository from "./SqlCalendarRepository.js"
import * as SqlCaseRepository from "./SqlCaseRepository.js"
import * as SqlDeliberationRepository from "./SqlDeliberationRepository.js"
import * as SqlDepartmentRepository from "./SqlDepartmentRepository.js"
import * as SqlGridRepository from "./SqlGridRepository.js"
import * as SqlHierarchyRepository from "./SqlHierarchyRepository.js"
import * as SqlIndicatorSource from "./SqlIndicatorSource.js"
import * as SqlListRepository from "./SqlListRepository.js"
import * as SqlOrganizationRepository from "./SqlOrganizationRepository.js"
import * as SqlPeopleRepository from "./SqlPeopleRepository.js"
import * as SqlPolicyRepository from "./SqlPolicyRepository.js"
import * as SqlSurveyRepository from "./SqlSurveyRepository.js"

/**
 * Options: the case store's (`SqlCaseRepository.Options`: time limits, so
 * that deadlines and the indicator tables are kept) and how the hierarchy is
 * cached.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends SqlCaseRepository.Options {
  /**
   * How the hierarchy is cached (`HierarchyRepository.layerCached`: served
   * from memory, reloaded in the background when the store's version changed,
   * polled every 2 seconds by default), or `false` to read it from the store
   * every time.
   */
  readonly hierarchyCache?: HierarchyRepository.CacheOptions | false
  /**
   * 案件配置 — the catalogue reports are placed with, the routing table, the
   * tier levels, new case ids (`CaseService.layerSettingsFromRepositories`:
   * the grids are read from the store; defaults as `CaseService.makeConfig`).
   * A catalogue or routing table stored with `PolicyRepository` replaces
   * `catalogue` / `rules`.
   */
  readonly cases?: Parameters<typeof CaseService.layerSettingsFromRepositories>[0]
  /**
   * 联户走访 — the people store (`SqlPeopleRepository`): its key-group
   * catalogue and access policy, and the keyring residents are sealed with.
   * Without `keyring` the keys are read from the configuration
   * `CIVICGRID_PEOPLE_KEYS` (`PeopleCipher.config`); with neither, no
   * `PeopleRepository` is provided (an invalid keyring is a defect when the
   * layer is built).
   */
  readonly people?: Omit<SqlPeopleRepository.Options, "keyring"> & {
    readonly keyring?: PeopleCipher.Keyring
  }
}

/**
 * The ports `layer` provides.
 *
 * @since 0.1.0
 * @category models
 */
export type Repositories =
  | CaseService.Settings
  | CaseRepository
  | DepartmentRepository
  | HierarchyRepository.HierarchyRepository
  | GridRepository
  | ListRepository
  | SurveyRepository
  | IndicatorSource
  | PolicyRepository

/**
 * The SQL repositories (case, hierarchy, grid, list, survey, department,
 * policy) and the SQL indicator source on the ambient `SqlClient` — and the
 * people store (`PeopleRepository`, not in `Repositories`: read it with
 * `Effect.serviceOption`) when a keyring is given or configured
 * (`Options.people`), and the organisation store (`OrganizationRepository`,
 * bodies and posts; likewise read with `Effect.serviceOption`) and the deliberation store
 * (`DeliberationRepository`, topics of deliberation; likewise); the hierarchy is cached (`HierarchyRepository.layerCached`: reloaded off the
 * request path when another process changed it, polled every 2 s by default)
 * unless `hierarchyCache` is `false`. The stored policies are read once, when
 * the layer is built (see the module notes).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Repositories, never, SqlClient.SqlClient> => {
  const { cases = {}, hierarchyCache = {}, people = {}, ...caseOptions } = options
  const hierarchy =
    hierarchyCache === false
      ? SqlHierarchyRepository.layer
      : HierarchyRepository.layerCached(hierarchyCache).pipe(Layer.provide(SqlHierarchyRepository.layer))
  return Layer.unwrapEffect(
    Effect.gen(function* () {
      const policies = yield* Effect.orDie(SqlPolicyRepository.inForce())
      const stored = policies.stored
      const timeLimits = stored.has("time-limits")
        ? {
            policy: policies.timeLimits,
            calendar:
              caseOptions.timeLimits?.calendar ?? (yield* Effect.orDie(SqlCalendarRepository.calendar))
          }
        : caseOptions.timeLimits
      const settings = {
        ...cases,
        ...(stored.has("categories") ? { catalogue: policies.catalogue } : {}),
        ...(stored.has("routing") ? { rules: policies.rules } : {})
      }
      const stores = Layer.mergeAll(
        SqlCaseRepository.layer({ ...caseOptions, ...(timeLimits === undefined ? {} : { timeLimits }) }),
        SqlGridRepository.layer,
        SqlListRepository.layer,
        SqlSurveyRepository.layer,
        SqlIndicatorSource.layer,
        SqlDepartmentRepository.layer,
        SqlPolicyRepository.layer,
        SqlOrganizationRepository.layer,
        SqlDeliberationRepository.layer
      ).pipe(Layer.provideMerge(hierarchy))
      const { keyring: given, ...peopleSettings } = people
      const keyring =
        given === undefined ? yield* Effect.orDie(Config.option(PeopleCipher.config())) : Option.some(given)
      const withPeople: Layer.Layer<
        Layer.Layer.Success<typeof stores>,
        never,
        SqlClient.SqlClient
      > = Option.match(keyring, {
        onNone: () => stores,
        onSome: (keyring) =>
          SqlPeopleRepository.layer({ ...peopleSettings, keyring }).pipe(Layer.provideMerge(stores))
      })
      return CaseService.layerSettingsFromRepositories(settings).pipe(Layer.provideMerge(withPeople))
    }).pipe(Effect.withSpan("SqlRepositories.layer"))
  )
}
