/**
 * `Hierarchy.makeYielding` — the sliced build a background cache uses — gives
 * exactly what `make` gives, for any rows (valid trees, and rows with
 * duplicates, missing parents, cycles, unknown levels, bad codes), and gives
 * the event loop back while it builds a large tree.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Hierarchy from "../src/Hierarchy.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Unit from "../src/Unit.js"

const scheme = LevelScheme.FiveLevel
const levels = [...scheme.levels.map((l) => l.id), "no-such-level"]
const codes = [undefined, "110105000000", "110105001000", "110105001001", "110105002000", "12345"]

/** Any rows: each row's parent is a random earlier or later row, none, or an id no row has. */
const arbRows: fc.Arbitrary<ReadonlyArray<Unit.Unit>> = fc
  .array(
    fc.record({
      id: fc.nat({ max: 80 }),
      parent: fc.oneof(fc.constant(-1), fc.nat({ max: 90 })),
      level: fc.nat({ max: levels.length - 1 }),
      code: fc.nat({ max: codes.length - 1 })
    }),
    { maxLength: 80 }
  )
  .map((rows) =>
    rows.map((r) => {
      const code = codes[r.code]
      return Unit.make({
        id: `u${r.id}`,
        parentId: r.parent < 0 ? null : `u${r.parent}`,
        level: levels[r.level] ?? "",
        name: `单元${r.id}`,
        ...(code === undefined ? {} : { code })
      })
    })
  )

/** Valid-ish trees: row i hangs under an earlier row, a level below it (so most are valid). */
const arbTree: fc.Arbitrary<ReadonlyArray<Unit.Unit>> = fc
  .array(fc.nat(), { maxLength: 200 })
  .chain((parents) =>
    fc.shuffledSubarray(
      [
        Unit.make({ id: "u0", parentId: null, level: "district", name: "区" }),
        ...parents.map((seed, k) => {
          const i = k + 1
          const parent = seed % i
          return Unit.make({ id: `u${i}`, parentId: `u${parent}`, level: "street", name: `街道${i}` })
        })
      ],
      { minLength: parents.length + 1 }
    )
  )

/** The observable result of a build: the tree's index arrays and rows, or the violations. */
const observed = (result: Either.Either<Hierarchy.Hierarchy, Hierarchy.HierarchyInvalid>) =>
  Either.match(result, {
    onLeft: (e) => ({ invalid: e.violations }),
    onRight: (h) => ({ tree: h.tree, scheme: h.scheme })
  })

const yielding = (rows: ReadonlyArray<Unit.Unit>, sliceMillis?: number) =>
  Effect.either(Hierarchy.makeYielding(scheme, rows, sliceMillis === undefined ? {} : { sliceMillis }))

/** A district of `streets` streets of `communities` communities each, in shuffled order. */
const large = (streets: number, communities: number): Array<Unit.Unit> => {
  const rows: Array<Unit.Unit> = [Unit.make({ id: "d", parentId: null, level: "district", name: "区" })]
  for (let s = 0; s < streets; s++) {
    rows.push(Unit.make({ id: `s${s}`, parentId: "d", level: "street", name: `街道${s}` }))
    for (let c = 0; c < communities; c++) {
      rows.push(Unit.make({ id: `s${s}c${c}`, parentId: `s${s}`, level: "community", name: `社区${c}` }))
    }
  }
  // a fixed permutation (row order must not matter)
  return rows
    .map((row, i) => ({ row, key: (i * 7919) % rows.length }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.row)
}

describe("Hierarchy.makeYielding", () => {
  it.effect.prop("for any rows it gives what make gives (violations included)", [arbRows], ([rows]) =>
    Effect.gen(function* () {
      const sliced = yield* yielding(rows, 0)
      expect(observed(sliced)).toEqual(observed(Hierarchy.make(scheme, rows)))
    })
  )

  it.effect.prop("for generated trees in any row order it gives what make gives", [arbTree], ([rows]) =>
    Effect.gen(function* () {
      const sliced = yield* yielding(rows, 0)
      expect(observed(sliced)).toEqual(observed(Hierarchy.make(scheme, rows)))
    })
  )

  it.effect("a large tree built in many slices equals make's, and timers run while it builds", () =>
    Effect.gen(function* () {
      const rows = large(60, 500) // 30,061 units
      let ticks = 0
      const timer = setInterval(() => {
        ticks++
      }, 0)
      const sliced = yield* yielding(rows, 0).pipe(Effect.ensuring(Effect.sync(() => clearInterval(timer))))
      expect(Either.isRight(sliced)).toBe(true)
      expect(observed(sliced)).toEqual(observed(Hierarchy.make(scheme, rows)))
      // every slice gave the event loop back: the interval fired in between
      expect(ticks).toBeGreaterThan(3)
    })
  )

  it.effect("the default slices give the same tree", () =>
    Effect.gen(function* () {
      const rows = large(10, 300)
      const sliced = yield* yielding(rows)
      expect(observed(sliced)).toEqual(observed(Hierarchy.make(scheme, rows)))
    })
  )
})
