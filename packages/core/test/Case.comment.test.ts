/**
 * 评论 and 附件 on the case decider: a `Comment` is allowed in every status
 * (closed, voided, merged included), never changes the status nor
 * `updatedAt`, anyone may write a public one and only staff an internal one;
 * media URLs on reports and comments are bounded http(s) URLs; a location
 * keeps the client's address id; histories stored before these fields keep
 * decoding.
 */
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { assert, describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import * as CaseCommand from "../src/CaseCommand.js"
import * as CaseEvent from "../src/CaseEvent.js"
import { UnitId } from "../src/Unit.js"

const JINSHA = UnitId.make("c-jinsha")
const PANLONG = UnitId.make("d-panlong")
const C = Case.CaseId.make("case-1")
const T0 = Date.UTC(2024, 3, 8, 0, 30)
const at = (minutes: number): DateTime.Utc => DateTime.unsafeMake(T0 + minutes * 60_000)

const person = (id: string, role: Actor.Role, unitId: UnitId): Actor.Actor =>
  role === "department"
    ? { id: Actor.ActorId.make(id), role, unitId, departmentId: Actor.DepartmentId.make("chengguan") }
    : { id: Actor.ActorId.make(id), role, unitId }

const resident = person("resident", "resident", JINSHA)
const gridWorker = person("gw", "grid-worker", JINSHA)
const staff = person("cs", "community-staff", JINSHA)
/** One actor of every role, acting far from the case (a comment needs no jurisdiction). */
const everyone: ReadonlyArray<Actor.Actor> = Actor.roles.map((role) => person(`a-${role}`, role, PANLONG))

const report = (overrides: Partial<Omit<CaseCommand.Report, "_tag">> = {}): CaseCommand.Report => ({
  _tag: "Report",
  caseId: C,
  actor: gridWorker,
  at: at(0),
  source: "patrol",
  categoryId: CategoryId.make("市容环境.暴露垃圾"),
  urgency: "normal",
  description: "垃圾堆放",
  location: { unitId: JINSHA },
  communityId: JINSHA,
  tier: "community",
  anonymous: false,
  ...overrides
})

const comment = (
  actor: Actor.Actor,
  minutes: number,
  overrides: Partial<Omit<CaseCommand.Comment, "_tag">> = {}
): CaseCommand.Comment => ({
  _tag: "Comment",
  caseId: C,
  actor,
  at: at(minutes),
  text: "群众补充：垃圾已堆放三天",
  visibility: "public",
  ...overrides
})

const run = (
  commands: ReadonlyArray<CaseCommand.CaseCommand>,
  from: Case.State = Case.initial
): Case.Case => {
  let state = from
  for (const command of commands) {
    const result = Case.execute(state, command)
    if (Either.isLeft(result)) return assert.fail(result.left.message)
    state = result.right.state
  }
  if (state._tag === "NoCase") return assert.fail("no case")
  return state
}

const rulesOf = (command: CaseCommand.CaseCommand, state: Case.State): ReadonlyArray<string> =>
  Either.match(Case.decide(command, state), {
    onLeft: (e) => e.violations.map((v) => v.rule),
    onRight: () => []
  })

/** The state without what a comment may change. */
const unchanged = (s: Case.Case) => {
  const { version: _v, commentedAt: _c, ...rest } = s
  return rest
}

describe("Comment — the transition table", () => {
  it("every status has a Comment row leading back to itself; before a case exists there is none", () => {
    for (const status of Case.statuses) {
      expect(Case.isAllowed(status, "Comment")).toBe(true)
      const row = Case.transitions.find((t) => t.from === status && t.command === "Comment")
      expect(row?.to).toEqual([status])
    }
    expect(Case.isAllowed("none", "Comment")).toBe(false)
    expect(Case.authorities.Comment).toEqual(["anyone"])
    expect(CaseEvent.eventNames.Commented).toBe("评论")
    expect(Case.commandNames.Comment.zh).toBe("评论")
  })

  it("a comment on no case is refused (case-not-found)", () => {
    expect(rulesOf(comment(resident, 0), Case.initial)).toEqual(["case-not-found"])
  })
})

describe("Comment — properties over generated histories", () => {
  const visibility = fc.constantFrom<Case.CommentVisibility>("public", "internal")
  const anyComment = Arbitrary.make(CaseCommand.Comment)
  const runs = { fastCheck: { ...CaseHistory.parameters, numRuns: 60 } }

  it.prop(
    "in every state a history reaches, anyone's public comment and staff's internal one give one Commented and change nothing but version and commentedAt; a resident's internal one is refused",
    [
      CaseHistory.history(),
      fc.nat(),
      fc.constantFrom(...everyone),
      visibility,
      anyComment,
      fc.integer({ min: 0, max: 600 })
    ],
    ([h, pick, actor, vis, generated, minutes]) => {
      const prefixes = h.events.length
      if (prefixes === 0) return
      const state = Case.fold(h.events.slice(0, 1 + (pick % prefixes)))
      if (state._tag !== "Case") return assert.fail("no case")
      const last = Math.max(state.updatedAt.epochMillis, state.commentedAt?.epochMillis ?? 0)
      const command: CaseCommand.Comment = {
        ...generated,
        caseId: state.id,
        actor,
        visibility: vis,
        at: DateTime.unsafeMake(last + minutes * 60_000)
      }
      const result = Case.execute(state, command)
      const blank = command.text.trim().length === 0
      const internalByResident = vis === "internal" && !Case.internalCommentRoles.has(actor.role)
      if (blank || internalByResident) {
        if (Either.isRight(result)) return assert.fail("expected a refusal")
        const rules = result.left.violations.map((v) => v.rule)
        expect(rules.includes("note-required")).toBe(blank)
        expect(rules.includes("internal-comment-staff")).toBe(internalByResident)
        expect(result.left.status).toBe(state.status)
        return
      }
      if (Either.isLeft(result)) return assert.fail(result.left.message)
      const { events, state: after } = result.right
      expect(events.length).toBe(1)
      const [e] = events
      if (e === undefined || e._tag !== "Commented") return assert.fail("expected Commented")
      expect(e.sequence).toBe(state.version + 1)
      expect(e.text).toBe(command.text.trim())
      expect(e.visibility).toBe(vis)
      expect(e.media).toEqual(
        command.media === undefined || command.media.length === 0 ? undefined : command.media
      )
      expect(CaseEvent.isInternal(e)).toBe(vis === "internal")
      if (after._tag !== "Case") return assert.fail("no case")
      expect(after.status).toBe(state.status)
      expect(after.updatedAt).toEqual(state.updatedAt)
      expect(after.commentedAt).toEqual(command.at)
      expect(after.version).toBe(state.version + 1)
      expect(unchanged(after)).toEqual(unchanged(state))
      // the stored history with the comment folds and replays to the same state
      const history = [...h.events.slice(0, state.version), e]
      expect(Case.fold(history)).toEqual(after)
      expect(Case.replay(history)).toEqual(Either.right(after))
      // the event round-trips through JSON
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(CaseEvent.CaseEvent)(e)))
      expect(Schema.decodeUnknownSync(CaseEvent.CaseEvent)(json)).toEqual(e)
    },
    runs
  )
})

describe("Comment — rules", () => {
  const closedCase = () =>
    run([
      report(),
      { _tag: "Accept", caseId: C, actor: staff, at: at(1) },
      { _tag: "Dispatch", caseId: C, actor: staff, at: at(2), target: { _tag: "Unit", unitId: JINSHA } },
      { _tag: "Handle", caseId: C, actor: staff, at: at(3), result: "已清运", evidence: ["e1"] },
      { _tag: "Verify", caseId: C, actor: staff, at: at(4), outcome: "pass" }
    ])

  it("closed, voided and merged cases take comments and stay as they are", () => {
    const closed = closedCase()
    expect(run([comment(resident, 10)], closed).status).toBe("closed")
    const voided = run([
      report(),
      { _tag: "Void", caseId: C, actor: staff, at: at(1), reason: "duplicate", note: "重复" }
    ])
    expect(run([comment(staff, 2, { visibility: "internal" })], voided).status).toBe("voided")
    const merged = run([
      report(),
      { _tag: "Merge", caseId: C, actor: staff, at: at(1), targetId: Case.CaseId.make("case-2") }
    ])
    const after = run([comment(everyone[7] ?? staff, 2, { visibility: "internal" })], merged)
    expect([after.status, after.mergedInto]).toEqual(["merged", "case-2"])
  })

  it("only staff roles write internal comments (internal-comment-staff); every role writes public ones", () => {
    const state = closedCase()
    for (const actor of everyone) {
      expect(rulesOf(comment(actor, 10), state)).toEqual([])
      const internal = rulesOf(comment(actor, 10, { visibility: "internal" }), state)
      expect([actor.role, internal]).toEqual([
        actor.role,
        actor.role === "resident" ? ["internal-comment-staff"] : []
      ])
    }
    const refusal = Case.decide(comment(resident, 10, { visibility: "internal" }), state)
    if (Either.isRight(refusal)) return assert.fail("expected a refusal")
    expect(refusal.left.message).toContain("内部评论仅限工作人员")
    expect(refusal.left.message).toContain("internal-comment-staff")
  })

  it("a blank text is refused (note-required), with every other rule broken", () => {
    const state = closedCase()
    expect(rulesOf(comment(resident, 10, { text: " \n\t" }), state)).toEqual(["note-required"])
    expect(rulesOf(comment(resident, 10, { text: "", visibility: "internal" }), state)).toEqual([
      "internal-comment-staff",
      "note-required"
    ])
  })

  it("a comment keeps updatedAt (status changes) but no later command may be dated before it (time-order)", () => {
    const closed = closedCase()
    const commented = run([comment(resident, 30)], closed)
    expect(commented.updatedAt).toEqual(closed.updatedAt)
    expect(commented.commentedAt).toEqual(at(30))
    const evaluate: CaseCommand.CaseCommand = {
      _tag: "Evaluate",
      caseId: C,
      actor: person("hotline", "hotline", PANLONG),
      at: at(20),
      rating: "satisfied"
    }
    expect(rulesOf(evaluate, commented)).toEqual(["time-order"])
    expect(rulesOf(comment(staff, 29), commented)).toEqual(["time-order"])
    const evaluated = run([{ ...evaluate, at: at(30) }], commented)
    expect(evaluated.updatedAt).toEqual(at(30))
    expect(evaluated.commentedAt).toEqual(at(30))
  })
})

describe("附件 media and 地址编码 addressId", () => {
  const decodeReport = Schema.decodeUnknownEither(CaseCommand.Report)
  const encodedReport = (extra: Record<string, unknown>) => ({
    ...Schema.encodeSync(CaseCommand.Report)(report()),
    ...extra
  })
  const messageOf = (x: Either.Either<unknown, { readonly message: string }>): string =>
    Either.match(x, { onLeft: (e) => e.message, onRight: () => "" })

  it("media are at most 10 absolute http(s) URLs of at most 2048 characters (rule media-url / max-items)", () => {
    const ok = ["https://example.org/a.jpg", "http://10.0.0.1:8080/p?x=1#f", "HTTPS://EXAMPLE.ORG/B.PNG"]
    expect(Either.isRight(decodeReport(encodedReport({ media: ok })))).toBe(true)
    for (const bad of [
      "ftp://example.org/a.jpg",
      "javascript:alert(1)",
      "data:image/png;base64,AAAA",
      "/relative/a.jpg",
      "example.org/a.jpg",
      "https://",
      "http:///nohost",
      `https://example.org/${"x".repeat(2048)}`,
      "https://exa mple.org/a.jpg",
      "https://example.org/a\nb.jpg"
    ]) {
      const m = messageOf(decodeReport(encodedReport({ media: [bad] })))
      expect([bad, m.length > 0]).toEqual([bad, true])
    }
    expect(messageOf(decodeReport(encodedReport({ media: ["ftp://example.org/a.jpg"] })))).toContain(
      "media-url"
    )
    const eleven = Array.from({ length: 11 }, (_, i) => `https://example.org/${i}.jpg`)
    expect(messageOf(decodeReport(encodedReport({ media: eleven })))).toContain("max-items")
    expect(Either.isRight(decodeReport(encodedReport({ media: eleven.slice(0, 10) })))).toBe(true)
    const decodeComment = Schema.decodeUnknownEither(CaseCommand.Comment)
    const encodedComment = Schema.encodeSync(CaseCommand.Comment)(comment(resident, 1))
    expect(messageOf(decodeComment({ ...encodedComment, media: ["file:///etc/passwd"] }))).toContain(
      "media-url"
    )
    expect(messageOf(decodeComment({ ...encodedComment, visibility: "secret" }))).not.toBe("")
  })

  it.prop(
    "generated media URLs are valid media (the schema's own arbitrary)",
    [Arbitrary.make(Case.Media)],
    ([m]) => {
      expect(Schema.is(Case.Media)(m)).toBe(true)
      expect(m.length).toBeLessThanOrEqual(Case.maxMedia)
    }
  )

  it("a report's media and address id are recorded in Reported and kept in the case; empty media are none", () => {
    const media = ["https://example.org/a.jpg", "https://example.org/b.jpg"]
    const location = { unitId: JINSHA, address: "金沙社区 3 栋", addressId: "fms-addr-0042" }
    const events = Either.getOrThrow(Case.decide(report({ media, location }), Case.initial))
    const [reported] = events
    if (reported === undefined || reported._tag !== "Reported") return assert.fail("no Reported")
    expect(reported.media).toEqual(media)
    expect(reported.location.addressId).toBe("fms-addr-0042")
    const state = Case.fold(events)
    if (state._tag !== "Case") return assert.fail("no case")
    expect(state.media).toEqual(media)
    expect(state.location).toEqual(location)
    const none = Case.fold(Either.getOrThrow(Case.decide(report({ media: [] }), Case.initial)))
    expect(none._tag === "Case" && "media" in none).toBe(false)
    // self-handling keeps them too
    const selfHandled = run([
      { ...report({ media, location }), _tag: "SelfHandle", result: "已清理", evidence: ["e1"] }
    ])
    expect([selfHandled.status, selfHandled.media, selfHandled.location.addressId]).toEqual([
      "closed",
      media,
      "fms-addr-0042"
    ])
  })

  it("a comment's media are recorded in Commented, not in the case", () => {
    const state = run([report(), comment(resident, 1, { media: ["https://example.org/c.jpg"] })])
    expect(state.media).toBeUndefined()
    const events = Either.getOrThrow(
      Case.decide(comment(resident, 2, { media: ["https://example.org/d.jpg"] }), state)
    )
    expect(events[0]).toMatchObject({ _tag: "Commented", media: ["https://example.org/d.jpg"] })
  })

  it("an address id is bounded like an id (Text.Id: one line, at most 128 characters)", () => {
    expect(
      messageOf(decodeReport(encodedReport({ location: { unitId: JINSHA, addressId: "x".repeat(129) } })))
    ).toContain("max-length")
    expect(
      messageOf(decodeReport(encodedReport({ location: { unitId: JINSHA, addressId: "a\nb" } })))
    ).toContain("no-control-characters")
  })

  it("events and states stored before media, address ids and comments keep decoding", () => {
    const old = {
      _tag: "Reported",
      caseId: "case-old",
      sequence: 1,
      at: "2023-05-01T02:00:00.000Z",
      actor: { id: "gw", role: "grid-worker", unitId: "c-jinsha" },
      source: "patrol",
      categoryId: "市容环境.暴露垃圾",
      urgency: "normal",
      description: "垃圾堆放",
      location: { unitId: "c-jinsha", address: "一个很长的旧地址" },
      communityId: "c-jinsha",
      tier: "community",
      ownerUnitId: "c-jinsha",
      anonymous: false,
      attributes: {}
    }
    const event = Schema.decodeUnknownSync(CaseEvent.CaseEvent)(old)
    const state = Case.fold([event])
    if (state._tag !== "Case") return assert.fail("no case")
    expect(state.media).toBeUndefined()
    expect(state.commentedAt).toBeUndefined()
    const encoded = Schema.encodeSync(Case.State)(state) as Record<string, unknown>
    expect("media" in encoded || "commentedAt" in encoded).toBe(false)
    expect(Schema.decodeUnknownSync(Case.State)(encoded)).toEqual(state)
  })
})
