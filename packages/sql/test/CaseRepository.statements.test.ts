/**
 * SQL statements per write (issue 11, "one write path"): how many statements
 * and transactions a report and a command cost through the case service, on
 * the store configured as in production (time limits, so the indicator tables
 * are kept in the same transaction). Counted from `@effect/sql`'s own spans
 * (`support/Statements.ts`), on SQLite and PostgreSQL. The listing is printed
 * (`[statements] …`); the bounds are what the write path must not exceed.
 */
import * as CaseService from "@civicgrid/core/CaseService"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import { accept, dispatch, freshDatabase, handle, report, T0, timeLimits } from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"
import { type Counted, counted, roundTrips, shape } from "./support/Statements.js"

const MINUTE = 60_000

const print = (dialect: string, what: string, c: Counted<unknown>): void => {
  console.log(
    `[statements] ${dialect} ${what}: ${c.statements.length} statements in ${c.transactions} transaction(s) = ${roundTrips(c)} round trips — ${c.statements.map(shape).join("; ")}`
  )
}

describe.each(dialects)("SQL statements per write — $name", (dialect) => {
  const withStore = Layer.provideMerge(SqlCaseRepository.layer({ timeLimits }), freshDatabase(dialect))

  it.effect("a report, a keyed report and commands through CaseService.execute", () =>
    Effect.gen(function* () {
      const reported = yield* counted(CaseService.execute(report("case-1")))
      print(dialect.name, "report", reported)
      const keyed = yield* counted(
        CaseService.execute(report("case-2", { at: T0 + 1 }), { idempotencyKey: "hotline-1" })
      )
      print(dialect.name, "report with idempotency key", keyed)
      const accepted = yield* counted(CaseService.execute(accept("case-1", T0 + MINUTE)))
      print(dialect.name, "command (accept)", accepted)
      const dispatched = yield* counted(CaseService.execute(dispatch("case-1", T0 + 2 * MINUTE)))
      print(dialect.name, "command (dispatch)", dispatched)
      const handled = yield* counted(CaseService.execute(handle("case-1", T0 + 3 * MINUTE)))
      print(dialect.name, "command (handle)", handled)

      for (const c of [reported, keyed, accepted, dispatched, handled]) {
        expect(c.transactions).toBe(1)
        expect(c.statements.length).toBeGreaterThan(0)
      }
      expect(handled.value.state.version).toBe(4)
    }).pipe(Effect.provide(withStore))
  )
})
