/**
 * docs/guides/getting-started.md — first steps with the core: a hierarchy, one
 * case through the decider, its indicators.
 */
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { assert, describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as CaseLoop from "../guides/snippets/getting-started/case-loop.js"
import * as HierarchySnippet from "../guides/snippets/getting-started/hierarchy.js"
import * as IndicatorSnippet from "../guides/snippets/getting-started/indicator.js"

describe("getting-started: the hierarchy", () => {
  it("builds the five-level 盘龙区 tree, with a building hanging under its community (optional compound)", () => {
    expect(Hierarchy.size(HierarchySnippet.district)).toBe(HierarchySnippet.rows.length)
    expect(Hierarchy.root(HierarchySnippet.district).name).toBe("盘龙区")
    expect(Option.map(Hierarchy.parent(HierarchySnippet.district, "jinsha-12"), (u) => u.id)).toEqual(
      Option.some("jinsha")
    )
  })

  it("辖区: building 3 lies within 青云街道, and its path reads from the district down", () => {
    expect(HierarchySnippet.inQingyun).toBe(true)
    expect(HierarchySnippet.path).toEqual(Option.some("盘龙区 / 青云街道 / 金沙社区 / 金沙苑 / 金沙苑3栋"))
  })

  it("逐级汇总: households add up the tree (96 + 40 at 金沙社区 and at the root)", () => {
    expect(HierarchySnippet.totals.get("jinsha")).toEqual(Option.some(136))
    expect(HierarchySnippet.totals.get("jinsha-yuan")).toEqual(Option.some(96))
    expect(HierarchySnippet.totals.root).toBe(136)
  })
})

describe("getting-started: one case through the decider", () => {
  it("report → accept → dispatch → handle → verify closes the case at the community tier", () => {
    if (Either.isLeft(CaseLoop.closed)) return assert.fail(CaseLoop.closed.left.message)
    const { state, events } = CaseLoop.closed.right
    if (state._tag !== "Case") return assert.fail("no case")
    expect(state.status).toBe("closed")
    expect(state.closedTier).toBe("community")
    expect(events.map((e) => [e._tag, e.sequence])).toEqual([
      ["Reported", 1],
      ["Accepted", 2],
      ["Dispatched", 3],
      ["Handled", 4],
      ["VerificationPassed", 5],
      ["Closed", 6]
    ])
    expect(events.map((e) => e.actor.id)).toEqual([
      "gw-li",
      "cs-wang",
      "cs-wang",
      "cg-liu",
      "cs-wang",
      "cs-wang"
    ])
  })

  it("accepting a closed case again is refused with rule `status`, not applied twice", () => {
    if (Either.isRight(CaseLoop.again)) return assert.fail("expected a refusal")
    expect(CaseLoop.again.left.rule).toBe("status")
    expect(CaseLoop.again.left.status).toBe("closed")
    expect(CaseLoop.again.left.command).toBe("Accept")
  })
})

describe("getting-started: indicators", () => {
  it("受理办结率 and 按期结案率 of the district in March are 1/1; 重办率 is no data", () => {
    expect(IndicatorSnippet.acceptanceClosure).toEqual(Either.right("100.0% (1/1)"))
    expect(IndicatorSnippet.onTimeClosure).toEqual(Either.right("100.0% (1/1)"))
    expect(IndicatorSnippet.reopenRate).toEqual(Either.right("无数据 no data"))
    if (Either.isLeft(IndicatorSnippet.panlongMarch)) return assert.fail("indicators failed")
    const march = IndicatorSnippet.panlongMarch.right
    expect(march["acceptance-closure"]).toEqual({ numerator: 1, denominator: 1 })
    expect(march["closed-at-community"]).toEqual({ numerator: 1, denominator: 1 })
  })

  it("the district's figures are the rollup of its community's: the same counts at 金沙社区", () => {
    if (Either.isLeft(IndicatorSnippet.report)) return assert.fail("indicators failed")
    const report = IndicatorSnippet.report.right
    const [period] = report.periods
    if (period === undefined) return assert.fail("no period")
    expect(report.get("jinsha", period)).toEqual(report.get("panlong", period))
    expect(report.cases).toBe(1)
    expect(report.unjudged).toEqual([])
  })
})
