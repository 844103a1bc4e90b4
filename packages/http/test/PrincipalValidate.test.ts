/**
 * 主体校验 — `Principal.validate`, the one check of principal data (a key
 * store's plain strings, `civicgrid keys issue`'s options): a valid principal
 * comes back unchanged; an unknown role, a blank or untrimmed id, a department
 * without its department, a granted subtree outside the department role are
 * refused naming the field; a token store's data that breaks them verifies to
 * none (`Authorization.fromLookup`).
 */
import { DepartmentId } from "@civicgrid/core/Actor"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Authorization from "../src/Authorization.js"
import * as Principal from "../src/Principal.js"

/** Principals that keep the role rules: a department names its department; only a department has a grant. */
const principals = Arbitrary.make(Principal.Principal).map((p): Principal.Principal => {
  if (p.role === "department") return { ...p, departmentId: p.departmentId ?? DepartmentId.make("chengguan") }
  const { grantedSubtree: _, ...rest } = p
  return rest
})

const roles: ReadonlyArray<string> = Principal.Role.literals

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
    const { departmentId: _, ...rest } = p
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
})
