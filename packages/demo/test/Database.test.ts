/**
 * 数据库 — `CIVICGRID_DATABASE_URL`: PostgreSQL and SQLite URLs are told apart,
 * unset means the default file, anything else is refused with a typed error
 * naming the variable and the rule; names never show a password; the SQLite
 * layer creates the file's directory.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as Database from "../src/Database.js"

const DEFAULT = "/var/lib/civicgrid/default.sqlite"

const parsed = (url: string | undefined) => {
  const result = Database.fromUrl(url, DEFAULT)
  return Either.map(result, (d) => (d._tag === "pg" ? { pg: Redacted.value(d.url) } : { sqlite: d.filename }))
}

const supported = /^(postgres|postgresql|sqlite|file):/i

describe("Database.fromUrl", () => {
  it("unset or empty: the default SQLite file", () => {
    expect(parsed(undefined)).toEqual(Either.right({ sqlite: DEFAULT }))
    expect(parsed("")).toEqual(Either.right({ sqlite: DEFAULT }))
  })

  it("postgres:// and postgresql://: PostgreSQL, the URL kept whole", () => {
    for (const url of [
      "postgres://civicgrid:secret@db.example:5432/civicgrid",
      "postgresql://civicgrid@localhost/civicgrid?sslmode=require",
      "POSTGRES://u@h/db",
      "postgres:///civicgrid?host=/var/run/postgresql"
    ]) {
      expect(parsed(url)).toEqual(Either.right({ pg: url }))
    }
  })

  it("sqlite:<path>, file:<path>, file:///<absolute>, :memory:: SQLite", () => {
    expect(parsed("sqlite:data/civicgrid.sqlite")).toEqual(Either.right({ sqlite: "data/civicgrid.sqlite" }))
    expect(parsed("sqlite:///srv/civicgrid.sqlite")).toEqual(
      Either.right({ sqlite: "/srv/civicgrid.sqlite" })
    )
    expect(parsed("file:./civicgrid.sqlite")).toEqual(Either.right({ sqlite: "./civicgrid.sqlite" }))
    expect(parsed(pathToFileURL("/srv/地图/civicgrid.sqlite").href)).toEqual(
      Either.right({ sqlite: "/srv/地图/civicgrid.sqlite" })
    )
    expect(parsed(":memory:")).toEqual(Either.right({ sqlite: ":memory:" }))
    expect(parsed("sqlite::memory:")).toEqual(Either.right({ sqlite: ":memory:" }))
  })

  it("refused, naming CIVICGRID_DATABASE_URL and the rule: other schemes, unparsable URLs, empty paths", () => {
    const rule = (url: string) =>
      Either.match(Database.fromUrl(url, DEFAULT), {
        onLeft: (e) => `${e.variable}:${e.rule}:${e.scheme}`,
        onRight: () => "accepted"
      })
    expect(rule("mysql://root:pw@localhost/db")).toBe("CIVICGRID_DATABASE_URL:unsupported-scheme:mysql")
    expect(rule("civicgrid.sqlite")).toBe("CIVICGRID_DATABASE_URL:unsupported-scheme:(none)")
    expect(rule("postgres:civicgrid")).toBe("CIVICGRID_DATABASE_URL:invalid-url:postgres")
    expect(rule("postgres://[::1")).toBe("CIVICGRID_DATABASE_URL:invalid-url:postgres")
    expect(rule("sqlite:")).toBe("CIVICGRID_DATABASE_URL:empty-path:sqlite")
    expect(rule("file:")).toBe("CIVICGRID_DATABASE_URL:empty-path:file")
    expect(rule("file:///")).toBe("CIVICGRID_DATABASE_URL:empty-path:file")
  })

  it("the error never carries the URL (it may hold a password)", () => {
    const refused = Database.fromUrl("mysql://root:hunter2@localhost/db", DEFAULT)
    expect(Either.isLeft(refused)).toBe(true)
    if (Either.isLeft(refused)) {
      expect(refused.left.message).toContain("CIVICGRID_DATABASE_URL")
      expect(JSON.stringify(refused.left)).not.toContain("hunter2")
      expect(refused.left.message).not.toContain("hunter2")
    }
  })

  it.prop(
    "every non-empty string that is neither a PostgreSQL nor a SQLite URL is refused with InvalidDatabaseUrl",
    [fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !supported.test(s) && s !== ":memory:")],
    ([url]) => {
      const refused = Database.fromUrl(url, DEFAULT)
      expect(Either.isLeft(refused)).toBe(true)
      if (Either.isLeft(refused)) {
        expect(refused.left._tag).toBe("InvalidDatabaseUrl")
        expect(refused.left.variable).toBe("CIVICGRID_DATABASE_URL")
        expect(refused.left.rule).toBe("unsupported-scheme")
      }
    },
    { fastCheck: { numRuns: 300 } }
  )
})

describe("Database.describe", () => {
  it("names the SQLite file, or the PostgreSQL host and database without user or password", () => {
    expect(Database.describe(Database.sqlite("/srv/a.sqlite"))).toBe("SQLite /srv/a.sqlite")
    const name = Database.describe(
      Database.pg("postgres://civicgrid:s3cret@db.example:5433/city?sslmode=require")
    )
    expect(name).toBe("PostgreSQL db.example:5433/city")
    expect(name).not.toContain("s3cret")
  })
})

describe("Database.layer / fromConfig", () => {
  it.effect("SQLite: the file's directory is created, and the client answers", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "civicgrid-demo-db-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const file = join(dir, "nested", "deeper", "civicgrid.sqlite")
      const rows = yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1 AS one`).pipe(
        Effect.provide(Database.layer(Database.sqlite(file)))
      )
      expect(rows).toEqual([{ one: 1 }])
      expect(existsSync(file)).toBe(true)
    }).pipe(Effect.scoped, Effect.orDie)
  )

  it.effect(
    "fromConfig reads CIVICGRID_DATABASE_URL; unset gives the default file; a bad URL fails typed",
    () =>
      Effect.gen(function* () {
        const withEnv = (env: ReadonlyArray<readonly [string, string]>) =>
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map(env)))
        const unset = yield* Database.fromConfig(DEFAULT).pipe(withEnv([]))
        expect(unset).toEqual(Database.sqlite(DEFAULT))
        const pg = yield* Database.fromConfig(DEFAULT).pipe(
          withEnv([["CIVICGRID_DATABASE_URL", "postgres://u@h/db"]])
        )
        expect(pg._tag).toBe("pg")
        const bad = yield* Effect.flip(
          Database.fromConfig(DEFAULT).pipe(withEnv([["CIVICGRID_DATABASE_URL", "redis://h"]]))
        )
        expect(bad._tag).toBe("InvalidDatabaseUrl")
      })
  )

  it.effect("layerFromConfig gives a working SqlClient for sqlite::memory:", () =>
    Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ readonly two: number }>`SELECT 2 AS two`).pipe(
      Effect.map((rows) => expect(rows).toEqual([{ two: 2 }])),
      Effect.provide(Database.layerFromConfig(DEFAULT)),
      Effect.withConfigProvider(
        ConfigProvider.fromMap(new Map([["CIVICGRID_DATABASE_URL", "sqlite::memory:"]]))
      ),
      Effect.orDie
    )
  )
})
