/**
 * 微心愿 — the micro-wish decider (seed 000's "微心愿圆梦行动"): the lifecycle
 * posted → claimed → fulfilled (with evidence) → confirmed, withdrawal,
 * cancellation and released claims, the one-claimant rule, who may do what,
 * and — by model-based property tests — the invariants of the brief.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { type Actor, ActorId, type Role } from "../src/Actor.js"
import * as MicroWish from "../src/MicroWish.js"
import { UnitId } from "../src/Unit.js"

// -----------------------------------------------------------------------------
// the world
// -----------------------------------------------------------------------------

const JINSHA = UnitId.make("c-jinsha")
const OTHER = UnitId.make("c-other")
const STREET = UnitId.make("s-qingyun")
const HOUSE = UnitId.make("h-5-3-201")

const person = (id: string, role: Role, unitId: UnitId): Actor => ({ id: ActorId.make(id), role, unitId })

const household = person("resident-5-3-201", "resident", HOUSE)
const gridWorker = person("gw-1", "grid-worker", JINSHA)
const staff = person("cs-1", "community-staff", JINSHA)
const otherStaff = person("cs-9", "community-staff", OTHER)
const partyMember = person("pm-li", "street-staff", STREET)
const donor = person("donor-wang", "resident", OTHER)
const organisation = person("org-chunhui", "resident", JINSHA)
const system = person("system", "system", STREET)

const claimantOf = (actor: Actor, kind: MicroWish.ClaimantKind, label: string): MicroWish.Claimant => ({
  id: actor.id,
  kind,
  label
})
const liClaim = claimantOf(partyMember, "party-member", "党员 李某")
const wangClaim = claimantOf(donor, "donor", "爱心人士 王某")
const chunhuiClaim = claimantOf(organisation, "organisation", "春晖公益")

const T0 = Date.UTC(2024, 4, 10, 1, 0)
const at = (minutes: number): DateTime.Utc => DateTime.unsafeMake(T0 + minutes * 60_000)
const W = MicroWish.WishId.make("wish-2024-017")

const post = (overrides: Partial<Omit<MicroWish.Post, "_tag">> = {}): MicroWish.Post => ({
  _tag: "Post",
  wishId: W,
  actor: gridWorker,
  at: at(0),
  household: { unitId: HOUSE, label: "5号楼3单元 困难家庭" },
  communityId: JINSHA,
  title: "给上三年级的孩子买一个新书包",
  description: "网格走情、爱心敲门时征集",
  estimatedValue: 120,
  categories: ["学习用品", "儿童关爱"],
  ...overrides
})

const claim = (actor: Actor, claimant: MicroWish.Claimant, minutes = 10): MicroWish.Claim => ({
  _tag: "Claim",
  wishId: W,
  actor,
  at: at(minutes),
  claimant
})

const fulfil = (actor: Actor, evidence: ReadonlyArray<string>, minutes = 20): MicroWish.Fulfil => ({
  _tag: "Fulfil",
  wishId: W,
  actor,
  at: at(minutes),
  evidence
})

const confirm = (actor: Actor, minutes = 30): MicroWish.Confirm => ({
  _tag: "Confirm",
  wishId: W,
  actor,
  at: at(minutes)
})

/** Runs commands that must all be accepted; returns the events and the state. */
const run = (
  commands: ReadonlyArray<MicroWish.MicroWishCommand>
): { readonly events: ReadonlyArray<MicroWish.MicroWishEvent>; readonly state: MicroWish.State } => {
  let state = MicroWish.initial
  const events: Array<MicroWish.MicroWishEvent> = []
  for (const command of commands) {
    const result = MicroWish.execute(state, command)
    if (Either.isLeft(result)) throw new Error(`unexpected refusal: ${result.left.message}`)
    events.push(...result.right.events)
    state = result.right.state
  }
  return { events, state }
}

const refusal = (state: MicroWish.State, command: MicroWish.MicroWishCommand): MicroWish.MicroWishRefused => {
  const result = MicroWish.decide(command, state)
  if (Either.isRight(result)) throw new Error(`expected a refusal of ${command._tag}`)
  return result.left
}

const rulesOf = (e: MicroWish.MicroWishRefused): ReadonlyArray<MicroWish.RefusalRule> =>
  e.violations.map((v) => v.rule)

const wishOf = (state: MicroWish.State): MicroWish.MicroWish => {
  if (!MicroWish.isWish(state)) throw new Error("no wish")
  return state
}

// -----------------------------------------------------------------------------
// examples
// -----------------------------------------------------------------------------

describe("MicroWish — the lifecycle (seed 000: 微心愿圆梦行动)", () => {
  it("征集 → 认领 → 圆梦 → 确认: a grid worker posts, a party member claims, fulfils with a photo, the community confirms", () => {
    const { events, state } = run([
      post(),
      claim(partyMember, liClaim),
      fulfil(partyMember, ["photo://wish-2024-017/handover.jpg", "receipt://2024-05-10/0031"]),
      confirm(staff)
    ])
    expect(events.map((e) => e._tag)).toEqual(["Posted", "Claimed", "Fulfilled", "Confirmed"])
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4])
    expect(events.map((e) => e.actor.id)).toEqual(["gw-1", "pm-li", "pm-li", "cs-1"])
    const wish = wishOf(state)
    expect(wish.status).toBe("confirmed")
    expect(MicroWish.statusNames[wish.status]).toBe("已确认")
    expect(wish.claimant).toEqual(liClaim)
    expect(wish.evidence).toHaveLength(2)
    expect(wish.confirmedBy).toBe("cs-1")
    expect(DateTime.toEpochMillis(wish.updatedAt)).toBe(T0 + 30 * 60_000)
    expect(MicroWish.isEnd(wish.status)).toBe(true)
  })

  it("一个心愿一人认领: a second claim is refused naming the current claimant", () => {
    const { state } = run([post(), claim(partyMember, liClaim)])
    const e = refusal(state, claim(donor, wangClaim, 15))
    expect(e.rule).toBe("already-claimed")
    expect(e.status).toBe("claimed")
    expect(e.claimant).toEqual(liClaim)
    expect(e.message).toContain("党员 李某")
    expect(e.message).toContain("wish-2024-017")
  })

  it("放弃认领: a released claim puts the wish back to posted, and another claimant may take it", () => {
    const { state, events } = run([
      post(),
      claim(partyMember, liClaim),
      { _tag: "ReleaseClaim", wishId: W, actor: partyMember, at: at(12), reason: "出差" },
      claim(organisation, chunhuiClaim, 14)
    ])
    expect(events.map((e) => e._tag)).toEqual(["Posted", "Claimed", "ClaimReleased", "Claimed"])
    expect(events[2]).toMatchObject({ claimant: liClaim, reason: "出差" })
    expect(wishOf(state).claimant).toEqual(chunhuiClaim)
  })

  it("evidence-required: fulfilment without a photo or receipt is refused, and so is a blank reference", () => {
    const { state } = run([post(), claim(partyMember, liClaim)])
    expect(rulesOf(refusal(state, fulfil(partyMember, [])))).toEqual(["evidence-required"])
    expect(rulesOf(refusal(state, fulfil(partyMember, ["photo://1.jpg", "  "])))).toEqual([
      "evidence-required"
    ])
  })

  it("status: a claimed wish cannot be confirmed — confirmation needs a fulfilment first", () => {
    const { state } = run([post(), claim(partyMember, liClaim)])
    const e = refusal(state, confirm(staff))
    expect(e.rule).toBe("status")
    expect(e.claimant).toEqual(liClaim)
  })

  it("status: a posted wish cannot be fulfilled before someone claims it", () => {
    const { state } = run([post()])
    expect(rulesOf(refusal(state, fulfil(staff, ["photo://1.jpg"])))).toContain("status")
  })

  it("role / jurisdiction: only community staff of the wish's community confirm", () => {
    const { state } = run([post(), claim(partyMember, liClaim), fulfil(partyMember, ["photo://1.jpg"])])
    expect(refusal(state, confirm(gridWorker)).rule).toBe("role")
    expect(refusal(state, confirm(partyMember)).rule).toBe("role")
    expect(refusal(state, confirm(otherStaff)).rule).toBe("jurisdiction")
  })

  it("claimant: a donor may claim only for themself; a grid worker may record a claim for someone", () => {
    const { state } = run([post()])
    expect(refusal(state, claim(donor, liClaim)).rule).toBe("claimant")
    expect(refusal(state, claim(system, { ...liClaim, id: system.id })).rule).toBe("role")
    expect(Either.isRight(MicroWish.decide(claim(gridWorker, wangClaim), state))).toBe(true)
  })

  it("claimant: only the claimant (or the community) releases a claim or records the fulfilment", () => {
    const { state } = run([post(), claim(partyMember, liClaim)])
    expect(refusal(state, { _tag: "ReleaseClaim", wishId: W, actor: donor, at: at(11) }).rule).toBe(
      "claimant"
    )
    expect(refusal(state, fulfil(donor, ["photo://1.jpg"])).rule).toBe("claimant")
    expect(Either.isRight(MicroWish.decide(fulfil(gridWorker, ["photo://1.jpg"]), state))).toBe(true)
  })

  it("撤回: the household that posted a wish may withdraw it before fulfilment, not after", () => {
    const posted = run([post({ actor: household })])
    const withdrawn = MicroWish.execute(posted.state, {
      _tag: "Withdraw",
      wishId: W,
      actor: household,
      at: at(5),
      reason: "已有亲戚帮忙"
    })
    expect(Either.isRight(withdrawn)).toBe(true)
    if (Either.isRight(withdrawn)) {
      expect(wishOf(withdrawn.right.state)).toMatchObject({ status: "withdrawn", endReason: "已有亲戚帮忙" })
    }
    const fulfilled = run([
      post({ actor: household }),
      claim(partyMember, liClaim),
      fulfil(partyMember, ["p"])
    ])
    const late = refusal(fulfilled.state, { _tag: "Withdraw", wishId: W, actor: household, at: at(40) })
    expect(late.rule).toBe("status")
    expect(refusal(posted.state, { _tag: "Withdraw", wishId: W, actor: donor, at: at(5) }).rule).toBe(
      "poster"
    )
  })

  it("取消: the community cancels a claimed wish with a reason; the claimant stays on record", () => {
    const { state } = run([post(), claim(partyMember, liClaim)])
    expect(
      rulesOf(refusal(state, { _tag: "Cancel", wishId: W, actor: staff, at: at(20), reason: " " }))
    ).toEqual(["reason-required"])
    const done = run([
      post(),
      claim(partyMember, liClaim),
      { _tag: "Cancel", wishId: W, actor: staff, at: at(20), reason: "重复登记" }
    ])
    expect(wishOf(done.state)).toMatchObject({
      status: "cancelled",
      endReason: "重复登记",
      claimant: liClaim
    })
  })

  it("Post reports every broken rule at once: blank title, negative value, blank tag, wrong community", () => {
    const e = refusal(
      MicroWish.initial,
      post({ actor: otherStaff, title: "  ", estimatedValue: -5, categories: ["学习用品", " "] })
    )
    expect(rulesOf(e)).toEqual(["jurisdiction", "title-required", "estimated-value", "category"])
    expect(e.status).toBe("none")
    expect(rulesOf(refusal(MicroWish.initial, post({ estimatedValue: Number.NaN })))).toEqual([
      "estimated-value"
    ])
  })

  it("Post: the household resident may post for its own household; tags are trimmed and de-duplicated", () => {
    const { state } = run([post({ actor: household, categories: [" 学习用品", "学习用品 ", "助学"] })])
    expect(wishOf(state).categories).toEqual(["学习用品", "助学"])
    expect(wishOf(state).postedBy).toBe(household.id)
    const stranger = person("resident-x", "resident", OTHER)
    expect(refusal(MicroWish.initial, post({ actor: stranger })).rule).toBe("jurisdiction")
  })

  it("wish-not-found / wish-exists / wish-id / time-order", () => {
    expect(refusal(MicroWish.initial, claim(partyMember, liClaim)).rule).toBe("wish-not-found")
    const { state } = run([post(), claim(partyMember, liClaim, 30)])
    expect(rulesOf(refusal(state, post({ at: at(40) })))).toContain("wish-exists")
    const other = MicroWish.WishId.make("wish-other")
    expect(rulesOf(refusal(state, { ...fulfil(partyMember, ["p"], 40), wishId: other }))).toContain("wish-id")
    expect(rulesOf(refusal(state, fulfil(partyMember, ["p"], 29)))).toEqual(["time-order"])
  })

  it("transitions: the table says what isAllowed answers, and no command leaves confirmed, withdrawn or cancelled", () => {
    for (const t of MicroWish.transitions) expect(MicroWish.isAllowed(t.from, t.command)).toBe(true)
    for (const status of ["confirmed", "withdrawn", "cancelled"] as const) {
      for (const tag of MicroWish.CommandTag.literals) expect(MicroWish.isAllowed(status, tag)).toBe(false)
    }
    expect(MicroWish.transitions.filter((t) => t.to === "confirmed").map((t) => t.from)).toEqual([
      "fulfilled"
    ])
  })

  it("evolve ignores an event that does not continue the wish; replay reports it", () => {
    const { events, state } = run([post(), claim(partyMember, liClaim)])
    const [posted, claimed] = events
    if (posted === undefined || claimed === undefined) throw new Error("events")
    expect(MicroWish.evolve(state, claimed)).toBe(state)
    expect(MicroWish.evolve(MicroWish.initial, claimed)).toBe(MicroWish.initial)
    const gap = MicroWish.replay([posted, { ...claimed, sequence: 3 }])
    expect(Either.isLeft(gap) && gap.left.rule).toBe("sequence")
    const foreign = MicroWish.replay([posted, { ...claimed, wishId: MicroWish.WishId.make("w-x") }])
    expect(Either.isLeft(foreign) && foreign.left.rule).toBe("wish-id")
    const twice = MicroWish.replay([posted, { ...posted, sequence: 2 }])
    expect(Either.isLeft(twice) && twice.left.rule).toBe("first-event")
  })

  it("events and states encode to JSON and decode back", () => {
    const { events, state } = run([
      post(),
      claim(partyMember, liClaim),
      fulfil(partyMember, ["photo://1.jpg"])
    ])
    const codec = Schema.Array(MicroWish.MicroWishEvent)
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(codec)(events)))
    expect(Schema.decodeUnknownSync(codec)(json)).toEqual(events)
    const stateJson = JSON.parse(JSON.stringify(Schema.encodeSync(MicroWish.State)(state)))
    expect(Schema.decodeUnknownSync(MicroWish.State)(stateJson)).toEqual(state)
  })
})

// -----------------------------------------------------------------------------
// model-based properties
// -----------------------------------------------------------------------------

const pool: ReadonlyArray<Actor> = [
  household,
  gridWorker,
  staff,
  otherStaff,
  partyMember,
  donor,
  organisation,
  system
]
const claimants: ReadonlyArray<{ readonly actor: Actor; readonly claimant: MicroWish.Claimant }> = [
  { actor: partyMember, claimant: liClaim },
  { actor: donor, claimant: wangClaim },
  { actor: organisation, claimant: chunhuiClaim }
]

interface Intent {
  readonly legal: boolean
  readonly tag: number
  readonly actor: number
  readonly claimant: number
  readonly broken: boolean
  readonly wrongWish: boolean
  readonly dt: number
  readonly variant: number
}

const intent: fc.Arbitrary<Intent> = fc.record({
  legal: fc.integer({ min: 0, max: 9 }).map((n) => n < 7),
  tag: fc.nat({ max: 1000 }),
  actor: fc.nat({ max: pool.length - 1 }),
  claimant: fc.nat({ max: claimants.length - 1 }),
  broken: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  wrongWish: fc.integer({ min: 0, max: 29 }).map((n) => n === 0),
  dt: fc.oneof(
    { weight: 19, arbitrary: fc.integer({ min: 0, max: 600 }) },
    { weight: 1, arbitrary: fc.integer({ min: -60, max: -1 }) }
  ),
  variant: fc.nat({ max: 1000 })
})

const pick = <A>(items: ReadonlyArray<A>, n: number, fallback: A): A => items[n % items.length] ?? fallback

const rightActor = (
  tag: MicroWish.CommandTag,
  state: MicroWish.State,
  claimFor: Actor,
  variant: number
): Actor => {
  const community = [gridWorker, staff]
  switch (tag) {
    case "Post":
      return pick([household, gridWorker, staff], variant, staff)
    case "Claim":
      return pick([claimFor, ...community], variant, staff)
    case "ReleaseClaim":
    case "Fulfil": {
      const current = MicroWish.isWish(state) ? state.claimant : null
      const claimer = claimants.find((c) => c.claimant.id === current?.id)?.actor ?? staff
      return pick([claimer, ...community], variant, staff)
    }
    case "Withdraw": {
      const poster = pool.find((a) => MicroWish.isWish(state) && a.id === state.postedBy) ?? staff
      return pick([poster, ...community], variant, staff)
    }
    case "Confirm":
    case "Cancel":
      return staff
  }
}

/** Commands that end a wish early; the model picks them rarely so runs reach deep into the lifecycle. */
const ending: ReadonlySet<MicroWish.CommandTag> = new Set(["Withdraw", "Cancel", "ReleaseClaim"])

/** The command an intent stands for in a state, and whether the model expects it accepted. */
const commandFor = (
  i: Intent,
  state: MicroWish.State,
  now: number
): { readonly command: MicroWish.MicroWishCommand; readonly expectAccepted: boolean } => {
  const legalTags = MicroWish.transitions
    .filter((t) => t.from === (MicroWish.isWish(state) ? state.status : "none"))
    .flatMap((t) => Array.from({ length: ending.has(t.command) ? 1 : 8 }, () => t.command))
  const legal = i.legal && legalTags.length > 0
  const tag = legal ? pick(legalTags, i.tag, "Post") : pick(MicroWish.CommandTag.literals, i.tag, "Post")
  const who = pick(claimants, i.claimant, { actor: donor, claimant: wangClaim })
  const actor = legal ? rightActor(tag, state, who.actor, i.variant) : pick(pool, i.actor, staff)
  const wrongWish = i.wrongWish && MicroWish.isWish(state)
  const wishId = wrongWish ? MicroWish.WishId.make("wish-other") : W
  const time = DateTime.unsafeMake(now + i.dt * 60_000)
  const meta = { wishId, actor, at: time }
  const broken = i.broken
  let command: MicroWish.MicroWishCommand
  switch (tag) {
    case "Post":
      command = {
        _tag: "Post",
        ...meta,
        household: { unitId: HOUSE, label: "5号楼3单元 困难家庭" },
        communityId: JINSHA,
        title: broken && i.variant % 3 === 0 ? " " : "轮椅一台",
        description: "",
        estimatedValue: broken && i.variant % 3 === 1 ? -1 : i.variant,
        categories: broken && i.variant % 3 === 2 ? [""] : ["助残"]
      }
      break
    case "Claim":
      command = { _tag: "Claim", ...meta, claimant: who.claimant }
      break
    case "ReleaseClaim":
      command = { _tag: "ReleaseClaim", ...meta }
      break
    case "Fulfil":
      command = { _tag: "Fulfil", ...meta, evidence: broken ? [] : [`photo://${i.variant}.jpg`] }
      break
    case "Confirm":
      command = { _tag: "Confirm", ...meta }
      break
    case "Withdraw":
      command = { _tag: "Withdraw", ...meta, reason: broken ? "" : "不需要了" }
      break
    case "Cancel":
      command = { _tag: "Cancel", ...meta, reason: broken ? "" : "不符合条件" }
      break
  }
  const brokenMatters =
    broken && tag !== "Claim" && tag !== "ReleaseClaim" && tag !== "Confirm" && tag !== "Withdraw"
  const expectAccepted = legal && !brokenMatters && !wrongWish && (i.dt >= 0 || !MicroWish.isWish(state))
  return { command, expectAccepted }
}

interface Trace {
  readonly events: ReadonlyArray<MicroWish.MicroWishEvent>
  readonly state: MicroWish.State
  readonly states: ReadonlyArray<MicroWish.State>
}

/** Runs intents through the decider, checking every step on the way. */
const simulate = (intents: ReadonlyArray<Intent>): Trace => {
  let state = MicroWish.initial
  let now = T0
  const events: Array<MicroWish.MicroWishEvent> = []
  const states: Array<MicroWish.State> = []
  for (const i of intents) {
    const { command, expectAccepted } = commandFor(i, state, now)
    const before = Schema.encodeSync(MicroWish.State)(state)
    const result = MicroWish.execute(state, command)
    if (Either.isLeft(result)) {
      expect(expectAccepted, result.left.message).toBe(false)
      // illegal commands leave state unchanged
      expect(Schema.encodeSync(MicroWish.State)(state)).toEqual(before)
      if (MicroWish.isWish(state) && state.claimant !== null)
        expect(result.left.claimant).toEqual(state.claimant)
      if (command._tag === "Claim" && MicroWish.isWish(state) && state.status === "claimed") {
        expect(result.left.violations.map((v) => v.rule)).toContain("already-claimed")
      }
    } else {
      events.push(...result.right.events)
      state = result.right.state
      now = DateTime.toEpochMillis(command.at)
    }
    states.push(state)
  }
  return { events, state, states }
}

const intents = fc.array(intent, { minLength: 1, maxLength: 40 })

describe("MicroWish — invariants (model-based)", () => {
  it.prop(
    "a command the model deems legal is accepted; anything refused leaves the state unchanged",
    [intents],
    ([is]) => {
      simulate(is)
    }
  )

  it.prop(
    "one wish, one claimant: Claimed never follows Claimed without a ClaimReleased between",
    [intents],
    ([is]) => {
      const { events, states } = simulate(is)
      let active: MicroWish.Claimant | null = null
      for (const e of events) {
        if (e._tag === "Claimed") {
          expect(active).toBeNull()
          active = e.claimant
        } else if (e._tag === "ClaimReleased") {
          expect(e.claimant).toEqual(active)
          active = null
        }
      }
      for (const s of states) {
        if (
          MicroWish.isWish(s) &&
          (s.status === "claimed" || s.status === "fulfilled" || s.status === "confirmed")
        ) {
          expect(s.claimant).not.toBeNull()
        }
        if (MicroWish.isWish(s) && s.status === "posted") expect(s.claimant).toBeNull()
      }
    }
  )

  it.prop("confirmed only through fulfilled-with-evidence", [intents], ([is]) => {
    const { events, states } = simulate(is)
    events.forEach((e, k) => {
      if (e._tag === "Confirmed") {
        const previous = events[k - 1]
        expect(previous?._tag).toBe("Fulfilled")
        if (previous?._tag === "Fulfilled") expect(previous.evidence.length).toBeGreaterThan(0)
      }
      if (e._tag === "Fulfilled") expect(events[k - 1]?._tag).toBe("Claimed")
    })
    for (const s of states) {
      if (MicroWish.isWish(s) && s.status === "confirmed") {
        expect(s.evidence.length).toBeGreaterThan(0)
        expect(s.fulfilledAt).not.toBeNull()
      }
    }
  })

  it.prop(
    "fold(events) equals the incremental state; replay agrees; sequences are gapless",
    [intents],
    ([is]) => {
      const { events, state } = simulate(is)
      expect(MicroWish.fold(events)).toEqual(state)
      expect(events.map((e) => e.sequence)).toEqual(events.map((_, k) => k + 1))
      expect(MicroWish.replay(events)).toEqual(Either.right(state))
      expect(state.version).toBe(events.length)
      for (const e of events) expect(e.wishId).toBe(W)
    }
  )

  it.prop("every history encodes to JSON and decodes to the same events", [intents], ([is]) => {
    const { events } = simulate(is)
    const codec = Schema.Array(MicroWish.MicroWishEvent)
    expect(
      Schema.decodeUnknownSync(codec)(JSON.parse(JSON.stringify(Schema.encodeSync(codec)(events))))
    ).toEqual(events)
  })
})
