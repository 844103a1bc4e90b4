/**
 * 密钥库 — the reference `TokenVerifier` (issue 6 "Access": "the reference
 * one keeps hashed API keys in the SQL store"), and an Open311 `ApiKeys` over
 * the same table (`cg_api_keys`, migration 0007 of `@civicgrid/sql`).
 *
 * A key is `cg_<id>_<secret>`: 16 hex digits of id, then 32 random bytes in
 * base64url. Only the SHA-256 of the secret is stored; a key is found by its
 * id and its secret's hash compared in constant time. `issue` /
 * `issueOpen311` return the plain key once — it cannot be read back;
 * `revoke` disables a key for good.
 *
 * `register` / `registerOpen311` store a token the caller chose (a
 * well-known demo token, a key migrated from another store) the same way:
 * only its SHA-256 is kept, under an id derived from the token, so it is
 * found, compared in constant time and revoked like an issued key.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { TokenVerifier } from "./Authorization.js"
import * as Open311 from "./Open311.js"
import { Principal } from "./Principal.js"

/**
 * 签发结果 — a key just issued: its public id (to revoke it) and the plain
 * key, shown once.
 *
 * @since 0.1.0
 * @category models
 */
export interface Issued {
  readonly id: string
  readonly token: Redacted.Redacted<string>
}

const keyPattern = /^cg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/

/** RFC 6750 `b64token`: the characters a bearer token may carry in an `Authorization` header. */
const registeredPattern = /^[A-Za-z0-9\-._~+/]+=*$/

const registeredLength = { min: 8, max: 512 } as const

const hashOf = (secret: string): Buffer => createHash("sha256").update(secret, "utf8").digest()

/**
 * Where a key is stored: an issued key (`cg_<id>_<secret>`) under its id; any
 * other well-formed token under an id derived from its hash (`reg-` and 16
 * hex digits: never an issued id), with the whole token as the secret.
 */
const locate = (key: string): { readonly id: string; readonly secret: string } | undefined => {
  const match = keyPattern.exec(key)
  const id = match?.[1]
  const secret = match?.[2]
  if (id !== undefined && secret !== undefined) return { id, secret }
  if (
    key.length >= registeredLength.min &&
    key.length <= registeredLength.max &&
    registeredPattern.test(key)
  ) {
    const derived = createHash("sha256").update(`civicgrid-registered-key\u0000${key}`, "utf8").digest("hex")
    return { id: `reg-${derived.slice(0, 16)}`, secret: key }
  }
  return undefined
}

interface Row {
  readonly id: string
  readonly kind: string
  readonly secret_hash: string
  readonly principal_id: string | null
  readonly role: string | null
  readonly unit_id: string | null
  readonly department_id: string | null
  readonly client_id: string | null
  readonly client_name: string | null
  readonly revoked_at: string | null
}

/** The live row of a well-formed key whose secret matches, in constant time. */
const findKey = (
  sql: SqlClient.SqlClient,
  kind: "bearer" | "open311",
  key: string
): Effect.Effect<Option.Option<Row>, SqlError> => {
  const located = locate(key)
  if (located === undefined) return Effect.succeed(Option.none())
  const { id, secret } = located
  return Effect.map(
    sql<Row>`SELECT * FROM cg_api_keys WHERE id = ${id} AND kind = ${kind} AND revoked_at IS NULL`,
    (rows) => {
      const row = rows[0]
      if (row === undefined) return Option.none()
      const stored = Buffer.from(row.secret_hash, "hex")
      const given = hashOf(secret)
      return stored.length === given.length && timingSafeEqual(stored, given)
        ? Option.some(row)
        : Option.none()
    }
  )
}

const decodePrincipal = Schema.decodeUnknownOption(Principal)

const principalOf = (row: Row): Option.Option<Principal> =>
  decodePrincipal(
    row.department_id === null
      ? { id: row.principal_id, role: row.role, unitId: row.unit_id }
      : { id: row.principal_id, role: row.role, unitId: row.unit_id, departmentId: row.department_id }
  )

const newKey = (): { readonly id: string; readonly secret: string; readonly token: string } => {
  const id = randomBytes(8).toString("hex")
  const secret = randomBytes(32).toString("base64url")
  return { id, secret, token: `cg_${id}_${secret}` }
}

interface Fields {
  readonly kind: "bearer" | "open311"
  readonly principal_id: string | null
  readonly role: string | null
  readonly unit_id: string | null
  readonly department_id: string | null
  readonly client_id: string | null
  readonly client_name: string | null
}

const insertKey = (
  key: { readonly id: string; readonly secret: string; readonly token: string },
  fields: Fields
): Effect.Effect<Issued, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO cg_api_keys ${sql.insert({
      id: key.id,
      secret_hash: hashOf(key.secret).toString("hex"),
      created_at: new Date().toISOString(),
      revoked_at: null,
      ...fields
    })}`
    return { id: key.id, token: Redacted.make(key.token) }
  })

const insert = (fields: Fields): Effect.Effect<Issued, SqlError, SqlClient.SqlClient> =>
  Effect.suspend(() => insertKey(newKey(), fields))

const bearerFields = (principal: Principal): Fields => ({
  kind: "bearer",
  principal_id: principal.id,
  role: principal.role,
  unit_id: principal.unitId,
  department_id: principal.departmentId ?? null,
  client_id: null,
  client_name: null
})

const open311Fields = (client: Open311.ApiClient): Fields => ({
  kind: "open311",
  principal_id: null,
  role: null,
  unit_id: null,
  department_id: null,
  client_id: client.id,
  client_name: client.name
})

/**
 * 令牌不可登记 — a token `register` / `registerOpen311` refuses: it must be
 * 8–512 characters of the RFC 6750 bearer-token alphabet (letters, digits,
 * `-._~+/`, then optional `=` padding), so that it can be sent as
 * `Authorization: Bearer <token>` and found again.
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenRefused extends Schema.TaggedError<TokenRefused>()("TokenRefused", {
  rule: Schema.Literal("length", "alphabet")
}) {
  override get message(): string {
    return this.rule === "length"
      ? `令牌长度 token length: a registered token has ${registeredLength.min}–${registeredLength.max} characters`
      : "令牌字符 token alphabet: a registered token uses letters, digits and -._~+/ (then optional = padding) only"
  }
}

const registerKey = (
  token: Redacted.Redacted<string>,
  fields: Fields
): Effect.Effect<Issued, SqlError | TokenRefused, SqlClient.SqlClient> =>
  Effect.suspend((): Effect.Effect<Issued, SqlError | TokenRefused, SqlClient.SqlClient> => {
    const plain = Redacted.value(token)
    if (plain.length < registeredLength.min || plain.length > registeredLength.max)
      return Effect.fail(new TokenRefused({ rule: "length" }))
    const located = locate(plain)
    if (located === undefined) return Effect.fail(new TokenRefused({ rule: "alphabet" }))
    return insertKey({ ...located, token: plain }, fields)
  })

/**
 * 签发令牌 — issues a bearer token for a principal; the plain token is
 * returned once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const issue = (principal: Principal): Effect.Effect<Issued, SqlError, SqlClient.SqlClient> =>
  insert(bearerFields(principal))

/**
 * 签发 Open311 密钥 — issues an Open311 `api_key` for a client; the plain key
 * is returned once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const issueOpen311 = (
  client: Open311.ApiClient
): Effect.Effect<Issued, SqlError, SqlClient.SqlClient> => insert(open311Fields(client))

/**
 * 登记令牌 — stores a bearer token the caller chose (e.g. a well-known demo
 * token) for a principal, hashed like an issued one: it then verifies,
 * and is revoked by the returned id, exactly like an issued token. Fails with
 * `TokenRefused` for a token outside the bearer alphabet or 8–512 characters,
 * and with a `SqlError` when the same token is registered twice.
 *
 * @since 0.1.0
 * @category constructors
 */
export const register = (
  token: Redacted.Redacted<string>,
  principal: Principal
): Effect.Effect<Issued, SqlError | TokenRefused, SqlClient.SqlClient> =>
  registerKey(token, bearerFields(principal))

/**
 * 登记 Open311 密钥 — stores an Open311 `api_key` the caller chose for a
 * client, hashed like an issued one (same rules as `register`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const registerOpen311 = (
  key: Redacted.Redacted<string>,
  client: Open311.ApiClient
): Effect.Effect<Issued, SqlError | TokenRefused, SqlClient.SqlClient> =>
  registerKey(key, open311Fields(client))

/**
 * 吊销 — revokes a key (bearer or Open311) by its id; `true` when a live key
 * was revoked, `false` for an unknown or already revoked id.
 *
 * @since 0.1.0
 * @category combinators
 */
export const revoke = (id: string): Effect.Effect<boolean, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: string }>`UPDATE cg_api_keys SET revoked_at = ${new Date().toISOString()}
      WHERE id = ${id} AND revoked_at IS NULL RETURNING id`
    return rows.length > 0
  })

/**
 * The `TokenVerifier` over `cg_api_keys` on the ambient `SqlClient`
 * (migrated). A store failure is a defect (a 500), never a 401.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<TokenVerifier, never, SqlClient.SqlClient> = Layer.effect(
  TokenVerifier,
  Effect.map(SqlClient.SqlClient, (sql) => ({
    verify: (token: Redacted.Redacted<string>) =>
      findKey(sql, "bearer", Redacted.value(token)).pipe(
        Effect.map(Option.flatMap(principalOf)),
        Effect.orDie
      )
  }))
)

/**
 * Open311 `ApiKeys` over `cg_api_keys` on the ambient `SqlClient` (migrated).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApiKeys: Layer.Layer<Open311.ApiKeys, never, SqlClient.SqlClient> = Layer.effect(
  Open311.ApiKeys,
  Effect.map(SqlClient.SqlClient, (sql) => ({
    verify: (apiKey: string) =>
      findKey(sql, "open311", apiKey).pipe(
        Effect.map(
          Option.flatMap((row) =>
            row.client_id === null || row.client_name === null
              ? Option.none()
              : Option.some<Open311.ApiClient>({ id: row.client_id, name: row.client_name })
          )
        ),
        Effect.orDie
      )
  }))
)
