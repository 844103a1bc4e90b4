/**
 * 重点人群访问控制 in the SQL store (PIPL) — property tests on SQLite with
 * generated principals (any role, any unit), requests (any category or an
 * unknown one, any unit or an unknown one, with or without a purpose) and
 * access policies (random grants): no read by a role without a grant of the
 * category, or of a unit outside the principal's jurisdiction, ever returns a
 * person; members are within the requested unit; identity is masked without
 * the right (no plaintext anywhere in the result); every read appends exactly
 * one access-log entry naming the principal and what it returned; and the SQL
 * store answers exactly as the in-memory one.
 */
import { Role } from "@civicgrid/core/Actor"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as Household from "@civicgrid/core/Household"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import type * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import { PeopleRepository } from "@civicgrid/core/PeopleRepository"
import { addEqualityTesters, describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as SqlPeopleRepository from "../src/SqlPeopleRepository.js"
import { sqlite } from "./support/Databases.js"
import { build, district } from "./support/Hierarchies.js"
import * as P from "./support/People.js"
import { keyring, memory, sqlPeopleTarget } from "./support/PeopleStores.js"

addEqualityTesters()

const place = district()
const h = build(place)
const unitIds = Hierarchy.units(h).map((u) => u.id)
const buildings = unitIds.filter((id) => /b\d$/.test(id))
const categories = KeyGroup.defaultCategories
const ring = keyring("k1")

// one household per building, each with a resident enrolled in a category (some without a resident)
const households = buildings.map((b, i) => P.household(`hh${i}`, b, `${i + 1}01`))
const residents = households.filter((_, i) => i % 3 !== 2).map((hh, i) => P.resident(`rr${hh.id}`, hh.id, i))
const enrolments = households.map((hh, i) =>
  P.enrol(`en${i}`, hh.id, categories[i % categories.length]?.id ?? "elderly-alone", {
    ...(i % 3 !== 2 ? { residentId: `rr${hh.id}` } : {}),
    ...(i === 5 ? { until: "2024-01-31" } : {})
  })
)
const plaintexts = residents.flatMap((r) => [r.name ?? "", r.idNumber ?? "", r.phone ?? ""])

const seed = Effect.gen(function* () {
  yield* (yield* HierarchyRepository).save(place.scheme, place.rows)
  const repo = yield* PeopleRepository
  yield* repo.putHouseholds(households)
  yield* repo.putResidents(residents)
  yield* repo.putEnrolments(enrolments)
})

const arbPolicy: fc.Arbitrary<KeyGroupAccess.AccessPolicy> = fc.record({
  grants: fc.array(
    fc.record(
      {
        role: fc.constantFrom(...Role.literals),
        categories: fc.subarray(categories.map((c) => c.id)),
        upTo: fc.constantFrom(...KeyGroup.Sensitivity.literals),
        identity: fc.boolean()
      },
      { requiredKeys: ["role", "categories", "identity"] }
    ),
    { maxLength: 4 }
  ),
  purposeRequired: fc.boolean()
})

const subtree = (unitId: string): ReadonlyArray<string> =>
  unitIds.filter((u) => Hierarchy.isWithin(h, u, unitId))

/**
 * A policy, a principal (often of a granted role) and a request (often within
 * the principal's jurisdiction, sometimes outside it or of an unknown unit or
 * category, with or without a purpose).
 */
const arbCase = arbPolicy.chain((policy) =>
  fc
    .record({
      role: fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...Role.literals) },
        {
          weight: policy.grants.length === 0 ? 0 : 3,
          arbitrary: fc.constantFrom(
            ...(policy.grants.length === 0 ? Role.literals : policy.grants.map((g) => g.role))
          )
        }
      ),
      unit: fc.constantFrom(...unitIds),
      n: fc.nat(9)
    })
    .chain(({ n, role, unit }) =>
      fc.record({
        policy: fc.constant(policy),
        principal: fc.constant(P.actor(`p-${role}-${n}`, role, unit)),
        request: fc
          .record({
            unit: fc.oneof(
              { weight: 6, arbitrary: fc.constantFrom(...subtree(unit)) },
              { weight: 3, arbitrary: fc.constantFrom(...unitIds) },
              { weight: 1, arbitrary: fc.constant("nowhere") }
            ),
            category: fc.oneof(
              { weight: 9, arbitrary: fc.constantFrom(...categories.map((c) => c.id as string)) },
              { weight: 1, arbitrary: fc.constant("astrology") }
            ),
            purpose: fc.constantFrom<string | null>("九月份入户走访", "九月份入户走访", "  ", null)
          })
          .map(({ category, purpose, unit }) => P.request(unit, category, purpose))
      })
    )
)

/** The oracle: the grants of the role covering the category, by the policy's own words. */
const covering = (policy: KeyGroupAccess.AccessPolicy, role: Role, categoryId: string) => {
  const category = categories.find((c) => c.id === categoryId)
  return category === undefined
    ? []
    : policy.grants.filter(
        (g) =>
          g.role === role &&
          (g.categories.includes(category.id) ||
            (g.upTo !== undefined &&
              KeyGroup.sensitivityRank(category.sensitivity) <= KeyGroup.sensitivityRank(g.upTo)))
      )
}

/**
 * One case of each outcome, run before the generated ones (fast-check's
 * `examples`), so the check that every outcome occurred does not depend on
 * the draw: granted with identity, granted masked, not granted (counts), an
 * unknown unit (refused).
 */
const allCategories = categories.map((c) => c.id)
const exampleCase = (identity: boolean | undefined, unitId = "d1") => ({
  policy: {
    grants:
      identity === undefined
        ? []
        : [{ role: "community-staff" as const, categories: allCategories, identity }],
    purposeRequired: false
  },
  principal: P.actor("cs-example", "community-staff", "d1"),
  request: P.request(unitId, categories[0]?.id ?? "")
})
type GeneratedCase = typeof arbCase extends fc.Arbitrary<infer A> ? A : never
const examples: Array<[GeneratedCase]> = [
  [exampleCase(true)],
  [exampleCase(false)],
  [exampleCase(undefined)],
  [exampleCase(true, "nowhere")]
]

let runs = 0
let seeded = false
/** What the generated reads came to (so the property is not vacuous). */
const seen = { members: 0, masked: 0, counts: 0, refused: 0 }

describe("PeopleRepository access on SQLite", () => {
  layer(sqlPeopleTarget(sqlite).layer({ keyring: ring }), { timeout: "60 seconds" })("properties", (it) => {
    it.effect.prop(
      "no un-granted or out-of-scope read returns a person; identity masked without the right; one log entry per read; as the in-memory store",
      [arbCase],
      ([{ policy, principal, request }]) =>
        Effect.gen(function* () {
          if (!seeded) {
            yield* seed
            seeded = true
          }
          const repo = yield* SqlPeopleRepository.make({ keyring: ring, policy })
          const context = P.context(`log-${runs++}`)
          const before = (yield* repo.accessLog()).length
          const result = yield* Effect.either(repo.readMembers(principal, request, context))
          const log = yield* repo.accessLog()

          const knownUnit = Hierarchy.has(h, request.unitId)
          const knownCategory = categories.some((c) => c.id === request.categoryId)
          const inScope = knownUnit && Hierarchy.isWithin(h, request.unitId, principal.unitId)
          const grants = covering(policy, principal.role, request.categoryId)
          const members =
            Either.isRight(result) && result.right._tag === "Members" ? result.right.members : []

          if (Either.isRight(result) && result.right._tag === "Members") {
            expect([knownUnit, knownCategory, inScope, grants.length > 0]).toEqual([true, true, true, true])
            expect(result.right.identity).toBe(grants.some((g) => g.identity))
            for (const m of members)
              expect(Hierarchy.isWithin(h, m.household.unitId, request.unitId)).toBe(true)
            if (!result.right.identity) {
              const text = JSON.stringify(result.right)
              for (const secret of plaintexts) expect(text).not.toContain(secret)
              for (const m of members) if (m.resident !== undefined) expect(m.resident.masked).toBe(true)
            }
          } else if (knownUnit && knownCategory && !inScope) {
            expect(result).toMatchObject(Either.left({ _tag: "KeyGroupAccessDenied", rule: "out-of-scope" }))
          }
          if (grants.length === 0 || !inScope) expect(members).toEqual([])
          if (Either.isLeft(result)) seen.refused++
          else if (result.right._tag === "Counts") seen.counts++
          else if (members.length > 0) seen[result.right.identity ? "members" : "masked"]++

          // exactly one entry, naming the principal and what was returned
          expect(log.length).toBe(before + 1)
          const entry = log.find((e) => e.id === context.logId)
          expect(entry?.actor).toEqual(principal)
          expect(entry?.householdIds).toEqual([...new Set(members.map((m) => m.household.id))])

          // the in-memory store answers the same
          const expected = yield* Effect.provide(
            Effect.gen(function* () {
              yield* seed
              const mem = yield* PeopleRepository
              const r = yield* Effect.either(mem.readMembers(principal, request, context))
              return { result: r, log: (yield* mem.accessLog()).find((e) => e.id === context.logId) }
            }),
            memory.layer({ policy })
          )
          expect({ result, log: entry }).toEqual(expected)
        }),
      { fastCheck: { numRuns: 200, examples } }
    )

    it("the generated reads returned members in full and masked, counts and refusals", () => {
      expect(Object.entries(seen).filter(([, n]) => n === 0)).toEqual([])
    })
  })
})

describe("the generated registry", () => {
  layer(sqlPeopleTarget(sqlite).layer({ keyring: ring }))("covers", (it) => {
    it.effect("members, masked members, counts and refusals all occur among the households", () =>
      Effect.gen(function* () {
        yield* seed
        const repo = yield* PeopleRepository
        expect((yield* repo.households()).map((x) => Household.unitOf(x)).sort()).toEqual(
          [...buildings].sort()
        )
        const staffRead = yield* repo.readMembers(
          P.actor("cs-d", "community-staff", "d1"),
          P.request("d1", categories[0]?.id ?? ""),
          P.context("cover-1")
        )
        expect(staffRead._tag === "Members" && staffRead.members.length).toBe(2)
      })
    )
  })
})
