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

/** A built-in role of each acting domain, for generated local rows to act as. */
const firstBuiltIn = {
  actor: "resident",
  "report-source": "patrol",
  "provider-kind": "volunteer"
} as const satisfies Record<Exclude<RoleTable.Domain, "staffing">, RoleTable.ActsAs>

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
      // a local actor role, report source or provider kind acts as a built-in one of its domain
      // (an actor role other than system); a staffing row carries no actsAs
      const actsAsKept = table.every((e) =>
        e.domain !== "staffing" && !builtIns.has(key(e))
          ? e.actsAs !== undefined && e.actsAs !== "system" && builtIns.has(`${e.domain}/${e.actsAs}`)
          : builtIns.has(key(e)) || e.actsAs === undefined
      )
      const violations = RoleTable.check(table)
      expect(violations.length === 0).toBe(unique && keepsAll && honest && actsAsKept)
      for (const v of violations) {
        expect(keys.includes(`${v.domain}/${v.id}`) || builtIns.has(`${v.domain}/${v.id}`)).toBe(true)
      }
    }
  )

  it.prop(
    "every role of a valid table resolves, and only those",
    [fc.array(extra, { maxLength: 6 })],
    ([rows]) => {
      const local = rows.map(({ actsAs: _, ...r }) => ({
        ...r,
        builtIn: false,
        id: RoleTable.RoleId.make(`local-${r.id.slice(0, 100).trim()}`),
        ...(r.domain === "staffing" ? {} : { actsAs: firstBuiltIn[r.domain] })
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

describe("RoleTable — local actor roles (actsAs)", () => {
  const table = Either.getOrThrow(RoleTable.make(RoleTable.standard))

  it("the reports' local actor roles act with a built-in role's rights; the standard table is valid", () => {
    expect(RoleTable.check(RoleTable.standard)).toEqual([])
    expect(
      RoleTable.rolesOf(table, "actor")
        .filter((e) => !e.builtIn)
        .map((e) => [e.id, e.zh, e.actsAs])
    ).toEqual([
      ["petition-agent", "信访代办员", "community-staff"],
      ["mediator", "调解员", "grid-worker"],
      ["informant", "信息员", "grid-worker"]
    ])
    expect(RoleTable.defaults.every((e) => e.actsAs === undefined)).toBe(true)
  })

  it("a role name resolves by id or Chinese name: a built-in role is itself, a local one its actsAs", () => {
    expect(RoleTable.actorRole(table, "信访代办员")).toEqual(
      Either.right({ role: "community-staff", localRole: "petition-agent" })
    )
    expect(RoleTable.actorRole(table, "petition-agent")).toEqual(
      Either.right({ role: "community-staff", localRole: "petition-agent" })
    )
    expect(RoleTable.actorRole(table, "网格员")).toEqual(Either.right({ role: "grid-worker" }))
    expect(RoleTable.actorRole(table, "hotline")).toEqual(Either.right({ role: "hotline" }))
    // a staffing role of the same name is not an actor role
    const unknown = RoleTable.actorRole(table, "楼道长")
    expect(Either.isLeft(unknown) && unknown.left._tag === "UnknownRole").toBe(true)
    expect(Either.isLeft(RoleTable.actorRole(RoleTable.defaults, "信访代办员"))).toBe(true)
    // an unchecked table whose local row names no actsAs is refused by its rule
    const [informant] = RoleTable.localRoles.filter((e) => e.domain === "actor" && e.id === "informant")
    const { actsAs: _, ...noActsAs } = informant as RoleTable.RoleEntry
    const refused = RoleTable.actorRole([...RoleTable.defaults, noActsAs], "informant")
    expect(Either.isLeft(refused) && refused.left._tag === "RoleTableViolation" && refused.left.rule).toBe(
      "acts-as-missing"
    )
  })

  it("each actsAs breach is reported with its rule, in Chinese and English", () => {
    const local = (id: string, fields: Partial<RoleTable.RoleEntry>): RoleTable.RoleEntry => ({
      domain: "actor",
      id: RoleTable.RoleId.make(id),
      zh: id,
      en: id,
      builtIn: false,
      placements: [],
      ...fields
    })
    const [hotline] = RoleTable.defaults.filter((e) => e.domain === "actor" && e.id === "hotline")
    const result = RoleTable.make([
      ...RoleTable.defaults.filter((e) => e !== hotline),
      { ...(hotline as RoleTable.RoleEntry), actsAs: "resident" },
      local("agent", {}),
      local("robot", { actsAs: "system" }),
      local("ok", { actsAs: "resident" }),
      local("leader", { domain: "staffing", actsAs: "grid-worker" })
    ])
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left.violations.map((v) => `${v.rule}:${v.domain}:${v.id}`)).toEqual([
        "acts-as-missing:actor:agent",
        "built-in-changed:actor:hotline",
        "acts-as-system:actor:robot",
        "acts-as-outside-actor:staffing:leader"
      ])
      const [missing] = result.left.violations
      expect(missing?.message).toMatch(
        /须以 actsAs 指明.* — .*must name the built-in role of its domain.*\[acts-as-missing\]/
      )
    }
  })

  const extra = Arbitrary.make(RoleTable.RoleEntry)
  it.prop(
    "every generated table: an actsAs violation is found for a row iff the row breaks the rule",
    [fc.array(extra, { maxLength: 10 }), fc.array(fc.constantFrom(...Actor.roles), { maxLength: 3 })],
    ([rows, changed]) => {
      // unique local ids, so that each row is judged once; some built-in actor rows given an actsAs
      const local = rows.map((r, i) => ({ ...r, builtIn: false, id: RoleTable.RoleId.make(`local-${i}`) }))
      const builtIns = RoleTable.defaults.map((e) =>
        e.domain === "actor" && changed.includes(e.id as Actor.Role)
          ? { ...e, actsAs: "resident" as const }
          : e
      )
      const table = [...builtIns, ...local]
      const builtInKeys = new Set(RoleTable.defaults.map((e) => `${e.domain}/${e.id}`))
      const breaks = (e: RoleTable.RoleEntry): string | undefined =>
        e.domain === "staffing"
          ? e.actsAs === undefined
            ? undefined
            : "acts-as-outside-actor"
          : e.builtIn
            ? undefined
            : e.actsAs === undefined
              ? "acts-as-missing"
              : !builtInKeys.has(`${e.domain}/${e.actsAs}`)
                ? "acts-as-outside-domain"
                : e.actsAs === "system"
                  ? "acts-as-system"
                  : undefined
      const expected = table.flatMap((e) => {
        const rule = breaks(e)
        return rule === undefined ? [] : [`${rule}:${e.domain}:${e.id}`]
      })
      const found = RoleTable.check(table)
        .filter((v) => v.rule.startsWith("acts-as"))
        .map((v) => `${v.rule}:${v.domain}:${v.id}`)
      expect(found.sort()).toEqual(expected.sort())
      // a built-in row given an actsAs is a changed built-in; the table is valid iff nothing breaks
      const changedFound = RoleTable.check(table).filter((v) => v.rule === "built-in-changed")
      expect(changedFound.map((v) => v.id).sort()).toEqual([...new Set(changed)].sort())
      expect(Either.isRight(RoleTable.make(table))).toBe(expected.length === 0 && changed.length === 0)
      // every local actor row of a valid table resolves to its actsAs
      for (const e of local) {
        const resolved = RoleTable.actorRole(table, e.id)
        if (e.domain === "actor" && breaks(e) === undefined) {
          expect(resolved).toEqual(Either.right({ role: e.actsAs, localRole: e.id }))
        }
      }
    }
  )
})

describe("RoleTable — local report sources and provider kinds (actsAs)", () => {
  const table = Either.getOrThrow(RoleTable.make(RoleTable.standard))

  it("the reports' local sources and provider kinds act as built-in ones", () => {
    const local = (d: RoleTable.Domain) =>
      RoleTable.rolesOf(table, d)
        .filter((e) => !e.builtIn)
        .map((e) => [e.id, e.zh, e.actsAs])
    expect(local("report-source")).toEqual([
      ["fengqiao-cabin", "枫桥小屋", "dispute"],
      ["consultation-meeting", "民情恳谈会", "patrol"],
      ["petition-agency", "信访代办", "petition"]
    ])
    expect(local("provider-kind")).toEqual([
      ["resident-unit", "驻区单位", "co-building-unit"],
      ["paired-agency", "结对共建机关", "co-building-unit"],
      ["property-company", "物业企业", "social-organization"],
      ["social-work-agency", "社工机构", "social-organization"]
    ])
  })

  it("a source name resolves by id or Chinese name: a built-in source is itself, a local one its actsAs", () => {
    expect(RoleTable.reportSource(table, "枫桥小屋")).toEqual(
      Either.right({ source: "dispute", localSource: "fengqiao-cabin" })
    )
    expect(RoleTable.reportSource(table, "fengqiao-cabin")).toEqual(
      Either.right({ source: "dispute", localSource: "fengqiao-cabin" })
    )
    expect(RoleTable.reportSource(table, "信访")).toEqual(Either.right({ source: "petition" }))
    expect(RoleTable.reportSource(table, "hotline")).toEqual(Either.right({ source: "hotline" }))
    // an actor role of the same name is not a report source
    const unknown = RoleTable.reportSource(table, "信访代办员")
    expect(Either.isLeft(unknown) && unknown.left._tag === "UnknownRole" && unknown.left.domain).toBe(
      "report-source"
    )
    expect(Either.isLeft(RoleTable.reportSource(RoleTable.defaults, "枫桥小屋"))).toBe(true)
    expect(RoleTable.providerKind(table, "驻区单位")).toEqual(
      Either.right({ kind: "co-building-unit", localKind: "resident-unit" })
    )
    expect(RoleTable.providerKind(table, "志愿者")).toEqual(Either.right({ kind: "volunteer" }))
    // an unchecked table: a local source acting as an actor role is refused by its rule
    const [cabin] = RoleTable.localRoles.filter((e) => e.id === "fengqiao-cabin")
    const wrong = { ...(cabin as RoleTable.RoleEntry), actsAs: "grid-worker" as const }
    const refused = RoleTable.reportSource([...RoleTable.defaults, wrong], "枫桥小屋")
    expect(Either.isLeft(refused) && refused.left._tag === "RoleTableViolation" && refused.left.rule).toBe(
      "acts-as-outside-domain"
    )
    const invalid = RoleTable.make([...RoleTable.defaults, wrong])
    expect(Either.isLeft(invalid) && invalid.left.violations.map((v) => v.message)).toEqual([
      "角色表：report-source 角色 fengqiao-cabin 的 actsAs 须是本域的内置角色 — role table: report-source role fengqiao-cabin must act as a built-in role of its own domain (actsAs) [acts-as-outside-domain]"
    ])
  })

  const localRow = (domain: RoleTable.Domain) =>
    fc
      .record({
        actsAs: fc.constantFrom(
          ...Actor.roles,
          ...Case.Source.literals,
          ...ResourceList.ProviderKind.literals
        ),
        en: fc.constantFrom("local", "walk-in", "agency")
      })
      .map(({ actsAs, en }) => ({ domain, actsAs, en }))

  it.prop(
    "generated local sources and kinds: a violation iff actsAs is no built-in of the domain; every row resolves by id and by Chinese name to itself",
    [
      fc.array(fc.oneof(localRow("report-source"), localRow("provider-kind")), { maxLength: 12 }),
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 })
    ],
    ([rows, withActsAs]) => {
      const local: Array<RoleTable.RoleEntry> = rows.map((r, i) => ({
        domain: r.domain,
        id: RoleTable.RoleId.make(`local-${i}`),
        zh: `本地${i}`,
        en: r.en,
        builtIn: false,
        placements: [],
        ...(withActsAs[i] === false ? {} : { actsAs: r.actsAs })
      }))
      const table = [...RoleTable.defaults, ...local]
      const isBuiltIn = (d: RoleTable.Domain, id: string) =>
        RoleTable.defaults.some((e) => e.domain === d && e.id === id)
      const expected = local.flatMap((e) =>
        e.actsAs === undefined
          ? [`acts-as-missing:${e.domain}:${e.id}`]
          : isBuiltIn(e.domain, e.actsAs)
            ? []
            : [`acts-as-outside-domain:${e.domain}:${e.id}`]
      )
      const found = RoleTable.check(table).map((v) => `${v.rule}:${v.domain}:${v.id}`)
      expect(found.sort()).toEqual(expected.sort())
      for (const e of local) {
        const ok = e.actsAs !== undefined && isBuiltIn(e.domain, e.actsAs)
        for (const name of [e.id, e.zh]) {
          if (e.domain === "report-source") {
            const r = RoleTable.reportSource(table, name)
            expect(r).toEqual(
              ok
                ? Either.right({ source: e.actsAs, localSource: e.id })
                : Either.left(
                    new RoleTable.RoleTableViolation({
                      rule: e.actsAs === undefined ? "acts-as-missing" : "acts-as-outside-domain",
                      domain: e.domain,
                      id: e.id
                    })
                  )
            )
          } else {
            const r = RoleTable.providerKind(table, name)
            expect(Either.isRight(r) && r.right).toEqual(ok ? { kind: e.actsAs, localKind: e.id } : false)
          }
        }
      }
      // every built-in row resolves by id and by Chinese name to itself
      for (const e of RoleTable.rolesOf(RoleTable.defaults, "report-source")) {
        expect(RoleTable.reportSource(table, e.id)).toEqual(Either.right({ source: e.id }))
        expect(RoleTable.reportSource(table, e.zh)).toEqual(Either.right({ source: e.id }))
      }
      for (const e of RoleTable.rolesOf(RoleTable.defaults, "provider-kind")) {
        expect(RoleTable.providerKind(table, e.zh)).toEqual(Either.right({ kind: e.id }))
      }
    }
  )
})
