/**
 * 错误响应 — every error of the JSON API answers with a JSON body
 * `{ _tag, message, field?, rule? }`: a bilingual message (中文 English)
 * naming the field and the rule broken in plain words.
 * The contract's own errors (`NotFound`, `Refused` …) already have one; this
 * module covers what the platform answers by itself:
 *
 * - a request failing its schema (`HttpApiDecodeError`, 400): re-phrased from
 *   its issues (`ParseResult.ArrayFormatter`: path → `field`, the failing
 *   refinement's message — the core's `Text` schemas phrase theirs
 *   bilingually with `(rule …)` — → `message` and `rule`), never the schema's
 *   type text;
 * - a body that is not JSON (`rule: "malformed-json"`) — a body starting with
 *   a byte-order mark included: JSON (RFC 8259 §8.1) forbids one, so it is
 *   refused, not stripped (`rule: "json-bom"`);
 * - a path no route takes (404, `rule: "unknown-endpoint"`), a method the path
 *   does not take (405, `rule: "method-not-allowed"`), a path that is not
 *   valid percent-encoded UTF-8 (400, `rule: "path-encoding"`);
 * - `StorageUnavailable` (the core's `Storage`), failed or died with: 503
 *   with `Retry-After`;
 * - `TooManyRequests` (failed authentication): 429 with `Retry-After`;
 * - any other defect: logged with its cause (`Effect.logError`), then a 500
 *   `InternalError` (the cause is not sent).
 *
 * `middleware` does all of it, as an `HttpApiBuilder` middleware; requests
 * under the `passThrough` prefixes (Open311, which answers in its own error
 * format) are left alone.
 *
 * @since 0.1.0
 */
import { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import { TooManyRequests } from "./Authorization.js"

/**
 * 问题字段 — one bad field of a request: where (`field`, a dotted path; empty
 * for the whole value), which rule, and a bilingual message.
 *
 * @since 0.1.0
 * @category models
 */
export interface FieldIssue {
  readonly field: string
  readonly rule: string
  readonly message: string
}

/**
 * 错误体 — the JSON body of an error answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Body {
  readonly _tag: string
  readonly message: string
  readonly field?: string
  readonly rule?: string
  readonly [key: string]: unknown
}

const hasChinese = /[\u3400-\u9fff]/
const ruleIn = /\(rule ([A-Za-z0-9-]+)\)/

const plain: Readonly<Record<string, string>> = {
  required: "缺少字段 the field is required",
  "unknown-field": "未知字段 the field is not part of this request",
  type: "类型不符 the value has the wrong type",
  invalid: "取值无效 the value is not valid",
  forbidden: "取值无效 the value cannot be checked"
}

/**
 * The rule of a schema issue: the `(rule …)` its message names, else one
 * from the kind of issue (`required`, `unknown-field`, `type`, `invalid`).
 *
 * @since 0.1.0
 * @category utils
 */
export const ruleOf = (issue: { readonly _tag: string; readonly message: string }): string => {
  const named = ruleIn.exec(issue.message)?.[1]
  if (named !== undefined) return named
  switch (issue._tag) {
    case "Missing":
      return "required"
    case "Unexpected":
      return "unknown-field"
    case "Type":
      return "type"
    case "Forbidden":
      return "forbidden"
    default:
      return "invalid"
  }
}

/** An English message of the platform's own that is short and names no schema type. */
const isPlainEnglish = (message: string): boolean =>
  message.length <= 120 && !/[{}|]|readonly|=>/.test(message)

/**
 * One schema issue (as `ParseResult.ArrayFormatter` gives it) in plain words.
 *
 * @since 0.1.0
 * @category utils
 */
export const fieldIssue = (issue: {
  readonly _tag: string
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}): FieldIssue => {
  const rule = ruleOf(issue)
  const field = issue.path.map(String).join(".")
  const words = plain[rule] ?? "取值无效 the value is not valid"
  const message = hasChinese.test(issue.message)
    ? issue.message
    : isPlainEnglish(issue.message) && issue._tag !== "Missing" && issue._tag !== "Unexpected"
      ? `${words}: ${issue.message}`
      : words
  return { field, rule, message }
}

/**
 * 请求无效 — the body of a 400 for a request that fails its schema: the first
 * bad field and its rule on top, every bad field in `issues` (each with its
 * `path`, as the platform's `HttpApiDecodeError` has it, so typed clients
 * still decode it).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromIssues = (
  issues: ReadonlyArray<{
    readonly _tag: string
    readonly path: ReadonlyArray<PropertyKey>
    readonly message: string
  }>
): Body => {
  const phrased = issues.map((issue) => ({ ...fieldIssue(issue), _tag: issue._tag, path: issue.path }))
  const first = phrased[0]
  if (first === undefined) {
    return {
      _tag: "HttpApiDecodeError",
      message: "请求无效 the request does not match the API",
      rule: "invalid",
      issues: []
    }
  }
  const more = phrased.length > 1 ? `; 另有 ${phrased.length - 1} 处 and ${phrased.length - 1} more` : ""
  return {
    _tag: "HttpApiDecodeError",
    message: `请求无效 invalid request — ${first.field === "" ? "(value)" : first.field}: ${first.message}${more}`,
    field: first.field,
    rule: first.rule,
    issues: phrased.map((i) => ({
      _tag: i._tag,
      path: i.path.map(String),
      field: i.field,
      rule: i.rule,
      message: i.message
    }))
  }
}

/**
 * A JSON error answer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const respond = (
  status: number,
  body: Body,
  headers: Record<string, string> = {}
): HttpServerResponse.HttpServerResponse => HttpServerResponse.unsafeJson(body, { status, headers })

const pathOf = (url: string): string => {
  const q = url.indexOf("?")
  return q === -1 ? url : url.slice(0, q)
}

/**
 * Options of `middleware`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Path prefixes left to their own error format (default `["/open311"]`). */
  readonly passThrough?: ReadonlyArray<string>
  /**
   * The routes of the JSON API as `[method, path template]` (`/cases/:caseId`),
   * to tell an unknown method on a known path (405) from an unknown path (404).
   */
  readonly routes?: ReadonlyArray<readonly [string, string]>
}

/**
 * 路径参数上限 — the longest path parameter the router takes (find-my-way's
 * `maxParamLength`); a longer one is a 400 naming the parameter.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPathParam = 100

const templateMatches = (template: string, path: string): boolean => {
  const t = template.split("/")
  const p = path.split("/")
  return t.length === p.length && t.every((segment, i) => segment.startsWith(":") || segment === p[i])
}

const isStorageUnavailable = (u: unknown): u is StorageUnavailable =>
  u instanceof StorageUnavailable ||
  (Predicate.isTagged(u, "StorageUnavailable") &&
    Predicate.hasProperty(u, "retryAfterSeconds") &&
    typeof u.retryAfterSeconds === "number")

/**
 * 存储不可用 — the 503 of `StorageUnavailable`, with `Retry-After`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const storageUnavailable = (error: {
  readonly reason: string
  readonly retryAfterSeconds: number
  readonly message: string
}): HttpServerResponse.HttpServerResponse =>
  respond(
    503,
    {
      _tag: "StorageUnavailable",
      reason: error.reason,
      retryAfterSeconds: error.retryAfterSeconds,
      message: error.message,
      rule: "storage-unavailable"
    },
    { "retry-after": String(Math.max(1, Math.ceil(error.retryAfterSeconds))) }
  )

const routeNotFound = (
  request: HttpServerRequest.HttpServerRequest,
  path: string,
  routes: ReadonlyArray<readonly [string, string]>
): HttpServerResponse.HttpServerResponse => {
  let decoded = true
  try {
    decodeURIComponent(path)
  } catch {
    decoded = false
  }
  if (!decoded) {
    return respond(400, {
      _tag: "InvalidRequest",
      field: "path",
      rule: "path-encoding",
      message: "路径编码无效 the path is not valid percent-encoded UTF-8"
    })
  }
  const matching = routes.filter(([, template]) => templateMatches(template, path))
  // the router refuses a path parameter longer than its limit (find-my-way: 100 characters) before
  // any schema sees it: the route is known, the segment is too long
  const same = matching.find(([m]) => m === request.method)
  if (same !== undefined) {
    const t = same[1].split("/")
    const p = path.split("/")
    const k = t.findIndex((segment, i) => segment.startsWith(":") && (p[i] ?? "").length > maxPathParam)
    const field = k === -1 ? "path" : (t[k] ?? ":path").slice(1)
    return respond(400, {
      _tag: "InvalidRequest",
      field,
      rule: "max-length",
      message: `路径参数过长 path parameter ${field} too long: at most ${maxPathParam} characters (rule max-length)`
    })
  }
  const allowed = [...new Set(matching.map(([m]) => m))]
  if (allowed.length > 0) {
    return respond(
      405,
      {
        _tag: "MethodNotAllowed",
        field: "method",
        rule: "method-not-allowed",
        message: `不支持的方法 method not allowed: ${request.method} is not allowed on ${path}; allowed: ${allowed.join(", ")}`
      },
      { allow: allowed.join(", ") }
    )
  }
  return respond(404, {
    _tag: "NotFound",
    resource: "endpoint",
    field: "path",
    rule: "unknown-endpoint",
    message: `无此接口 no such endpoint: ${request.method} ${path}`
  })
}

const bodyError = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<Body> =>
  Effect.map(Effect.either(request.text), (text) =>
    text._tag === "Right" && text.right.charCodeAt(0) === 0xfeff
      ? {
          _tag: "InvalidRequest",
          field: "body",
          rule: "json-bom",
          message:
            "请求体以字节顺序标记开头 the body starts with a byte-order mark (U+FEFF): JSON may not carry one (RFC 8259 §8.1); send it without"
        }
      : {
          _tag: "InvalidRequest",
          field: "body",
          rule: "malformed-json",
          message: "请求体不是合法 JSON the body is not valid JSON (application/json, UTF-8)"
        }
  )

/**
 * 错误响应中间件 — the `HttpApiBuilder` middleware answering every error of
 * the JSON API with a JSON body (see the module note).
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware =
  (options: Options = {}): HttpApiBuilder.MiddlewareFn<never> =>
  (app) => {
    const passThrough = options.passThrough ?? ["/open311"]
    const routes = options.routes ?? []
    return Effect.catchAllCause(app, (cause) =>
      Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
        const path = pathOf(request.url)
        if (passThrough.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)))
          return Effect.failCause(cause)
        const failure = Cause.failureOption(cause)
        const defect = Cause.dieOption(cause)
        const error: unknown = Option.isSome(failure)
          ? failure.value
          : Option.isSome(defect)
            ? defect.value
            : undefined
        if (isStorageUnavailable(error)) {
          return Effect.as(
            Effect.logWarning("存储不可用 storage unavailable", error.message),
            storageUnavailable(error)
          )
        }
        // the platform reads a body with `orDie`: a body that cannot be read or parsed is a defect
        if (Predicate.isTagged(error, "RequestError")) {
          return Effect.map(bodyError(request), (body) => respond(400, body))
        }
        if (Option.isSome(failure)) {
          const value: unknown = failure.value
          if (value instanceof HttpApiDecodeError)
            return Effect.succeed(respond(400, fromIssues(value.issues)))
          if (value instanceof TooManyRequests) {
            return Effect.succeed(
              respond(
                429,
                {
                  _tag: value._tag,
                  rule: value.rule,
                  retryAfterSeconds: value.retryAfterSeconds,
                  message: value.message
                },
                { "retry-after": String(value.retryAfterSeconds) }
              )
            )
          }
          if (Predicate.isTagged(value, "RouteNotFound"))
            return Effect.succeed(routeNotFound(request, path, routes))
          return Effect.failCause(cause)
        }
        if (Option.isSome(defect)) {
          return Effect.as(
            Effect.logError(`服务器内部错误 internal error on ${request.method} ${path}`, cause),
            respond(500, {
              _tag: "InternalError",
              rule: "internal-error",
              message:
                "服务器内部错误 internal server error: the server logged the cause; nothing you sent explains it"
            })
          )
        }
        return Effect.failCause(cause)
      })
    )
  }
