import { DepartmentId } from "@civicgrid/core/Actor"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Principal from "../src/Principal.js"
import { C1, C3, CHENGGUAN, D, demoRows, K1, principal, S1 } from "./support/Harness.js"
import * as Trees from "./support/Trees.js"

const hierarchyOf = (rows: Parameters<typeof Hierarchy.make>[1]) => {
  const made = Hierarchy.make(LevelScheme.FiveLevel, rows)
  if (Either.isLeft(made)) throw new Error(made.left.message)
  return made.right
}

const demo = Option.some(hierarchyOf(demoRows))

const facts = (unitId: string, communityId: string, reportedBy = "someone"): Principal.CaseFacts => ({
  unitId,
  communityId,
  dispatchTarget: null,
  reportedBy
})

describe("Principal", () => {
  it("辖区: staff see their subtree only", () => {
    expect(Principal.canSeeCase(principal("s", "street-staff", S1), demo, facts(K1, C1))).toBe(true)
    expect(Principal.canSeeCase(principal("s", "community-staff", C3), demo, facts(K1, C1))).toBe(false)
    expect(Principal.canSeeCase(principal("s", "district-staff", D), demo, facts(K1, C1))).toBe(true)
  })

  it("居民: a resident sees only their own reports, wherever they are", () => {
    expect(Principal.canSeeCase(principal("r", "resident", C1), demo, facts(K1, C1, "r"))).toBe(true)
    expect(Principal.canSeeCase(principal("r", "resident", C1), demo, facts(K1, C1, "other"))).toBe(false)
  })

  it("职能部门: a department's unit is not a jurisdiction — without a grant it sees no case of its unit's subtree (issue 12 finding 9)", () => {
    const ungranted = principal("d", "department", D, CHENGGUAN)
    expect(Principal.jurisdictionOf(ungranted)).toBeUndefined()
    expect(Principal.scopeOf(ungranted)).toEqual({ department: CHENGGUAN })
    expect(Principal.isInJurisdiction(ungranted, demo.pipe(Option.getOrThrow), C1)).toBe(false)
    expect(Principal.canSeeCase(ungranted, demo, facts(C1, C1))).toBe(false)
    const granted = principal("d", "department", D, CHENGGUAN, S1)
    expect(Principal.scopeOf(granted)).toEqual({ within: S1, department: CHENGGUAN })
    expect(Principal.canSeeCase(granted, demo, facts(C1, C1))).toBe(true)
    expect(Principal.canSeeCase(granted, demo, facts(C3, C3))).toBe(false)
    // a department without a department id and without a grant: an empty scope, which matches nothing
    expect(Principal.scopeOf(principal("d", "department", D))).toEqual({})
  })

  it("职能部门: a department sees what is dispatched to it", () => {
    const dept = principal("d", "department", C3, CHENGGUAN)
    expect(Principal.canSeeCase(dept, demo, facts(K1, C1))).toBe(false)
    expect(
      Principal.canSeeCase(dept, demo, {
        ...facts(K1, C1),
        dispatchTarget: { _tag: "Department", departmentId: DepartmentId.make(CHENGGUAN) }
      })
    ).toBe(true)
    expect(Principal.canSeeCase(dept, Option.none(), facts(K1, C1))).toBe(false)
  })

  it("toActor: the principal's role, unit and department; an admin acts as its tier's staff", () => {
    expect(Principal.toActor(principal("a", "admin", D), demo).role).toBe("district-staff")
    expect(Principal.toActor(principal("a", "admin", S1), demo).role).toBe("street-staff")
    expect(Principal.toActor(principal("a", "admin", C1), demo).role).toBe("community-staff")
    expect(Principal.toActor(principal("a", "admin", K1), demo).role).toBe("district-staff")
    expect(Principal.toActor(principal("d", "department", D, CHENGGUAN), demo)).toEqual({
      id: "d",
      role: "department",
      unitId: D,
      departmentId: CHENGGUAN
    })
  })

  it("个人信息: staff of the three tiers and admins read personal data; others only their own report", () => {
    expect(Principal.canReadPersonalData(principal("c", "community-staff", C1), facts(C1, C1))).toBe(true)
    expect(Principal.canReadPersonalData(principal("g", "grid-worker", C1), facts(C1, C1))).toBe(false)
    expect(Principal.canReadPersonalData(principal("d", "department", C1, CHENGGUAN), facts(C1, C1))).toBe(
      false
    )
    expect(Principal.canReadPersonalData(principal("r", "resident", C1), facts(C1, C1, "r"))).toBe(true)
  })

  it.prop(
    "人员信息: staff data (cadres, post holders) is read in full exactly by the roles that read any case's personal data — never by a resident, even one who reported",
    [fc.constantFrom(...Principal.Role.literals), fc.boolean()],
    ([role, ownReport]) => {
      const p = principal("p", role, C1, role === "department" ? CHENGGUAN : undefined)
      const anyCase = Principal.canReadPersonalData(p, facts(C1, C1, ownReport ? "p" : "someone-else"))
      expect(Principal.canReadStaffData(p)).toBe(role === "resident" ? false : anyCase)
    }
  )

  it.prop(
    "a non-resident principal sees a case iff its unit lies in the principal's subtree (generated trees)",
    [
      Trees.shape,
      fc.nat(),
      fc.nat(),
      fc.constantFrom<Principal.Role>("grid-worker", "community-staff", "street-staff", "department", "admin")
    ],
    ([shape, casePick, principalPick, role]) => {
      const tree = Trees.build("", shape)
      const h = Option.some(hierarchyOf(tree.rows))
      const unit = tree.placeable[casePick % tree.placeable.length]
      const at = tree.rows[principalPick % tree.rows.length]
      if (unit === undefined || at === undefined) return
      const level = tree.rows.find((r) => r.id === unit)?.level
      const community = level === "compound" ? (tree.parent.get(unit) ?? unit) : unit
      // a department sees a subtree only when it is granted one (issue 12 finding 9)
      const p =
        role === "department" ? principal("p", role, at.id, CHENGGUAN, at.id) : principal("p", role, at.id)
      expect(Principal.canSeeCase(p, h, facts(unit, community))).toBe(Trees.below(tree, unit, at.id))
      if (role === "department") {
        expect(Principal.canSeeCase(principal("p", role, at.id, CHENGGUAN), h, facts(unit, community))).toBe(
          false
        )
      }
    },
    { fastCheck: { numRuns: 200 } }
  )
})
