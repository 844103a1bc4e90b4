import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import * as fc from "fast-check"
import { uuidV7, uuidV7At } from "../src/TimeOrderedId.js"

const instant = fc.integer({ min: 0, max: 2 ** 48 - 1 })
const random = fc.uint8Array({ minLength: 10, maxLength: 10 })

describe("TimeOrderedId", () => {
  it.prop(
    "a v7 UUID: version 7, RFC variant, the instant in its first 48 bits",
    [instant, random],
    ([ms, r]) => {
      const id = uuidV7At(ms, r)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(ms)
    }
  )

  it.prop(
    "ids of a later millisecond sort after, as text, whatever their random bits",
    [instant, instant, random, random],
    ([a, b, ra, rb]) => {
      fc.pre(a !== b)
      const [x, y] = [uuidV7At(a, ra), uuidV7At(b, rb)]
      expect(x < y).toBe(a < b)
    }
  )

  it.effect("uuidV7 takes the ambient clock's time", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(1_700_000_000_123)
      const id = yield* uuidV7
      expect(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(1_700_000_000_123)
    })
  )
})
