/**
 * 角色表 — the role table as configuration: today's closed lists are its
 * built-in defaults, local roles (小组长, 十户长, 楼道长, 调解员 …) are rows, and
 * a table that drops, changes or repeats a role is refused with every breach.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import * as ResourceList from "../src/ResourceList.js"
import * as RoleTable from "../src/RoleTable.js"
import * as Staffing from "../src/Staffing.js"

describe("RoleTable — defaults and local roles", () => {
  it("the defaults are today's closed lists, built in", () => {
    const ids = (d: RoleTable.Domain) => RoleTable.rolesOf(RoleTable.defaults, d).map((e) => e.id)
    expect(ids("actor")).toEqual(Actor.roles)
    expect(ids("staffing")).toEqual(Staffing.roles)
    expect(ids("report-source")).toEqual(Case.Source.literals)
    expect(ids("provider-kind")).toEqual(ResourceList.ProviderKind.literals)
    expect(RoleTable.defaults.every((e) => e.builtIn)).toBe(true)
    expect(RoleTable.check(RoleTable.defaults)).toEqual([])
    expect(RoleTable.nameOf(RoleTable.defaults, "actor", "hotline")).toBe("12345 热线")
    expect(RoleTable.nameOf(RoleTable.defaults, "staffing", "building-leader")).toBe("楼栋长")
  })

  it("the reports' local roles are added without code, and placed where they belong", () => {
    const table = Either.getOrThrow(RoleTable.addAll(RoleTable.defaults, RoleTable.localRoles))
    expect(RoleTable.rolesOf(table, "staffing").map((e) => e.zh)).toEqual(
      expect.arrayContaining([
        "居民小组长",
        "十户长",
        "楼道长",
        "调解员",
        "信息员",
        "义警员",
        "信访代办员",
        "法律顾问",
        "两委成员"
      ])
    )
    expect(Either.isRight(RoleTable.place(table, "staffing", "stairwell-leader", "stairwell"))).toBe(true)
    expect(Either.isRight(RoleTable.place(table, "staffing", "ten-household-leader", "micro-grid"))).toBe(
      true
    )
    const refused = RoleTable.place(table, "staffing", "ten-household-leader", "building")
    expect(Either.isLeft(refused) && refused.left._tag === "PlacementRefused").toBe(true)
    const unknown = RoleTable.place(RoleTable.defaults, "staffing", "stairwell-leader", "stairwell")
    expect(Either.isLeft(unknown) && unknown.left._tag === "UnknownRole").toBe(true)
    if (Either.isLeft(unknown))
      expect(unknown.left.message).toMatch(/角色表中没有 .* — the role table has no/)
    expect(Option.isSome(RoleTable.lookup(table, "actor", "hotline"))).toBe(true)
  })

  it("adding a role twice, dropping a built-in and claiming one are each reported", () => {
    const [hotline] = RoleTable.defaults.filter((e) => e.id === "hotline")
    const table = [
      ...RoleTable.defaults.filter((e) => e.id !== "volunteer"),
      ...RoleTable.localRoles,
      RoleTable.localRoles[0] as RoleTable.RoleEntry,
      { ...(hotline as RoleTable.RoleEntry), domain: "staffing" as const }
    ]
    const result = RoleTable.make(table)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left.violations.map((v) => `${v.rule}:${v.domain}:${v.id}`)).toEqual([
        "built-in-missing:provider-kind:volunteer",
        "duplicate:staffing:group-leader",
        "built-in-claimed:staffing:hotline",
        "built-in-missing:staffing:volunteer"
      ])
      expect(result.left.message).toContain("角色表")
    }
  })

  it("the table decodes from configuration", () => {
    const table = [...RoleTable.defaults, ...RoleTable.localRoles]
    expect(
      Schema.decodeUnknownSync(RoleTable.RoleTable)(Schema.encodeSync(RoleTable.RoleTable)(table))
    ).toEqual(table)
  })
})

describe("RoleTable — properties", () => {
  const extra = Arbitrary.make(RoleTable.RoleEntry)
  const tableArb = fc.record({
    keep: fc.array(fc.boolean(), {
      minLength: RoleTable.defaults.length,
      maxLength: RoleTable.defaults.length
    }),
    extra: fc.array(fc.oneof(extra, fc.constantFrom(...RoleTable.localRoles, ...RoleTable.defaults)), {
      maxLength: 8
    })
  })

  it.prop(
    "a table is valid iff it keeps every built-in unchanged, claims none and repeats none",
    [tableArb],
    ([t]) => {
      const table = [
        ...RoleTable.defaults.filter((_, i) => t.keep[i] === true || t.keep.every((k) => k)),
        ...t.extra
      ]
      const key = (e: RoleTable.RoleEntry) => `${e.domain}/${e.id}`
      const builtIns = new Map(RoleTable.defaults.map((e) => [key(e), e] as const))
      const keys = table.map(key)
      const unique = new Set(keys).size === keys.length
      const keepsAll = [...builtIns.keys()].every((k) => keys.includes(k))
      const honest = table.every((e) => {
        const def = builtIns.get(key(e))
        return def === undefined ? !e.builtIn : JSON.stringify(e) === JSON.stringify(def)
      })
      const violations = RoleTable.check(table)
      expect(violations.length === 0).toBe(unique && keepsAll && honest)
      for (const v of violations) {
        expect(keys.includes(`${v.domain}/${v.id}`) || builtIns.has(`${v.domain}/${v.id}`)).toBe(true)
      }
    }
  )

  it.prop(
    "every role of a valid table resolves, and only those",
    [fc.array(extra, { maxLength: 6 })],
    ([rows]) => {
      const local = rows.map((r) => ({
        ...r,
        builtIn: false,
        id: RoleTable.RoleId.make(`local-${r.id.slice(0, 100).trim()}`)
      }))
      const result = RoleTable.addAll(RoleTable.defaults, local)
      if (Either.isLeft(result)) {
        expect(result.left.violations.every((v) => v.rule === "duplicate")).toBe(true)
        return
      }
      for (const e of result.right) {
        expect(Either.getOrThrow(RoleTable.resolve(result.right, e.domain, e.id)).id).toBe(e.id)
      }
      expect(Either.isLeft(RoleTable.resolve(result.right, "actor", "no-such-role\u0001"))).toBe(true)
    }
  )
})
