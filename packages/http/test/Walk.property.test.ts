/**
 * Random **valid** walks through the API (issue 11): on SQLite and
 * PostgreSQL, over the example server's setup — the SQL stores with time
 * limits (the default policy on the official calendar, as the demo's
 * `Seed.layerStores` passes them) — principals of every role the API knows
 * drive cases through the closed loop. Each command is drawn by
 * `@civicgrid/testkit/CaseHistory` against the case **as the server stores
 * it** (so every command is one the core decider accepts there, its payload
 * derived from the command schema: every optional field present and absent,
 * e.g. a satisfied return visit whose problem is not resolved), and sent the
 * way a real client would: the server assigns case ids and the instant
 * (a test clock, moving through working hours), reports name a category of
 * the catalogue and a unit of the hierarchy, dispatch targets come from the
 * hierarchy and the department list, escalations leave the unit to the server.
 *
 * The properties: no response is ever a 5xx (a 4xx refusal of a server-only
 * rule is fine), and afterwards the indicators `GET /metrics/indicators`
 * reports for the district equal the core's `Indicator.measure` over the
 * events the store holds.
 */
import type { Role as CoreRole } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Indicator from "@civicgrid/core/Indicator"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import { MetricsResult } from "../src/Api.js"
import * as Principal from "../src/Principal.js"
import { CHENGGUAN, D, type Dialect, demoRows, dialects, env, seedDemo, Tokens } from "./support/Harness.js"

/** The example server's time limits (`@civicgrid/demo` Seed.timeLimits). */
const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

/** The roles a principal can hold that are roles of the core (12345 and the system have no principal). */
const roles: ReadonlyArray<CoreRole> = Principal.Role.literals.flatMap((r) => (r === "admin" ? [] : [r]))

/** The departments the server knows (the demo registers 城管). */
const departments = [CHENGGUAN]
const world: CaseHistory.World = { units: demoRows, departments }
const walkOptions: CaseHistory.Options = { world, roles }

/** How many candidates a client tries per step before it gives the case up. */
const tries = 12

/** 2024-03-04 09:00 in Beijing, a Monday: the walks' clock starts here. */
const T0 = Date.UTC(2024, 2, 4, 1, 0)

/** The categories a client offers: the standard catalogue's minor classes. */
const categories = CaseCategory.minors(CaseCategory.Standard).map((m) => m.id)

/** The command segments of `/cases/{id}/…` (a new command without one fails to compile). */
const segments: Readonly<Record<Exclude<Case.CommandTag, "Report" | "SelfHandle">, string>> = {
  Accept: "accept",
  Reject: "reject",
  Void: "void",
  Dispatch: "dispatch",
  Return: "return",
  Handle: "handle",
  Verify: "verify",
  Evaluate: "evaluate",
  Reopen: "reopen",
  RequestSuspension: "suspend",
  ApproveSuspension: "suspension/approve",
  DenySuspension: "suspension/deny",
  Resume: "resume",
  RequestExtension: "extend",
  ApproveExtension: "extension/approve",
  DenyExtension: "extension/deny",
  Merge: "merge",
  Escalate: "escalate",
  Comment: "comment",
  Supervise: "supervise"
}

/** A fresh migrated database with the demo district (and its department), the SQL stores with time limits, the API in process. */
const server = (dialect: Dialect) =>
  Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect, { timeLimits })))

interface Reply {
  readonly status: number
  readonly json: unknown
  readonly request: string
}

/** The request a client sends for a command: the path and the body (what the server does not fill in itself). */
const requestOf = (
  g: fc.GeneratorValue,
  command: CaseCommand,
  serverId: string | undefined,
  serverIds: ReadonlyMap<string, string>
): { readonly path: string; readonly body: Record<string, unknown> } => {
  const { _tag, caseId: _caseId, actor: _actor, at: _at, ...fields } = command
  switch (command._tag) {
    case "Report":
    case "SelfHandle": {
      const {
        communityId: _c,
        ownerUnitId: _o,
        location,
        ...body
      } = fields as Record<string, unknown> & {
        readonly location: Case.Location
      }
      const categoryId = categories[g(fc.nat, { max: categories.length - 1 })]
      // a client offers the grids the server knows (the demo district has none) and positions on the map
      const { gridId: _g, position, ...place } = location
      const onMap =
        position !== undefined && Math.abs(position[0]) <= 180 && Math.abs(position[1]) <= 90
          ? { position }
          : {}
      return {
        path: command._tag === "Report" ? "/cases" : "/cases/self-handle",
        body: { ...body, categoryId, location: { ...place, ...onMap } }
      }
    }
    case "Escalate":
      return {
        path: `/cases/${encodeURIComponent(serverId ?? "")}/escalate`,
        body: { reason: command.reason }
      }
    case "Merge":
      return {
        path: `/cases/${encodeURIComponent(serverId ?? "")}/merge`,
        body: { ...fields, targetId: serverIds.get(command.targetId) ?? command.targetId }
      }
    default:
      return { path: `/cases/${encodeURIComponent(serverId ?? "")}/${segments[command._tag]}`, body: fields }
  }
}

const send = (token: string, method: "GET" | "POST", path: string, body?: unknown) =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const base = method === "GET" ? HttpClientRequest.get(path) : HttpClientRequest.post(path)
    const request = HttpClientRequest.bearerToken(base, token)
    const withBody = body === undefined ? request : HttpClientRequest.bodyUnsafeJson(request, body)
    const response = yield* http.execute(withBody)
    const text = yield* response.text
    const json: unknown = text.length === 0 ? null : JSON.parse(text)
    return {
      status: response.status,
      json,
      request: `${method} ${path} ${JSON.stringify(body)}`
    } satisfies Reply
  }).pipe(Effect.scoped, Effect.orDie)

const decodeResult = Schema.decodeUnknownSync(MetricsResult)
const encodePeriods = Schema.encodeSync(MetricsResult.fields.periods)

const walk = (g: fc.GeneratorValue) =>
  Effect.gen(function* () {
    const tokens = yield* Tokens
    const repo = yield* CaseRepository
    const tokenOf = (command: CaseCommand): string => {
      const a = command.actor
      const principal = Principal.make(
        a.role === "department" && a.departmentId !== undefined
          ? { id: a.id, role: a.role, unitId: a.unitId, departmentId: a.departmentId }
          : { id: a.id, role: a.role as Principal.Role, unitId: a.unitId }
      )
      const token = `t-${tokens.size}`
      tokens.set(token, principal)
      return token
    }
    let clock = T0
    yield* TestClock.setTime(clock)
    /** generated id → the server's id (merge targets name generated ids) */
    const serverIds = new Map<string, string>()
    const cases = g(fc.integer, { min: 1, max: 3 })
    for (let c = 0; c < cases; c++) {
      const placeholder = Case.CaseId.make(`walk-${c}`)
      let serverId: string | undefined
      let state: Case.State = Case.initial
      const steps = g(fc.integer, { min: 1, max: 24 })
      for (let k = 0; k < steps; k++) {
        const others = [...serverIds.keys()]
          .filter((id) => id !== placeholder)
          .map((id) => Case.CaseId.make(id))
        // the core accepts every candidate; the server may refuse one by a rule of its own (an
        // unknown grid, a position off the map, a category's starting tier …): a 4xx, and the
        // client tries another, as a person would
        let accepted = false
        for (let attempt = 0; attempt < tries && !accepted; attempt++) {
          const next = CaseHistory.nextCommand(
            g,
            state,
            {
              caseId: state._tag === "Case" ? state.id : placeholder,
              at: DateTime.unsafeMake(clock),
              others
            },
            walkOptions
          )
          if (next === undefined) break
          const { path, body } = requestOf(g, next.command, serverId, serverIds)
          const reply = yield* send(tokenOf(next.command), "POST", path, body)
          expect(reply.status, `${reply.request} → ${JSON.stringify(reply.json)}`).toBeLessThan(500)
          accepted = reply.status < 300
          if (accepted && serverId === undefined) {
            serverId = (reply.json as { readonly caseId: string }).caseId
            serverIds.set(placeholder, serverId)
            serverIds.set(serverId, serverId)
          }
        }
        if (!accepted || serverId === undefined) break
        state = Case.fold(yield* repo.events(serverId))
        clock = CaseHistory.nextInstant(g, clock, walkOptions)
        yield* TestClock.setTime(clock)
      }
    }
    return [...new Set(serverIds.values())]
  })

const runs = (dialect: Dialect) => ({
  timeout: 120_000,
  fastCheck: { ...CaseHistory.parameters, numRuns: dialect.name === "sqlite" ? 25 : 12 }
})

for (const dialect of dialects) {
  describe(`random valid walks through the API on ${dialect.name}, with time limits`, () => {
    it.effect.prop(
      "no valid command is ever answered 5xx; the district's indicators equal Indicator.measure over the stored events",
      [fc.gen()],
      ([g]) =>
        Effect.gen(function* () {
          const tokens = yield* Tokens
          const ids = yield* walk(g)
          const repo = yield* CaseRepository
          const events: Array<CaseEvent> = []
          for (const id of ids) events.push(...(yield* repo.events(id)))
          const asOf = yield* DateTime.now
          tokens.set("district", Principal.make({ id: "ds-metrics", role: "district-staff", unitId: D }))
          const reply = yield* send(
            "district",
            "GET",
            `/metrics/indicators?within=${D}&period=month&asOf=${encodeURIComponent(DateTime.formatIso(asOf))}`
          )
          expect(reply.status, JSON.stringify(reply.json)).toBe(200)
          const reported = decodeResult(reply.json)
          const hierarchy = yield* Effect.orDie(Effect.flatMap(HierarchyRepository, (h) => h.load))
          const expected = Indicator.measure({
            hierarchy,
            timeLimits: timeLimits.policy,
            calendar: timeLimits.calendar,
            granularity: "month",
            asOf,
            events
          })
          if (expected._tag === "Left") return yield* Effect.die(expected.left)
          expect(encodePeriods(reported.periods)).toEqual(encodePeriods(expected.right.periods))
          expect(reported.unjudged).toBe(expected.right.unjudged.length)
        }).pipe(Effect.provide(server(dialect))),
      runs(dialect)
    )
  })
}
