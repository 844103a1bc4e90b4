import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as AccessList from "../src/AccessList.js"

const right = <A, E>(e: Either.Either<A, E>): A => {
  if (Either.isLeft(e)) throw new Error(`expected Right, got ${String(e.left)}`)
  return e.right
}
const left = <A, E>(e: Either.Either<A, E>): E => {
  if (Either.isRight(e)) throw new Error("expected Left")
  return e.left
}

// Seed 001: "制定XX县区关于进一步开展社区减负工作的意见、XX县区社区工作准入制度 … 制定社区工作
// 正面和负面清单，清理社区考核、检查，精简工作台帐". The seed names the documents, not their
// items; the items below are illustrative.
const AUTHORITY = "XX县区委、区政府"
const BASIS = "XX县区社区工作准入制度"
const item = (code: string, name: string, basis = BASIS): AccessList.AccessItem => ({
  code: AccessList.WorkCode.make(code),
  name,
  authority: AUTHORITY,
  basis
})

const positive = [
  item("P-02", "组织开展社区文化体育活动"),
  item("P-01", "组织居民开展自治和民主协商"),
  item("P-03", "协助开展养老服务和困难群众帮扶")
]
const negative = [
  item("N-01", "招商引资", "XX县区关于进一步开展社区减负工作的意见"),
  item("N-02", "协税护税"),
  item("N-03", "城市管理行政执法"),
  item("N-04", "出具无法定依据的各类证明")
]
const lenient = right(AccessList.make({ positive, negative }))
const strict = right(AccessList.make({ positive, negative, mode: "strict" }))

describe("AccessList — seed 001 社区工作准入", () => {
  it("make keeps both lists in code order, lenient by default, governing the community level", () => {
    expect(lenient.positive.map((i) => i.code)).toEqual(["P-01", "P-02", "P-03"])
    expect(lenient.negative.map((i) => i.code)).toEqual(["N-01", "N-02", "N-03", "N-04"])
    expect([lenient.mode, lenient.levels]).toEqual(["lenient", ["community"]])
    expect(Option.map(AccessList.lookup(lenient, "N-02"), (x) => x.list)).toEqual(Option.some("negative"))
    expect(AccessList.lookup(lenient, "X-99")).toEqual(Option.none())
  })

  it("负面清单: 招商引资 may not be given to a community; the refusal names the rule, authority and basis", () => {
    const err = left(
      AccessList.checkAssignment(
        lenient,
        { code: AccessList.WorkCode.make("N-01"), name: "招商引资" },
        "community"
      )
    )
    expect([err.rule, err.code, err.level, err.item?.authority]).toEqual([
      "negative-list",
      "N-01",
      "community",
      AUTHORITY
    ])
    expect(err.message).toContain("负面清单")
    expect(err.message).toContain("《XX县区关于进一步开展社区减负工作的意见》")
  })

  it("正面清单: listed work is granted with its item", () => {
    const ok = right(
      AccessList.checkAssignment(
        strict,
        { code: AccessList.WorkCode.make("P-03"), name: "慰问空巢老人" },
        "community"
      )
    )
    expect([ok.ground, ok.item?.name]).toEqual(["positive-list", "协助开展养老服务和困难群众帮扶"])
  })

  it("strict mode refuses work not on the positive list and unclassified work; lenient mode allows both", () => {
    const other = { code: AccessList.WorkCode.make("X-01"), name: "填报某部门统计报表" }
    expect(left(AccessList.checkAssignment(strict, other, "community")).rule).toBe("not-on-positive-list")
    expect(left(AccessList.checkAssignment(strict, { name: "临时交办事项" }, "community")).rule).toBe(
      "unclassified"
    )
    expect(right(AccessList.checkAssignment(lenient, other, "community")).ground).toBe("not-on-negative-list")
    expect(right(AccessList.checkAssignment(lenient, { name: "临时交办事项" }, "community")).ground).toBe(
      "not-on-negative-list"
    )
  })

  it("levels the list does not govern (the street, a department's level) are not restricted", () => {
    const ok = right(
      AccessList.checkAssignment(
        strict,
        { code: AccessList.WorkCode.make("N-01"), name: "招商引资" },
        "street"
      )
    )
    expect(ok.ground).toBe("level-not-governed")
    const villages = right(AccessList.make({ positive, negative, levels: ["community", "village"] }))
    expect(
      Either.isLeft(
        AccessList.checkAssignment(
          villages,
          { code: AccessList.WorkCode.make("N-01"), name: "招商引资" },
          "village"
        )
      )
    ).toBe(true)
  })

  it("清理社区考核、检查: refusals audits a batch and returns every refusal in input order", () => {
    const out = AccessList.refusals(
      strict,
      [
        { code: AccessList.WorkCode.make("N-03"), name: "城管执法" },
        { code: AccessList.WorkCode.make("P-01"), name: "居民议事会" },
        { name: "未编码事项" }
      ],
      "community"
    )
    expect(out.map((r) => [r.code, r.rule])).toEqual([
      ["N-03", "negative-list"],
      [null, "unclassified"]
    ])
  })

  it("make reports every inconsistency: duplicate codes and codes on both lists", () => {
    const err = left(
      AccessList.make({
        positive: [...positive, item("P-01", "重复"), item("N-02", "协税护税")],
        negative: [...negative, item("N-04", "重复")]
      })
    )
    expect(err.violations.map((v) => [v.code, v.rule, v.lists])).toEqual([
      ["N-02", "on-both-lists", ["positive", "negative"]],
      ["N-04", "duplicate-code", ["negative"]],
      ["P-01", "duplicate-code", ["positive"]]
    ])
  })
})

// ---------------------------------------------------------------------------
// properties
// ---------------------------------------------------------------------------

const arbList = fc
  .record({
    codes: fc.uniqueArray(fc.stringMatching(/^[A-Z]-\d{2}$/), { maxLength: 12 }),
    split: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    mode: fc.constantFrom<AccessList.AccessMode>("lenient", "strict")
  })
  .map(({ codes, mode, split }) => {
    const pos = codes.filter((_, i) => split[i] === true).map((c) => item(c, `事项${c}`))
    const neg = codes.filter((_, i) => split[i] !== true).map((c) => item(c, `事项${c}`))
    return right(AccessList.make({ positive: pos, negative: neg, mode }))
  })

describe("AccessList — properties", () => {
  it.prop(
    "an access list refuses every negative-list item for a governed level, in any mode",
    [arbList],
    ([list]) => {
      for (const i of list.negative) {
        const r = AccessList.checkAssignment(list, { code: i.code, name: i.name }, "community")
        expect(Either.isLeft(r) && r.left.rule === "negative-list" && r.left.item?.code === i.code).toBe(true)
      }
      expect(AccessList.refusals(list, list.negative, "community").length).toBe(list.negative.length)
    }
  )

  it.prop("every positive-list item is granted on the positive-list ground", [arbList], ([list]) => {
    for (const i of list.positive) {
      expect(
        right(AccessList.checkAssignment(list, { code: i.code, name: i.name }, "community")).ground
      ).toBe("positive-list")
    }
  })

  it.prop(
    "strict mode grants a governed level only positive-list work; ungoverned levels are always granted",
    [arbList, fc.stringMatching(/^[A-Z]-\d{2}$/)],
    ([list, code]) => {
      const work = { code: AccessList.WorkCode.make(code), name: "事项" }
      const r = AccessList.checkAssignment(list, work, "community")
      const onPositive = list.positive.some((i) => i.code === code)
      const onNegative = list.negative.some((i) => i.code === code)
      if (list.mode === "strict") expect(Either.isRight(r)).toBe(onPositive)
      else expect(Either.isRight(r)).toBe(!onNegative)
      expect(Either.isRight(AccessList.checkAssignment(list, work, "street"))).toBe(true)
    }
  )
})
