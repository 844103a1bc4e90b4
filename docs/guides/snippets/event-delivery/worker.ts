import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as Notification from "@civicgrid/core/Notification"
import * as Scheduler from "@civicgrid/core/Scheduler"
import * as Webhook from "@civicgrid/http/Webhook"
import * as JetStream from "@civicgrid/nats/JetStream"
import * as SqlJobCursor from "@civicgrid/sql/SqlJobCursor"
import * as SqlLease from "@civicgrid/sql/SqlLease"
import * as SqlOutbox from "@civicgrid/sql/SqlOutbox"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"

export interface Options {
  readonly webhook: { readonly url: string; readonly secret: Redacted.Redacted<string> }
  readonly nats: { readonly servers: string; readonly stream: string; readonly subjectPrefix: string }
  /** Your text-message gateway: where a unit's or a department's duty phones are, and how to send. */
  readonly sms: {
    readonly phonesOf: (recipient: Notification.Recipient) => ReadonlyArray<string>
    readonly send: (phone: string, text: string, id: string) => Promise<void>
  }
  readonly deliveryInterval?: Duration.DurationInput // default "5 seconds"
  readonly jobInterval?: Duration.DurationInput // default "60 seconds"
}

// 1. 通知渠道 — a Notifier of your own: the core decides who is told and why (`Notification.fromEvent`,
// the light crossings); the adapter only looks up phones and sends. The id lets your gateway drop a
// message it has already sent (a notification may be sent again after a crash).
export const layerSms = (sms: Options["sms"]): Layer.Layer<Notification.Notifier> =>
  Layer.succeed(Notification.Notifier, {
    send: (n) =>
      Effect.forEach(
        sms.phonesOf(n.recipient),
        (phone) =>
          Effect.tryPromise({
            try: () => sms.send(phone, `${n.title}\n${n.body}`, n.id),
            catch: (e) => new Notification.NotificationFailed({ notificationId: n.id, reason: String(e) })
          }),
        { discard: true }
      )
  })

// 2. 订阅者 — who receives the events: a signed webhook, a NATS JetStream stream, the notifications.
// Webhook and stream are opened here (an unreachable broker fails the start with a JetStreamError).
// 3. 两个调度器 — delivery every few seconds; the periodic jobs (timer-light notifications, outbox
// pruning) every minute. Each job runs under a lease row: with several servers on one database, one
// of them runs it each tick.
export const layerDelivery = (options: Options) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const hook = yield* Webhook.subscriber({
        id: "erp",
        url: options.webhook.url,
        secret: options.webhook.secret
      })
      const stream = yield* JetStream.subscriber({
        id: "broker",
        servers: options.nats.servers,
        stream: options.nats.stream,
        subjectPrefix: options.nats.subjectPrefix
      })
      const notifications = Notification.subscriber({ id: "sms" })
      const subscribers = [hook, stream, notifications]
      return Layer.mergeAll(
        Scheduler.layer({
          interval: options.deliveryInterval ?? "5 seconds",
          jobs: [EventDelivery.job(subscribers)]
        }),
        Scheduler.layer({
          interval: options.jobInterval ?? "60 seconds",
          jobs: [
            Notification.lightJob(),
            // delivered to all three and older than 7 days: removed from the outbox (the events stay)
            EventDelivery.pruneJob(subscribers.map((s) => s.id))
          ]
        })
      )
    })
  ).pipe(
    Layer.provide(
      Layer.mergeAll(
        SqlOutbox.layer,
        SqlLease.layer(),
        SqlJobCursor.layer,
        FetchHttpClient.layer,
        layerSms(options.sms)
      )
    )
  )
