/**
 * 街道办示范服务 — the street-office server app: the civicgrid HTTP API
 * (`Server.layer`, with `/openapi.json` and `/docs`), Open311 GeoReport v2
 * under `/open311/v2`, `GET /health` and a request log, over the SQL stores on
 * the ambient `SqlClient` — migrated and, on the first start, seeded with the
 * demo district (`Seed.prepare`). Bearer tokens and Open311 keys are checked
 * against the SQL key store (`SqlApiKeys` of `@civicgrid/sql`, turned into
 * the verifiers by `Authorization.layerLookup` and `layerApiKeys`), where the
 * seed put the demo credentials. Once listening it prints a banner (address, docs, Open311 and
 * the demo tokens that verify); on shutdown it says so.
 *
 * The port is bound only once the app is ready (`layerServing`: migrated,
 * seeded, the hierarchy cache loaded, the API built), so no request waits on
 * a half-started app:
 *
 * ```ts
 * App.layerServing(
 *   { databaseName: Database.describe(database) },
 *   NodeHttpServer.layerServer(createServer, { port: 3000 })
 * ).pipe(Layer.provide(Database.layer(database)), Layer.provide(NodeHttpServer.layerContext))
 * ```
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import type * as CaseRepository from "@civicgrid/core/CaseRepository"
import type * as CaseService from "@civicgrid/core/CaseService"
import type * as DepartmentRepository from "@civicgrid/core/DepartmentRepository"
import * as EscalationService from "@civicgrid/core/EscalationService"
import * as EventDelivery from "@civicgrid/core/EventDelivery"
import * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as IdempotencyRetention from "@civicgrid/core/IdempotencyRetention"
import type * as JobCursor from "@civicgrid/core/JobCursor"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Notification from "@civicgrid/core/Notification"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as RoleTable from "@civicgrid/core/RoleTable"
import * as Scheduler from "@civicgrid/core/Scheduler"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Authorization from "@civicgrid/http/Authorization"
import * as Open311 from "@civicgrid/http/Open311"
import * as Principal from "@civicgrid/http/Principal"
import * as Server from "@civicgrid/http/Server"
import * as Webhook from "@civicgrid/http/Webhook"
import * as JetStream from "@civicgrid/nats/JetStream"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as PeopleCipher from "@civicgrid/sql/PeopleCipher"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlCalendarRepository from "@civicgrid/sql/SqlCalendarRepository"
import * as SqlIdempotencyKeys from "@civicgrid/sql/SqlIdempotencyKeys"
import * as SqlJobCursor from "@civicgrid/sql/SqlJobCursor"
import * as SqlLease from "@civicgrid/sql/SqlLease"
import * as SqlOutbox from "@civicgrid/sql/SqlOutbox"
import * as SqlPeopleRepository from "@civicgrid/sql/SqlPeopleRepository"
import * as SqlPolicyRepository from "@civicgrid/sql/SqlPolicyRepository"
import * as Web from "@civicgrid/web/Web"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import type * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Config from "effect/Config"
import type { ConfigError } from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Database from "./Database.js"
import * as District from "./District.js"
import * as Seed from "./Seed.js"

/**
 * 服务选项.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Where the request log, the seed summary and the banner go (default `console.log`). */
  readonly log?: (line: string) => void
  /** Shown in the banner and by `/health` (e.g. `Database.describe(database)`). */
  readonly databaseName?: string
  /**
   * How to seed on the first start (`Seed.Options`: district, cases,
   * progress), or `false`: migrate only, never seed — an empty database stays
   * empty (no demo district, no public demo tokens) and is served as it is.
   */
  readonly seed?: Seed.Options | false
  /** The banner's title (default `civicgrid 街道办示范服务 street-office example`). */
  readonly title?: string
  /**
   * 公开地址 — the public base URL behind a reverse proxy (e.g.
   * `https://civicgrid.example.org`): Open311 discovery then lists
   * `<publicUrl>/open311/v2` instead of an address from the Host header, and
   * the banner shows it.
   */
  readonly publicUrl?: string
  /**
   * Open311 辖区标识 — the `jurisdiction_id` clients send. Default: the demo's
   * `shifanqu.civicgrid.example` on the demo district, else the stored root
   * unit's id (see `layerOpen311`).
   */
  readonly jurisdictionId?: string
  /**
   * 令牌密钥 — the server secret keying the stored token hashes
   * (`SqlApiKeys.TokenSecret`, HMAC-SHA-256). Default: the environment
   * variable `CIVICGRID_TOKEN_SECRET`; without either, the demo tokens are
   * stored with scrypt (a slow hash). `layerFromConfig` keeps a generated one
   * beside a SQLite file.
   */
  readonly tokenSecret?: Redacted.Redacted<string>
  /**
   * 信任代理 — the server sits behind a reverse proxy that sets
   * `X-Forwarded-For` (and `X-Forwarded-Host`): client addresses — counted
   * by the failed-authentication limit — are read from it. Default false:
   * set it only behind a proxy you run, or a client could choose the address
   * it is counted under.
   */
  readonly trustProxy?: boolean
  /**
   * 居民信息密钥 — the keyring residents' names, ID numbers and phones are
   * sealed with (`PeopleCipher.Keyring`). Default: `CIVICGRID_PEOPLE_KEYS`
   * (`PeopleCipher.config`); unset, a seeded demo uses `demoPeopleKeyring`
   * (public, for the demo only), and a server with `seed: false` serves no
   * people endpoints (503) until keys are configured.
   */
  readonly peopleKeyring?: PeopleCipher.Keyring
  /**
   * 密钥缓存 — how long a verified bearer token or Open311 key is answered
   * from memory (`SqlApiKeys.CacheOptions`: `ttl`, default
   * `SqlApiKeys.defaultCacheTtl`, 5 seconds; `capacity`). A token revoked by
   * another process keeps working until its entry expires: choose a shorter
   * `ttl` where that matters, `ttl: 0` to check the store on every request.
   * `layerServingFromConfig` reads `CIVICGRID_KEY_CACHE_TTL` (a duration such
   * as `5 seconds` or `0 millis`) when this is not given.
   */
  readonly keyCache?: SqlApiKeys.CacheOptions
  /**
   * 角色表 — the role table principals draw on (`RoleTable`): a bearer key
   * for a local role (信访代办员 …) verifies only while the table holds it,
   * with the rights of the role it acts as; `GET /me` and the banner name it
   * from the table. Default `RoleTable.standard` (the built-in roles and the
   * reports' local roles). Checked: an invalid table stops the server from
   * starting, naming every violation.
   */
  readonly roleTable?: RoleTable.RoleTable
  /**
   * 定时任务 — the scheduler (`layerScheduler`): automatic escalation of
   * overdue cases, timer-light notifications, pruning of the outbox and of
   * old idempotency keys, every `interval` (default
   * `defaultSchedulerInterval`), on unless `enabled: false`. Several servers on one database take turns
   * through a lease: one of them runs each tick.
   */
  readonly scheduler?: { readonly interval?: Duration.DurationInput; readonly enabled?: boolean }
  /**
   * 事件投递 — signed webhooks (`Webhook.Options`: id, URL, secret, event
   * types) the server delivers every stored case event to (`layerEventDelivery`:
   * outbox, at-least-once, retries with back-off), every `interval` (default
   * `defaultDeliveryInterval`). None by default: nothing is delivered.
   */
  readonly webhooks?: ReadonlyArray<Webhook.Options>
  /**
   * 消息队列 — NATS JetStream streams (`JetStream.Options`: servers, stream,
   * subject prefix) the server publishes every stored case event to, through
   * the same outbox as the webhooks. None by default.
   */
  readonly nats?: ReadonlyArray<JetStream.Options>
  /**
   * 通知 — notifications to the people who must act: a case dispatched to a
   * handler, supervision, a status change for a reporter who consented
   * (through the outbox, `Notification.subscriber`) and a timer light turning
   * yellow or red (`Notification.lightJob`, run by the scheduler). `true`
   * writes them to the server's log (the reference adapter; a reporter's
   * phone masked); or give the adopter's `Notifier` (SMS, WeChat, e-mail).
   * Off by default.
   */
  readonly notifications?: boolean | { readonly notifier: Layer.Layer<Notification.Notifier> }
  /**
   * How often the delivery worker runs (default `defaultDeliveryInterval`),
   * and how long delivered outbox entries are kept (`retention`, default
   * `EventDelivery.defaultRetention`: 7 days; pruned by the scheduler).
   */
  readonly eventDelivery?: {
    readonly interval?: Duration.DurationInput
    readonly retention?: Duration.DurationInput
  }
}

/**
 * 默认调度间隔 — how often the scheduler runs its jobs by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSchedulerInterval: Duration.DurationInput = "60 seconds"

/**
 * 调度层 — the server's periodic jobs (`Scheduler.layer`) under SQL leases
 * (`SqlLease`, one holder id per server): automatic escalation
 * (`EscalationService.job`, 超时自动上报) on the store's time limits — the
 * stored time-limit policy, else the default, on the database's calendar,
 * read once at start as the case store reads them — logged when a run
 * escalated something; pruning of the idempotency keys older than 30 days
 * (`IdempotencyRetention.pruneJob`) and, with `outbox`, of the delivered
 * outbox entries (`EventDelivery.pruneJob`); with `notifier`, the timer-light
 * notifications (`Notification.lightJob`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerScheduler = (options: {
  readonly interval?: Duration.DurationInput
  readonly enabled?: boolean
  readonly log?: (line: string) => void
  /**
   * 发件箱清理 — prune the outbox (`EventDelivery.pruneJob`): entries older
   * than `retention` that every subscriber in `subscriberIds` (the ids of
   * all the server delivers to; none: every old entry) has delivered.
   */
  readonly outbox?: {
    readonly subscriberIds: ReadonlyArray<string>
    readonly retention?: Duration.DurationInput
  }
  /**
   * 变灯通知 — send timer-light notifications (`Notification.lightJob`, its
   * cursor in `SqlJobCursor`) through this notifier.
   */
  readonly notifier?: Layer.Layer<Notification.Notifier>
}): Layer.Layer<never, never, Server.Repositories | SqlClient.SqlClient> =>
  options.enabled === false
    ? Layer.empty
    : Layer.unwrapEffect(
        Effect.gen(function* () {
          const policies = yield* Effect.orDie(
            SqlPolicyRepository.inForce({ timeLimits: Seed.timeLimits.policy })
          )
          const calendar = yield* Effect.orDie(SqlCalendarRepository.calendar)
          const escalation: Scheduler.Job<Server.Repositories> = EscalationService.job({
            timeLimits: { policy: policies.timeLimits, calendar }
          })
          const jobs: ReadonlyArray<
            Scheduler.Job<
              | Server.Repositories
              | EventDelivery.Outbox
              | Notification.Notifier
              | JobCursor.JobCursor
              | IdempotencyRetention.IdempotencyKeys
            >
          > = [
            escalation,
            // idempotency keys older than 30 days (clients retry within minutes)
            IdempotencyRetention.pruneJob(),
            ...(options.notifier === undefined ? [] : [Notification.lightJob()]),
            ...(options.outbox === undefined
              ? []
              : [
                  EventDelivery.pruneJob(
                    options.outbox.subscriberIds,
                    options.outbox.retention === undefined ? {} : { retention: options.outbox.retention }
                  )
                ])
          ]
          return Scheduler.layer({
            interval: options.interval ?? defaultSchedulerInterval,
            jobs,
            ...(options.log === undefined ? {} : { log: options.log })
          })
        })
      ).pipe(
        Layer.provide(
          Layer.mergeAll(
            SqlLease.layer(),
            SqlOutbox.layer,
            SqlJobCursor.layer,
            SqlIdempotencyKeys.layer,
            options.notifier ?? silent
          )
        )
      )

/** A notifier that sends nothing (what runs no notification job needs none). */
const silent: Layer.Layer<Notification.Notifier> = Layer.succeed(Notification.Notifier, {
  send: () => Effect.void
})

/**
 * 默认投递间隔 — how often the delivery worker looks for undelivered events by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultDeliveryInterval: Duration.DurationInput = "5 seconds"

/**
 * 订阅者编号 — the ids of the subscribers `layerEventDelivery` delivers to
 * (webhooks, then NATS streams; a NATS stream without an id is
 * `JetStream.defaults.id`): what outbox pruning waits for.
 *
 * @since 0.1.0
 * @category getters
 */
export const subscriberIds = (
  options: Pick<Options, "webhooks" | "nats" | "notifications">
): ReadonlyArray<string> => [
  ...(options.webhooks ?? []).map((hook) => hook.id),
  ...(options.nats ?? []).map((stream) => stream.id ?? JetStream.defaults.id),
  ...(notifierOf(options, () => undefined) === undefined ? [] : [notificationsId])
]

/**
 * The subscriber id of the server's notifications (`Notification.subscriber`).
 *
 * @since 0.1.0
 * @category constants
 */
export const notificationsId = "notifications"

/**
 * 通知渠道 — the notifier `options.notifications` asks for: none when off;
 * with `true`, one writing each notification as a line to `log`
 * (`Notification.describe`: a reporter's phone masked).
 *
 * @since 0.1.0
 * @category constructors
 */
export const notifierOf = (
  options: Pick<Options, "notifications">,
  log: (line: string) => void
): Layer.Layer<Notification.Notifier> | undefined =>
  options.notifications === undefined || options.notifications === false
    ? undefined
    : options.notifications === true
      ? Layer.succeed(Notification.Notifier, {
          send: (n) =>
            Effect.sync(() => log(`通知 ${Notification.describe(n)}`)).pipe(
              Effect.withSpan("Notification.send", { attributes: { "civicgrid.notification": n.id } })
            )
        })
      : options.notifications.notifier

/**
 * 事件投递层 — the delivery worker (`EventDelivery.job`) for `webhooks` and
 * `nats` streams, on its own `Scheduler` every `interval` under a SQL lease
 * (one server delivers at a time), over the SQL outbox (`SqlOutbox`), posting
 * with `fetch` and publishing over one NATS connection per stream (opened at
 * start: an unreachable broker or a bad stream fails the start with
 * `JetStream.JetStreamError`; a broker lost later is retried with back-off);
 * nothing when there are no subscribers.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerEventDelivery = (options: {
  readonly webhooks?: ReadonlyArray<Webhook.Options>
  readonly nats?: ReadonlyArray<JetStream.Options>
  /** Send each event's notifications through this notifier (`Notification.subscriber`). */
  readonly notifier?: Layer.Layer<Notification.Notifier>
  readonly interval?: Duration.DurationInput
  readonly log?: (line: string) => void
}): Layer.Layer<never, JetStream.JetStreamError, SqlClient.SqlClient | Server.Repositories> => {
  const webhooks = options.webhooks ?? []
  const streams = options.nats ?? []
  const notifier = options.notifier
  if (webhooks.length === 0 && streams.length === 0 && notifier === undefined) return Layer.empty
  return Layer.unwrapScoped(
    Effect.map(
      Effect.all([
        Effect.forEach(webhooks, Webhook.subscriber),
        Effect.forEach(streams, JetStream.subscriber)
      ]),
      ([hooks, published]) => {
        const subscribers: ReadonlyArray<
          EventDelivery.Subscriber<HttpClient.HttpClient | Server.Repositories | Notification.Notifier>
        > = [
          ...hooks,
          ...published,
          ...(notifier === undefined ? [] : [Notification.subscriber({ id: notificationsId })])
        ]
        return Scheduler.layer({
          interval: options.interval ?? defaultDeliveryInterval,
          jobs: [EventDelivery.job(subscribers)],
          ...(options.log === undefined ? {} : { log: options.log })
        })
      }
    )
  ).pipe(
    Layer.provide(
      Layer.mergeAll(SqlOutbox.layer, SqlLease.layer(), FetchHttpClient.layer, notifier ?? silent)
    )
  )
}

/**
 * 密钥缓存配置 — `CIVICGRID_KEY_CACHE_TTL`, how long a verified token or
 * Open311 key is answered from memory (`Options.keyCache`): a duration as
 * Effect's `Config.duration` reads it (`5 seconds`, `500 millis`, `0 millis`
 * to check the store on every request). Unset: the default, 5 seconds.
 *
 * @since 0.1.0
 * @category configuration
 */
export const keyCacheConfig: Effect.Effect<Pick<Options, "keyCache">, ConfigError> = Effect.map(
  Config.option(Config.duration("CIVICGRID_KEY_CACHE_TTL")),
  (ttl) => (Option.isSome(ttl) ? { keyCache: { ttl: ttl.value } } : {})
)

/**
 * 投递配置变量 — the environment variables of event delivery and
 * notifications, read by `deliveryConfig` (`layerServingFromConfig`, so
 * `npm start`, and `civicgrid serve`):
 *
 * - `CIVICGRID_WEBHOOK_URL` and `CIVICGRID_WEBHOOK_SECRET` (required with the
 *   URL): every stored case event is POSTed there, signed;
 * - `CIVICGRID_EVENTS_NATS` (server URLs, comma-separated) and
 *   `CIVICGRID_EVENTS_NATS_STREAM` (default `CIVICGRID`): every stored case
 *   event is published to that NATS JetStream stream, subjects
 *   `civicgrid.cases.<type>`;
 * - `CIVICGRID_NOTIFICATIONS`: `log` writes each notification to the server's
 *   log; `off` (the default) sends none.
 *
 * Unset, nothing is delivered.
 *
 * @since 0.1.0
 * @category configuration
 */
export const deliveryVariables = {
  webhookUrl: "CIVICGRID_WEBHOOK_URL",
  webhookSecret: "CIVICGRID_WEBHOOK_SECRET",
  natsServers: "CIVICGRID_EVENTS_NATS",
  natsStream: "CIVICGRID_EVENTS_NATS_STREAM",
  notifications: "CIVICGRID_NOTIFICATIONS"
} as const

/**
 * 投递配置 — the delivery options of the environment (`deliveryVariables`):
 * a webhook (id `webhook`; a URL without its secret is a configuration
 * error), a NATS stream (id `nats`; blanks between the commas dropped), and
 * notifications to the log. Empty when nothing is set.
 *
 * @since 0.1.0
 * @category configuration
 */
export const deliveryConfig: Effect.Effect<
  Pick<Options, "webhooks" | "nats" | "notifications">,
  ConfigError
> = Effect.gen(function* () {
  const url = yield* Config.option(Config.nonEmptyString(deliveryVariables.webhookUrl))
  const secret = Option.isNone(url)
    ? Option.none()
    : Option.some(yield* Config.redacted(Config.nonEmptyString(deliveryVariables.webhookSecret)))
  const servers = yield* Config.option(Config.nonEmptyString(deliveryVariables.natsServers))
  const stream = yield* Config.option(Config.nonEmptyString(deliveryVariables.natsStream))
  const notifications = yield* Config.literal(
    "log",
    "off"
  )(deliveryVariables.notifications).pipe(Config.withDefault("off" as const))
  return {
    ...(Option.isSome(url) && Option.isSome(secret)
      ? { webhooks: [{ id: "webhook", url: url.value, secret: secret.value }] }
      : {}),
    ...(Option.isSome(servers)
      ? {
          nats: [
            {
              id: "nats",
              servers: servers.value
                .split(",")
                .map((server) => server.trim())
                .filter((server) => server !== ""),
              ...(Option.isSome(stream) ? { stream: stream.value } : {})
            }
          ]
        }
      : {}),
    ...(notifications === "log" ? { notifications: true } : {})
  }
})

/**
 * 请求日志 — an HTTP middleware logging one line per request: method, path
 * (without the query), status, milliseconds.
 *
 * @since 0.1.0
 * @category middleware
 */
export const requestLog =
  (log: (line: string) => void) =>
  (app: HttpApp.Default): HttpApp.Default =>
    Effect.flatMap(
      Effect.sync(() => performance.now()),
      (start) =>
        Effect.zipRight(
          HttpApp.appendPreResponseHandler((request, response) =>
            Effect.sync(() => {
              const path = request.url.split("?")[0] ?? request.url
              log(`${request.method} ${path} ${response.status} ${(performance.now() - start).toFixed(1)}ms`)
              return response
            })
          ),
          app
        )
    )

/**
 * 版本 — the version `/health` reports.
 *
 * @since 0.1.0
 * @category constants
 */
export const version = "0.1.0"

/**
 * 日历状态 — how far a working calendar reaches from today (the ambient
 * `Clock`), as `/health` reports it: `lastDay` (`null` when today's year is
 * not loaded), `daysLeft`, `warning` (`WorkingCalendar.coverage`).
 *
 * @since 0.1.0
 * @category getters
 */
export const calendarStatus = (
  calendar: WorkingCalendar.WorkingCalendar
): Effect.Effect<{ readonly lastDay: string | null; readonly daysLeft: number; readonly warning: boolean }> =>
  Effect.map(DateTime.now, (now) => {
    const found = WorkingCalendar.coverage(calendar, WorkingCalendar.dateOf(calendar, now))
    return { lastDay: found.lastDay ?? null, daysLeft: found.daysLeft, warning: found.warning }
  })

/**
 * 健康检查 — `GET /health`: 200 `{ status: "ok", version }`, or 503
 * `{ status: "degraded", version }` when the database does not answer within
 * 2 seconds. Only an admin's bearer token (`Authorization: Bearer …`) adds the
 * details — `db` (up/down), `database` (the name: a SQLite path or a
 * PostgreSQL host), `migration` (the database's version) and `calendar`
 * (`{ lastDay, daysLeft, warning }`: how far the working calendar the server
 * read at start reaches from today, `WorkingCalendar.coverage`; `warning`
 * from 60 days before its last day, time to `civicgrid calendar import`
 * next year's schedule): an anonymous caller learns nothing about where the
 * data lives. A
 * token that does not verify counts against the client's address in the
 * ambient `Authorization.AuthRateLimit` (the API's, in `layer`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHealth = (
  databaseName: string
): Layer.Layer<never, never, SqlClient.SqlClient | Authorization.TokenVerifier> =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const verifier = yield* Authorization.TokenVerifier
      // the calendar the stores run on: shipped years plus those loaded into the database, read at start
      const calendar = yield* Effect.orDie(SqlCalendarRepository.calendar)
      // the same failed-authentication limit as the API: /health is no token oracle
      const table = Option.getOrElse(yield* Effect.serviceOption(Authorization.AuthRateLimit), () =>
        Authorization.makeFailureTable()
      )
      const isAdmin = Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const header = request.headers.authorization ?? ""
        if (!/^Bearer\s+\S/i.test(header)) return false
        const found = yield* Authorization.limited(
          table,
          verifier.verify(Redacted.make(header.replace(/^Bearer\s+/i, "").trim()))
        )
        return Option.isSome(found) && found.value.role === "admin"
      })
      yield* router.get(
        "/health",
        Effect.gen(function* () {
          const up = yield* sql`SELECT 1 AS one`.pipe(
            Effect.timeout("2 seconds"),
            Effect.match({ onFailure: () => false, onSuccess: () => true })
          )
          const base = { status: up ? "ok" : "degraded", version }
          const details = (yield* Effect.orElseSucceed(isAdmin, () => false))
            ? {
                db: up ? "up" : "down",
                database: databaseName,
                migration: yield* Migrations.databaseVersion.pipe(
                  Effect.provideService(SqlClient.SqlClient, sql),
                  Effect.orElseSucceed(() => null)
                ),
                calendar: yield* calendarStatus(calendar)
              }
            : {}
          return HttpServerResponse.unsafeJson({ ...base, ...details }, { status: up ? 200 : 503 })
        })
      )
    })
  )

/**
 * 未导入辖区 — the jurisdiction unit Open311 answers for while the database
 * holds no district (`layerOpen311` on an unseeded, not yet imported
 * database): a single placeholder root, so discovery and the services answer,
 * request lists are empty and a report is refused (no district to route it in).
 *
 * @since 0.1.0
 * @category constants
 */
export const noDistrictUnitId = "no-district"

const noDistrictHierarchy = (): Hierarchy.Hierarchy =>
  Either.getOrThrowWith(
    Hierarchy.make(LevelScheme.FiveLevel, [
      Unit.make({ id: noDistrictUnitId, parentId: null, level: "district", name: "未导入辖区 no district" })
    ]),
    (e) => new Error(`placeholder hierarchy: ${e.message}`)
  )

/**
 * 示范区 Open311 辖区标识 — the demo district's Open311 `jurisdiction_id`.
 *
 * @since 0.1.0
 * @category constants
 */
export const demoJurisdictionId = "shifanqu.civicgrid.example"

/**
 * Open311 over the stored district (hierarchy and grids read once at start):
 * the district is the jurisdiction — `jurisdiction_id` is `jurisdictionId`,
 * else `demoJurisdictionId` on the demo district, else the root unit's id;
 * the discovery contact is the root unit's name —, the services the category catalogue
 * stored with `PolicyRepository` (`import --list categories`; its write time
 * is the catalogue's `changeset`), else the standard catalogue;
 * discovery lists `<publicUrl>/open311/v2` when a public URL is given. A
 * database without a district (served unseeded before anything was imported)
 * still answers: the jurisdiction is the placeholder `noDistrictUnitId`, the
 * services list the catalogue, request lists are empty and reports are
 * refused until a district is imported and the server restarted.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerOpen311 = (
  options: { readonly publicUrl?: string; readonly jurisdictionId?: string } = {}
): Layer.Layer<
  never,
  never,
  | HierarchyRepository.HierarchyRepository
  | GridRepository.GridRepository
  | CaseRepository.CaseRepository
  | DepartmentRepository.DepartmentRepository
  | CaseService.Settings
  | Open311.ApiKeys
  | SqlClient.SqlClient
> =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      // 案件分类 — the stored catalogue, else the standard one (read once at start)
      const policies = yield* Effect.orDie(SqlPolicyRepository.inForce({ catalogue: CaseCategory.Standard }))
      const catalogueChangedAt = policies.stored.has("categories")
        ? Option.map(
            Option.fromNullable((yield* Effect.orDie(SqlPolicyRepository.updatedAt)).get("categories")),
            DateTime.formatIso
          )
        : Option.none()
      const stored = yield* Effect.orDie(
        Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) =>
          r.load.pipe(
            Effect.map(Option.some),
            Effect.catchTag("HierarchyNotFound", () => Effect.succeed(Option.none()))
          )
        )
      )
      const hierarchy = Option.getOrElse(stored, noDistrictHierarchy)
      const districtId = Hierarchy.root(hierarchy).id
      // the demo district keeps the demo's Open311 identity; an imported district is named by its root
      const isDemo = districtId === District.defaultDistrictId
      const grids = Option.isNone(stored)
        ? []
        : yield* Effect.orDie(Effect.flatMap(GridRepository.GridRepository, (r) => r.grids(districtId)))
      // 楼栋位置 — where a report by building id (address_id) is published
      const buildings = Option.isNone(stored)
        ? []
        : yield* Effect.orDie(Effect.flatMap(GridRepository.GridRepository, (r) => r.buildings(districtId)))
      const positions = new Map(
        buildings.flatMap((b) => (b.location === undefined ? [] : [[b.id as string, b.location] as const]))
      )
      return Open311.layer({
        jurisdiction: {
          unitId: districtId,
          id: options.jurisdictionId ?? (isDemo ? demoJurisdictionId : districtId)
        },
        catalogue: policies.catalogue,
        ...(Option.isSome(catalogueChangedAt) ? { catalogueChangedAt: catalogueChangedAt.value } : {}),
        routing: { hierarchy, rules: [], grids, gridIndex: PointLocation.make(grids), positions },
        discovery: {
          contact: isDemo ? "示范区城市运行管理中心 (demo)" : Hierarchy.root(hierarchy).name,
          type: "test",
          ...(options.publicUrl === undefined
            ? {}
            : { url: `${options.publicUrl.replace(/\/+$/, "")}/open311/v2` })
        }
      })
    })
  )

const roleLabels: Readonly<Record<Principal.Role, string>> = {
  resident: "居民 resident",
  "grid-worker": "网格员 grid worker",
  "community-staff": "社区工作人员 community staff",
  "street-staff": "街道工作人员 street staff",
  "district-staff": "区指挥中心 district staff",
  department: "职能部门 department",
  hotline: "12345 热线 hotline",
  admin: "管理员 admin"
}

/**
 * 演示令牌清单 — the demo tokens that verify against the store now, each with
 * its principal described from the stored hierarchy (revoked ones are left
 * out).
 *
 * @since 0.1.0
 * @category getters
 */
export const liveDemoTokens: Effect.Effect<
  ReadonlyArray<{ readonly token: string; readonly label: string }>,
  never,
  Authorization.TokenVerifier | HierarchyRepository.HierarchyRepository
> = Effect.gen(function* () {
  const verifier = yield* Authorization.TokenVerifier
  const roleTable = yield* Principal.CurrentRoleTable
  const hierarchy = yield* Effect.option(
    Effect.flatMap(HierarchyRepository.HierarchyRepository, (r) => r.load)
  )
  const nameOf = (unitId: string): string =>
    Option.match(
      Option.flatMap(hierarchy, (h) => Hierarchy.get(h, unitId)),
      { onNone: () => unitId, onSome: (u) => `${unitId} ${u.name}` }
    )
  const out: Array<{ readonly token: string; readonly label: string }> = []
  for (const token of Seed.demoTokenNames) {
    const found = yield* verifier.verify(Redacted.make(token))
    if (Option.isNone(found)) continue
    const p = found.value
    // a local role first, named from the table: "信访代办员 petition agent, acting as 社区工作人员 …"
    const local = Option.match(
      Option.flatMap(Option.fromNullable(p.localRole), (id) => RoleTable.lookup(roleTable, "actor", id)),
      { onNone: () => "", onSome: (e) => `${e.zh} ${e.en}, acting as ` }
    )
    const label =
      local +
      (p.role === "department"
        ? `${roleLabels[p.role]} (${p.departmentId ?? "?"}: ${
            p.grantedSubtree === undefined
              ? "派给本部门的案件 cases dispatched to it"
              : nameOf(p.grantedSubtree)
          })`
        : `${roleLabels[p.role]} (${nameOf(p.unitId)})`)
    out.push({ token, label })
  }
  return out
})

/**
 * 地址 — the base URL of the ambient server (`localhost` for a wildcard host).
 *
 * @since 0.1.0
 * @category getters
 */
export const baseUrl: Effect.Effect<string, never, HttpServer.HttpServer> = Effect.map(
  HttpServer.HttpServer,
  ({ address }) => {
    if (address._tag === "UnixAddress") return `unix:${address.path}`
    const host =
      address.hostname === "0.0.0.0" || address.hostname === "::"
        ? "localhost"
        : address.hostname.includes(":")
          ? `[${address.hostname}]`
          : address.hostname
    return `http://${host}:${address.port}`
  }
)

/**
 * 启动横幅 — printed once listening (address, docs, OpenAPI, Open311 with the
 * demo `api_key` when it verifies, health, the demo tokens that verify — or,
 * on a database without them, how to issue keys); on shutdown, a last line.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerBanner = (
  log: (line: string) => void,
  options: { readonly databaseName: string; readonly title?: string; readonly publicUrl?: string }
): Layer.Layer<
  never,
  never,
  | HttpServer.HttpServer
  | Authorization.TokenVerifier
  | HierarchyRepository.HierarchyRepository
  | Open311.ApiKeys
> =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const listening = yield* baseUrl
      // the links clients use: the public URL behind a reverse proxy, else the address listened on
      const base = options.publicUrl?.replace(/\/+$/, "") ?? listening
      const tokens = yield* liveDemoTokens
      // the demo api_key is shown only when it verifies (an unseeded database has none)
      const demoKey = yield* Effect.flatMap(Open311.ApiKeys, (keys) => keys.verify(Seed.demoApiKey)).pipe(
        Effect.map(Option.isSome),
        Effect.orElseSucceed(() => false)
      )
      const sample = (tokens.find((t) => t.token === "demo-district-staff") ?? tokens[0])?.token
      const tokenLines =
        tokens.length === 0
          ? ["  no demo tokens: issue keys with `civicgrid keys issue` (see `civicgrid keys --help`)", ""]
          : [
              "  demo bearer tokens (Authorization: Bearer <token>):",
              ...tokens.map((t) => `    ${t.token.padEnd(22)} ${t.label}`),
              "",
              `  try: curl -H 'Authorization: Bearer ${sample}' '${base}/cases?limit=5'`,
              ""
            ]
      const lines = [
        "",
        `${options.title ?? "civicgrid 街道办示范服务 street-office example"} — ${options.databaseName}`,
        `  listening on   ${listening}`,
        ...(options.publicUrl === undefined ? [] : [`  public URL     ${base}`]),
        `  API docs       ${base}/docs`,
        `  OpenAPI        ${base}/openapi.json`,
        `  Open311        ${base}/open311/v2/discovery.json${demoKey ? `   api_key=${Seed.demoApiKey}` : ""}`,
        `  health         ${base}/health`,
        "",
        ...tokenLines
      ]
      yield* Effect.sync(() => log(lines.join("\n")))
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => log("正在关闭 shutting down: closing the server and the database"))
      )
    })
  )

/**
 * Open311 `ApiKeys` over the SQL key store (`SqlApiKeys.open311LookupCached`:
 * a verified key is kept in memory for 5 seconds, so a revocation by another
 * process takes effect within them) on the ambient `SqlClient`: a store
 * failure is a defect (a 500), never a 403.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApiKeys: Layer.Layer<Open311.ApiKeys, never, SqlClient.SqlClient> =
  Open311.layerApiKeysLookup(SqlApiKeys.open311LookupCached())

/**
 * `layerApiKeys` with the key cache's options (`Options.keyCache`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerApiKeysWith = (
  cache: SqlApiKeys.CacheOptions
): Layer.Layer<Open311.ApiKeys, never, SqlClient.SqlClient> =>
  Open311.layerApiKeysLookup(SqlApiKeys.open311LookupCached(cache))

/**
 * The SQL stores with the demo's time limits, migrated and seeded (on the
 * first start, with the demo people data when `people` is a people store)
 * before anything is served; logs what the seed did. With
 * `seed: false` only migrated, and the log says whether a district is there.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPrepared = (
  options: {
    readonly seed?: Seed.Options | false
    readonly log?: (line: string) => void
    /** 联户走访存储 — the people store the seed writes its demo people data to, and the app serves (`layerPeople`). */
    readonly people?: Layer.Layer<never, never, SqlClient.SqlClient | HierarchyRepository.HierarchyRepository>
  } = {}
): Layer.Layer<Server.Repositories, Seed.MigrateError | Seed.SeedError, SqlClient.SqlClient> => {
  const log = options.log ?? ((line: string) => console.log(line))
  const seed = options.seed
  const prepare =
    seed === false
      ? Effect.zipRight(
          Seed.migrate(),
          Effect.map(Seed.isSeeded, (seeded) =>
            log(
              seeded
                ? "数据库已有辖区 database holds a district: serving its data (not seeded)"
                : "未填充示范数据 not seeded: the database holds no district yet (import one, or serve with --seed for the demo)"
            )
          )
        )
      : Effect.map(Seed.prepare(seed ?? {}), (prepared) => log(Seed.describe(prepared)))
  return Layer.effectDiscard(prepare).pipe(
    Layer.provideMerge(options.people ?? Layer.empty),
    Layer.provideMerge(Seed.layerStores)
  )
}

/** The parts of the app: what it needs before serving, the API, and what starts once listening. */
const parts = (options: Options) => {
  const log = options.log ?? ((line: string) => console.log(line))
  const databaseName = options.databaseName ?? "SQL"
  const publicUrl = options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }
  const logged = requestLog(log)
  const middleware =
    options.trustProxy === true
      ? (app: HttpApp.Default) => logged(HttpMiddleware.xForwardedHeaders(app))
      : logged
  const api = Server.layer({
    middleware,
    ...(options.roleTable === undefined ? {} : { roleTable: options.roleTable })
  }).pipe(
    Layer.provide(
      layerOpen311({
        ...publicUrl,
        ...(options.jurisdictionId === undefined ? {} : { jurisdictionId: options.jurisdictionId })
      })
    ),
    Layer.provide(layerHealth(databaseName)),
    // the web dashboard 指挥调度中心 at / (its built assets; 503 naming the build command until built)
    Layer.provide(Web.layer())
  )
  // one role table for the token verifier, the API and the banner (default `RoleTable.standard`)
  const roleTable = options.roleTable === undefined ? Layer.empty : Server.layerRoleTable(options.roleTable)
  const banner = layerBanner(log, {
    databaseName,
    ...publicUrl,
    ...(options.title === undefined ? {} : { title: options.title })
  }).pipe(Layer.provide(roleTable))
  const secret = options.tokenSecret === undefined ? Layer.empty : SqlApiKeys.layerSecret(options.tokenSecret)
  const notifier = notifierOf(options, log)
  const scheduler = layerScheduler({
    ...options.scheduler,
    log,
    ...(notifier === undefined ? {} : { notifier }),
    outbox: {
      subscriberIds: subscriberIds(options),
      ...(options.eventDelivery?.retention === undefined
        ? {}
        : { retention: options.eventDelivery.retention })
    }
  })
  const delivery = layerEventDelivery({
    ...(options.webhooks === undefined ? {} : { webhooks: options.webhooks }),
    ...(options.nats === undefined ? {} : { nats: options.nats }),
    ...(notifier === undefined ? {} : { notifier }),
    ...(options.eventDelivery?.interval === undefined ? {} : { interval: options.eventDelivery.interval }),
    log
  })
  // migrated, seeded, the hierarchy cache loaded, the key stores ready: everything a request needs
  const ready = Layer.mergeAll(
    // one failed-authentication table for the API and /health
    Authorization.layerRateLimit(),
    // verified tokens kept in memory for the cache's ttl, 5 s by default
    // (`revoke` here: at once; in another process: within the ttl)
    Authorization.layerLookup(SqlApiKeys.bearerLookupCached(options.keyCache)).pipe(Layer.provide(roleTable)),
    layerApiKeysWith(options.keyCache ?? {}),
    layerWarm
  ).pipe(
    Layer.provideMerge(
      layerPrepared({
        log,
        people: layerPeople(options),
        ...(options.seed === undefined ? {} : { seed: options.seed })
      })
    ),
    Layer.provide(secret)
  )
  return { api, banner, background: Layer.merge(scheduler, delivery), ready }
}

/**
 * 示范密钥（仅供演示）— the **public, demo-only** key the seeded demo seals
 * residents with when `CIVICGRID_PEOPLE_KEYS` is unset. Anyone can read it
 * here: never use it for real residents (configure `CIVICGRID_PEOPLE_KEYS`).
 *
 * @since 0.1.0
 * @category constants
 */
export const demoPeopleKeyring: PeopleCipher.Keyring = Either.getOrThrow(
  PeopleCipher.makeKeyring("demo-only-public", [
    { id: "demo-only-public", key: Redacted.make(Buffer.alloc(32, "civicgrid-demo-only").toString("base64")) }
  ])
)

/**
 * 联户走访存储 — the people store (`SqlPeopleRepository`) the app serves: on
 * `options.peopleKeyring`, else on `CIVICGRID_PEOPLE_KEYS` (provided by
 * `SqlRepositories.layer` already), else — only for a seeded demo — on
 * `demoPeopleKeyring`. An invalid configured keyring is a defect.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPeople = (
  options: Pick<Options, "peopleKeyring" | "seed">
): Layer.Layer<never, never, SqlClient.SqlClient | HierarchyRepository.HierarchyRepository> =>
  Layer.unwrapEffect(
    Effect.map(Effect.orDie(Config.option(PeopleCipher.config())), (configured) => {
      const keyring =
        options.peopleKeyring ??
        (Option.isNone(configured) && options.seed !== false ? demoPeopleKeyring : undefined)
      const people: Layer.Layer<never, never, SqlClient.SqlClient | HierarchyRepository.HierarchyRepository> =
        keyring === undefined ? Layer.empty : SqlPeopleRepository.layer({ keyring })
      return people
    })
  )

/** Loads the hierarchy cache before anything is served (a database without a district has none to load). */
const layerWarm: Layer.Layer<never, never, HierarchyRepository.HierarchyRepository> = Layer.effectDiscard(
  Effect.ignore(Effect.flatMap(HierarchyRepository.HierarchyRepository, (repository) => repository.load))
)

/**
 * 服务 — the whole app on the ambient `HttpServer` and `SqlClient`: migrate
 * and seed (unless `seed: false`: migrate only), then serve the API, Open311, `/health`, with the request log and
 * the SQL key store, and run the scheduler (`layerScheduler`: automatic
 * escalation and outbox pruning, unless `scheduler.enabled` is false) and,
 * with `webhooks` or `nats`, the event delivery (`layerEventDelivery`);
 * prints the banner once listening. Fails when the migration or the seed
 * fails (bad seed options, a database newer than this code), or a NATS
 * stream cannot be reached or set up.
 *
 * The ambient server is built (and, for Node's, listening) before the app:
 * a request arriving while the app migrates is not answered until it is
 * ready. To listen only once ready, use `layerServing`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  never,
  Seed.MigrateError | Seed.SeedError | JetStream.JetStreamError,
  HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices | SqlClient.SqlClient
> => {
  const { api, background, banner, ready } = parts(options)
  return Layer.mergeAll(api, banner, background).pipe(Layer.provide(ready))
}

/** The address of the server until it listens (never read before: the banner is built after). */
const unbound: HttpServer.Address = { _tag: "TcpAddress", hostname: "0.0.0.0", port: 0 }

/**
 * 就绪后监听 — the whole app (`layer`) on the given server, which is built —
 * for Node's `NodeHttpServer.layerServer`: bound to its port — only once the
 * app is ready: migrated, seeded, the hierarchy cache loaded, the API and its
 * OpenAPI document built. Every connection the port accepts is then answered;
 * before, connections are refused (nothing listens). Then the banner, the
 * scheduler and the event delivery start. The platform services
 * (`HttpRouter.DefaultServices`, e.g. `NodeHttpServer.layerContext`) are the
 * caller's.
 *
 * ```ts
 * App.layerServing(options, NodeHttpServer.layerServer(createServer, { port: 3000 })).pipe(
 *   Layer.provide(Database.layer(database)),
 *   Layer.provide(NodeHttpServer.layerContext)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServing = <E, R>(
  options: Options,
  server: Layer.Layer<HttpServer.HttpServer, E, R>
): Layer.Layer<
  never,
  Seed.MigrateError | Seed.SeedError | JetStream.JetStreamError | E,
  HttpRouter.HttpRouter.DefaultServices | SqlClient.SqlClient | R
> =>
  Layer.suspend(() => {
    const { api, background, banner, ready } = parts(options)
    // the API is built against a server that only remembers what to serve (and with which services) …
    let held: Option.Option<{
      readonly app: HttpApp.Default<unknown>
      readonly middleware: HttpMiddleware.HttpMiddleware | undefined
      readonly context: Context.Context<never>
    }> = Option.none()
    const remembering = Layer.succeed(
      HttpServer.HttpServer,
      HttpServer.make({
        address: unbound,
        serve: (app, middleware) =>
          Effect.map(Effect.context<never>(), (context) => {
            held = Option.some({ app, middleware, context })
          })
      })
    )
    // … then the real server is built (it listens) and serves it at once, with the services the API was built with
    const listen = Layer.scopedDiscard(
      Effect.flatMap(HttpServer.HttpServer, (listening) =>
        Option.match(held, {
          onNone: () => Effect.dieMessage("the API was not built before the server"),
          onSome: ({ app, context, middleware }) => {
            const serve: Effect.Effect<void, never, Scope.Scope> =
              middleware === undefined ? listening.serve(app) : listening.serve(app, middleware)
            return Effect.mapInputContext(serve, (current: Context.Context<Scope.Scope>) =>
              Context.merge(context, current)
            )
          }
        })
      )
    )
    const listening = listen.pipe(
      Layer.provideMerge(server),
      Layer.provide(api.pipe(Layer.provide(remembering)))
    )
    return Layer.merge(banner, background).pipe(Layer.provide(listening), Layer.provide(ready))
  })

/**
 * 启动失败 — why `layerFromConfig` could not start: the configuration, the
 * database (URL, driver, connection), the migration or the seed.
 *
 * @since 0.1.0
 * @category errors
 */
export type StartError =
  | ConfigError
  | Database.InvalidDatabaseUrl
  | Database.DriverMissing
  | SqlError
  | Seed.MigrateError
  | Seed.SeedError
  | JetStream.JetStreamError

/**
 * 按环境配置的服务 — `layer` on the database `CIVICGRID_DATABASE_URL` names
 * (`Database.fromConfig`: the SQLite file `defaultFile` when unset), with
 * the database's name in the banner and `/health`; the HTTP server is the
 * caller's (Node's on a port, or an in-process test server).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromConfig = (
  options: Options & { readonly defaultFile: string }
): Layer.Layer<never, StartError, HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices> =>
  Layer.unwrapEffect(
    Effect.map(Database.fromConfig(options.defaultFile), (database) => {
      return layer({
        ...options,
        ...secretOptions(options, database),
        databaseName: options.databaseName ?? Database.describe(database)
      }).pipe(Layer.provide(Database.layer(database)))
    })
  )

/**
 * 按环境配置、就绪后监听 — `layerServing` on the database
 * `CIVICGRID_DATABASE_URL` names, as `layerFromConfig`: the server is built
 * (Node's: bound to its port) only once the app is ready.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServingFromConfig = <E, R>(
  options: Options & { readonly defaultFile: string },
  server: Layer.Layer<HttpServer.HttpServer, E, R>
): Layer.Layer<never, StartError | E, HttpRouter.HttpRouter.DefaultServices | R> =>
  Layer.unwrapEffect(
    Effect.map(
      Effect.all([Database.fromConfig(options.defaultFile), deliveryConfig, keyCacheConfig]),
      ([database, delivery, keyCache]) =>
        layerServing(
          {
            // the environment's webhook, NATS stream, notifications and key cache, unless the options set them
            ...delivery,
            ...keyCache,
            ...options,
            ...secretOptions(options, database),
            databaseName: options.databaseName ?? Database.describe(database)
          },
          server
        ).pipe(Layer.provide(Database.layer(database)))
    )
  )

/**
 * The token secret a server on `database` uses when the options give none and
 * `CIVICGRID_TOKEN_SECRET` is unset: on a SQLite file, the one kept beside it
 * (`keptSecret`, `<file>.token-secret`); otherwise none (registered tokens are
 * then hashed slowly, see `SqlApiKeys`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const secretOptions = (
  options: Pick<Options, "tokenSecret">,
  database: Database.Database
): Pick<Options, "tokenSecret"> =>
  options.tokenSecret === undefined &&
  Option.isNone(SqlApiKeys.TokenSecret.defaultValue()) &&
  database._tag === "sqlite" &&
  database.filename !== ":memory:"
    ? { tokenSecret: keptSecret(`${database.filename}.token-secret`) }
    : {}

/**
 * 保存的令牌密钥 — the token secret kept in a file (created with 32 random
 * bytes, readable by its owner only, on first use), so that a SQLite demo
 * keeps verifying its tokens across restarts without configuration. The file
 * lives beside the database but is not in it: a copied database alone does
 * not reveal the secret. The file's directory is created if missing (the
 * first start of a server on a new database file).
 *
 * @since 0.1.0
 * @category constructors
 */
export const keptSecret = (file: string): Redacted.Redacted<string> => {
  // the database's directory may not exist yet on the first start (the database layer creates it later)
  mkdirSync(dirname(file), { recursive: true })
  try {
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" })
  } catch (e) {
    // already there: kept from an earlier start, or written by another process starting at once
    if (!(e instanceof Error && "code" in e && e.code === "EEXIST")) throw e
  }
  return Redacted.make(readFileSync(file, "utf8").trim())
}
