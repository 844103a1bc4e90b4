import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Survey from "@civicgrid/core/Survey"
import { type Question, SurveyRepository, type SurveyResponse } from "@civicgrid/core/SurveyRepository"
import { UnitId } from "@civicgrid/core/Unit"
import { addEqualityTesters, describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import { flip } from "./support/Errors.js"
import { build, district } from "./support/Hierarchies.js"
import { targets } from "./support/Stores.js"

addEqualityTesters()

const place = district()
const h = build(place)
const units = Hierarchy.units(h).map((u) => u.id)

const efficiency: Question = { id: "efficiency", text: "您对社区办事效率是否满意？", scale: Survey.FiveLevel }
const necessary: Question = {
  id: "necessary",
  text: "您认为开展五级治理工作是否有必要？",
  scale: Survey.YesNo
}

const response = (questionId: string, period: string, unitId: string, level: string): SurveyResponse => ({
  questionId,
  period,
  unitId: UnitId.make(unitId),
  level
})

const setup = Effect.gen(function* () {
  yield* (yield* HierarchyRepository).save(place.scheme, place.rows)
  return yield* SurveyRepository
})

/** The core's tallies over the responses of one question and period within a unit. */
const coreTallies = (
  question: Question,
  responses: ReadonlyArray<SurveyResponse>,
  period: string,
  within: string
): ReadonlyMap<string, Survey.Tally> => {
  const result = Survey.tallyByUnit(
    question.scale,
    responses.filter(
      (r) => r.questionId === question.id && r.period === period && Hierarchy.isWithin(h, r.unitId, within)
    )
  )
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

const coreTotal = (scale: Survey.Scale, tallies: ReadonlyMap<string, Survey.Tally>): Survey.Tally => {
  const zero: Record<string, number> = {}
  for (const l of scale.levels) zero[l.id] = 0
  return [...tallies.values()].reduce<Survey.Tally>((a, b) => Survey.addTallies(a, b), zero)
}

describe.each(targets)("SurveyRepository on $name", (target) => {
  it.effect("questions: stored with their scale; an invalid scale is refused by Survey.validateScale", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      yield* repo.putQuestion(efficiency)
      expect(yield* repo.question("efficiency")).toEqual(efficiency)
      const bad = yield* flip(
        repo.putQuestion({ id: "bad", text: "?", scale: { ...Survey.YesNo, satisfied: ["maybe"] } })
      )
      expect(bad._tag).toBe("SurveyInvalid")
      expect(yield* flip(repo.question("bad"))).toMatchObject({
        _tag: "QuestionNotFound",
        questionId: "bad"
      })
      // once responses exist, a new scale must keep their levels
      yield* repo.record([response("efficiency", "2024-Q1", "s1c1", "neutral")])
      const inUse = yield* flip(repo.putQuestion({ ...efficiency, scale: Survey.ThreeLevel }))
      expect(inUse._tag === "SurveyDataInvalid" && inUse.violations.map((v) => v.rule)).toEqual([
        "scale-in-use"
      ])
      yield* repo.putQuestion({ ...efficiency, text: "您对社区办事效率满意吗？" })
      expect((yield* repo.question("efficiency")).text).toBe("您对社区办事效率满意吗？")
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect("tallies per unit within a jurisdiction equal Survey.tallyByUnit; total is their sum", () =>
    Effect.gen(function* () {
      const repo = yield* setup
      yield* repo.putQuestion(efficiency)
      yield* repo.putQuestion(necessary)
      const responses = [
        response("efficiency", "2024-Q1", "s1c1", "very-satisfied"),
        response("efficiency", "2024-Q1", "s1c1", "satisfied"),
        response("efficiency", "2024-Q1", "s1c1", "satisfied"),
        response("efficiency", "2024-Q1", "s1c2b1", "dissatisfied"),
        response("efficiency", "2024-Q1", "s2c1", "neutral"),
        response("efficiency", "2024-Q2", "s1c1", "very-dissatisfied"),
        response("necessary", "2024-Q1", "s1c1", "yes")
      ]
      yield* repo.record(responses)
      const query = { questionId: "efficiency", period: "2024-Q1", within: "s1" }
      const tallies = yield* repo.tallies(query)
      expect(tallies).toEqual(coreTallies(efficiency, responses, "2024-Q1", "s1"))
      expect([...tallies.keys()]).toEqual(["s1c1", "s1c2b1"])
      expect(tallies.get(UnitId.make("s1c1"))).toEqual({
        "very-satisfied": 1,
        satisfied: 2,
        neutral: 0,
        dissatisfied: 0,
        "very-dissatisfied": 0
      })
      const total = yield* repo.total(query)
      expect(total).toEqual(coreTotal(Survey.FiveLevel, tallies))
      expect(Survey.satisfaction(Survey.FiveLevel, total)).toEqual({ numerator: 3, denominator: 4 })
      expect(yield* repo.tallies({ ...query, within: "s2c2" })).toEqual(new Map())
      expect(yield* flip(repo.tallies({ ...query, questionId: "nope" }))).toMatchObject({
        _tag: "QuestionNotFound"
      })
      expect(yield* flip(repo.total({ ...query, within: "nope" }))).toEqual(
        new Hierarchy.UnitNotFound({ unitId: "nope" })
      )
    }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "a write naming an unknown question, unit or level is refused with every violation; nothing is counted",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        yield* repo.putQuestion(necessary)
        const refused = yield* flip(
          repo.record([
            response("necessary", "2024", "s1c1", "yes"),
            response("nope", "2024", "s1c1", "yes"),
            response("necessary", "2024", "zz", "yes"),
            response("necessary", "2024", "s1c1", "maybe")
          ])
        )
        expect(refused.violations.map((v) => `${v.subject}:${v.rule}`)).toEqual([
          "response 1:unknown-question",
          "response 2:unknown-unit",
          "response 3:unknown-level"
        ])
        const query = { questionId: "necessary", period: "2024", within: "d1" }
        expect(yield* repo.total(query)).toEqual({ yes: 0, no: 0 })
        const tally = yield* flip(
          repo.recordTally({
            questionId: "necessary",
            period: "2024",
            unitId: "s1c1",
            tally: { yes: 1.5, maybe: 2, no: -1 }
          })
        )
        expect(tally.violations.map((v) => v.rule).sort()).toEqual([
          "invalid-count",
          "invalid-count",
          "unknown-level"
        ])
        expect(yield* repo.total(query)).toEqual({ yes: 0, no: 0 })
      }).pipe(Effect.provide(target.layer()))
  )

  it.effect(
    "recordTally adds a paper survey's totals (seed 001: 97.4% think it necessary) to individual responses",
    () =>
      Effect.gen(function* () {
        const repo = yield* setup
        yield* repo.putQuestion(necessary)
        yield* repo.recordTally({
          questionId: "necessary",
          period: "2023",
          unitId: "s1c1",
          tally: { yes: 487, no: 13 }
        })
        yield* repo.record([
          response("necessary", "2023", "s1c1", "no"),
          response("necessary", "2023", "s2c1", "yes")
        ])
        const query = { questionId: "necessary", period: "2023", within: "d1" }
        expect(yield* repo.tallies(query)).toEqual(
          new Map([
            [UnitId.make("s1c1"), { yes: 487, no: 14 }],
            [UnitId.make("s2c1"), { yes: 1, no: 0 }]
          ])
        )
        expect(Survey.satisfaction(Survey.YesNo, yield* repo.total(query))).toEqual({
          numerator: 488,
          denominator: 502
        })
      }).pipe(Effect.provide(target.layer()))
  )

  layer(target.layer(), { timeout: "30 seconds" })("properties", (it) => {
    let run = 0
    const arbResponses = fc.array(
      fc.record({
        question: fc.constantFrom(efficiency, necessary),
        period: fc.constantFrom("2024-01", "2024-02"),
        unit: fc.constantFrom(...units),
        pick: fc.nat()
      }),
      { maxLength: 60 }
    )

    it.effect.prop(
      "differential: tallies and total computed in SQL equal the core's over the same responses (any unit, period, question)",
      [arbResponses, fc.integer({ min: 1, max: 4 }), fc.constantFrom(...units)],
      ([specs, batches, within]) =>
        Effect.gen(function* () {
          const repo = yield* setup
          const tag = `r${run++}-`
          const questions = [efficiency, necessary].map((q) => ({ ...q, id: `${tag}${q.id}` }))
          for (const q of questions) yield* repo.putQuestion(q)
          const responses = specs.map((s) => {
            const levels = s.question.scale.levels
            return response(
              `${tag}${s.question.id}`,
              s.period,
              s.unit,
              levels[s.pick % levels.length]?.id ?? ""
            )
          })
          const size = Math.ceil(responses.length / batches) || 1
          for (let i = 0; i < responses.length; i += size) yield* repo.record(responses.slice(i, i + size))
          for (const q of questions) {
            for (const period of ["2024-01", "2024-02"]) {
              const query = { questionId: q.id, period, within }
              const expected = coreTallies(q, responses, period, within)
              expect(yield* repo.tallies(query)).toEqual(expected)
              expect(yield* repo.total(query)).toEqual(coreTotal(q.scale, expected))
            }
          }
        }),
      { fastCheck: { numRuns: 20 } }
    )
  })
})
