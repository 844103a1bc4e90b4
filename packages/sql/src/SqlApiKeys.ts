/**
 * 密钥库（SQL） — hashed API keys in the SQL store (`cg_api_keys`, migration
 * 0007): bearer tokens that stand for a principal, and Open311 `api_key`s
 * that stand for a client. The store knows nothing of HTTP: a lookup returns
 * plain principal data (`KeyPrincipal`: id, role, unit, department) or client
 * data (`KeyClient`), and the server turns it into its verifier —
 * `Authorization.layerLookup(SqlApiKeys.bearerLookup)` for bearer tokens.
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
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/**
 * 密钥主体 — who a bearer key stands for, as stored: the principal's id,
 * role, jurisdiction unit and (for a department) department. Plain strings:
 * the server checks them (an HTTP `Principal`) when it verifies a token.
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyPrincipal {
  readonly id: string
  readonly role: string
  readonly unitId: string
  readonly departmentId?: string | undefined
}

/**
 * 密钥客户端 — who an Open311 `api_key` stands for: the client's id and
 * name (the shape of an Open311 `ApiClient`).
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyClient {
  readonly id: string
  readonly name: string
}

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

const principalOf = (row: Row): Option.Option<KeyPrincipal> =>
  row.principal_id === null || row.role === null || row.unit_id === null
    ? Option.none()
    : Option.some(
        row.department_id === null
          ? { id: row.principal_id, role: row.role, unitId: row.unit_id }
          : { id: row.principal_id, role: row.role, unitId: row.unit_id, departmentId: row.department_id }
      )

const clientOf = (row: Row): Option.Option<KeyClient> =>
  row.client_id === null || row.client_name === null
    ? Option.none()
    : Option.some({ id: row.client_id, name: row.client_name })

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

const bearerFields = (principal: KeyPrincipal): Fields => ({
  kind: "bearer",
  principal_id: principal.id,
  role: principal.role,
  unit_id: principal.unitId,
  department_id: principal.departmentId ?? null,
  client_id: null,
  client_name: null
})

const open311Fields = (client: KeyClient): Fields => ({
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
export const issue = (principal: KeyPrincipal): Effect.Effect<Issued, SqlError, SqlClient.SqlClient> =>
  insert(bearerFields(principal))

/**
 * 签发 Open311 密钥 — issues an Open311 `api_key` for a client; the plain key
 * is returned once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const issueOpen311 = (client: KeyClient): Effect.Effect<Issued, SqlError, SqlClient.SqlClient> =>
  insert(open311Fields(client))

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
  principal: KeyPrincipal
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
  client: KeyClient
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
 * 查找令牌 — the principal a bearer token stands for: none for an unknown,
 * revoked or malformed token, or a wrong secret.
 *
 * @since 0.1.0
 * @category lookups
 */
export const findBearer = (
  token: Redacted.Redacted<string>
): Effect.Effect<Option.Option<KeyPrincipal>, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(findKey(sql, "bearer", Redacted.value(token)), Option.flatMap(principalOf))
  )

/**
 * 查找 Open311 密钥 — the client an Open311 `api_key` stands for: none for an
 * unknown, revoked or malformed key, or a wrong secret.
 *
 * @since 0.1.0
 * @category lookups
 */
export const findOpen311 = (
  key: Redacted.Redacted<string>
): Effect.Effect<Option.Option<KeyClient>, SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(findKey(sql, "open311", Redacted.value(key)), Option.flatMap(clientOf))
  )

/**
 * `findBearer` bound to the ambient `SqlClient`: the lookup a server turns
 * into its token verifier (`Authorization.layerLookup(SqlApiKeys.bearerLookup)`).
 *
 * @since 0.1.0
 * @category lookups
 */
export const bearerLookup: Effect.Effect<
  (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<KeyPrincipal>, SqlError>,
  never,
  SqlClient.SqlClient
> = Effect.map(
  SqlClient.SqlClient,
  (sql) => (token) => Effect.provideService(findBearer(token), SqlClient.SqlClient, sql)
)

/**
 * `findOpen311` bound to the ambient `SqlClient`: the lookup a server turns
 * into its Open311 `ApiKeys`.
 *
 * @since 0.1.0
 * @category lookups
 */
export const open311Lookup: Effect.Effect<
  (key: Redacted.Redacted<string>) => Effect.Effect<Option.Option<KeyClient>, SqlError>,
  never,
  SqlClient.SqlClient
> = Effect.map(
  SqlClient.SqlClient,
  (sql) => (key) => Effect.provideService(findOpen311(key), SqlClient.SqlClient, sql)
)
