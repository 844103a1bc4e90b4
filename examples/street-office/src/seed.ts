/**
 * 初始化 — migrates the database and, on the first start only (no hierarchy
 * stored yet), seeds it with the demo district of `examples/demo-district`:
 * its hierarchy and party organisations, buildings, grids, staff and their
 * assignments, a year of cases (`cases.ts`) appended in batches, and a year of
 * satisfaction survey responses per community.
 */
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as GridRepository from "@civicgrid/core/GridRepository"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as Survey from "@civicgrid/core/Survey"
import * as SurveyRepository from "@civicgrid/core/SurveyRepository"
import { UnitId } from "@civicgrid/core/Unit"
import { type DemoDistrict, makeDemoDistrict } from "@civicgrid/example-demo-district/district"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { type CaseOptions, generate, random } from "./cases.js"

/** Options of the seed. */
export interface SeedOptions extends CaseOptions {
  /** Cases per `appendAll` transaction (default 500). */
  readonly batchSize?: number
}

/** What `prepare` did. */
export type Prepared =
  | { readonly _tag: "AlreadySeeded" }
  | {
      readonly _tag: "Seeded"
      readonly units: number
      readonly grids: number
      readonly people: number
      readonly cases: number
      readonly paths: Readonly<Record<string, number>>
      readonly surveyResponses: number
      readonly millis: number
    }

/** 满意度调查 — the survey question seeded (one period per quarter). */
export const satisfactionQuestion: SurveyRepository.Question = {
  id: "q-grid-service",
  text: "您对本社区网格化服务是否满意？",
  scale: Survey.FiveLevel
}

/** The demo district (the same one `examples/demo-district` reports on). */
export const district: DemoDistrict = makeDemoDistrict()

/**
 * Migrates, then seeds when the store holds no hierarchy yet (first start).
 */
export const prepare = (options: SeedOptions = {}) =>
  Effect.gen(function* () {
    yield* Migrations.run
    const hierarchies = yield* HierarchyRepository.HierarchyRepository
    const existing = yield* Effect.option(hierarchies.load)
    if (Option.isSome(existing)) {
      const already: Prepared = { _tag: "AlreadySeeded" }
      return already
    }
    // all or nothing: a seed interrupted half-way leaves an empty store, seeded again next start
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(seed(district, options))
  })

/**
 * 党组织 — the store keeps one party tree; the street office keeps its own
 * street's (the first street's 党工委 and everything under it).
 */
export const streetPartyTree = (d: DemoDistrict): DemoDistrict["partyOrgs"] => {
  const root = d.partyOrgs.find((o) => o.parentId === null)
  if (root === undefined) return []
  const parentOf = new Map<string, string | null>(d.partyOrgs.map((o) => [o.id, o.parentId] as const))
  const under = (id: string): boolean => {
    let at: string | null | undefined = id
    for (let n = 0; at !== null && at !== undefined && n < 100; n++) {
      if (at === root.id) return true
      at = parentOf.get(at)
    }
    return false
  }
  return d.partyOrgs.filter((o) => under(o.id))
}

const seed = (d: DemoDistrict, options: SeedOptions) =>
  Effect.gen(function* () {
    const started = Date.now()
    const hierarchies = yield* HierarchyRepository.HierarchyRepository
    const grids = yield* GridRepository.GridRepository
    const cases = yield* CaseRepository.CaseRepository
    const surveys = yield* SurveyRepository.SurveyRepository

    yield* hierarchies.save(d.scheme, d.units)
    yield* hierarchies.savePartyOrganizations(streetPartyTree(d))
    yield* grids.putBuildings(d.buildings)
    yield* grids.putGrids(d.grids)
    yield* grids.putPeople(d.people)
    yield* grids.assign(d.assignments)

    const year = yield* Either.match(generate(d, options), {
      onLeft: (refused) => Effect.die(refused),
      onRight: Effect.succeed
    })
    const batchSize = Math.max(1, options.batchSize ?? 500)
    for (let i = 0; i < year.inputs.length; i += batchSize) {
      yield* cases.appendAll(year.inputs.slice(i, i + batchSize))
    }

    // 满意度调查: 30–60 answers per community and quarter, mostly satisfied
    yield* surveys.putQuestion(satisfactionQuestion)
    const rnd = random(options.seed ?? 2025)
    const y = options.year ?? 2025
    const responses: Array<SurveyRepository.SurveyResponse> = []
    for (const unit of d.units) {
      if (unit.level !== "community") continue
      for (let q = 1; q <= 4; q++) {
        const n = 30 + Math.floor(rnd() * 31)
        for (let k = 0; k < n; k++) {
          const r = rnd()
          const level =
            r < 0.45
              ? "very-satisfied"
              : r < 0.8
                ? "satisfied"
                : r < 0.92
                  ? "neutral"
                  : r < 0.98
                    ? "dissatisfied"
                    : "very-dissatisfied"
          responses.push({
            questionId: satisfactionQuestion.id,
            period: `${y}-Q${q}`,
            unitId: UnitId.make(unit.id),
            level
          })
        }
      }
    }
    yield* surveys.record(responses)

    const seeded: Prepared = {
      _tag: "Seeded",
      units: d.units.length,
      grids: d.grids.length,
      people: d.people.length,
      cases: year.inputs.length,
      paths: year.paths,
      surveyResponses: responses.length,
      millis: Date.now() - started
    }
    return seeded
  })
