/**
 * Open311 GeoReport v2 — the international citizen-request API
 * (http://wiki.open311.org/GeoReport_v2) over the
 * civicgrid case loop, as an `HttpRouter` that apps mount (by default under
 * `/open311/v2`) or add with `layer` to the `HttpApiBuilder` server.
 *
 * | endpoint | what |
 * | --- | --- |
 * | `GET discovery.{json,xml}` | endpoints, formats, contact |
 * | `GET services.{json,xml}` | one service per 小类 of the configured catalogue |
 * | `GET services/{code}.{json,xml}` | the 小类's attributes (service definition) |
 * | `POST requests.{json,xml}` | form-encoded report: `api_key`, `service_code`, `lat`+`long` / `address_string` / `address_id`, `attribute[code]` (codes the service does not list are kept, not refused), `media_url`, `description`, contact, and the civicgrid extension `publish_exact` (`true` / `false`: the reporter consents to publishing the exact position and full address); GeoReport v2 has no field for consent to progress notifications, so a report filed here never asks for them (`notifyReporter` absent: its reporter is not notified) — routed (`Routing.route`: a point in no grid by `CaseService.Settings.outsideGrids`; an `address_id` that is a unit, or the unit an `address_string` names, where the point places nothing) and reported (`CaseService.report`, source `open311`); `address_id` is kept verbatim and published |
 * | `GET requests.{json,xml}` | filters `service_request_id` (comma list; overrides the rest), `service_code`, `start_date`, `end_date` (window ≤ 90 days, default the last 90 days), `status` (`open`, `closed`); a list filter may be repeated (`status=open&status=closed`) and every value applies. At most `maxResults` (default 1,000, as the spec) per answer; when more match, a `Link: <…>; rel="next"` header names the next page (civicgrid's paging extension: `page_after`, a cursor, and `page_size`) |
 * | `GET requests/{id}.{json,xml}` | one request |
 * | `GET tokens/{token}.{json,xml}` | the request a token created |
 * | `GET servicerequestupdates.{json,xml}` | the case history as updates, FixMyStreet-style (`service_request_id` list, or a `start_date` / `end_date` window) |
 * | `POST servicerequestupdates.{json,xml}` | a client's comment on a request (FixMyStreet's `post_service_request_update`: `service_request_id`, `description`, `media_url`): a public comment (the core's `Comment` command); answers its `update_id` |
 *
 * **Statuses** are `open` / `closed`, with FixMyStreet's extended status in
 * `extended_status` (requests) and `status` (updates); the mapping is data:
 * `statusTable` (case status and void reason → open/closed and extended) and
 * `eventUpdates` (case event → the update it publishes, or none for internal
 * steps). `expected_datetime` is the current step's deadline (from the case
 * store's time limits), `agency_responsible` the handling unit or department
 * (the owning unit before dispatch), `jurisdiction_id` the district.
 *
 * **Errors** are `[{"code":400,"description":"…"}]` (XML
 * `<errors><error><code>…`) with the same HTTP status: 400 bad input (every
 * bad field named; a path that is not valid percent-encoded UTF-8), 403 a
 * missing, unknown or revoked `api_key`, 404 an unknown service code (in the
 * path), request, token, jurisdiction or endpoint, 413 a `POST requests` body
 * over 256 KiB, 415 a `POST requests` body that is not
 * `application/x-www-form-urlencoded` (other bytes are never read as a
 * form), 503 with `Retry-After` when the case store cannot serve now
 * (`StorageUnavailable`: busy, unreachable, contention). Bad input never
 * yields a 5xx. `service_code` in a POST body that is not a 小类 of the
 * catalogue is a 404 (as the spec says); the fields kept in the case are held
 * to the core's limits (`Text`: `description` ≤ 4,000 characters,
 * `address_string` ≤ 200, `first_name` / `last_name` ≤ 100, `address_id` ≤
 * 128, `phone` a phone number, `media_url` an http(s) URL, at most 10; no
 * control characters), each refusal a 400
 * naming the field and the rule.
 *
 * **Privacy** (个人信息保护法 PIPL): public output never carries the reporter's
 * personal data — names, e-mail and phone are stored in the case's contact
 * (name and phone; there is no e-mail field, so e-mail is not kept) for the
 * return visit and never published; free texts (description, address,
 * handling results) are scrubbed of phone numbers, ID numbers and e-mail
 * addresses (the core's `Privacy.scrub`, linear time) and published at most
 * 4,000 (description) or 2,000 (results, reasons) characters; the location is
 * published under `Config.publication` (default: position snapped to about
 * 100 m, address without room or household), exactly only where the reporter
 * opted in (`publish_exact`); cases from petitions 信访 and disputes 矛盾纠纷,
 * and cases of categories outside the configured catalogue, are not public
 * by default (`Config.isPublic`), and a public case merged into one of them
 * says `已合并至其他案件` instead of naming it.
 *
 * @since 0.1.0
 */
import { ActorId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import type { Position } from "@civicgrid/core/GeoJson"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Privacy from "@civicgrid/core/Privacy"
import * as Routing from "@civicgrid/core/Routing"
import { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Text from "@civicgrid/core/Text"
import * as TimeOrderedId from "@civicgrid/core/TimeOrderedId"
import { UnitId } from "@civicgrid/core/Unit"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Authorization from "./Authorization.js"
import * as Input from "./internal/open311Input.js"
import * as Output from "./internal/open311Output.js"
import * as Status from "./internal/open311Status.js"
import * as Xml from "./Open311Xml.js"

// -----------------------------------------------------------------------------
// api keys
// -----------------------------------------------------------------------------

/**
 * Open311 客户端 — the client an `api_key` belongs to (an app, FixMyStreet, a
 * hotline integration …). Reports it posts are made by the actor
 * `open311:<id>`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiClient {
  readonly id: string
  readonly name: string
}

/**
 * Open311 密钥校验 — resolves an `api_key` to its client; none for an unknown
 * key. Pluggable: `layerApiKeysMemory` is the reference.
 *
 * @since 0.1.0
 * @category tags
 */
export class ApiKeys extends Context.Tag("@civicgrid/http/Open311/ApiKeys")<
  ApiKeys,
  {
    readonly verify: (apiKey: string) => Effect.Effect<Option.Option<ApiClient>, StorageUnavailable>
  }
>() {}

const sha256 = (text: string): Effect.Effect<string> =>
  Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))).pipe(
    Effect.map((buffer) =>
      Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("")
    )
  )

/**
 * 密钥查找 — `ApiKeys` over a key store's lookup (e.g. `SqlApiKeys.open311Lookup`
 * of `@civicgrid/sql`), built from the lookup's own environment: an unknown key
 * is none (403); a store that cannot serve now (`StorageUnavailable`) is a 503
 * with `Retry-After`; any other store failure is a defect (500), never a 403.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApiKeysLookup = <E, R>(
  lookup: Effect.Effect<
    (key: Redacted.Redacted<string>) => Effect.Effect<Option.Option<ApiClient>, E>,
    never,
    R
  >
): Layer.Layer<ApiKeys, never, R> =>
  Layer.effect(
    ApiKeys,
    Effect.map(lookup, (find) => ({
      verify: (apiKey: string) =>
        Effect.catchAll(find(Redacted.make(apiKey)), (e) =>
          e instanceof StorageUnavailable ? Effect.fail(e) : Effect.die(e)
        )
    }))
  )

/**
 * 内存密钥表 — the reference `ApiKeys`: the keys are given as `[key, client]`
 * pairs and kept only as SHA-256 hashes.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApiKeysMemory = (keys: Iterable<readonly [string, ApiClient]>): Layer.Layer<ApiKeys> =>
  Layer.effect(
    ApiKeys,
    Effect.gen(function* () {
      const byHash = new Map<string, ApiClient>()
      for (const [key, client] of keys) byHash.set(yield* sha256(key), client)
      return {
        verify: (apiKey: string) =>
          apiKey.length === 0 || apiKey.length > 512
            ? Effect.succeed(Option.none())
            : Effect.map(sha256(apiKey), (hash) => Option.fromNullable(byHash.get(hash)))
      }
    })
  )

// -----------------------------------------------------------------------------
// configuration
// -----------------------------------------------------------------------------

/**
 * What routing needs besides the catalogue (the hierarchy, routing rules,
 * grids and their index — see `Routing.RoutingContext`).
 *
 * @since 0.1.0
 * @category models
 */
export type RoutingInput = Omit<Routing.RoutingContext, "catalogue">

/**
 * Open311 配置 — the configuration of the Open311 endpoints.
 *
 * @since 0.1.0
 * @category models
 */
export interface Config {
  /** 辖区 — the district the endpoint serves: its unit, and the `jurisdiction_id` (default: the unit id). */
  readonly jurisdiction: { readonly unitId: string; readonly id?: string }
  /** 类别目录 — the services (one per 小类). */
  readonly catalogue: CaseCategory.Catalogue
  /** 路由 — the hierarchy, rules and grids to route reports with; a value or an effect (read per request). */
  readonly routing: RoutingInput | Effect.Effect<RoutingInput>
  /** Where the router is mounted (default `/open311/v2`); used by `layer` and in discovery. */
  readonly path?: `/${string}`
  readonly discovery?: {
    /** The public base URL of the endpoint; default: from the request's Host header and `path`. */
    readonly url?: string
    readonly contact?: string
    readonly keyService?: string
    readonly changeset?: string
    readonly type?: "production" | "test"
  }
  /** `service_notice` of every request and response (default none). */
  readonly serviceNotice?: string
  /** What `POST requests` answers: the `service_request_id` (default) or a `token`. */
  readonly respondWith?: "service_request_id" | "token"
  /** 时区 — the UTC offset of output date-times and of input times without one, in minutes (default 480, Beijing). */
  readonly utcOffsetMinutes?: number
  /** The widest `start_date`–`end_date` window, in days (default 90, as the spec). */
  readonly maxWindowDays?: number
  /**
   * 每页上限 — the most requests (or cases whose updates are listed) one GET
   * answers with (default 1,000, the GeoReport v2 default). Never a silent
   * cap: when more match, the answer carries a `Link: <…>; rel="next"` header
   * to the next page (the `page_after` cursor, a civicgrid extension), and a
   * client may ask for smaller pages with `page_size`.
   */
  readonly maxResults?: number
  /**
   * 类别目录版本 — when the catalogue last changed (a W3C date-time), published
   * as discovery's `changeset`; default: the time the router was built (a
   * catalogue is configuration, read at start).
   */
  readonly catalogueChangedAt?: string
  /**
   * 跨域 — CORS for browser clients (answered by `layer`, or
   * `middlewareCors(config)` around a router mounted by hand): the allowed
   * origins (default any origin, `["*"]`: Open311 is a public API whose posts
   * carry an `api_key`, not a cookie), or `false` for none. Preflight
   * `OPTIONS` requests are answered with 204.
   */
  readonly cors?: false | { readonly allowedOrigins: ReadonlyArray<string>; readonly maxAgeSeconds?: number }
  /**
   * 公开策略 — what is published of where a case happened (default
   * `Privacy.defaultPolicy`: the position snapped to about 100 m, the address
   * without room or household); a report whose reporter opted in
   * (`publish_exact=true`, the case's `publishExact`) is published exactly.
   */
  readonly publication?: Privacy.PublicationPolicy
  /** Whether a case may be shown (default: its 小类 is in the catalogue and it is not from a petition or dispute). */
  readonly isPublic?: (summary: CaseRepository.CaseSummary) => boolean
  /**
   * Public names of units and departments for `agency_responsible` (default:
   * unit names from the hierarchy, department names from the
   * `DepartmentRepository`, ids where neither knows the name).
   */
  readonly agencyName?: Output.AgencyName
  /** 地址解析 — locates an `address_string` (default: the deepest unit whose name the address contains). */
  readonly geocode?: (address: string) => Effect.Effect<Option.Option<Routing.RouteLocation>>
  /**
   * New case ids (default `o311-<UUID v7>`: time-ordered, so new cases land at the end of the
   * store's primary-key index, `TimeOrderedId.uuidV7`).
   */
  readonly newCaseId?: Effect.Effect<string>
  /** New tokens (default a uuid). */
  readonly newToken?: Effect.Effect<string>
}

/**
 * FixMyStreet 扩展状态 — one of FixMyStreet's extended statuses (`OPEN`, `FIXED`, `DUPLICATE` …).
 *
 * @since 0.1.0
 * @category status
 */
export type ExtendedStatus = Status.ExtendedStatus

/**
 * 状态映射行 — one row of `statusTable`: a case status (and, for `voided`, the
 * void reason), its Open311 status, its extended status and a note.
 *
 * @since 0.1.0
 * @category status
 */
export type StatusRow = Status.StatusRow

/**
 * 映射表 — case status (and void reason) → Open311 status and FixMyStreet's
 * extended status, with a note; one row per status (three for `voided`).
 *
 * @since 0.1.0
 * @category status
 */
export const statusTable: ReadonlyArray<Status.StatusRow> = Status.statusTable

/**
 * The Open311 row of a case status: `open` / `closed` and the extended status.
 *
 * @since 0.1.0
 * @category status
 */
export const statusOf = (status: Case.Status, voidReason: Case.VoidReason | null): Status.StatusRow =>
  Status.rowOf(status, voidReason)

/**
 * 事件映射 — case event → the update it publishes in `servicerequestupdates`:
 * an extended status, `"status"` (the case's extended status after the event),
 * or `null` (an internal step, not published).
 *
 * @since 0.1.0
 * @category status
 */
export const eventUpdates: typeof Status.eventUpdates = Status.eventUpdates

/**
 * FixMyStreet's extended statuses that we publish (each a state FixMyStreet knows).
 *
 * @since 0.1.0
 * @category status
 */
export const extendedStatuses: ReadonlyArray<Status.ExtendedStatus> = Status.extendedStatuses

/**
 * 开放/关闭 — whether FixMyStreet reads an extended status as open (its state
 * table's `open` type) or not (`closed` / `fixed`), after its `map_state`.
 *
 * @since 0.1.0
 * @category status
 */
export const extendedIsOpen: Readonly<Record<Status.ExtendedStatus, boolean>> = Status.extendedIsOpen

/**
 * 更新状态 — the extended status of the update a case event publishes, given
 * the case's status row after the event (`null`: an internal step); never one
 * FixMyStreet would read as open for a closed case or as closed for an open one.
 *
 * @since 0.1.0
 * @category status
 */
export const updateStatusOf: (tag: Case.EventTag, row: StatusRow) => Status.ExtendedStatus | null =
  Status.updateStatusOf

/**
 * 脱敏 — masks phone numbers, ID numbers and e-mail addresses in a free text
 * (what public output does to descriptions, addresses and results): the
 * core's `Privacy.scrub`, linear in the text's length.
 *
 * @since 0.1.0
 * @category privacy
 */
export const scrub: (text: string) => string = Privacy.scrub

// -----------------------------------------------------------------------------
// errors
// -----------------------------------------------------------------------------

/**
 * Open311 错误 — a refused Open311 call: the HTTP status and every
 * description (one `{code, description}` item each).
 *
 * @since 0.1.0
 * @category errors
 */
export class Open311Error extends Schema.TaggedError<Open311Error>()("Open311Error", {
  status: Schema.Int,
  descriptions: Schema.NonEmptyArray(Schema.String),
  /** 重试间隔 — sent as `Retry-After` (a 503 when the store cannot serve now). */
  retryAfterSeconds: Schema.optionalWith(Schema.Int, { exact: true })
}) {
  override get message(): string {
    return `Open311 ${this.status}: ${this.descriptions.join("; ")}`
  }
}

const failWith = (status: number, first: string, ...rest: ReadonlyArray<string>): Open311Error =>
  new Open311Error({ status, descriptions: [first, ...rest] })

const badFields = (errors: ReadonlyArray<Input.FieldError>): Option.Option<Open311Error> => {
  const [head, ...tail] = errors.map((e) => `${e.field}: ${e.message}`)
  return head === undefined ? Option.none() : Option.some(failWith(400, head, ...tail))
}

// -----------------------------------------------------------------------------
// responses
// -----------------------------------------------------------------------------

type Format = "json" | "xml"

const contentTypes: Readonly<Record<Format, string>> = {
  json: "application/json; charset=utf-8",
  xml: "text/xml; charset=utf-8"
}

const respond = (
  format: Format,
  status: number,
  root: string,
  value: unknown
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(format === "json" ? JSON.stringify(value) : Xml.document(root, value), {
    status,
    contentType: contentTypes[format]
  })

const errorResponse = (format: Format, error: Open311Error): HttpServerResponse.HttpServerResponse => {
  const response = respond(
    format,
    error.status,
    "errors",
    error.descriptions.map((description) => ({ code: error.status, description }))
  )
  return error.retryAfterSeconds === undefined
    ? response
    : HttpServerResponse.setHeader(response, "retry-after", String(error.retryAfterSeconds))
}

/** 存储不可用 → 503 with `Retry-After`, in the Open311 format. */
const unavailable = (e: StorageUnavailable): Open311Error =>
  new Open311Error({
    status: 503,
    descriptions: [`storage: ${e.message}`],
    retryAfterSeconds: e.retryAfterSeconds
  })

/** 分页 — a page of a listing: its size and the cursor it starts after. */
interface Paging {
  readonly size: number
  readonly after?: string
}

interface Reply {
  readonly root: string
  readonly value: unknown
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
}

const splitFormat = (file: string): { readonly name: string; readonly format: Format } | undefined => {
  const dot = file.lastIndexOf(".")
  if (dot <= 0) return undefined
  const ext = file.slice(dot + 1)
  return ext === "json" || ext === "xml" ? { name: file.slice(0, dot), format: ext } : undefined
}

// -----------------------------------------------------------------------------
// the router
// -----------------------------------------------------------------------------

/** `key_service` when none is configured: how to obtain a key, never empty. */
const defaultKeyService = (contact: string | undefined): string =>
  contact === undefined || contact.length === 0
    ? "api_key 由平台管理员发放 (api keys are issued by the operator of this server)"
    : `api_key 由平台管理员发放，请联系 ${contact} (api keys are issued by the operator: contact ${contact})`

const defaultIsPublic =
  (catalogue: CaseCategory.Catalogue) =>
  (summary: CaseRepository.CaseSummary): boolean =>
    summary.source !== "petition" &&
    summary.source !== "dispute" &&
    Option.isSome(CaseCategory.getMinor(catalogue, summary.categoryId))

const uuid: Effect.Effect<string> = Effect.sync(() => globalThis.crypto.randomUUID())

const tokenKey = (token: string): string => `open311:${token}`

/** The deepest unit of the hierarchy whose name the address contains (longest name on ties). */
const geocodeByUnitName =
  (hierarchy: Hierarchy.Hierarchy) =>
  (address: string): Option.Option<Routing.RouteLocation> => {
    let best: { readonly id: string; readonly depth: number; readonly length: number } | undefined
    for (const unit of Hierarchy.units(hierarchy)) {
      if (unit.name.length < 2 || !address.includes(unit.name)) continue
      const depth = Option.getOrElse(Hierarchy.depth(hierarchy, unit.id), () => 0)
      if (
        best === undefined ||
        depth > best.depth ||
        (depth === best.depth && unit.name.length > best.length) ||
        (depth === best.depth && unit.name.length === best.length && unit.id < best.id)
      ) {
        best = { id: unit.id, depth, length: unit.name.length }
      }
    }
    return best === undefined ? Option.none() : Option.some({ unitId: best.id })
  }

/**
 * 地名 — a readable name of where a unit lies: the names from below the
 * district down to the unit (`金星街道金星社区金星花园`); none for an unknown
 * unit or the district itself.
 */
const placeName = (hierarchy: Hierarchy.Hierarchy, unitId: string): { readonly address?: string } => {
  const unit = Hierarchy.get(hierarchy, unitId)
  if (Option.isNone(unit) || unit.value.parentId === null) return {}
  const above = Option.getOrElse(Hierarchy.ancestors(hierarchy, unitId), () => [])
  const chain = [...above, unit.value]
    .filter((u) => u.parentId !== null)
    .sort(
      (a, b) =>
        Option.getOrElse(Hierarchy.depth(hierarchy, a.id), () => 0) -
        Option.getOrElse(Hierarchy.depth(hierarchy, b.id), () => 0)
    )
  return { address: chain.map((u) => u.name).join("") }
}

const fieldOfRouting: Readonly<Record<Routing.RoutingFailed["field"], string>> = {
  categoryId: "service_code",
  unitId: "address_id",
  gridId: "address_id",
  position: "lat/long",
  location: "location"
}

/** 附件 — the problems of the `media_url` values: each an http(s) URL (`Case.MediaUrl`), at most `Case.maxMedia`. */
const mediaErrors = (media: ReadonlyArray<string>): ReadonlyArray<Input.FieldError> => {
  const errors: Array<Input.FieldError> = []
  const bad = media.map((url) => violation(Case.MediaUrl, url)).find((m) => m !== undefined)
  if (bad !== undefined) errors.push({ field: "media_url", message: bad })
  if (media.length > Case.maxMedia)
    errors.push({
      field: "media_url",
      message: `附件过多，至多 ${Case.maxMedia} 个 (at most ${Case.maxMedia} media URLs)`
    })
  return errors
}

/** A command the core refused: a 400 naming every rule broken. */
const refusedBy = (e: Case.CaseRefused): Open311Error =>
  new Open311Error({
    status: 400,
    descriptions: [
      `${e.violations[0].rule}: ${e.violations[0].message}`,
      ...e.violations.slice(1).map((v) => `${v.rule}: ${v.message}`)
    ]
  })

/** 姓名 — `first_name` and `last_name` as one name (family name first when either is Chinese). */
const fullName = (first: string | undefined, last: string | undefined): string | undefined =>
  first !== undefined && last !== undefined
    ? /[\u3400-\u9fff]/.test(first) || /[\u3400-\u9fff]/.test(last)
      ? `${last}${first}`
      : `${first} ${last}`
    : (first ?? last)

/** The first rule a value breaks under a core schema, as its bilingual message; none when it holds. */
const violation = (schema: Schema.Schema<string>, value: string): string | undefined =>
  Either.match(Schema.decodeUnknownEither(schema)(value), {
    onLeft: (e) => ParseResult.ArrayFormatter.formatErrorSync(e)[0]?.message ?? "无效 invalid",
    onRight: () => undefined
  })
const MAX_FIELD = 200
/** The largest `POST requests` body read (a report is a few KiB; descriptions stop at 4000 characters). */
const MAX_BODY = 256 * 1024
const FORM = "application/x-www-form-urlencoded"

/**
 * Whether a store can hold the text as a key: PostgreSQL refuses a NUL in
 * text outright, so an id or token carrying one names nothing (a lookup with
 * it would be a database error, not a miss).
 */
const storable = (text: string): boolean => !text.includes("\u0000")

/** The media type of a `Content-Type` header, lower-cased, without parameters ("" when absent). */
const mediaTypeOf = (header: string | undefined): string =>
  (header ?? "").split(";")[0]?.trim().toLowerCase() ?? ""

/** A `Host` header as RFC 9110 allows it (a name or an IP literal, an optional port); anything else is not echoed. */
const HOST = /^(?:[A-Za-z0-9._-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/

/** The path of a raw request URL, as the router splits it off (at `?`, `;` or `#`). */
const pathOf = (url: string): string => url.split(/[?;#]/)[0] ?? ""

/**
 * The Open311 router (paths relative to where it is mounted), with the case
 * store and the api keys captured from the context. Mount it with
 * `HttpRouter.mount(app, "/open311/v2", router)`, or use `layer`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const router = (
  config: Config
): Effect.Effect<
  HttpRouter.HttpRouter,
  never,
  CaseRepository.CaseRepository | HierarchyRepository | DepartmentRepository | CaseService.Settings | ApiKeys
> =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository.CaseRepository
    const departmentRepo = yield* DepartmentRepository
    const useCases = Context.make(CaseRepository.CaseRepository, repo).pipe(
      Context.add(HierarchyRepository, yield* HierarchyRepository),
      Context.add(DepartmentRepository, departmentRepo),
      Context.add(CaseService.Settings, yield* CaseService.Settings)
    )
    const apiKeys = yield* ApiKeys
    // failed api_key checks count per client address in the API's failure table (429 past the limit)
    const authFailures = Option.getOrElse(yield* Effect.serviceOption(Authorization.AuthRateLimit), () =>
      Authorization.makeFailureTable()
    )
    const catalogue = config.catalogue
    const jurisdictionUnit = config.jurisdiction.unitId
    const jurisdictionId = config.jurisdiction.id ?? jurisdictionUnit
    const mountPath = config.path ?? "/open311/v2"
    const offset = config.utcOffsetMinutes ?? 480
    const maxWindowDays = config.maxWindowDays ?? 90
    const maxResults = config.maxResults ?? 1000
    const builtAt = yield* DateTime.now
    const changeset =
      config.discovery?.changeset ?? config.catalogueChangedAt ?? Output.formatDateTime(builtAt, 0)
    const isPublic = config.isPublic ?? defaultIsPublic(catalogue)
    const newCaseId = config.newCaseId ?? Effect.map(TimeOrderedId.uuidV7, (u) => `o311-${u}`)
    const newToken = config.newToken ?? uuid
    const routingInput: Effect.Effect<RoutingInput> = Effect.isEffect(config.routing)
      ? config.routing
      : Effect.succeed(config.routing)

    const policy = config.publication ?? Privacy.defaultPolicy

    /**
     * The view of the loaded cases: a merge names its target only when the
     * target is itself publicly listed (a petition's id is never published).
     */
    const viewFor = (loaded: ReadonlyArray<Loaded>): Effect.Effect<Output.ViewConfig, StorageUnavailable> =>
      Effect.gen(function* () {
        const routing = yield* routingInput
        const targets = new Set<string>()
        for (const l of loaded) {
          for (const e of l.events) if (e._tag === "Merged") targets.add(e.targetId)
        }
        const listed = new Set<string>()
        yield* Effect.forEach(
          targets,
          (id) =>
            Effect.map(summaryOf(id), (s) => {
              if (Option.isSome(s) && isPublic(s.value)) listed.add(id)
            }),
          { concurrency: 8, discard: true }
        )
        // 职能部门 — departments are published by name (the registry's), never by id where a name is known
        const needsDepartments = loaded.some((l) =>
          l.events.some((e) => e._tag === "Dispatched" && e.target._tag === "Department")
        )
        const departmentNames = new Map<string, string>()
        if (needsDepartments) {
          for (const d of yield* departmentRepo.list) departmentNames.set(d.id, d.name)
        }
        return {
          catalogue,
          jurisdictionId,
          offsetMinutes: offset,
          serviceNotice: config.serviceNotice ?? null,
          agencyName:
            config.agencyName ??
            ((kind, id) =>
              kind === "unit"
                ? Option.getOrUndefined(Option.map(Hierarchy.get(routing.hierarchy, id), (u) => u.name))
                : departmentNames.get(id)),
          policy,
          isListed: (id) => listed.has(id),
          placeOf: (location) => {
            const position =
              location.position === undefined
                ? Option.getOrUndefined(
                    Option.map(Routing.representativePosition(routing, location), (p) => p.position)
                  )
                : undefined
            return {
              ...(position === undefined ? {} : { position }),
              ...(location.address === undefined ? {} : { address: location.address }),
              ...(location.address !== undefined ? {} : placeName(routing.hierarchy, location.unitId))
            }
          }
        }
      })

    const checkJurisdiction = (params: Input.Params): Effect.Effect<void, Open311Error> => {
      const given = Input.first(params, "jurisdiction_id")
      return given === undefined || given === jurisdictionId
        ? Effect.void
        : Effect.fail(
            failWith(404, `jurisdiction_id: 未知辖区 jurisdiction "${given.slice(0, 100)}" not found`)
          )
    }

    const queryParams: Effect.Effect<Input.Params, never, HttpServerRequest.ParsedSearchParams> = Effect.map(
      HttpServerRequest.ParsedSearchParams,
      (record) =>
        Input.paramsOf(
          Object.entries(record).flatMap(([k, v]) =>
            (Array.isArray(v) ? v : [v]).map((x): readonly [string, string] => [k, x])
          )
        )
    )

    /** Runs an endpoint: its reply, or its error array; a defect is a 500 without details. */
    const run =
      <R>(format: Format, body: Effect.Effect<Reply, Open311Error | StorageUnavailable, R>) =>
      (): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> =>
        body.pipe(
          Effect.map((reply) =>
            HttpServerResponse.setHeaders(
              respond(format, reply.status ?? 200, reply.root, reply.value),
              reply.headers ?? {}
            )
          ),
          Effect.catchTag("StorageUnavailable", (e) => Effect.succeed(errorResponse(format, unavailable(e)))),
          Effect.catchTag("Open311Error", (e) => Effect.succeed(errorResponse(format, e))),
          Effect.catchAllDefect((defect) =>
            Effect.logError("Open311: internal error", defect).pipe(
              Effect.as(errorResponse(format, failWith(500, "内部错误 internal error")))
            )
          )
        )

    // --- loading cases -------------------------------------------------------

    interface Loaded {
      readonly state: Case.Case
      readonly events: ReadonlyArray<CaseEvent>
      readonly summary: CaseRepository.CaseSummary
    }

    /** The summary of a case, none when there is no such case (a store that cannot serve fails). */
    const summaryOf = (
      caseId: string
    ): Effect.Effect<Option.Option<CaseRepository.CaseSummary>, StorageUnavailable> =>
      storable(caseId)
        ? repo.summary(caseId).pipe(
            Effect.map(Option.some),
            Effect.catchTag("CaseNotFound", () => Effect.succeed(Option.none()))
          )
        : Effect.succeed(Option.none())

    const loadPublic = (caseId: string): Effect.Effect<Option.Option<Loaded>, StorageUnavailable> =>
      Effect.gen(function* () {
        const summary = yield* summaryOf(caseId)
        if (Option.isNone(summary) || !isPublic(summary.value)) return Option.none()
        const events = yield* repo.events(caseId)
        const state = Case.fold(events)
        return state._tag === "Case" ? Option.some({ state, events, summary: summary.value }) : Option.none()
      })

    const parseIds = (raw: ReadonlyArray<string>): Either.Either<ReadonlyArray<string>, Input.FieldError> => {
      const ids = raw
      if (ids.length === 0) {
        return Either.left({
          field: "service_request_id",
          message: "不能为空 must name at least one request"
        })
      }
      if (ids.length > maxResults || ids.some((id) => id.length > MAX_FIELD)) {
        return Either.left({
          field: "service_request_id",
          message: `至多 ${maxResults} 个编号，每个不超过 ${MAX_FIELD} 字符 (at most ${maxResults} ids of ≤ ${MAX_FIELD} characters)`
        })
      }
      return Either.right(ids)
    }

    interface Window {
      readonly from: number
      readonly to: number
    }

    /** `start_date` / `end_date`: defaults and the ≤ 90 days rule. */
    const parseWindow = (
      params: Input.Params,
      now: number,
      errors: Array<Input.FieldError>
    ): Window | undefined => {
      const day = 86_400_000
      const parse = (field: "start_date" | "end_date"): number | undefined | null => {
        const raw = Input.first(params, field)
        if (raw === undefined) return undefined
        const value = Input.parseDateTime(raw, offset)
        if (value === undefined) {
          errors.push({
            field,
            message: "应为 W3C 日期时间，如 2024-03-04T09:00:00+08:00 (expected a W3C date-time)"
          })
          return null
        }
        return value
      }
      const start = parse("start_date")
      const end = parse("end_date")
      if (start === null || end === null) return undefined
      const to = end ?? (start === undefined ? now : Math.min(now, start + maxWindowDays * day))
      const from = start ?? to - maxWindowDays * day
      if (from > to) {
        errors.push({
          field: "start_date",
          message: "start_date 晚于 end_date (start_date is after end_date)"
        })
        return undefined
      }
      if (to - from > maxWindowDays * day) {
        errors.push({
          field: "end_date",
          message: `时间窗口超过 ${maxWindowDays} 天 (the start_date–end_date window exceeds ${maxWindowDays} days)`
        })
        return undefined
      }
      return { from, to }
    }

    /**
     * A page of the jurisdiction's public cases matching a query: at most
     * `size`, from the cursor `after`, newest report first, with the cursor of
     * the next page when more may follow (never a silent cap).
     */
    const scan = (
      query: CaseRepository.CaseQuery,
      keep: (s: CaseRepository.CaseSummary) => boolean,
      page: Paging
    ): Effect.Effect<
      { readonly items: ReadonlyArray<CaseRepository.CaseSummary>; readonly next: Option.Option<string> },
      StorageUnavailable
    > =>
      Effect.gen(function* () {
        const out: Array<CaseRepository.CaseSummary> = []
        let after: string | undefined = page.after
        for (;;) {
          const found = yield* repo
            .list({
              ...query,
              within: UnitId.make(jurisdictionUnit),
              limit: CaseRepository.maxPageSize,
              ...(after === undefined ? {} : { after })
            })
            .pipe(Effect.catchTag("InvalidCaseQuery", (e) => Effect.die(e)))
          for (const [i, s] of found.items.entries()) {
            if (!isPublic(s) || !keep(s)) continue
            out.push(s)
            if (out.length >= page.size) {
              const more = i < found.items.length - 1 || Option.isSome(found.next)
              return {
                items: out,
                next: more
                  ? Option.some(CaseRepository.encodeCursor(CaseRepository.pageKeyOf(s)))
                  : Option.none()
              }
            }
          }
          if (Option.isNone(found.next)) return { items: out, next: Option.none() }
          after = found.next.value
        }
      })

    /** `page_size` and `page_after` (civicgrid's paging extension): every problem is collected. */
    const parsePaging = (params: Input.Params, errors: Array<Input.FieldError>): Paging => {
      const rawSize = Input.last(params, "page_size")
      let size = maxResults
      if (rawSize !== undefined) {
        const n = Input.parseNumber(rawSize)
        if (n === undefined || !Number.isInteger(n) || n < 1 || n > maxResults) {
          errors.push({
            field: "page_size",
            message: `应为 1 至 ${maxResults} 的整数 (expected an integer from 1 to ${maxResults})`
          })
        } else size = n
      }
      const after = Input.last(params, "page_after")
      if (after !== undefined && Option.isNone(CaseRepository.decodeCursor(after))) {
        errors.push({
          field: "page_after",
          message:
            "分页游标无效，请使用上一页 Link 头中的值 (not a cursor from a previous page's Link header)"
        })
        return { size }
      }
      return after === undefined ? { size } : { size, after }
    }

    /** The `Link` header to the next page: this request's URL with `page_after` set (none on the last page). */
    const nextLink = (
      next: Option.Option<string>
    ): Effect.Effect<Readonly<Record<string, string>>, never, HttpServerRequest.HttpServerRequest> =>
      Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
        if (Option.isNone(next)) return {}
        const url = request.originalUrl
        const q = url.indexOf("?")
        const search = new URLSearchParams(q < 0 ? "" : url.slice(q + 1))
        search.set("page_after", next.value)
        return { link: `<${q < 0 ? url : url.slice(0, q)}?${search.toString()}>; rel="next"` }
      })

    const loadAll = (
      summaries: ReadonlyArray<CaseRepository.CaseSummary>
    ): Effect.Effect<ReadonlyArray<Loaded>, StorageUnavailable> =>
      Effect.map(
        Effect.forEach(summaries, (s) => loadPublic(s.caseId), { concurrency: 8 }),
        (found) => found.flatMap((o) => (Option.isSome(o) ? [o.value] : []))
      )

    // --- endpoints -----------------------------------------------------------

    const discovery = Effect.gen(function* () {
      const params = yield* queryParams
      yield* checkJurisdiction(params)
      const request = yield* HttpServerRequest.HttpServerRequest
      const host = request.headers["host"]
      const url =
        config.discovery?.url ??
        (host === undefined || !HOST.test(host) ? mountPath : `http://${host}${mountPath}`)
      return {
        root: "discovery",
        value: {
          changeset,
          contact: config.discovery?.contact ?? "",
          key_service: config.discovery?.keyService ?? defaultKeyService(config.discovery?.contact),
          endpoints: [
            {
              specification: "http://wiki.open311.org/GeoReport_v2",
              url,
              changeset,
              type: config.discovery?.type ?? "production",
              formats: ["application/json", "text/xml"]
            }
          ]
        }
      }
    })

    const services = Effect.gen(function* () {
      yield* checkJurisdiction(yield* queryParams)
      // GeoReport v2: a service answering POST with a token (not a request id) is "batch"
      const serviceType = (config.respondWith ?? "service_request_id") === "token" ? "batch" : "realtime"
      return {
        root: "services",
        value: CaseCategory.toOpen311Services(catalogue).map((service) => ({ ...service, type: serviceType }))
      }
    })

    const serviceDefinition = (code: string) =>
      Effect.gen(function* () {
        yield* checkJurisdiction(yield* queryParams)
        const minor = CaseCategory.getMinor(catalogue, code)
        if (Option.isNone(minor)) {
          return yield* Effect.fail(
            failWith(404, `service_code: 未知服务 service "${code.slice(0, 100)}" not found`)
          )
        }
        return { root: "service_definition", value: CaseCategory.toOpen311Definition(minor.value) }
      })

    const token = (value: string) =>
      Effect.gen(function* () {
        yield* checkJurisdiction(yield* queryParams)
        const found =
          value.length > MAX_FIELD || !storable(value)
            ? Option.none()
            : yield* repo.findByIdempotencyKey(tokenKey(value))
        if (Option.isNone(found)) {
          return yield* Effect.fail(failWith(404, "token: 未知令牌 token not found"))
        }
        return {
          root: "service_requests",
          value: [{ service_request_id: found.value, token: value }]
        }
      })

    const requestById = (id: string) =>
      Effect.gen(function* () {
        yield* checkJurisdiction(yield* queryParams)
        const found = id.length > MAX_FIELD ? Option.none() : yield* loadPublic(id)
        if (Option.isNone(found)) {
          return yield* Effect.fail(
            failWith(404, `service_request_id: 未找到请求 request "${id.slice(0, 100)}" not found`)
          )
        }
        const { events, state, summary } = found.value
        const view = yield* viewFor([found.value])
        return { root: "service_requests", value: [Output.requestView(state, events, summary, view)] }
      })

    const requests = Effect.gen(function* () {
      const params = yield* queryParams
      yield* checkJurisdiction(params)
      const errors: Array<Input.FieldError> = []
      let loaded: ReadonlyArray<Loaded>
      let headers: Readonly<Record<string, string>> = {}
      // a service_request_id that is sent names requests (a blank one is absent; ",,," names none: a 400)
      const requestIds = Input.all(params, "service_request_id")
      if (requestIds.length > 0 || Input.given(params, "service_request_id")) {
        // GeoReport v2: service_request_id overrides every other parameter
        const ids = parseIds(requestIds)
        if (Either.isLeft(ids))
          return yield* Effect.fail(failWith(400, `${ids.left.field}: ${ids.left.message}`))
        loaded = yield* Effect.map(Effect.forEach(ids.right, loadPublic, { concurrency: 8 }), (found) =>
          found.flatMap((o) => (Option.isSome(o) ? [o.value] : []))
        )
      } else {
        const now = DateTime.toEpochMillis(yield* DateTime.now)
        const window = parseWindow(params, now, errors)
        const paging = parsePaging(params, errors)
        // every occurrence of a list parameter applies: service_code=A&service_code=B, status=open,closed
        const codes = Input.all(params, "service_code")
        for (const code of codes) {
          if (Option.isNone(CaseCategory.getMinor(catalogue, code))) {
            errors.push({
              field: "service_code",
              message: `未知服务 service "${code.slice(0, 100)}" not found`
            })
          }
        }
        const statuses = Input.all(params, "status").map((s) => s.toLowerCase())
        for (const s of statuses) {
          if (s !== "open" && s !== "closed") {
            errors.push({ field: "status", message: `应为 open 或 closed (expected open or closed)` })
            break
          }
        }
        const bad = badFields(errors)
        if (Option.isSome(bad)) return yield* Effect.fail(bad.value)
        if (window === undefined) return yield* Effect.fail(failWith(400, "start_date: invalid window"))
        const wanted = new Set(statuses)
        const caseStatuses =
          wanted.size === 0 || wanted.size === 2
            ? undefined
            : Case.statuses.filter((s) => (Case.isOpen(s) ? wanted.has("open") : wanted.has("closed")))
        const page = yield* scan(
          {
            reportedFrom: new Date(window.from),
            reportedTo: new Date(window.to + 1),
            ...(codes.length === 0 ? {} : { categoryId: codes.map((c) => CaseCategory.CategoryId.make(c)) }),
            ...(caseStatuses === undefined ? {} : { status: caseStatuses })
          },
          () => true,
          paging
        )
        loaded = yield* loadAll(page.items)
        headers = yield* nextLink(page.next)
      }
      const view = yield* viewFor(loaded)
      return {
        root: "service_requests",
        value: loaded.map((l) => Output.requestView(l.state, l.events, l.summary, view)),
        headers
      }
    })

    const updates = Effect.gen(function* () {
      const params = yield* queryParams
      yield* checkJurisdiction(params)
      const errors: Array<Input.FieldError> = []
      let loaded: ReadonlyArray<Loaded>
      let window: Window | undefined
      let headers: Readonly<Record<string, string>> = {}
      // a service_request_id that is sent names requests (a blank one is absent; ",,," names none: a 400)
      const requestIds = Input.all(params, "service_request_id")
      if (requestIds.length > 0 || Input.given(params, "service_request_id")) {
        const ids = parseIds(requestIds)
        if (Either.isLeft(ids))
          return yield* Effect.fail(failWith(400, `${ids.left.field}: ${ids.left.message}`))
        loaded = yield* Effect.map(Effect.forEach(ids.right, loadPublic, { concurrency: 8 }), (found) =>
          found.flatMap((o) => (Option.isSome(o) ? [o.value] : []))
        )
        if (
          Input.first(params, "start_date") !== undefined ||
          Input.first(params, "end_date") !== undefined
        ) {
          window = parseWindow(params, DateTime.toEpochMillis(yield* DateTime.now), errors)
        }
      } else {
        window = parseWindow(params, DateTime.toEpochMillis(yield* DateTime.now), errors)
        const paging = parsePaging(params, errors)
        const bad = badFields(errors)
        if (Option.isSome(bad)) return yield* Effect.fail(bad.value)
        if (window === undefined) return yield* Effect.fail(failWith(400, "start_date: invalid window"))
        const from = window.from
        const page = yield* scan(
          { reportedTo: new Date(window.to + 1) },
          // a case touched in the window: a step, or a comment (which leaves updatedAt alone)
          (s) =>
            Math.max(
              DateTime.toEpochMillis(s.updatedAt),
              s.commentedAt === null ? 0 : DateTime.toEpochMillis(s.commentedAt)
            ) >= from,
          paging
        )
        loaded = yield* loadAll(page.items)
        headers = yield* nextLink(page.next)
      }
      const bad = badFields(errors)
      if (Option.isSome(bad)) return yield* Effect.fail(bad.value)
      const inWindow = (event: CaseEvent): boolean => {
        if (window === undefined) return true
        const t = DateTime.toEpochMillis(event.at)
        return t >= window.from && t <= window.to
      }
      const view = yield* viewFor(loaded)
      const value = loaded.flatMap((l) => {
        const keep = new Set(l.events.filter(inWindow).map((e) => `${e.caseId}-${e.sequence}`))
        return Output.updatesOf(l.events, view).filter((u) => keep.has(u.update_id))
      })
      return { root: "service_requests_updates", value, headers }
    })

    /**
     * A signed form post (`POST requests`, `POST servicerequestupdates`): the
     * body read within the limit, the api_key verified (rate-limited), the
     * jurisdiction checked, only a form body read as a form. Body values come
     * after query values; the last occurrence of a single-valued field wins.
     */
    const signedForm = Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      // a declared oversized body is refused unread: reading it past the limit would reset the connection
      const declared = Number(request.headers["content-length"] ?? "0")
      if (declared > MAX_BODY) {
        return yield* Effect.fail(
          failWith(413, `body: 请求体超过 ${MAX_BODY / 1024} KiB (the body exceeds ${MAX_BODY / 1024} KiB)`)
        )
      }
      const text = yield* request.text.pipe(
        HttpIncomingMessage.withMaxBodySize(Option.some(MAX_BODY)),
        Effect.mapError(() =>
          failWith(
            400,
            `body: 无法读取请求体 (the body could not be read, or exceeds ${MAX_BODY / 1024} KiB)`
          )
        )
      )
      // only a form body is read as a form: other bytes are never reinterpreted as one
      const isForm = mediaTypeOf(request.headers["content-type"]) === FORM
      const body: ReadonlyArray<readonly [string, string]> = isForm ? [...new URLSearchParams(text)] : []
      const query = yield* queryParams
      const params = Input.paramsOf([
        ...[...query].flatMap(([k, vs]) => vs.map((v): readonly [string, string] => [k, v])),
        ...body
      ])
      const field = (name: string): string | undefined => Input.last(params, name)
      const apiKey = field("api_key")
      if (apiKey === undefined)
        return yield* Effect.fail(failWith(403, "api_key: 缺少 api_key (api_key is required)"))
      const client = yield* Authorization.limited(authFailures, apiKeys.verify(apiKey)).pipe(
        Effect.catchTag("TooManyRequests", (e) =>
          Effect.fail(
            new Open311Error({
              status: 429,
              descriptions: [`api_key: ${e.message}`],
              retryAfterSeconds: e.retryAfterSeconds
            })
          )
        )
      )
      if (Option.isNone(client))
        return yield* Effect.fail(failWith(403, "api_key: 无效的 api_key (invalid api_key)"))
      const given = field("jurisdiction_id")
      if (given !== undefined && given !== jurisdictionId) {
        return yield* Effect.fail(
          failWith(404, `jurisdiction_id: 未知辖区 jurisdiction "${given.slice(0, 100)}" not found`)
        )
      }
      if (!isForm && text.length > 0) {
        return yield* Effect.fail(
          failWith(415, `body: 请求体应为 ${FORM} (expected a form-encoded body with Content-Type: ${FORM})`)
        )
      }
      return { params, field, client: client.value }
    })

    const postRequest = Effect.gen(function* () {
      const { client, field, params } = yield* signedForm

      const errors: Array<Input.FieldError> = []
      // fields kept in the case are held to the core's limits (Text): the same rule as every entry point
      const stored: ReadonlyArray<readonly [string, Schema.Schema<string>]> = [
        ["first_name", Text.Name],
        ["last_name", Text.Name],
        ["phone", Text.Phone],
        ["address_id", Text.Id],
        ["address_string", Text.Address],
        ["description", Text.Description]
      ]
      for (const [name, schema] of stored) {
        const v = field(name)
        const message = v === undefined ? undefined : violation(schema, v)
        if (message !== undefined) errors.push({ field: name, message })
      }
      // the name kept: 姓名 as one text, held to the same limit
      const first = field("first_name")
      const last = field("last_name")
      const name = fullName(first, last)
      if (name !== undefined && first !== undefined && last !== undefined) {
        const message = violation(Text.Name, name)
        if (message !== undefined) errors.push({ field: "first_name, last_name", message })
      }
      // fields read but not kept (e-mail is not stored; device and account ids are not used)
      for (const name of ["email", "device_id", "account_id"]) {
        const v = field(name)
        if (v !== undefined && Input.codePoints(v) > MAX_FIELD) {
          errors.push({ field: name, message: `不超过 ${MAX_FIELD} 字符 (at most ${MAX_FIELD} characters)` })
        }
      }
      // 精确公开 — the reporter's consent to publish the exact position and full address
      const publishExactRaw = field("publish_exact")
      const publishExact = publishExactRaw === undefined ? undefined : Input.parseBoolean(publishExactRaw)
      if (publishExactRaw !== undefined && publishExact === undefined) {
        errors.push({
          field: "publish_exact",
          message: "应为 true 或 false (expected true or false)"
        })
      }
      // service
      const serviceCode = field("service_code")
      let minor: CaseCategory.MinorClass | undefined
      if (serviceCode === undefined) {
        errors.push({ field: "service_code", message: "缺少 service_code (service_code is required)" })
      } else {
        const found = CaseCategory.getMinor(catalogue, serviceCode)
        // GeoReport v2: "404 - service_code or service_request_id not found"
        if (Option.isNone(found)) {
          return yield* Effect.fail(
            failWith(404, `service_code: 未知服务 service "${serviceCode.slice(0, 100)}" not found`)
          )
        }
        minor = found.value
      }
      // location
      const latRaw = field("lat")
      const longRaw = field("long")
      const addressString = field("address_string")
      const addressId = field("address_id")
      let position: Position | undefined
      if (latRaw !== undefined || longRaw !== undefined) {
        const lat = latRaw === undefined ? undefined : Input.parseNumber(latRaw)
        const long = longRaw === undefined ? undefined : Input.parseNumber(longRaw)
        if (lat === undefined || lat < -90 || lat > 90) {
          errors.push({ field: "lat", message: "应为 -90 至 90 的纬度 (expected a latitude from -90 to 90)" })
        }
        if (long === undefined || long < -180 || long > 180) {
          errors.push({
            field: "long",
            message: "应为 -180 至 180 的经度 (expected a longitude from -180 to 180)"
          })
        }
        if (lat !== undefined && long !== undefined) position = [long, lat]
      }
      if (
        latRaw === undefined &&
        longRaw === undefined &&
        addressString === undefined &&
        addressId === undefined
      ) {
        errors.push({
          field: "location",
          message:
            "需要 lat 和 long、address_string 或 address_id (lat & long, address_string or address_id is required)"
        })
      }
      const description = field("description")
      // 附件 — media_url (one, or several): each an http(s) URL, at most Case.maxMedia
      const media = Input.all(params, "media_url")
      errors.push(...mediaErrors(media))
      // attributes
      const attrs = Input.attributesOf(params)
      errors.push(...attrs.errors)
      let attributes: Readonly<Record<string, CaseCategory.AttributeValue>> = {}
      if (minor !== undefined) {
        // attributes the service does not list (a client's own, e.g. FixMyStreet's title or report_url) are kept, never refused
        const checked = CaseCategory.validateAttributes(minor, attrs.values, { unknown: "keep" })
        if (Either.isLeft(checked)) {
          for (const v of checked.left.violations) {
            errors.push({
              field: `attribute[${v.attribute.slice(0, 100)}]`,
              message: `${v.rule}: ${v.message}`
            })
          }
        } else attributes = checked.right
      }
      const bad = badFields(errors)
      if (Option.isSome(bad) || minor === undefined) {
        return yield* Effect.fail(Option.getOrElse(bad, () => failWith(400, "service_code: invalid")))
      }

      // locate: a point is routed by the grids; an address_id that is a unit of the hierarchy, or else
      // the unit an address_string is geocoded to, places the report where there is no point or the
      // point lies in no grid (Routing's addressUnitId); any address_id is kept verbatim with the case
      const routing = yield* routingInput
      const addressUnit = addressId !== undefined && Hierarchy.has(routing.hierarchy, addressId)
      let location: Routing.RouteLocation = position === undefined ? {} : { position }
      if (addressUnit) {
        location = position === undefined ? { unitId: addressId } : { ...location, addressUnitId: addressId }
      } else if (addressString !== undefined) {
        const geocoded = config.geocode
          ? yield* config.geocode(addressString)
          : geocodeByUnitName(routing.hierarchy)(addressString)
        if (Option.isSome(geocoded)) {
          const found = geocoded.value
          location = {
            ...location,
            ...(found.unitId === undefined ? {} : { addressUnitId: found.unitId }),
            ...(position !== undefined || found.position === undefined ? {} : { position: found.position }),
            ...(position !== undefined || found.gridId === undefined ? {} : { gridId: found.gridId })
          }
        } else if (position === undefined) {
          return yield* Effect.fail(
            failWith(
              400,
              "address_string: 无法定位该地址，请提供 lat 和 long (the address could not be located; send lat and long)"
            )
          )
        }
      }
      if (
        location.position === undefined &&
        location.unitId === undefined &&
        location.gridId === undefined &&
        location.addressUnitId === undefined
      ) {
        return yield* Effect.fail(
          failWith(
            400,
            "address_id: 未知的地址编码，请提供 lat 和 long 或 address_string (an address_id this server does not know; send lat and long or address_string)"
          )
        )
      }

      // contact (kept for the return visit; never published)
      const phone = field("phone")
      const contact: Case.Contact = {
        ...(name === undefined ? {} : { name }),
        ...(phone === undefined ? {} : { phone })
      }
      const anonymous = name === undefined && phone === undefined

      const tokenValue = yield* newToken
      const executed = yield* CaseService.report(
        {
          caseId: yield* newCaseId,
          actor: {
            id: ActorId.make(`open311:${client.id}`),
            role: "resident",
            unitId: UnitId.make(jurisdictionUnit)
          },
          at: yield* DateTime.now,
          source: "open311",
          categoryId: minor.id,
          description: description ?? minor.name,
          location: {
            ...location,
            ...(addressString === undefined ? {} : { address: addressString }),
            ...(addressId === undefined ? {} : { addressId })
          },
          ...(media.length === 0 ? {} : { media }),
          within: jurisdictionUnit,
          ...(anonymous ? {} : { contact }),
          anonymous,
          ...(publishExact === undefined ? {} : { publishExact }),
          attributes
        },
        { idempotencyKey: tokenKey(tokenValue) }
      ).pipe(
        Effect.provide(useCases),
        Effect.catchTags({
          RoutingFailed: (e) =>
            Effect.fail(failWith(400, `${fieldOfRouting[e.field]}: ${e.rule}: ${e.detail}`)),
          CaseRefused: (e) => Effect.fail(refusedBy(e)),
          ConcurrencyConflict: () =>
            Effect.fail(failWith(409, "service_request_id: 并发冲突 conflict, retry"))
        })
      )
      const notice = config.serviceNotice ?? null
      const respondWith = config.respondWith ?? "service_request_id"
      return {
        root: "service_requests",
        status: 201,
        value: [
          respondWith === "token"
            ? { token: tokenValue, service_notice: notice, account_id: null }
            : { service_request_id: executed.after.id, service_notice: notice, account_id: null }
        ]
      }
    })

    /**
     * 评论回传 — `POST servicerequestupdates` as FixMyStreet's
     * `post_service_request_update` sends it: a public comment on the case
     * from the client (`CaseService.execute` with the core's `Comment`
     * command, actor `open311:<client>`). `description` is the text (the
     * core's note limit), `media_url` its media; `status`, `update_id`,
     * `updated_datetime` and the author's names and e-mail are the client's
     * own and are not kept (a comment never changes the case's status; staff
     * do). The same comment posted again by the same client answers with the
     * first one's `update_id` (a client retrying after a lost answer adds
     * nothing).
     */
    const postUpdate = Effect.gen(function* () {
      const { client, field, params } = yield* signedForm
      const errors: Array<Input.FieldError> = []
      const caseId = field("service_request_id")
      if (caseId === undefined)
        errors.push({
          field: "service_request_id",
          message: "缺少 service_request_id (service_request_id is required)"
        })
      const description = field("description")
      if (description === undefined)
        errors.push({ field: "description", message: "缺少 description (description is required)" })
      else {
        const message = violation(Text.Note, description)
        if (message !== undefined) errors.push({ field: "description", message })
      }
      const media = Input.all(params, "media_url")
      errors.push(...mediaErrors(media))
      // the client's own fields, read but not kept: held to a bound all the same
      for (const name of ["update_id", "status", "updated_datetime", "email", "first_name", "last_name"]) {
        const v = field(name)
        if (v !== undefined && Input.codePoints(v) > MAX_FIELD)
          errors.push({ field: name, message: `不超过 ${MAX_FIELD} 字符 (at most ${MAX_FIELD} characters)` })
      }
      const bad = badFields(errors)
      if (Option.isSome(bad) || caseId === undefined || description === undefined)
        return yield* Effect.fail(Option.getOrElse(bad, () => failWith(400, "description: invalid")))
      const target = caseId.length > MAX_FIELD ? Option.none() : yield* summaryOf(caseId)
      if (Option.isNone(target) || !isPublic(target.value))
        return yield* Effect.fail(
          failWith(404, `service_request_id: 未找到请求 request "${caseId.slice(0, 100)}" not found`)
        )
      const actorId = ActorId.make(`open311:${client.id}`)
      const sameComment = (e: CaseEvent): boolean =>
        e._tag === "Commented" &&
        e.actor.id === actorId &&
        e.text === description &&
        (e.media ?? []).join("\n") === media.join("\n")
      const posted = yield* Effect.gen(function* () {
        const history = yield* repo.events(caseId)
        const earlier = history.find(sameComment)
        if (earlier !== undefined) return earlier
        const at = yield* DateTime.now
        const executed = yield* CaseService.execute(caseId, (ctx) => ({
          _tag: "Comment" as const,
          caseId: ctx.state.id,
          actor: { id: actorId, role: "resident" as const, unitId: UnitId.make(jurisdictionUnit) },
          at,
          text: description,
          visibility: "public" as const,
          ...(media.length === 0 ? {} : { media: media.map((u) => Case.MediaUrl.make(u)) })
        }))
        const event = executed.events.find(sameComment)
        return event ?? executed.events[0]
      }).pipe(
        Effect.provide(useCases),
        // comments commute: a writer that lost the race reads again and appends after
        Effect.retry({ times: 3, while: (e) => e._tag === "ConcurrencyConflict" }),
        Effect.catchTags({
          CaseNotFound: () =>
            Effect.fail(
              failWith(404, `service_request_id: 未找到请求 request "${caseId.slice(0, 100)}" not found`)
            ),
          CaseRefused: (e) => Effect.fail(refusedBy(e)),
          ConcurrencyConflict: () =>
            Effect.fail(failWith(409, "service_request_id: 并发冲突 conflict, retry"))
        })
      )
      if (posted === undefined) return yield* Effect.die(new Error("a comment appended no event"))
      return {
        root: "service_requests_updates",
        value: [{ update_id: `${posted.caseId}-${posted.sequence}`, account_id: null }]
      }
    })

    // --- wiring ------------------------------------------------------------------

    // wildcards, not `:param`: the router refuses a `:param` longer than 100 characters outright
    const withFile = (
      f: (
        name: string
      ) => Effect.Effect<Reply, Open311Error | StorageUnavailable, HttpServerRequest.ParsedSearchParams>
    ) =>
      Effect.flatMap(HttpRouter.params, (ps) => {
        const file = ps["*"] ?? ""
        const parsed = splitFormat(file)
        return parsed === undefined
          ? Effect.succeed(
              errorResponse(
                file.endsWith(".xml") ? "xml" : "json",
                failWith(404, "format: 请使用 .json 或 .xml 后缀 (use a .json or .xml suffix)")
              )
            )
          : run(parsed.format, f(parsed.name))()
      })

    let r: HttpRouter.HttpRouter = HttpRouter.empty
    for (const format of ["json", "xml"] as const) {
      r = r.pipe(
        HttpRouter.get(`/discovery.${format}`, run(format, discovery)()),
        HttpRouter.get(`/services.${format}`, run(format, services)()),
        HttpRouter.get(`/requests.${format}`, run(format, requests)()),
        HttpRouter.post(`/requests.${format}`, run(format, postRequest)()),
        HttpRouter.get(`/servicerequestupdates.${format}`, run(format, updates)()),
        HttpRouter.post(`/servicerequestupdates.${format}`, run(format, postUpdate)())
      )
    }
    const unknownEndpoint = Effect.flatMap(HttpServerRequest.HttpServerRequest, (req) =>
      Effect.succeed(
        errorResponse(
          req.url.split("?")[0]?.endsWith(".xml") ? "xml" : "json",
          failWith(404, "endpoint: 未知接口 no such Open311 endpoint or method")
        )
      )
    )
    r = r.pipe(
      HttpRouter.get("/services/*", withFile(serviceDefinition)),
      HttpRouter.get("/requests/*", withFile(requestById)),
      HttpRouter.get("/tokens/*", withFile(token))
    )
    // the catch-all takes every method but HEAD: a HEAD falls back to the GET routes (and to the
    // GET catch-all), as the router does for any GET route, instead of always being a 404
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const) {
      r = r.pipe(HttpRouter.route(method)("/*", unknownEndpoint))
    }
    return r
  })

/**
 * 兜底 — an `HttpApiBuilder` middleware answering, in the Open311 error
 * format, the requests under `mountPath` that no route of the server takes:
 * a path that is not valid percent-encoded UTF-8 (`%ZZ`, `%FF`, a truncated
 * sequence: a 400) or a method the router does not know (a 404). The router
 * cannot look such a request up at all, so Open311's own catch-all never sees
 * it and the server's bare 404 would answer instead.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middlewareNotFound =
  (mountPath: string): HttpApiBuilder.MiddlewareFn<never> =>
  (app) =>
    Effect.catchAllCause(app, (cause) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        const path = pathOf(request.url)
        const under = path === mountPath || path.startsWith(`${mountPath}/`)
        if (!under || !Predicate.isTagged(Cause.squash(cause), "RouteNotFound"))
          return Effect.failCause(cause)
        const undecodable = Either.isLeft(Either.try(() => decodeURI(path)))
        return Effect.succeed(
          errorResponse(
            path.endsWith(".xml") ? "xml" : "json",
            undecodable
              ? failWith(400, "path: 路径编码无效 (the path is not valid percent-encoded UTF-8)")
              : failWith(404, "endpoint: 未知接口 no such Open311 endpoint or method")
          )
        )
      })
    )

/**
 * 跨域 — the CORS middleware of `config.cors` (default: any origin; `false`:
 * the app unchanged) for a router mounted by hand; `layer` applies it. A
 * preflight `OPTIONS` is answered with 204 and the allowed methods and
 * headers; every other answer carries `Access-Control-Allow-Origin`.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middlewareCors = (config: Pick<Config, "cors">) => {
  const cors = config.cors ?? { allowedOrigins: ["*"] }
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    cors === false
      ? app
      : HttpMiddleware.cors({
          // an empty list or "*" answers `Access-Control-Allow-Origin: *`
          allowedOrigins: cors.allowedOrigins.includes("*") ? [] : cors.allowedOrigins,
          allowedMethods: ["GET", "HEAD", "POST", "OPTIONS"],
          allowedHeaders: ["content-type", "accept"],
          exposedHeaders: ["link", "retry-after"],
          maxAge: cors.maxAgeSeconds ?? 86_400
        })(app)
}

/**
 * The Open311 endpoints as a layer of the `HttpApiBuilder` server: mounts
 * `router(config)` at `config.path` (default `/open311/v2`) on
 * `HttpApiBuilder.Router`, next to the HttpApi's own routes, with CORS
 * (`middlewareCors`, `config.cors`) and `middlewareNotFound` so that every
 * request under the path is answered in the Open311 format.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  config: Config
): Layer.Layer<
  never,
  never,
  CaseRepository.CaseRepository | HierarchyRepository | DepartmentRepository | CaseService.Settings | ApiKeys
> =>
  Layer.merge(
    HttpApiBuilder.Router.use((r) =>
      Effect.flatMap(router(config), (open311) =>
        r.mountApp(config.path ?? "/open311/v2", middlewareCors(config)(open311))
      )
    ),
    HttpApiBuilder.middleware(middlewareNotFound(config.path ?? "/open311/v2"))
  )
