import * as Authorization from "@civicgrid/http/Authorization"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { principals } from "./principals.js"

// 密钥库 — bearer tokens in the database (table cg_api_keys): `issue` returns the plain key once,
// `cg_<id>_<secret>`; only a hash of the secret is stored, compared in constant time.
export const issueVerifyRevoke = Effect.gen(function* () {
  yield* Migrations.run
  const issued = yield* SqlApiKeys.issue(principals.wang) // hand `issued.token` to 王 once; keep `issued.id`
  const verifier = yield* Authorization.TokenVerifier

  const before = yield* verifier.verify(issued.token) // → Option.some(principal cs-wang, community-staff, jinsha)
  const sql = yield* SqlClient.SqlClient
  const table = JSON.stringify(yield* sql`SELECT * FROM cg_api_keys`)
  const secret = Redacted.value(issued.token).slice(-43) // the 32 random bytes, base64url
  yield* SqlApiKeys.revoke(issued.id) // → true: the key is dead for good
  const after = yield* verifier.verify(issued.token) // → Option.none(): a 401 from now on

  // 哈希方案 — how a key is hashed depends on the server secret (`SqlApiKeys.TokenSecret`: by default
  // CIVICGRID_TOKEN_SECRET; `SqlApiKeys.layerSecret(secret)` to give it). With one, every key is an
  // HMAC-SHA-256 under it. Without one, an issued key (256 random bits) is a SHA-256, and a token you chose
  // (a demo token, one migrated from another system), which may be guessable, is a slow scrypt hash.
  const schemeOf = (id: string) =>
    Effect.map(sql<{ hash_scheme: string }>`SELECT hash_scheme FROM cg_api_keys WHERE id = ${id}`, (rows) =>
      rows.map((row) => row.hash_scheme).join()
    )
  const withoutSecret = yield* SqlApiKeys.issue(principals.wang).pipe(
    Effect.provideService(SqlApiKeys.TokenSecret, Option.none())
  )
  const chosen = yield* SqlApiKeys.register(Redacted.make("wang-2025-spring"), principals.wang).pipe(
    Effect.provideService(SqlApiKeys.TokenSecret, Option.none())
  )
  const withSecret = yield* SqlApiKeys.register(Redacted.make("li-2025-spring"), principals.li).pipe(
    Effect.provide(
      SqlApiKeys.layerSecret(Redacted.make("a long random server secret, kept out of the database"))
    )
  )

  return {
    format: /^cg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/.test(Redacted.value(issued.token)), // → true
    shown: String(issued.token), // → "<redacted>": a Redacted never prints its value
    secretInTable: table.includes(secret), // → false: only its hash is stored
    before: Option.map(before, (p) => `${p.id} ${p.role} ${p.unitId}`),
    after,
    schemes: {
      issued: yield* schemeOf(withoutSecret.id), // → "sha256"
      chosen: yield* schemeOf(chosen.id), // → "scrypt"
      withSecret: yield* schemeOf(withSecret.id) // → "hmac-sha256"
    }
  }
}).pipe(
  // The store returns plain principal data; `Authorization.layerLookup` turns its lookup into the
  // `TokenVerifier` the `Authorization` middleware asks. Provide it to `Server.layer()` instead of
  // `Authorization.layerMemory(tokens)`.
  Effect.provide(Authorization.layerLookup(SqlApiKeys.bearerLookup)),
  Effect.provide(SqliteClient.layer({ filename: ":memory:" }).pipe(Layer.orDie))
)
