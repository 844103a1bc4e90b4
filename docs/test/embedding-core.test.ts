/**
 * docs/guides/embedding-core.md — the core inside an app: hierarchy errors, the
 * decider, the ports with their in-memory layers and `CaseService`, an adapter.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Adapter from "../guides/snippets/embedding-core/adapter.js"
import * as Decider from "../guides/snippets/embedding-core/decider.js"
import * as HierarchyErrors from "../guides/snippets/embedding-core/hierarchy-errors.js"
import * as Service from "../guides/snippets/embedding-core/service.js"

describe("embedding-core: hierarchies and their errors", () => {
  it("Hierarchy.make reports every violation (level order, code nesting, missing parent), sorted by unit", () => {
    expect(HierarchyErrors.violations).toEqual([
      "jinsha code-nesting",
      "jinsha-yuan-3 missing-parent",
      "tuodong level-order"
    ])
  })

  it("decodeRows reports every bad field of untrusted rows, by row and path", () => {
    expect(HierarchyErrors.rowErrors).toEqual(["row 1 id", "row 1 code"])
  })

  it("decode-then-make fails with a tagged error of either kind", () => {
    const undecodable = HierarchyErrors.fromUpload([{ id: "", parentId: null, level: "district", name: "X" }])
    const invalid = HierarchyErrors.fromUpload([{ id: "x", parentId: null, level: "galaxy", name: "X" }])
    const valid = HierarchyErrors.fromUpload([{ id: "x", parentId: null, level: "district", name: "X" }])
    expect(Either.isLeft(undecodable) && undecodable.left._tag).toBe("UnitRowsInvalid")
    expect(Either.isLeft(invalid) && invalid.left._tag).toBe("HierarchyInvalid")
    expect(Either.isRight(valid)).toBe(true)
  })
})

describe("embedding-core: the decider", () => {
  it("a command decoded from JSON is decided into one Reported event, folded into a reported case", () => {
    if (Either.isLeft(Decider.reported)) return assert.fail(String(Decider.reported.left))
    expect(Decider.reported.right.map((e) => [e._tag, e.sequence])).toEqual([["Reported", 1]])
    const reported = Decider.reported.right[0]
    expect(reported?.at).toEqual(DateTime.unsafeMake("2025-03-04T12:15:00Z"))
    if (Either.isLeft(Decider.state) || Decider.state.right._tag !== "Case") return assert.fail("no case")
    const state = Decider.state.right
    expect([state.status, state.version, state.step, state.tier, state.ownerUnitId, state.anonymous]).toEqual(
      ["reported", 1, "filing", "community", "jinsha", true]
    )
  })

  it("a resident's 立案 is refused with rule `role`", () => {
    expect(Decider.refusedRules).toEqual(["role"])
  })

  it("the strict replay rejects a repeated event as a `sequence` break", () => {
    if (Either.isRight(Decider.replayed)) return assert.fail("expected a replay error")
    expect(Decider.replayed.left).toMatchObject({
      _tag: "CaseReplayError",
      rule: "sequence",
      index: 1,
      expected: 2
    })
  })
})

describe("embedding-core: ports, in-memory layers and CaseService", () => {
  it.effect(
    "report + accept through CaseService; the read model lists the case within 青云街道 with its 派遣 deadline",
    () =>
      Effect.gen(function* () {
        const { replayed, summaries } = yield* Service.main
        expect(replayed).toBe(false)
        expect(summaries.map((s) => [s.caseId, s.status, s.step, s.version])).toEqual([
          ["QY-2025-0003", "accepted", "dispatch", 2]
        ])
        // 派遣 within 1 working hour of 10:10 on a Wednesday: 11:10 Beijing time
        expect(summaries[0]?.deadline).toEqual(DateTime.unsafeMake("2025-03-05T11:10:00+08:00"))
      })
  )

  it.effect(
    "running the use case twice: the report's idempotency key replays it, and the second 立案 is refused",
    () =>
      Effect.gen(function* () {
        const twice = Effect.zip(Service.reportAndAccept, Service.reportAndAccept)
        const result = yield* Effect.either(Effect.provide(twice, Service.layerStores))
        if (Either.isRight(result)) return assert.fail("expected the second accept to be refused")
        expect(result.left._tag === "CaseRefused" && [result.left.rule, result.left.status]).toEqual([
          "status",
          "accepted"
        ])
      })
  )
})

describe("embedding-core: an adapter of the CaseRepository port", () => {
  it.effect("wrapping the store publishes exactly the events that were appended", () =>
    Effect.gen(function* () {
      expect(yield* Adapter.published).toEqual(["QY-2025-0003#1 Reported", "QY-2025-0003#2 Accepted"])
    })
  )
})
