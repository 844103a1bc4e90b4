/**
 * 台账文件 — what `import` and `export` share: the list a ledger holds
 * (`--list problems|resources|tasks`: 问题清单, 资源清单, 任务清单) or the base
 * data of a district (基础数据: `units`, `party-organizations`, `buildings`,
 * `grids`, `staff`, `assignments`, `departments`) or a people ledger
 * (联户走访: `visits`, `key-groups`, `access-log`), the file format by
 * extension (`.csv` or `.xlsx`, case-insensitive; a grid file may also be a
 * GeoJSON FeatureCollection, `.geojson` or `.json`; anything else is refused),
 * and the errors about files and about a database not ready for lists (not
 * migrated, or without a hierarchy for the lists to refer to).
 *
 * @since 0.1.0
 */
import { type Role, roles } from "@civicgrid/core/Actor"
import * as Options from "@effect/cli/Options"
import * as Either from "effect/Either"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/**
 * 清单 — the lists a ledger file can hold.
 *
 * @since 0.1.0
 * @category constants
 */
export const lists = ["problems", "resources", "tasks"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type List = (typeof lists)[number]

/**
 * 清单名称 — the Chinese name of each list and its English word.
 *
 * @since 0.1.0
 * @category constants
 */
export const listNames: Readonly<Record<List, string>> = {
  problems: "问题清单 problems",
  resources: "资源清单 resources",
  tasks: "任务清单 tasks"
}

/**
 * 基础数据 — the base data of a district a ledger can hold: the hierarchy
 * (行政单元), party organisations (党组织), buildings (楼栋), grids (网格, with
 * boundaries), staff (网格员), their assignments (任职) and the functional
 * departments (职能部门). Import them in this order.
 *
 * @since 0.1.0
 * @category constants
 */
export const baseKinds = [
  "units",
  "party-organizations",
  "buildings",
  "grids",
  "staff",
  "assignments",
  "departments"
] as const

/**
 * @since 0.1.0
 * @category models
 */
export type BaseKind = (typeof baseKinds)[number]

/**
 * 联户走访台账 — the people ledgers: visits 走访台账, the key-group register
 * 重点人群台账 (`key-groups`: residents' ID numbers and phones, masked unless
 * asked for in full; every export is an access-log entry) and the access log
 * 访问日志台账 (`access-log`, export only, for auditors).
 *
 * @since 0.1.0
 * @category constants
 */
export const peopleKinds = ["visits", "key-groups", "access-log"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type PeopleKind = (typeof peopleKinds)[number]

/**
 * 组织与岗位台账 — the organisation ledgers: bodies 组织台账 (committees,
 * stations, councils, companies, party bodies …), posts 岗位台账 (who holds
 * which post of which body, the appointment history), memberships 党员双报到台账,
 * compounds 小区管理台账 (with their management) and populations 社区人口台账
 * (the residents of each community or village, which the mediators-by-population
 * rule reads), staff by stairwell 楼道力量台账 (楼道长, 十户长 … placed by
 * the role table), the people who hold the posts and placements
 * `post-holders` 任职人员台账 (names and phones: personal information) and the
 * cadre appraisals `appraisals` 干部考核台账 (绿橙红, by cadre and period) and
 * the weak-and-lax flags `weak-and-lax` 软弱涣散台账 (by body and period, 清零).
 * Import them in this order (bodies first).
 *
 * @since 0.1.0
 * @category constants
 */
export const organizationKinds = [
  "bodies",
  "posts",
  "memberships",
  "compounds",
  "populations",
  "stairwell-staff",
  "post-holders",
  "appraisals",
  "weak-and-lax"
] as const

/**
 * @since 0.1.0
 * @category models
 */
export type OrganizationKind = (typeof organizationKinds)[number]

/**
 * Whether a kind is an organisation ledger.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isOrganizationKind = (kind: string): kind is OrganizationKind =>
  (organizationKinds as ReadonlyArray<string>).includes(kind)

/**
 * 议事协商台账 — the deliberation ledgers: meetings 会议记录台账 (topics and the
 * meetings that deliberated them) and publications 公开台账 (居务/政务/财务公开
 * of concluded topics), imported through the core's use case
 * (`DeliberationRepository.handle`) as the operator `--actor`.
 *
 * @since 0.1.0
 * @category constants
 */
export const deliberationKinds = ["meetings", "publications"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type DeliberationKind = (typeof deliberationKinds)[number]

/**
 * Whether a kind is a deliberation ledger.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isDeliberationKind = (kind: string): kind is DeliberationKind =>
  (deliberationKinds as ReadonlyArray<string>).includes(kind)

/**
 * 台账种类 — every kind `--list` takes: the lists, the base data, the people ledgers, then the
 * organisation ledgers and the deliberation ledgers.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds = [
  ...lists,
  ...baseKinds,
  ...peopleKinds,
  ...organizationKinds,
  ...deliberationKinds
] as const

/**
 * @since 0.1.0
 * @category models
 */
export type Kind = (typeof kinds)[number]

/**
 * Whether a kind is base data.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isBaseKind = (kind: Kind): kind is BaseKind =>
  (baseKinds as ReadonlyArray<string>).includes(kind)

/**
 * Whether a kind is a people ledger.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isPeopleKind = (kind: string): kind is PeopleKind =>
  (peopleKinds as ReadonlyArray<string>).includes(kind)

/**
 * 台账名称 — the Chinese name of each kind and its English word.
 *
 * @since 0.1.0
 * @category constants
 */
export const kindNames: Readonly<Record<Kind, string>> = {
  ...listNames,
  units: "行政单元 units",
  "party-organizations": "党组织 party organisations",
  buildings: "楼栋 buildings",
  grids: "网格 grids",
  staff: "网格员 staff",
  assignments: "任职 assignments",
  departments: "职能部门 departments",
  visits: "走访 visits",
  "key-groups": "重点人群登记 key-group enrolments",
  "access-log": "访问日志 access-log entries",
  bodies: "组织机构 bodies",
  posts: "岗位 posts",
  memberships: "党员关系 memberships",
  compounds: "小区 compounds",
  populations: "社区人口 populations",
  "stairwell-staff": "楼道力量 staff placements",
  "post-holders": "任职人员 post holders",
  appraisals: "干部考核 appraisals",
  "weak-and-lax": "软弱涣散 weak-and-lax flags",
  meetings: "会议记录 meetings",
  publications: "公开 publications"
}

/**
 * 配置种类 — the policies `import --list` also takes, stored whole (no
 * export): the category catalogue, the routing table and the time-limit
 * policy (`PolicyRepository`).
 *
 * @since 0.1.0
 * @category constants
 */
export const policyKinds = ["categories", "routing", "time-limits"] as const

/**
 * @since 0.1.0
 * @category models
 */
export type PolicyKind = (typeof policyKinds)[number]

/**
 * 导入种类 — every kind `import --list` takes: the lists, the base data, the
 * people ledgers but the access log (written by reads, never imported), the
 * organisation ledgers and the policies.
 *
 * @since 0.1.0
 * @category constants
 */
export const importKinds = [
  ...lists,
  ...baseKinds,
  "visits",
  "key-groups",
  ...organizationKinds,
  ...deliberationKinds,
  ...policyKinds
] as const

/**
 * @since 0.1.0
 * @category models
 */
export type ImportKind = (typeof importKinds)[number]

/**
 * Whether an import kind is a policy.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isPolicyKind = (kind: ImportKind): kind is PolicyKind =>
  (policyKinds as ReadonlyArray<string>).includes(kind)

/**
 * 导入种类名称 — the Chinese name of each import kind and its English word.
 *
 * @since 0.1.0
 * @category constants
 */
export const importKindNames: Readonly<Record<ImportKind, string>> = {
  ...kindNames,
  categories: "案件分类 categories",
  routing: "派遣规则 routing rules",
  "time-limits": "处置时限 time limits"
}

/**
 * The `--list` option of `import`: every kind `export` takes, and the policies.
 *
 * @since 0.1.0
 * @category options
 */
export const importListOption: Options.Options<ImportKind> = Options.choice("list", importKinds).pipe(
  Options.withDescription(
    "Which list the ledger holds: problems 问题清单台账, resources 资源清单台账 or tasks 任务清单台账; which " +
      "base data: units 行政单元, party-organizations 党组织, buildings 楼栋, grids 网格 (also a GeoJSON " +
      "FeatureCollection), staff 网格员, assignments 任职, departments 职能部门; visits 走访台账 or key-groups " +
      "重点人群台账 (needs CIVICGRID_PEOPLE_KEYS and --actor); an organisation ledger: bodies 组织台账, posts " +
      "岗位台账, memberships 党员双报到台账, compounds 小区管理台账, populations 社区人口台账, stairwell-staff " +
      "楼道力量台账, post-holders 任职人员台账 (names and phones: personal information), appraisals 干部考核台账, " +
      "weak-and-lax 软弱涣散台账 " +
      "(bodies first); a deliberation ledger (needs --actor): meetings 会议记录台账, publications " +
      "公开台账; or " +
      "which policy, replacing the " +
      "defaults: categories 案件分类, routing 派遣规则, time-limits 处置时限."
  )
)

/**
 * The `--list` option.
 *
 * @since 0.1.0
 * @category options
 */
export const listOption: Options.Options<Kind> = Options.choice("list", kinds).pipe(
  Options.withDescription(
    "Which list the ledger holds: problems 问题清单台账, resources 资源清单台账 or tasks 任务清单台账; or which " +
      "base data: units 行政单元, party-organizations 党组织, buildings 楼栋, grids 网格 (also a GeoJSON " +
      "FeatureCollection), staff 网格员, assignments 任职, departments 职能部门; or a people ledger: visits " +
      "走访台账, key-groups 重点人群台账 (needs CIVICGRID_PEOPLE_KEYS, --actor and --reason; masked unless " +
      "--identity; logged), access-log 访问日志台账 (for auditors: --actor with --role street-staff or district-staff); an organisation " +
      "ledger: bodies, posts, memberships, compounds, populations, stairwell-staff, post-holders (personal " +
      "information: give the file only to the staff who keep it), appraisals, weak-and-lax; or a deliberation " +
      "ledger: meetings " +
      "会议记录台账, publications 公开台账."
  )
)

/**
 * 文件格式 — CSV (UTF-8 with BOM, Excel-compatible) or XLSX.
 *
 * @since 0.1.0
 * @category models
 */
export type Format = "csv" | "xlsx"

/**
 * 不支持的文件类型 — the file's extension is neither `.csv` nor `.xlsx`.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedFormat extends Schema.TaggedError<UnsupportedFormat>()("UnsupportedFormat", {
  file: Schema.String,
  extension: Schema.String
}) {
  override get message(): string {
    const ext = this.extension === "" ? "no extension" : `extension "${this.extension}"`
    return `不支持的文件类型 unsupported file type: ${this.file} has ${ext}; use .csv or .xlsx`
  }
}

/**
 * The format of a file by its extension (case-insensitive).
 *
 * @since 0.1.0
 * @category constructors
 */
export const formatOf = (file: string): Either.Either<Format, UnsupportedFormat> => {
  const base = file.split(/[\\/]/).pop() ?? file
  const dot = base.lastIndexOf(".")
  const extension = dot <= 0 ? "" : base.slice(dot)
  switch (extension.toLowerCase()) {
    case ".csv":
      return Either.right("csv")
    case ".xlsx":
      return Either.right("xlsx")
    default:
      return Either.left(new UnsupportedFormat({ file, extension }))
  }
}

/**
 * 读入格式 — what `import` reads: a ledger (CSV, XLSX) or, for grids, a GeoJSON
 * FeatureCollection.
 *
 * @since 0.1.0
 * @category models
 */
export type InputFormat = Format | "geojson"

/**
 * The format `import` reads a file of a kind as: `.geojson` and `.json` are
 * GeoJSON for grids; otherwise `formatOf`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const inputFormatOf = (file: string, kind: string): Either.Either<InputFormat, UnsupportedFormat> =>
  kind === "grids" && /\.(geo)?json$/i.test(file) ? Either.right("geojson") : formatOf(file)

/**
 * GeoJSON 文件无效 — a grid file that is not a GeoJSON FeatureCollection.
 *
 * @since 0.1.0
 * @category errors
 */
export class GeoJsonInvalid extends Schema.TaggedError<GeoJsonInvalid>()("GeoJsonInvalid", {
  file: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `GeoJSON 文件无效 ${this.file} is not a GeoJSON FeatureCollection of grids: ${this.reason}; nothing was imported`
  }
}

/**
 * 文件读写失败 — a ledger file could not be read or written.
 *
 * @since 0.1.0
 * @category errors
 */
export class FileError extends Schema.TaggedError<FileError>()("FileError", {
  file: Schema.String,
  operation: Schema.Literal("read", "write"),
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.operation === "read" ? "无法读取 cannot read" : "无法写入 cannot write"} ${this.file}: ${this.reason}`
  }
}

/**
 * 文件已存在 — `export` refuses to overwrite a file without `--force`; a
 * symbolic link whose target does not exist (`danglingLinkTo`) counts as
 * existing too (writing through it would create a file somewhere else).
 *
 * @since 0.1.0
 * @category errors
 */
export class FileExists extends Schema.TaggedError<FileExists>()("FileExists", {
  file: Schema.String,
  danglingLinkTo: Schema.optionalWith(Schema.String, { exact: true })
}) {
  override get message(): string {
    return this.danglingLinkTo === undefined
      ? `文件已存在 ${this.file} exists; nothing was written (pass --force to overwrite it)`
      : `文件已存在 ${this.file} is a symbolic link to ${this.danglingLinkTo}, which does not exist; ` +
          "nothing was written (pass --force to replace the link)"
  }
}

/**
 * 数据库未就绪 — the lists cannot be read or written yet: the database is
 * not migrated (`not-migrated`), or holds no hierarchy the lists' units could
 * refer to (`no-hierarchy`).
 *
 * @since 0.1.0
 * @category errors
 */
export class DatabaseNotReady extends Schema.TaggedError<DatabaseNotReady>()("DatabaseNotReady", {
  database: Schema.String,
  reason: Schema.Literal("not-migrated", "no-hierarchy"),
  version: Schema.Int,
  latest: Schema.Int
}) {
  override get message(): string {
    return this.reason === "not-migrated"
      ? `数据库未迁移 ${this.database} is at migration ${this.version} of ${this.latest}: run \`civicgrid migrate\` first`
      : `数据库没有行政层级 ${this.database} holds no hierarchy (units) for this ledger to refer to: import the ` +
          "units first (`civicgrid import 行政单元.xlsx --list units`) or run `civicgrid seed`"
  }
}

/**
 * The `--actor <personId>` option: the operator 操作人 — the access log names
 * them as who read key-group members; `import --list key-groups` names them
 * as 登记人 where a row names no one.
 *
 * @since 0.1.0
 * @category options
 */
export const actorOption: Options.Options<Option.Option<string>> = Options.text("actor").pipe(
  Options.withPseudoName("personId"),
  Options.withDescription(
    "People ledgers: the operator 操作人 (a staff member's person id). export --list key-groups and access-log " +
      "read as them (the access log records who); import --list key-groups takes them as 登记人 where a row names none; " +
      "import --list meetings|publications records and publishes as them (with --role, acting for the whole hierarchy)."
  ),
  Options.optional
)

/**
 * The `--role <role>` option: the operator's role, which the access policy
 * grants (`KeyGroupAccess.defaultPolicy`: community-staff in full, grid-worker
 * masked; the access log is for street-staff and district-staff).
 *
 * @since 0.1.0
 * @category options
 */
export const roleOption: Options.Options<Role> = Options.choice("role", roles).pipe(
  Options.withDescription(
    "People ledgers: the operator's role (default community-staff, granted every key group with identity by the " +
      "default policy; grid-worker sees them masked; the access log is for street-staff and district-staff)."
  ),
  Options.withDefault<Role>("community-staff")
)
