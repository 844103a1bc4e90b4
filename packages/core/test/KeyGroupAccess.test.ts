/**
 * 重点人群访问控制 (PIPL) — only roles granted a category read its members,
 * within their jurisdiction and for a stated purpose; everyone else gets
 * counts (or nothing, out of scope); identity is masked without the right;
 * every read yields its access-log entry. Property tests with generated
 * principals, policies, requests and registries: no out-of-scope or
 * un-granted read ever returns a person.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { type Actor, ActorId, Role } from "../src/Actor.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Household from "../src/Household.js"
import * as KeyGroup from "../src/KeyGroup.js"
import * as Access from "../src/KeyGroupAccess.js"
import * as LevelScheme from "../src/LevelScheme.js"
import * as Resident from "../src/Resident.js"
import * as Unit from "../src/Unit.js"
import { LocalDate } from "../src/WorkingCalendar.js"

// 区 d → 街道 s1, s2 → 社区 c11, c12, c21, c22 → 楼栋 b111 … b222
const rows: Array<Unit.Unit> = [Unit.make({ id: "d", parentId: null, level: "district", name: "区" })]
for (const s of [1, 2]) {
  rows.push(Unit.make({ id: `s${s}`, parentId: "d", level: "street", name: `街道${s}` }))
  for (const c of [1, 2]) {
    rows.push(Unit.make({ id: `c${s}${c}`, parentId: `s${s}`, level: "community", name: `社区${s}${c}` }))
    for (const b of [1, 2])
      rows.push(Unit.make({ id: `b${s}${c}${b}`, parentId: `c${s}${c}`, level: "building", name: `楼${b}` }))
  }
}
const hierarchy = Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows))
const unitIds = rows.map((r) => r.id)
const buildings = unitIds.filter((id) => id.startsWith("b"))
const categoryIds = KeyGroup.defaultCategories.map((c) => c.id)
const DATE = LocalDate.make("2024-09-10")
const AT = DateTime.unsafeMake(Date.UTC(2024, 8, 10, 2))
const LOG = Access.AccessLogId.make("log-1")

const actor = (id: string, role: Role, unitId: string): Actor => ({
  id: ActorId.make(id),
  role,
  unitId: Unit.UnitId.make(unitId)
})

const hh = (id: string, building: string): Household.Household => ({
  id: Household.HouseholdId.make(id),
  communityId: Unit.UnitId.make(`c${building.slice(1, 3)}`),
  place: { _tag: "AtBuilding", buildingId: Unit.UnitId.make(building), door: id },
  label: `${building} ${id}`,
  size: 1,
  tags: []
})
const resident = (id: string, householdId: string): Resident.Resident => ({
  id: Resident.ResidentId.make(id),
  householdId: Household.HouseholdId.make(householdId),
  name: "林永洪",
  idNumber: "11010519491231002X",
  phone: "13812345678"
})
const enrol = (
  id: string,
  householdId: string,
  category: string,
  residentId?: string
): KeyGroup.Enrolment => ({
  id: KeyGroup.EnrolmentId.make(id),
  categoryId: KeyGroup.CategoryId.make(category),
  householdId: Household.HouseholdId.make(householdId),
  ...(residentId === undefined ? {} : { residentId: Resident.ResidentId.make(residentId) }),
  since: LocalDate.make("2024-01-01"),
  reason: "登记",
  enrolledBy: ActorId.make("cs-1")
})

const registry: Access.Registry = {
  households: [hh("h1", "b111"), hh("h2", "b112"), hh("h3", "b211")],
  residents: [resident("r1", "h1"), resident("r2", "h2"), resident("r3", "h3")],
  enrolments: [
    enrol("e1", "h1", "mental-disorder", "r1"),
    enrol("e2", "h2", "mental-disorder", "r2"),
    enrol("e3", "h3", "mental-disorder", "r3"),
    enrol("e4", "h1", "elderly-alone")
  ]
}
const request = (
  unitId: string,
  categoryId = "mental-disorder",
  purpose: string | null = "九月份入户走访"
): Access.ReadRequest => ({
  categoryId: KeyGroup.CategoryId.make(categoryId),
  unitId: Unit.UnitId.make(unitId),
  ...(purpose === null ? {} : { purpose })
})
const readAs = (who: Actor, req: Access.ReadRequest, policy = Access.defaultPolicy) =>
  Access.read(policy, KeyGroup.defaultCatalogue, hierarchy, who, req, registry, {
    date: DATE,
    at: AT,
    logId: LOG
  })

describe("KeyGroupAccess — examples", () => {
  it("community staff read their community's members in full, logged", () => {
    const { result, log } = readAs(actor("cs-1", "community-staff", "c11"), request("c11"))
    expect(
      Either.isRight(result) &&
        result.right._tag === "Members" &&
        result.right.members.map((m) => [m.household.id, m.resident?.idNumber])
    ).toEqual([
      ["h1", "11010519491231002X"],
      ["h2", "11010519491231002X"]
    ])
    expect(log).toMatchObject({
      action: "read-members",
      identity: true,
      householdIds: ["h1", "h2"],
      residentIds: ["r1", "r2"],
      purpose: "九月份入户走访"
    })
    expect(
      Either.isRight(
        Schema.decodeUnknownEither(Access.AccessLogEntry)(Schema.encodeSync(Access.AccessLogEntry)(log))
      )
    ).toBe(true)
  })

  it("grid workers read members with masked identity", () => {
    const { result } = readAs(actor("gw-1", "grid-worker", "c11"), request("b111"))
    expect(
      Either.isRight(result) && result.right._tag === "Members" && result.right.members[0]?.resident
    ).toMatchObject({
      name: "林**",
      idNumber: "1101**********002X",
      phone: "138****5678",
      masked: true
    })
  })

  it("a reader granted identity may ask for masked data: masked members, and the log says masked", () => {
    const staff = actor("cs-1", "community-staff", "c11")
    const { log, result } = readAs(staff, { ...request("c11"), identity: false })
    expect(Either.isRight(result) && result.right._tag === "Members" && result.right.identity).toBe(false)
    expect(
      Either.isRight(result) && result.right._tag === "Members" && result.right.members.map((m) => m.resident)
    ).toMatchObject([
      { name: "林**", masked: true },
      { phone: "138****5678", masked: true }
    ])
    expect(log).toMatchObject({ action: "read-members", identity: false, residentIds: ["r1", "r2"] })
    // asking for identity never exceeds the grant
    const worker = readAs(actor("gw-1", "grid-worker", "c11"), { ...request("c11"), identity: true })
    expect(worker.log.identity).toBe(false)
    expect(readAs(staff, { ...request("c11"), identity: true }).log.identity).toBe(true)
  })

  it("a read in full carries the whole enrolment; a masked read all of it but the reason", () => {
    const own: Access.Registry = {
      ...registry,
      enrolments: [
        {
          ...enrol("e1", "h1", "mental-disorder", "r1"),
          reason: "精神分裂症，定期服药",
          until: LocalDate.make("2025-01-01")
        },
        { ...enrol("e2", "h2", "mental-disorder"), visitEvery: { amount: 14, unit: "natural-days" } }
      ]
    }
    const readOwn = (who: Actor) =>
      Access.read(Access.defaultPolicy, KeyGroup.defaultCatalogue, hierarchy, who, request("c11"), own, {
        date: DATE,
        at: AT,
        logId: LOG
      }).result
    const full = readOwn(actor("cs-1", "community-staff", "c11"))
    expect(
      Either.isRight(full) && full.right._tag === "Members" && full.right.members.map((m) => m.enrolment)
    ).toEqual([
      {
        id: "e1",
        categoryId: "mental-disorder",
        since: "2024-01-01",
        until: "2025-01-01",
        reason: "精神分裂症，定期服药",
        enrolledBy: "cs-1"
      },
      {
        id: "e2",
        categoryId: "mental-disorder",
        since: "2024-01-01",
        reason: "登记",
        enrolledBy: "cs-1",
        visitEvery: { amount: 14, unit: "natural-days" }
      }
    ])
    const masked = readOwn(actor("gw-1", "grid-worker", "c11"))
    expect(
      Either.isRight(masked) &&
        masked.right._tag === "Members" &&
        masked.right.members.map((m) => m.enrolment)
    ).toEqual([
      {
        id: "e1",
        categoryId: "mental-disorder",
        since: "2024-01-01",
        until: "2025-01-01",
        enrolledBy: "cs-1"
      },
      {
        id: "e2",
        categoryId: "mental-disorder",
        since: "2024-01-01",
        enrolledBy: "cs-1",
        visitEvery: { amount: 14, unit: "natural-days" }
      }
    ])
  })

  it("street staff get counts only; out of scope is denied; no purpose is denied", () => {
    const street = readAs(actor("ss-1", "street-staff", "s1"), request("s1"))
    // two households in the street: fewer than the threshold of 3, suppressed — no number
    expect(street.result).toEqual(Either.right({ _tag: "Counts", suppressed: true, lessThan: 3 }))
    const unsuppressed = readAs(actor("ss-1", "street-staff", "s1"), request("s1"), {
      ...Access.defaultPolicy,
      countThreshold: 1
    })
    expect(unsuppressed.result).toEqual(
      Either.right({ _tag: "Counts", suppressed: false, households: 2, residents: 2 })
    )
    expect(readAs(actor("ds-1", "district-staff", "d"), request("d")).result).toEqual(
      Either.right({ _tag: "Counts", suppressed: false, households: 3, residents: 3 })
    )
    // none is not suppressed: it names no one
    expect(readAs(actor("ss-2", "street-staff", "s2"), request("s2", "elderly-alone")).result).toEqual(
      Either.right({ _tag: "Counts", suppressed: false, households: 0, residents: 0 })
    )
    expect(street.log).toMatchObject({
      action: "read-counts",
      householdIds: [],
      residentIds: [],
      rule: "not-granted"
    })
    const out = readAs(actor("cs-2", "community-staff", "c21"), request("c11"))
    expect(Either.isLeft(out.result) && [out.result.left.rule, out.result.left.field]).toEqual([
      "out-of-scope",
      "unitId"
    ])
    expect(out.log).toMatchObject({ action: "refused", rule: "out-of-scope" })
    const none = readAs(actor("cs-1", "community-staff", "c11"), request("c11", "mental-disorder", null))
    expect(Either.isLeft(none.result) && none.result.left.message).toContain("处理目的")
  })

  it("a grant can name categories: civil affairs reads 低保 but not 精神障碍", () => {
    const policy: Access.AccessPolicy = {
      ...Access.defaultPolicy,
      grants: [{ role: "department", categories: [KeyGroup.CategoryId.make("low-income")], identity: false }]
    }
    const dept = actor("mz-1", "department", "d")
    expect(
      Access.decide(policy, KeyGroup.defaultCatalogue, hierarchy, dept, request("d", "low-income"))._tag
    ).toBe("Members")
    expect(Access.decide(policy, KeyGroup.defaultCatalogue, hierarchy, dept, request("d"))._tag).toBe(
      "CountsOnly"
    )
  })
})

describe("KeyGroupAccess — properties", () => {
  const unitArb = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...unitIds) },
    { weight: 1, arbitrary: fc.constant("nowhere") }
  )
  const principal = fc
    .tuple(Arbitrary.make(Role), unitArb, fc.nat({ max: 99 }))
    .map(([role, unitId, n]) => actor(`p-${n}`, role, unitId))
  const categoryArb = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...categoryIds) },
    { weight: 1, arbitrary: fc.constant(KeyGroup.CategoryId.make("unknown")) }
  )
  const grant = fc
    .record({
      role: Arbitrary.make(Role),
      categories: fc.array(categoryArb, { maxLength: 3 }),
      upTo: fc.option(Arbitrary.make(KeyGroup.Sensitivity), { nil: undefined }),
      identity: fc.boolean()
    })
    .map(({ upTo, ...g }): Access.Grant => (upTo === undefined ? g : { ...g, upTo }))
  const req = fc
    .tuple(
      categoryArb,
      unitArb,
      fc.option(fc.constantFrom("走访", " ", "排查"), { nil: null }),
      fc.option(fc.boolean(), { nil: undefined })
    )
    .map(([c, u, p, identity]) => ({ ...request(u, c, p), ...(identity === undefined ? {} : { identity }) }))
  const registryArb = fc
    .array(
      fc.tuple(
        fc.constantFrom(...buildings),
        fc.constantFrom(...categoryIds),
        fc.boolean(),
        Arbitrary.make(Resident.Resident)
      ),
      { maxLength: 12 }
    )
    .map(
      (xs): Access.Registry => ({
        households: xs.map(([b], i) => hh(`h${i}`, b)),
        residents: xs.map(([, , , r], i) => ({
          ...r,
          id: Resident.ResidentId.make(`r${i}`),
          householdId: Household.HouseholdId.make(`h${i}`)
        })),
        enrolments: xs.map(([, c, withResident], i) =>
          enrol(`e${i}`, `h${i}`, c, withResident ? `r${i}` : undefined)
        )
      })
    )

  const ancestorsOf = (building: string): Array<string> => [
    building,
    `c${building.slice(1, 3)}`,
    `s${building.slice(1, 2)}`,
    "d"
  ]
  // a registry, then mostly a request that hits it, a principal above it and grants for the principal's role
  const scenario = registryArb.chain((reg) => {
    const enrolled = reg.enrolments.map((e, i) => ({
      category: e.categoryId,
      building: reg.households[i]?.place._tag === "AtBuilding" ? reg.households[i].place.buildingId : "b111"
    }))
    const hit =
      enrolled.length === 0
        ? req
        : fc
            .tuple(fc.constantFrom(...enrolled), fc.nat({ max: 3 }), fc.constantFrom("走访", " ", "排查"))
            .map(([e, up, purpose]) => request(ancestorsOf(e.building)[up] ?? "d", e.category, purpose))
    return fc
      .tuple(fc.constant(reg), fc.oneof({ weight: 1, arbitrary: req }, { weight: 4, arbitrary: hit }))
      .chain(([reg2, rq]) => {
        const uppers = unitIds.filter((u) => Hierarchy.isWithin(hierarchy, rq.unitId, u))
        const above = fc
          .tuple(
            Arbitrary.make(Role),
            fc.constantFrom(...(uppers.length === 0 ? unitIds : uppers)),
            fc.nat({ max: 99 })
          )
          .map(([role, unitId, n]) => actor(`p-${n}`, role, unitId))
        const who = fc.oneof(principal, above, above)
        return who.chain((w) => {
          const own = grant.map((g) => ({ ...g, role: w.role }))
          const pol = fc.record({
            grants: fc.array(fc.oneof(grant, own, own), { maxLength: 4 }),
            purposeRequired: fc.boolean()
          })
          return fc.tuple(pol, fc.constant(w), fc.constant(rq), fc.constant(reg2))
        })
      })
  })

  it.prop(
    "no out-of-scope or un-granted read ever returns a person; identity only with the right",
    [scenario],
    ([[pol, who, rq, reg]]) => {
      const { result, log } = Access.read(pol, KeyGroup.defaultCatalogue, hierarchy, who, rq, reg, {
        date: DATE,
        at: AT,
        logId: LOG
      })
      const category = KeyGroup.defaultCatalogue.byId.get(rq.categoryId)
      const inScope = Hierarchy.isWithin(hierarchy, rq.unitId, who.unitId)
      const grants = category === undefined ? [] : Access.grantsFor(pol, who.role, category)
      expect(log.actor).toEqual(who)
      if (Either.isLeft(result) || result.right._tag === "Counts") {
        expect(log.householdIds).toEqual([])
        expect(log.residentIds).toEqual([])
        return
      }
      // members were returned: every condition held
      expect(category).toBeDefined()
      expect(inScope).toBe(true)
      expect(grants.length).toBeGreaterThan(0)
      if (pol.purposeRequired) expect((rq.purpose ?? "").trim().length).toBeGreaterThan(0)
      expect(result.right.identity).toBe(rq.identity !== false && grants.some((g) => g.identity))
      expect(log.identity).toBe(result.right.identity)
      const original = new Map(reg.residents.map((r) => [r.id, r]))
      for (const m of result.right.members) {
        expect(Hierarchy.isWithin(hierarchy, m.household.unitId, rq.unitId)).toBe(true)
        expect(Hierarchy.isWithin(hierarchy, m.household.unitId, who.unitId)).toBe(true)
        expect(m.enrolment.categoryId).toBe(rq.categoryId)
        // the reason may name what masking hides: only in reads with identity
        expect(m.enrolment.reason !== undefined).toBe(result.right.identity)
        const r = m.resident === undefined ? undefined : original.get(m.resident.id)
        if (m.resident !== undefined && r !== undefined && !result.right.identity) {
          if (r.idNumber !== undefined) expect(m.resident.idNumber).not.toBe(r.idNumber)
          if (r.phone !== undefined) expect(m.resident.phone).not.toBe(r.phone)
          // a name keeps its first character only (a name that already reads 王* masks to itself)
          if (r.name !== undefined) {
            const shown = Array.from(m.resident.name ?? "")
            expect(shown[0]).toBe(Array.from(r.name)[0])
            expect(shown.slice(1).every((c) => c === "*")).toBe(true)
          }
        }
      }
      expect(log.householdIds).toEqual([...new Set(result.right.members.map((m) => m.household.id))])
    }
  )

  it("the generated reads are not vacuous: members, masked members, counts and refusals all occur", () => {
    const seen = new Set<string>()
    let withMembers = 0
    const inputs = fc.sample(scenario, { numRuns: 1000, seed: 19 })
    for (const [pol, who, rq, reg] of inputs) {
      const ctx = { date: DATE, at: AT, logId: LOG }
      const { result } = Access.read(pol, KeyGroup.defaultCatalogue, hierarchy, who, rq, reg, ctx)
      if (Either.isLeft(result)) seen.add(result.left.rule)
      else if (result.right._tag === "Counts") seen.add("counts")
      else {
        if (result.right.members.length > 0) withMembers++
        if (result.right.members.some((m) => m.resident !== undefined))
          seen.add(result.right.identity ? "identity" : "masked")
      }
    }
    expect(withMembers).toBeGreaterThan(100)
    expect([...seen].sort()).toEqual([
      "counts",
      "identity",
      "masked",
      "out-of-scope",
      "purpose-required",
      "unknown-category",
      "unknown-unit"
    ])
  })

  it.prop(
    "counts equal what a granted reader in the same unit would see",
    [principal, req, registryArb],
    ([who, rq, reg]) => {
      const ctx = { date: DATE, at: AT, logId: LOG }
      const counts = Access.read(
        { grants: [], purposeRequired: false, countThreshold: 1 },
        KeyGroup.defaultCatalogue,
        hierarchy,
        who,
        rq,
        reg,
        ctx
      )
      const full = Access.read(
        {
          grants: [{ role: who.role, categories: [], upTo: "highly-sensitive", identity: false }],
          purposeRequired: false
        },
        KeyGroup.defaultCatalogue,
        hierarchy,
        who,
        rq,
        reg,
        ctx
      )
      if (
        Either.isRight(counts.result) &&
        counts.result.right._tag === "Counts" &&
        !counts.result.right.suppressed &&
        Either.isRight(full.result) &&
        full.result.right._tag === "Members"
      )
        expect(counts.result.right.households).toBe(
          new Set(full.result.right.members.map((m) => m.household.id)).size
        )
      else expect(Either.isLeft(counts.result)).toBe(true)
    }
  )
})

describe("KeyGroupAccess — small-count suppression", () => {
  it.prop(
    "countsAnswer: suppressed exactly when a count is 1 … threshold − 1, and then without any number",
    [fc.integer({ min: 1, max: 100 }), fc.nat(200), fc.nat(200), fc.boolean()],
    ([threshold, households, residents, absent]) => {
      const policy: Access.AccessPolicy = absent
        ? { grants: [], purposeRequired: true }
        : { grants: [], purposeRequired: true, countThreshold: threshold }
      const t = absent ? Access.defaultCountThreshold : threshold
      const answer = Access.countsAnswer(policy, { households, residents })
      const small = (n: number) => n >= 1 && n < t
      expect(answer.suppressed).toBe(small(households) || small(residents))
      if (answer.suppressed) expect(answer).toStrictEqual({ _tag: "Counts", suppressed: true, lessThan: t })
      else expect(answer).toStrictEqual({ _tag: "Counts", suppressed: false, households, residents })
    }
  )

  it.prop(
    "no counts-only read ever answers a number of households or residents below the policy's threshold but one",
    [fc.integer({ min: 1, max: 6 }), fc.constantFrom(...unitIds), fc.constantFrom(...categoryIds)],
    ([threshold, unitId, categoryId]) => {
      const { log, result } = readAs(actor("ds-1", "district-staff", "d"), request(unitId, categoryId), {
        ...Access.defaultPolicy,
        countThreshold: threshold
      })
      expect(log.action).toBe("read-counts")
      if (Either.isLeft(result) || result.right._tag !== "Counts") throw new Error("counts expected")
      if (!result.right.suppressed)
        for (const n of [result.right.households, result.right.residents])
          expect(n === 0 || n >= threshold).toBe(true)
      else expect(Object.keys(result.right).sort()).toEqual(["_tag", "lessThan", "suppressed"])
    }
  )
})
