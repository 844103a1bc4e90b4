/**
 * Trusted decoding of the store's own rows (`internal/trusted.ts`): the hot
 * reads decode event payloads and read-model rows without the schemas'
 * checks. Checks that the result equals the schemas' decoding — for any event
 * the `CaseEvent` schema can encode (its arbitrary), for the events and rows
 * of case states reached by random command sequences, and for rows as
 * PostgreSQL returns BIGINT (strings) — and that what it cannot read throws.
 */
import * as Case from "@civicgrid/core/Case"
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import {
  caseRow,
  eventOf,
  eventRow,
  summaryColumns,
  summaryOf,
  trustedEventOf,
  trustedSummaryOf
} from "../src/internal/caseRows.js"
import * as Trusted from "../src/internal/trusted.js"
import { at, build, intents, report, T0, timeLimits } from "./support/CaseFixtures.js"

const MINUTE = 60_000
const encodeEvent = Schema.encodeSync(CaseEvent)

const pick = (row: { readonly [column: string]: unknown }, columns: ReadonlyArray<string>) =>
  Object.fromEntries(columns.map((c) => [c, row[c]]))

describe("trusted decoding — equal to the schemas' decoding of what they encode", () => {
  it.prop(
    "any CaseEvent: trustedEventOf(payload) equals eventOf(payload)",
    [Arbitrary.make(CaseEvent)],
    ([event]) => {
      const payload = JSON.stringify(encodeEvent(event))
      expect(trustedEventOf(payload)).toEqual(eventOf(payload))
    },
    { fastCheck: { numRuns: 300 } }
  )

  it('a record with an own "__proto__" key (as JSON.parse makes one): the same JSON as the schema\'s', () => {
    const event = Schema.decodeUnknownSync(CaseEvent)({
      _tag: "Reported",
      caseId: "x",
      sequence: 1,
      at: "1970-01-01T00:00:00.000Z",
      actor: { id: "x", role: "community-staff", unitId: "u" },
      source: "resident-app",
      categoryId: "x",
      urgency: "normal",
      description: "!!",
      location: { unitId: "u" },
      communityId: "x",
      tier: "district",
      ownerUnitId: "x",
      anonymous: false,
      attributes: { floor: 3 }
    })
    // an own "__proto__" key, as the schema's arbitrary (and JSON.parse) make one
    const attributes: Record<string, unknown> = {}
    Object.defineProperty(attributes, "__proto__", {
      value: [],
      enumerable: true,
      writable: true,
      configurable: true
    })
    attributes["floor"] = 3
    const withProto = { ...event, attributes } as CaseEvent
    expect(Object.keys(withProto._tag === "Reported" ? (withProto.attributes ?? {}) : {})).toContain(
      "__proto__"
    )
    expect(JSON.stringify(Trusted.makeEncoder(CaseEvent)(withProto))).toBe(
      JSON.stringify(encodeEvent(withProto))
    )
  })

  it.prop(
    "events and read-model rows of random case histories (SQLite numbers and PostgreSQL strings)",
    [intents(25)],
    ([steps]) => {
      let state: Case.State = Case.initial
      let now = T0
      for (const step of steps) {
        now += step.dt * MINUTE
        const decided = Case.decide(build(step, state, Case.CaseId.make("trusted-1"), at(now)), state)
        if (Either.isLeft(decided)) continue
        for (const event of decided.right) {
          state = Case.evolve(state, event)
          const { payload } = eventRow(event)
          expect(trustedEventOf(payload)).toEqual(eventOf(payload))
          expect(trustedEventOf(payload)).toEqual(event)
        }
        if (state._tag !== "Case") continue
        for (const limits of [undefined, timeLimits]) {
          const row = pick(caseRow(state, "/d/s/c/", limits), summaryColumns)
          expect(trustedSummaryOf(row)).toEqual(summaryOf(row))
          const asBigint = Object.fromEntries(
            Object.entries(row).map(([c, v]) => [c, typeof v === "number" && c !== "version" ? String(v) : v])
          )
          expect(trustedSummaryOf(asBigint)).toEqual(summaryOf(asBigint))
        }
      }
    },
    { fastCheck: { numRuns: 60 } }
  )

  it("what it cannot read throws: no JSON, an unknown _tag, an instant that is no ISO string or number", () => {
    const events = Either.getOrThrow(Case.decide(report("trusted-2"), Case.initial))
    const state = Case.fold(events)
    const [event] = events
    if (state._tag !== "Case" || event === undefined) return expect.unreachable("a report decides an event")
    const encoded = encodeEvent(event)
    expect(() => trustedEventOf("{not json")).toThrow()
    expect(() => trustedEventOf(JSON.stringify({ ...encoded, _tag: "NoSuchEvent" }))).toThrow()
    expect(() => trustedEventOf(JSON.stringify({ ...encoded, at: 12 }))).toThrow()
    expect(() => trustedEventOf(JSON.stringify({ ...encoded, at: "not an instant" }))).toThrow()
    const row = pick(caseRow(state, "/d/", undefined), summaryColumns)
    expect(() => trustedSummaryOf({ ...row, reported_at: "not a number" })).toThrow()
    expect(() => trustedSummaryOf({ ...row, reported_at: null })).toThrow()
  })

  it("a schema that transforms nothing decodes to the value itself; an unknown transformation by the schema", () => {
    const plain = Schema.Struct({ a: Schema.String, b: Schema.Array(Schema.Number) })
    expect(Trusted.decoderOf(plain.ast)).toBeUndefined()
    const other = Schema.Struct({ n: Schema.NumberFromString })
    expect(Trusted.make(other)({ n: "12" })).toEqual({ n: 12 })
    expect(() => Trusted.make(other)({ n: "twelve" })).toThrow()
  })
})

describe("trusted encoding — the same JSON as the schema's encoding", () => {
  const trustedEncode = Trusted.makeEncoder(CaseEvent)

  it.prop(
    "any CaseEvent: JSON of the trusted encoding equals JSON of Schema.encodeSync",
    [Arbitrary.make(CaseEvent)],
    ([event]) => {
      expect(JSON.stringify(trustedEncode(event))).toBe(JSON.stringify(encodeEvent(event)))
    },
    { fastCheck: { numRuns: 300 } }
  )

  it.prop(
    "the events a decider decides (eventRow's payload): the schema's text, decoded back to the event",
    [intents(25)],
    ([steps]) => {
      let state: Case.State = Case.initial
      let now = T0
      for (const step of steps) {
        now += step.dt * MINUTE
        const decided = Case.decide(build(step, state, Case.CaseId.make("trusted-3"), at(now)), state)
        if (Either.isLeft(decided)) continue
        for (const event of decided.right) {
          state = Case.evolve(state, event)
          const { payload } = eventRow(event)
          expect(payload).toBe(JSON.stringify(encodeEvent(event)))
          expect(eventOf(payload)).toEqual(event)
        }
      }
    },
    { fastCheck: { numRuns: 60 } }
  )

  it("a struct keeps only its declared fields, in their order; an unknown transformation by the schema", () => {
    const struct = Schema.Struct({ a: Schema.String, at: Schema.DateTimeUtc })
    const encode = Trusted.makeEncoder(struct)
    const value = { at: DateTime.unsafeMake(0), extra: 1, a: "x" }
    expect(JSON.stringify(encode(value))).toBe('{"a":"x","at":"1970-01-01T00:00:00.000Z"}')
    expect(JSON.stringify(encode(value))).toBe(JSON.stringify(Schema.encodeSync(struct)(value)))
    expect(Trusted.encoderOf(Schema.Literal("a", "b").ast)).toBeUndefined()
    const other = Schema.Struct({ n: Schema.NumberFromString })
    expect(Trusted.makeEncoder(other)({ n: 12 })).toEqual({ n: "12" })
  })
})
