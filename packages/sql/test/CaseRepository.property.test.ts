/**
 * The case stores under generated histories (`@civicgrid/testkit/CaseHistory`):
 * valid walks through the whole loop — every command, every optional field of
 * every command schema (a 是否解决 answer on a satisfied visit included) —
 * appended to every store (in memory, SQLite, PostgreSQL when configured),
 * with time limits (the indicator tables are written with every append).
 * What is read back is what was appended: the events, the folded state, the
 * summary; and deciding each command against the store's own history (read,
 * fold, decide, append — what `CaseService.execute` does) gives the very
 * events the generator's decider gave.
 */
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { DEPT_CG, DEPT_ZJ, stores, timeLimits, units } from "./support/CaseFixtures.js"

/** As JSON: a store keeps JSON, where −0 and 0 are one number (Infinity and NaN it cannot keep at all). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))
const encodeEvents = (events: ReadonlyArray<CaseEvent>) =>
  asJson(Schema.encodeSync(Schema.Array(CaseEvent))(events))
const encodeSummary = (summary: CaseRepository.CaseSummary) =>
  asJson(Schema.encodeSync(CaseRepository.CaseSummary)(summary))
const encodeState = (state: Case.State) => asJson(Schema.encodeSync(Case.State)(state))

/** The fixture hierarchy the stores are seeded with, as the generator's world. */
const world: CaseHistory.World = { units, departments: [DEPT_CG, DEPT_ZJ] }
const generated = CaseHistory.histories({ world, cases: { min: 1, max: 5 } })

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

/** Decides the commands in order, case by case: the events of each command and each case's final state. */
const decideAll = (commands: ReadonlyArray<CaseCommand>) => {
  const states = new Map<string, Case.State>()
  const steps: Array<{
    readonly command: CaseCommand
    readonly before: Case.State
    readonly events: ReadonlyArray<CaseEvent>
  }> = []
  for (const command of commands) {
    const before = states.get(command.caseId) ?? Case.initial
    const decided = Case.decide(command, before)
    if (Either.isLeft(decided)) throw decided.left
    steps.push({ command, before, events: decided.right })
    states.set(command.caseId, decided.right.reduce(Case.evolve, before))
  }
  return { steps, states }
}

const runs = (name: string) => ({
  // many histories per property: a time limit for the whole run, not vitest's 5 s
  timeout: 120_000,
  fastCheck: { ...CaseHistory.parameters, numRuns: name === "memory" ? 60 : 20 }
})

for (const store of stores) {
  describe(`case store ${store.name} — generated histories`, () => {
    layer(store.make({ timeLimits }), { timeout: "120 seconds" })("", (it) => {
      let counter = 0

      it.effect.prop(
        "appended histories read back equal: the events, the folded state and the summary",
        [generated],
        ([hs]) =>
          Effect.gen(function* () {
            const repo = yield* CaseRepository.CaseRepository
            const prefix = `append-${counter++}-`
            const { steps, states } = decideAll(hs.commands.map((c) => renamed(prefix, c)))
            for (const step of steps) {
              const appended = yield* repo.append({
                caseId: step.command.caseId,
                expectedVersion: step.before.version,
                events: step.events
              })
              expect(appended.version).toBe(step.before.version + step.events.length)
            }
            for (const [caseId, state] of states) {
              const events = yield* repo.events(caseId)
              const expected = steps.filter((s) => s.command.caseId === caseId).flatMap((s) => s.events)
              expect(encodeEvents(events)).toEqual(encodeEvents(expected))
              expect(encodeState(Case.fold(events))).toEqual(encodeState(state))
              if (state._tag !== "Case") continue
              const summary = yield* repo.summary(caseId)
              expect(encodeSummary(summary)).toEqual(
                encodeSummary(CaseRepository.summarize(state, timeLimits))
              )
            }
          }),
        runs(store.name)
      )

      it.effect.prop(
        "deciding against what the store gives back (read, fold, decide, append) accepts every command with the generator's events",
        [generated],
        ([hs]) =>
          Effect.gen(function* () {
            const repo = yield* CaseRepository.CaseRepository
            const prefix = `reread-${counter++}-`
            const { steps } = decideAll(hs.commands.map((c) => renamed(prefix, c)))
            for (const step of steps) {
              const stored = Case.fold(yield* repo.events(step.command.caseId))
              expect(encodeState(stored)).toEqual(encodeState(step.before))
              const decided = Case.decide(step.command, stored)
              expect(Either.map(decided, encodeEvents)).toEqual(Either.right(encodeEvents(step.events)))
              yield* repo.append({
                caseId: step.command.caseId,
                expectedVersion: stored.version,
                events: Either.getOrElse(decided, () => [])
              })
            }
          }),
        runs(store.name)
      )
    })
  })
}
