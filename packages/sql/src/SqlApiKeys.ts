/**
 * 密钥库（SQL） — hashed API keys in the SQL store (`cg_api_keys`, migration
 * 0007): bearer tokens that stand for a principal, and Open311 `api_key`s
 * that stand for a client. The store knows nothing of HTTP: a lookup returns
 * plain principal data (`KeyPrincipal`: id, role, unit, department, and the
 * local role of the role table it was issued for — column `local_role`,
 * migration 0029 — with `role` the built-in role that acts as) or client
 * data (`KeyClient`), and the server turns it into its verifier —
 * `Authorization.layerLookup(SqlApiKeys.bearerLookup)` for bearer tokens.
 *
 * A key is `cg_<id>_<secret>`: 16 hex digits of id, then 32 random bytes in
 * base64url. Only a hash of the secret is stored; a key is found by its id
 * and its secret's hash compared in constant time. `issue` / `issueOpen311`
 * return the plain key once — it cannot be read back; `list` shows the
 * stored keys without their secrets; `revoke` disables a key for good.
 *
 * `register` / `registerOpen311` store a token the caller chose (a
 * well-known demo token, a key migrated from another store) the same way,
 * under an id derived from the token, so it is found, compared in constant
 * time and revoked like an issued key.
 *
 * **Hash schemes** (column `hash_scheme`, migration
 * 0011). A caller-chosen token may have little entropy, so a plain hash of it
 * in a leaked database could be guessed offline:
 *
 * - `hmac-sha256` — HMAC-SHA-256 keyed with the server secret (`TokenSecret`:
 *   `layerSecret`, or the environment variable `CIVICGRID_TOKEN_SECRET`).
 *   Every new key is stored so when a secret is configured. A database alone
 *   then reveals nothing guessable; changing the secret invalidates every
 *   `hmac-sha256` key (re-issue or re-register them).
 * - `scrypt` — without a secret, a registered token is stored with scrypt
 *   (N = 2^14, r = 8, p = 1, salted with its id): slow to guess.
 * - `sha256` — without a secret, an issued key (256 random bits: nothing to
 *   guess) is stored as the SHA-256 of its secret; so were all keys before
 *   0011. Such a row keeps verifying, and on its first successful check is
 *   re-hashed to the scheme a new key of its kind would get (rows upgrade as
 *   they are used; none is refused).
 *
 * **Key cache** (`bearerLookupCached` / `open311LookupCached`, what a server
 * uses). A key that verified is answered from memory for a short time (`ttl`,
 * default 5 seconds; `0` disables the cache) instead of one `SELECT` and one
 * hash per request. The cache is bounded (`capacity`, default 10,000 keys,
 * oldest dropped first), is keyed by an HMAC of the presented token under a
 * random key of its own (never the token itself), and holds only keys that
 * verified: a wrong secret is a different entry and always goes to the store;
 * a failed lookup is not cached (so a key issued a moment ago verifies at
 * once, and guessing fills nothing). The trade-off: **`revoke` in the same
 * process takes effect at once; a revocation by another process (another
 * server replica, `civicgrid keys revoke` on the command line) takes effect
 * only when the entry expires — within `ttl`.** Choose a shorter `ttl` (or
 * `0`) if a revoked key must stop within less than that.
 *
 * @since 0.1.0
 */
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { unavailableOrDie } from "./internal/support.js"

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
  /** 授权辖区 — a department's explicitly granted subtree (see the HTTP `Principal`). */
  readonly grantedSubtree?: string | undefined
  /**
   * 本地角色 — the role-table role (e.g. `petition-agent` 信访代办员) the key
   * stands for; `role` is then the built-in role it acts as. The server
   * checks the pair against its role table (`Principal.validate`).
   */
  readonly localRole?: string | undefined
}

/**
 * 令牌密钥 — the server secret keying the token hashes (HMAC-SHA-256), or none.
 * By default the environment variable `CIVICGRID_TOKEN_SECRET` (when set and
 * not blank), read once.
 *
 * @since 0.1.0
 * @category tags
 */
export class TokenSecret extends Context.Reference<TokenSecret>()("@civicgrid/sql/SqlApiKeys/TokenSecret", {
  defaultValue: (): Option.Option<Redacted.Redacted<string>> => {
    const value = typeof process === "undefined" ? undefined : process.env.CIVICGRID_TOKEN_SECRET
    return value === undefined || value.trim() === "" ? Option.none() : Option.some(Redacted.make(value))
  }
}) {}

/**
 * The token secret to key hashes with.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSecret = (secret: Redacted.Redacted<string>): Layer.Layer<never> =>
  Layer.succeed(TokenSecret, Option.some(secret))

/**
 * 哈希方案 — how a key's secret is stored (see the module note).
 *
 * @since 0.1.0
 * @category models
 */
export type HashScheme = "hmac-sha256" | "scrypt" | "sha256"

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

const sha256Of = (secret: string): Buffer => createHash("sha256").update(secret, "utf8").digest()

const scryptParams = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const

const hashWith = (
  scheme: HashScheme,
  id: string,
  secret: string,
  key: Option.Option<Redacted.Redacted<string>>
): Effect.Effect<Option.Option<Buffer>> => {
  switch (scheme) {
    case "sha256":
      return Effect.succeed(Option.some(sha256Of(secret)))
    case "hmac-sha256":
      return Effect.succeed(
        Option.map(key, (k) =>
          createHmac("sha256", Redacted.value(k)).update(`${id}\u0000${secret}`, "utf8").digest()
        )
      )
    case "scrypt":
      return Effect.async<Option.Option<Buffer>>((resume) => {
        scrypt(secret, `civicgrid-key\u0000${id}`, 32, scryptParams, (error, derived) => {
          resume(Effect.succeed(error === null ? Option.some(derived) : Option.none()))
        })
      })
  }
}

/**
 * Slow-hash checks that succeeded, in memory only (bounded; oldest dropped
 * first): the stored hash and the SHA-256 of the secret that matched it. A
 * revoked or re-hashed row is not found or no longer matches the memo, so the
 * memo never outlives the row; it only spares scrypt on every request.
 */
const verified = new Set<string>()
const maxVerified = 1_000

const remember = (memo: string): void => {
  if (verified.size >= maxVerified) {
    const oldest = verified.values().next()
    if (oldest.done !== true) verified.delete(oldest.value)
  }
  verified.add(memo)
}

/** The scheme a new key gets: keyed when a secret is configured; else slow for a chosen token. */
const schemeFor = (registered: boolean, key: Option.Option<Redacted.Redacted<string>>): HashScheme =>
  Option.isSome(key) ? "hmac-sha256" : registered ? "scrypt" : "sha256"

const isScheme = (s: string): s is HashScheme => s === "hmac-sha256" || s === "scrypt" || s === "sha256"

/**
 * Where a key is stored: an issued key (`cg_<id>_<secret>`) under its id; any
 * other well-formed token under an id derived from its hash (`reg-` and 16
 * hex digits: never an issued id), with the whole token as the secret.
 */
interface Located {
  readonly id: string
  readonly secret: string
  /** A caller-chosen token (`register`), not an issued key. */
  readonly registered: boolean
}

const locate = (key: string): Located | undefined => {
  const match = keyPattern.exec(key)
  const id = match?.[1]
  const secret = match?.[2]
  if (id !== undefined && secret !== undefined) return { id, secret, registered: false }
  if (
    key.length >= registeredLength.min &&
    key.length <= registeredLength.max &&
    registeredPattern.test(key)
  ) {
    const derived = createHash("sha256").update(`civicgrid-registered-key\u0000${key}`, "utf8").digest("hex")
    return { id: `reg-${derived.slice(0, 16)}`, secret: key, registered: true }
  }
  return undefined
}

interface Row {
  readonly id: string
  readonly kind: string
  readonly secret_hash: string
  readonly hash_scheme: string
  readonly principal_id: string | null
  readonly role: string | null
  readonly unit_id: string | null
  readonly department_id: string | null
  readonly granted_subtree: string | null
  readonly local_role: string | null
  readonly client_id: string | null
  readonly client_name: string | null
  readonly revoked_at: string | null
}

/**
 * The live row of a well-formed key whose secret matches, in constant time
 * (under the row's own scheme); a row of an older scheme is re-hashed to the
 * current one on its first successful check.
 */
const findKey = (
  sql: SqlClient.SqlClient,
  kind: "bearer" | "open311",
  key: string
): Effect.Effect<Option.Option<Row>, SqlError> =>
  Effect.gen(function* () {
    const located = locate(key)
    if (located === undefined) return Option.none()
    const { id, secret } = located
    const rows =
      yield* sql<Row>`SELECT * FROM cg_api_keys WHERE id = ${id} AND kind = ${kind} AND revoked_at IS NULL`
    const row = rows[0]
    if (row === undefined || !isScheme(row.hash_scheme)) return Option.none()
    const tokenKey = yield* TokenSecret
    // a slow (scrypt) row already checked with this very secret is not hashed again
    const memo = `${row.hash_scheme}:${row.secret_hash}:${sha256Of(secret).toString("hex")}`
    if (!(row.hash_scheme === "scrypt" && verified.has(memo))) {
      const given = yield* hashWith(row.hash_scheme, id, secret, tokenKey)
      const stored = Buffer.from(row.secret_hash, "hex")
      const matches =
        Option.isSome(given) && stored.length === given.value.length && timingSafeEqual(stored, given.value)
      if (!matches) return Option.none()
      if (row.hash_scheme === "scrypt") remember(memo)
    }
    const current = schemeFor(located.registered, tokenKey)
    if (current !== row.hash_scheme) {
      const upgraded = yield* hashWith(current, id, secret, tokenKey)
      if (Option.isSome(upgraded)) {
        yield* sql`UPDATE cg_api_keys SET secret_hash = ${upgraded.value.toString("hex")}, hash_scheme = ${current}
          WHERE id = ${id} AND secret_hash = ${row.secret_hash}`
      }
    }
    return Option.some(row)
  })

type WhoRow = Pick<
  Row,
  | "principal_id"
  | "role"
  | "unit_id"
  | "department_id"
  | "granted_subtree"
  | "local_role"
  | "client_id"
  | "client_name"
>

const principalOf = (row: WhoRow): Option.Option<KeyPrincipal> =>
  row.principal_id === null || row.role === null || row.unit_id === null
    ? Option.none()
    : Option.some({
        id: row.principal_id,
        role: row.role,
        unitId: row.unit_id,
        ...(row.department_id === null ? {} : { departmentId: row.department_id }),
        ...(row.granted_subtree === null || row.granted_subtree === undefined
          ? {}
          : { grantedSubtree: row.granted_subtree }),
        ...(row.local_role === null || row.local_role === undefined ? {} : { localRole: row.local_role })
      })

const clientOf = (row: WhoRow): Option.Option<KeyClient> =>
  row.client_id === null || row.client_name === null
    ? Option.none()
    : Option.some({ id: row.client_id, name: row.client_name })

const newKey = (): Located & { readonly token: string } => {
  const id = randomBytes(8).toString("hex")
  const secret = randomBytes(32).toString("base64url")
  return { id, secret, registered: false, token: `cg_${id}_${secret}` }
}

interface Fields {
  readonly kind: "bearer" | "open311"
  readonly principal_id: string | null
  readonly role: string | null
  readonly unit_id: string | null
  readonly department_id: string | null
  readonly granted_subtree: string | null
  readonly local_role: string | null
  readonly client_id: string | null
  readonly client_name: string | null
}

const insertKey = (
  key: Located & { readonly token: string },
  fields: Fields
): Effect.Effect<Issued, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const tokenKey = yield* TokenSecret
    const scheme = schemeFor(key.registered, tokenKey)
    const hash = yield* hashWith(scheme, key.id, key.secret, tokenKey)
    if (Option.isNone(hash)) return yield* Effect.dieMessage("令牌哈希失败 the token could not be hashed")
    yield* sql`INSERT INTO cg_api_keys ${sql.insert({
      id: key.id,
      secret_hash: hash.value.toString("hex"),
      hash_scheme: scheme,
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
  granted_subtree: principal.grantedSubtree ?? null,
  local_role: principal.localRole ?? null,
  client_id: null,
  client_name: null
})

const open311Fields = (client: KeyClient): Fields => ({
  kind: "open311",
  principal_id: null,
  role: null,
  unit_id: null,
  department_id: null,
  granted_subtree: null,
  local_role: null,
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
    // after the UPDATE: a lookup that read the row before it cannot cache it any more (see `KeyCache`)
    invalidateCached(id)
    return rows.length > 0
  })

/**
 * 密钥记录 — a stored key as `list` shows it: its id (to revoke it), its kind,
 * who it stands for (a principal for a bearer token, a client for an Open311
 * `api_key`), when it was created and revoked (ISO 8601; `null`: live), and
 * how its secret is hashed. Never the key or its hash.
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyInfo {
  readonly id: string
  readonly kind: "bearer" | "open311"
  readonly principal: Option.Option<KeyPrincipal>
  readonly client: Option.Option<KeyClient>
  readonly createdAt: string
  readonly revokedAt: string | null
  readonly hashScheme: string
}

interface ListedRow {
  readonly id: string
  readonly kind: string
  readonly hash_scheme: string
  readonly principal_id: string | null
  readonly role: string | null
  readonly unit_id: string | null
  readonly department_id: string | null
  readonly granted_subtree: string | null
  readonly local_role: string | null
  readonly client_id: string | null
  readonly client_name: string | null
  readonly created_at: string
  readonly revoked_at: string | null
}

/**
 * 密钥清单 — every stored key (bearer and Open311, live and revoked), oldest
 * first: id, kind, principal or client, created, revoked. Selects no secret
 * column: the keys and their hashes never leave the store.
 *
 * @since 0.1.0
 * @category lookups
 */
export const list: Effect.Effect<ReadonlyArray<KeyInfo>, SqlError, SqlClient.SqlClient> = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    Effect.map(
      sql<ListedRow>`SELECT id, kind, hash_scheme, principal_id, role, unit_id, department_id, granted_subtree,
        local_role, client_id, client_name, created_at, revoked_at FROM cg_api_keys ORDER BY created_at, id`,
      (rows) =>
        rows.map(
          (row): KeyInfo => ({
            id: row.id,
            kind: row.kind === "open311" ? "open311" : "bearer",
            principal: row.kind === "open311" ? Option.none() : principalOf(row),
            client: row.kind === "open311" ? clientOf(row) : Option.none(),
            createdAt: String(row.created_at),
            revokedAt: row.revoked_at === null ? null : String(row.revoked_at),
            hashScheme: row.hash_scheme
          })
        )
    )
)

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
 * `findBearer` bound to the ambient `SqlClient` and `TokenSecret`: the lookup a server turns
 * into its token verifier (`Authorization.layerLookup(SqlApiKeys.bearerLookup)`). A store that
 * cannot serve now fails with `StorageUnavailable` (a server answers 503, not 500); other SQL
 * errors are defects.
 *
 * @since 0.1.0
 * @category lookups
 */
export const bearerLookup: Effect.Effect<
  (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<KeyPrincipal>, StorageUnavailable>,
  never,
  SqlClient.SqlClient
> = Effect.map(
  Effect.all([SqlClient.SqlClient, TokenSecret]),
  ([sql, secret]) =>
    (token) =>
      findBearer(token).pipe(
        Effect.provideService(SqlClient.SqlClient, sql),
        Effect.provideService(TokenSecret, secret),
        Effect.catchTag("SqlError", unavailableOrDie)
      )
)

/**
 * `findOpen311` bound to the ambient `SqlClient` and `TokenSecret`: the lookup a server turns
 * into its Open311 `ApiKeys`; `StorageUnavailable` as `bearerLookup`.
 *
 * @since 0.1.0
 * @category lookups
 */
export const open311Lookup: Effect.Effect<
  (key: Redacted.Redacted<string>) => Effect.Effect<Option.Option<KeyClient>, StorageUnavailable>,
  never,
  SqlClient.SqlClient
> = Effect.map(
  Effect.all([SqlClient.SqlClient, TokenSecret]),
  ([sql, secret]) =>
    (key) =>
      findOpen311(key).pipe(
        Effect.provideService(SqlClient.SqlClient, sql),
        Effect.provideService(TokenSecret, secret),
        Effect.catchTag("SqlError", unavailableOrDie)
      )
)

/**
 * 密钥缓存 — how `bearerLookupCached` / `open311LookupCached` keep verified
 * keys in memory (see the module note): for `ttl` (default
 * `defaultCacheTtl`, 5 seconds; zero disables the cache), at most `capacity`
 * keys (default `defaultCacheCapacity`, 10,000; the oldest dropped first).
 *
 * @since 0.1.0
 * @category models
 */
export interface CacheOptions {
  readonly ttl?: Duration.DurationInput | undefined
  readonly capacity?: number | undefined
}

/**
 * How long a verified key is answered from memory by default: 5 seconds — a
 * revocation by another process takes effect within it.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCacheTtl: Duration.Duration = Duration.seconds(5)

/**
 * How many verified keys are kept in memory by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCacheCapacity = 10_000

interface Entry<A> {
  readonly id: string
  readonly expires: number
  readonly value: A
}

/**
 * Verified keys of one lookup, by an HMAC of the presented token (a random key
 * per cache: the map holds nothing a token can be recovered or guessed from
 * offline). `epoch` counts invalidations: a lookup stores what it found only if
 * no key was revoked in this process since it began, so a revocation racing a
 * lookup is not undone by it.
 */
class KeyCache<A> {
  readonly entries = new Map<string, Entry<A>>()
  epoch = 0
  private readonly salt = randomBytes(32)
  constructor(
    readonly ttl: number,
    readonly capacity: number
  ) {}
  keyOf(token: string): string {
    return createHmac("sha256", this.salt).update(token, "utf8").digest("base64")
  }
  get(key: string, now: number): A | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (now < entry.expires) return entry.value
    this.entries.delete(key)
    return undefined
  }
  set(key: string, id: string, value: A, now: number, epoch: number): void {
    if (epoch !== this.epoch) return
    this.entries.delete(key)
    while (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next()
      if (oldest.done === true) break
      this.entries.delete(oldest.value)
    }
    this.entries.set(key, { id, expires: now + this.ttl, value })
  }
  invalidate(id: string): void {
    this.epoch++
    for (const [key, entry] of this.entries) if (entry.id === id) this.entries.delete(key)
  }
}

/** Every live cache of this process, for `revoke` (weakly: a dropped lookup's cache goes with it). */
const caches = new Set<WeakRef<{ invalidate(id: string): void }>>()

const invalidateCached = (id: string): void => {
  for (const ref of caches) {
    const cache = ref.deref()
    if (cache === undefined) caches.delete(ref)
    else cache.invalidate(id)
  }
}

const cachedLookup = <A>(
  kind: "bearer" | "open311",
  of: (row: Row) => Option.Option<A>,
  options: CacheOptions
): Effect.Effect<
  (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<A>, StorageUnavailable>,
  never,
  SqlClient.SqlClient
> =>
  Effect.map(Effect.all([SqlClient.SqlClient, TokenSecret]), ([sql, secret]) => {
    const find = (plain: string) =>
      findKey(sql, kind, plain).pipe(
        Effect.provideService(TokenSecret, secret),
        Effect.catchTag("SqlError", unavailableOrDie)
      )
    const ttl = Duration.toMillis(Duration.decode(options.ttl ?? defaultCacheTtl))
    const capacity = Math.floor(options.capacity ?? defaultCacheCapacity)
    if (!(ttl > 0) || !(capacity > 0)) {
      return (token: Redacted.Redacted<string>) => Effect.map(find(Redacted.value(token)), Option.flatMap(of))
    }
    const cache = new KeyCache<A>(ttl, capacity)
    for (const ref of caches) if (ref.deref() === undefined) caches.delete(ref)
    caches.add(new WeakRef(cache))
    return (token: Redacted.Redacted<string>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const plain = Redacted.value(token)
        const key = cache.keyOf(plain)
        const hit = cache.get(key, now)
        if (hit !== undefined) return Effect.succeed(Option.some(hit))
        const epoch = cache.epoch
        return Effect.map(find(plain), (row) => {
          // only a key that verified is kept; a failed lookup is not cached
          const found = Option.flatMap(row, of)
          if (Option.isSome(row) && Option.isSome(found))
            cache.set(key, row.value.id, found.value, now, epoch)
          return found
        })
      })
  })

/**
 * `bearerLookup` with verified tokens kept in memory (`CacheOptions`: 5
 * seconds, 10,000 keys by default): the lookup a server uses
 * (`Authorization.layerLookup(SqlApiKeys.bearerLookupCached())`). `revoke` in
 * this process takes effect at once; a revocation by another process within
 * `ttl` (see the module note). `ttl: 0` is `bearerLookup`.
 *
 * @since 0.1.0
 * @category lookups
 */
export const bearerLookupCached = (
  options: CacheOptions = {}
): Effect.Effect<
  (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<KeyPrincipal>, StorageUnavailable>,
  never,
  SqlClient.SqlClient
> => cachedLookup("bearer", principalOf, options)

/**
 * `open311Lookup` with verified keys kept in memory, as `bearerLookupCached`.
 *
 * @since 0.1.0
 * @category lookups
 */
export const open311LookupCached = (
  options: CacheOptions = {}
): Effect.Effect<
  (key: Redacted.Redacted<string>) => Effect.Effect<Option.Option<KeyClient>, StorageUnavailable>,
  never,
  SqlClient.SqlClient
> => cachedLookup("open311", clientOf, options)
