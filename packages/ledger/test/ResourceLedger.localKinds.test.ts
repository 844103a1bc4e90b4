/**
 * 资源清单台账 — local provider kinds of the role table: 提供方类型 names a kind
 * by id or Chinese name (驻区单位, 物业企业 …, acting as a built-in kind); the
 * resource carries the built-in kind and `localKind`; export writes the local
 * kind's Chinese name and reads back exactly; an unknown kind is refused at
 * its cell; the provider cells follow the kind it acts as.
 */
import * as ResourceList from "@civicgrid/core/ResourceList"
import * as RoleTable from "@civicgrid/core/RoleTable"
import { PartyMemberClass } from "@civicgrid/core/Staffing"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { Csv, ResourceLedger } from "../src/index.js"

const header =
  "资源编号,资源名称,资源类型,提供方类型,提供方名称,党员类别,人员编号,能力标签,服务范围,容量,可用开始,可用结束"

const read = (spec: typeof ResourceLedger.spec, rows: ReadonlyArray<string>) =>
  Csv.read(spec, [header, ...rows].join("\r\n"))

const lines = (csv: string): ReadonlyArray<string> => csv.replace("\uFEFF", "").split("\r\n")

describe("ResourceLedger — local provider kinds", () => {
  it("提供方类型 by Chinese name or id: the built-in kind it acts as and the local kind", () => {
    const out = read(ResourceLedger.spec, [
      "R1,活动室,场地,驻区单位,某银行支行,,,场地,xx,1,,",
      "R2,物业维修,服务,物业企业,某物业公司,,,维修,xx,2,,",
      "R3,普法,服务,paired-agency,区司法局,,,普法,xx,1,,",
      "R4,助老,服务,志愿者,李某,,p-4,助老,xx,1,,"
    ])
    expect(Either.isRight(out)).toBe(true)
    if (Either.isRight(out)) {
      expect(out.right.map((r) => r.provider)).toEqual([
        { kind: "co-building-unit", name: "某银行支行", localKind: "resident-unit" },
        { kind: "social-organization", name: "某物业公司", localKind: "property-company" },
        { kind: "co-building-unit", name: "区司法局", localKind: "paired-agency" },
        { kind: "volunteer", name: "李某", personId: "p-4" }
      ])
      // export writes the local kind's Chinese name
      const csv = Either.getOrThrow(Csv.write(ResourceLedger.spec, out.right))
      expect(
        lines(csv)
          .slice(1, 5)
          .map((l) => l.split(",")[3])
      ).toEqual(["驻区单位", "物业企业", "结对共建机关", "志愿者"])
    }
  })

  it("an unknown kind is refused at its cell, naming the kinds of the table; the cells follow the kind acted as", () => {
    const out = read(ResourceLedger.spec, [
      "R1,维修,技能,物业公司,某公司,,,维修,xx,1,,",
      "R2,维修,技能,社工机构,某中心,骨干,p-2,维修,xx,1,,"
    ])
    expect(Either.isLeft(out) && out.left._tag === "LedgerImportError" && out.left.rowProblems).toMatchObject(
      [
        { row: 2, column: "D", header: "提供方类型", rule: "type" },
        { row: 3, column: "F", header: "党员类别", rule: "invalid" },
        { row: 3, column: "G", header: "人员编号", rule: "invalid" }
      ]
    )
    if (Either.isLeft(out) && out.left._tag === "LedgerImportError") {
      expect(out.left.rowProblems[0]?.message).toContain("驻区单位")
    }
    // a table without the local kinds knows only the built-in ones
    const plain = ResourceLedger.specWith(RoleTable.defaults)
    expect(Either.isLeft(read(plain, ["R1,活动室,场地,驻区单位,某银行支行,,,场地,xx,1,,"]))).toBe(true)
  })

  it("a district's own kind acting as a party member needs 党员类别; a kind the table lacks exports as its built-in kind", () => {
    const table = Either.getOrThrow(
      RoleTable.addAll(RoleTable.standard, [
        {
          domain: "provider-kind",
          id: RoleTable.RoleId.make("serving-party-member"),
          zh: "在职党员",
          en: "serving party member",
          builtIn: false,
          placements: [],
          actsAs: "party-member"
        }
      ])
    )
    const spec = ResourceLedger.specWith(table)
    const refused = read(spec, ["R1,维修,技能,在职党员,张某,,,维修,xx,1,,"])
    expect(
      Either.isLeft(refused) && refused.left._tag === "LedgerImportError" && refused.left.rowProblems
    ).toMatchObject([{ header: "党员类别", rule: "required" }])
    const ok = Either.getOrThrow(read(spec, ["R1,维修,技能,在职党员,张某,骨干,,维修,xx,1,,"]))
    expect(ok[0]?.provider).toEqual({
      kind: "party-member",
      name: "张某",
      partyMemberClass: "core",
      localKind: "serving-party-member"
    })
    const exported = Either.getOrThrow(Csv.write(ResourceLedger.spec, ok))
    expect(lines(exported)[1]?.split(",")[3]).toBe("党员")
  })

  const locals = RoleTable.rolesOf(RoleTable.standard, "provider-kind").filter((e) => !e.builtIn)
  const provider: fc.Arbitrary<ResourceList.Provider> = fc
    .record({
      local: fc.option(fc.constantFrom(...locals), { nil: undefined }),
      kind: fc.constantFrom(...ResourceList.ProviderKind.literals),
      name: fc.constantFrom("某单位", "张某", "社工中心"),
      cls: fc.constantFrom(...PartyMemberClass.literals)
    })
    .map(({ local, kind, name, cls }): ResourceList.Provider => {
      const acting = local === undefined ? kind : (local.actsAs as ResourceList.ProviderKind)
      const localKind = local === undefined ? {} : { localKind: local.id }
      return acting === "party-member"
        ? { kind: acting, name, partyMemberClass: cls, ...localKind }
        : { kind: acting, name, ...localKind }
    })

  it.prop(
    "export then import gives back every resource with its local kind",
    [fc.array(provider, { minLength: 1, maxLength: 8 })],
    ([providers]) => {
      const resources = providers.map((p, i) =>
        ResourceList.make({
          id: `R${i}`,
          name: "资源",
          kind: "service",
          tags: ["助老"],
          scope: ["xx"],
          capacity: 1,
          provider: p
        })
      )
      const csv = Either.getOrThrow(Csv.write(ResourceLedger.spec, resources))
      expect(Either.getOrThrow(Csv.read(ResourceLedger.spec, csv))).toEqual(resources)
    }
  )

  it("a resource stored before local kinds decodes as before", () => {
    const stored = {
      id: "R1",
      name: "资源",
      kind: "service",
      tags: [],
      scope: [],
      capacity: 1,
      provider: { kind: "co-building-unit", name: "某单位" }
    }
    const decoded = Schema.decodeUnknownSync(ResourceList.Resource)(stored)
    expect("localKind" in decoded.provider).toBe(false)
    expect(Schema.encodeSync(ResourceList.Resource)(decoded)).toEqual(stored)
  })
})
