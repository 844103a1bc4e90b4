/**
 * `civicgrid serve`'s event-delivery configuration from the environment: a
 * webhook needs its secret; a NATS stream is read from a comma-separated list
 * of servers (stream name optional); notifications are `log` or `off`, and
 * anything else is refused naming the variable.
 */
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Serve from "../src/commands/Serve.js"

const withEnv =
  (entries: ReadonlyArray<readonly [string, string]>) =>
  <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.withConfigProvider(effect, ConfigProvider.fromMap(new Map(entries)))

describe("serve: event delivery from the environment", () => {
  it.effect("nothing set: no webhook, no stream, no notifications", () =>
    Effect.gen(function* () {
      expect(Option.isNone(yield* Serve.webhookConfig)).toBe(true)
      expect(Option.isNone(yield* Serve.natsConfig)).toBe(true)
      expect(yield* Serve.notificationsConfig).toBe(false)
    }).pipe(withEnv([]))
  )

  it.effect("a webhook URL without its secret is a configuration error naming the secret's variable", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Serve.webhookConfig)
      expect(String(error)).toContain(Serve.webhookVariables.secret)
      const hook = yield* Serve.webhookConfig.pipe(
        withEnv([
          [Serve.webhookVariables.url, "https://erp.example.org/hook"],
          [Serve.webhookVariables.secret, "s3cret"]
        ])
      )
      expect(Option.map(hook, (h) => [h.url, Redacted.value(h.secret)])).toEqual(
        Option.some(["https://erp.example.org/hook", "s3cret"])
      )
    }).pipe(withEnv([[Serve.webhookVariables.url, "https://erp.example.org/hook"]]))
  )

  it.effect("NATS: servers split on commas, blanks dropped; the stream when given", () =>
    Effect.gen(function* () {
      const stream = yield* Serve.natsConfig
      expect(stream).toEqual(
        Option.some({ id: "nats", servers: ["nats://a:4222", "nats://b:4222"], stream: "DISTRICT" })
      )
      const plain = yield* Serve.natsConfig.pipe(withEnv([[Serve.natsVariables.servers, "nats://a:4222"]]))
      expect(plain).toEqual(Option.some({ id: "nats", servers: ["nats://a:4222"] }))
    }).pipe(
      withEnv([
        [Serve.natsVariables.servers, " nats://a:4222, ,nats://b:4222 "],
        [Serve.natsVariables.stream, "DISTRICT"]
      ])
    )
  )

  it.effect("notifications: log turns them on; another value is refused naming the variable", () =>
    Effect.gen(function* () {
      expect(yield* Serve.notificationsConfig.pipe(withEnv([[Serve.notificationsVariable, "log"]]))).toBe(
        true
      )
      expect(yield* Serve.notificationsConfig.pipe(withEnv([[Serve.notificationsVariable, "off"]]))).toBe(
        false
      )
      const refused = yield* Effect.flip(
        Serve.notificationsConfig.pipe(withEnv([[Serve.notificationsVariable, "sms"]]))
      )
      expect(String(refused)).toContain(Serve.notificationsVariable)
    })
  )
})
