/**
 * 批量导入 — `CaseRepository.importNew` on the SQL stores: importing generated
 * histories (`@civicgrid/testkit/CaseHistory`) in one batch leaves exactly the
 * tables that appending the same commands one by one leaves — events, outbox,
 * read model, indicator cases, deltas, unjudged records and day sums (a sum
 * that came back to zero aside, values to 1e-9) — on two fresh databases of
 * each dialect with time limits. An import is all or nothing: a case that
 * exists already fails the batch with `ConcurrencyConflict` and nothing of
 * the batch is written; a malformed input is a defect.
 */
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import { DEPT_CG, DEPT_ZJ, freshDatabase, report, timeLimits, units } from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"

/** One database and the store on it. */
interface Side {
  readonly repo: CaseRepository.CaseRepository["Type"]
  readonly sql: SqlClient.SqlClient
}

/** Two fresh databases of one dialect: one imported into, one appended to. */
class Pair extends Context.Tag("test/ImportPair")<Pair, { readonly bulk: Side; readonly single: Side }>() {}

const side = (layerOf: Layer.Layer<SqlClient.SqlClient>) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(layerOf)
    const sql = Context.get(context, SqlClient.SqlClient)
    const repo = yield* Effect.provide(SqlCaseRepository.make({ timeLimits }), context)
    return { repo, sql }
  })

const world: CaseHistory.World = { units, departments: [DEPT_CG, DEPT_ZJ] }
const generated = CaseHistory.histories({ world, cases: { min: 1, max: 6 } })

/** FNV-1a, 8 hex digits: keeps a shortened id distinct. */
const fnv = (text: string): string => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0
  return hash.toString(16).padStart(8, "0")
}

/** A case id under a prefix, within the id's 128 characters (a long id is cut and its hash appended). */
const prefixed = (prefix: string, id: string) => {
  const full = `${prefix}${id}`
  return Case.CaseId.make(full.length <= 128 ? full : `${full.slice(0, 119)}~${fnv(id)}`)
}

/** The commands with every case id (and merge target) under a prefix, so runs sharing a store never meet. */
const renamed = (prefix: string, command: CaseCommand): CaseCommand => {
  const caseId = prefixed(prefix, command.caseId)
  return command._tag === "Merge"
    ? { ...command, caseId, targetId: prefixed(prefix, command.targetId) }
    : { ...command, caseId }
}

/** Decides commands in order: each command's case, the state before and its events. */
const decideAll = (commands: ReadonlyArray<CaseCommand>) => {
  const states = new Map<string, Case.State>()
  const histories = new Map<string, Array<CaseEvent>>()
  const steps: Array<{
    readonly caseId: string
    readonly before: Case.State
    readonly events: ReadonlyArray<CaseEvent>
  }> = []
  for (const command of commands) {
    const before = states.get(command.caseId) ?? Case.initial
    const decided = Case.decide(command, before)
    if (Either.isLeft(decided)) throw decided.left
    steps.push({ caseId: command.caseId, before, events: decided.right })
    states.set(command.caseId, decided.right.reduce(Case.evolve, before))
    const history = histories.get(command.caseId) ?? []
    history.push(...decided.right)
    histories.set(command.caseId, history)
  }
  const imports: Array<CaseRepository.ImportInput> = []
  for (const [caseId, events] of histories) {
    const after = states.get(caseId)
    if (after?._tag === "Case") imports.push({ events, after })
  }
  return { steps, imports }
}

const round = (value: unknown): unknown => (typeof value === "number" ? Math.round(value * 1e9) / 1e9 : value)

/** Every table an append writes, in a stable order (the outbox without its position, day sums that are not all zero). */
const tables = (sql: SqlClient.SqlClient) =>
  Effect.gen(function* () {
    const events = yield* sql`SELECT * FROM cg_case_events ORDER BY case_id, sequence`
    const outbox = yield* sql<{ readonly [column: string]: unknown }>`
      SELECT event_id, case_id, sequence, tag, at FROM cg_outbox ORDER BY event_id`
    const cases = yield* sql`SELECT * FROM cg_cases ORDER BY case_id`
    const attributions = yield* sql`SELECT * FROM cg_case_indicator_cases ORDER BY case_id`
    const deltas = yield* sql`SELECT * FROM cg_case_indicator_deltas ORDER BY case_id, change_at, seq`
    const unjudged =
      yield* sql`SELECT * FROM cg_case_indicator_unjudged ORDER BY case_id, change_at, step, sign, reason`
    const days = yield* sql<{ readonly [column: string]: unknown }>`
      SELECT * FROM cg_case_indicator_days ORDER BY community_path, day, alt_day, change_day, shard`
    const keys = new Set(["community_path", "day", "alt_day", "change_day", "shard"])
    const nonZero = days
      .filter((row) => Object.entries(row).some(([c, v]) => !keys.has(c) && Number(v) !== 0))
      .map((row) => Object.fromEntries(Object.entries(row).map(([c, v]) => [c, round(v)])))
    return { events, outbox, cases, attributions, deltas, unjudged, days: nonZero }
  })

for (const dialect of dialects) {
  describe(`case store ${dialect.name} — importNew`, () => {
    layer(
      Layer.scoped(
        Pair,
        Effect.all({ bulk: side(freshDatabase(dialect)), single: side(freshDatabase(dialect)) })
      ),
      { timeout: "120 seconds" }
    )("", (it) => {
      let counter = 0

      it.effect.prop(
        "importing generated histories in one batch leaves the tables appending their commands one by one leaves",
        [generated],
        ([hs]) =>
          Effect.gen(function* () {
            const { bulk, single } = yield* Pair
            const prefix = `imp-${counter++}-`
            const { steps, imports } = decideAll(hs.commands.map((c) => renamed(prefix, c)))
            for (const step of steps) {
              yield* single.repo.append({
                caseId: Case.CaseId.make(step.caseId),
                expectedVersion: step.before.version,
                events: step.events
              })
            }
            yield* bulk.repo.importNew(imports)
            const imported = yield* tables(bulk.sql)
            const appended = yield* tables(single.sql)
            expect(imported).toEqual(appended)
            for (const { after } of imports) {
              expect(yield* bulk.repo.summary(after.id)).toEqual(CaseRepository.summarize(after, timeLimits))
            }
          }),
        { timeout: 120_000, fastCheck: { ...CaseHistory.parameters, numRuns: 15 } }
      )

      it.effect(
        "all or nothing: a case that exists fails the batch with ConcurrencyConflict, nothing written",
        () =>
          Effect.gen(function* () {
            const { bulk } = yield* Pair
            const one = Either.getOrThrow(Case.execute(Case.initial, report("imp-exists")))
            const two = Either.getOrThrow(Case.execute(Case.initial, report("imp-new")))
            if (one.state._tag !== "Case" || two.state._tag !== "Case")
              return expect.unreachable("reports decide")
            yield* bulk.repo.importNew([{ events: one.events, after: one.state }])
            const exit = yield* Effect.exit(
              bulk.repo.importNew([
                { events: two.events, after: two.state },
                { events: one.events, after: one.state }
              ])
            )
            expect(exit).toEqual(
              Exit.fail(
                new CaseRepository.ConcurrencyConflict({
                  caseId: one.state.id,
                  expectedVersion: 0,
                  actualVersion: 1
                })
              )
            )
            expect(yield* bulk.repo.events("imp-new")).toEqual([])
            expect((yield* bulk.repo.events("imp-exists")).length).toBe(1)
            // a malformed input (an `after` that is not the history's last version) is a defect
            const malformed = yield* Effect.exit(bulk.repo.importNew([{ events: [], after: two.state }]))
            expect(Exit.isFailure(malformed) && Cause.isDie(malformed.cause)).toBe(true)
          })
      )
    })
  })
}
