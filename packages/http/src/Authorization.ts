/**
 * 身份认证 — bearer tokens to principals. The `Authorization` middleware reads
 * `Authorization: Bearer <token>` (OpenAPI security scheme `bearer`) and asks
 * the pluggable `TokenVerifier` who it belongs to; an unknown, missing or
 * malformed token is a 401 `Unauthorized`. Apps provide their own verifier:
 * `layerMemory` is the reference one for tests and demos; `layerLookup` turns
 * any key store's lookup (token → plain principal data) into a verifier, e.g.
 * the hashed API keys of `@civicgrid/sql`:
 *
 * ```ts
 * Authorization.layerLookup(SqlApiKeys.bearerLookup) // Layer<TokenVerifier, never, SqlClient>
 * ```
 *
 * The HTTP package itself depends on no store.
 *
 * **Failed authentication is rate-limited** per client address: after
 * `maxFailures` failures (default 20) within `window`
 * (default one minute) an address is answered 429 `TooManyRequests` with
 * `Retry-After` until the window ends — before its token is even checked. The
 * table lives in memory and is bounded (`maxAddresses`, default 10,000: when
 * full, expired entries are swept, then the oldest address is dropped), so
 * spraying addresses cannot exhaust memory. A success does not reset the
 * count (a valid token does not launder guesses). Configure with
 * `layerRateLimit`; `layer` uses the defaults. The address is the request's
 * `remoteAddress`: behind a reverse proxy every client shares the proxy's,
 * so set it from the proxy's header first (`HttpMiddleware.xForwardedHeaders`
 * as the server's middleware), or one client's failures lock out all.
 *
 * @since 0.1.0
 */

import type * as RoleTable from "@civicgrid/core/RoleTable"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import {
  CurrentPrincipal,
  CurrentRoleTable,
  type Principal,
  validate as validatePrincipal
} from "./Principal.js"

/**
 * 未认证 — no valid bearer token.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 401, description: "未认证 missing or invalid bearer token" })
) {}

/**
 * 请求过于频繁 — too many failed authentications from this client address:
 * try again after `retryAfterSeconds` (also the `Retry-After` header).
 *
 * @since 0.1.0
 * @category errors
 */
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()(
  "TooManyRequests",
  {
    rule: Schema.Literal("auth-rate-limit"),
    retryAfterSeconds: Schema.Int,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 429,
    description:
      "认证失败过多 too many failed authentications from your address; retry after `Retry-After` seconds"
  })
) {}

/**
 * 认证限流设置 — the failed-authentication limit.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitOptions {
  /** Failures allowed per address within the window (default 20). */
  readonly maxFailures?: number
  /** The window, in milliseconds (default 60,000). */
  readonly windowMillis?: number
  /** The most addresses tracked at once (default 10,000). */
  readonly maxAddresses?: number
}

/**
 * 认证失败计数 — an in-memory, bounded table of failed authentications per
 * client address.
 *
 * @since 0.1.0
 * @category models
 */
export interface FailureTable {
  /** Seconds until the address may try again, or 0 when it may now. */
  readonly blockedFor: (address: string, now: number) => number
  /** Records a failure of the address. */
  readonly fail: (address: string, now: number) => void
  /** How many addresses are tracked (for tests). */
  readonly size: () => number
}

/**
 * A bounded failure table (see the module note).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeFailureTable = (options: RateLimitOptions = {}): FailureTable => {
  const maxFailures = options.maxFailures ?? 20
  const windowMillis = options.windowMillis ?? 60_000
  const maxAddresses = options.maxAddresses ?? 10_000
  // insertion order = age: a Map iterates oldest first
  const entries = new Map<string, { start: number; count: number }>()
  const live = (address: string, now: number) => {
    const entry = entries.get(address)
    if (entry === undefined) return undefined
    if (now - entry.start >= windowMillis) {
      entries.delete(address)
      return undefined
    }
    return entry
  }
  return {
    blockedFor: (address, now) => {
      const entry = live(address, now)
      return entry === undefined || entry.count < maxFailures
        ? 0
        : Math.max(1, Math.ceil((entry.start + windowMillis - now) / 1000))
    },
    fail: (address, now) => {
      const entry = live(address, now)
      if (entry !== undefined) {
        entry.count++
        return
      }
      if (entries.size >= maxAddresses) {
        for (const [key, value] of entries) if (now - value.start >= windowMillis) entries.delete(key)
        while (entries.size >= maxAddresses) {
          const oldest = entries.keys().next()
          if (oldest.done === true) break
          entries.delete(oldest.value)
        }
      }
      entries.set(address, { start: now, count: 1 })
    },
    size: () => entries.size
  }
}

/**
 * 认证限流 — the failure table the `Authorization` middleware counts in.
 *
 * @since 0.1.0
 * @category tags
 */
export class AuthRateLimit extends Context.Tag("@civicgrid/http/AuthRateLimit")<
  AuthRateLimit,
  FailureTable
>() {}

/**
 * The failure table with the given limits.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerRateLimit = (options: RateLimitOptions = {}): Layer.Layer<AuthRateLimit> =>
  Layer.sync(AuthRateLimit, () => makeFailureTable(options))

/**
 * 令牌校验 — the pluggable verifier: the principal a token belongs to, or none.
 * A verifier never fails: a store outage is a defect (500), not a 401.
 *
 * @since 0.1.0
 * @category tags
 */
export class TokenVerifier extends Context.Tag("@civicgrid/http/TokenVerifier")<
  TokenVerifier,
  {
    readonly verify: (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<Principal>>
  }
>() {}

/**
 * 认证中间件 — bearer security that provides `CurrentPrincipal`.
 *
 * @since 0.1.0
 * @category middleware
 */
export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("@civicgrid/http/Authorization", {
  failure: Schema.Union(Unauthorized, TooManyRequests),
  provides: CurrentPrincipal,
  security: {
    bearer: HttpApiSecurity.bearer.pipe(
      HttpApiSecurity.annotate(
        OpenApi.Description,
        "访问令牌 API token: `Authorization: Bearer <token>`; the token resolves to a principal (role + jurisdiction unit)"
      )
    )
  }
}) {}

const unauthorized = new Unauthorized({ message: "未认证 missing or invalid bearer token" })

const tooMany = (seconds: number) =>
  new TooManyRequests({
    rule: "auth-rate-limit",
    retryAfterSeconds: seconds,
    message: `认证失败过多 too many failed authentications from your address: try again in ${seconds} s (rule auth-rate-limit)`
  })

/**
 * 限流认证 — checks a credential under the failure table: an address over the
 * limit is refused (429) before its credential is looked at; a failed check
 * counts against the address. The Open311 `api_key` check can run under the
 * same table.
 *
 * @since 0.1.0
 * @category combinators
 */
export const limited = <A, E, R>(
  table: FailureTable,
  check: Effect.Effect<Option.Option<A>, E, R>
): Effect.Effect<Option.Option<A>, E | TooManyRequests, R | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const address = Option.getOrElse(request.remoteAddress, () => "unknown")
    const blocked = table.blockedFor(address, yield* Clock.currentTimeMillis)
    if (blocked > 0) return yield* tooMany(blocked)
    const found = yield* check
    if (Option.isNone(found)) table.fail(address, yield* Clock.currentTimeMillis)
    return found
  })

/**
 * The middleware over the ambient `TokenVerifier`, counting failures in the
 * ambient `AuthRateLimit` when one is provided (`layerRateLimit`), else in a
 * table of its own with the default limit (20 failures per minute per
 * address).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Authorization, never, TokenVerifier> = Layer.effect(
  Authorization,
  Effect.gen(function* () {
    const verifier = yield* TokenVerifier
    const table = Option.getOrElse(yield* Effect.serviceOption(AuthRateLimit), () => makeFailureTable())
    return {
      bearer: (token: Redacted.Redacted<string>) =>
        limited(table, Redacted.value(token).length === 0 ? Effect.succeedNone : verifier.verify(token)).pipe(
          Effect.flatMap(
            Option.match({ onNone: () => Effect.fail(unauthorized), onSome: (p) => Effect.succeed(p) })
          )
        )
    }
  })
)

/**
 * 内存令牌 — the reference verifier: a map from token to principal (tests,
 * demos), looked up on every request (a test may add tokens to its map
 * later). Tokens are compared as whole strings.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (tokens: ReadonlyMap<string, Principal>): Layer.Layer<TokenVerifier> =>
  Layer.succeed(TokenVerifier, {
    verify: (token) => Effect.sync(() => Option.fromNullable(tokens.get(Redacted.value(token))))
  })

/**
 * 主体数据 — a principal as a key store keeps it (plain strings): checked
 * against the `Principal` schema when a token is verified.
 *
 * @since 0.1.0
 * @category models
 */
export interface PrincipalData {
  readonly id: string
  readonly role: string
  readonly unitId: string
  readonly departmentId?: string | undefined
  /** 授权辖区 — a department's explicitly granted subtree. */
  readonly grantedSubtree?: string | undefined
  /** 本地角色 — the role-table role the key was issued for (its `role` is what that role acts as). */
  readonly localRole?: string | undefined
}

/**
 * 令牌查找 — a key store's lookup: the principal data a token stands for, or
 * none. Its failures are store failures.
 *
 * @since 0.1.0
 * @category models
 */
export type Lookup<E> = (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<PrincipalData>, E>

/**
 * A `TokenVerifier` over a key store's lookup: the data found is checked as a
 * `Principal` with `Principal.validate` against the role `table` (default
 * `RoleTable.standard`; data that is not one — an unknown role, a department
 * principal without its department, a local role the table does not hold or
 * now maps to other rights — verifies to none: a 401); a store failure is a
 * defect (a 500), never a 401.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromLookup = <E>(lookup: Lookup<E>, table?: RoleTable.RoleTable): TokenVerifier["Type"] =>
  TokenVerifier.of({
    verify: (token) =>
      lookup(token).pipe(
        Effect.map(
          // the same rules as before a key is issued (`Principal.validate`)
          Option.flatMap((data) => Either.getRight(validatePrincipal(data, table)))
        ),
        Effect.orDie
      )
  })

/**
 * 查找令牌 — the `TokenVerifier` over a key store's lookup, built from the
 * lookup's own environment (`fromLookup`):
 * `Authorization.layerLookup(SqlApiKeys.bearerLookup)` checks bearer tokens
 * against the SQL store of hashed API keys, with the ambient role table
 * (`Principal.CurrentRoleTable`, default `RoleTable.standard`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerLookup = <E, R>(
  lookup: Effect.Effect<Lookup<E>, never, R>
): Layer.Layer<TokenVerifier, never, R> =>
  Layer.effect(
    TokenVerifier,
    Effect.map(Effect.all([lookup, CurrentRoleTable]), ([found, table]) => fromLookup(found, table))
  )
