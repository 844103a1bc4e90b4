/**
 * docs/guides/postgresql.md — the SQL stores on PostgreSQL: each test runs a
 * snippet against a fresh database created at `CIVICGRID_PG_URL` (skipped,
 * with a message on stderr, without it).
 */
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as Migrations from "@civicgrid/sql/Migrations"
import { assert, describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { panlongMarch } from "../guides/snippets/getting-started/indicator.js"
import * as Concurrency from "../guides/snippets/postgresql/concurrency.js"
import * as Indicators from "../guides/snippets/postgresql/indicators.js"
import * as Layers from "../guides/snippets/postgresql/layers.js"
import { freshDatabase, pgUrl } from "./support/Databases.js"

const server = pgUrl ?? ""

// each test has a database of its own, so they run concurrently
describe.runIf(pgUrl !== undefined).concurrent("postgresql guide on a fresh database", () => {
  it.scoped("layerFromEnv reads CIVICGRID_DATABASE_URL and migrates the database to the latest version", () =>
    Effect.gen(function* () {
      const url = yield* freshDatabase(server)
      const env = ConfigProvider.fromMap(new Map([["CIVICGRID_DATABASE_URL", Redacted.value(url)]]))
      const version = yield* Effect.gen(function* () {
        const repo = yield* CaseRepository
        const page = yield* repo.list({})
        expect(page.items).toEqual([])
        return yield* Migrations.databaseVersion
      }).pipe(Effect.provide(Layers.layerFromEnv.pipe(Layer.provide(Layer.setConfigProvider(env)))))
      expect(version).toBe(Migrations.latestVersion)
    })
  )

  it.scoped(
    "并发冲突: of two decisions on version 1, exactly one is stored; the other is a ConcurrencyConflict",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase(server)
        const { first, second, history } = yield* Concurrency.twoDecisions(url)
        const outcomes = [first, second]
        const won = outcomes.filter(Either.isRight)
        const lost = outcomes.filter(Either.isLeft)
        expect(won.map((w) => w.right.version)).toEqual([2])
        expect(
          lost.map((l) =>
            l.left._tag === "ConcurrencyConflict"
              ? [l.left._tag, l.left.expectedVersion, l.left.actualVersion]
              : [l.left._tag, l.left.reason]
          )
        ).toEqual([["ConcurrencyConflict", 1, 2]])
        expect(history.length).toBe(2)
        expect(history[0]).toBe("Reported")
        expect(["Accepted", "Rejected"]).toContain(history[1])
        // the stored event is the winner's
        expect(history[1]).toBe(Either.isRight(first) ? "Accepted" : "Rejected")
      })
  )

  it.scoped(
    "幂等: two racing reports with one idempotency key make one case; exactly one is not a replay",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase(server)
        const results = yield* Concurrency.retriedReport(url)
        expect(new Set(results.map((r) => r.caseId)).size).toBe(1)
        expect(results.filter((r) => !r.replayed).length).toBe(1)
      })
  )

  it.scoped(
    "SqlIndicators.compute gives 青云街道's March figures: 1/1, equal to the core's Indicator.compute",
    () =>
      Effect.gen(function* () {
        const url = yield* freshDatabase(server)
        const months = yield* Indicators.marchInSql(url)
        expect(months.map((m) => [m.label, m.acceptanceClosure, m.onTimeClosure])).toEqual([
          ["2025-03", "100.0% (1/1)", "100.0% (1/1)"]
        ])
        if (Either.isLeft(panlongMarch)) return assert.fail("core indicators failed")
        expect(months[0]?.indicators).toEqual(panlongMarch.right)
      })
  )
})
