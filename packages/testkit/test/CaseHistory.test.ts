/**
 * The case-history generator, checked: what it generates is valid (the
 * decider accepts every command, in order, and nothing else), and it covers
 * the loop — every command of the `CaseCommand` union, every optional field
 * of every command schema both present and absent (read from the schemas'
 * AST, not from a list), every rating with every 是否解决 answer the decider
 * admits — notably a `satisfied` visit whose problem is not resolved, the
 * evaluation that once answered 500.
 */
import { Role } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import * as CaseCommand from "@civicgrid/core/CaseCommand"
import * as Text from "@civicgrid/core/Text"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as CaseHistory from "../src/CaseHistory.js"

const calendar = WorkingCalendar.china()
const from = new Date(Date.UTC(2024, 2, 1))
const to = new Date(Date.UTC(2025, 11, 31))

/** Samples for the coverage checks: a fixed seed, so a coverage gap fails every run, not one in a hundred. */
const samples = fc.sample(CaseHistory.histories({ cases: { min: 1, max: 6 } }), { numRuns: 400, seed: 11 })
const all = samples.flatMap((s) => s.cases)
const commands = all.flatMap((h) => h.commands)

describe("CaseHistory — coverage over 400 samples", () => {
  it("walks every command of the CaseCommand union", () => {
    const tags = new Set(commands.map((c) => c._tag))
    expect([...CaseHistory.commandSchemas.keys()].filter((t) => !tags.has(t))).toEqual([])
    // the union and the tag list agree, so the check above is over every command
    expect([...CaseHistory.commandSchemas.keys()].sort()).toEqual([...Case.commandTags].sort())
  })

  it("generates every optional field of every command schema, present and absent", () => {
    const missing: Array<string> = []
    let fields = 0
    for (const [tag, schema] of CaseHistory.commandSchemas) {
      const ofTag = commands.filter((c) => c._tag === tag)
      for (const path of CaseHistory.optionalPaths(schema.ast)) {
        fields++
        const seen = new Set(ofTag.map((c) => CaseHistory.fieldAt(c, path)))
        if (!seen.has("present")) missing.push(`${tag}.${path} present`)
        if (!seen.has("absent")) missing.push(`${tag}.${path} absent`)
      }
    }
    expect(missing).toEqual([])
    // Evaluate alone has actor.departmentId, resolved and note
    expect(fields).toBeGreaterThanOrEqual(Case.commandTags.length + 3)
  })

  it("generates texts within the input limits (Text), without control characters, and sometimes at the limit", () => {
    const encode = Schema.encodeSync(CaseCommand.CaseCommand)
    const decode = Schema.decodeUnknownEither(CaseCommand.CaseCommand)
    const refusedByTheSchema = commands.filter((c) => Either.isLeft(decode(encode(c))))
    expect(refusedByTheSchema).toEqual([])
    const texts = (c: CaseCommand.CaseCommand): ReadonlyArray<string> =>
      Object.values(c).filter((v): v is string => typeof v === "string")
    expect(commands.some((c) => texts(c).some((t) => Text.hasControlCharacters(t)))).toBe(false)
    const descriptions = commands.flatMap((c) =>
      c._tag === "Report" || c._tag === "SelfHandle" ? [c.description] : []
    )
    expect(descriptions.some((d) => d.length === Text.limits.description)).toBe(true)
    expect(descriptions.some((d) => d.length < 30)).toBe(true)
    const results = commands.flatMap((c) => (c._tag === "Handle" ? [c.result] : []))
    expect(results.some((r) => r.length > Text.limits.note - 10)).toBe(true)
  })

  it("evaluates with every rating and every 是否解决 answer the decider admits — satisfied yet unresolved included", () => {
    const evaluations = commands.flatMap((c) => (c._tag === "Evaluate" ? [c] : []))
    const seen = new Set(
      evaluations.map((e) => `${e.rating}/${e.resolved === undefined ? "absent" : e.resolved}`)
    )
    const visits = Case.Rating.literals.filter((r) => r !== "unreachable" && r !== "refused")
    const wanted = [
      ...visits.flatMap((r) => [`${r}/true`, `${r}/false`, `${r}/absent`]),
      "unreachable/absent",
      "refused/absent"
    ]
    expect(wanted.filter((w) => !seen.has(w))).toEqual([])
    expect(seen.has("satisfied/false")).toBe(true)
  })

  it("reaches every status, acts in every role, and reopens both ways", () => {
    const statuses = new Set(
      all
        .flatMap((h) => h.events.map((_, k) => Case.fold(h.events.slice(0, k + 1))))
        .flatMap((s) => (s._tag === "Case" ? [s.status] : []))
    )
    expect(Case.statuses.filter((s) => !statuses.has(s))).toEqual([])
    const roles = new Set(commands.map((c) => c.actor.role))
    expect(Role.literals.filter((r) => !roles.has(r))).toEqual([])
    const reopens = new Set(commands.flatMap((c) => (c._tag === "Reopen" ? [c.to] : [])))
    expect(reopens).toEqual(new Set(["handling", "dispatch"]))
    const targets = new Set(commands.flatMap((c) => (c._tag === "Dispatch" ? [c.target._tag] : [])))
    expect(targets).toEqual(new Set(["Unit", "Department"]))
  })
})

describe("CaseHistory — validity", () => {
  it.prop(
    "the decider accepts every command in order, giving exactly the events; they fold to the state",
    [CaseHistory.history()],
    ([h]) => {
      let state: Case.State = Case.initial
      const events = []
      for (const command of h.commands) {
        expect(command.caseId).toBe(h.caseId)
        const decided = Case.decide(command, state)
        if (Either.isLeft(decided)) throw decided.left
        events.push(...decided.right)
        state = decided.right.reduce(Case.evolve, state)
      }
      expect(events).toEqual(h.events)
      expect(state).toEqual(h.state)
      expect(Case.replay(h.events)).toEqual(Either.right(h.state))
    },
    { fastCheck: { ...CaseHistory.parameters, numRuns: 200 } }
  )

  it.prop(
    "every refused candidate is refused by the decider in the state it met",
    [CaseHistory.history()],
    ([h]) => {
      for (const r of h.refused) {
        const decided = Case.decide(r.command, r.state)
        expect(Either.isLeft(decided)).toBe(true)
        if (Either.isLeft(decided)) expect(decided.left.violations).toEqual(r.error.violations)
      }
    },
    { fastCheck: { ...CaseHistory.parameters, numRuns: 100 } }
  )

  it.prop(
    "instants never go back, stay in the range and are working time; several cases have distinct ids and merge into one another",
    [CaseHistory.histories({ from, to, cases: { min: 2, max: 5 } })],
    ([hs]) => {
      const ids = hs.cases.map((h) => h.caseId)
      expect(new Set(ids).size).toBe(ids.length)
      for (const h of hs.cases) {
        const instants = h.commands.map((c) => c.at.epochMillis)
        expect(instants).toEqual([...instants].sort((a, b) => a - b))
        for (const c of h.commands) {
          expect(c.at.epochMillis).toBeGreaterThanOrEqual(from.getTime())
          expect(c.at.epochMillis).toBeLessThanOrEqual(to.getTime())
          expect(WorkingCalendar.isWorkingInstant(calendar, c.at)).toEqual(Either.right(true))
          if (c._tag === "Merge") expect(ids.filter((id) => id !== h.caseId)).toContain(c.targetId)
        }
      }
      const all = hs.commands.map((c) => c.at.epochMillis)
      expect(all).toEqual([...all].sort((a, b) => a - b))
      expect(hs.commands.length).toBe(hs.cases.reduce((n, h) => n + h.commands.length, 0))
      expect(hs.events.length).toBe(hs.cases.reduce((n, h) => n + h.events.length, 0))
    },
    { fastCheck: { ...CaseHistory.parameters, numRuns: 50 } }
  )

  it.prop(
    "actors come from the world and the roles asked for",
    [
      CaseHistory.histories({
        roles: ["resident", "grid-worker", "community-staff", "street-staff", "district-staff", "department"]
      })
    ],
    ([hs]) => {
      const units = new Set(CaseHistory.defaultWorld.units.map((x) => x.id))
      for (const c of hs.commands) {
        expect(["hotline", "system"]).not.toContain(c.actor.role)
        expect(units.has(c.actor.unitId)).toBe(true)
        if (c.actor.role === "department") {
          expect(CaseHistory.defaultWorld.departments).toContain(c.actor.departmentId)
        }
      }
    },
    { fastCheck: { ...CaseHistory.parameters, numRuns: 50 } }
  )

  it("without working hours, instants are whatever the delays give (here: some outside working time)", () => {
    const loose = fc.sample(CaseHistory.histories({ workingHours: false }), { numRuns: 100, seed: 3 })
    const off = loose
      .flatMap((s) => s.commands)
      .filter((c) => Either.getOrElse(WorkingCalendar.isWorkingInstant(calendar, c.at), () => true) === false)
    expect(off.length).toBeGreaterThan(0)
    expect(DateTime.isDateTime(off[0]?.at)).toBe(true)
  })
})

describe("CaseHistory — as an arbitrary", () => {
  it("can be filtered: a rejected walk is followed by a new one, not the same one again", () => {
    let calls = 0
    const longer = CaseHistory.histories().filter((hs) => {
      calls++
      if (calls > 10_000) throw new Error("the filter sees the same walk again and again")
      return hs.commands.length >= 4
    })
    const sampled = fc.sample(longer, { numRuns: 20, seed: 5 })
    expect(sampled.every((hs) => hs.commands.length >= 4)).toBe(true)
    const single = fc.sample(
      CaseHistory.history().filter((h) => h.state._tag === "Case" && h.state.status === "evaluated"),
      { numRuns: 5, seed: 9 }
    )
    expect(single.map((h) => (h.state._tag === "Case" ? h.state.status : "none"))).toEqual(
      Array(5).fill("evaluated")
    )
  })
})
