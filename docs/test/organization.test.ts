/**
 * docs/guides/organization.md — a small community's bodies, posts and
 * compounds checked by the organisation rules: every violation with its rule,
 * problem and bilingual message; the numbers as configuration; a local role
 * resolved from the role table.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as RulesCheck from "../guides/snippets/organization/rules-check.js"

describe("organization: the organisation rules", () => {
  it("reports every violation with the default rules, sorted by rule", () => {
    expect(RulesCheck.found).toEqual([
      "mediators-by-population/too-few",
      "grid-leader-in-two-committees/not-two-committees",
      "compound-management/not-taken-over"
    ])
    const [mediators, gridLeader, compound] = RulesCheck.violations
    expect(mediators).toMatchObject({
      unitId: "jinsha",
      expected: 5,
      found: 3,
      personIds: ["chen", "sun", "wu"]
    })
    expect(gridLeader).toMatchObject({ unitId: "jinsha", personIds: ["zhou"], postIds: ["p6"] })
    expect(compound).toMatchObject({ unitId: "liangzhan" })
  })

  it("names the rule in Chinese and English", () => {
    expect(RulesCheck.firstMessage).toBe(
      "调解员按人口配备：jinsha 仅有 3 人，应不少于 5 人 — mediators by population: jinsha has 3, at least 5 required [mediators-by-population/too-few]"
    )
  })

  it("takes its numbers from configuration: a 5,000 boundary asks only 3 mediators of 3,200 residents", () => {
    expect(RulesCheck.localRules.mediatorBoundary).toBe(5000)
    expect(RulesCheck.foundLocally).toEqual([
      "grid-leader-in-two-committees/not-two-committees",
      "compound-management/not-taken-over"
    ])
  })

  it("validate gives the same violations as one error", () => {
    expect(RulesCheck.validated).toEqual(Either.left(RulesCheck.violations.length))
  })

  it("resolves the local role 信访代办员 to the built-in role it acts as", () => {
    if (Either.isLeft(RulesCheck.petitionAgent)) return assert.fail(String(RulesCheck.petitionAgent.left))
    expect(RulesCheck.petitionAgent.right).toEqual({ role: "community-staff", localRole: "petition-agent" })
  })
})
