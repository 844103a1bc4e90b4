/**
 * 联户、重点人群、走访 — every schema of the people modules has a schema-derived
 * generator (`Arbitrary.make`) that produces every field, and every generated
 * value survives JSON encoding and decoding unchanged — what the SQL and HTTP
 * adapters rely on when they store and serve these records.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as ContactDuty from "../src/ContactDuty.js"
import * as Household from "../src/Household.js"
import * as KeyGroup from "../src/KeyGroup.js"
import * as KeyGroupAccess from "../src/KeyGroupAccess.js"
import * as ProxyService from "../src/ProxyService.js"
import * as Resident from "../src/Resident.js"
import * as Visit from "../src/Visit.js"
import * as VisitPlan from "../src/VisitPlan.js"

const schemas: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = [
  ["Household", Household.Household],
  ["Resident", Resident.Resident],
  ["KeyGroup.Category", KeyGroup.Category],
  ["KeyGroup.Enrolment", KeyGroup.Enrolment],
  ["ContactDuty.Contact", ContactDuty.Contact],
  ["ContactDuty.Link", ContactDuty.Link],
  ["ContactDuty.Rules", ContactDuty.Rules],
  ["VisitPlan", VisitPlan.VisitPlan],
  ["Visit.RecordVisit", Visit.RecordVisit],
  ["Visit", Visit.Visit],
  ["ProxyService.Command", ProxyService.ProxyServiceCommand],
  ["ProxyService.Event", ProxyService.ProxyServiceEvent],
  ["ProxyService.State", ProxyService.State],
  ["KeyGroupAccess.AccessPolicy", KeyGroupAccess.AccessPolicy],
  ["KeyGroupAccess.ReadRequest", KeyGroupAccess.ReadRequest],
  ["KeyGroupAccess.AccessLogEntry", KeyGroupAccess.AccessLogEntry]
]

describe("people schemas", () => {
  it.each(schemas)("%s: generated values round-trip through JSON", (_, schema) => {
    const codec = Schema.parseJson(schema)
    fc.assert(
      fc.property(Arbitrary.make(schema), (value) => {
        // compared as JSON: JSON has no −0 (a generated position [−0, 0] comes back as [0, 0])
        const json = Schema.encodeSync(codec)(value)
        expect(Schema.encodeSync(codec)(Schema.decodeUnknownSync(codec)(json))).toBe(json)
      }),
      { numRuns: 40 }
    )
  })

  it("generated commands carry every field: optional fields appear and are left out", () => {
    const accepts = fc
      .sample(Arbitrary.make(ProxyService.Accept), { numRuns: 300, seed: 7 })
      .map((a) => Object.keys(a).sort().join(","))
    expect(new Set(accepts).size).toBeGreaterThan(1)
    const all = new Set(
      fc.sample(Arbitrary.make(ProxyService.Accept), { numRuns: 300, seed: 7 }).flatMap((a) => Object.keys(a))
    )
    expect([...all].sort()).toEqual(Object.keys(ProxyService.Accept.fields).sort())
    const visits = new Set(
      fc.sample(Arbitrary.make(Visit.RecordVisit), { numRuns: 300, seed: 7 }).flatMap((v) => Object.keys(v))
    )
    expect([...visits].sort()).toEqual(Object.keys(Visit.RecordVisit.fields).sort())
  })
})
