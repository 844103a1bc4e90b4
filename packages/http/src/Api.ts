/**
 * 接口契约 — the civicgrid HTTP API as an `HttpApi` contract. Servers
 * implement it (`Server.layer`), the OpenAPI document
 * (`/openapi.json`) and Swagger UI (`/docs`) are generated from it, and clients
 * derive from it: `HttpApiClient.make(Api)`. The module imports nothing from a
 * server, so a client bundle stays small.
 *
 * Groups: `hierarchy` 组织体系 (units), `grids` 网格 (read), `cases` 案件 (the
 * closed loop 案件闭环 as commands, plus reads), `lists` 清单
 * (problems and tasks, read), `admin` 基础数据管理 (create and change units,
 * buildings, grids, staff and departments). Every endpoint
 * needs a bearer token (`Authorization`); the principal is the actor of every
 * command — it is never read from the body.
 *
 * Errors (each a `Schema.TaggedError` with its status):
 * - 400 `HttpApiDecodeError` (a body, path, query or header that fails its
 *   schema: `issues` names every bad field by path with the rule broken) and
 *   `InvalidQuery` (a list query the store cannot run: a foreign cursor …);
 * - 401 `Unauthorized`;
 * - 403 `Forbidden` — an `admin` write by a role that does not administer base
 *   data, or of a record outside the principal's jurisdiction;
 * - 404 `NotFound` — an unknown id **and** an id outside the principal's
 *   scope give the same response, so ids cannot be probed;
 * - 409 `Conflict` — optimistic concurrency: someone acted first; carries the
 *   case's current version;
 * - 413 `BodyTooLarge` — a request body over the server's limit (256 KiB by default);
 * - 422 `Refused` — the decider refused the command, naming every rule broken;
 *   `DataInvalid` — an `admin` write the core's checks refuse;
 *   `Unroutable` — a report whose location cannot be placed in the hierarchy;
 * - 429 `TooManyRequests` — too many failed authentications from your address
 *   (`Retry-After`);
 * - 503 `StorageUnavailable` — the store cannot serve now (`Retry-After`).
 *
 * Every error answers with a JSON body `{ _tag, message, field?, rule? }`
 * (`ErrorBody`): the 400 of a failing schema names the first bad field and
 * its rule on top, and every bad field in `issues`; dates must exist on the
 * calendar (`Instant.DateTimeUtc`, rule `valid-date`).
 *
 * @since 0.1.0
 */
import { ActorId, DepartmentId, RoleId } from "@civicgrid/core/Actor"
import * as Award from "@civicgrid/core/Award"
import * as Body from "@civicgrid/core/Body"
import { Building } from "@civicgrid/core/Building"
import * as CadreAppraisal from "@civicgrid/core/CadreAppraisal"
import * as Case from "@civicgrid/core/Case"
import { Category, CategoryId, Urgency } from "@civicgrid/core/CaseCategory"
import * as CaseCommand from "@civicgrid/core/CaseCommand"
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import { Board, CaseSummary } from "@civicgrid/core/CaseRepository"
import * as CompoundPartyFounding from "@civicgrid/core/CompoundPartyFounding"
import * as ContactDuty from "@civicgrid/core/ContactDuty"
import * as Coverage from "@civicgrid/core/Coverage"
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as Department from "@civicgrid/core/Department"
import { Grid, GridId } from "@civicgrid/core/Grid"
import * as Household from "@civicgrid/core/Household"
import { IndicatorId } from "@civicgrid/core/Indicator"
import * as Instant from "@civicgrid/core/Instant"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Membership from "@civicgrid/core/Membership"
import * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import { PartyOrganization } from "@civicgrid/core/PartyOrganization"
import * as Period from "@civicgrid/core/Period"
import * as Post from "@civicgrid/core/Post"
import { Problem, ProblemStatus } from "@civicgrid/core/ProblemList"
import * as ProxyService from "@civicgrid/core/ProxyService"
import * as Publication from "@civicgrid/core/Publication"
import { Ratio } from "@civicgrid/core/Ratio"
import { Resource } from "@civicgrid/core/ResourceList"
import * as RoleTable from "@civicgrid/core/RoleTable"
import * as Routing from "@civicgrid/core/Routing"
import * as Score from "@civicgrid/core/Score"
import * as Staffing from "@civicgrid/core/Staffing"
import { StorageUnavailable } from "@civicgrid/core/Storage"
import { Task, TaskStatus } from "@civicgrid/core/TaskList"
import * as Text from "@civicgrid/core/Text"
import { Tier } from "@civicgrid/core/Tier"
import { LightColor } from "@civicgrid/core/TimeLimit"
import { Unit, UnitId } from "@civicgrid/core/Unit"
import * as Visit from "@civicgrid/core/Visit"
import * as Vote from "@civicgrid/core/Vote"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import * as HttpApi from "@effect/platform/HttpApi"
import type * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Schema from "effect/Schema"
import * as Struct from "effect/Struct"
import { Authorization, TooManyRequests } from "./Authorization.js"
import { BodyGuard, BodyTooLarge } from "./BodyGuard.js"
import { Role } from "./Principal.js"

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * 不存在 — an unknown object, or one outside the principal's scope (the same
 * response for both).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()(
  "NotFound",
  {
    resource: Schema.Literal(
      "case",
      "unit",
      "grid",
      "hierarchy",
      "problem",
      "task",
      "question",
      "location",
      "resource",
      "assignment"
    ),
    id: Schema.String,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 404,
    description: "不存在或不在辖区内 unknown, or outside your jurisdiction (the same answer for both)"
  })
) {}

/**
 * 指令被拒 — the decider refused the command: every rule broken, each with a
 * bilingual message (the core's `CaseRefused`).
 *
 * @since 0.1.0
 * @category errors
 */
export class Refused extends Schema.TaggedError<Refused>()(
  "Refused",
  {
    caseId: Schema.String,
    status: Schema.Union(Case.Status, Schema.Literal("none")),
    command: Case.CommandTag,
    rule: Case.RefusalRule,
    violations: Schema.NonEmptyArray(Case.Violation),
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 422,
    description: "指令被拒 the command breaks a rule of the case loop"
  })
) {}

/**
 * 未知来源 — a report naming a source the server's role table does not hold
 * as a report source (built in or local, by id or Chinese name;
 * `RoleTable.reportSource`): the field `source` and the rule broken —
 * `unknown-source`, or the table rule a malformed local row breaks.
 *
 * @since 0.1.0
 * @category errors
 */
export class SourceUnknown extends Schema.TaggedError<SourceUnknown>()(
  "SourceUnknown",
  {
    field: Schema.Literal("source"),
    rule: Schema.Union(Schema.Literal("unknown-source"), RoleTable.TableRule),
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 400,
    description: "未知来源 the report names a source the role table does not hold"
  })
) {}

/**
 * 并发冲突 — someone acted on the case first: reload it (its current version
 * is `currentVersion`) and decide again.
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>()(
  "Conflict",
  {
    caseId: Schema.String,
    expectedVersion: Schema.Int,
    currentVersion: Schema.Int,
    message: Schema.String
  },
  HttpApiSchema.annotations({ status: 409, description: "并发冲突 the case changed since you read it" })
) {}

/**
 * 查询无效 — a list query the store cannot run, every bad parameter named.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidQuery extends Schema.TaggedError<InvalidQuery>()(
  "InvalidQuery",
  {
    violations: Schema.NonEmptyArray(Schema.Struct({ field: Schema.String, message: Schema.String })),
    message: Schema.String
  },
  HttpApiSchema.annotations({ status: 400, description: "查询无效 invalid list query" })
) {}

/**
 * 无法定位 — a report the use case cannot place (the core's
 * `Routing.RoutingFailed`): a category outside the catalogue, a unit, grid or
 * position the hierarchy does not know, a location in no community (or no
 * unit of its starting tier) — naming the field and the rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unroutable extends Schema.TaggedError<Unroutable>()(
  "Unroutable",
  {
    field: Schema.Literal("categoryId", "unitId", "gridId", "position", "location"),
    rule: Routing.RoutingRuleBroken,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 422,
    description: "无法定位 the report cannot be placed: unknown category, unit, grid or location"
  })
) {}

/**
 * 指标不可用 — the store cannot compute indicators now (its indicator tables
 * are incomplete: the operator runs a rebuild). A server state, not a fault of
 * the request.
 *
 * @since 0.1.0
 * @category errors
 */
export class MetricsUnavailable extends Schema.TaggedError<MetricsUnavailable>()(
  "MetricsUnavailable",
  { reason: Schema.String, message: Schema.String },
  HttpApiSchema.annotations({
    status: 503,
    description: "指标不可用 indicators are not available from this store now"
  })
) {}

/**
 * 无权操作 — the principal may not make this write: its role does not
 * administer base data (rule `admin-role`: only `admin` and `district-staff`
 * do), or the write names a unit outside its jurisdiction, or replaces a
 * record that lies outside it (rule `jurisdiction`, `field` naming where).
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  {
    rule: Schema.Literal("admin-role", "jurisdiction"),
    field: Schema.String,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 403,
    description:
      "无权操作 your role does not administer base data, or the record lies outside your jurisdiction"
  })
) {}

/**
 * 数据问题 — one rule a written record breaks: which record (`id`), which
 * field, which rule, in words.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DataViolation = Schema.Struct({
  id: Schema.String,
  field: Schema.String,
  rule: Schema.String,
  message: Schema.String
}).annotations({ identifier: "DataViolation", title: "数据问题 data violation" })

/**
 * @since 0.1.0
 * @category models
 */
export interface DataViolation extends Schema.Schema.Type<typeof DataViolation> {}

/**
 * 数据无效 — a well-formed write the core's checks refuse (a hierarchy that
 * would break — level order, code nesting, a cycle, a second root —, an
 * unknown unit, building, grid or person, a grid listing another community's
 * building, a role on a target it cannot have …): the first violation's
 * field and rule on top, every violation listed. Nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class DataInvalid extends Schema.TaggedError<DataInvalid>()(
  "DataInvalid",
  {
    entity: Schema.Literal("unit", "building", "grid", "person", "assignment", "department", "categories"),
    field: Schema.String,
    rule: Schema.String,
    violations: Schema.NonEmptyArray(DataViolation),
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 422,
    description: "数据无效 the record breaks a rule of the hierarchy, grids, staffing or departments"
  })
) {}

// -----------------------------------------------------------------------------
// views
// -----------------------------------------------------------------------------

/**
 * 案件视图 — a case as the principal may see it: the read-model summary, the
 * local report source it came from (with its names), the reporter's contact
 * (masked for roles without the right; `null` for an anonymous report or none
 * given) and, on request, the full state.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CaseView = Schema.Struct({
  summary: CaseSummary,
  /**
   * 本地来源 — the role table's local report source the case was reported
   * from (acting as `summary.source`), with its names; absent for a built-in
   * source.
   */
  localSource: Schema.optionalWith(Schema.Struct({ id: RoleId, zh: Schema.String, en: Schema.String }), {
    exact: true
  }),
  anonymous: Schema.Boolean,
  reporter: Schema.NullOr(Case.RecordedContact),
  state: Schema.optionalWith(Case.Case, { exact: true })
}).annotations({ identifier: "CaseView", title: "案件视图 case view" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CaseView extends Schema.Schema.Type<typeof CaseView> {}

/**
 * 指令结果 — what a command did: the case's version and status after it, the
 * new events (none when an idempotent report was replayed).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CommandResult = Schema.Struct({
  caseId: Case.CaseId,
  version: Schema.Int,
  status: Case.Status,
  replayed: Schema.Boolean,
  events: Schema.Array(CaseEvent)
}).annotations({ identifier: "CommandResult", title: "指令结果 command result" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CommandResult extends Schema.Schema.Type<typeof CommandResult> {}

/**
 * 案件列表项 — a listed case: its summary (with the current step's `deadline`)
 * and its timer light 计时灯 at the time of the request
 * (`CaseRepository.lightOf`; `null` without a running clock).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CaseListItem = Schema.Struct({
  ...CaseSummary.fields,
  light: Schema.NullOr(LightColor)
}).annotations({ identifier: "CaseListItem", title: "案件列表项 listed case" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CaseListItem extends Schema.Schema.Type<typeof CaseListItem> {}

/**
 * 案件列表页 — a page of listed cases, in the requested order (newest report
 * first by default), with the cursor of the next page (`null` on the last).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CasePage = Schema.Struct({
  items: Schema.Array(CaseListItem),
  next: Schema.NullOr(Schema.String)
}).annotations({ identifier: "CasePage", title: "案件列表页 case page" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CasePage extends Schema.Schema.Type<typeof CasePage> {}

// -----------------------------------------------------------------------------
// requests
// -----------------------------------------------------------------------------

/** Request schemas report every bad field, not just the first (400 names them all). */
const allErrors = { errors: "all" } as const

const nulMessage = "不允许 NUL 字符 text may not contain the NUL character (U+0000)"

const nulIssues = (
  value: unknown,
  path: ReadonlyArray<PropertyKey>,
  out: Array<Schema.FilterIssue>
): void => {
  if (typeof value === "string") {
    if (value.includes("\u0000")) out.push({ path, message: nulMessage })
  } else if (Array.isArray(value)) {
    value.forEach((item, k) => {
      nulIssues(item, [...path, k], out)
    })
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) out.push({ path: [...path, key], message: nulMessage })
      nulIssues(item, [...path, key], out)
    }
  }
}

/**
 * 文本检查 — a request may not carry the NUL character in any string (no
 * store can keep it; PostgreSQL refuses it): every such field is a 400 naming
 * its path.
 *
 * @since 0.1.0
 * @category schemas
 */
export const noNul = <S extends Schema.Schema.Any>(schema: S) =>
  schema.pipe(
    Schema.filter((value) => {
      const out: Array<Schema.FilterIssue> = []
      nulIssues(value, [], out)
      return out
    })
  )

/**
 * 上报 — the body of a report: what and where; the server places it in the
 * hierarchy (community, tier owner), and the principal is the reporter.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReportBody = Schema.Struct({
  categoryId: CategoryId,
  /** 紧急程度 — defaults to the category's. */
  urgency: Schema.optionalWith(Urgency, { exact: true }),
  description: CaseCommand.Report.fields.description,
  location: Case.Location,
  /**
   * 来源 — a report source of the server's role table by id or Chinese name:
   * a built-in one (`patrol`, `dispute`, 信访 …) or a local one acting as a
   * built-in one (枫桥小屋, 民情恳谈会 …; `RoleTable.reportSource`), the case
   * recording both; unknown: 400 `SourceUnknown`. Defaults by role
   * (`Case.defaultSourceOf`); a role files only from its own sources
   * (`Case.reportSources`).
   */
  source: Schema.optionalWith(Text.Name, { exact: true }),
  /** 起始层级 — the category's starting tier; staff may ask for a higher tier (their own or below). */
  tier: Schema.optionalWith(Tier, { exact: true }),
  contact: Schema.optionalWith(Case.Contact, { exact: true }),
  anonymous: Schema.optionalWith(Schema.Boolean, { exact: true }),
  attributes: Schema.optionalWith(Case.Attributes, { exact: true }),
  /** 公开精确位置 — the reporter agrees that the exact position and full address be published (Open311). */
  publishExact: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /**
   * 同意接收进度通知 — the reporter agrees to be told of the case's status changes
   * at their contact phone (needs `contact.phone`, not anonymous; rule `notify-needs-contact`).
   */
  notifyReporter: Schema.optionalWith(Schema.Boolean, { exact: true }),
  /** 附件 — photos or documents as http(s) URLs, at most `Case.maxMedia` (rule `media-url`). */
  media: CaseCommand.Report.fields.media
}).annotations({ identifier: "ReportBody", title: "上报 report", parseOptions: allErrors })

/**
 * @since 0.1.0
 * @category models
 */
export interface ReportBody extends Schema.Schema.Type<typeof ReportBody> {}

/**
 * 自处理 — a report resolved on the spot by a grid worker, with the result and evidence.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SelfHandleBody = Schema.Struct({
  ...ReportBody.fields,
  result: CaseCommand.SelfHandle.fields.result,
  evidence: CaseCommand.SelfHandle.fields.evidence
}).annotations({ identifier: "SelfHandleBody", title: "自处理 self-handle", parseOptions: allErrors })

/**
 * @since 0.1.0
 * @category models
 */
export interface SelfHandleBody extends Schema.Schema.Type<typeof SelfHandleBody> {}

/**
 * 幂等键 — the `Idempotency-Key` header of a report: the same key twice gives
 * the same case.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IdempotencyHeaders = Schema.Struct({
  "idempotency-key": Schema.optionalWith(Text.line(200).pipe(Schema.minLength(1)), {
    exact: true
  })
})

const expectedVersion = Schema.optionalWith(
  Schema.Int.pipe(Schema.nonNegative()).annotations({
    description: "期望版本 the version you read; a command on a case that moved on is a 409"
  }),
  { exact: true }
)

const meta = ["_tag", "caseId", "actor", "at"] as const

const body = <F extends Schema.Struct.Fields>(fields: F) =>
  Schema.Struct(fields).annotations({ parseOptions: allErrors })

/**
 * The bodies of the commands on an existing case: the core command's fields
 * without `caseId`, `actor` and `at` (from the path, the principal and the
 * server clock), plus an optional `expectedVersion`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CommandBodies = {
  accept: body({ ...Struct.omit(CaseCommand.Accept.fields, ...meta), expectedVersion }),
  reject: body({ ...Struct.omit(CaseCommand.Reject.fields, ...meta), expectedVersion }),
  void: body({ ...Struct.omit(CaseCommand.Void.fields, ...meta), expectedVersion }),
  dispatch: body({ ...Struct.omit(CaseCommand.Dispatch.fields, ...meta), expectedVersion }),
  return: body({ ...Struct.omit(CaseCommand.Return.fields, ...meta), expectedVersion }),
  handle: body({ ...Struct.omit(CaseCommand.Handle.fields, ...meta), expectedVersion }),
  verify: body({ ...Struct.omit(CaseCommand.Verify.fields, ...meta), expectedVersion }),
  evaluate: body({ ...Struct.omit(CaseCommand.Evaluate.fields, ...meta), expectedVersion }),
  reopen: body({ ...Struct.omit(CaseCommand.Reopen.fields, ...meta), expectedVersion }),
  suspend: body({ ...Struct.omit(CaseCommand.RequestSuspension.fields, ...meta), expectedVersion }),
  approveSuspension: body({ ...Struct.omit(CaseCommand.ApproveSuspension.fields, ...meta), expectedVersion }),
  denySuspension: body({ ...Struct.omit(CaseCommand.DenySuspension.fields, ...meta), expectedVersion }),
  resume: body({ ...Struct.omit(CaseCommand.Resume.fields, ...meta), expectedVersion }),
  extend: body({ ...Struct.omit(CaseCommand.RequestExtension.fields, ...meta), expectedVersion }),
  approveExtension: body({ ...Struct.omit(CaseCommand.ApproveExtension.fields, ...meta), expectedVersion }),
  denyExtension: body({ ...Struct.omit(CaseCommand.DenyExtension.fields, ...meta), expectedVersion }),
  merge: body({ ...Struct.omit(CaseCommand.Merge.fields, ...meta), expectedVersion }),
  /** 上报升级 — `toUnitId` defaults to the next tier's unit above the case's community. */
  escalate: body({
    toUnitId: Schema.optionalWith(UnitId, { exact: true }),
    reason: CaseCommand.Escalate.fields.reason,
    expectedVersion
  }),
  /**
   * 评论 — a public or internal note (an internal one from staff only: rule
   * `internal-comment-staff`); allowed in every status, never changes it.
   */
  comment: body({ ...Struct.omit(CaseCommand.Comment.fields, ...meta), expectedVersion }),
  /**
   * 督办/催办 — press for action on an open case (`level` urge 催办 | supervise
   * 督办, a note); street or district staff (an admin as its tier's staff);
   * never changes the status.
   */
  supervise: body({ ...Struct.omit(CaseCommand.Supervise.fields, ...meta), expectedVersion })
}

const caseIdPath = Schema.Struct({ caseId: Text.Id })
const unitIdPath = Schema.Struct({ unitId: Text.Id })

const oneOrMany = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(Schema.Union(schema, Schema.Array(schema)), { exact: true })

/**
 * 列表查询 — the filters of `GET /cases` (see `CaseRepository.CaseQuery`);
 * `within` defaults to the principal's unit and must lie in its jurisdiction.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListParams = Schema.Struct({
  within: Schema.optionalWith(UnitId, { exact: true }),
  status: oneOrMany(Case.Status),
  tier: oneOrMany(Tier),
  categoryId: oneOrMany(CategoryId),
  reportedFrom: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  reportedTo: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  overdueAt: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  /** 计时灯 — open cases whose light is one of these now (红灯 red = 超期). */
  light: oneOrMany(LightColor),
  /** 排序 — `reported` (default, newest first) or `deadline` (least time left first; cases with a deadline only). */
  sort: Schema.optionalWith(Schema.Literal("reported", "deadline"), { exact: true }),
  limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 500)), {
    exact: true
  }),
  /** 游标 — the `next` of the previous page. */
  after: Schema.optionalWith(Text.line(1024), { exact: true })
}).annotations({ parseOptions: allErrors })

const commandEndpoint = <const Name extends string, P extends Schema.Schema.Any>(
  name: Name,
  segment: string,
  payload: P & HttpApiEndpoint.HttpApiEndpoint.ValidatePayload<"POST", P>,
  summary: string
) =>
  HttpApiEndpoint.post(name, `/cases/:caseId/${segment}`)
    .setPath(caseIdPath)
    .setPayload(payload)
    .addSuccess(CommandResult)
    .addError(NotFound)
    .addError(Refused)
    .addError(Conflict)
    .annotate(OpenApi.Summary, summary)

/**
 * 指标查询 — `GET /metrics/indicators`: the subtree (`within`, default the
 * principal's unit) and `period` — a period label (`2025-03`, `2025-Q1`,
 * `2025-W10`, `2025-03-15`: that period) or a granularity (`month` …: every
 * period with data) — and optionally `to` (a label: the range `period`…`to`)
 * and `asOf` (default now).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MetricsParams = Schema.Struct({
  within: Schema.optionalWith(UnitId, { exact: true }),
  period: Text.line(32).pipe(Schema.minLength(1)),
  to: Schema.optionalWith(Text.line(32).pipe(Schema.minLength(1)), { exact: true }),
  asOf: Schema.optionalWith(Instant.DateTimeUtc, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 考核指标结果 — per period, every indicator as a `Ratio` (denominator 0: no
 * data), in time order; and how many of the subtree's cases are unjudged.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MetricsResult = Schema.Struct({
  within: UnitId,
  asOf: Schema.DateTimeUtc,
  granularity: Period.Granularity,
  periods: Schema.Array(
    Schema.Struct({
      period: Period.Period,
      label: Schema.String,
      indicators: Schema.Record({ key: IndicatorId, value: Ratio })
    })
  ),
  unjudged: Schema.Int
}).annotations({ identifier: "MetricsResult", title: "考核指标 indicators" })

/**
 * @since 0.1.0
 * @category models
 */
export interface MetricsResult extends Schema.Schema.Type<typeof MetricsResult> {}

/**
 * 记分卡查询 — `GET /metrics/scores`: the child units of `within` (default
 * the principal's unit) scored under `profile` (a shipped profile id,
 * `Score.profiles`; default `three-rates-10-50-40`) in one `period` (a label:
 * `2025-03`, `2025-Q1`, `2025-W10`, `2025-03-15`), judged at `asOf` (default
 * now); `minSample` is the ranking's minimum sample (default
 * `Score.defaultMinSample`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScoresParams = Schema.Struct({
  profile: Schema.optionalWith(Text.line(64).pipe(Schema.minLength(1)), { exact: true }),
  within: Schema.optionalWith(UnitId, { exact: true }),
  period: Text.line(32).pipe(Schema.minLength(1)),
  asOf: Schema.optionalWith(Instant.DateTimeUtc, { exact: true }),
  minSample: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 1_000_000)), {
    exact: true
  })
}).annotations({ parseOptions: allErrors })

/**
 * 分项 — one indicator of a unit's card: its id, Chinese and English names,
 * the value as a ratio (numerator/denominator; denominator 0: no data), the
 * rate, the points (none when excluded for lack of data), the weight and what
 * it adds to the total.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScoreIndicator = Schema.Struct({
  indicatorId: Schema.String,
  name: Schema.String,
  nameEn: Schema.String,
  numerator: Schema.Number,
  denominator: Schema.Number,
  value: Schema.NullOr(Schema.Number),
  points: Schema.NullOr(Schema.Number),
  weight: Schema.Number,
  contribution: Schema.Number
}).annotations({ identifier: "ScoreIndicator", title: "分项得分 indicator points" })

/**
 * 单元记分卡 — a child unit's card: total 0–100 (null: no data), grade A–E,
 * 绿橙红 light, rank (null when unranked: `status` says why — below the
 * minimum sample or no data), the sample, the indicators without data.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnitScore = Schema.Struct({
  unitId: UnitId,
  name: Schema.String,
  total: Schema.NullOr(Schema.Number),
  grade: Schema.NullOr(Schema.String),
  light: Schema.NullOr(Score.Light),
  lightName: Schema.NullOr(Schema.String),
  rank: Schema.NullOr(Schema.Int),
  status: Schema.Literal("ranked", "below-minimum-sample", "no-data"),
  sampleSize: Schema.Number,
  missing: Schema.Array(Schema.String),
  indicators: Schema.Array(ScoreIndicator)
}).annotations({ identifier: "UnitScore", title: "单元记分卡 unit scorecard" })

/**
 * 记分卡结果 — the profile (id, name, indicators with names and weights), the
 * unit, period and instant, the minimum sample, and the child units' cards in
 * ranking order.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScoresResult = Schema.Struct({
  profile: Schema.Struct({
    id: Schema.String,
    name: Schema.String,
    indicators: Schema.Array(
      Schema.Struct({
        indicatorId: Schema.String,
        name: Schema.String,
        nameEn: Schema.String,
        weight: Schema.Number
      })
    )
  }),
  within: UnitId,
  period: Schema.String,
  asOf: Schema.DateTimeUtc,
  minSample: Schema.Int,
  units: Schema.Array(UnitScore)
}).annotations({ identifier: "ScoresResult", title: "考核记分卡 scorecards" })

/**
 * @since 0.1.0
 * @category models
 */
export interface ScoresResult extends Schema.Schema.Type<typeof ScoresResult> {}

/**
 * 计票 — a survey tally: responses per scale level.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Tally = Schema.Record({ key: Schema.String, value: Schema.Number }).annotations({
  identifier: "SurveyTally",
  title: "计票 tally"
})

/**
 * 满意度统计 — a question's tallies for a period within a unit: the total and
 * each unit with responses (units in id order).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TalliesResult = Schema.Struct({
  questionId: Schema.String,
  period: Schema.String,
  within: UnitId,
  total: Tally,
  units: Schema.Array(Schema.Struct({ unitId: UnitId, tally: Tally }))
}).annotations({ identifier: "TalliesResult", title: "满意度统计 survey tallies" })

/**
 * @since 0.1.0
 * @category models
 */
export interface TalliesResult extends Schema.Schema.Type<typeof TalliesResult> {}

/**
 * 坐标定位查询 — `GET /grids/locate`: a point as `lat` (纬度, WGS-84) and
 * `long` (经度), decimal degrees.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocateParams = Schema.Struct({
  lat: Schema.NumberFromString.pipe(Schema.finite()).annotations({ description: "纬度 latitude" }),
  long: Schema.NumberFromString.pipe(Schema.finite()).annotations({ description: "经度 longitude" })
}).annotations({ parseOptions: allErrors })

/**
 * 坐标定位结果 — where a report at the point would be placed (`Routing.place`
 * with the server's routing settings): how (`placedBy`: `position` in a grid,
 * `nearest-grid`, or `tier-fallback` to a street/district), the unit and
 * community, and the grid (none for a tier fallback).
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocateResult = Schema.Struct({
  placedBy: Routing.Placement,
  unitId: UnitId,
  communityId: UnitId,
  grid: Schema.NullOr(Grid.pick("id", "name", "kind", "communityId"))
}).annotations({ identifier: "LocateResult", title: "坐标定位 point placement" })

/**
 * @since 0.1.0
 * @category models
 */
export interface LocateResult extends Schema.Schema.Type<typeof LocateResult> {}

/**
 * 配置原则查询 — `GET /hierarchy/units/:unitId/staffing`: the policies to
 * check (`policy`, one or many; default every policy of `Staffing.allPolicies`
 * with its defaults). Integrity is always checked.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StaffingParams = Schema.Struct({
  policy: oneOrMany(Schema.Literal(...Staffing.Policy.literals.filter((p) => p !== "integrity")))
}).annotations({ parseOptions: allErrors })

/**
 * 网格力量配置报告 — every violation of the checked policies (`Staffing.check`)
 * over what is stored within the unit (`GridRepository.snapshot`); `complete`
 * when there is none.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StaffingResult = Schema.Struct({
  within: UnitId,
  policies: Schema.Array(Staffing.Policy),
  violations: Schema.Array(Staffing.StaffingViolation),
  complete: Schema.Boolean
}).annotations({ identifier: "StaffingResult", title: "网格力量配置报告 staffing report" })

/**
 * @since 0.1.0
 * @category models
 */
export interface StaffingResult extends Schema.Schema.Type<typeof StaffingResult> {}

/**
 * 管理请求体 — the bodies of the `admin` writes: the core record without its
 * id (the id is the path's), each field bounded by the core's schema
 * (`Text` lengths, identifiers, GeoJSON positions and rings).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AdminBodies = {
  /** 单元 — `parentId` (within your jurisdiction), `level`, `name`, optional `code`. */
  unit: body(Struct.omit(Unit.fields, "id")).annotations({ identifier: "UnitBody", title: "单元 unit" }),
  /** 楼栋 — community, compound, households, optional `location` `[lon, lat]`. */
  building: body(Struct.omit(Building.fields, "id")).annotations({
    identifier: "BuildingBody",
    title: "楼栋 building"
  }),
  /** 网格 — kind, community, buildings (of that community), optional boundary and micro-grids. */
  grid: body(Struct.omit(Grid.fields, "id")).annotations({ identifier: "GridBody", title: "网格 grid" }),
  /** 人员 — name, party membership, optional class and phone. */
  person: body(Struct.omit(Staffing.Person.fields, "id")).annotations({
    identifier: "PersonBody",
    title: "人员 staff member"
  }),
  /** 任职 — person, role and target (`{ _tag: "Grid", gridId }`, `Building`, `Unit`). */
  assignment: body(Staffing.Assignment.fields).annotations({
    identifier: "AssignmentBody",
    title: "任职 assignment"
  }),
  /** 案件分类 — the whole catalogue: its major and minor classes (`CaseCategory.Category` rows). */
  categories: Schema.Array(Category).annotations({
    identifier: "CategoriesBody",
    title: "案件分类 category catalogue",
    parseOptions: allErrors
  }),
  /** 职能部门 — names and jurisdiction unit. */
  department: body(Struct.omit(Department.Department.fields, "id")).annotations({
    identifier: "DepartmentBody",
    title: "职能部门 department"
  })
}

// -----------------------------------------------------------------------------
// groups
// -----------------------------------------------------------------------------

/**
 * 组织体系 — units of the administrative hierarchy within the principal's jurisdiction.
 *
 * @since 0.1.0
 * @category groups
 */
export class HierarchyGroup extends HttpApiGroup.make("hierarchy")
  .add(
    HttpApiEndpoint.get("units", "/hierarchy/units")
      .addSuccess(Schema.Array(Unit))
      .addError(NotFound)
      .annotate(OpenApi.Summary, "辖区单元 the units of your jurisdiction (your unit's subtree, pre-order)")
  )
  .add(
    HttpApiEndpoint.get("unit", "/hierarchy/units/:unitId")
      .setPath(unitIdPath)
      .addSuccess(Unit)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "单元 one unit")
  )
  .add(
    HttpApiEndpoint.get("children", "/hierarchy/units/:unitId/children")
      .setPath(unitIdPath)
      .addSuccess(Schema.Array(Unit))
      .addError(NotFound)
      .annotate(OpenApi.Summary, "下级单元 a unit's direct children")
  )
  .add(
    HttpApiEndpoint.get("subtree", "/hierarchy/units/:unitId/subtree")
      .setPath(unitIdPath)
      .addSuccess(Schema.Array(Unit))
      .addError(NotFound)
      .annotate(OpenApi.Summary, "辖区子树 a unit and every unit below it (pre-order)")
  )
  .add(
    HttpApiEndpoint.get("departments", "/hierarchy/departments")
      .addSuccess(Schema.Array(Department.Department))
      .annotate(
        OpenApi.Summary,
        "职能部门 the registered departments serving your jurisdiction (dispatch targets), in id order"
      )
  )
  .add(
    HttpApiEndpoint.get("partyOrganizations", "/hierarchy/party-organizations")
      .addSuccess(Schema.Array(PartyOrganization))
      .annotate(
        OpenApi.Summary,
        "党组织 the party organisations built on units or grids of your jurisdiction (pre-order; none stored: empty)"
      )
  )
  .middleware(Authorization)
  .annotate(OpenApi.Title, "组织体系 hierarchy")
  .annotate(OpenApi.Description, "行政层级（区—街道—社区—小区—楼栋） the administrative hierarchy") {}

/**
 * 网格 — grids within a unit of the principal's jurisdiction (read): the
 * grids, their coverage and staffing reports, and point → grid lookup.
 *
 * @since 0.1.0
 * @category groups
 */
export class GridsGroup extends HttpApiGroup.make("grids")
  .add(
    HttpApiEndpoint.get("within", "/hierarchy/units/:unitId/grids")
      .setPath(unitIdPath)
      .addSuccess(Schema.Array(Grid))
      .addError(NotFound)
      .annotate(OpenApi.Summary, "辖区网格 the grids within a unit")
  )
  .add(
    HttpApiEndpoint.get("coverage", "/hierarchy/units/:unitId/coverage")
      .setPath(unitIdPath)
      .addSuccess(Coverage.CoverageReport)
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "覆盖检查 coverage of the communities within a unit: gaps, overlaps, foreign buildings (Coverage.check)"
      )
  )
  .add(
    HttpApiEndpoint.get("staffing", "/hierarchy/units/:unitId/staffing")
      .setPath(unitIdPath)
      .setUrlParams(noNul(StaffingParams))
      .addSuccess(StaffingResult)
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "力量配置检查 staffing of the grids within a unit against the policies (Staffing.check)"
      )
  )
  .add(
    HttpApiEndpoint.get("locate", "/grids/locate")
      .setUrlParams(noNul(LocateParams))
      .addSuccess(LocateResult)
      .addError(NotFound)
      .addError(InvalidQuery)
      .annotate(
        OpenApi.Summary,
        "坐标定位 the grid a point lies in, or where a report there would be placed (outside-grids policy); 404 when nothing in your jurisdiction takes it"
      )
  )
  .add(
    HttpApiEndpoint.get("grid", "/grids/:gridId")
      .setPath(Schema.Struct({ gridId: Text.Id }))
      .addSuccess(Grid)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "网格 one grid")
  )
  .middleware(Authorization)
  .annotate(OpenApi.Title, "网格 grids")
  .annotate(OpenApi.Description, "网格化管理 grid management (read)") {}

/**
 * 清单 — the problem, resource and task lists (清单工作法) within the
 * principal's jurisdiction (read). A resource's provider who is a person
 * (party member, volunteer) is personal data: the name is always masked
 * (`Mask.name`); the staff record's `personId` is kept.
 *
 * @since 0.1.0
 * @category groups
 */
export class ListsGroup extends HttpApiGroup.make("lists")
  .add(
    HttpApiEndpoint.get("problems", "/lists/problems")
      .setUrlParams(
        noNul(
          Schema.Struct({
            within: Schema.optionalWith(UnitId, { exact: true }),
            status: oneOrMany(ProblemStatus)
          })
        )
      )
      .addSuccess(Schema.Array(Problem))
      .addError(NotFound)
      .annotate(OpenApi.Summary, "问题清单 the problems within a unit of your jurisdiction (default: yours)")
  )
  .add(
    HttpApiEndpoint.get("problem", "/lists/problems/:problemId")
      .setPath(Schema.Struct({ problemId: Text.Id }))
      .addSuccess(Problem)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "问题 one problem")
  )
  .add(
    HttpApiEndpoint.get("resources", "/lists/resources")
      .setUrlParams(
        noNul(
          Schema.Struct({
            within: Schema.optionalWith(UnitId, { exact: true }),
            /** 服务对象 — only resources serving this unit (a scope unit is it or above it). */
            serving: Schema.optionalWith(UnitId, { exact: true })
          }).annotations({ parseOptions: allErrors })
        )
      )
      .addSuccess(Schema.Array(Resource))
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "资源清单 the resources serving units within a unit of your jurisdiction (default: yours); providers' names masked"
      )
  )
  .add(
    HttpApiEndpoint.get("resource", "/lists/resources/:resourceId")
      .setPath(Schema.Struct({ resourceId: Text.Id }))
      .addSuccess(Resource)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "资源 one resource (provider's name masked)")
  )
  .add(
    HttpApiEndpoint.get("tasks", "/lists/tasks")
      .setUrlParams(
        noNul(
          Schema.Struct({
            within: Schema.optionalWith(UnitId, { exact: true }),
            status: oneOrMany(TaskStatus),
            overdueAt: Schema.optionalWith(Instant.DateTimeUtc, { exact: true })
          })
        )
      )
      .addSuccess(Schema.Array(Task))
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "任务清单 the tasks owned by units within a unit of your jurisdiction (default: yours)"
      )
  )
  .add(
    HttpApiEndpoint.get("task", "/lists/tasks/:taskId")
      .setPath(Schema.Struct({ taskId: Text.Id }))
      .addSuccess(Task)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "任务 one task (a department reads its own)")
  )
  .middleware(Authorization)
  .annotate(OpenApi.Title, "清单 lists")
  .annotate(
    OpenApi.Description,
    "清单工作法：问题清单、资源清单、任务清单 the problem, resource and task lists (read)"
  ) {}

/**
 * 案件 — the closed loop: report, then commands on the case; reads.
 *
 * @since 0.1.0
 * @category groups
 */
export class CasesGroup extends HttpApiGroup.make("cases")
  .add(
    HttpApiEndpoint.post("report", "/cases")
      .setHeaders(IdempotencyHeaders)
      .setPayload(noNul(ReportBody))
      .addSuccess(CommandResult, { status: 201 })
      .addError(NotFound)
      .addError(SourceUnknown)
      .addError(Refused)
      .addError(Unroutable)
      .addError(Conflict)
      .annotate(
        OpenApi.Summary,
        "采集上报 report a case (Idempotency-Key: the same key twice gives one case)"
      )
  )
  .add(
    HttpApiEndpoint.post("selfHandle", "/cases/self-handle")
      .setHeaders(IdempotencyHeaders)
      .setPayload(noNul(SelfHandleBody))
      .addSuccess(CommandResult, { status: 201 })
      .addError(NotFound)
      .addError(SourceUnknown)
      .addError(Refused)
      .addError(Unroutable)
      .addError(Conflict)
      .annotate(OpenApi.Summary, "自处理 a grid worker reports and resolves a case on the spot")
  )
  .add(
    HttpApiEndpoint.get("list", "/cases")
      .setUrlParams(noNul(ListParams))
      .addSuccess(CasePage)
      .addError(NotFound)
      .addError(InvalidQuery)
      .annotate(
        OpenApi.Summary,
        "案件列表 cases in your jurisdiction, newest first or by time left (`sort=deadline`), by light (`light=red`); keyset cursor `after`"
      )
  )
  .add(
    HttpApiEndpoint.get("board", "/board")
      .setUrlParams(noNul(Schema.Struct({ unitId: Schema.optionalWith(UnitId, { exact: true }) })))
      .addSuccess(Board)
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "指挥调度看板 the board of a unit in your jurisdiction (default: yours): open cases by status × light, overdue by tier, escalations and closures today (+08:00)"
      )
  )
  .add(
    HttpApiEndpoint.get("get", "/cases/:caseId")
      .setPath(caseIdPath)
      .setUrlParams(Schema.Struct({ include: Schema.optionalWith(Schema.Literal("state"), { exact: true }) }))
      .addSuccess(CaseView)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "案件 one case (`include=state` adds the full state)")
  )
  .add(
    HttpApiEndpoint.get("events", "/cases/:caseId/events")
      .setPath(caseIdPath)
      .addSuccess(Schema.Array(CaseEvent))
      .addError(NotFound)
      .annotate(OpenApi.Summary, "案件历史 the case's events, in order")
  )
  .add(commandEndpoint("accept", "accept", CommandBodies.accept, "立案 accept"))
  .add(commandEndpoint("reject", "reject", CommandBodies.reject, "不予立案 reject"))
  .add(commandEndpoint("void", "void", CommandBodies.void, "作废 void (duplicate | invalid | not-ours)"))
  .add(commandEndpoint("dispatch", "dispatch", CommandBodies.dispatch, "指挥派遣 dispatch"))
  .add(commandEndpoint("return", "return", CommandBodies.return, "回退 return a wrong dispatch"))
  .add(commandEndpoint("handle", "handle", CommandBodies.handle, "处理反馈 handle (result + evidence)"))
  .add(
    commandEndpoint("verify", "verify", CommandBodies.verify, "任务核查 verify (pass closes, fail → rework)")
  )
  .add(commandEndpoint("evaluate", "evaluate", CommandBodies.evaluate, "回访评价 evaluate"))
  .add(commandEndpoint("reopen", "reopen", CommandBodies.reopen, "重办 reopen"))
  .add(commandEndpoint("escalate", "escalate", CommandBodies.escalate, "上报升级 escalate one tier up"))
  .add(
    commandEndpoint(
      "supervise",
      "supervise",
      CommandBodies.supervise,
      "督办/催办 supervise an open case (street or district staff; level urge | supervise, a note)"
    )
  )
  .add(commandEndpoint("suspend", "suspend", CommandBodies.suspend, "申请挂账 request suspension"))
  .add(
    commandEndpoint(
      "approveSuspension",
      "suspension/approve",
      CommandBodies.approveSuspension,
      "批准挂账 approve suspension"
    )
  )
  .add(
    commandEndpoint(
      "denySuspension",
      "suspension/deny",
      CommandBodies.denySuspension,
      "驳回挂账 deny suspension"
    )
  )
  .add(commandEndpoint("resume", "resume", CommandBodies.resume, "恢复处置 resume"))
  .add(commandEndpoint("extend", "extend", CommandBodies.extend, "申请延期 request extension"))
  .add(
    commandEndpoint(
      "approveExtension",
      "extension/approve",
      CommandBodies.approveExtension,
      "批准延期 approve extension"
    )
  )
  .add(
    commandEndpoint("denyExtension", "extension/deny", CommandBodies.denyExtension, "驳回延期 deny extension")
  )
  .add(commandEndpoint("merge", "merge", CommandBodies.merge, "合并 merge a duplicate into another case"))
  .add(
    commandEndpoint(
      "comment",
      "comment",
      CommandBodies.comment,
      "评论 comment on a case (public or internal; any status, never changes it)"
    )
  )
  .middleware(BodyGuard)
  .middleware(Authorization)
  .annotate(OpenApi.Title, "案件 cases")
  .annotate(
    OpenApi.Description,
    "案件闭环：采集上报 → 指挥派遣 → 处理反馈 → 任务核查 → 结案归档 → 考核评价 the closed loop of a case"
  ) {}

/**
 * 考核指标 — the case indicators (`Indicator`: GB/T 30428.4 / CJ/T 292 terms) of a subtree of the principal's
 * jurisdiction, per period.
 *
 * @since 0.1.0
 * @category groups
 */
export class MetricsGroup extends HttpApiGroup.make("metrics")
  .add(
    HttpApiEndpoint.get("indicators", "/metrics/indicators")
      .setUrlParams(noNul(MetricsParams))
      .addSuccess(MetricsResult)
      .addError(NotFound)
      .addError(InvalidQuery)
      .addError(MetricsUnavailable)
      .annotate(OpenApi.Summary, "考核指标 the indicators of a unit of your jurisdiction, per period")
  )
  .add(
    HttpApiEndpoint.get("scores", "/metrics/scores")
      .setUrlParams(noNul(ScoresParams))
      .addSuccess(ScoresResult)
      .addError(NotFound)
      .addError(InvalidQuery)
      .addError(MetricsUnavailable)
      .annotate(
        OpenApi.Summary,
        "考核记分卡 the child units of a unit scored under a profile: points, grade A–E, 绿橙红, ranking"
      )
  )
  .middleware(Authorization)
  .annotate(OpenApi.Title, "考核指标 metrics")
  .annotate(OpenApi.Description, "受理办结率、按期结案率、返工率… the case indicators") {}

/**
 * 满意度调查 — survey tallies within the principal's jurisdiction.
 *
 * @since 0.1.0
 * @category groups
 */
export class SurveysGroup extends HttpApiGroup.make("surveys")
  .add(
    HttpApiEndpoint.get("tallies", "/surveys/tallies")
      .setUrlParams(
        noNul(
          Schema.Struct({
            questionId: Text.line(200).pipe(Schema.minLength(1)),
            period: Text.line(32).pipe(Schema.minLength(1)),
            within: Schema.optionalWith(UnitId, { exact: true })
          }).annotations({ parseOptions: allErrors })
        )
      )
      .addSuccess(TalliesResult)
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "满意度统计 a question's tallies for a period within a unit (default: yours)"
      )
  )
  .middleware(Authorization)
  .annotate(OpenApi.Title, "满意度调查 surveys")
  .annotate(OpenApi.Description, "群众满意度 survey tallies (read)") {}

const adminPut = <const Name extends string, const Path extends `/${string}`>(name: Name, path: Path) =>
  HttpApiEndpoint.put(name, path).addError(Forbidden).addError(DataInvalid).addError(NotFound)

/**
 * 基础数据管理 — create and change units, buildings, grids, staff (people and
 * their assignments) and departments within the principal's jurisdiction
 * (`Administration` of the core: every write goes through its checks).
 * Roles `admin` and `district-staff` only; any other role is a 403
 * `Forbidden` (rule `admin-role`), and so is a record outside the
 * jurisdiction (rule `jurisdiction`, `field` naming where). A PUT creates the
 * record or replaces it whole and answers the stored record; a body failing
 * its schema is a 400 naming the field and rule; a record the core's checks
 * refuse is a 422 `DataInvalid` naming every violation; nothing is written
 * on any error.
 *
 * @since 0.1.0
 * @category groups
 */
export class AdminGroup extends HttpApiGroup.make("admin")
  .add(
    adminPut("putUnit", "/admin/units/:unitId")
      .setPath(Schema.Struct({ unitId: UnitId }))
      .setPayload(noNul(AdminBodies.unit))
      .addSuccess(Unit)
      .annotate(
        OpenApi.Summary,
        "单元 create a unit under a parent in your jurisdiction, or rename / move one (the whole hierarchy is re-validated)"
      )
  )
  .add(
    adminPut("putBuilding", "/admin/buildings/:buildingId")
      .setPath(Schema.Struct({ buildingId: UnitId }))
      .setPayload(noNul(AdminBodies.building))
      .addSuccess(Building)
      .annotate(OpenApi.Summary, "楼栋 create or change a building of a community in your jurisdiction")
  )
  .add(
    adminPut("putGrid", "/admin/grids/:gridId")
      .setPath(Schema.Struct({ gridId: GridId }))
      .setPayload(noNul(AdminBodies.grid))
      .addSuccess(Grid)
      .annotate(
        OpenApi.Summary,
        "网格 create or change a grid of a community in your jurisdiction (its buildings of that community)"
      )
  )
  .add(
    adminPut("putPerson", "/admin/people/:personId")
      .setPath(Schema.Struct({ personId: Staffing.PersonId }))
      .setPayload(noNul(AdminBodies.person))
      .addSuccess(Staffing.Person)
      .annotate(
        OpenApi.Summary,
        "人员 create or change a staff member (one holding assignments outside your jurisdiction is not yours to change)"
      )
  )
  .add(
    adminPut("assign", "/admin/assignments")
      .setPayload(noNul(AdminBodies.assignment))
      .addSuccess(Staffing.Assignment)
      .annotate(
        OpenApi.Summary,
        "任职 assign a person a role at a grid, building or unit of your jurisdiction"
      )
  )
  .add(
    HttpApiEndpoint.del("unassign", "/admin/assignments")
      .setPayload(noNul(AdminBodies.assignment))
      .addSuccess(Staffing.Assignment)
      .addError(Forbidden)
      .addError(DataInvalid)
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "免职 remove an assignment within your jurisdiction (404 when there is none)"
      )
  )
  .add(
    adminPut("putDepartment", "/admin/departments/:departmentId")
      .setPath(Schema.Struct({ departmentId: DepartmentId }))
      .setPayload(noNul(AdminBodies.department))
      .addSuccess(Department.Department)
      .annotate(
        OpenApi.Summary,
        "职能部门 register or change a department serving a unit of your jurisdiction"
      )
  )
  .add(
    adminPut("putCategories", "/admin/categories")
      .setPayload(noNul(AdminBodies.categories))
      .addSuccess(Schema.Array(Category))
      .annotate(
        OpenApi.Summary,
        "案件分类 replace the category catalogue (an admin of the hierarchy's root only; checked against the stored routing table and time limits; routing uses it after the server's next start)"
      )
  )
  .middleware(BodyGuard)
  .middleware(Authorization)
  .annotate(OpenApi.Title, "基础数据管理 admin")
  .annotate(
    OpenApi.Description,
    "单元、楼栋、网格、人员与任职、职能部门的新增与变更 create and change base data within your jurisdiction"
  ) {}

/**
 * 单元简况 — a unit as `GET /me` names it: its id, name and level.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnitRef = Schema.Struct({
  id: UnitId,
  name: Schema.String,
  level: Schema.String
}).annotations({ identifier: "UnitRef", title: "单元简况 unit reference" })

/**
 * @since 0.1.0
 * @category models
 */
export interface UnitRef extends Schema.Schema.Type<typeof UnitRef> {}

/**
 * 当前主体 — who the bearer token belongs to, as far as the principal may see:
 * its id and role; `unit`, the unit it acts for or sits at (a resident's home,
 * a department's seat; `null` when the hierarchy does not hold it);
 * `jurisdiction`, the unit whose subtree it sees (`Principal.jurisdictionOf`:
 * `null` for a resident and for a department without a granted subtree);
 * its `department` (职能部门) when it has one; and its `localRole` (本地角色)
 * when it holds a local role of the role table — id and names, e.g.
 * 信访代办员 `petition-agent` — whose rights are those of `role`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Me = Schema.Struct({
  id: ActorId,
  role: Role,
  unit: Schema.NullOr(UnitRef),
  jurisdiction: Schema.NullOr(UnitRef),
  department: Schema.NullOr(Schema.Struct({ id: DepartmentId, name: Schema.String, nameEn: Schema.String })),
  localRole: Schema.NullOr(Schema.Struct({ id: RoleId, zh: Schema.String, en: Schema.String }))
}).annotations({ identifier: "Me", title: "当前主体 the principal" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Me extends Schema.Schema.Type<typeof Me> {}

/**
 * 看板变更流 — the body of `GET /board/changes`: `text/event-stream`
 * (server-sent events). Events: `ready` once, then `changed` whenever the
 * board of the unit changed; each carries only a cursor (`id:` and
 * `data: {"cursor":n}`), never case data. A comment line (`: ping`) keeps the
 * connection alive. The stream stays open only for a client whose `Accept`
 * names `text/event-stream`; any other gets the `ready` event and the end.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BoardChanges = Schema.String.pipe(
  HttpApiSchema.withEncoding({ kind: "Text", contentType: "text/event-stream" })
).annotations({ identifier: "BoardChanges", title: "看板变更流 board changes (server-sent events)" })

/**
 * 会话 — who am I (`GET /me`) and the live changes of the board
 * (`GET /board/changes`, server-sent events) for screens that follow it.
 *
 * @since 0.1.0
 * @category groups
 */
export class SessionGroup extends HttpApiGroup.make("session")
  .add(
    HttpApiEndpoint.get("me", "/me")
      .addSuccess(Me)
      .annotate(
        OpenApi.Summary,
        "当前主体 who you are: id, role, your unit, your jurisdiction (辖区) and department — only what you may see"
      )
  )
  .add(
    HttpApiEndpoint.get("boardChanges", "/board/changes")
      .setUrlParams(noNul(Schema.Struct({ unitId: Schema.optionalWith(UnitId, { exact: true }) })))
      .addSuccess(BoardChanges)
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "看板变更 server-sent events: `changed` (a cursor, no case data) whenever the board of a unit in your jurisdiction (default: yours) changes"
      )
  )
  .middleware(Authorization)
  .annotate(OpenApi.Title, "会话 session")
  .annotate(OpenApi.Description, "当前主体与看板变更推送 who am I, and board changes pushed") {}

/**
 * 一张图点位查询 — `GET /map/cases`: at most `limit` (1 … 1000, default 500)
 * open cases the principal sees, newest report first.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MapParams = Schema.Struct({
  limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 1000)), {
    exact: true
  })
}).annotations({ parseOptions: allErrors })

/**
 * 案件点位 — an open case on the map: its id, status, timer light and its
 * reported position `[lon, lat]` (as `GET /cases/{id}?include=state` shows it
 * to the same principal; `null` when reported without one). No address, no
 * reporter.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CasePoint = Schema.Struct({
  caseId: Case.CaseId,
  status: Case.Status,
  light: Schema.NullOr(LightColor),
  position: Schema.NullOr(Schema.Tuple(Schema.Finite, Schema.Finite))
}).annotations({ identifier: "CasePoint", title: "案件点位 case point" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CasePoint extends Schema.Schema.Type<typeof CasePoint> {}

/**
 * 案件点位页 — the open cases of `GET /map/cases`, and whether more open cases
 * than `limit` are visible (`truncated`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CasePoints = Schema.Struct({
  items: Schema.Array(CasePoint),
  truncated: Schema.Boolean
}).annotations({ identifier: "CasePoints", title: "案件点位 case points" })

/**
 * @since 0.1.0
 * @category models
 */
export interface CasePoints extends Schema.Schema.Type<typeof CasePoints> {}

/**
 * 一张图 — the open cases the principal sees with their positions, in one
 * request (for a map of the jurisdiction).
 *
 * @since 0.1.0
 * @category groups
 */
export class MapGroup extends HttpApiGroup.make("map")
  .add(
    HttpApiEndpoint.get("cases", "/map/cases")
      .setUrlParams(noNul(MapParams))
      .addSuccess(CasePoints)
      .annotate(
        OpenApi.Summary,
        "一张图 open cases you see, with light and reported position (no address, no reporter), newest first"
      )
  )
  .middleware(Authorization)
  .annotate(OpenApi.Title, "一张图 map")
  .annotate(OpenApi.Description, "案件点位 the open cases of your jurisdiction as points") {}

// -----------------------------------------------------------------------------
// people 联户走访
// -----------------------------------------------------------------------------

/**
 * 联户走访不可用 — this server has no people store (no keyring configured:
 * `CIVICGRID_PEOPLE_KEYS`), so households, key groups, visits and proxy
 * services are not served.
 *
 * @since 0.1.0
 * @category errors
 */
export class PeopleUnavailable extends Schema.TaggedError<PeopleUnavailable>()(
  "PeopleUnavailable",
  { message: Schema.String },
  HttpApiSchema.annotations({
    status: 503,
    description: "联户走访未配置 the people store is not configured on this server"
  })
) {}

/**
 * 名单访问被拒 — a key-group read refused by `KeyGroupAccess`: the field and
 * rule (`unknown-category`, `unknown-unit`, `out-of-scope`,
 * `purpose-required`), in Chinese and English (the refusal is logged); or a
 * people read by a principal without a jurisdiction (rule `no-jurisdiction`:
 * a resident, a department without a granted subtree).
 *
 * @since 0.1.0
 * @category errors
 */
export class AccessRefused extends Schema.TaggedError<AccessRefused>()(
  "AccessRefused",
  {
    field: Schema.String,
    rule: Schema.String,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 403,
    description: "名单访问被拒 the key-group read is refused (and logged)"
  })
) {}

/**
 * 审计被拒 — the access log is read by auditing roles only
 * (`KeyGroupAccess.auditRoles`).
 *
 * @since 0.1.0
 * @category errors
 */
export class AuditRefused extends Schema.TaggedError<AuditRefused>()(
  "AuditRefused",
  { rule: Schema.Literal("audit-role"), message: Schema.String },
  HttpApiSchema.annotations({
    status: 403,
    description: "无审计权限 your role does not audit the access log"
  })
) {}

/**
 * 联户走访指令被拒 — a visit or proxy-service command the core refuses, or a
 * visit's follow-up that cannot be opened (`follow-up`: a detail missing; or
 * the `case`, `problem` or `micro-wish` it opens refused by its own rules):
 * the first rule and every rule broken, each in Chinese and English
 * (`Visit.VisitRefused`, `ProxyService.ProxyServiceRefused`,
 * `VisitFollowUp.FollowUpRefused`, `Case.CaseRefused`, `Routing.RoutingFailed`,
 * `ProblemList.ProblemListInvalid`, `MicroWish.MicroWishRefused`). Nothing was written.
 *
 * @since 0.1.0
 * @category errors
 */
export class PeopleRefused extends Schema.TaggedError<PeopleRefused>()(
  "PeopleRefused",
  {
    subject: Schema.Literal("visit", "proxy-service", "follow-up", "case", "problem", "micro-wish"),
    id: Schema.String,
    rule: Schema.String,
    field: Schema.String,
    violations: Schema.NonEmptyArray(
      Schema.Struct({ rule: Schema.String, field: Schema.String, message: Schema.String })
    ),
    message: Schema.String
  },
  HttpApiSchema.annotations({ status: 422, description: "指令被拒 the command breaks a rule" })
) {}

/**
 * 联户走访冲突 — a visit already recorded, or a proxy service changed since
 * the writer read it (`expectedVersion`: reload and retry).
 *
 * @since 0.1.0
 * @category errors
 */
export class PeopleConflict extends Schema.TaggedError<PeopleConflict>()(
  "PeopleConflict",
  {
    subject: Schema.Literal("visit", "proxy-service"),
    id: Schema.String,
    actualVersion: Schema.optionalWith(Schema.Int, { exact: true }),
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 409,
    description: "冲突 already recorded, or changed since you read it"
  })
) {}

/**
 * 联户走访对象不存在 — an unknown household, proxy service, unit, visit or
 * follow-up of a visit, or one outside your jurisdiction (the same answer for both).
 *
 * @since 0.1.0
 * @category errors
 */
export class PeopleNotFound extends Schema.TaggedError<PeopleNotFound>()(
  "PeopleNotFound",
  {
    resource: Schema.Literal("household", "proxy-service", "unit", "visit", "follow-up"),
    id: Schema.String,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 404,
    description: "不存在或不在辖区内 unknown, or outside your jurisdiction (the same answer for both)"
  })
) {}

/**
 * 辖区查询 — `within` a unit of your jurisdiction (default: all of it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const WithinParams = Schema.Struct({
  within: Schema.optionalWith(UnitId, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 名单查询参数 — the unit read in, the purpose of the read (处理目的), and
 * `identity=false` to ask for masked data even with the identity right (the
 * access log records what was returned; identity never exceeds the grant).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MembersParams = Schema.Struct({
  unitId: UnitId,
  purpose: Schema.optionalWith(Text.Note, { exact: true }),
  identity: Schema.optionalWith(Schema.BooleanFromString, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 居民视图 — a resident as a read shows it: masked (`masked: true`) unless
 * the role has the identity right.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResidentView = Schema.Struct({
  id: Schema.String,
  householdId: Schema.String,
  name: Schema.optionalWith(Schema.String, { exact: true }),
  idNumber: Schema.optionalWith(Schema.String, { exact: true }),
  phone: Schema.optionalWith(Schema.String, { exact: true }),
  birthYear: Schema.optionalWith(Schema.Int, { exact: true }),
  relation: Schema.optionalWith(Schema.String, { exact: true }),
  masked: Schema.Boolean
}).annotations({ identifier: "ResidentView", title: "居民视图 resident view" })

/**
 * 重点人群名单 — members (with `identity` or masked), or counts only for a
 * role without the grant: never a person then, and small counts suppressed —
 * fewer than the policy's threshold (default 3, the threshold rule of
 * statistical disclosure control) and not zero is `suppressed: true` with the
 * bound `lessThan`, no number (`KeyGroupAccess.countsAnswer`). Each enrolment carries who
 * enrolled it and its own visit interval; its reason (登记原因) only when the
 * read is with identity — free text that may name a diagnosis or a sentence is
 * never in a masked read (`KeyGroupAccess.Member`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const KeyGroupRead = Schema.Union(
  Schema.Struct({
    _tag: Schema.Literal("Members"),
    identity: Schema.Boolean,
    members: Schema.Array(
      Schema.Struct({
        household: Schema.Struct({ id: Schema.String, label: Schema.String, unitId: Schema.String }),
        enrolment: Schema.Struct({
          id: Schema.String,
          categoryId: Schema.String,
          since: Schema.String,
          until: Schema.optionalWith(Schema.String, { exact: true }),
          reason: Schema.optionalWith(Schema.String, { exact: true }),
          enrolledBy: Schema.String,
          visitEvery: Schema.optionalWith(KeyGroup.VisitInterval, { exact: true })
        }),
        resident: Schema.optionalWith(ResidentView, { exact: true })
      })
    )
  }),
  Schema.Struct({
    _tag: Schema.Literal("Counts"),
    suppressed: Schema.Literal(false),
    households: Schema.Int,
    residents: Schema.Int
  }),
  Schema.Struct({ _tag: Schema.Literal("Counts"), suppressed: Schema.Literal(true), lessThan: Schema.Int })
).annotations({ identifier: "KeyGroupRead", title: "重点人群名单 key-group read" })

/**
 * 待访事项 — a visit due: the plan, household, the last visit, the due date,
 * the timer light and how many days overdue.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitDue = Schema.Struct({
  planId: Schema.String,
  householdId: Schema.String,
  contactId: Schema.optionalWith(Schema.String, { exact: true }),
  lastVisitOn: Schema.NullOr(Schema.String),
  countedFrom: Schema.String,
  dueOn: Schema.String,
  color: LightColor,
  fraction: Schema.Number,
  overdue: Schema.Boolean,
  daysOverdue: Schema.Int
}).annotations({ identifier: "VisitDue", title: "待访事项 visit due" })

/**
 * 我的待访 — the visits due on `date` for you, overdue first; plans a
 * missing calendar year keeps from judging listed apart (`unjudged`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitsDue = Schema.Struct({
  date: Schema.String,
  due: Schema.Array(VisitDue),
  unjudged: Schema.Array(Schema.Struct({ planId: Schema.String, message: Schema.String }))
}).annotations({ identifier: "VisitsDue", title: "我的待访 my visits due" })

/**
 * 辖区待访统计 — the visits due on `date` across a unit of your jurisdiction
 * (`PeopleRepository.agendaWithin`): due today, overdue, by light, and plans
 * the calendar could not judge — counts only.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitsDueCounts = Schema.Struct({
  date: Schema.String,
  within: Schema.String,
  due: Schema.Number,
  dueToday: Schema.Number,
  overdue: Schema.Number,
  green: Schema.Number,
  yellow: Schema.Number,
  red: Schema.Number,
  unjudged: Schema.Number
}).annotations({ identifier: "VisitsDueCounts", title: "辖区待访统计 visits due across a jurisdiction" })

/**
 * 登记走访请求 — a visit you made (you are the visitor; the server stamps when it was recorded).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RecordVisitBody = Visit.RecordVisit.pipe(
  Schema.omit("_tag", "visitor", "recordedAt")
).annotations({
  identifier: "RecordVisitBody",
  title: "登记走访 record a visit",
  parseOptions: allErrors
})

/**
 * 受理代办请求 — take a matter on for a household (you are the actor, now).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AcceptServiceBody = ProxyService.Accept.pipe(Schema.omit("_tag", "actor", "at")).annotations({
  identifier: "AcceptServiceBody",
  title: "受理代办 accept a proxy service",
  parseOptions: allErrors
})

/**
 * 代办流转请求 — submit, complete or cancel a service, after the version you read.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ServiceCommandBody = Schema.Struct({
  expectedVersion: Schema.Int.pipe(Schema.positive()),
  command: Schema.Union(
    ProxyService.Submit.pipe(Schema.omit("serviceId", "actor", "at")),
    ProxyService.Complete.pipe(Schema.omit("serviceId", "actor", "at")),
    ProxyService.Cancel.pipe(Schema.omit("serviceId", "actor", "at"))
  )
}).annotations({
  identifier: "ServiceCommandBody",
  title: "代办流转 proxy-service command",
  parseOptions: allErrors
})

/**
 * 联系人视图 — a contact as `/contacts` shows it: kind, duty, display label,
 * community and grid, and how many households it is linked to within the
 * jurisdiction read (no account id, no household list).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactView = Schema.Struct({
  id: Schema.String,
  kind: ContactDuty.ContactKind,
  duty: ContactDuty.Duty,
  label: Schema.String,
  communityId: Schema.String,
  gridId: Schema.optionalWith(Schema.String, { exact: true }),
  households: Schema.Int
}).annotations({ identifier: "ContactView", title: "联系人 contact" })

/**
 * 联户违规视图 — one contact-duty violation: the rule (`ContactDuty.ContactRule`),
 * the field, the contact and/or household (a key household is named only to
 * roles granted key-group reads), a load's count and bounds, and the message
 * in Chinese and English.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactViolationView = Schema.Struct({
  rule: ContactDuty.ContactRule,
  field: Schema.String,
  contactId: Schema.optionalWith(Schema.String, { exact: true }),
  householdId: Schema.optionalWith(Schema.String, { exact: true }),
  count: Schema.optionalWith(Schema.Int, { exact: true }),
  bounds: Schema.optionalWith(ContactDuty.Bounds, { exact: true }),
  message: Schema.String
}).annotations({ identifier: "ContactViolationView", title: "联户违规 contact-duty violation" })

/**
 * 联户 — the contacts of a jurisdiction with their household counts, every
 * violation of the contact-duty rules on `date` (1–5 households per
 * key-household contact, every key household with a contact and a visit plan,
 * every household of a grid with a contact), and the contact coverage
 * 联户覆盖率 (households with a contact ÷ households).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactsReport = Schema.Struct({
  within: Schema.String,
  date: Schema.String,
  contacts: Schema.Array(ContactView),
  violations: Schema.Array(ContactViolationView),
  coverage: Ratio
}).annotations({ identifier: "ContactsReport", title: "联户 contacts" })

/**
 * 跟进细节 — what the follow-up's kind needs: a case's category (小类) and
 * urgency (default: the category's), a problem's category (问题类别) and tags,
 * a micro-wish's estimated value (元) and categories. A proxy service needs
 * none (send `{}`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FollowUpBody = Schema.Struct({
  categoryId: Schema.optionalWith(Text.Id, { exact: true }),
  urgency: Schema.optionalWith(Urgency, { exact: true }),
  tags: Schema.optionalWith(
    Schema.Array(Text.line(Text.limits.tag)).pipe(Schema.maxItems(Text.limits.tags)),
    {
      exact: true
    }
  ),
  estimatedValue: Schema.optionalWith(Schema.Number.pipe(Schema.finite(), Schema.between(0, 1_000_000)), {
    exact: true
  }),
  categories: Schema.optionalWith(
    Schema.Array(Text.line(Text.limits.tag)).pipe(Schema.maxItems(Text.limits.tags)),
    { exact: true }
  )
}).annotations({ identifier: "FollowUpBody", title: "跟进细节 follow-up details", parseOptions: allErrors })

/**
 * 跟进路径 — the visit and the follow-up's index in its `followUps` (from 0).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FollowUpPath = Schema.Struct({
  visitId: Visit.VisitId,
  index: Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 999))
})

const followUpFields = {
  visitId: Schema.String,
  index: Schema.Int,
  kind: Visit.FollowUpKind,
  /** 编号 — the case, problem, micro-wish or proxy service id (`VisitFollowUp.followUpId`). */
  id: Schema.String
}

/**
 * 跟进已开启 — what the follow-up opened now (201): its kind and id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FollowUpOpened = Schema.Struct({ ...followUpFields, opened: Schema.Literal(true) }).annotations({
  identifier: "FollowUpOpened",
  title: "跟进已开启 follow-up opened"
})

/**
 * 跟进已存在 — the follow-up was opened before (a retry, 200): what it opened.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FollowUpFound = Schema.Struct({ ...followUpFields, opened: Schema.Literal(false) }).annotations({
  identifier: "FollowUpFound",
  title: "跟进已存在 follow-up already open"
})

/**
 * 联户走访指标查询 — the period (a label such as `2026-12`, `2026-Q4`) and the unit (default: your jurisdiction).
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitIndicatorParams = Schema.Struct({
  period: Schema.String.pipe(Schema.maxLength(32)),
  within: Schema.optionalWith(UnitId, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 联户走访指标 — visits 人次 in the period, the on-time visit rate (按期走访率),
 * the proxy-service closure rate (代办办结率) and the proactive-discovery share
 * (主动发现率: cases reported in the period from patrols — a visit's case
 * follow-up among them — over all cases located there) of a jurisdiction, as counts.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VisitIndicators = Schema.Struct({
  period: Schema.String,
  within: Schema.String,
  visits: Schema.Int,
  onTimeVisitRate: Ratio,
  proxyClosureRate: Ratio,
  proactiveDiscoveryShare: Ratio,
  unjudgedPlans: Schema.Int
}).annotations({ identifier: "VisitIndicators", title: "联户走访指标 visit indicators" })

/**
 * 联户走访 — households (no sensitive fields), contacts with the contact-duty
 * check and coverage, key-group members through the access decision (counts
 * for roles without the grant, masked identity otherwise; every read logged),
 * the access log for auditors, my visits due today, visits recorded against
 * the visitor's grid, their follow-ups opened as cases, problems, micro-wishes
 * or proxy services, and proxy services (accepted → submitted → done). A
 * principal without a jurisdiction (a resident) is refused (`AccessRefused`,
 * rule `no-jurisdiction`).
 *
 * @since 0.1.0
 * @category groups
 */
export class PeopleGroup extends HttpApiGroup.make("people")
  .add(
    HttpApiEndpoint.get("households", "/households")
      .setUrlParams(noNul(WithinParams))
      .addSuccess(Schema.Array(Household.Household))
      .annotate(OpenApi.Summary, "户 households of your jurisdiction (places, sizes, tags; no residents)")
  )
  .add(
    HttpApiEndpoint.get("contacts", "/contacts")
      .setUrlParams(noNul(WithinParams))
      .addSuccess(ContactsReport)
      .annotate(
        OpenApi.Summary,
        "联户 contacts of your jurisdiction: kind, duty, households linked; contact-duty violations naming the rule; coverage"
      )
  )
  .add(
    HttpApiEndpoint.get("members", "/key-groups/:category/members")
      .setPath(Schema.Struct({ category: KeyGroup.CategoryId }))
      .setUrlParams(noNul(MembersParams))
      .addSuccess(KeyGroupRead)
      .addError(AccessRefused)
      .annotate(
        OpenApi.Summary,
        "重点人群名单 members of a key group in a unit (counts only without the grant, masked without the identity right); every read is logged"
      )
  )
  .add(
    HttpApiEndpoint.get("accessLog", "/access-log")
      .setUrlParams(noNul(WithinParams))
      .addSuccess(Schema.Array(KeyGroupAccess.AccessLogEntry))
      .addError(AuditRefused)
      .annotate(OpenApi.Summary, "访问日志 the access log of your jurisdiction (auditing roles only)")
  )
  .add(
    HttpApiEndpoint.get("visitsDue", "/visits/due")
      .addSuccess(VisitsDue)
      .annotate(OpenApi.Summary, "我的待访 your visits due today on the working calendar, overdue first")
  )
  .add(
    HttpApiEndpoint.get("visitsDueCounts", "/visits/due/counts")
      .setUrlParams(noNul(WithinParams))
      .addSuccess(VisitsDueCounts)
      .annotate(
        OpenApi.Summary,
        "辖区待访统计 visits due today and overdue across a unit of your jurisdiction, by light (counts only)"
      )
  )
  .add(
    HttpApiEndpoint.get("indicators", "/visits/indicators")
      .setUrlParams(noNul(VisitIndicatorParams))
      .addSuccess(VisitIndicators)
      .addError(InvalidQuery)
      .annotate(
        OpenApi.Summary,
        "联户走访指标 visits 人次, on-time visit rate and proxy-service closure of your jurisdiction for a period"
      )
  )
  .add(
    HttpApiEndpoint.post("recordVisit", "/visits")
      .setPayload(noNul(RecordVisitBody))
      .addSuccess(Visit.Visit, { status: 201 })
      .addError(PeopleRefused)
      .addError(PeopleConflict)
      .annotate(OpenApi.Summary, "登记走访 record a visit you made (position checked against your grid)")
  )
  .add(
    HttpApiEndpoint.post("openFollowUp", "/visits/:visitId/follow-ups/:index")
      .setPath(FollowUpPath)
      .setPayload(noNul(FollowUpBody))
      .addSuccess(FollowUpOpened, { status: 201 })
      .addSuccess(FollowUpFound)
      .addError(PeopleRefused)
      .annotate(
        OpenApi.Summary,
        "开启跟进 open a visit's follow-up (case, problem, micro-wish or proxy service) — as its visitor, or staff of the household's jurisdiction; a retry answers what was opened"
      )
  )
  .add(
    HttpApiEndpoint.get("services", "/proxy-services")
      .setUrlParams(noNul(WithinParams))
      .addSuccess(Schema.Array(ProxyService.ProxyService))
      .annotate(OpenApi.Summary, "网格代办 proxy services of your jurisdiction")
  )
  .add(
    HttpApiEndpoint.post("acceptService", "/proxy-services")
      .setPayload(noNul(AcceptServiceBody))
      .addSuccess(ProxyService.ProxyService, { status: 201 })
      .addError(PeopleRefused)
      .addError(PeopleConflict)
      .annotate(OpenApi.Summary, "受理代办 accept a proxy service")
  )
  .add(
    HttpApiEndpoint.post("serviceCommand", "/proxy-services/:serviceId/commands")
      .setPath(Schema.Struct({ serviceId: ProxyService.ServiceId }))
      .setPayload(noNul(ServiceCommandBody))
      .addSuccess(ProxyService.ProxyService)
      .addError(PeopleRefused)
      .addError(PeopleConflict)
      .annotate(OpenApi.Summary, "代办流转 submit, complete or cancel a proxy service (expected version)")
  )
  .addError(PeopleNotFound)
  .addError(AccessRefused)
  .addError(PeopleUnavailable)
  .middleware(BodyGuard)
  .middleware(Authorization)
  .annotate(OpenApi.Title, "联户走访 people")
  .annotate(
    OpenApi.Description,
    "户、联户、重点人群（PIPL 敏感个人信息：授权、脱敏、访问留痕）、走访及其跟进与网格代办 households, contacts, key groups, visits and their follow-ups, proxy services"
  ) {}

/**
 * 组织与岗位不可用 — this server has no organisation store
 * (`OrganizationRepository`), so bodies, posts and the 公示牌 are not served.
 *
 * @since 0.1.0
 * @category errors
 */
export class OrganizationUnavailable extends Schema.TaggedError<OrganizationUnavailable>()(
  "OrganizationUnavailable",
  { message: Schema.String },
  HttpApiSchema.annotations({
    status: 503,
    description: "组织与岗位未配置 the organisation store is not configured on this server"
  })
) {}

/**
 * 不存在 — a unit, building or award round unknown, or outside your
 * jurisdiction (the same answer for both).
 *
 * @since 0.1.0
 * @category errors
 */
export class OrganizationNotFound extends Schema.TaggedError<OrganizationNotFound>()(
  "OrganizationNotFound",
  {
    resource: Schema.Literal("unit", "building", "round"),
    id: Schema.String,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 404,
    description: "不存在或不在辖区内 unknown, or outside your jurisdiction (the same answer for both)"
  })
) {}

/**
 * 机构查询 — bodies `within` a unit of your jurisdiction, of a kind.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BodiesParams = Schema.Struct({
  within: Schema.optionalWith(UnitId, { exact: true }),
  kind: Schema.optionalWith(Body.BodyKindId, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 岗位查询 — post records `within` a unit of your jurisdiction, of a body, of
 * a holder, held on a day (`heldOn`; absent: every record — the appointment
 * history, ended terms included).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PostsParams = Schema.Struct({
  within: Schema.optionalWith(UnitId, { exact: true }),
  bodyId: Schema.optionalWith(Body.BodyId, { exact: true }),
  holder: Schema.optionalWith(Staffing.PersonId, { exact: true }),
  heldOn: Schema.optionalWith(LocalDate, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 日期查询 — `within` a unit of your jurisdiction, on a day (default: today, +08:00).
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrganizationDayParams = Schema.Struct({
  within: Schema.optionalWith(UnitId, { exact: true }),
  on: Schema.optionalWith(LocalDate, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 岗位记录（含任职人姓名） — a post record with its holder's name: masked
 * (`张**`) unless you may read staff data (`Principal.canReadStaffData`),
 * `null` when the holder is not stored (任职人员台账).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PostView = Schema.Struct({
  ...Post.Post.fields,
  holderName: Schema.NullOr(Schema.String)
}).annotations({ identifier: "PostView", title: "岗位记录 post with holder name" })

/**
 * 党组织 — a party body with its committee (the posts held on the day) and
 * its members (relations 组织关系 and reports 报到 held on the day; person ids only).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartyOrganisationView = Schema.Struct({
  body: Body.Body,
  posts: Schema.Array(PostView),
  members: Schema.Array(
    Schema.Struct({
      ...Membership.Membership.fields,
      /** 姓名 — masked (`张**`) unless you may read staff data; `null` when the person is not stored. */
      name: Schema.NullOr(Schema.String)
    })
  )
}).annotations({ identifier: "PartyOrganisationView", title: "党组织 party organisation" })

/**
 * 组织配置违规 — one violation of the organisation rules, naming its rule,
 * problem and what it involves, with its message in Chinese and English.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrganizationViolationView = Schema.Struct({
  rule: OrganizationRules.RuleName,
  problem: OrganizationRules.Problem,
  unitId: Schema.optionalWith(UnitId, { exact: true }),
  bodyIds: Schema.Array(Body.BodyId),
  personIds: Schema.Array(Staffing.PersonId),
  postIds: Schema.Array(Post.PostId),
  expected: Schema.optionalWith(Schema.Int, { exact: true }),
  found: Schema.optionalWith(Schema.Int, { exact: true }),
  detail: Schema.optionalWith(Schema.String, { exact: true }),
  message: Schema.String
}).annotations({ identifier: "OrganizationViolationView", title: "组织配置违规 organisation violation" })

/**
 * 组织配置检查 — every violation of the organisation rules within a unit of
 * your jurisdiction on a day, with the membership (双报到) and appraisal
 * record checks.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrganizationCheck = Schema.Struct({
  within: UnitId,
  day: LocalDate,
  communities: Schema.Array(UnitId),
  violations: Schema.Array(OrganizationViolationView),
  memberships: Schema.Array(
    Schema.Struct({
      rule: Membership.MembershipRule,
      personId: Staffing.PersonId,
      bodyIds: Schema.Array(Body.BodyId),
      message: Schema.String
    })
  ),
  appraisals: Schema.Array(
    Schema.Struct({
      rule: CadreAppraisal.AppraisalRule,
      cadreId: Staffing.PersonId,
      period: Schema.String,
      message: Schema.String
    })
  )
}).annotations({ identifier: "OrganizationCheck", title: "组织配置检查 organisation check" })

/**
 * 公示牌 — who serves a building (the posts of its bodies up to its community,
 * the grid staffing of its grids): names and phones masked; no token needed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Directory = Schema.Struct({
  buildingId: UnitId,
  buildingName: Schema.String,
  day: LocalDate,
  entries: Schema.Array(
    Schema.Struct({
      source: Schema.Literal("post", "staffing"),
      kind: Schema.String,
      kindZh: Schema.String,
      kindEn: Schema.String,
      bodyId: Schema.optionalWith(Body.BodyId, { exact: true }),
      bodyName: Schema.optionalWith(Schema.String, { exact: true }),
      unitId: Schema.optionalWith(UnitId, { exact: true }),
      gridId: Schema.optionalWith(Schema.String, { exact: true }),
      name: Schema.optionalWith(Schema.String, { exact: true }),
      phone: Schema.optionalWith(Schema.String, { exact: true })
    })
  )
}).annotations({ identifier: "Directory", title: "公示牌 building directory" })

/**
 * 组织指标查询 — `within` a unit of your jurisdiction, on a day (default:
 * today, +08:00); `period` a label (`2025-Q3`, `2025-09` …, +08:00): the
 * weak-and-lax organisations 软弱涣散 of that period.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrganizationIndicatorsParams = Schema.Struct({
  within: Schema.optionalWith(UnitId, { exact: true }),
  on: Schema.optionalWith(LocalDate, { exact: true }),
  period: Schema.optionalWith(Text.line(32).pipe(Schema.minLength(1)), { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 软弱涣散 — the party organisations flagged weak and lax in a period
 * (`OrganizationMetrics.weakAndLax`): each flagged body with its name, their
 * count, the target (0, 清零) and whether it is met.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WeakAndLaxView = Schema.Struct({
  period: Schema.String,
  flagged: Schema.Array(Schema.Struct({ bodyId: Body.BodyId, name: Schema.String })),
  count: Schema.Int,
  target: Schema.Int,
  met: Schema.Boolean
}).annotations({ identifier: "WeakAndLaxView", title: "软弱涣散 weak and lax" })

/**
 * 组织指标 — `GET /organisation/indicators` (`OrganizationRepository.metrics`):
 * on a day, within a unit of your jurisdiction — governance-council coverage
 * 治理理事会覆盖率 (communities and villages with one) and members per council;
 * the party share 党员占比 of each post kind; compound management 小区管理 (the
 * share with an arrangement, the share taken over 兜底, counts by mode); bodies
 * per kind; each community's pattern 一委一站 / 两委一站 / 两委两站 with its name;
 * with `period`, the weak-and-lax organisations 软弱涣散 of that period and the
 * zero target (`null` without). Ratios carry numerator and denominator
 * (denominator 0: no data).
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrganizationIndicatorsView = Schema.Struct({
  within: UnitId,
  day: LocalDate,
  councilCoverage: Ratio,
  councilMembers: Ratio,
  partyShareByPost: Schema.Array(
    Schema.Struct({ kind: Post.PostKindId, name: Schema.String, en: Schema.String, share: Ratio })
  ),
  compoundManagement: Schema.Struct({
    arranged: Ratio,
    takenOverShare: Ratio,
    professional: Schema.Int,
    selfManaged: Schema.Int,
    takenOver: Schema.Int,
    unmanaged: Schema.Int,
    unrecorded: Schema.Int
  }),
  bodiesByKind: Schema.Array(
    Schema.Struct({ kind: Body.BodyKindId, name: Schema.String, en: Schema.String, count: Schema.Int })
  ),
  patterns: Schema.Array(
    Schema.Struct({
      unitId: UnitId,
      name: Schema.String,
      committees: Schema.Int,
      stations: Schema.Int,
      pattern: Schema.Literal("一委一站", "两委一站", "两委两站", "other")
    })
  ),
  weakAndLax: Schema.NullOr(WeakAndLaxView)
}).annotations({ identifier: "OrganizationIndicatorsView", title: "组织指标 organisation indicators" })

/**
 * 干部考核查询 — `GET /appraisals`: the 绿橙红 appraisals of the cadres
 * `within` a unit of your jurisdiction (default: your jurisdiction);
 * `period` a label (`2025-Q3`, `2025-09` …, +08:00): only the cadres
 * appraised in that period, `current` being that period's appraisal.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AppraisalsParams = Schema.Struct({
  period: Schema.optionalWith(Text.line(32).pipe(Schema.minLength(1)), { exact: true }),
  within: Schema.optionalWith(UnitId, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 考核亮灯 — one appraisal of a cadre: its period (and label), score, light
 * (绿橙红, `Score.light`), the light's Chinese name, and how the light changed
 * from the cadre's previous appraisal (`first`, `better`, `same`, `worse`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AppraisalLight = Schema.Struct({
  period: Period.Period,
  label: Schema.String,
  score: Schema.Number,
  light: Score.Light,
  lightName: Schema.String,
  change: Schema.Literal("first", "better", "same", "worse"),
  note: Schema.optionalWith(Schema.String, { exact: true })
}).annotations({ identifier: "AppraisalLight", title: "考核亮灯 appraisal light" })

/**
 * 干部考核 — one cadre: the name (masked, `张**`, unless you may read
 * personal data; `null` when the person is not stored), the unit served
 * (that of the cadre's latest appraisal, or of the period's) with its name,
 * the posts held today (kind names, body), the appraisal of the period asked
 * (without `period`: the latest) and the whole history, oldest first.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CadreAppraisalView = Schema.Struct({
  cadreId: Staffing.PersonId,
  name: Schema.NullOr(Schema.String),
  unitId: UnitId,
  unitName: Schema.String,
  posts: Schema.Array(
    Schema.Struct({
      postId: Post.PostId,
      kind: Post.PostKindId,
      kindZh: Schema.String,
      kindEn: Schema.String,
      bodyId: Body.BodyId,
      bodyName: Schema.String
    })
  ),
  current: AppraisalLight,
  history: Schema.Array(AppraisalLight)
}).annotations({ identifier: "CadreAppraisalView", title: "干部考核 cadre appraisal" })

/**
 * 干部考核（绿橙红） — the cadres appraised within a unit of your
 * jurisdiction (in `period` when asked), by unit then cadre; `lights` counts
 * the cadres' `current` lights; `namesMasked` tells whether names are masked
 * for you.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AppraisalsView = Schema.Struct({
  within: UnitId,
  period: Schema.NullOr(Schema.String),
  namesMasked: Schema.Boolean,
  lights: Schema.Struct({ green: Schema.Int, orange: Schema.Int, red: Schema.Int }),
  cadres: Schema.Array(CadreAppraisalView)
}).annotations({ identifier: "AppraisalsView", title: "干部考核（绿橙红） cadre appraisals" })

/**
 * 组织指令被拒 — the rules of a founding 小区党组织组建 or an award round
 * 评选表彰 refuse the command: the first rule broken (`rule`) and every one
 * (`rules`: `out-of-order`, `too-few-members`, `not-transferred` … of
 * `CompoundPartyFounding`; `over-quota`, `notice-not-over`, `not-on-notice` …
 * of `Award`), the people concerned, and the message in Chinese and English.
 *
 * @since 0.1.0
 * @category errors
 */
export class OrganizationCommandRefused extends Schema.TaggedError<OrganizationCommandRefused>()(
  "OrganizationCommandRefused",
  {
    subject: Schema.Literal("founding", "award"),
    id: Schema.String,
    command: Schema.String,
    rule: Schema.Union(CompoundPartyFounding.RefusalRule, Award.RefusalRule),
    rules: Schema.Array(Schema.Union(CompoundPartyFounding.RefusalRule, Award.RefusalRule)),
    personIds: Schema.Array(Staffing.PersonId),
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 422,
    description: "组织指令被拒 the command breaks a rule of the founding or the award round"
  })
) {}

/**
 * 组织冲突 — the founding or award round changed since you read it
 * (`expectedVersion` is not its version): reload and retry.
 *
 * @since 0.1.0
 * @category errors
 */
export class OrganizationConflict extends Schema.TaggedError<OrganizationConflict>()(
  "OrganizationConflict",
  {
    subject: Schema.Literal("founding", "award"),
    id: Schema.String,
    expectedVersion: Schema.Int,
    actualVersion: Schema.Int,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 409,
    description: "冲突 the founding or round changed since you read it"
  })
) {}

const optionalOn = { on: Schema.optionalWith(LocalDate, { exact: true }) }

/**
 * 组建指令 — a step of the founding of a compound's party organisation
 * (`CompoundPartyFounding`), without the compound (the path); `on` the day of
 * the step (default: today, +08:00): 找党员 `FindMembers` (with the
 * community), 转关系 `TransferRelations`, 建组织 `Establish`, 配班子
 * `StaffCommittee`, 履承诺 `Pledge`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FoundingCommandBody = Schema.Union(
  Schema.Struct({
    ...Struct.omit(CompoundPartyFounding.FindMembers.fields, "compoundId", "on"),
    ...optionalOn
  }),
  Schema.Struct({
    ...Struct.omit(CompoundPartyFounding.TransferRelations.fields, "compoundId", "on"),
    ...optionalOn
  }),
  Schema.Struct({
    ...Struct.omit(CompoundPartyFounding.Establish.fields, "compoundId", "on"),
    ...optionalOn
  }),
  Schema.Struct({
    ...Struct.omit(CompoundPartyFounding.StaffCommittee.fields, "compoundId", "on"),
    ...optionalOn
  }),
  Schema.Struct({ ...Struct.omit(CompoundPartyFounding.Pledge.fields, "compoundId", "on"), ...optionalOn })
).annotations({ identifier: "FoundingCommandBody", title: "组建指令 founding command" })

/**
 * 组建指令请求 — a step with the version you last read (absent: the current one).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FoundingCommandRequest = Schema.Struct({
  expectedVersion: Schema.optionalWith(Schema.NonNegativeInt, { exact: true }),
  command: FoundingCommandBody
}).annotations({ identifier: "FoundingCommandRequest", parseOptions: allErrors })

/**
 * 小区党组织组建 — a compound's founding: the steps done in order and the next
 * one (`null` when founded), the day it started, its last step and the day it
 * was founded (履承诺 done), the members found and transferred, the body, its
 * committee and commitments, and the version to send with the next step.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FoundingView = Schema.Struct({
  compoundId: UnitId,
  communityId: UnitId,
  version: Schema.Int,
  done: Schema.Array(CompoundPartyFounding.Step),
  next: Schema.NullOr(CompoundPartyFounding.Step),
  nextName: Schema.NullOr(Schema.String),
  founded: Schema.Boolean,
  since: LocalDate,
  lastOn: LocalDate,
  foundedOn: Schema.NullOr(LocalDate),
  found: Schema.Array(Staffing.PersonId),
  transferred: Schema.Array(Staffing.PersonId),
  bodyId: Schema.NullOr(Body.BodyId),
  secretaryId: Schema.NullOr(Staffing.PersonId),
  committee: Schema.Array(Staffing.PersonId),
  commitments: Schema.Array(Schema.String)
}).annotations({ identifier: "FoundingView", title: "小区党组织组建 compound party founding" })

/**
 * 评选指令 — a command of an award round (`Award`), without the round (the
 * path); `on` its day (default: today, +08:00): 开始评选 `Open` (with the
 * round's unit, of your jurisdiction), 推荐 `Nominate`, 公示 `Publish`, 撤回
 * `Withdraw`, 表彰 `Confer`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AwardCommandBody = Schema.Union(
  Schema.Struct({ ...Struct.omit(Award.Open.fields, "roundId", "on"), unitId: UnitId, ...optionalOn }),
  Schema.Struct({ ...Struct.omit(Award.Nominate.fields, "roundId", "on"), ...optionalOn }),
  Schema.Struct({ ...Struct.omit(Award.Publish.fields, "roundId", "on"), ...optionalOn }),
  Schema.Struct({ ...Struct.omit(Award.Withdraw.fields, "roundId", "on"), ...optionalOn }),
  Schema.Struct({ ...Struct.omit(Award.Confer.fields, "roundId", "on"), ...optionalOn })
).annotations({ identifier: "AwardCommandBody", title: "评选指令 award command" })

/**
 * 评选指令请求 — a command with the version you last read (absent: the current one).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AwardCommandRequest = Schema.Struct({
  expectedVersion: Schema.optionalWith(Schema.NonNegativeInt, { exact: true }),
  command: AwardCommandBody
}).annotations({ identifier: "AwardCommandRequest", parseOptions: allErrors })

/**
 * 评选候选人 — a nominee: their name (masked without the staff-data right;
 * `null` when not stored), status, the day nominated, the notice window
 * (`noticeFrom`, and `noticeEnds` the first day they may be awarded) and the
 * day awarded.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NomineeView = Schema.Struct({
  id: Staffing.PersonId,
  name: Schema.NullOr(Schema.String),
  status: Award.NomineeStatus,
  nominatedOn: LocalDate,
  noticeFrom: Schema.NullOr(LocalDate),
  noticeEnds: Schema.NullOr(LocalDate),
  awardedOn: Schema.NullOr(LocalDate)
}).annotations({ identifier: "NomineeView", title: "评选候选人 nominee" })

/**
 * 评选 — an award round of a unit of your jurisdiction: its name, quota 名额
 * and the places taken (on notice or awarded), the notice period in days, its
 * nominees, those awarded, and the version to send with the next command.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RoundView = Schema.Struct({
  roundId: Award.RoundId,
  unitId: UnitId,
  name: Schema.String,
  quota: Schema.Int,
  placesTaken: Schema.Int,
  noticeDays: Schema.Int,
  version: Schema.Int,
  lastOn: LocalDate,
  nominees: Schema.Array(NomineeView),
  awarded: Schema.Array(Staffing.PersonId)
}).annotations({ identifier: "RoundView", title: "评选 award round" })

/**
 * 评优公示 — `GET /award-notices/{unitId}`: the unit's rounds with nominees on
 * public notice today (+08:00): what they are nominated for (the round's
 * name), each nominee's masked name (张**) and the notice window
 * (`noticeFrom`, `noticeEnds` the first day after it). No phones, no ids of
 * people.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AwardNoticesView = Schema.Struct({
  unitId: UnitId,
  unitName: Schema.NullOr(Schema.String),
  day: LocalDate,
  rounds: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      quota: Schema.Int,
      noticeDays: Schema.Int,
      nominees: Schema.Array(
        Schema.Struct({ name: Schema.NullOr(Schema.String), noticeFrom: LocalDate, noticeEnds: LocalDate })
      )
    })
  )
}).annotations({ identifier: "AwardNoticesView", title: "评优公示 award notices" })

/**
 * 组织与岗位 — the bodies of your jurisdiction (居委会, 工作站, 理事会, 业委会,
 * 党组织 …), their post records with the appointment history, the party
 * organisations with their committees and members, and the organisation
 * rules checked (调解员按人口, 一村一顾问, 网格长由两委成员担任, 大党委组成, 议行分离,
 * 小区管理全覆盖). A principal without a jurisdiction (a resident) is refused
 * (`AccessRefused`, rule `no-jurisdiction`).
 *
 * @since 0.1.0
 * @category groups
 */
export class OrganizationGroup extends HttpApiGroup.make("organization")
  .add(
    HttpApiEndpoint.get("bodies", "/bodies")
      .setUrlParams(noNul(BodiesParams))
      .addSuccess(Schema.Array(Body.Body))
      .annotate(OpenApi.Summary, "组织机构 bodies of your jurisdiction (by kind)")
  )
  .add(
    HttpApiEndpoint.get("posts", "/posts")
      .setUrlParams(noNul(PostsParams))
      .addSuccess(Schema.Array(PostView))
      .annotate(
        OpenApi.Summary,
        "岗位 post records of your jurisdiction (holders with their names, masked without the staff-data right; terms, 兼任, 派出单位); without heldOn the appointment history"
      )
  )
  .add(
    HttpApiEndpoint.get("partyOrganisations", "/party-organisations")
      .setUrlParams(noNul(OrganizationDayParams))
      .addSuccess(Schema.Array(PartyOrganisationView))
      .annotate(
        OpenApi.Summary,
        "党组织 party organisations of your jurisdiction with their committees and members"
      )
  )
  .add(
    HttpApiEndpoint.get("staffingCheck", "/staffing/check")
      .setUrlParams(noNul(OrganizationDayParams))
      .addSuccess(OrganizationCheck)
      .annotate(
        OpenApi.Summary,
        "组织配置检查 every violation of the organisation rules within your jurisdiction, naming its rule"
      )
  )
  .add(
    HttpApiEndpoint.get("indicators", "/organisation/indicators")
      .setUrlParams(noNul(OrganizationIndicatorsParams))
      .addSuccess(OrganizationIndicatorsView)
      .addError(InvalidQuery)
      .annotate(
        OpenApi.Summary,
        "组织指标 organisation indicators of your jurisdiction on a day: council coverage, party share by post, compound management, bodies by kind, 一委一站/两委一站/两委两站; with period, 软弱涣散 and its zero target"
      )
  )
  .add(
    HttpApiEndpoint.get("appraisals", "/appraisals")
      .setUrlParams(noNul(AppraisalsParams))
      .addSuccess(AppraisalsView)
      .addError(InvalidQuery)
      .annotate(
        OpenApi.Summary,
        "干部考核（绿橙红） cadre appraisals of your jurisdiction with each cadre's history; names masked unless you read personal data"
      )
  )
  .add(
    HttpApiEndpoint.get("foundings", "/compound-foundings")
      .setUrlParams(noNul(WithinParams))
      .addSuccess(Schema.Array(FoundingView))
      .annotate(
        OpenApi.Summary,
        "小区党组织组建 the foundings of the compounds of your jurisdiction: steps done (找党员→转关系→建组织→配班子→履承诺), the next, dates"
      )
  )
  .add(
    HttpApiEndpoint.post("foundingCommand", "/compound-foundings/:compoundId/commands")
      .setPath(Schema.Struct({ compoundId: UnitId }))
      .setPayload(FoundingCommandRequest)
      .addSuccess(FoundingView)
      .annotate(
        OpenApi.Summary,
        "组建指令 the next step of a compound's party founding, in order (expected version); a refusal names its rule"
      )
  )
  .add(
    HttpApiEndpoint.get("awards", "/awards")
      .setUrlParams(noNul(WithinParams))
      .addSuccess(Schema.Array(RoundView))
      .annotate(
        OpenApi.Summary,
        "评选表彰 award rounds of your jurisdiction: nominees (names masked unless you read personal data), quota, notice window, awarded"
      )
  )
  .add(
    HttpApiEndpoint.post("awardCommand", "/awards/:roundId/commands")
      .setPath(Schema.Struct({ roundId: Award.RoundId }))
      .setPayload(AwardCommandRequest)
      .addSuccess(RoundView)
      .annotate(
        OpenApi.Summary,
        "评选指令 open, nominate 推荐, publish 公示, withdraw, confer 表彰 (quota, notice period; expected version)"
      )
  )
  .addError(OrganizationNotFound)
  .addError(OrganizationCommandRefused)
  .addError(OrganizationConflict)
  .addError(AccessRefused)
  .addError(OrganizationUnavailable)
  .middleware(BodyGuard)
  .middleware(Authorization)
  .annotate(OpenApi.Title, "组织与岗位 organisation")
  .annotate(
    OpenApi.Description,
    "组织机构、岗位与任职记录、党组织及其成员、组织配置规则检查、干部考核（绿橙红）、小区党组织组建、评选表彰 bodies, posts and their history, party organisations and members, the organisation rules, cadre appraisals, compound party foundings, award rounds"
  ) {}

/**
 * 公示牌 — the public directory of a building: who serves it, names and phones
 * masked; and a unit's 评优公示, the nominees of its award rounds on public
 * notice, names masked. Public: no token.
 *
 * @since 0.1.0
 * @category groups
 */
export class DirectoryGroup extends HttpApiGroup.make("directory")
  .add(
    HttpApiEndpoint.get("building", "/directory/:building")
      .setPath(Schema.Struct({ building: UnitId }))
      .addSuccess(Directory)
      .annotate(
        OpenApi.Summary,
        "公示牌 who serves a building — 楼栋长, 网格员, 网格长, 社区书记, 民警 … — names and phones masked; no token"
      )
  )
  .add(
    HttpApiEndpoint.get("awardNotices", "/award-notices/:unitId")
      .setPath(Schema.Struct({ unitId: UnitId }))
      .addSuccess(AwardNoticesView)
      .annotate(
        OpenApi.Summary,
        "评优公示 a unit's nominees on public notice today: names masked, what for, the notice window; no token"
      )
  )
  .addError(OrganizationNotFound)
  .addError(OrganizationUnavailable)
  .annotate(OpenApi.Title, "公示牌 directory")
  .annotate(OpenApi.Description, "楼栋公示牌（公开，脱敏） the public, masked directory of a building") {}

// ---------------------------------------------------------------------------
// deliberation 议事协商
// ---------------------------------------------------------------------------

/**
 * 议事协商不可用 — this server has no deliberation store
 * (`DeliberationRepository`), so proposals, meetings, votes, resolutions and
 * publications are not served.
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliberationUnavailable extends Schema.TaggedError<DeliberationUnavailable>()(
  "DeliberationUnavailable",
  { message: Schema.String },
  HttpApiSchema.annotations({
    status: 503,
    description: "议事协商未配置 the deliberation store is not configured on this server"
  })
) {}

/**
 * 议题不存在 — a topic or unit unknown, or outside your jurisdiction (the
 * same answer for both).
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliberationNotFound extends Schema.TaggedError<DeliberationNotFound>()(
  "DeliberationNotFound",
  {
    resource: Schema.Literal("topic", "unit"),
    id: Schema.String,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 404,
    description: "不存在或不在辖区内 unknown, or outside your jurisdiction (the same answer for both)"
  })
) {}

/**
 * 议事指令被拒 — the deliberation rules refuse the command: the rule it
 * breaks (`Deliberation.Rule`: `double-vote`, `not-eligible`,
 * `threshold-not-reached`, `quorum-not-met`, `access-refused` …), the topic's
 * status, and the message in Chinese and English.
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliberationCommandRefused extends Schema.TaggedError<DeliberationCommandRefused>()(
  "DeliberationCommandRefused",
  {
    topicId: Schema.String,
    command: Schema.String,
    status: Schema.String,
    rule: Deliberation.Rule,
    detail: Schema.String,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 422,
    description: "议事指令被拒 the command breaks a deliberation rule"
  })
) {}

/**
 * 议事冲突 — the topic changed since you read it (`expectedVersion` is not
 * its version): reload and retry.
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliberationConflict extends Schema.TaggedError<DeliberationConflict>()(
  "DeliberationConflict",
  {
    topicId: Schema.String,
    expectedVersion: Schema.Int,
    actualVersion: Schema.Int,
    message: Schema.String
  },
  HttpApiSchema.annotations({ status: 409, description: "冲突 the topic changed since you read it" })
) {}

const withoutMeta = ["topicId", "actor", "at"] as const

/**
 * 提案 — a topic raised (居民代表提案, a problem or a case) in a unit: the
 * decider's `Submit` without the topic id (given as `id` or made by the
 * server), the actor (you) and the time (now).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProposalBody = Schema.Struct({
  id: Schema.optionalWith(Deliberation.TopicId, { exact: true }),
  ...Struct.omit(Deliberation.Submit.fields, "_tag", ...withoutMeta)
}).annotations({ identifier: "ProposalBody", title: "提案 proposal", parseOptions: allErrors })

/**
 * 议事指令 — a command of the deliberation decider on a topic, without the
 * topic (the path), the actor (you) and the time (now): 联名 `Cosign`, 列入议程
 * `PutOnAgenda`, 不予立项 `Reject`, 召开会议 `HoldMeeting`, 发起表决 `OpenVote`,
 * 结束表决 `CloseVote`, 形成议定事项 `Resolve`, task moves (`StartTask`,
 * `CompleteTask`, `CancelTask`, 督办 `SuperviseTask`), 公开 `Publish`, 撤回
 * `WithdrawPublication`, 评议 `GiveFeedback`. Ballots go to `/votes/{id}/ballots`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DeliberationCommandBody = Schema.Union(
  Schema.Struct(Struct.omit(Deliberation.Cosign.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.PutOnAgenda.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.Reject.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.HoldMeeting.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.OpenVote.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.CloseVote.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.Resolve.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.StartTask.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.CompleteTask.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.CancelTask.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.SuperviseTask.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.Publish.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.WithdrawPublication.fields, ...withoutMeta)),
  Schema.Struct(Struct.omit(Deliberation.GiveFeedback.fields, ...withoutMeta))
).annotations({ identifier: "DeliberationCommandBody", title: "议事指令 deliberation command" })

/**
 * 议事指令请求 — a command with the version you last read (absent: the current one).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DeliberationCommandRequest = Schema.Struct({
  expectedVersion: Schema.optionalWith(Schema.NonNegativeInt, { exact: true }),
  command: DeliberationCommandBody
}).annotations({ identifier: "DeliberationCommandRequest", parseOptions: allErrors })

/**
 * 投票 — a ballot: the option; `voterId` only when community staff record a
 * paper ballot 代录 (a resident votes as themself); the version you last read.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BallotBody = Schema.Struct({
  option: Vote.OptionId,
  voterId: Schema.optionalWith(Vote.VoterId, { exact: true }),
  expectedVersion: Schema.optionalWith(Schema.NonNegativeInt, { exact: true })
}).annotations({ identifier: "BallotBody", title: "投票 ballot", parseOptions: allErrors })

/**
 * 回执 — the topic after your command: its id, version and status (nothing
 * of other people: read the topic as staff with `GET /proposals`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TopicReceipt = Schema.Struct({
  id: Deliberation.TopicId,
  version: Schema.Int,
  status: Deliberation.Status
}).annotations({ identifier: "TopicReceipt", title: "回执 receipt" })

/**
 * 议题查询 — topics `within` a unit of your jurisdiction, of a status.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TopicsParams = Schema.Struct({
  within: Schema.optionalWith(UnitId, { exact: true }),
  status: Schema.optionalWith(Deliberation.Status, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 会议 — a topic's meeting: kind, convening body, agenda, invitees and
 * attendees with their affiliation, minutes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MeetingView = Schema.Struct({
  topicId: Deliberation.TopicId,
  unitId: UnitId,
  title: Schema.String,
  status: Deliberation.Status,
  meeting: Meeting.Meeting,
  heldAt: Schema.DateTimeUtc
}).annotations({ identifier: "MeetingView", title: "会议 meeting" })

/**
 * 议定事项 — a topic's resolution and its tasks (owners, deadlines, 督办,
 * progress), implemented or not, on time or not.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResolutionView = Schema.Struct({
  topicId: Deliberation.TopicId,
  unitId: UnitId,
  title: Schema.String,
  status: Deliberation.Status,
  text: Schema.String,
  resolvedAt: Schema.DateTimeUtc,
  tasks: Schema.Array(Task),
  implementedAt: Schema.NullOr(Schema.DateTimeUtc),
  implementedOnTime: Schema.NullOr(Schema.Boolean)
}).annotations({ identifier: "ResolutionView", title: "议定事项 resolution" })

/**
 * 公开查询 — publications `within` a unit (default: all).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PublicationsParams = Schema.Struct({
  within: Schema.optionalWith(UnitId, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 公开条目 — a publication as the public sees it (居务/政务/财务公开): scope
 * and its name, category, title, body and dates; no personal data.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PublicationView = Schema.Struct({
  topicId: Deliberation.TopicId,
  scope: Schema.String,
  /** 公开范围名称 — the unit's name (`null` when the server has no hierarchy to name it). */
  scopeName: Schema.NullOr(Schema.String),
  category: Schema.String,
  title: Schema.String,
  body: Schema.String,
  publishedAt: Schema.DateTimeUtc,
  retainUntil: Schema.DateTimeUtc
}).annotations({ identifier: "PublicationView", title: "公开条目 publication" })

/**
 * 村规民约 — `GET /rule-documents/{unitId}`: the unit's rule documents
 * (村规民约 / 居民公约), each with the version in force now (`current`,
 * `null` before the first is adopted) and every version, oldest first, with
 * the topic whose resolution adopted it (`adoptedBy`); no personal data (the
 * text was checked when adopted).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RuleDocumentView = Schema.Struct({
  id: Schema.String,
  scope: UnitId,
  /** 单元名称 — the unit's name (`null` when the server has no hierarchy to name it). */
  scopeName: Schema.NullOr(Schema.String),
  title: Schema.String,
  current: Schema.NullOr(Publication.RuleVersion),
  versions: Schema.Array(Publication.RuleVersion)
}).annotations({ identifier: "RuleDocumentView", title: "村规民约 rule document" })

/**
 * 议事协商指标查询 — `GET /deliberation/indicators`: `period` a label — a
 * year `2025`, a quarter `2025-Q1`, a month `2025-03`, a week `2025-W10` or a
 * day `2025-03-15` (local dates at +08:00) — optionally `to` a label (the
 * range from the start of `period` to the end of `to`), `within` a unit of
 * your jurisdiction (default: your jurisdiction).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DeliberationIndicatorsParams = Schema.Struct({
  period: Text.line(32).pipe(Schema.minLength(1)),
  to: Schema.optionalWith(Text.line(32).pipe(Schema.minLength(1)), { exact: true }),
  within: Schema.optionalWith(UnitId, { exact: true })
}).annotations({ parseOptions: allErrors })

/**
 * 议事协商指标 — meetings held 召开会议数, and as ratios (numerator and
 * denominator; denominator 0: no data) participation 参会率, turnout 参与表决率,
 * proposals reaching the agenda 提案立项率, resolutions implemented on time
 * 议定事项按期落实率 and publication timeliness 公开及时率
 * (`DeliberationMetrics`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DeliberationMetricsView = Schema.Struct({
  meetingsHeld: Schema.Int,
  participation: Ratio,
  turnout: Ratio,
  proposalsOnAgenda: Ratio,
  resolutionsOnTime: Ratio,
  publicationTimely: Ratio
}).annotations({ identifier: "DeliberationMetricsView", title: "议事协商指标 deliberation metrics" })

/**
 * 议事协商指标结果 — the indicators of a unit of your jurisdiction over
 * `[start, end)`: the total of its subtree and each unit's own (the units
 * with topics scoped to them, by id, with their names and levels); the
 * publication window in days.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DeliberationIndicators = Schema.Struct({
  within: UnitId,
  withinName: Schema.String,
  period: Schema.String,
  to: Schema.NullOr(Schema.String),
  start: Schema.DateTimeUtc,
  end: Schema.DateTimeUtc,
  publicationDays: Schema.Int,
  total: DeliberationMetricsView,
  units: Schema.Array(
    Schema.Struct({
      unitId: UnitId,
      name: Schema.String,
      level: Schema.String,
      metrics: DeliberationMetricsView
    })
  )
}).annotations({ identifier: "DeliberationIndicators", title: "议事协商指标 deliberation indicators" })

/**
 * 名称 — a configured item's id with its Chinese and English names.
 *
 * @since 0.1.0
 * @category schemas
 */
export const NamedItem = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  en: Schema.String
}).annotations({ identifier: "NamedItem", title: "名称 named item" })

/**
 * 议事配置 — `GET /deliberation/config`: what this server decides with, for a
 * dashboard to show instead of assuming the defaults: the co-signers a
 * resident proposal needs to reach the agenda 立项门槛 (and whether a roster of
 * resident representatives 居民代表名册 is configured, with its size — never
 * its names); the meeting kinds with their Chinese and English names and
 * quorum 法定人数 (`null`: an open meeting); the vote thresholds — the approval
 * fractions (过半数, 三分之二以上), their comparisons, the bases (实际投票 /
 * 全体选民), the electorate bases and the default threshold; the publication
 * categories (居务/政务/财务/党务公开, 村规民约) with their retention 公示期 in
 * days; the publication window 公开时限 of the indicators.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DeliberationConfigView = Schema.Struct({
  proposal: Schema.Struct({
    minCosigners: Schema.Int,
    roster: Schema.Boolean,
    representatives: Schema.Int
  }),
  meetingKinds: Schema.Array(
    Schema.Struct({
      id: Meeting.KindId,
      name: Schema.String,
      en: Schema.String,
      quorum: Schema.NullOr(Vote.Fraction)
    })
  ),
  vote: Schema.Struct({
    fractions: Schema.Array(Schema.Struct({ ...NamedItem.fields, fraction: Vote.Fraction })),
    comparisons: Schema.Array(NamedItem),
    bases: Schema.Array(NamedItem),
    electorateBases: Schema.Array(NamedItem),
    defaultThreshold: Vote.Threshold
  }),
  publicationCategories: Schema.Array(Schema.Struct({ ...NamedItem.fields, retentionDays: Schema.Int })),
  publicationDays: Schema.Int
}).annotations({ identifier: "DeliberationConfigView", title: "议事配置 deliberation configuration" })

/**
 * 单独公开 — `POST /publications`: a disclosure no meeting produced (a
 * village's monthly 财务公开, a 政务公开 notice) for a unit of your
 * jurisdiction: category, title, body, optionally the end of display (default:
 * the category's retention) and an id. No personal data (the core's
 * `Publication.check`). Withdraw it with `WithdrawPublication` on
 * `/proposals/{id}/commands`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DisclosureBody = Schema.Struct({
  id: Schema.optionalWith(Deliberation.TopicId, { exact: true }),
  unitId: UnitId,
  category: Publication.Category,
  title: Text.field(Text.limits.title),
  body: Text.Description,
  retainUntil: Schema.optionalWith(Schema.DateTimeUtc, { exact: true })
}).annotations({ identifier: "DisclosureBody", title: "单独公开 disclosure", parseOptions: allErrors })

/**
 * 议事协商 — proposals 居民代表提案 with co-signers, the agenda, meetings
 * (联席会, 居民议事会, 恳谈会, 听证会 …), votes with ballots (a resident votes
 * once, only where the roll entitles them), resolutions that become tasks
 * supervised to completion (限期督办), publication and feedback — one decider
 * decides every step; each command carries the version you last read.
 * Reads are within your jurisdiction; a principal without one (a resident) is
 * refused reads (`AccessRefused`, rule `no-jurisdiction`) but proposes,
 * co-signs, votes and gives feedback.
 *
 * @since 0.1.0
 * @category groups
 */
export class DeliberationGroup extends HttpApiGroup.make("deliberation")
  .add(
    HttpApiEndpoint.post("propose", "/proposals")
      .setPayload(ProposalBody)
      .addSuccess(TopicReceipt, { status: 201 })
      .annotate(OpenApi.Summary, "提出议题 raise a topic (居民代表提案, a problem or a case)")
  )
  .add(
    HttpApiEndpoint.post("command", "/proposals/:id/commands")
      .setPath(Schema.Struct({ id: Deliberation.TopicId }))
      .setPayload(DeliberationCommandRequest)
      .addSuccess(TopicReceipt)
      .annotate(
        OpenApi.Summary,
        "议事指令 co-sign, agenda, meeting, vote, resolution, tasks, publish, feedback (expected version)"
      )
  )
  .add(
    HttpApiEndpoint.get("proposals", "/proposals")
      .setUrlParams(noNul(TopicsParams))
      .addSuccess(Schema.Array(Deliberation.Topic))
      .annotate(OpenApi.Summary, "议题 topics of your jurisdiction (by status)")
  )
  .add(
    HttpApiEndpoint.get("meetings", "/meetings")
      .setUrlParams(noNul(TopicsParams))
      .addSuccess(Schema.Array(MeetingView))
      .annotate(OpenApi.Summary, "会议 meetings held in your jurisdiction")
  )
  .add(
    HttpApiEndpoint.post("ballot", "/votes/:id/ballots")
      .setPath(Schema.Struct({ id: Deliberation.TopicId }))
      .setPayload(BallotBody)
      .addSuccess(TopicReceipt)
      .annotate(OpenApi.Summary, "投票 cast your ballot — once, only where the electoral roll entitles you")
  )
  .add(
    HttpApiEndpoint.get("resolutions", "/resolutions")
      .setUrlParams(noNul(TopicsParams))
      .addSuccess(Schema.Array(ResolutionView))
      .annotate(OpenApi.Summary, "议定事项 resolutions of your jurisdiction and their supervised tasks")
  )
  .add(
    HttpApiEndpoint.get("config", "/deliberation/config")
      .addSuccess(DeliberationConfigView)
      .annotate(
        OpenApi.Summary,
        "议事配置 co-signers to reach the agenda, meeting kinds and quorums, vote thresholds, publication categories and retention"
      )
  )
  .add(
    HttpApiEndpoint.post("disclose", "/publications")
      .setPayload(DisclosureBody)
      .addSuccess(TopicReceipt, { status: 201 })
      .annotate(
        OpenApi.Summary,
        "单独公开 publish a disclosure no meeting produced (财务公开, 政务公开 …) in your jurisdiction"
      )
  )
  .add(
    HttpApiEndpoint.get("indicators", "/deliberation/indicators")
      .setUrlParams(noNul(DeliberationIndicatorsParams))
      .addSuccess(DeliberationIndicators)
      .addError(InvalidQuery)
      .annotate(
        OpenApi.Summary,
        "议事协商指标 meetings held, participation, turnout, proposals on the agenda, resolutions on time, publication timeliness — total and per unit"
      )
  )
  .addError(DeliberationNotFound)
  .addError(DeliberationCommandRefused)
  .addError(DeliberationConflict)
  .addError(AccessRefused)
  .addError(DeliberationUnavailable)
  .middleware(BodyGuard)
  .middleware(Authorization)
  .annotate(OpenApi.Title, "议事协商 deliberation")
  .annotate(
    OpenApi.Description,
    "提案、议程、会议、表决、议定事项与限期督办、公开与评议、议事协商指标 proposals, agenda, meetings, votes, resolutions with supervised tasks, publication and feedback, the indicators"
  ) {}

/**
 * 公开栏 — the publications on display (居务/政务/财务公开): no personal data,
 * no token.
 *
 * @since 0.1.0
 * @category groups
 */
export class PublicationsGroup extends HttpApiGroup.make("publications")
  .add(
    HttpApiEndpoint.get("list", "/publications")
      .setUrlParams(noNul(PublicationsParams))
      .addSuccess(Schema.Array(PublicationView))
      .annotate(OpenApi.Summary, "公开栏 publications on display, newest first; no personal data; no token")
  )
  .add(
    HttpApiEndpoint.get("ruleDocuments", "/rule-documents/:unitId")
      .setPath(Schema.Struct({ unitId: UnitId }))
      .addSuccess(Schema.Array(RuleDocumentView))
      .annotate(
        OpenApi.Summary,
        "村规民约 a unit's rule documents: the version in force and its history, each adopted by a resolution; no token"
      )
  )
  .addError(DeliberationNotFound)
  .addError(DeliberationUnavailable)
  .annotate(OpenApi.Title, "公开栏 publications")
  .annotate(
    OpenApi.Description,
    "居务、政务、财务公开（公开，无个人信息） public disclosure, without personal data"
  ) {}

/**
 * 接口 — the civicgrid HTTP API.
 *
 * @since 0.1.0
 * @category api
 */
export class Api extends HttpApi.make("civicgrid")
  .add(HierarchyGroup)
  .add(GridsGroup)
  .add(CasesGroup)
  .add(ListsGroup)
  .add(MetricsGroup)
  .add(SurveysGroup)
  .add(AdminGroup)
  .add(SessionGroup)
  .add(MapGroup)
  .add(PeopleGroup)
  .add(OrganizationGroup)
  .add(DirectoryGroup)
  .add(DeliberationGroup)
  .add(PublicationsGroup)
  .addError(BodyTooLarge)
  .addError(TooManyRequests)
  .addError(StorageUnavailable, { status: 503 })
  .annotate(OpenApi.Title, "civicgrid 基层治理 API")
  .annotate(OpenApi.Version, "0.1.0")
  .annotate(
    OpenApi.Description,
    "社区网格化治理 SDK 的 HTTP 接口：组织体系、网格、案件闭环（上报、立案、派遣、处置、核查、结案、评价）。" +
      "Every request carries `Authorization: Bearer <token>`; you see and act only within your jurisdiction. " +
      "— The HTTP API of the civicgrid community-governance SDK: hierarchy, grids and the case loop."
  )
  .annotate(OpenApi.License, { name: "MIT" }) {}

/**
 * 类型化客户端 — the type of a typed client of the `Api`
 * (`HttpApiClient.make(Api)`'s success). Annotate an exported client with it:
 * the contract is too large for TypeScript to spell out in a declaration.
 *
 * @since 0.1.0
 * @category models
 */
export type ApiClient =
  typeof Api extends HttpApi.HttpApi<infer _Id, infer Groups, infer E, infer _R>
    ? HttpApiClient.Client<Groups, E, never>
    : never
