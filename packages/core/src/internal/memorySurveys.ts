/**
 * The in-memory `SurveyRepository`: questions and counts in one `Ref`, swapped
 * whole by every write; units and subtrees come from the `HierarchyRepository`.
 *
 * @since 0.1.0
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Ref from "effect/Ref"
import * as Hierarchy from "../Hierarchy.js"
import { HierarchyRepository } from "../HierarchyRepository.js"
import type * as Survey from "../Survey.js"
import {
  type CountRow,
  checkQuestion,
  checkResponses,
  checkTally,
  type Question,
  QuestionNotFound,
  type SurveyDataInvalid,
  type SurveyRepository,
  type TallyQuery,
  talliesOf,
  totalOf
} from "../SurveyRepository.js"

interface State {
  readonly questions: ReadonlyMap<string, Question>
  /** key: question, period, unit, level (NUL-separated) */
  readonly counts: ReadonlyMap<string, CountRow>
}

const keyOf = (r: CountRow): string => `${r.questionId}\u0000${r.period}\u0000${r.unitId}\u0000${r.level}`

/**
 * Builds the in-memory survey store (empty).
 *
 * @since 0.1.0
 * @category internal
 */
export const make: Effect.Effect<
  Context.Tag.Service<SurveyRepository>,
  never,
  HierarchyRepository
> = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository
  const state = yield* Ref.make<State>({ questions: new Map(), counts: new Map() })

  const knownUnits = (ids: ReadonlyArray<string>): Effect.Effect<ReadonlySet<string>> =>
    Effect.match(hierarchies.load, {
      onFailure: () => new Set<string>(),
      onSuccess: (h) => new Set(ids.filter((id) => Hierarchy.has(h, id)))
    })

  const add = (
    units: ReadonlyArray<string>,
    check: (known: {
      readonly questions: ReadonlyMap<string, Question>
      readonly units: ReadonlySet<string>
    }) => Either.Either<ReadonlyArray<CountRow>, SurveyDataInvalid>
  ): Effect.Effect<void, SurveyDataInvalid> =>
    Effect.flatMap(knownUnits(units), (known) =>
      Effect.flatten(
        Ref.modify(state, (s): readonly [Either.Either<void, SurveyDataInvalid>, State] => {
          const rows = check({ questions: s.questions, units: known })
          if (Either.isLeft(rows)) return [Either.left(rows.left), s]
          const counts = new Map(s.counts)
          for (const row of rows.right) {
            const key = keyOf(row)
            counts.set(key, { ...row, count: (counts.get(key)?.count ?? 0) + row.count })
          }
          return [Either.void, { ...s, counts }]
        })
      )
    )

  const selected = (query: TallyQuery) =>
    Effect.gen(function* () {
      const s = yield* Ref.get(state)
      const question = s.questions.get(query.questionId)
      if (question === undefined) return yield* new QuestionNotFound({ questionId: query.questionId })
      const scope = new Set<string>(yield* hierarchies.subtreeIds(query.within))
      const rows = [...s.counts.values()].filter(
        (r) => r.questionId === query.questionId && r.period === query.period && scope.has(r.unitId)
      )
      return { scale: question.scale, rows }
    })

  return {
    putQuestion: (question) =>
      Effect.flatten(
        Ref.modify(
          state,
          (s): readonly [Either.Either<void, Survey.SurveyInvalid | SurveyDataInvalid>, State] => {
            const used = [...s.counts.values()]
              .filter((r) => r.questionId === question.id)
              .map((r) => r.level)
            const checked = checkQuestion(question, used)
            if (Either.isLeft(checked)) return [Either.left(checked.left), s]
            const questions = new Map(s.questions)
            questions.set(question.id, question)
            return [Either.void, { ...s, questions }]
          }
        )
      ),
    question: (questionId) =>
      Effect.flatMap(Ref.get(state), (s) => {
        const question = s.questions.get(questionId)
        return question === undefined
          ? Effect.fail(new QuestionNotFound({ questionId }))
          : Effect.succeed(question)
      }),
    record: (responses) =>
      add(
        responses.map((r) => r.unitId),
        (known) => checkResponses(responses, known)
      ),
    recordTally: (input) => add([input.unitId], (known) => checkTally(input, known)),
    tallies: (query) => Effect.map(selected(query), ({ rows, scale }) => talliesOf(scale, rows)),
    total: (query) => Effect.map(selected(query), ({ rows, scale }) => totalOf(scale, rows))
  }
})
