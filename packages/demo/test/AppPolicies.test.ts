/**
 * 自带配置 — the app runs on the policies stored in its database before the
 * start (`PolicyRepository`, issue 15): Open311 lists the stored category
 * catalogue (a custom 小类 included, its write time as the changeset) instead
 * of the standard one, and a stored time-limit policy sets the deadline
 * (`expected_datetime`) of a case reported through Open311. Without stored
 * policies the standard catalogue and the default policy apply.
 */
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as PolicyRepository from "@civicgrid/core/PolicyRepository"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkDuration from "@civicgrid/core/WorkDuration"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlHierarchyRepository from "@civicgrid/sql/SqlHierarchyRepository"
import * as SqlPolicyRepository from "@civicgrid/sql/SqlPolicyRepository"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as App from "../src/App.js"
import * as District from "../src/District.js"
import * as Seed from "../src/Seed.js"

const small: Seed.Options = { district: District.makeDefault(), cases: { count: 10 } }

/** A custom major class and minor class a street office adds. */
const customMajor = CaseCategory.major({ family: "event", id: "QS-31", code: "31", name: "楼院自治" })
const customMinor = CaseCategory.minor({
  family: "event",
  id: "QS-3101",
  code: "3101",
  name: "楼道堆物",
  majorId: "QS-31"
})

const policy: ReadonlyArray<TimeLimit.Rule> = [
  { step: "filing", limit: WorkDuration.workingDays(3) },
  { limit: WorkDuration.workingDays(5) }
]

/** The app on an in-memory SQLite database, migrated and given `store` before the start. */
const appWith = (store: Effect.Effect<void, unknown, PolicyRepository.PolicyRepository>) => {
  const loaded = Layer.effectDiscard(
    Effect.gen(function* () {
      yield* Migrations.run
      yield* store.pipe(
        Effect.provide(SqlPolicyRepository.layer.pipe(Layer.provide(SqlHierarchyRepository.layer)))
      )
    })
  )
  return App.layer({ log: () => {}, databaseName: "SQLite :memory:", seed: small }).pipe(
    Layer.provide(loaded),
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
    Layer.orDie
  )
}

const stored = Effect.gen(function* () {
  const repository = yield* PolicyRepository.PolicyRepository
  yield* repository.putCatalogue([
    ...CaseCategory.WithCommunityGovernance.categories,
    customMajor,
    customMinor
  ])
  yield* repository.putTimeLimits(policy)
})

const call = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(HttpClient.HttpClient, (http) => http.execute(request)).pipe(
    Effect.flatMap((response) => response.text),
    Effect.scoped,
    Effect.orDie
  )

const services = Effect.map(
  call(HttpClientRequest.get("/open311/v2/services.json")),
  (text) => JSON.parse(text) as ReadonlyArray<{ readonly service_code: string; readonly metadata: boolean }>
)

/** Reports a case through Open311 at Monday 2026-11-02 09:00 Beijing; its expected_datetime. */
const expected = (serviceCode: string) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(Date.parse("2026-11-02T01:00:00Z"))
    const district = small.district ?? District.makeDefault()
    const grid = district.grids[0]
    if (grid === undefined) throw new Error("no grid")
    const [long, lat] = Option.getOrThrow(District.pointIn(grid))
    const posted = yield* call(
      HttpClientRequest.post("/open311/v2/requests.json").pipe(
        HttpClientRequest.bodyUrlParams([
          ["api_key", Seed.demoApiKey],
          ["service_code", serviceCode],
          ["lat", String(lat)],
          ["long", String(long)],
          ["description", "楼道堆放杂物"]
        ])
      )
    )
    const id = (JSON.parse(posted) as ReadonlyArray<{ readonly service_request_id?: string }>)[0]
      ?.service_request_id
    expect(id, posted).toBeDefined()
    const read = JSON.parse(
      yield* call(HttpClientRequest.get(`/open311/v2/requests/${id}.json`))
    ) as ReadonlyArray<{
      readonly expected_datetime?: string | null
    }>
    return read[0]?.expected_datetime ?? null
  })

const deadlineUnder = (rules: ReadonlyArray<TimeLimit.Rule>, categoryId: string) =>
  Either.getOrThrow(
    TimeLimit.deadline({ rules }, WorkingCalendar.china(), {
      categoryId: CaseCategory.CategoryId.make(categoryId),
      urgency: "normal",
      step: "filing",
      startedAt: DateTime.unsafeMake(Date.parse("2026-11-02T01:00:00Z"))
    })
  ).deadline

describe("App on stored policies", () => {
  it.effect(
    "Open311 lists the stored catalogue, and a report's deadline follows the stored time limits",
    () =>
      Effect.gen(function* () {
        const codes = (yield* services).map((s) => s.service_code)
        expect(codes).toContain("QS-3101")
        expect(codes).toEqual(
          CaseCategory.minors(
            CaseCategory.unsafeMake([
              ...CaseCategory.WithCommunityGovernance.categories,
              customMajor,
              customMinor
            ])
          ).map((m) => m.id)
        )
        const at = yield* expected("QS-3101")
        expect(at).not.toBeNull()
        expect(Date.parse(at ?? "")).toBe(deadlineUnder(policy, "QS-3101").epochMillis)
      }).pipe(Effect.provide(appWith(stored)))
  )

  it.effect("without stored policies: the standard catalogue and the default time limits", () =>
    Effect.gen(function* () {
      const listed = yield* services
      const codes = listed.map((s) => s.service_code)
      expect(codes).toEqual(CaseCategory.minors(CaseCategory.Standard).map((m) => m.id))
      const service = listed.find((s) => !s.metadata)?.service_code ?? ""
      const at = yield* expected(service)
      expect(Date.parse(at ?? "")).toBe(deadlineUnder(TimeLimit.defaultPolicy.rules, service).epochMillis)
    }).pipe(Effect.provide(appWith(Effect.void)))
  )
})
