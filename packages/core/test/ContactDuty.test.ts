/**
 * 联户 — contact duties against the seeds: seed 000's 340 cadres 包保联系 16,470
 * households (≈ 48.4 each, full coverage), seed 003's clerk with 4 重点户 and
 * 党员中心户/先锋岗 with 1–5 (0 and 6 refused); the checker reports every
 * violation, in an order that does not depend on the input's.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as ContactDuty from "../src/ContactDuty.js"
import { GridId } from "../src/Grid.js"
import * as Household from "../src/Household.js"
import { UnitId } from "../src/Unit.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const C = UnitId.make("c-dongbei")
const G = GridId.make("g-1")

const household = (i: number, gridId: GridId | null = G): Household.Household => ({
  id: Household.HouseholdId.make(`h-${i}`),
  communityId: C,
  ...(gridId === null ? {} : { gridId }),
  place: { _tag: "AtBuilding", buildingId: UnitId.make(`b-${Math.floor(i / 100)}`), door: `${i % 100}` },
  label: `${Math.floor(i / 100)}号楼${i % 100}`,
  size: 3,
  tags: []
})

const contact = (
  id: string,
  kind: ContactDuty.ContactKind,
  duty: ContactDuty.Duty = "key-households"
): ContactDuty.Contact => ({
  id: ContactDuty.ContactId.make(id),
  kind,
  duty,
  label: id,
  communityId: C
})

const link = (contactId: string, i: number): ContactDuty.Link => ({
  contactId: ContactDuty.ContactId.make(contactId),
  householdId: Household.HouseholdId.make(`h-${i}`)
})

const range = (from: number, to: number): Array<number> =>
  Array.from({ length: to - from }, (_, k) => from + k)

describe("ContactDuty — seed 000: 340 cadres 包保联系 16,470 households", () => {
  const households = range(0, 16470).map((i) => household(i))
  const cadres = range(0, 340).map((k) => contact(`cadre-${k}`, "cadre", "households"))
  // round robin: 150 cadres with 49 households, 190 with 48
  const links = households.map((_, i) => link(`cadre-${i % 340}`, i))
  const input: ContactDuty.Input = { households, contacts: cadres, links }

  it("full coverage: no violation under the default rules", () => {
    expect(ContactDuty.check(ContactDuty.defaultRules, input)).toEqual([])
  })

  it("≈ 48.4 households per cadre", () => {
    const l = ContactDuty.links(input)
    const sizes = [...l.byContact.values()].map((s) => s.size)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(16470)
    expect(l.byContact.size).toBe(340)
    expect((16470 / 340).toFixed(1)).toBe("48.4")
    expect(Math.min(...sizes)).toBe(48)
    expect(Math.max(...sizes)).toBe(49)
  })

  it("one household without a contact is reported by id", () => {
    const found = ContactDuty.check(ContactDuty.defaultRules, { ...input, links: links.slice(1) })
    expect(found.map((v) => [v.rule, v.householdId])).toEqual([["household-without-contact", "h-0"]])
  })
})

describe("ContactDuty — seed 003: 重点户 per contact 1–5", () => {
  const households = range(0, 20).map((i) => household(i))
  const keyOf = (n: number) => range(0, n).map((i) => households[i]?.id ?? Household.HouseholdId.make("?"))

  it("the clerk's 4 key households are accepted", () => {
    const input: ContactDuty.Input = {
      households: households.slice(0, 4),
      contacts: [contact("clerk-pu", "cadre")],
      links: range(0, 4).map((i) => link("clerk-pu", i)),
      keyHouseholds: keyOf(4),
      plannedHouseholds: keyOf(4)
    }
    expect(ContactDuty.check(ContactDuty.defaultRules, input)).toEqual([])
  })

  it.each([0, 1, 2, 3, 4, 5, 6])("a 党员中心户 with %i key households", (n) => {
    const input: ContactDuty.Input = {
      households: households.slice(0, 6),
      contacts: [contact("pmh-1", "party-member-household"), contact("post-1", "pioneer-post")],
      links: [
        ...range(0, n).map((i) => link("pmh-1", i)),
        ...range(0, 6)
          .map((i) => link("post-1", i))
          .slice(0, 1)
      ],
      keyHouseholds: keyOf(6),
      plannedHouseholds: keyOf(6)
    }
    const found = ContactDuty.check(ContactDuty.defaultRules, input).filter((v) => v.contactId === "pmh-1")
    if (n >= 1 && n <= 5) expect(found).toEqual([])
    else {
      expect(found.map((v) => [v.rule, v.count])).toEqual([
        [n === 0 ? "key-load-below" : "key-load-above", n]
      ])
      expect(found[0]?.message).toMatch(n === 0 ? /应为 1–5 户/ : /超过 1–5 户/)
    }
  })

  it("every rule at once: each violation reported", () => {
    const input: ContactDuty.Input = {
      households: [...households.slice(0, 10), household(99, null)],
      contacts: [
        contact("pmh-1", "party-member-household"),
        contact("pmh-1", "party-member-household"),
        contact("post-1", "pioneer-post"),
        contact("cadre-1", "cadre", "households")
      ],
      links: [
        link("pmh-1", 0),
        link("pmh-1", 0),
        link("pmh-1", 9),
        link("ghost", 1),
        link("cadre-1", 77),
        ...range(1, 7).map((i) => link("post-1", i))
      ],
      keyHouseholds: keyOf(8),
      plannedHouseholds: keyOf(7)
    }
    const found = ContactDuty.check({ ...ContactDuty.defaultRules, load: { min: 1, max: 40 } }, input)
    expect(found.map((v) => [v.rule, v.contactId ?? null, v.householdId ?? null])).toEqual([
      ["duplicate-contact", "pmh-1", null],
      ["duplicate-link", "pmh-1", "h-0"],
      ["unknown-contact", "ghost", "h-1"],
      ["unknown-household", "cadre-1", "h-77"],
      ["key-load-above", "post-1", null],
      ["not-key-household", "pmh-1", "h-9"],
      ["key-household-without-contact", null, "h-7"],
      ["key-household-without-plan", null, "h-7"],
      ["household-without-contact", null, "h-7"],
      ["household-without-contact", null, "h-8"],
      ["load-below", "cadre-1", null]
    ])
    const result = ContactDuty.validate(ContactDuty.defaultRules, input)
    expect(Either.isLeft(result) && result.left.message).toContain("处不合规")
  })

  it("links outside their since/until are not in force at the date", () => {
    const input: ContactDuty.Input = {
      households: households.slice(0, 1),
      contacts: [contact("gw-1", "grid-worker", "households")],
      links: [{ ...link("gw-1", 0), until: LocalDate.make("2024-01-31") }],
      date: LocalDate.make("2024-02-01")
    }
    expect(ContactDuty.check(ContactDuty.defaultRules, input).map((v) => v.rule)).toEqual([
      "household-without-contact"
    ])
  })
})

describe("ContactDuty — properties", () => {
  const world = fc.record({
    n: fc.integer({ min: 0, max: 30 }),
    contacts: fc.array(
      fc.record({
        id: fc.integer({ min: 0, max: 8 }),
        kind: Arbitrary.make(ContactDuty.ContactKind),
        duty: Arbitrary.make(ContactDuty.Duty)
      }),
      { maxLength: 10 }
    ),
    links: fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 35 })), {
      maxLength: 60
    }),
    key: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 10 }),
    planned: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 10 })
  })
  const inputOf = (w: typeof world extends fc.Arbitrary<infer A> ? A : never): ContactDuty.Input => ({
    households: range(0, w.n).map((i) => household(i, i % 3 === 0 ? null : G)),
    contacts: w.contacts.map((c) => contact(`c-${c.id}`, c.kind, c.duty)),
    links: w.links.map(([c, h]) => link(`c-${c}`, h)),
    keyHouseholds: w.key.map((i) => Household.HouseholdId.make(`h-${i}`)),
    plannedHouseholds: w.planned.map((i) => Household.HouseholdId.make(`h-${i}`))
  })

  it.prop("every uncovered household of a grid is reported, and only those", [world], ([w]) => {
    const input = inputOf(w)
    const covered = new Set(
      input.links
        .filter((l) => input.contacts.some((c) => c.id === l.contactId))
        .map((l) => l.householdId as string)
    )
    const expected = input.households
      .filter((h) => h.gridId !== undefined && !covered.has(h.id))
      .map((h) => h.id)
    const found = ContactDuty.check(ContactDuty.defaultRules, input)
      .filter((v) => v.rule === "household-without-contact")
      .map((v) => v.householdId)
    expect(found).toEqual([...expected].sort())
  })

  it.prop("the key-load rule refuses exactly the counts outside 1–5", [world], ([w]) => {
    const input = inputOf(w)
    const l = ContactDuty.links(input)
    const firstOf = new Map(input.contacts.map((c) => [c.id, c] as const).reverse())
    const expected = [...firstOf.values()]
      .filter((c) => c.duty === "key-households")
      .filter((c) => {
        const n = l.byContact.get(c.id)?.size ?? 0
        return n < 1 || n > 5
      })
      .map((c) => c.id as string)
      .sort()
    const found = ContactDuty.check(ContactDuty.defaultRules, input)
      .filter((v) => v.rule === "key-load-below" || v.rule === "key-load-above")
      .map((v) => v.contactId as string)
    expect(found).toEqual(expected)
  })

  it.prop("the result does not depend on the input order", [world, fc.integer()], ([w, seed]) => {
    const input = inputOf(w)
    const shuffle = <A>(xs: ReadonlyArray<A>): Array<A> => {
      const out = [...xs]
      let s = seed
      for (let i = out.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) & 0x7fffffff
        const j = s % (i + 1)
        const t = out[i] as A
        out[i] = out[j] as A
        out[j] = t
      }
      return out
    }
    const shuffled = { ...input, households: shuffle(input.households), links: shuffle(input.links) }
    const key = (v: ContactDuty.ContactViolation) => `${v.rule}|${v.contactId}|${v.householdId}|${v.count}`
    expect(ContactDuty.check(ContactDuty.defaultRules, shuffled).map(key)).toEqual(
      ContactDuty.check(ContactDuty.defaultRules, input).map(key)
    )
  })
})
