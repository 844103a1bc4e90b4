/**
 * 共享看板读取 — the change streams of one unit share its board reads: many
 * screens within the read's age cost one board query; another unit, or a
 * read older than the age, queries again.
 */
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import { UnitId } from "@civicgrid/core/Unit"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { sharedBoardReader } from "../src/SessionHandlers.js"

/** The memory case store, counting its board reads by unit. */
const counting = (reads: Map<string, number>) =>
  Layer.effect(
    CaseRepository.CaseRepository,
    Effect.map(CaseRepository.CaseRepository, (repo) => ({
      ...repo,
      board: (...[unitId, now]: Parameters<typeof repo.board>) =>
        Effect.suspend(() => {
          reads.set(unitId, (reads.get(unitId) ?? 0) + 1)
          return repo.board(unitId, now)
        })
    }))
  ).pipe(Layer.provide(CaseRepository.layerMemory()))

describe("SessionHandlers.sharedBoardReader", () => {
  it.effect(
    "50 streams of a unit within the age read its board once; another unit and a later tick read again",
    () =>
      Effect.gen(function* () {
        const reads = new Map<string, number>()
        yield* Effect.gen(function* () {
          const read = yield* sharedBoardReader({ maxAge: "1 second" })
          const a = UnitId.make("u-a")
          const b = UnitId.make("u-b")
          const first = yield* Effect.all(
            Array.from({ length: 50 }, () => read(a)),
            { concurrency: "unbounded" }
          )
          expect(reads.get("u-a")).toBe(1)
          // every stream got the same board fingerprint
          expect(new Set(first.map((f) => Option.getOrUndefined(f))).size).toBe(1)
          expect(Option.isSome(first[0] ?? Option.none())).toBe(true)
          yield* read(b)
          expect(reads.get("u-b")).toBe(1)
          yield* TestClock.adjust("999 millis")
          yield* read(a)
          expect(reads.get("u-a")).toBe(1)
          yield* TestClock.adjust("2 millis")
          yield* read(a)
          expect(reads.get("u-a")).toBe(2)
        }).pipe(Effect.provide(counting(reads)))
      })
  )
})
