/**
 * 清单 over HTTP: problems and tasks within the principal's jurisdiction;
 * everything else is 404 like an unknown id.
 */
import { DepartmentId } from "@civicgrid/core/Actor"
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as TaskList from "@civicgrid/core/TaskList"
import { UnitId } from "@civicgrid/core/Unit"
import { expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  C1,
  C3,
  CHENGGUAN,
  dialects,
  env,
  K1,
  login,
  principal,
  S1,
  S2,
  seedDemo
} from "./support/Harness.js"

const at = DateTime.unsafeMake(Date.UTC(2024, 4, 10, 1, 0))

const problem = (id: string, unitId: string) =>
  ProblemList.make({
    id,
    unitId,
    categoryId: "environment",
    source: { _tag: "HouseholdVisit" },
    description: `问题 ${id}`,
    reportedAt: at,
    tags: ["保洁"]
  })

const seedLists = Effect.gen(function* () {
  const lists = yield* ListRepository
  yield* lists.putProblems([problem("p-jinsha", K1), problem("p-nanhua", C3)])
  yield* lists.putTasks([
    TaskList.make({
      id: "t-jinsha",
      problemId: "p-jinsha",
      title: "清运垃圾",
      resourceIds: [],
      owner: { _tag: "Unit", unitId: UnitId.make(C1) },
      deadline: at
    }),
    TaskList.make({
      id: "t-dept",
      problemId: "p-nanhua",
      title: "拆除违建",
      resourceIds: [],
      owner: { _tag: "Department", departmentId: DepartmentId.make(CHENGGUAN) },
      deadline: at
    })
  ])
}).pipe(Effect.orDie)

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(Effect.zipRight(seedDemo, seedLists)).pipe(
    Layer.provideMerge(env(dialect))
  )
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(`lists on ${dialect.name}`, (it) => {
    it.effect("问题/任务清单: a principal reads its jurisdiction's lists; the rest is 404", () =>
      Effect.gen(function* () {
        const street = yield* login(principal("ss-lists", "street-staff", S1))
        const other = yield* login(principal("ss-lists-2", "street-staff", S2))
        const dept = yield* login(principal("cg-lists", "department", S1, CHENGGUAN))
        const resident = yield* login(principal("res-lists", "resident", C1))

        expect((yield* street.client.lists.problems({ urlParams: {} })).map((p) => p.id)).toEqual([
          "p-jinsha"
        ])
        expect((yield* other.client.lists.problems({ urlParams: {} })).map((p) => p.id)).toEqual(["p-nanhua"])
        expect(
          (yield* street.client.lists.problems({ urlParams: { status: "closed" } })).map((p) => p.id)
        ).toEqual([])
        expect((yield* street.client.lists.problem({ path: { problemId: "p-jinsha" } })).unitId).toBe(K1)
        const hidden = yield* Effect.flip(street.client.lists.problem({ path: { problemId: "p-nanhua" } }))
        const unknown = yield* Effect.flip(street.client.lists.problem({ path: { problemId: "p-none" } }))
        expect([hidden._tag, unknown._tag]).toEqual(["NotFound", "NotFound"])
        expect((yield* Effect.flip(street.client.lists.problems({ urlParams: { within: C3 } })))._tag).toBe(
          "NotFound"
        )

        expect((yield* street.client.lists.tasks({ urlParams: {} })).map((t) => t.id)).toEqual(["t-jinsha"])
        expect((yield* dept.client.lists.task({ path: { taskId: "t-dept" } })).title).toBe("拆除违建")
        expect((yield* Effect.flip(street.client.lists.task({ path: { taskId: "t-dept" } })))._tag).toBe(
          "NotFound"
        )
        expect((yield* Effect.flip(resident.client.lists.problems({ urlParams: {} })))._tag).toBe("NotFound")
      })
    )
  })
}
