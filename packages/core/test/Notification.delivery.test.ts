/**
 * 通知投递 — the notifications subscriber end to end over the memory outbox
 * and the memory case store, with a recording `Notifier` that fails the
 * first attempt of some notifications: once the retries pass, every
 * notification of every stored event (`fromHistory`) was sent, each case's in
 * event order, a resent one identical to its first (same id, same content);
 * a failed send is a failed delivery the outbox retries. The log adapter
 * writes one line per notification with the reporter's phone masked.
 */
import * as CaseHistory from "@civicgrid/testkit/CaseHistory"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import * as Case from "../src/Case.js"
import * as CaseRepository from "../src/CaseRepository.js"
import * as EventDelivery from "../src/EventDelivery.js"
import * as Notification from "../src/Notification.js"

describe("Notification.subscriber over the outbox", () => {
  it.effect.prop(
    "every stored event's notifications are sent, per case in event order, retried failures resent identically",
    [CaseHistory.histories({ cases: { min: 1, max: 4 } }), fc.integer({ min: 0, max: 3 })],
    ([histories, flakyEvery]) =>
      Effect.gen(function* () {
        const memory = yield* EventDelivery.makeMemoryOutbox
        const repo = yield* CaseRepository.CaseRepository
        for (const h of histories.cases) {
          if (h.events.length === 0) continue
          yield* repo.append({ caseId: h.caseId, expectedVersion: 0, events: h.events })
        }
        yield* memory.record(histories.events)
        const sent: Array<Notification.Notification> = []
        const failedOnce = new Set<string>()
        let calls = 0
        const notifier = Notification.Notifier.of({
          send: (n) =>
            Effect.suspend(() => {
              calls++
              // every `flakyEvery`-th call fails the first time it sees a notification
              if (flakyEvery > 0 && calls % flakyEvery === 0 && !failedOnce.has(n.id)) {
                failedOnce.add(n.id)
                return Effect.fail(
                  new Notification.NotificationFailed({ notificationId: n.id, reason: "busy" })
                )
              }
              sent.push(n)
              return Effect.void
            })
        })
        const subscriber = Notification.subscriber()
        let failures = 0
        for (let round = 0; round < 1_000; round++) {
          const report = yield* EventDelivery.deliverOnce([subscriber], { batchSize: 7 }).pipe(
            Effect.provide(EventDelivery.layerMemory(memory)),
            Effect.provideService(Notification.Notifier, notifier)
          )
          failures += report.failed
          if (report.delivered + report.failed + report.deferred === 0) break
          yield* TestClock.adjust("2 hours")
        }
        expect(failures).toBe(failedOnce.size)
        const expected = histories.cases.flatMap((h) =>
          h.events.flatMap((e) => Notification.fromHistory(h.events, e.sequence))
        )
        const firsts = new Map<string, Notification.Notification>()
        for (const n of sent) {
          const first = firsts.get(n.id)
          if (first === undefined) firsts.set(n.id, n)
          else expect(n).toEqual(first)
        }
        expect([...firsts.keys()].sort()).toEqual(expected.map((n) => n.id).sort())
        for (const n of expected) expect(firsts.get(n.id)).toEqual(n)
        // per case, the first sends follow the events' order
        for (const h of histories.cases) {
          const order = [...firsts.values()]
            .filter((n) => n.caseId === h.caseId)
            .map((n) => Number(n.id.split(":")[1]))
          expect(order).toEqual([...order].sort((a, b) => a - b))
        }
      }).pipe(Effect.provide(CaseRepository.layerMemory())),
    { fastCheck: { ...CaseHistory.parameters, numRuns: 30 } }
  )

  it.effect("the log adapter: one line per notification, the phone masked, no name", () =>
    Effect.gen(function* () {
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const logger = Logger.make(({ message }) => {
        const text = Array.isArray(message) ? message.join(" ") : String(message)
        Effect.runSync(Ref.update(lines, (xs) => [...xs, text]))
      })
      const n: Notification.Notification = {
        id: "c1:3:statusChanged:reporter",
        trigger: "statusChanged",
        caseId: Case.CaseId.make("c1"),
        recipient: { _tag: "Reporter", phone: "+86 138 1234 5678", name: "王丽" },
        at: DateTime.unsafeMake(Date.UTC(2025, 2, 10, 1)),
        title: "案件进度 c1",
        body: "您反映的案件 c1 状态：待立案 → 已立案待派遣。"
      }
      yield* Effect.flatMap(Notification.Notifier, (notifier) => notifier.send(n)).pipe(
        Effect.provide(Layer.merge(Notification.layerLog, Logger.replace(Logger.defaultLogger, logger)))
      )
      const logged = yield* Ref.get(lines)
      expect(logged).toHaveLength(1)
      expect(logged[0]).toContain("+86 138 **** 5678")
      expect(logged[0]).not.toContain("1234 5678")
      expect(logged[0]).not.toContain("王丽")
      expect(logged[0]).toContain("c1:3:statusChanged:reporter")
    })
  )
})
