/**
 * 户、居民、重点人群 — households (unit or building + door, size, tags), residents
 * with masked sensitive fields, key-group categories as configuration and
 * enrolments with since/until and reason (seed 002: 高龄独居老人、精神障碍患者、残疾人
 * 登记造册并定时跟进).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { ActorId } from "../src/Actor.js"
import * as Household from "../src/Household.js"
import { Day } from "../src/internal/localDay.js"
import * as KeyGroup from "../src/KeyGroup.js"
import * as Resident from "../src/Resident.js"
import { UnitId } from "../src/Unit.js"
import { LocalDate } from "../src/WorkingCalendar.js"

const C = UnitId.make("c-tali")
const B = UnitId.make("b-tali-3")
const date = (s: string): LocalDate => LocalDate.make(s)

const household = (id: string, door: string, tags: Array<string> = []): Household.Household => ({
  id: Household.HouseholdId.make(id),
  communityId: C,
  place: { _tag: "AtBuilding", buildingId: B, door },
  label: `塔利公租房3号楼${door}`,
  size: 2,
  tags
})

const enrol = (
  id: string,
  householdId: string,
  categoryId: string,
  since: string,
  until?: string,
  reason = "网格员入户走访登记"
): KeyGroup.Enrolment => ({
  id: KeyGroup.EnrolmentId.make(id),
  categoryId: KeyGroup.CategoryId.make(categoryId),
  householdId: Household.HouseholdId.make(householdId),
  since: date(since),
  ...(until === undefined ? {} : { until: date(until) }),
  reason,
  enrolledBy: ActorId.make("gw-1")
})

describe("Household", () => {
  it("a household lies at its unit or its building", () => {
    const h = household("h1", "2单元201", ["公租房", "流动"])
    expect(Household.unitOf(h)).toBe(B)
    expect(Household.unitOf({ ...h, place: { _tag: "AtUnit", unitId: UnitId.make("u-201") } })).toBe("u-201")
    expect(Household.hasTag(h, "公租房")).toBe(true)
    expect(Household.knownTags.低保).toBe("minimum living allowance")
  })

  it("check reports every problem: repeated id, two households at one door, a repeated tag", () => {
    const found = Household.check([
      household("h1", "2单元201"),
      household("h1", "2单元202"),
      household("h2", "2单元201", ["低保", "低保"])
    ])
    expect(found.map((v) => [v.householdId, v.field, v.rule])).toEqual([
      ["h1", "id", "duplicate-id"],
      ["h2", "place", "duplicate-place"],
      ["h2", "tags", "duplicate-tag"]
    ])
    expect(found[1]?.message).toContain("住址相同")
    expect(Either.isLeft(Household.validate([household("h1", "1"), household("h1", "2")]))).toBe(true)
    expect(Household.validate([household("h1", "1")])).toEqual(Either.right([household("h1", "1")]))
  })

  it("the schema refuses a negative size and a blank label", () => {
    const decode = Schema.decodeUnknownEither(Household.Household)
    const h = Schema.encodeSync(Household.Household)(household("h1", "1"))
    expect(Either.isRight(decode(h))).toBe(true)
    expect(Either.isLeft(decode({ ...h, size: -1 }))).toBe(true)
    expect(Either.isLeft(decode({ ...h, label: " " }))).toBe(true)
  })
})

describe("Resident", () => {
  const li: Resident.Resident = {
    id: Resident.ResidentId.make("r1"),
    householdId: Household.HouseholdId.make("h1"),
    name: "林永洪",
    idNumber: "11010519491231002X",
    phone: "13812345678",
    birthYear: 1949
  }

  it("ID numbers are checked with the GB 11643 check character", () => {
    expect(Resident.isIdNumber("11010519491231002X")).toBe(true)
    expect(Resident.isIdNumber("110105194912310021")).toBe(false)
    expect(Resident.isIdNumber("110105491231002")).toBe(true)
    expect(Either.isLeft(Schema.decodeUnknownEither(Resident.IdNumber)("123"))).toBe(true)
  })

  it("masking keeps the surname, 4 + 4 of an ID number, 3 + 4 of a mobile", () => {
    const masked = Resident.mask(li)
    expect(masked).toEqual({
      id: li.id,
      householdId: li.householdId,
      name: "林**",
      idNumber: "1101**********002X",
      phone: "138****5678",
      birthYear: 1949,
      masked: true
    })
    expect(Resident.view(li, true).idNumber).toBe(li.idNumber)
    expect(Resident.maskPhone("+86 138 1234 5678")).toBe("+86 138 **** 5678")
    expect(Resident.maskPhone("0871-65123456")).toBe("****-****3456")
  })

  it.prop(
    "a masked resident never shows a whole ID number or phone, and hides at least 4 digits of each",
    [Arbitrary.make(Resident.Resident)],
    ([r]) => {
      const m = Resident.mask(r)
      const digits = (s: string | undefined) => (s ?? "").replace(/[^0-9X]/g, "").length
      if (r.idNumber !== undefined) {
        expect(m.idNumber).not.toBe(r.idNumber)
        expect(digits(r.idNumber) - digits(m.idNumber)).toBeGreaterThanOrEqual(4)
      }
      if (r.phone !== undefined) {
        expect(m.phone).not.toBe(r.phone)
        expect(digits(r.phone) - digits(m.phone)).toBeGreaterThanOrEqual(4)
      }
      if (r.name !== undefined) {
        // Only the first character survives; a name of one character still
        // gets a "*" so its length is not revealed as 1.
        const chars = Array.from(m.name ?? "")
        expect(chars[0]).toBe(Array.from(r.name.trim())[0])
        expect(chars.length).toBeGreaterThanOrEqual(2)
        expect(chars.slice(1).every((c) => c === "*")).toBe(true)
      }
    }
  )
})

describe("KeyGroup", () => {
  it("the default categories carry a sensitivity and a visit interval", () => {
    const byName = new Map(KeyGroup.defaultCategories.map((c) => [c.name, c]))
    expect([...byName.keys()]).toEqual([
      "高龄独居",
      "空巢",
      "精神障碍",
      "残疾",
      "低保/困难",
      "困境儿童",
      "社区矫正"
    ])
    expect(byName.get("精神障碍")?.sensitivity).toBe("highly-sensitive")
    expect(byName.get("高龄独居")?.visitEvery).toEqual({ amount: 7, unit: "natural-days" })
    for (const c of KeyGroup.defaultCategories) {
      expect(Either.isRight(Schema.decodeUnknownEither(KeyGroup.Category)(c))).toBe(true)
    }
  })

  it("a catalogue refuses repeated ids", () => {
    const [a] = KeyGroup.defaultCategories
    if (a === undefined) throw new Error("no category")
    const result = KeyGroup.makeCatalogue([a, a])
    expect(Either.isLeft(result) && result.left.categoryIds).toEqual([a.id])
    expect(Either.isLeft(result) && result.left.message).toContain("重复")
  })

  it("an enrolment is active from since to until, both included", () => {
    const e = enrol("e1", "h1", "elderly-alone", "2024-03-01", "2024-06-30")
    expect(KeyGroup.isActive(e, date("2024-02-29"))).toBe(false)
    expect(KeyGroup.isActive(e, date("2024-03-01"))).toBe(true)
    expect(KeyGroup.isActive(e, date("2024-06-30"))).toBe(true)
    expect(KeyGroup.isActive(e, date("2024-07-01"))).toBe(false)
    expect([...KeyGroup.keyHouseholds([e], date("2024-04-01"))]).toEqual(["h1"])
  })

  it("a household's interval is the shortest of its enrolments in force", () => {
    const es = [
      enrol("e1", "h1", "low-income", "2024-01-01"),
      enrol("e2", "h1", "elderly-alone", "2024-03-01", "2024-06-30")
    ]
    const h1 = Household.HouseholdId.make("h1")
    expect(KeyGroup.intervalFor(KeyGroup.defaultCatalogue, es, h1, date("2024-02-01"))).toEqual(
      Option.some({ amount: 1, unit: "months" })
    )
    expect(KeyGroup.intervalFor(KeyGroup.defaultCatalogue, es, h1, date("2024-04-01"))).toEqual(
      Option.some({ amount: 7, unit: "natural-days" })
    )
    expect(Option.isNone(KeyGroup.intervalFor(KeyGroup.defaultCatalogue, es, h1, date("2023-12-31")))).toBe(
      true
    )
  })

  it("checkEnrolments reports every problem", () => {
    const found = KeyGroup.checkEnrolments(
      KeyGroup.defaultCatalogue,
      [
        enrol("e1", "h1", "elderly-alone", "2024-03-01"),
        enrol("e1", "h1", "elderly-alone", "2024-03-01"),
        enrol("e2", "h1", "elderly-alone", "2024-05-01", "2024-04-01"),
        enrol("e3", "h9", "astrology", "2024-01-01", undefined, "  "),
        enrol("e4", "h1", "elderly-alone", "2025-01-01")
      ],
      [Household.HouseholdId.make("h1")]
    )
    expect(found.map((v) => [v.enrolmentId, v.rule, v.field])).toEqual([
      ["e1", "duplicate-id", "id"],
      ["e2", "until-before-since", "until"],
      ["e3", "unknown-category", "categoryId"],
      ["e3", "unknown-household", "householdId"],
      ["e3", "reason-required", "reason"],
      ["e4", "overlap", "since"]
    ])
    expect(found[5]?.other).toBe("e1")
    expect(
      found.every((v) => /[\u4e00-\u9fa5]/.test(v.message) && v.message.includes(`rule ${v.rule}`))
    ).toBe(true)
  })

  it.prop(
    "every generated enrolment is checked without throwing; active ⇔ since ≤ date ≤ until",
    [Arbitrary.make(KeyGroup.Enrolment), Arbitrary.make(Day)],
    ([e, d]) => {
      KeyGroup.checkEnrolments(KeyGroup.defaultCatalogue, [e])
      expect(KeyGroup.isActive(e, d)).toBe(e.since <= d && (e.until === undefined || d <= e.until))
    }
  )

  it("fast-check sanity: generated categories decode", () => {
    fc.assert(
      fc.property(Arbitrary.make(KeyGroup.Category), (c) =>
        Either.isRight(Schema.decodeUnknownEither(KeyGroup.Category)(Schema.encodeSync(KeyGroup.Category)(c)))
      ),
      { numRuns: 50 }
    )
  })
})
