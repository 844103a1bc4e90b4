/**
 * 多实例定时上报 — three `civicgrid serve` processes on ONE fresh PostgreSQL
 * database, each running the scheduler every second, while command traffic
 * (comments on the very cases that are due, reports, lists) goes through all
 * three over REST. Afterwards: every case that was due is escalated exactly
 * once (one more `Escalated` event per due case in `cg_case_events`, none on
 * the others), the servers' logs account for exactly those escalations, no
 * event is lost or doubled (each case's sequences are 1 … n), and the read
 * model equals the fold of the events.
 *
 * The demo seed's year is closed; the overdue cases are written before the
 * servers start — reported 20 to 40 days ago, at filing, dispatch or handling
 * — through the same store (decided by the core, appended at version 0).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { Actor } from "@civicgrid/core/Actor"
import { ActorId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId } from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as Escalation from "@civicgrid/core/Escalation"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as Unit from "@civicgrid/core/Unit"
import * as Seed from "@civicgrid/demo/Seed"
import * as SqlCalendarRepository from "@civicgrid/sql/SqlCalendarRepository"
import * as TestDatabases from "@civicgrid/testkit/Databases"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Databases from "./support/Databases.js"
import * as TestConsole from "./support/TestConsole.js"

const bin = fileURLToPath(new URL("../bin/civicgrid.js", import.meta.url))
const pgUrl = Databases.pgUrl
const OVERDUE = 60
const HOUR = 3_600_000

interface Server {
  readonly child: ChildProcess
  readonly output: { text: string; err: string }
  readonly base: string
}

/** Starts `civicgrid serve` on a free port with the scheduler every second; resolves once listening. */
const serve = (url: string) =>
  Effect.acquireRelease(
    Effect.async<Server, Error>((resume) => {
      const output = { text: "", err: "" }
      const child = spawn(
        process.execPath,
        [bin, "serve", "--port", "0", "--scheduler-interval", "1", "--database", url],
        { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CIVICGRID_DATABASE_URL: "" } }
      )
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        output.err += chunk
      })
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        output.text += chunk
        const match = /listening on\s+(http:\/\/\S+)\n/.exec(output.text)
        if (match?.[1] !== undefined) resume(Effect.succeed({ child, output, base: match[1] }))
      })
      child.once("exit", (code) =>
        resume(Effect.fail(new Error(`serve exited (${code}):\n${output.text}\n${output.err}`)))
      )
    }),
    (server) => Effect.sync(() => server.child.exitCode === null && server.child.kill("SIGKILL"))
  )

/** SIGTERM, and the exit status. */
const stop = (server: Server) =>
  Effect.async<number | null>((resume) => {
    if (server.child.exitCode !== null) return resume(Effect.succeed(server.child.exitCode))
    server.child.once("exit", (code) => resume(Effect.succeed(code)))
    server.child.kill("SIGTERM")
  })

const person = (id: string, role: Actor["role"], unitId: string): Actor => ({
  id: ActorId.make(id),
  role,
  unitId: Unit.UnitId.make(unitId)
})

/** An overdue case's events: reported `daysAgo` days before `now`, then accepted, then dispatched (by stage). */
const overdueEvents = (
  id: string,
  community: string,
  reportedAt: number,
  stage: number
): ReadonlyArray<CaseEvent> => {
  const caseId = Case.CaseId.make(id)
  const staff = person(`cs-${community}`, "community-staff", community)
  const commands: Array<CaseCommand> = [
    {
      _tag: "Report",
      caseId,
      actor: person(`gw-${community}`, "grid-worker", community),
      at: DateTime.unsafeMake(reportedAt),
      source: "patrol",
      categoryId: CategoryId.make("SJ-0101"),
      urgency: "normal",
      description: "超期未办 overdue test case",
      location: { unitId: Unit.UnitId.make(community) },
      communityId: Unit.UnitId.make(community),
      tier: "community",
      anonymous: false
    }
  ]
  if (stage >= 1)
    commands.push({ _tag: "Accept", caseId, actor: staff, at: DateTime.unsafeMake(reportedAt + HOUR) })
  if (stage >= 2) {
    commands.push({
      _tag: "Dispatch",
      caseId,
      actor: staff,
      at: DateTime.unsafeMake(reportedAt + 2 * HOUR),
      target: { _tag: "Unit", unitId: Unit.UnitId.make(community) }
    })
  }
  let state: Case.State = Case.initial
  const events: Array<CaseEvent> = []
  for (const command of commands) {
    const result = Case.execute(state, command)
    if (Either.isLeft(result)) throw new Error(`${id}: ${result.left.message}`)
    state = result.right.state
    events.push(...result.right.events)
  }
  return events
}

const request = (url: string, init: RequestInit = {}) =>
  Effect.promise(() =>
    fetch(url, {
      ...init,
      headers: { authorization: "Bearer demo-district-staff", "content-type": "application/json" }
    }).then(async (r) => {
      await r.arrayBuffer()
      return r.status
    })
  )

if (pgUrl !== undefined) {
  describe("three servers on one PostgreSQL database, the scheduler in each", () => {
    it.scoped(
      "each due case escalated exactly once; no event lost or doubled; the read model is the fold",
      () =>
        Effect.gen(function* () {
          const url = yield* TestDatabases.freshDatabaseUrl(pgUrl, "cg_sched")
          for (const args of [
            ["migrate", "--database", url],
            ["seed", "--streets", "1", "--communities-per-street", "2", "--cases", "200", "--database", url]
          ]) {
            const run = yield* TestConsole.runCli(args)
            expect(Exit.isSuccess(run.exit), run.err).toBe(true)
          }
          const client = PgClient.layer({ url: Redacted.make(url), maxConnections: 4 })
          const stores = Seed.layerStores.pipe(Layer.provideMerge(client))
          const ctx = yield* Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const repo = yield* CaseRepository.CaseRepository
            const hierarchy = yield* Effect.orDie(
              Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) => h.load)
            )
            const calendar = yield* Effect.orDie(SqlCalendarRepository.calendar)
            const communities = Hierarchy.units(hierarchy).filter((u) => u.level === "community")
            expect(communities.length).toBe(2)
            // the overdue cases, written before any server starts
            const now = Date.now()
            for (let k = 0; k < OVERDUE; k++) {
              const community = communities[k % communities.length]?.id ?? ""
              const events = overdueEvents(
                `OVERDUE-${String(k).padStart(3, "0")}`,
                community,
                now - (20 + (k % 20)) * 24 * HOUR - k * HOUR,
                k % 3
              )
              yield* repo.append({
                caseId: Case.CaseId.make(`OVERDUE-${String(k).padStart(3, "0")}`),
                expectedVersion: 0,
                events
              })
            }
            const ids = (yield* sql<{
              readonly case_id: string
            }>`SELECT case_id FROM cg_cases ORDER BY case_id`).map((r) => r.case_id)
            const states: Array<Case.Case> = []
            for (const id of ids) {
              const state = Case.fold(yield* repo.events(id))
              if (state._tag === "Case") states.push(state)
            }
            // the oracle: what is due now, on the folded cases
            const judged = Escalation.due(states, DateTime.unsafeMake(now), {
              hierarchy,
              timeLimits: Seed.timeLimits.policy,
              calendar
            })
            return {
              ids,
              due: new Set<string>(judged.due.map((d) => d.caseId)),
              skipped: judged.skipped.length,
              timeLimits: { policy: Seed.timeLimits.policy, calendar }
            }
          }).pipe(Effect.provide(stores))
          expect(ctx.skipped).toBe(0)
          expect(ctx.due.size).toBeGreaterThanOrEqual(OVERDUE)
          const due = [...ctx.due]

          const escalatedCount = Effect.flatMap(
            SqlClient.SqlClient,
            (sql) =>
              sql<{ readonly n: number | string }>`
              SELECT COUNT(DISTINCT case_id) AS n FROM cg_case_events WHERE tag = 'Escalated' AND ${sql.in("case_id", due)} AND at > ${Date.now() - 60_000}`
          ).pipe(
            Effect.map((rows) => Number(rows[0]?.n ?? 0)),
            Effect.orDie,
            Effect.provide(client)
          )
          const before = yield* Effect.flatMap(
            SqlClient.SqlClient,
            (sql) =>
              sql<{ readonly case_id: string; readonly n: number | string }>`
              SELECT case_id, COUNT(*) AS n FROM cg_case_events WHERE tag = 'Escalated' GROUP BY case_id`
          ).pipe(Effect.orDie, Effect.provide(client))
          const escalatedBefore = new Map(before.map((r) => [r.case_id, Number(r.n)]))

          const started = Date.now()
          const servers = yield* Effect.all([serve(url), serve(url), serve(url)], {
            concurrency: "unbounded"
          })
          const startup = Date.now() - started

          // traffic through all three while the schedulers run: comments on due cases, reports, lists
          const statuses = new Map<number, number>()
          let requests = 0
          const oneRound = (round: number) =>
            Effect.forEach(
              Array.from({ length: 12 }, (_, k) => k),
              (k) => {
                const server = servers[(round + k) % servers.length] as Server
                const caseId = due[(round * 12 + k) % due.length] ?? ""
                const send =
                  k % 6 === 5
                    ? request(`${server.base}/cases?limit=20`)
                    : request(`${server.base}/cases/${caseId}/comment`, {
                        method: "POST",
                        body: JSON.stringify({ text: `催办 round ${round}`, visibility: "internal" })
                      })
                return Effect.map(send, (status) => {
                  requests++
                  statuses.set(status, (statuses.get(status) ?? 0) + 1)
                })
              },
              { concurrency: "unbounded", discard: true }
            )
          let round = 0
          let done = 0
          const deadline = Date.now() + 40_000
          while (Date.now() < deadline) {
            yield* oneRound(round++)
            done = yield* escalatedCount
            if (done === due.length) break
          }
          const escalatedIn = Date.now() - started
          // a few more rounds and ticks with nothing left to escalate
          const settle = Date.now() + 2_500
          while (Date.now() < settle) yield* oneRound(round++)
          const exits = yield* Effect.all(servers.map(stop), { concurrency: "unbounded" })
          expect(exits).toEqual([0, 0, 0])
          expect(done).toBe(due.length)

          const verdict = yield* Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const repo = yield* CaseRepository.CaseRepository
            const after = yield* sql<{ readonly case_id: string; readonly n: number | string }>`
              SELECT case_id, COUNT(*) AS n FROM cg_case_events WHERE tag = 'Escalated' GROUP BY case_id`
            const escalatedAfter = new Map(after.map((r) => [r.case_id, Number(r.n)]))
            const ids = (yield* sql<{ readonly case_id: string }>`SELECT case_id FROM cg_cases`).map(
              (r) => r.case_id
            )
            const problems: Array<string> = []
            for (const id of ids) {
              const added = (escalatedAfter.get(id) ?? 0) - (escalatedBefore.get(id) ?? 0)
              const expected = ctx.due.has(id) ? 1 : 0
              if (added !== expected) problems.push(`${id}: ${added} escalation(s), expected ${expected}`)
              const events = yield* repo.events(id)
              const sequences = events.map((e) => e.sequence)
              if (!sequences.every((s, k) => s === k + 1))
                problems.push(`${id}: sequences ${sequences.join(",")}`)
              const state = Case.fold(events)
              if (state._tag !== "Case") {
                problems.push(`${id}: no case`)
                continue
              }
              const summary = yield* Effect.orDie(repo.summary(id))
              if (
                JSON.stringify(summary) !== JSON.stringify(CaseRepository.summarize(state, ctx.timeLimits))
              ) {
                problems.push(`${id}: the read model is not the fold`)
              }
            }
            return { problems, cases: ids.length }
          }).pipe(Effect.orDie, Effect.provide(stores))
          expect(verdict.problems).toEqual([])

          // the servers' logs account for exactly these escalations, across instances
          const logged = servers.map((s) =>
            [...s.output.text.matchAll(/超时自动上报 escalated (\d+) overdue/g)].reduce(
              (n, m) => n + Number(m[1]),
              0
            )
          )
          expect(logged.reduce((a, b) => a + b, 0)).toBe(due.length)
          expect(requests).toBeGreaterThan(0)
          // what happened, for the log
          yield* Effect.logInfo(
            `three instances: ${due.length} due of ${verdict.cases} cases; started in ${Duration.format(Duration.millis(startup))}, ` +
              `all escalated ${Duration.format(Duration.millis(escalatedIn))} after start; ${requests} requests ${JSON.stringify(Object.fromEntries(statuses))}; ` +
              `escalations logged per instance ${JSON.stringify(logged)}`
          )
        }),
      90_000
    )
  })
}
