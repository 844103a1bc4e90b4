/**
 * SQL statements per write (issue 11, "one write path"): how many statements
 * and transactions a report and a command cost, on the store configured as
 * in production (time limits, so the indicator tables are kept in the same
 * transaction). Counted from `@effect/sql`'s own spans
 * (`support/Statements.ts`), on SQLite and PostgreSQL, for the two ways a
 * writer appends:
 *
 * - **decided** — as `CaseService` does: a report is decided against no case
 *   and appended with `decided` (no read); a command reads the case's events
 *   once, decides, and appends with `decided` (the store does not read and
 *   fold them again);
 * - **store reads** — the append without `decided` (the write path before
 *   issue 11: the writer reads the events, the store reads and folds them
 *   again).
 *
 * The listing is printed (`[statements] …`); the bounds are what each path
 * must not exceed. (`CaseService`'s own reads — the hierarchy for routing,
 * the idempotency lookup — come on top.)
 */
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { unitPaths } from "../src/internal/support.js"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import {
  accept,
  B1,
  C1,
  dispatch,
  execute,
  freshDatabase,
  handle,
  report,
  T0,
  timeLimits
} from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"
import { type Counted, counted, roundTrips, shape } from "./support/Statements.js"

const MINUTE = 60_000

/** The statements on a table, by shape (`INSERT cg_cases`). */
const touching = (c: Counted<unknown>, table: string): ReadonlyArray<string> =>
  c.statements.map(shape).filter((s) => s.endsWith(` ${table}`))

const print = (dialect: string, what: string, c: Counted<unknown>): void => {
  console.log(
    `[statements] ${dialect} ${what}: ${c.statements.length} statements in ${c.transactions} transaction(s) = ${roundTrips(c)} round trips — ${c.statements.map(shape).join("; ")}`
  )
}

/** A report as `CaseService.report` appends it: decided against no case, nothing read first. */
const decidedReport = (command: CaseCommand, idempotencyKey?: string) =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository.CaseRepository
    const events = yield* Case.decide(command, Case.initial)
    const after = Case.fold(events)
    if (after._tag !== "Case") return yield* Effect.dieMessage("a report left no case")
    return yield* repo.append({
      caseId: command.caseId,
      expectedVersion: 0,
      events,
      decided: { history: [], after },
      ...(idempotencyKey === undefined ? {} : { idempotencyKey })
    })
  })

describe.each(dialects)("SQL statements per write — $name", (dialect) => {
  const withStore = Layer.provideMerge(SqlCaseRepository.layer({ timeLimits }), freshDatabase(dialect))

  it.effect("decided (as CaseService appends): a report, a keyed report and commands", () =>
    Effect.gen(function* () {
      const reported = yield* counted(decidedReport(report("case-1")))
      print(dialect.name, "decided report", reported)
      const keyed = yield* counted(decidedReport(report("case-2", { at: T0 + 1 }), "hotline-1"))
      print(dialect.name, "decided report with idempotency key", keyed)
      const accepted = yield* counted(execute(accept("case-1", T0 + MINUTE)))
      print(dialect.name, "decided command (accept)", accepted)
      const dispatched = yield* counted(execute(dispatch("case-1", T0 + 2 * MINUTE)))
      print(dialect.name, "decided command (dispatch)", dispatched)
      const handled = yield* counted(execute(handle("case-1", T0 + 3 * MINUTE)))
      print(dialect.name, "decided command (handle)", handled)

      for (const c of [reported, keyed, accepted, dispatched, handled]) {
        expect(c.transactions).toBe(1)
        // at most one lookup of unit paths of the store's own, one of the indicator writer's
        expect(touching(c, "cg_units").length).toBeLessThanOrEqual(2)
      }
      // a report: no read of events or versions — the path lookup, the event, the row
      for (const c of [reported, keyed]) {
        expect(touching(c, "cg_case_events")).toEqual(["INSERT cg_case_events"])
        expect(touching(c, "cg_cases")).toEqual(["INSERT cg_cases"])
      }
      // before issue 11: 12 round trips (a read of the events, 10 statements, BEGIN, COMMIT); 14 with a key
      expect(roundTrips(reported)).toBeLessThanOrEqual(10)
      expect(roundTrips(keyed)).toBeLessThanOrEqual(11)
      expect(touching(reported, "cg_idempotency")).toEqual([])
      expect(touching(keyed, "cg_idempotency")).toEqual(["INSERT cg_idempotency"])
      // a command: the writer's one read of the events, the locked version check, the event, the row
      for (const c of [accepted, dispatched, handled]) {
        expect(touching(c, "cg_case_events")).toEqual(["SELECT cg_case_events", "INSERT cg_case_events"])
        expect(touching(c, "cg_cases")).toEqual(["SELECT cg_cases", "INSERT cg_cases"])
        // before issue 11: 15 round trips; 14, plus the outbox insert since issue 16
        expect(touching(c, "cg_outbox")).toEqual(["INSERT cg_outbox"])
        expect(roundTrips(c)).toBeLessThanOrEqual(15)
      }
      expect(handled.value.state.version).toBe(4)
    }).pipe(Effect.provide(withStore))
  )

  it.effect("store reads (no decided): a report and a command", () =>
    Effect.gen(function* () {
      const reported = yield* counted(execute(report("case-1"), { decided: false }))
      print(dialect.name, "store-reads report (writer reads, then appends)", reported)
      const accepted = yield* counted(execute(accept("case-1", T0 + MINUTE), { decided: false }))
      print(dialect.name, "store-reads command (accept)", accepted)
      // the writer's read and the store's own read of the events (and its fold)
      expect(touching(accepted, "cg_case_events")).toEqual([
        "SELECT cg_case_events",
        "SELECT cg_case_events",
        "INSERT cg_case_events"
      ])
      expect(touching(reported, "cg_cases")).toEqual(["INSERT cg_cases"])
      expect(roundTrips(reported)).toBeLessThanOrEqual(11)
      // 15, plus the outbox insert (issue 16)
      expect(roundTrips(accepted)).toBeLessThanOrEqual(16)
      expect(accepted.value.state.version).toBe(2)
    }).pipe(Effect.provide(withStore))
  )

  it.effect("spans: append, events, summary and list each run in a span of the store", () =>
    Effect.gen(function* () {
      const repo = yield* CaseRepository.CaseRepository
      const traced = yield* counted(
        Effect.gen(function* () {
          yield* decidedReport(report("case-1"))
          yield* repo.events("case-1")
          yield* repo.summary("case-1")
          yield* repo.list({})
          yield* repo.findByIdempotencyKey("none")
        })
      )
      for (const name of ["append", "appendAll", "events", "summary", "list", "findByIdempotencyKey"]) {
        expect(traced.spans).toContain(`SqlCaseRepository.${name}`)
      }
    }).pipe(Effect.provide(withStore))
  )

  it.effect("unit paths: one statement for any number of units, once per transaction", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const many = [...Array.from({ length: 2500 }, (_, k) => `no-such-unit-${k}`), C1, B1]
      const outside = yield* counted(unitPaths(sql, many))
      expect(outside.statements.length).toBe(1)
      expect([...outside.value.keys()].sort()).toEqual([B1, C1])
      const inside = yield* counted(
        sql.withTransaction(
          Effect.gen(function* () {
            const first = yield* unitPaths(sql, [C1, "no-such-unit"])
            const again = yield* unitPaths(sql, ["no-such-unit", C1])
            const more = yield* unitPaths(sql, [C1, B1])
            return { first, again, more }
          })
        )
      )
      // the second lookup asks for nothing new; the third only for B1
      expect(inside.statements.length).toBe(2)
      expect([...inside.value.again.entries()]).toEqual([...inside.value.first.entries()])
      expect(inside.value.more.get(B1)).toBe(outside.value.get(B1))
    }).pipe(Effect.provide(withStore))
  )
})
