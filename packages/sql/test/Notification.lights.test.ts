/**
 * 变灯通知 — timer light notifications against every store (memory, SQLite,
 * PostgreSQL when configured): `lightsCrossed` selects exactly the open cases
 * whose yellow or red mark lies in the window (`matchesLights`), a batch at a
 * time, and windows that tile time find each crossing once; the light job run
 * by two instances on one store (their own lease and cursor objects, the
 * store's cursor shared) sends each crossing once, nothing on its first run
 * ever, and the cursor survives a new instance.
 */
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as JobCursor from "@civicgrid/core/JobCursor"
import * as Lease from "@civicgrid/core/Lease"
import * as Notification from "@civicgrid/core/Notification"
import * as Scheduler from "@civicgrid/core/Scheduler"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import * as SqlJobCursor from "../src/SqlJobCursor.js"
import * as SqlLease from "../src/SqlLease.js"
import { accept, C1, execute, freshDatabase, report, timeLimits, units } from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"

const MINUTE = 60_000
/** Beijing wall-clock time as an instant. */
const bj = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h - 8, min)

/** One server instance on the store: its own lease holder and cursor object. */
interface Instance {
  readonly lease: Lease.Lease["Type"]
  readonly cursor: JobCursor.JobCursor["Type"]
}

class Instances extends Context.Tag("test/Instances")<Instances, (holder: string) => Instance>() {}

interface Env {
  readonly name: string
  readonly layer: Layer.Layer<CaseRepository.CaseRepository | Instances>
}

const memoryEnv: Env = {
  name: "memory",
  layer: Layer.merge(
    CaseRepository.layerMemory({ timeLimits, units }),
    Layer.effect(
      Instances,
      Effect.gen(function* () {
        const leases = yield* Lease.makeMemoryLeases
        const cursors = yield* Ref.make<ReadonlyMap<string, number>>(new Map())
        return (holder: string) => ({
          lease: Lease.makeMemory(leases, holder),
          cursor: JobCursor.makeMemory(cursors)
        })
      })
    )
  )
}

const sqlEnvs: ReadonlyArray<Env> = dialects.map((dialect) => ({
  name: dialect.name,
  layer: Layer.merge(
    SqlCaseRepository.layer({ timeLimits }),
    Layer.effect(
      Instances,
      Effect.map(SqlClient.SqlClient, (sql) => (holder: string) => ({
        lease: SqlLease.make(sql, holder),
        cursor: SqlJobCursor.make(sql)
      }))
    )
  ).pipe(Layer.provide(freshDatabase(dialect)))
}))

const envs: ReadonlyArray<Env> = [memoryEnv, ...sqlEnvs]

/** Every case reported at these Beijing times (working hours), some accepted an hour later. */
const reports = [
  bj(2025, 3, 10, 9),
  bj(2025, 3, 10, 10, 30),
  bj(2025, 3, 10, 14),
  bj(2025, 3, 11, 9),
  bj(2025, 3, 11, 15),
  bj(2025, 3, 12, 11)
]

const seed = Effect.forEach(
  reports,
  (t, k) =>
    Effect.gen(function* () {
      yield* execute(report(`L-${k}`, { at: t }))
      if (k % 2 === 1) yield* execute(accept(`L-${k}`, t + 60 * MINUTE))
    }),
  { discard: true }
)

const every = Effect.flatMap(CaseRepository.CaseRepository, (repo) =>
  Effect.forEach(reports, (_, k) => repo.summary(`L-${k}`))
)

const crossedPaged = (since: number, until: number, limit: number) =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository.CaseRepository
    const out: Array<CaseRepository.CaseSummary> = []
    let after: string | undefined
    for (;;) {
      const batch = yield* repo.lightsCrossed({
        since: DateTime.unsafeMake(since),
        until: DateTime.unsafeMake(until),
        limit,
        ...(after === undefined ? {} : { after })
      })
      out.push(...batch)
      const last = batch[batch.length - 1]
      if (batch.length < limit || last === undefined) return out
      after = last.caseId
    }
  })

describe.each(envs)("timer light notifications — $name", (env) => {
  it.effect("lightsCrossed is matchesLights, in batches; tiled windows find each crossing once", () =>
    Effect.gen(function* () {
      yield* seed
      const all = yield* every
      const marks = all.flatMap((s) => [s.yellowAt, s.redAt]).filter((m) => m !== null)
      expect(marks.length).toBe(2 * reports.length)
      const millis = marks.map((m) => DateTime.toEpochMillis(m))
      const lo = Math.min(...millis) - MINUTE
      const hi = Math.max(...millis) + MINUTE
      // cut points: every mark (a window ends exactly on it), its neighbour, and some others
      const cuts = [...new Set([lo, hi, ...millis, ...millis.map((t) => t - 1), lo + (hi - lo) / 3])].sort(
        (a, b) => a - b
      )
      const seen: Array<string> = []
      for (let k = 1; k < cuts.length; k++) {
        const since = cuts[k - 1] ?? lo
        const until = cuts[k] ?? hi
        const query = { since: DateTime.unsafeMake(since), until: DateTime.unsafeMake(until), limit: 500 }
        const found = yield* crossedPaged(since, until, 2)
        const expected = all.filter((s) => CaseRepository.matchesLights(s, query))
        expect(found.map((s) => s.caseId)).toEqual(expected.map((s) => s.caseId).sort())
        for (const s of found) {
          for (const c of Notification.crossings(s, query.since, query.until))
            seen.push(`${c.caseId}:${c.color}`)
        }
      }
      expect(seen.sort()).toEqual(all.flatMap((s) => [`${s.caseId}:yellow`, `${s.caseId}:red`]).sort())
      // one window over every mark finds every case once; an empty window none
      expect((yield* crossedPaged(lo, hi, 500)).length).toBe(reports.length)
      expect(yield* crossedPaged(hi, hi, 500)).toEqual([])
    }).pipe(Effect.provide(env.layer))
  )

  it.effect("two instances tick the light job: nothing on the first run, then each crossing once", () =>
    Effect.gen(function* () {
      const instances = yield* Instances
      const sent = yield* Ref.make<ReadonlyArray<Notification.Notification>>([])
      const notifier = Notification.Notifier.of({ send: (n) => Ref.update(sent, (xs) => [...xs, n]) })
      const job = Notification.lightJob({ batchSize: 2 })
      const tickOn = (instance: Instance) =>
        Scheduler.tick(job, "1 second").pipe(
          Effect.provideService(Lease.Lease, instance.lease),
          Effect.provideService(JobCursor.JobCursor, instance.cursor),
          Effect.provideService(Notification.Notifier, notifier)
        )
      yield* TestClock.setTime(bj(2025, 3, 10, 8))
      yield* seed
      const all = yield* every
      const a = instances("holder-a")
      const b = instances("holder-b")
      // the first run ever only sets the cursor — after the first report, so nothing old floods
      const first = yield* tickOn(a)
      expect(first._tag).toBe("ran")
      expect(yield* a.cursor.get(job.name)).toEqual(Option.some(bj(2025, 3, 10, 8)))
      // a's lease is still running: b skips this instant
      expect((yield* tickOn(b))._tag).toBe("held")
      // ticks of alternating instances, every 40 minutes over four days
      let k = 0
      for (let t = bj(2025, 3, 10, 8) + 40 * MINUTE; t <= bj(2025, 3, 14, 8); t += 40 * MINUTE) {
        yield* TestClock.setTime(t)
        const result = yield* tickOn(k++ % 2 === 0 ? b : a)
        expect(result._tag).toBe("ran")
      }
      // a new instance (a restart) reads the cursor from the store
      const restarted = instances("holder-c")
      expect(yield* restarted.cursor.get(job.name)).toEqual(Option.some(bj(2025, 3, 14, 8)))
      const got = yield* Ref.get(sent)
      const horizon = bj(2025, 3, 14, 8)
      const expected = all.flatMap((s) =>
        Notification.crossings(s, DateTime.unsafeMake(bj(2025, 3, 10, 8)), DateTime.unsafeMake(horizon)).map(
          (c) => `${c.caseId}:${c.color}`
        )
      )
      expect(expected.length).toBeGreaterThan(0)
      expect(got.map((n) => `${n.caseId}:${n.trigger === "lightRed" ? "red" : "yellow"}`).sort()).toEqual(
        expected.sort()
      )
      expect(new Set(got.map((n) => n.id)).size).toBe(got.length)
      // not dispatched: the owner unit answers for the case
      expect(got.every((n) => n.recipient._tag === "Unit" && n.recipient.unitId === C1)).toBe(true)
      // a run on the same instant again sends nothing more
      yield* TestClock.adjust("2 seconds")
      yield* tickOn(restarted)
      expect((yield* Ref.get(sent)).length).toBe(got.length)
    }).pipe(Effect.provide(env.layer))
  )
})
