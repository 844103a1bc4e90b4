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
 * @since 0.1.0
 */
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as OpenApi from "@effect/platform/OpenApi"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { CurrentPrincipal, Principal } from "./Principal.js"

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
  failure: Unauthorized,
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

/**
 * The middleware over the ambient `TokenVerifier`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Authorization, never, TokenVerifier> = Layer.effect(
  Authorization,
  Effect.map(TokenVerifier, (verifier) => ({
    bearer: (token: Redacted.Redacted<string>) =>
      Redacted.value(token).length === 0
        ? Effect.fail(unauthorized)
        : Effect.flatMap(verifier.verify(token), (found) =>
            Option.match(found, { onNone: () => Effect.fail(unauthorized), onSome: Effect.succeed })
          )
  }))
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
}

/**
 * 令牌查找 — a key store's lookup: the principal data a token stands for, or
 * none. Its failures are store failures.
 *
 * @since 0.1.0
 * @category models
 */
export type Lookup<E> = (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<PrincipalData>, E>

const decodePrincipal = Schema.decodeUnknownOption(Principal)

/**
 * A `TokenVerifier` over a key store's lookup: the data found is checked as a
 * `Principal` (data that is not one — an unknown role, say — verifies to
 * none: a 401); a store failure is a defect (a 500), never a 401.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromLookup = <E>(lookup: Lookup<E>): TokenVerifier["Type"] =>
  TokenVerifier.of({
    verify: (token) =>
      lookup(token).pipe(
        Effect.map(
          Option.flatMap((data) =>
            decodePrincipal(
              data.departmentId === undefined
                ? { id: data.id, role: data.role, unitId: data.unitId }
                : { id: data.id, role: data.role, unitId: data.unitId, departmentId: data.departmentId }
            )
          )
        ),
        Effect.orDie
      )
  })

/**
 * 查找令牌 — the `TokenVerifier` over a key store's lookup, built from the
 * lookup's own environment (`fromLookup`):
 * `Authorization.layerLookup(SqlApiKeys.bearerLookup)` checks bearer tokens
 * against the SQL store of hashed API keys.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerLookup = <E, R>(
  lookup: Effect.Effect<Lookup<E>, never, R>
): Layer.Layer<TokenVerifier, never, R> => Layer.effect(TokenVerifier, Effect.map(lookup, fromLookup))
