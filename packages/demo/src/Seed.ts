/**
 * 初始化 — migrates the database and, on the first start only (no hierarchy
 * stored yet), seeds it in one transaction with a demo district
 * (`District`): its hierarchy, the party organisations of every street,
 * buildings, grids, staff and their assignments, the demo credentials (bearer
 * tokens and the Open311 `api_key`, stored hashed in `cg_api_keys`), a year of
 * cases (`Cases`) appended in batches, the three lists of that year (`Lists`:
 * 问题清单, 资源清单 and the 任务清单 the planner made of them), and a year of
 * satisfaction survey responses per community, and — when a people store
 * (`PeopleRepository`) is provided — the demo people data (`People`:
 * households, residents, key groups, contacts, visit plans due around the
 * seed's date, visits, proxy services), and — when an organisation store
 * (`OrganizationRepository`, part of `SqlRepositories.layer`) is there — the
 * demo organisation data (`Organization`: bodies, posts and their holders,
 * party memberships, compounds with their management, community populations,
 * cadre appraisals), and — when a deliberation store
 * (`DeliberationRepository`, part of `SqlRepositories.layer`) is there — the
 * demo deliberation (`Deliberation`: proposals, meetings, votes, resolutions
 * and their tasks, publications, through the core's use case). An
 * optional callback reports progress per phase,
 * for a CLI's progress bar.
 *
 * ```ts
 * Seed.prepare({ cases: { count: 500 }, onProgress: (p) => bar.update(p) }).pipe(
 *   Effect.provide(Seed.layerStores),
 *   Effect.provide(SqliteStore.layer({ filename: "civicgrid.sqlite" })) // @civicgrid/sql/SqliteStore
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import type * as Deliberation from "@civicgrid/core/Deliberation"
import * as DeliberationRepository from "@civicgrid/core/DeliberationRepository"
import * as Department from "@civicgrid/core/Department"
import * as DepartmentRepository from "@civicgrid/core/DepartmentRepository"
import * as GridRepository from "@civicgrid/core/GridRepository"
import type * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as ListRepository from "@civicgrid/core/ListRepository"
import * as Meeting from "@civicgrid/core/Meeting"
import * as OrganizationRepository from "@civicgrid/core/OrganizationRepository"
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as PeopleRepository from "@civicgrid/core/PeopleRepository"
import type * as ProblemList from "@civicgrid/core/ProblemList"
import * as Proposal from "@civicgrid/core/Proposal"
import type * as ProxyService from "@civicgrid/core/ProxyService"
import type * as ResourceList from "@civicgrid/core/ResourceList"
import type * as Storage from "@civicgrid/core/Storage"
import * as Survey from "@civicgrid/core/Survey"
import * as SurveyRepository from "@civicgrid/core/SurveyRepository"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import type * as Open311 from "@civicgrid/http/Open311"
import * as Principal from "@civicgrid/http/Principal"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlCalendarRepository from "@civicgrid/sql/SqlCalendarRepository"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import type { MigrationError } from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Cases from "./Cases.js"
import * as DemoDeliberation from "./Deliberation.js"
import * as District from "./District.js"
import { integerIn, violationsOf } from "./internal/options.js"
import { random } from "./internal/random.js"
import * as Lists from "./Lists.js"
import * as Organization from "./Organization.js"
import * as People from "./People.js"

// ---------------------------------------------------------------------------
// demo credentials
// ---------------------------------------------------------------------------

/**
 * 演示令牌 — a well-known bearer token, who it stands for, and a label for
 * the banner.
 *
 * @since 0.1.0
 * @category models
 */
export interface DemoToken {
  readonly token: string
  readonly label: string
  readonly principal: Principal.Principal
}

/**
 * 演示令牌名 — the well-known demo bearer tokens, one per role: `demo-<role>`;
 * `demo-petition-agent` holds a local role of the role table (信访代办员,
 * acting as community staff).
 *
 * @since 0.1.0
 * @category constants
 */
export const demoTokenNames = [
  "demo-resident",
  "demo-grid-worker",
  "demo-community-staff",
  "demo-street-staff",
  "demo-district-staff",
  "demo-department",
  "demo-hotline",
  "demo-petition-agent",
  "demo-admin"
] as const

/**
 * 演示令牌 — one bearer token per role (`demo-<role>`), well known: for a
 * local demo only. The principals follow the district: the demo resident's
 * home, the first staffed grid's worker, the first community and street.
 *
 * @since 0.1.0
 * @category constructors
 */
export const demoTokens = (district: District.DemoDistrict): ReadonlyArray<DemoToken> => {
  const root = District.root(district)
  const districtId = root.id
  const homes = Cases.demoHomes(district)
  const community = district.units.find((u) => u.level === "community")
  const street = district.units.find((u) => u.id === community?.parentId)
  const communityId = community?.id ?? homes.gridWorkerCommunity
  const streetId = street?.id ?? districtId
  return [
    {
      token: "demo-resident",
      label: `居民 resident (home ${homes.residentHome})`,
      principal: Principal.make({ id: "r-demo", role: "resident", unitId: homes.residentHome })
    },
    {
      token: "demo-grid-worker",
      label: `网格员 grid worker (${homes.gridWorkerCommunity})`,
      principal: Principal.make({
        id: homes.gridWorker,
        role: "grid-worker",
        unitId: homes.gridWorkerCommunity
      })
    },
    {
      token: "demo-community-staff",
      label: `社区工作人员 community staff (${communityId} ${community?.name ?? ""})`.trimEnd(),
      principal: Principal.make({ id: `cs-${communityId}`, role: "community-staff", unitId: communityId })
    },
    {
      token: "demo-street-staff",
      label: `街道工作人员 street staff (${streetId} ${street?.name ?? ""})`.trimEnd(),
      principal: Principal.make({ id: `ss-${streetId}`, role: "street-staff", unitId: streetId })
    },
    {
      token: "demo-district-staff",
      label: `区指挥中心 district staff (${districtId} ${root.name})`,
      principal: Principal.make({ id: `ds-${districtId}`, role: "district-staff", unitId: districtId })
    },
    {
      token: "demo-department",
      label: "职能部门 department (drainage 排水): only the cases dispatched to it",
      // the district is where the bureau sits, not a jurisdiction: no `grantedSubtree`, so the token sees
      // only what is dispatched to 排水
      principal: Principal.make({
        id: "dept-drainage",
        role: "department",
        unitId: districtId,
        departmentId: "drainage"
      })
    },
    {
      token: "demo-hotline",
      label: `12345 热线 hotline (${districtId} ${root.name}): return visits 回访`,
      principal: Principal.make({ id: `hl-${districtId}`, role: "hotline", unitId: districtId })
    },
    {
      token: "demo-petition-agent",
      label:
        `信访代办员 petition agent, acting as 社区工作人员 community staff (${communityId} ${community?.name ?? ""})`.trimEnd(),
      // a local role of the role table, drawn from it by its Chinese name as `civicgrid keys issue --role` does
      principal: Either.getOrThrow(
        Principal.validate({ id: `pa-${communityId}`, role: "信访代办员", unitId: communityId })
      )
    },
    {
      token: "demo-admin",
      label: `管理员 admin (${districtId})`,
      principal: Principal.make({ id: "admin", role: "admin", unitId: districtId })
    }
  ]
}

/**
 * 演示密钥 — the Open311 `api_key` of the demo client.
 *
 * @since 0.1.0
 * @category constants
 */
export const demoApiKey = "demo-open311-key"

/**
 * 演示客户端 — the Open311 client the demo `api_key` stands for.
 *
 * @since 0.1.0
 * @category constants
 */
export const demoApiClient: Open311.ApiClient = { id: "demo", name: "演示客户端 demo client" }

/**
 * 登记演示凭据 — stores the demo bearer tokens and the demo Open311 key in
 * the SQL key store (`cg_api_keys`, hashed: `SqlApiKeys.register`), so the
 * verifiers over `SqlApiKeys.bearerLookup` / `open311Lookup` accept them. Returns how many
 * were stored. Fails (`SqlError`) when they are stored already.
 *
 * @since 0.1.0
 * @category constructors
 */
export const registerCredentials = (
  district: District.DemoDistrict
): Effect.Effect<number, SqlError | SqlApiKeys.TokenRefused, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const tokens = demoTokens(district)
    for (const t of tokens) yield* SqlApiKeys.register(Redacted.make(t.token), t.principal)
    yield* SqlApiKeys.registerOpen311(Redacted.make(demoApiKey), demoApiClient)
    return tokens.length + 1
  })

// ---------------------------------------------------------------------------
// party organisations
// ---------------------------------------------------------------------------

/**
 * 党组织树 — the rows the demo stores: a district-level organisation
 * (`district-committee` 区委) with every street's tree under it.
 *
 * @since 0.1.0
 * @category getters
 */
export const partyTree = (
  district: District.DemoDistrict
): ReadonlyArray<PartyOrganization.PartyOrganization> => {
  const root = District.root(district)
  const rootId = `po-${root.id}`
  return [
    PartyOrganization.makeOrg({
      id: rootId,
      parentId: null,
      kind: "district-committee",
      name: `${root.name}区委`,
      unitId: root.id
    }),
    ...district.partyOrgs.map((o) =>
      o.parentId === null ? PartyOrganization.makeOrg({ ...o, parentId: rootId }) : o
    )
  ]
}

// ---------------------------------------------------------------------------
// options and results
// ---------------------------------------------------------------------------

/**
 * 初始化阶段 — the phases progress is reported in, in order.
 *
 * @since 0.1.0
 * @category models
 */
export type Phase =
  | "migrate"
  | "hierarchy"
  | "party"
  | "buildings"
  | "grids"
  | "staff"
  | "credentials"
  | "generate"
  | "cases"
  | "lists"
  | "surveys"
  | "people"
  | "deliberation"
  | "organization"

/**
 * 进度 — how far a phase is: `done` of `total` items (units, organisations,
 * buildings, grids, people and assignments, credentials, cases generated,
 * cases stored, list items — problems, resources, tasks — stored, survey
 * responses, people records stored — households, residents, key-group
 * enrolments, contacts, links, visit plans, visits, proxy services; migrations
 * applied; organisation records stored — people, bodies, posts, memberships,
 * compounds, community populations, appraisals; deliberation commands handled). The `people` phase is
 * reported as 0 of 0 when no people store (`PeopleRepository`) is there: nothing was stored; so is the
 * `deliberation` phase without a deliberation store (`DeliberationRepository`). The
 * `organization` phase comes last, likewise 0 of 0 without an organisation
 * store (`OrganizationRepository`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  readonly phase: Phase
  readonly done: number
  readonly total: number
}

/**
 * 初始化选项.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 示范区 — the district to seed (default `District.makeDefault()`). */
  readonly district?: District.DemoDistrict
  /** 案件 — how many cases, which year, which seed (`Cases.Options`; default 3,000 of 2025). */
  readonly cases?: Cases.Options
  /**
   * 清单 — how many problems per community, which year, which seed
   * (`Lists.Options`; default 4–8 problems per community, in the cases' year).
   */
  readonly lists?: Lists.Options
  /** Cases per `appendAll` transaction: 1 to 10,000 (default 500). */
  readonly batchSize?: number
  /** Called at the start and end of each phase, and as cases are generated and stored and people records stored. */
  readonly onProgress?: (progress: Progress) => void
}

/**
 * 初始化选项无效 — `batchSize` outside 1–10,000.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSeedOptions extends Schema.TaggedError<InvalidSeedOptions>()("InvalidSeedOptions", {
  field: Schema.Literal("batchSize"),
  rule: Schema.String,
  value: Schema.Unknown
}) {
  override get message(): string {
    return `初始化选项无效 invalid seed options: ${this.field} must be ${this.rule} (got ${String(this.value)})`
  }
}

/**
 * 初始化结果 — what `prepare` / `seed` did: nothing (already seeded), or the
 * counts seeded and how long it took.
 *
 * @since 0.1.0
 * @category models
 */
export type Prepared =
  | { readonly _tag: "AlreadySeeded" }
  | {
      readonly _tag: "Seeded"
      readonly units: number
      readonly partyOrganizations: number
      readonly buildings: number
      readonly grids: number
      readonly people: number
      readonly credentials: number
      readonly cases: number
      readonly paths: Readonly<Partial<Record<Cases.Path, number>>>
      /** 问题清单 — problems stored. */
      readonly problems: number
      /** 资源清单 — resources stored. */
      readonly resources: number
      /** 任务清单 — tasks stored. */
      readonly tasks: number
      readonly surveyResponses: number
      /**
       * 联户走访 — the demo people data stored (`People.generate`), when a
       * people store is there (`PeopleRepository`; none: all zero).
       */
      readonly households: number
      readonly residents: number
      readonly enrolments: number
      readonly contacts: number
      readonly visitPlans: number
      readonly visits: number
      readonly proxyServices: number
      /**
       * 组织与岗位 — the demo organisation data stored (`Organization.generate`),
       * when an organisation store is there (`OrganizationRepository`; none: all
       * zero): bodies, post records, the people holding them, party memberships,
       * compounds and cadre appraisals.
       */
      readonly bodies: number
      readonly posts: number
      readonly postHolders: number
      readonly memberships: number
      readonly compounds: number
      /** 社区人口 — communities whose population was stored. */
      readonly populations: number
      readonly appraisals: number
      /**
       * 议事协商 — the demo deliberation stored (`Deliberation.generate`), when a
       * deliberation store is there (`DeliberationRepository`; none: all zero):
       * topics, meetings held, votes closed, resolutions and publications.
       */
      readonly topics: number
      readonly meetings: number
      readonly votes: number
      readonly resolutions: number
      readonly publications: number
      readonly millis: number
    }

/**
 * 初始化失败 — bad options, a store refusing the demo data (a bug), or a
 * store that cannot serve now (`StorageUnavailable`: busy, unreachable).
 *
 * @since 0.1.0
 * @category errors
 */
export type SeedError =
  | InvalidSeedOptions
  | Cases.GenerateError
  | Lists.GenerateError
  | ProblemList.ProblemListInvalid
  | ResourceList.ResourceListInvalid
  | ListRepository.TaskListInvalid
  | Hierarchy.HierarchyInvalid
  | PartyOrganization.PartyOrganizationInvalid
  | HierarchyRepository.HierarchyNotFound
  | DepartmentRepository.DepartmentsInvalid
  | GridRepository.GridDataInvalid
  | CaseRepository.ConcurrencyConflict
  | Survey.SurveyInvalid
  | SurveyRepository.SurveyDataInvalid
  | SqlApiKeys.TokenRefused
  | Storage.StorageUnavailable
  | SqlError

/**
 * 迁移失败 — the schema migration failed, or the database is newer than this
 * code.
 *
 * @since 0.1.0
 * @category errors
 */
export type MigrateError = Migrations.DatabaseTooNew | MigrationError | SqlError

/**
 * 存储 — the stores the seed writes to.
 *
 * @since 0.1.0
 * @category models
 */
export type Stores =
  | SqlClient.SqlClient
  | HierarchyRepository.HierarchyRepository
  | DepartmentRepository.DepartmentRepository
  | GridRepository.GridRepository
  | CaseRepository.CaseRepository
  | ListRepository.ListRepository
  | SurveyRepository.SurveyRepository

// ---------------------------------------------------------------------------
// the stores
// ---------------------------------------------------------------------------

/**
 * 时限 — the time limits of the case store (deadlines in the read model): the
 * default policy on the official calendar the SDK ships. The stores
 * (`layerStores`) add the years loaded into the database.
 *
 * @since 0.1.0
 * @category constants
 */
export const timeLimits: CaseRepository.TimeLimits = {
  policy: TimeLimit.defaultPolicy,
  calendar: WorkingCalendar.china()
}

/**
 * The SQL repositories with the demo's time limits
 * (`SqlRepositories.layer`), on the ambient `SqlClient`: the time-limit
 * policy stored with `PolicyRepository` (`civicgrid import --list
 * time-limits`; `SqlRepositories.layer` puts it in place of the default
 * given here), else the default policy, on the calendar read from the
 * database when the layer is built (`SqlCalendarRepository.calendar`: the
 * shipped official years plus those loaded with `civicgrid calendar
 * import`); the stored category catalogue and routing table, when present,
 * are the case settings' (`SqlRepositories.layer` reads them). A store that
 * cannot be read then is a defect.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStores: Layer.Layer<SqlRepositories.Repositories, never, SqlClient.SqlClient> =
  Layer.unwrapEffect(
    Effect.map(Effect.orDie(SqlCalendarRepository.calendar), (calendar) =>
      SqlRepositories.layer({ timeLimits: { policy: timeLimits.policy, calendar } })
    )
  )

/**
 * 满意度调查 — the survey question seeded (one period per quarter).
 *
 * @since 0.1.0
 * @category constants
 */
export const satisfactionQuestion: SurveyRepository.Question = {
  id: "q-grid-service",
  text: "您对本社区网格化服务是否满意？",
  scale: Survey.FiveLevel
}

// ---------------------------------------------------------------------------
// prepare
// ---------------------------------------------------------------------------

const report = (options: Options, phase: Phase, done: number, total: number): Effect.Effect<void> =>
  options.onProgress === undefined
    ? Effect.void
    : Effect.sync(() => options.onProgress?.({ phase, done, total }))

/**
 * 迁移 — runs the schema migrations (`Migrations.run`); returns how many
 * were applied now (0 on an up-to-date database).
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrate = (
  options: Pick<Options, "onProgress"> = {}
): Effect.Effect<number, MigrateError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    yield* report(options, "migrate", 0, 1)
    const applied = yield* Migrations.run
    yield* report(options, "migrate", applied.length, applied.length)
    return applied.length
  })

/**
 * 是否已初始化 — whether the store holds a hierarchy (then `seed` keeps it).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSeeded: Effect.Effect<
  boolean,
  Storage.StorageUnavailable,
  HierarchyRepository.HierarchyRepository
> = Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) =>
  r.load.pipe(
    Effect.as(true),
    Effect.catchTag("HierarchyNotFound", () => Effect.succeed(false))
  )
)

/**
 * 初始化 — migrates, then seeds when the store holds no hierarchy yet (the
 * first start); later calls keep the data and return `AlreadySeeded`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const prepare = (options: Options = {}): Effect.Effect<Prepared, MigrateError | SeedError, Stores> =>
  Effect.zipRight(migrate(options), seed(options))

/**
 * 填充数据 — seeds a migrated store when it holds no hierarchy yet, in one
 * transaction (all or nothing: a seed interrupted half-way leaves an empty
 * store, seeded again next time); `AlreadySeeded` otherwise.
 *
 * @since 0.1.0
 * @category constructors
 */
export const seed = (options: Options = {}): Effect.Effect<Prepared, SeedError, Stores> =>
  Effect.gen(function* () {
    const [bad] = violationsOf<"batchSize">(options, [["batchSize", integerIn(1, 10_000)]])
    if (bad !== undefined) return yield* new InvalidSeedOptions(bad)
    yield* Cases.validate(options.cases ?? {})
    yield* Lists.validate(listOptions(options))
    if (yield* isSeeded) {
      const already: Prepared = { _tag: "AlreadySeeded" }
      return already
    }
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(seedAll(options.district ?? District.makeDefault(), options))
  })

const seedAll = (d: District.DemoDistrict, options: Options) =>
  Effect.gen(function* () {
    const started = Date.now()
    const hierarchies = yield* HierarchyRepository.HierarchyRepository
    const grids = yield* GridRepository.GridRepository
    const cases = yield* CaseRepository.CaseRepository
    const surveys = yield* SurveyRepository.SurveyRepository
    const listStore = yield* ListRepository.ListRepository

    const step = <A, E, R>(phase: Phase, total: number, effect: Effect.Effect<A, E, R>) =>
      report(options, phase, 0, total).pipe(
        Effect.zipRight(effect),
        Effect.tap(() => report(options, phase, total, total))
      )

    const departments = yield* DepartmentRepository.DepartmentRepository
    // the hierarchy, and the departments of the standard catalogue serving the whole district
    yield* step(
      "hierarchy",
      d.units.length,
      Effect.zipRight(
        hierarchies.save(d.scheme, d.units),
        departments.put(Department.fromStandard(District.root(d).id))
      )
    )
    const orgs = partyTree(d)
    yield* step(
      "party",
      orgs.length,
      hierarchies.savePartyOrganizations(orgs, { grids: d.grids, kinds: PartyOrganization.DistrictKindOrder })
    )
    yield* step("buildings", d.buildings.length, grids.putBuildings(d.buildings))
    yield* step("grids", d.grids.length, grids.putGrids(d.grids))
    yield* step(
      "staff",
      d.people.length + d.assignments.length,
      Effect.zipRight(grids.putPeople(d.people), grids.assign(d.assignments))
    )
    const credentials = yield* step("credentials", demoTokens(d).length + 1, registerCredentials(d))

    // a year of cases, generated through the decider, appended in batches
    const caseOptions = options.cases ?? {}
    const count = caseOptions.count ?? Cases.defaults.count
    const every = Math.max(1, Math.floor(count / 100))
    yield* report(options, "generate", 0, count)
    const year = yield* Cases.generate(d, caseOptions, (done, total) => {
      if (done % every === 0 || done === total) options.onProgress?.({ phase: "generate", done, total })
    })
    const batchSize = options.batchSize ?? 500
    const inputs = year.inputs
    yield* report(options, "cases", 0, inputs.length)
    for (let i = 0; i < inputs.length; i += batchSize) {
      const batch = inputs.slice(i, i + batchSize)
      yield* cases.appendAll(batch)
      yield* report(options, "cases", i + batch.length, inputs.length)
    }

    // 三张清单 of the cases' year: problems (some linking the cases just stored), resources, and the
    // planner's tasks played forward to the year's end — problems and resources before the tasks
    const lists = yield* Lists.generate(d, listOptions(options), inputs)
    const items = lists.problems.length + lists.resources.length + lists.tasks.length
    yield* report(options, "lists", 0, items)
    yield* listStore.putProblems(lists.problems)
    yield* report(options, "lists", lists.problems.length, items)
    yield* listStore.putResources(lists.resources)
    yield* report(options, "lists", lists.problems.length + lists.resources.length, items)
    yield* listStore.putTasks(lists.tasks)
    yield* report(options, "lists", items, items)

    // 满意度调查: 30–60 answers per community and quarter, mostly satisfied
    const responses = surveyResponses(d, caseOptions)
    yield* step(
      "surveys",
      responses.length,
      Effect.zipRight(surveys.putQuestion(satisfactionQuestion), surveys.record(responses))
    )

    // 联户走访: households, residents, key groups, contacts, plans due around today, visits and
    // proxy services — only when a people store is there (it needs a key to seal residents)
    const peopleCounts = yield* seedPeople(d, caseOptions, options)

    // 议事协商: proposals, meetings, votes, resolutions and their tasks, publications — through the core's
    // use case, only when a deliberation store is there
    const deliberationCounts = yield* seedDeliberation(d, caseOptions, options)

    // 组织与岗位: bodies, posts, memberships (双报到), compounds and 绿橙红 appraisals — only when an
    // organisation store is there
    const organizationCounts = yield* seedOrganization(d, caseOptions, options)

    const seeded: Prepared = {
      _tag: "Seeded",
      units: d.units.length,
      partyOrganizations: orgs.length,
      buildings: d.buildings.length,
      grids: d.grids.length,
      people: d.people.length,
      credentials,
      cases: inputs.length,
      paths: year.paths,
      problems: lists.problems.length,
      resources: lists.resources.length,
      tasks: lists.tasks.length,
      surveyResponses: responses.length,
      ...peopleCounts,
      ...organizationCounts,
      ...deliberationCounts,
      millis: Date.now() - started
    }
    return seeded
  })

const noPeople = {
  households: 0,
  residents: 0,
  enrolments: 0,
  contacts: 0,
  visitPlans: 0,
  visits: 0,
  proxyServices: 0
}

/** Keeps a store's unavailability; a refusal of the demo data is a bug (a defect). */
const refusalIsBug = <A, E extends { readonly _tag: string }, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, Exclude<E, Storage.StorageUnavailable>>, R> =>
  Effect.catchIf(
    self,
    (e): e is Exclude<E, Storage.StorageUnavailable> => e._tag !== "StorageUnavailable",
    (e) => Effect.die(e)
  )

/**
 * The demo people data (`People.generate`) of today on the case calendar, through the people store if any,
 * in batches, reporting the `people` phase: records stored of all (0 of 0 without a store).
 */
const seedPeople = (d: District.DemoDistrict, caseOptions: Cases.Options, options: Options) =>
  Effect.gen(function* () {
    const store = yield* Effect.serviceOption(PeopleRepository.PeopleRepository)
    if (store._tag === "None") {
      yield* report(options, "people", 0, 0)
      return noPeople
    }
    const people = store.value
    const today = WorkingCalendar.dateOf(timeLimits.calendar, yield* DateTime.now)
    const data = People.generate(d, {
      today,
      calendar: timeLimits.calendar,
      ...(caseOptions.seed === undefined ? {} : { seed: caseOptions.seed })
    })
    const batchSize = options.batchSize ?? 500
    const total =
      data.households.length +
      data.residents.length +
      data.enrolments.length +
      data.contacts.length +
      data.links.length +
      data.plans.length +
      data.visits.length +
      data.services.length
    let done = 0
    yield* report(options, "people", 0, total)
    const inBatches = <A, E, R>(
      items: ReadonlyArray<A>,
      put: (batch: ReadonlyArray<A>) => Effect.Effect<void, E, R>
    ) =>
      Effect.gen(function* () {
        for (let i = 0; i < items.length; i += batchSize) {
          const batch = items.slice(i, i + batchSize)
          yield* put(batch)
          done += batch.length
          yield* report(options, "people", done, total)
        }
      })
    // each proxy service's commands in order (accept first), a service counting once it is handled
    const handleServices = (services: ReadonlyArray<ReadonlyArray<ProxyService.ProxyServiceCommand>>) =>
      Effect.forEach(
        services,
        (commands) =>
          Effect.forEach(commands, (command) => PeopleRepository.handleService({ command }), {
            discard: true
          }),
        { discard: true }
      ).pipe(Effect.provideService(PeopleRepository.PeopleRepository, people))
    yield* refusalIsBug(
      Effect.all(
        [
          inBatches(data.households, people.putHouseholds),
          inBatches(data.residents, people.putResidents),
          inBatches(data.enrolments, people.putEnrolments),
          inBatches(data.contacts, people.putContacts),
          inBatches(data.links, people.putLinks),
          inBatches(data.plans, people.putPlans),
          inBatches(data.visits, people.recordVisits),
          inBatches(data.services, handleServices)
        ],
        { discard: true }
      )
    )
    return {
      households: data.households.length,
      residents: data.residents.length,
      enrolments: data.enrolments.length,
      contacts: data.contacts.length,
      visitPlans: data.plans.length,
      visits: data.visits.length,
      proxyServices: data.services.length
    }
  })

const noDeliberation = { topics: 0, meetings: 0, votes: 0, resolutions: 0, publications: 0 }

/**
 * The demo deliberation (`Deliberation.generate`) of the cases' year, each command through the core's use
 * case `DeliberationRepository.handle` (the default proposal rule and meeting kinds, the stored hierarchy),
 * reporting the `deliberation` phase: commands handled of all (0 of 0 without a store).
 */
const seedDeliberation = (d: District.DemoDistrict, caseOptions: Cases.Options, options: Options) =>
  Effect.gen(function* () {
    const store = yield* Effect.serviceOption(DeliberationRepository.DeliberationRepository)
    if (store._tag === "None") {
      yield* report(options, "deliberation", 0, 0)
      return noDeliberation
    }
    const today = WorkingCalendar.dateOf(timeLimits.calendar, yield* DateTime.now)
    const data = DemoDeliberation.generate(d, { year: caseOptions.year ?? Cases.defaults.year, today })
    const config = yield* DeliberationRepository.configWith({
      proposal: Proposal.defaultRule,
      meetingKinds: Meeting.defaultKinds
    })
    const total = data.topics.reduce((n, t) => n + t.commands.length, 0)
    let done = 0
    yield* report(options, "deliberation", 0, total)
    const handled = yield* refusalIsBug(
      Effect.forEach(data.topics, (topic) =>
        Effect.gen(function* () {
          let last: Deliberation.Topic | undefined
          for (const command of topic.commands)
            last = yield* DeliberationRepository.handle({ command, config })
          done += topic.commands.length
          yield* report(options, "deliberation", done, total)
          return last
        })
      ).pipe(Effect.provideService(DeliberationRepository.DeliberationRepository, store.value))
    )
    const topics = handled.filter((t): t is Deliberation.Topic => t !== undefined)
    return {
      topics: topics.length,
      meetings: topics.filter((t) => t.heldAt !== null).length,
      votes: topics.filter((t) => t.result !== null).length,
      resolutions: topics.filter((t) => t.resolvedAt !== null).length,
      publications: topics.filter((t) => t.publication !== null).length
    }
  })

const noOrganization = {
  bodies: 0,
  posts: 0,
  postHolders: 0,
  memberships: 0,
  compounds: 0,
  populations: 0,
  appraisals: 0
}

/**
 * The demo organisation data (`Organization.generate`) of today on the case calendar, through the
 * organisation store if any, reporting the `organization` phase: records stored of all (0 of 0 without a
 * store). People first, then bodies, posts, memberships, compounds and appraisals (a post names a stored body).
 */
const seedOrganization = (d: District.DemoDistrict, caseOptions: Cases.Options, options: Options) =>
  Effect.gen(function* () {
    const store = yield* Effect.serviceOption(OrganizationRepository.OrganizationRepository)
    if (store._tag === "None") {
      yield* report(options, "organization", 0, 0)
      return noOrganization
    }
    const org = store.value
    const today = WorkingCalendar.dateOf(timeLimits.calendar, yield* DateTime.now)
    const data = Organization.generate(d, {
      today,
      ...(caseOptions.seed === undefined ? {} : { seed: caseOptions.seed })
    })
    const batchSize = options.batchSize ?? 500
    const total =
      data.people.length +
      data.bodies.length +
      data.posts.length +
      data.memberships.length +
      data.compounds.length +
      data.populations.length +
      data.appraisals.length
    let done = 0
    yield* report(options, "organization", 0, total)
    const inBatches = <A, E, R>(
      items: ReadonlyArray<A>,
      put: (batch: ReadonlyArray<A>) => Effect.Effect<void, E, R>
    ) =>
      Effect.gen(function* () {
        for (let i = 0; i < items.length; i += batchSize) {
          const batch = items.slice(i, i + batchSize)
          yield* put(batch)
          done += batch.length
          yield* report(options, "organization", done, total)
        }
      })
    yield* refusalIsBug(
      Effect.all(
        [
          inBatches(data.people, org.putPeople),
          inBatches(data.bodies, org.putBodies),
          inBatches(data.posts, org.putPosts),
          inBatches(data.memberships, org.putMemberships),
          inBatches(data.compounds, org.putCompounds),
          inBatches(data.populations, org.putPopulations),
          inBatches(data.appraisals, org.putAppraisals),
          // 软弱涣散 (after the bodies they name; a few rows a community, not counted in the progress)
          org.putWeakAndLaxFlags(data.weakAndLax)
        ],
        { discard: true }
      )
    )
    return {
      bodies: data.bodies.length,
      posts: data.posts.length,
      postHolders: data.people.length,
      memberships: data.memberships.length,
      compounds: data.compounds.length,
      populations: data.populations.length,
      appraisals: data.appraisals.length
    }
  })

/** The list options: the cases' year unless the list options name another. */
const listOptions = (options: Options): Lists.Options => ({
  year: options.cases?.year ?? Cases.defaults.year,
  ...options.lists
})

/** 30–60 answers per community and quarter of the cases' year, mostly satisfied. */
const surveyResponses = (
  d: District.DemoDistrict,
  caseOptions: Cases.Options
): ReadonlyArray<SurveyRepository.SurveyResponse> => {
  const rnd = random(caseOptions.seed ?? 2025)
  const y = caseOptions.year ?? Cases.defaults.year
  const responses: Array<SurveyRepository.SurveyResponse> = []
  for (const unit of d.units) {
    if (unit.level !== "community") continue
    for (let q = 1; q <= 4; q++) {
      const n = 30 + Math.floor(rnd() * 31)
      for (let k = 0; k < n; k++) {
        const r = rnd()
        const level =
          r < 0.45
            ? "very-satisfied"
            : r < 0.8
              ? "satisfied"
              : r < 0.92
                ? "neutral"
                : r < 0.98
                  ? "dissatisfied"
                  : "very-dissatisfied"
        responses.push({
          questionId: satisfactionQuestion.id,
          period: `${y}-Q${q}`,
          unitId: UnitId.make(unit.id),
          level
        })
      }
    }
  }
  return responses
}

/**
 * 初始化摘要 — one line saying what `prepare` did, for logs and banners.
 *
 * @since 0.1.0
 * @category utils
 */
export const describe = (prepared: Prepared): string =>
  prepared._tag === "AlreadySeeded"
    ? "数据库已初始化 database already seeded: keeping its data"
    : `数据库初始化 seeded in ${(prepared.millis / 1000).toFixed(1)} s: ${prepared.units} units, ` +
      `${prepared.partyOrganizations} party organisations, ${prepared.grids} grids, ` +
      `${prepared.people} people, ${prepared.credentials} demo credentials, ${prepared.cases} cases (${Object.entries(
        prepared.paths
      )
        .map(([path, n]) => `${path} ${n}`)
        .join(", ")}), ${prepared.problems} problems, ${prepared.resources} resources, ` +
      `${prepared.tasks} tasks, ${prepared.surveyResponses} survey responses, ` +
      `${prepared.households} households (${prepared.residents} residents, ${prepared.enrolments} key-group enrolments), ` +
      `${prepared.contacts} contacts, ${prepared.visitPlans} visit plans, ${prepared.visits} visits, ` +
      `${prepared.proxyServices} proxy services, ${prepared.bodies} bodies, ${prepared.posts} posts ` +
      `(${prepared.postHolders} holders), ${prepared.memberships} party memberships, ${prepared.compounds} compounds, ` +
      `${prepared.populations} community populations, ${prepared.appraisals} cadre appraisals, ` +
      `${prepared.topics} deliberation topics (${prepared.meetings} meetings, ${prepared.votes} votes, ` +
      `${prepared.resolutions} resolutions, ${prepared.publications} publications)`
