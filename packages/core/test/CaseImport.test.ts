/**
 * 历史案件导入 — `CaseImport.importCases` on the in-memory store: generated
 * histories (their commands) imported in batches read back as the decider
 * made them (events, summary) and as appending the same commands one by one
 * leaves them; a refused command, an empty history and a case that exists
 * already stop the import with a typed error, the batches before it written
 * and nothing of its own batch.
 */
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type * as CaseCommand from "../src/CaseCommand.js"
import * as CaseImport from "../src/CaseImport.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as TimeLimit from "../src/TimeLimit.js"
import { UnitId } from "../src/Unit.js"
import * as WorkingCalendar from "../src/WorkingCalendar.js"

const timeLimits: CaseRepository.TimeLimits = {
  policy: TimeLimit.defaultPolicy,
  calendar: WorkingCalendar.china()
}
const JINSHA = UnitId.make("c-jinsha")
const gridWorker: Actor.Actor = { id: Actor.ActorId.make("gw"), role: "grid-worker", unitId: JINSHA }

const report = (caseId: string): CaseCommand.Report => ({
  _tag: "Report",
  caseId: Case.CaseId.make(caseId),
  actor: gridWorker,
  at: DateTime.unsafeMake(Date.UTC(2025, 3, 8, 1, 0)),
  source: "patrol",
  categoryId: CategoryId.make("市容环境.暴露垃圾"),
  urgency: "normal",
  description: "垃圾堆放",
  location: { unitId: JINSHA },
  communityId: JINSHA,
  tier: "community",
  anonymous: false
})

const memory = () => CaseRepository.layerMemory({ timeLimits })

describe("CaseImport.importCases", () => {
  it.effect.prop(
    "generated histories imported in batches read back as decided, and as appending their commands one by one",
    [CaseHistory.histories({ cases: { min: 1, max: 6 } }), fc.integer({ min: 1, max: 4 })],
    ([hs, batchSize]) =>
      Effect.gen(function* () {
        const imported = yield* CaseImport.importCases(
          hs.cases.map((h) => h.commands),
          { batchSize }
        ).pipe(Effect.provide(memory()))
        expect(imported).toEqual({
          cases: hs.cases.length,
          events: hs.cases.reduce((n, h) => n + h.events.length, 0)
        })
        // the same commands appended one by one, in time order, on another store
        const appended = yield* Effect.gen(function* () {
          const repo = yield* CaseRepository.CaseRepository
          const states = new Map<string, Case.State>()
          for (const command of hs.commands) {
            const before = states.get(command.caseId) ?? Case.initial
            const executed = Either.getOrThrow(Case.execute(before, command))
            yield* repo.append({
              caseId: command.caseId,
              expectedVersion: before.version,
              events: executed.events
            })
            states.set(command.caseId, executed.state)
          }
          return yield* Effect.forEach(hs.cases, (h) =>
            Effect.all({ events: repo.events(h.caseId), summary: repo.summary(h.caseId) })
          )
        }).pipe(Effect.provide(memory()))
        const read = yield* Effect.gen(function* () {
          yield* CaseImport.importCases(
            hs.cases.map((h) => h.commands),
            { batchSize }
          )
          const repo = yield* CaseRepository.CaseRepository
          return yield* Effect.forEach(hs.cases, (h) =>
            Effect.all({ events: repo.events(h.caseId), summary: repo.summary(h.caseId) })
          )
        }).pipe(Effect.provide(memory()))
        expect(read).toEqual(appended)
        hs.cases.forEach((h, k) => {
          expect(read[k]?.events).toEqual(h.events)
          if (h.state._tag === "Case") {
            expect(read[k]?.summary).toEqual(CaseRepository.summarize(h.state, timeLimits))
          }
        })
      }),
    { fastCheck: { ...CaseHistory.parameters, numRuns: 40 } }
  )

  it.effect("a refused command stops the import: earlier batches written, nothing of its own batch", () =>
    Effect.gen(function* () {
      const repo = yield* CaseRepository.CaseRepository
      const histories = [
        [report("a")],
        [report("b")],
        [report("c")],
        [report("d"), report("d")],
        [report("e")]
      ]
      const error = yield* Effect.flip(CaseImport.importCases(histories, { batchSize: 2 }))
      expect(error._tag).toBe("ImportRefused")
      if (error._tag !== "ImportRefused") return
      expect({ history: error.history, command: error.command, imported: error.imported }).toEqual({
        history: 3,
        command: 1,
        imported: 2
      })
      expect(error.refused).toBeInstanceOf(Case.CaseRefused)
      expect((yield* repo.events("b")).length).toBe(1)
      expect(yield* repo.events("c")).toEqual([])
      expect(yield* repo.events("d")).toEqual([])
    }).pipe(Effect.provide(memory()))
  )

  it.effect("an empty history and a case that exists already are typed errors", () =>
    Effect.gen(function* () {
      const empty = yield* Effect.flip(CaseImport.importCases([[report("x")], []], { batchSize: 1 }))
      expect(empty).toEqual(new CaseImport.EmptyHistory({ history: 1, imported: 1 }))
      const exists = yield* Effect.flip(CaseImport.importCases([[report("y")], [report("x")]]))
      expect(exists).toEqual(
        new CaseRepository.ConcurrencyConflict({
          caseId: Case.CaseId.make("x"),
          expectedVersion: 0,
          actualVersion: 1
        })
      )
      const repo = yield* CaseRepository.CaseRepository
      expect(yield* repo.events("y")).toEqual([])
    }).pipe(Effect.provide(memory()))
  )

  it("decideHistory: the events and state of the commands decided in turn; none for no command", () => {
    const decided = CaseImport.decideHistory([report("z")])
    expect(Either.isRight(decided)).toBe(true)
    if (Either.isLeft(decided) || decided.right === undefined) return
    expect(decided.right.events.map((e) => e._tag)).toEqual(["Reported"])
    expect(decided.right.after).toEqual(Case.fold(decided.right.events))
    expect(CaseImport.decideHistory([])).toEqual(Either.right(undefined))
  })
})
