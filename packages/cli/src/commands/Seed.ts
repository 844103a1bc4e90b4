/**
 * 填充示范数据 — `civicgrid seed`: migrates the database, then seeds the demo
 * district (`@civicgrid/demo`: hierarchy, party organisations, buildings,
 * grids, staff, the demo credentials, a year of cases, satisfaction
 * surveys, the 清单 lists — problems, resources, tasks — and the 联户走访
 * people data — households, residents, key groups, contacts, visit plans,
 * visits, proxy services, residents sealed with `CIVICGRID_PEOPLE_KEYS` or,
 * unset, the public demo key as `serve --seed` does) in one transaction, sized by options. A database that already
 * holds a hierarchy is refused (`AlreadySeeded`): seeding never mixes two
 * districts. Bad sizes are refused before the database is opened, naming the
 * option and the rule. Progress is shown per phase (a bar on a terminal,
 * plain lines otherwise), then a summary.
 *
 * @since 0.1.0
 */
import type * as Cases from "@civicgrid/demo/Cases"
import type * as Database from "@civicgrid/demo/Database"
import type * as District from "@civicgrid/demo/District"
import type * as SeedModule from "@civicgrid/demo/Seed"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as Path from "@effect/platform/Path"
import type { SqlError } from "@effect/sql/SqlError"
import type { ConfigError } from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as DatabaseOption from "../DatabaseOption.js"
import { withExamples } from "../internal/help.js"
import * as Progress from "../internal/Progress.js"

/**
 * 已初始化 — the database already holds a hierarchy; `seed` refuses to add a
 * second district to it.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadySeeded extends Schema.TaggedError<AlreadySeeded>()("AlreadySeeded", {
  database: Schema.String
}) {
  override get message(): string {
    return `数据库已初始化 already seeded: ${this.database} already holds a district; nothing was changed (use an empty database, or keep this one)`
  }
}

/**
 * The option each field of the district and case options is set with, for
 * error messages (`InvalidDistrictOptions`, `InvalidCaseOptions` name fields).
 *
 * @since 0.1.0
 * @category constants
 */
export const flags: Readonly<Record<District.OptionField | Cases.OptionField, string>> = {
  seed: "--seed",
  streets: "--streets",
  communitiesPerStreet: "--communities-per-street",
  householdsScale: "--households-scale",
  count: "--cases",
  year: "--year"
}

/**
 * 阶段名称 — the label each seeding phase is shown with.
 *
 * @since 0.1.0
 * @category constants
 */
export const phaseLabels: Readonly<Record<SeedModule.Phase, string>> = {
  migrate: "迁移 migrations",
  hierarchy: "层级 units",
  party: "党组织 party orgs",
  buildings: "楼栋 buildings",
  grids: "网格 grids",
  staff: "人员 staff",
  credentials: "演示凭据 credentials",
  generate: "生成案件 generate cases",
  cases: "写入案件 store cases",
  lists: "三张清单 lists",
  surveys: "满意度 surveys",
  people: "联户走访 people & visits",
  deliberation: "议事协商 deliberation",
  organization: "组织与岗位 organisation"
}

/**
 * The sizing options of `seed`.
 *
 * @since 0.1.0
 * @category options
 */
export const options = {
  database: DatabaseOption.option,
  streets: Options.integer("streets").pipe(
    Options.withDescription("街道数 number of streets: 1 to 99 (default 3)."),
    Options.optional
  ),
  communitiesPerStreet: Options.integer("communities-per-street").pipe(
    Options.withDescription(
      "每街道社区数 communities in every street: 1 to 99 (default 3, 2, 2 for the first three streets, 3 for further ones)."
    ),
    Options.optional
  ),
  householdsScale: Options.float("households-scale").pipe(
    Options.withDescription(
      "户数规模 scales the households (buildings) of every community: 0.25 to 4 (default 1)."
    ),
    Options.optional
  ),
  cases: Options.integer("cases").pipe(
    Options.withDescription("案件数 cases generated over the year: 0 to 200,000 (default 3,000)."),
    Options.optional
  ),
  year: Options.integer("year").pipe(
    Options.withDescription(
      "年份 the year of the cases: a year of the official working calendar (default 2025)."
    ),
    Options.optional
  ),
  seed: Options.integer("seed").pipe(
    Options.withDescription(
      "随机种子 random seed of the district and the cases, a safe integer (the same options give the same data; default: the demo's own seeds)."
    ),
    Options.optional
  )
} as const

/**
 * The parsed options of `seed`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SeedOptions {
  readonly database: Option.Option<string>
  readonly streets: Option.Option<number>
  readonly communitiesPerStreet: Option.Option<number>
  readonly householdsScale: Option.Option<number>
  readonly cases: Option.Option<number>
  readonly year: Option.Option<number>
  readonly seed: Option.Option<number>
}

/**
 * The district options `seed` passes to `District.make`.
 *
 * @since 0.1.0
 * @category utils
 */
export const districtOptions = (o: SeedOptions): District.Options => ({
  ...Option.match(o.seed, { onNone: () => ({}), onSome: (seed) => ({ seed }) }),
  ...Option.match(o.streets, { onNone: () => ({}), onSome: (streets) => ({ streets }) }),
  ...Option.match(o.communitiesPerStreet, {
    onNone: () => ({}),
    onSome: (communitiesPerStreet) => ({ communitiesPerStreet })
  }),
  ...Option.match(o.householdsScale, {
    onNone: () => ({}),
    onSome: (householdsScale) => ({ householdsScale })
  })
})

/**
 * The case options `seed` passes to `Cases.generate`.
 *
 * @since 0.1.0
 * @category utils
 */
export const caseOptions = (o: SeedOptions): Cases.Options => ({
  ...Option.match(o.cases, { onNone: () => ({}), onSome: (count) => ({ count }) }),
  ...Option.match(o.year, { onNone: () => ({}), onSome: (year) => ({ year }) }),
  ...Option.match(o.seed, { onNone: () => ({}), onSome: (seed) => ({ seed }) })
})

/**
 * 填充 — validates the sizes, migrates, refuses a seeded database, seeds with
 * progress, prints the summary (`Seed.describe`).
 *
 * @since 0.1.0
 * @category handlers
 */
export const handler = (
  o: SeedOptions
): Effect.Effect<
  SeedModule.Prepared,
  | District.InvalidDistrictOptions
  | Cases.InvalidCaseOptions
  | AlreadySeeded
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | DatabaseOption.DatabaseUnavailable
  | ConfigError
  | SqlError
  | SeedModule.MigrateError
  | SeedModule.SeedError,
  Path.Path
> =>
  Effect.gen(function* () {
    const [District, Cases, Seed, App] = yield* Effect.promise(() =>
      Promise.all([
        import("@civicgrid/demo/District"),
        import("@civicgrid/demo/Cases"),
        import("@civicgrid/demo/Seed"),
        import("@civicgrid/demo/App")
      ])
    )
    // every size is checked before the database is opened
    const district = yield* District.make(districtOptions(o))
    const cases = yield* Cases.validate(caseOptions(o))
    const database = yield* DatabaseOption.resolve(o.database)
    const name = DatabaseOption.describe(database)
    yield* Console.log(`数据库 database: ${name}`)
    const progress = yield* Progress.reporter
    const onProgress = (p: SeedModule.Progress) =>
      progress.update({ label: phaseLabels[p.phase], done: p.done, total: p.total })
    const prepared = yield* Effect.gen(function* () {
      yield* Seed.migrate({ onProgress })
      if (yield* Seed.isSeeded) return yield* new AlreadySeeded({ database: name })
      return yield* Seed.seed({ district, cases, onProgress })
    }).pipe(
      Effect.ensuring(Effect.sync(progress.end)),
      // the people store of a seeded demo (App.layerPeople): CIVICGRID_PEOPLE_KEYS, else the public demo key
      Effect.provide(Layer.provideMerge(App.layerPeople({}), Seed.layerStores)),
      Effect.provide(DatabaseOption.layer(database))
    )
    // another process may have seeded between the check and the transaction
    if (prepared._tag === "AlreadySeeded") return yield* new AlreadySeeded({ database: name })
    yield* Console.log(Seed.describe(prepared))
    return prepared
  })

/**
 * The `seed` subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("seed", options, (o) => Effect.asVoid(handler(o))).pipe(
  Command.withDescription(
    withExamples(
      "Migrate the database, then seed the demo district 示范区 in one transaction: hierarchy, party " +
        "organisations, buildings, grids, staff, the demo credentials, a year of cases, satisfaction " +
        "surveys, the 清单 lists (problems, resources, tasks) and the 联户走访 people data (households, residents, " +
        "key groups, contacts, visit plans, visits, proxy services; residents sealed with CIVICGRID_PEOPLE_KEYS, " +
        "else with the public demo key as `serve --seed` does). Refuses (exit status 1, nothing changed) a database that already holds a district. " +
        "Bad sizes are refused before the database is opened. Shows a progress bar per phase on a " +
        "terminal (plain lines otherwise) and a summary at the end.",
      [
        ["civicgrid seed", `the standard district and 3,000 cases into ./${DatabaseOption.defaultFile}`],
        [
          "civicgrid seed --streets 1 --communities-per-street 2 --cases 50 --database sqlite:/tmp/small.sqlite",
          "a small district, quickly"
        ],
        ["civicgrid seed --streets 8 --households-scale 2 --cases 20000 --year 2024 --seed 7", "a large one"]
      ]
    )
  )
)
