/**
 * Event delivery from the environment (`App.deliveryConfig`, read by
 * `npm start` and `civicgrid serve`): a webhook needs its secret; a NATS
 * stream is read from a comma-separated list of servers (stream name
 * optional); notifications are `log` or `off`, and anything else is refused
 * naming the variable.
 */
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as App from "../src/App.js"

const config = (entries: ReadonlyArray<readonly [string, string]>) =>
  Effect.withConfigProvider(App.deliveryConfig, ConfigProvider.fromMap(new Map(entries)))

const v = App.deliveryVariables

describe("App.deliveryConfig", () => {
  it.effect("nothing set: nothing delivered", () =>
    Effect.gen(function* () {
      expect(yield* config([])).toEqual({})
    })
  )

  it.effect("a webhook URL without its secret is a configuration error naming the secret's variable", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(config([[v.webhookUrl, "https://erp.example.org/hook"]]))
      expect(String(error)).toContain(v.webhookSecret)
      const found = yield* config([
        [v.webhookUrl, "https://erp.example.org/hook"],
        [v.webhookSecret, "s3cret"]
      ])
      expect(found.webhooks?.map((h) => [h.id, h.url, Redacted.value(h.secret)])).toEqual([
        ["webhook", "https://erp.example.org/hook", "s3cret"]
      ])
    })
  )

  it.effect("NATS: servers split on commas, blanks dropped; the stream when given", () =>
    Effect.gen(function* () {
      expect(
        yield* config([
          [v.natsServers, " nats://a:4222, ,nats://b:4222 "],
          [v.natsStream, "DISTRICT"]
        ])
      ).toEqual({ nats: [{ id: "nats", servers: ["nats://a:4222", "nats://b:4222"], stream: "DISTRICT" }] })
      expect(yield* config([[v.natsServers, "nats://a:4222"]])).toEqual({
        nats: [{ id: "nats", servers: ["nats://a:4222"] }]
      })
    })
  )

  it.effect(
    "notifications: log turns them on, off leaves them off; another value is refused naming the variable",
    () =>
      Effect.gen(function* () {
        expect(yield* config([[v.notifications, "log"]])).toEqual({ notifications: true })
        expect(yield* config([[v.notifications, "off"]])).toEqual({})
        const refused = yield* Effect.flip(config([[v.notifications, "sms"]]))
        expect(String(refused)).toContain(v.notifications)
      })
  )
})
