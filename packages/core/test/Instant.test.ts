import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as JSONSchema from "effect/JSONSchema"
import * as Schema from "effect/Schema"
import * as Instant from "../src/Instant.js"

const decode = Schema.decodeUnknownEither(Instant.DateTimeUtc)
const encode = Schema.encodeSync(Instant.DateTimeUtc)
const iso = (text: string) => Either.map(decode(text), DateTime.formatIso)

describe("Instant.DateTimeUtc", () => {
  it.prop("every valid DateTime round-trips through its ISO text", [Schema.DateTimeUtcFromSelf], ([dt]) => {
    const text = encode(dt)
    expect(Either.map(decode(text), (d) => DateTime.toEpochMillis(d))).toEqual(
      Either.right(DateTime.toEpochMillis(dt))
    )
  })

  it.prop("its arbitrary generates values that encode and decode again", [Instant.DateTimeUtc], ([dt]) => {
    expect(Either.isRight(decode(encode(dt)))).toBe(true)
  })

  it("refuses impossible dates and times (V8 would roll them over) with rule valid-date", () => {
    for (const text of [
      "2025-02-30",
      "2023-02-29",
      "2024-13-01",
      "2024-00-10",
      "2024-04-31",
      "2024-01-01T24:00:01Z",
      "2024-01-01T23:60:00Z",
      "2024-01-01T23:59:60Z",
      "2024-01-01T10:00:00+24:00",
      "2025-02-30T09:00:00+08:00",
      "not a date",
      "2024/03/04",
      ""
    ]) {
      const result = decode(text)
      expect(Either.isLeft(result), text).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left.message).toContain("rule valid-date")
        expect(result.left.message).toContain("日期不存在")
      }
    }
  })

  it("accepts every valid form Schema.DateTimeUtc accepted, to the same instant", () => {
    for (const text of [
      "2024-02-29",
      "2000-02-29",
      "2024-03-04T09:00:00Z",
      "2024-03-04T09:00:00.123Z",
      "2024-03-04T09:00:00+08:00",
      "2024-03-04T09:00:00-05:30",
      "2024-03-04T09:00:00",
      "2024-03-04T09:00",
      "2024-03-04T09:00Z",
      "2024-03-04 09:00:00Z",
      "2024-12-31T23:59:59.999Z",
      "+010000-01-01T00:00:00.000Z",
      "-000001-06-30T12:00:00.000Z"
    ]) {
      expect(iso(text), text).toEqual(
        Either.map(Schema.decodeUnknownEither(Schema.DateTimeUtc)(text), DateTime.formatIso)
      )
    }
    expect(iso("2024-02-29")).toEqual(Either.right("2024-02-29T00:00:00.000Z"))
    expect(iso("2024-03-04T09:00:00+08:00")).toEqual(Either.right("2024-03-04T01:00:00.000Z"))
    expect(iso("2024-03-04T24:00:00Z")).toEqual(Either.right("2024-03-05T00:00:00.000Z"))
  })

  it.prop(
    "refuses a day past the end of its month in any year",
    [FastCheck.integer({ min: 1, max: 9999 }), FastCheck.integer({ min: 1, max: 12 })],
    ([year, month]) => {
      const last = new Date(Date.UTC(2000, month, 0)).getUTCDate() // days in month in a leap year
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      const days = month === 2 && !leap ? 28 : last
      const y = String(year).padStart(4, "0")
      const m = String(month).padStart(2, "0")
      expect(Either.isRight(decode(`${y}-${m}-${String(days).padStart(2, "0")}`))).toBe(true)
      expect(Either.isLeft(decode(`${y}-${m}-${String(days + 1).padStart(2, "0")}`))).toBe(true)
    }
  )

  it("describes itself to JSON Schema / OpenAPI as a date-time string", () => {
    const schema = JSONSchema.make(Schema.Struct({ at: Instant.DateTimeUtc }))
    expect(JSON.stringify(schema)).toContain('"format":"date-time"')
  })
})
