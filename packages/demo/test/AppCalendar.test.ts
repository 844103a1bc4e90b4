/**
 * 年度日历 — the app reads the year schedules loaded into its database at
 * start (beside the shipped official years), and `/health` tells an admin how
 * far the calendar reaches from today, warning 60 days before its last day
 * (the clock fixed with `TestClock`).
 */
import * as CalendarRepository from "@civicgrid/core/CalendarRepository"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlCalendarRepository from "@civicgrid/sql/SqlCalendarRepository"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as App from "../src/App.js"
import * as District from "../src/District.js"
import * as Seed from "../src/Seed.js"

const small: Seed.Options = { district: District.makeDefault(), cases: { count: 10 } }

const d = (text: string) => WorkingCalendar.LocalDate.make(text)

/** A synthetic 2027 (a test fixture, NOT the State Council's schedule). */
const synthetic2027: WorkingCalendar.YearSchedule = {
  year: 2027,
  holidays: [d("2027-01-01")],
  workdays: [],
  names: { [d("2027-01-01")]: "元旦" },
  source: "synthetic test fixture"
}

const health = Effect.flatMap(HttpClient.HttpClient, (http) =>
  http.get("/health", { headers: { authorization: "Bearer demo-admin" } })
).pipe(
  Effect.flatMap((response) => response.json),
  Effect.scoped,
  Effect.orDie,
  Effect.map((json) => (json as { readonly calendar: unknown }).calendar)
)

/** The app on an in-memory SQLite database that was migrated and given `years` before the start. */
const appWith = (years: ReadonlyArray<WorkingCalendar.YearSchedule>) => {
  const loaded = Layer.effectDiscard(
    Effect.gen(function* () {
      yield* Migrations.run
      yield* Effect.flatMap(CalendarRepository.CalendarRepository, (r) => r.put(years)).pipe(
        Effect.provide(SqlCalendarRepository.layer)
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

const at = (iso: string) => TestClock.setTime(Date.parse(iso))

describe("App calendar", () => {
  it.effect("/health: the shipped years end 2026-12-31 — a warning from 60 days before, none earlier", () =>
    Effect.gen(function* () {
      yield* at("2026-12-06T02:00:00Z")
      expect(yield* health).toEqual({ lastDay: "2026-12-31", daysLeft: 25, warning: true })
      yield* at("2026-11-01T02:00:00Z")
      expect(yield* health).toEqual({ lastDay: "2026-12-31", daysLeft: 60, warning: true })
      yield* at("2026-10-31T02:00:00Z")
      expect(yield* health).toEqual({ lastDay: "2026-12-31", daysLeft: 61, warning: false })
      yield* at("2027-01-04T02:00:00Z")
      expect(yield* health).toEqual({ lastDay: null, daysLeft: -1, warning: true })
    }).pipe(Effect.provide(appWith([])))
  )

  it.effect(
    "/health: a year loaded into the database before the start is read — the calendar reaches 2027-12-31",
    () =>
      Effect.gen(function* () {
        yield* at("2026-12-06T02:00:00Z")
        expect(yield* health).toEqual({ lastDay: "2027-12-31", daysLeft: 390, warning: false })
      }).pipe(Effect.provide(appWith([synthetic2027])))
  )

  /** Reports at 17:00 on 31 December 2026 (Beijing time), in a seeded grid; the Open311 request's expected_datetime (the deadline). */
  const expectedAfterLateReport = Effect.gen(function* () {
    yield* at("2026-12-31T09:00:00Z")
    const district = small.district ?? District.makeDefault()
    const grid = district.grids[0]
    if (grid === undefined) throw new Error("no grid")
    const [long, lat] = Option.getOrThrow(District.pointIn(grid))
    const call = (request: HttpClientRequest.HttpClientRequest) =>
      Effect.flatMap(HttpClient.HttpClient, (http) => http.execute(request)).pipe(
        Effect.flatMap((response) => response.text),
        Effect.scoped,
        Effect.orDie
      )
    const services = JSON.parse(
      yield* call(HttpClientRequest.get("/open311/v2/services.json"))
    ) as ReadonlyArray<{
      readonly service_code: string
      readonly metadata: boolean
    }>
    const service = services.find((x) => !x.metadata)?.service_code ?? ""
    const posted = yield* call(
      HttpClientRequest.post("/open311/v2/requests.json").pipe(
        HttpClientRequest.bodyUrlParams([
          ["api_key", Seed.demoApiKey],
          ["service_code", service],
          ["lat", String(lat)],
          ["long", String(long)],
          ["description", "年末上报 reported on the last afternoon of the year"]
        ])
      )
    )
    const id = (JSON.parse(posted) as ReadonlyArray<{ readonly service_request_id: string }>)[0]
      ?.service_request_id
    const read = JSON.parse(
      yield* call(HttpClientRequest.get(`/open311/v2/requests/${id}.json`))
    ) as ReadonlyArray<{
      readonly expected_datetime?: string | null
    }>
    return read[0]?.expected_datetime ?? null
  })

  it.effect(
    "跨年时限: a deadline across the year end is kept only once next year is loaded into the database",
    () =>
      Effect.gen(function* () {
        const withoutYear = yield* expectedAfterLateReport.pipe(Effect.provide(appWith([])))
        expect(withoutYear).toBeNull()
        const withYear = yield* expectedAfterLateReport.pipe(Effect.provide(appWith([synthetic2027])))
        expect(withYear).not.toBeNull()
        expect(String(withYear) >= "2027-01-0").toBe(true)
      })
  )
})
