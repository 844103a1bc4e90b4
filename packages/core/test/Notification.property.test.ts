/**
 * 通知: the notifications of events and timer lights as properties over
 * generated histories — every dispatch tells its handler exactly once, a
 * supervision tells whoever answers for the case, a reporter hears of a status
 * change only with consent and a contact phone, ids are deterministic; a
 * light crossing is in a window iff its mark is, and windows that tile time
 * find each crossing once. Consent without a contact phone is refused.
 */
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { assert, describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Actor from "../src/Actor.js"
import * as Case from "../src/Case.js"
import { CategoryId } from "../src/CaseCategory.js"
import type { CaseCommand, Report } from "../src/CaseCommand.js"
import type { CaseEvent } from "../src/CaseEvent.js"
import * as Notification from "../src/Notification.js"
import { UnitId } from "../src/Unit.js"

const runs = { fastCheck: { ...CaseHistory.parameters, numRuns: 100 } }

/** Whether the reporter of a history may be told of status changes. */
const consenting = (events: ReadonlyArray<CaseEvent>): boolean => {
  const reported = events[0]
  return (
    reported?._tag === "Reported" &&
    reported.notifyReporter === true &&
    !reported.anonymous &&
    reported.contact?.phone !== undefined
  )
}

describe("Notification.fromEvent", () => {
  it.prop(
    "dispatched once to the handler per Dispatched; supervised once per Supervised; statusChanged iff the status changed with consent and a phone",
    [CaseHistory.history()],
    ([h]) => {
      let before: Case.State = Case.initial
      for (const event of h.events) {
        const after = Case.evolve(before, event)
        if (after._tag !== "Case") return assert.fail("no case after an event")
        const ns = Notification.fromHistory(h.events, event.sequence)
        const of = (trigger: Notification.Trigger) => ns.filter((n) => n.trigger === trigger)
        const dispatched = of("dispatched")
        if (event._tag === "Dispatched") {
          expect(dispatched).toHaveLength(1)
          expect(dispatched[0]?.recipient).toEqual(
            event.target._tag === "Unit"
              ? { _tag: "Unit", unitId: event.target.unitId }
              : { _tag: "Department", departmentId: event.target.departmentId }
          )
        } else {
          expect(dispatched).toHaveLength(0)
        }
        expect(of("supervised")).toHaveLength(event._tag === "Supervised" ? 1 : 0)
        if (event._tag === "Supervised")
          expect(of("supervised")[0]?.recipient).toEqual(Notification.responsibleOf(after))
        const changed = before._tag === "Case" && before.status !== after.status
        const told = of("statusChanged")
        expect(told).toHaveLength(changed && consenting(h.events) ? 1 : 0)
        for (const n of told) expect(n.recipient._tag).toBe("Reporter")
        // the lights are the job's, never an event's
        expect(of("lightYellow").length + of("lightRed").length).toBe(0)
        // deterministic: the same event gives the same notifications, whatever follows it
        expect(Notification.fromHistory(h.events.slice(0, event.sequence), event.sequence)).toEqual(ns)
        for (const n of ns)
          expect(n.id.startsWith(`${event.caseId}:${event.sequence}:${n.trigger}:`)).toBe(true)
        before = after
      }
      const ids = h.events.flatMap((e) => Notification.fromHistory(h.events, e.sequence).map((n) => n.id))
      expect(new Set(ids).size).toBe(ids.length)
    },
    runs
  )
})

// -----------------------------------------------------------------------------
// a consenting reporter, by hand
// -----------------------------------------------------------------------------

const JINSHA = UnitId.make("c-jinsha")
const staff: Actor.Actor = { id: Actor.ActorId.make("cs"), role: "community-staff", unitId: JINSHA }
const resident: Actor.Actor = { id: Actor.ActorId.make("r1"), role: "resident", unitId: JINSHA }
const T0 = Date.UTC(2024, 3, 8, 0, 30)
const at = (minutes: number): DateTime.Utc => DateTime.unsafeMake(T0 + minutes * 60_000)
const C = Case.CaseId.make("case-n")
const report = (overrides: Partial<Report> = {}): Report => ({
  _tag: "Report",
  caseId: C,
  actor: resident,
  at: at(0),
  source: "resident-app",
  categoryId: CategoryId.make("市容环境.暴露垃圾"),
  urgency: "normal",
  description: "垃圾堆放",
  location: { unitId: JINSHA },
  communityId: JINSHA,
  tier: "community",
  anonymous: false,
  contact: { name: "王丽", phone: "13812345678" },
  notifyReporter: true,
  ...overrides
})

const execute = (commands: ReadonlyArray<CaseCommand>): ReadonlyArray<CaseEvent> => {
  let state: Case.State = Case.initial
  const events: Array<CaseEvent> = []
  for (const command of commands) {
    const result = Case.execute(state, command)
    if (Either.isLeft(result)) return assert.fail(result.left.message)
    state = result.right.state
    events.push(...result.right.events)
  }
  return events
}

describe("consent 同意接收进度通知", () => {
  it("a consenting reporter with a phone is told of accept and dispatch; the handler of the dispatch", () => {
    const events = execute([
      report(),
      { _tag: "Accept", caseId: C, actor: staff, at: at(1) },
      { _tag: "Dispatch", caseId: C, actor: staff, at: at(2), target: { _tag: "Unit", unitId: JINSHA } }
    ])
    const state = Case.fold(events)
    expect(state._tag === "Case" && state.notifyReporter).toBe(true)
    const all = events.flatMap((e) => Notification.fromHistory(events, e.sequence))
    expect(all.map((n) => [n.id, n.trigger])).toEqual([
      ["case-n:2:statusChanged:reporter", "statusChanged"],
      ["case-n:3:dispatched:unit/c-jinsha", "dispatched"],
      ["case-n:3:statusChanged:reporter", "statusChanged"]
    ])
    expect(all[0]?.recipient).toEqual({ _tag: "Reporter", phone: "13812345678", name: "王丽" })
    expect(all[0]?.body).toContain("待立案 → 已立案待派遣")
    // the log line masks the phone and leaves the name out
    const line = Notification.describe(all[0] ?? assert.fail("none"))
    expect(line).toContain("138****5678")
    expect(line).not.toContain("13812345678")
    expect(line).not.toContain("王丽")
  })

  it("without consent nobody tells the reporter", () => {
    const events = execute([
      report({ notifyReporter: false }),
      { _tag: "Accept", caseId: C, actor: staff, at: at(1) }
    ])
    expect(events.flatMap((e) => Notification.fromHistory(events, e.sequence))).toEqual([])
  })

  it("consent without a contact phone, or anonymously, is refused (notify-needs-contact)", () => {
    const { contact: _, ...noContact } = report()
    const commands: ReadonlyArray<Report> = [
      { ...report(), contact: { name: "王丽" } },
      { ...noContact, anonymous: true },
      noContact
    ]
    for (const command of commands) {
      const refused = Case.decide(command, Case.initial)
      expect(Either.isLeft(refused) && refused.left.violations.map((v) => v.rule)).toContain(
        "notify-needs-contact"
      )
    }
  })

  it("masks a phone it does not recognise to its last 4 digits", () => {
    expect(Notification.maskPhone("13812345678")).toBe("138****5678")
    expect(Notification.maskPhone("12-34-56")).toBe("**-34-56")
  })
})

// -----------------------------------------------------------------------------
// timer lights
// -----------------------------------------------------------------------------

const summaryOf = (yellow: number, red: number, status: Case.Status = "dispatched") => ({
  caseId: C,
  status,
  step: "handling" as const,
  stepStartedAt: DateTime.unsafeMake(0),
  yellowAt: DateTime.unsafeMake(yellow),
  redAt: DateTime.unsafeMake(red)
})

const marks = fc
  .tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }))
  .map(([yellow, gap]) => ({ yellow, red: yellow + gap }))

describe("Notification.crossings", () => {
  it.prop(
    "a light is in the window iff its mark lies in (since, until]",
    [marks, fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 20_000 })],
    ([{ red, yellow }, a, b]) => {
      const [since, until] = a <= b ? [a, b] : [b, a]
      const found = Notification.crossings(
        summaryOf(yellow, red),
        DateTime.unsafeMake(since),
        DateTime.unsafeMake(until)
      )
      const inside = (t: number) => t > since && t <= until
      expect(found.map((c) => c.color)).toEqual([
        ...(inside(yellow) ? ["yellow"] : []),
        ...(inside(red) ? ["red"] : [])
      ])
    }
  )

  it.prop(
    "windows that tile time find each crossing exactly once, with the same notification ids",
    [marks, fc.uniqueArray(fc.integer({ min: 0, max: 20_000 }), { minLength: 2, maxLength: 12 })],
    ([{ red, yellow }, cuts]) => {
      const sorted = [...cuts].sort((x, y) => x - y)
      const first = sorted[0] ?? 0
      const last = sorted[sorted.length - 1] ?? 0
      const summary = summaryOf(yellow, red)
      const tiled = sorted
        .slice(1)
        .flatMap((t, k) =>
          Notification.crossings(summary, DateTime.unsafeMake(sorted[k] ?? 0), DateTime.unsafeMake(t))
        )
      const whole = Notification.crossings(summary, DateTime.unsafeMake(first), DateTime.unsafeMake(last))
      expect(tiled).toEqual(whole)
      const state = Case.fold(execute([report(), { _tag: "Accept", caseId: C, actor: staff, at: at(1) }]))
      if (state._tag !== "Case") return assert.fail("no case")
      const ids = tiled.map((c) => Notification.lightNotification(c, state).id)
      expect(new Set(ids).size).toBe(ids.length)
    }
  )

  it("a case not open or without a running clock crosses nothing", () => {
    expect(
      Notification.crossings(summaryOf(5, 10, "closed"), DateTime.unsafeMake(0), DateTime.unsafeMake(20))
    ).toEqual([])
    expect(
      Notification.crossings(
        { ...summaryOf(5, 10), redAt: null },
        DateTime.unsafeMake(0),
        DateTime.unsafeMake(20)
      )
    ).toEqual([])
  })
})
