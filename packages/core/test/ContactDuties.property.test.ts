/**
 * 联户职责检查 over the people store (`PeopleRepository.contactDuties`): a
 * key-household contact's load is checked against the seed bounds 1–5 (seed
 * 003: 党员中心户、党员先锋岗均分别联系了1-5户) whatever the load, every key
 * household without a plan or a contact is reported, the coverage is households
 * with a contact over households, and a reader without a key-group grant is
 * never told which households are key households.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import { type Actor, ActorId } from "../src/Actor.js"
import * as ContactDuty from "../src/ContactDuty.js"
import * as HierarchyRepository from "../src/HierarchyRepository.js"
import * as Household from "../src/Household.js"
import * as KeyGroup from "../src/KeyGroup.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as People from "../src/PeopleRepository.js"
import * as Unit from "../src/Unit.js"
import * as VisitPlan from "../src/VisitPlan.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const C = Unit.UnitId.make("c")
const B = Unit.UnitId.make("b")
const rows = [
  Unit.make({ id: "d", parentId: null, level: "district", name: "区" }),
  Unit.make({ id: "s", parentId: "d", level: "street", name: "街道" }),
  Unit.make({ id: "c", parentId: "s", level: "community", name: "社区" }),
  Unit.make({ id: "b", parentId: "c", level: "building", name: "1号楼" })
]
const date = LocalDate.make("2024-09-10")
const staff: Actor = { id: ActorId.make("cs"), role: "community-staff", unitId: C }
const street: Actor = { id: ActorId.make("ss"), role: "street-staff", unitId: Unit.UnitId.make("s") }

const Stores = People.layerMemory().pipe(Layer.provideMerge(HierarchyRepository.layerMemory))

const hid = (n: number) => Household.HouseholdId.make(`h${n}`)

/** `total` key households; the contact links the first `load`; households in `unplanned` have no plan. */
const seed = (total: number, load: number, unplanned: ReadonlySet<number>) =>
  Effect.gen(function* () {
    yield* Effect.flatMap(HierarchyRepository.HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, rows))
    const people = yield* People.PeopleRepository
    const ns = Array.from({ length: total }, (_, i) => i + 1)
    yield* people.putHouseholds(
      ns.map((n) => ({
        id: hid(n),
        communityId: C,
        place: { _tag: "AtBuilding" as const, buildingId: B, door: `${n}` },
        label: `1号楼${n}`,
        size: 1,
        tags: []
      }))
    )
    yield* people.putEnrolments(
      ns.map((n) => ({
        id: KeyGroup.EnrolmentId.make(`e${n}`),
        categoryId: KeyGroup.CategoryId.make("elderly-alone"),
        householdId: hid(n),
        since: LocalDate.make("2024-01-01"),
        reason: "独居",
        enrolledBy: staff.id
      }))
    )
    yield* people.putPlans(
      ns
        .filter((n) => !unplanned.has(n))
        .map((n) => ({
          id: VisitPlan.VisitPlanId.make(`p${n}`),
          householdId: hid(n),
          every: { amount: 7, unit: "natural-days" as const },
          startsOn: LocalDate.make("2024-09-01")
        }))
    )
    const contact = ContactDuty.ContactId.make("k")
    yield* people.putContacts([
      {
        id: contact,
        kind: "party-member-household",
        duty: "key-households",
        label: "党员中心户",
        communityId: C
      }
    ])
    yield* people.putLinks(ns.slice(0, load).map((n) => ({ contactId: contact, householdId: hid(n) })))
  }).pipe(Effect.orDie)

describe("PeopleRepository.contactDuties", () => {
  it.effect.prop(
    "the load of a key-household contact: within 1–5 accepted, 0 below, more than 5 above; coverage and plans as stored",
    [
      fc
        .integer({ min: 0, max: 9 })
        .chain((load) => fc.tuple(fc.constant(load), fc.integer({ min: load, max: 10 }))),
      fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { maxLength: 3 })
    ],
    ([[load, total], unplannedList]) =>
      Effect.gen(function* () {
        const unplanned = new Set(unplannedList.filter((n) => n <= total))
        yield* seed(total, load, unplanned)
        const report = yield* People.contactDuties({ within: "c", date, reader: staff })
        expect(report.contacts.map((c) => [c.contact.id, c.households])).toEqual([["k", load]])
        const loadRules = report.violations.filter((v) => v.contactId === "k").map((v) => [v.rule, v.count])
        expect(loadRules).toEqual(
          load < 1 ? [["key-load-below", 0]] : load > 5 ? [["key-load-above", load]] : []
        )
        const byRule = (rule: ContactDuty.ContactRule) =>
          report.violations.filter((v) => v.rule === rule).map((v) => v.householdId)
        expect(byRule("key-household-without-plan")).toEqual([...unplanned].sort().map((n) => `h${n}`))
        const withoutContact = Array.from({ length: total - load }, (_, i) => `h${load + i + 1}`).sort()
        expect([...byRule("key-household-without-contact")].sort()).toEqual(withoutContact)
        expect(report.coverage).toEqual({ numerator: load, denominator: total })

        // a reader without a key-group grant: the same rules broken, no key household named
        const counted = yield* People.contactDuties({ within: "c", date, reader: street })
        expect(counted.violations.map((v) => v.rule)).toEqual(report.violations.map((v) => v.rule))
        expect(
          counted.violations
            .filter((v) => v.rule !== "key-load-below" && v.rule !== "key-load-above")
            .every((v) => v.householdId === undefined)
        ).toBe(true)
        expect(counted.violations.map((v) => v.message).join()).not.toMatch(/\bh\d+\b/)
      }).pipe(Effect.provide(Stores)),
    { fastCheck: { numRuns: 40 } }
  )
})
