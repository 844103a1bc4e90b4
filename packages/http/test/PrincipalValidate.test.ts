/**
 * 主体校验 — `Principal.validate`, the one check of principal data (a key
 * store's plain strings, `civicgrid keys issue`'s options): a valid principal
 * comes back unchanged; an unknown role, a blank or untrimmed id, a department
 * without its department, a granted subtree outside the department role are
 * refused naming the field; a token store's data that breaks them verifies to
 * none (`Authorization.fromLookup`).
 */
import { DepartmentId } from "@civicgrid/core/Actor"
import * as RoleTable from "@civicgrid/core/RoleTable"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Authorization from "../src/Authorization.js"
import * as Principal from "../src/Principal.js"

const localActorRoles = RoleTable.rolesOf(RoleTable.standard, "actor").filter((e) => !e.builtIn)

/**
 * Principals that keep the role rules: a department names its department; only a department has a
 * grant; a local role is one of the table's, with the role it acts as.
 */
const principals = fc
  .tuple(
    Arbitrary.make(Principal.Principal),
    fc.option(fc.constantFrom(...localActorRoles), { nil: undefined })
  )
  .map(([p, local]): Principal.Principal => {
    const { localRole: _, ...plain } = p
    // the principal role a local actor row acts as (actsAs is typed for every acting domain)
    const acting = Principal.Role.literals.find((r) => r === local?.actsAs)
    if (local !== undefined && acting !== undefined) {
      const { grantedSubtree: __, departmentId: ___, ...rest } = plain
      return { ...rest, role: acting, localRole: local.id }
    }
    if (plain.role === "department")
      return { ...plain, departmentId: plain.departmentId ?? DepartmentId.make("chengguan") }
    const { grantedSubtree: __, ...rest } = plain
    return rest
  })

const roles: ReadonlyArray<string> = [
  ...Principal.Role.literals,
  ...RoleTable.rolesOf(RoleTable.standard, "actor").flatMap((e) => [e.id, e.zh])
]

const fieldOf = (data: Parameters<typeof Principal.validate>[0]): string | undefined =>
  Either.match(Principal.validate(data), { onLeft: (e) => e.field, onRight: () => undefined })

describe("Principal.validate", () => {
  it.prop("a principal keeping the role rules validates to itself", [principals], ([p]) => {
    expect(Principal.validate(p)).toEqual(Either.right(p))
  })

  it.prop(
    "a role outside the known roles is refused naming role and listing the roles",
    [principals, fc.string({ minLength: 1, maxLength: 20 }).filter((r) => !roles.includes(r))],
    ([p, role]) => {
      const result = Principal.validate({ ...p, role })
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left.field).toBe("role")
        expect(result.left.message).toContain("未知角色 unknown role")
        expect(result.left.message).toContain("district-staff")
      }
    }
  )

  it.prop("a department principal without its department is refused (departmentId)", [principals], ([p]) => {
    const { departmentId: _, localRole: __, ...rest } = p
    expect(fieldOf({ ...rest, role: "department" })).toBe("departmentId")
  })

  it.prop(
    "a granted subtree outside the department role is refused (grantedSubtree)",
    [principals.filter((p) => p.role !== "department")],
    ([p]) => {
      expect(fieldOf({ ...p, grantedSubtree: "c-001" })).toBe("grantedSubtree")
    }
  )

  it("blank or untrimmed identifiers are refused naming the field", () => {
    const base = { id: "ss-1", role: "street-staff", unitId: "s-001" }
    expect(fieldOf({ ...base, id: " " })).toBe("id")
    expect(fieldOf({ ...base, unitId: "" })).toBe("unitId")
    expect(fieldOf({ ...base, role: "department", departmentId: " x" })).toBe("departmentId")
  })

  it.effect(
    "a key store's data breaking the rules verifies to none (a 401), valid data to its principal",
    () =>
      Effect.gen(function* () {
        const stored: Record<string, Authorization.PrincipalData> = {
          good: { id: "cg-liu", role: "department", unitId: "d-1", departmentId: "chengguan" },
          noDepartment: { id: "cg-liu", role: "department", unitId: "d-1" },
          grantedStaff: { id: "ss-1", role: "street-staff", unitId: "s-1", grantedSubtree: "c-1" }
        }
        const verifier = Authorization.fromLookup((token) =>
          Effect.succeed(Option.fromNullable(stored[Redacted.value(token)]))
        )
        expect(Option.isSome(yield* verifier.verify(Redacted.make("good")))).toBe(true)
        expect(yield* verifier.verify(Redacted.make("noDepartment"))).toEqual(Option.none())
        expect(yield* verifier.verify(Redacted.make("grantedStaff"))).toEqual(Option.none())
      })
  )

  it("a table role, by id or Chinese name, is the role it acts as, with localRole set", () => {
    const base = { id: "pa-1", unitId: "c-001" }
    const expected = Either.right(
      Principal.make({ ...base, role: "community-staff", localRole: "petition-agent" })
    )
    expect(Principal.validate({ ...base, role: "信访代办员" })).toEqual(expected)
    expect(Principal.validate({ ...base, role: "petition-agent" })).toEqual(expected)
    // a key store's row: the role it acts as and the local role
    expect(Principal.validate({ ...base, role: "community-staff", localRole: "petition-agent" })).toEqual(
      expected
    )
    // a built-in role by its Chinese name is itself
    expect(Principal.validate({ ...base, role: "网格员" })).toEqual(
      Either.right(Principal.make({ ...base, role: "grid-worker" }))
    )
    // a table without the local role: unknown, naming the field and the rule
    const unknown = Principal.validate({ ...base, role: "信访代办员" }, RoleTable.defaults)
    expect(Either.isLeft(unknown) && unknown.left.field).toBe("role")
    if (Either.isLeft(unknown)) expect(unknown.left.message).toMatch(/未知角色 unknown role "信访代办员"/)
    // system is no principal's role
    expect(fieldOf({ ...base, role: "系统" })).toBe("role")
  })

  it("a stored local role must be a local actor role of the table acting as the role", () => {
    const base = { id: "pa-1", unitId: "c-001" }
    expect(fieldOf({ ...base, role: "grid-worker", localRole: "petition-agent" })).toBe("localRole")
    expect(fieldOf({ ...base, role: "grid-worker", localRole: "no-such-role" })).toBe("localRole")
    expect(fieldOf({ ...base, role: "grid-worker", localRole: "grid-worker" })).toBe("localRole")
    expect(fieldOf({ ...base, role: "mediator", localRole: "petition-agent" })).toBe("localRole")
    const moved = RoleTable.standard.map((e) =>
      e.domain === "actor" && e.id === "petition-agent" ? { ...e, actsAs: "resident" as const } : e
    )
    const refused = Principal.validate(
      { ...base, role: "community-staff", localRole: "petition-agent" },
      moved
    )
    expect(Either.isLeft(refused) && refused.left.message).toMatch(/acts as resident in the role table/)
  })

  it.effect("a stored key for a local role verifies to its principal; against another table to none", () =>
    Effect.gen(function* () {
      const stored: Authorization.PrincipalData = {
        id: "pa-1",
        role: "community-staff",
        unitId: "c-1",
        localRole: "petition-agent"
      }
      const lookup = () => Effect.succeed(Option.some(stored))
      const found = yield* Authorization.fromLookup(lookup).verify(Redacted.make("t"))
      expect(Option.map(found, (p) => [p.role, p.localRole])).toEqual(
        Option.some(["community-staff", "petition-agent"])
      )
      expect(yield* Authorization.fromLookup(lookup, RoleTable.defaults).verify(Redacted.make("t"))).toEqual(
        Option.none()
      )
    })
  )
})
