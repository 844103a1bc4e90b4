/**
 * The framework floors of the load benchmarks: an `HttpApi` of the two
 * benchmarked endpoints (`GET /cases/:caseId`, `POST /cases`) answering a
 * constant (`layerConstant`), and the same `HttpApi` doing the bare server's
 * SQL statements through `@effect/sql` (`layerSql`): no schema validation of
 * rows, no domain code; the same `HttpApi` doing them on `better-sqlite3`
 * prepared statements directly, without `@effect/sql` (`layerPrepared`); and
 * the lower layer, `HttpRouter`, answering a constant (`routerConstant`). The
 * token is compared as a string.
 */
import { randomUUID } from "node:crypto"
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as SqlClient from "@effect/sql/SqlClient"
import Database from "better-sqlite3"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"

export const summaryColumns = [
  "case_id",
  "version",
  "status",
  "tier",
  "owner_unit_id",
  "community_id",
  "unit_id",
  "category_id",
  "urgency",
  "source",
  "step",
  "step_started_at",
  "deadline",
  "reported_at",
  "closed_at",
  "closed_tier",
  "updated_at"
]

export const caseColumns = [...summaryColumns.slice(0, 7), "unit_path", ...summaryColumns.slice(7)]

const FloorReport = Schema.Struct({
  categoryId: Schema.String,
  urgency: Schema.String,
  description: Schema.String,
  location: Schema.Struct({ unitId: Schema.String }),
  contact: Schema.optional(Schema.Struct({ name: Schema.String, phone: Schema.String }))
})

class FloorGroup extends HttpApiGroup.make("cases")
  .add(
    HttpApiEndpoint.get("get", "/cases/:caseId")
      .setPath(Schema.Struct({ caseId: Schema.String }))
      .addSuccess(Schema.Unknown)
      .addError(HttpApiError.NotFound)
  )
  .add(
    HttpApiEndpoint.post("report", "/cases")
      .setHeaders(Schema.Struct({ "idempotency-key": Schema.optional(Schema.String) }))
      .setPayload(FloorReport)
      .addSuccess(Schema.Unknown, { status: 201 })
      .addError(HttpApiError.NotFound)
  ) {}

class FloorApi extends HttpApi.make("floor").add(FloorGroup).addError(HttpApiError.Unauthorized) {}

const authorize = (bearer: string) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    request.headers["authorization"] === `Bearer ${bearer}`
      ? Effect.void
      : Effect.fail(new HttpApiError.Unauthorized())
  )

/** The floor's `HttpApi` answering a constant (the token compared as a string). */
export const layerConstant = (bearer: string): Layer.Layer<HttpApi.Api> => {
  const summary = { caseId: "case-0000000", version: 1, status: "reported" }
  const handlers = HttpApiBuilder.group(FloorApi, "cases", (h) =>
    h
      .handle("get", ({ path }) =>
        Effect.as(authorize(bearer), { summary: { ...summary, caseId: path.caseId } })
      )
      .handle("report", () =>
        Effect.as(authorize(bearer), { caseId: randomUUID(), version: 1, status: "reported", events: [] })
      )
  )
  return HttpApiBuilder.api(FloorApi).pipe(Layer.provide(handlers))
}

/** The `Reported` event and the read-model row (`caseColumns`) of a floor's report. */
const reportRows = (
  principal: { readonly id: string; readonly unitId: string },
  caseId: string,
  now: number,
  payload: typeof FloorReport.Type,
  unitPath: string
) => {
  const unitId = payload.location.unitId
  const event = {
    _tag: "Reported",
    caseId,
    sequence: 1,
    at: new Date(now).toISOString(),
    actor: { id: principal.id, role: "district-staff", unitId: principal.unitId },
    source: "assigned",
    categoryId: payload.categoryId,
    urgency: payload.urgency,
    description: payload.description,
    location: { unitId },
    communityId: unitId,
    tier: "community",
    ownerUnitId: unitId,
    anonymous: false,
    attributes: {}
  }
  const values: ReadonlyArray<string | number | null> = [
    caseId,
    1,
    "reported",
    "community",
    unitId,
    unitId,
    unitId,
    unitPath,
    payload.categoryId,
    payload.urgency,
    "assigned",
    "filing",
    now,
    null,
    now,
    null,
    null,
    now
  ]
  return { event, values }
}

/** The floor's `HttpApi` doing the bare server's SQL statements on the ambient `SqlClient`. */
export const layerSql = (
  bearer: string,
  district: string
): Layer.Layer<HttpApi.Api, never, SqlClient.SqlClient> => {
  const principal = { id: "bench-district-staff", unitId: district }
  const handlers = HttpApiBuilder.group(FloorApi, "cases", (h) =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return h
        .handle("get", ({ path }) =>
          Effect.gen(function* () {
            yield* authorize(bearer)
            const [summary] =
              yield* sql`SELECT ${sql.literal(summaryColumns.join(", "))} FROM cg_cases WHERE case_id = ${path.caseId}`
            if (summary === undefined) return yield* new HttpApiError.NotFound()
            const rows = yield* sql<{
              readonly payload: string
            }>`SELECT payload FROM cg_case_events WHERE case_id = ${path.caseId} ORDER BY sequence`
            return { summary, events: rows.map((row) => JSON.parse(row.payload) as unknown) }
          }).pipe(Effect.orDie)
        )
        .handle("report", ({ headers, payload }) =>
          Effect.gen(function* () {
            yield* authorize(bearer)
            const caseId = randomUUID()
            const now = Date.now()
            const key = headers["idempotency-key"]
            if (key !== undefined) {
              const scoped = JSON.stringify([principal.id, key])
              const claimed =
                yield* sql`INSERT INTO cg_idempotency (idempotency_key, case_id, created_at) VALUES (${scoped}, ${caseId}, ${now}) ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`
              if (claimed.length === 0) {
                const [winner] = yield* sql<{
                  readonly case_id: string
                }>`SELECT case_id FROM cg_idempotency WHERE idempotency_key = ${scoped}`
                return { caseId: winner?.case_id, replayed: true, events: [] }
              }
            }
            const unitId = payload.location.unitId
            const [unit] = yield* sql<{
              readonly path: string
              readonly level: string
            }>`SELECT path, level FROM cg_units WHERE id = ${unitId}`
            if (unit === undefined || unit.level !== "community") return yield* new HttpApiError.NotFound()
            const { event, values } = reportRows(principal, caseId, now, payload, unit.path)
            yield* sql`INSERT INTO cg_case_events (case_id, sequence, tag, at, actor_id, payload) VALUES (${caseId}, 1, 'Reported', ${now}, ${principal.id}, ${JSON.stringify(event)})`
            yield* sql`INSERT INTO cg_cases (${sql.literal(caseColumns.join(", "))}) VALUES (${sql.csv(values.map((v) => sql`${v}`))})`
            return { caseId, version: 1, status: "reported", replayed: false, events: [event] }
          }).pipe(sql.withTransaction, Effect.orDie)
        )
    })
  )
  return HttpApiBuilder.api(FloorApi).pipe(Layer.provide(handlers))
}

/**
 * The floor's `HttpApi` doing the same statements on `better-sqlite3`
 * prepared statements, prepared once, called directly (no `@effect/sql`: no
 * statement compilation, prepare cache, span or fiber per statement); the
 * report's writes in one `better-sqlite3` transaction.
 */
export const layerPrepared = (bearer: string, district: string, file: string): Layer.Layer<HttpApi.Api> => {
  const principal = { id: "bench-district-staff", unitId: district }
  const db = new Database(file)
  db.pragma("journal_mode = WAL")
  const selectCase = db.prepare(`SELECT ${summaryColumns.join(", ")} FROM cg_cases WHERE case_id = ?`)
  const selectEvents = db.prepare("SELECT payload FROM cg_case_events WHERE case_id = ? ORDER BY sequence")
  const claimKey = db.prepare(
    "INSERT INTO cg_idempotency (idempotency_key, case_id, created_at) VALUES (?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING"
  )
  const findKey = db.prepare("SELECT case_id FROM cg_idempotency WHERE idempotency_key = ?")
  const selectUnit = db.prepare("SELECT path, level FROM cg_units WHERE id = ?")
  const insertEvent = db.prepare(
    "INSERT INTO cg_case_events (case_id, sequence, tag, at, actor_id, payload) VALUES (?, 1, 'Reported', ?, ?, ?)"
  )
  const insertCase = db.prepare(
    `INSERT INTO cg_cases (${caseColumns.join(", ")}) VALUES (${caseColumns.map(() => "?").join(", ")})`
  )
  const report = db.transaction((payload: typeof FloorReport.Type, key: string | undefined) => {
    const caseId = randomUUID()
    const now = Date.now()
    if (key !== undefined) {
      const scoped = JSON.stringify([principal.id, key])
      if (claimKey.run(scoped, caseId, now).changes === 0) {
        return { caseId: findKey.get(scoped)?.["case_id"], replayed: true, events: [] }
      }
    }
    const unit = selectUnit.get(payload.location.unitId)
    if (unit === undefined || unit["level"] !== "community") return undefined
    const { event, values } = reportRows(principal, caseId, now, payload, String(unit["path"]))
    insertEvent.run(caseId, now, principal.id, JSON.stringify(event))
    insertCase.run(...values)
    return { caseId, version: 1, status: "reported", replayed: false, events: [event] }
  })
  const handlers = HttpApiBuilder.group(FloorApi, "cases", (h) =>
    h
      .handle("get", ({ path }) =>
        Effect.flatMap(authorize(bearer), () => {
          const summary = selectCase.get(path.caseId)
          if (summary === undefined) return Effect.fail(new HttpApiError.NotFound())
          const events = selectEvents
            .all(path.caseId)
            .map((row) => JSON.parse(String(row["payload"])) as unknown)
          return Effect.succeed({ summary, events })
        })
      )
      .handle("report", ({ headers, payload }) =>
        Effect.flatMap(authorize(bearer), () => {
          const done = report(payload, headers["idempotency-key"])
          return done === undefined ? Effect.fail(new HttpApiError.NotFound()) : Effect.succeed(done)
        })
      )
  )
  return HttpApiBuilder.api(FloorApi).pipe(
    Layer.provide(handlers),
    Layer.provide(Layer.scopedDiscard(Effect.addFinalizer(() => Effect.sync(() => db.close()))))
  )
}

/**
 * The lower layer's floor: the two endpoints on `HttpRouter` (no `HttpApi`
 * contract: no schema decoding of the path or headers, the body read as
 * JSON without a schema), answering a constant.
 */
export const routerConstant = (bearer: string): HttpApp.Default<never, Scope.Scope> => {
  const authorized = Effect.map(
    HttpServerRequest.HttpServerRequest,
    (request) => request.headers["authorization"] === `Bearer ${bearer}`
  )
  const unauthorized = HttpServerResponse.unsafeJson({ _tag: "Unauthorized" }, { status: 401 })
  return HttpRouter.empty.pipe(
    HttpRouter.get(
      "/cases/:caseId",
      Effect.gen(function* () {
        if (!(yield* authorized)) return unauthorized
        const params = yield* HttpRouter.params
        return HttpServerResponse.unsafeJson({
          summary: { caseId: params["caseId"], version: 1, status: "reported" }
        })
      })
    ),
    HttpRouter.post(
      "/cases",
      Effect.gen(function* () {
        if (!(yield* authorized)) return unauthorized
        const request = yield* HttpServerRequest.HttpServerRequest
        yield* request.json
        return HttpServerResponse.unsafeJson(
          { caseId: randomUUID(), version: 1, status: "reported", events: [] },
          { status: 201 }
        )
      })
    ),
    Effect.catchAll(() => HttpServerResponse.json({ _tag: "BadRequest" }, { status: 400 })),
    Effect.orDie
  )
}

/** A statement as civicgrid ran it: its SQL text and parameters (`Statement.compile`). */
export type Captured = readonly [sql: string, params: ReadonlyArray<unknown>]

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g

/** A parameter with `from` replaced by `to` wherever it occurs in a text. */
const substitute = (param: unknown, replace: (text: string) => string): unknown =>
  typeof param === "string" ? replace(param) : param

/**
 * The floor's `HttpApi` running exactly the statements civicgrid ran for one
 * request of each endpoint (captured with a statement transformer, see
 * `Handler.bench.ts`), in one transaction for a report as civicgrid does,
 * through `@effect/sql` — with the request's own values: the case id read
 * replaced by the path's, every id a report generated (UUIDs) by fresh ones
 * and its idempotency key by the request's. No domain code, no row
 * decoding: what is left between this floor and civicgrid is civicgrid's own
 * work per request, not the database's.
 */
export const layerReplay = (
  bearer: string,
  captured: {
    readonly get: { readonly caseId: string; readonly statements: ReadonlyArray<Captured> }
    readonly report: { readonly key: string; readonly statements: ReadonlyArray<Captured> }
  }
): Layer.Layer<HttpApi.Api, never, SqlClient.SqlClient> => {
  const handlers = HttpApiBuilder.group(FloorApi, "cases", (h) =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return h
        .handle("get", ({ path }) =>
          Effect.gen(function* () {
            yield* authorize(bearer)
            const results: Array<ReadonlyArray<unknown>> = []
            for (const [text, params] of captured.get.statements) {
              const replace = (s: string) => s.split(captured.get.caseId).join(path.caseId)
              results.push(
                yield* sql.unsafe(
                  text,
                  params.map((p) => substitute(p, replace))
                )
              )
            }
            return { results }
          }).pipe(Effect.orDie)
        )
        .handle("report", ({ headers }) =>
          Effect.gen(function* () {
            yield* authorize(bearer)
            const fresh = new Map<string, string>()
            const key = headers["idempotency-key"] ?? randomUUID()
            const replace = (s: string) =>
              s
                .replace(uuidPattern, (old) => {
                  const known = fresh.get(old)
                  if (known !== undefined) return known
                  const made = randomUUID()
                  fresh.set(old, made)
                  return made
                })
                .split(captured.report.key)
                .join(key)
            for (const [text, params] of captured.report.statements) {
              yield* sql.unsafe(
                text,
                params.map((p) => substitute(p, replace))
              )
            }
            return { caseId: [...fresh.values()][0], version: 1, status: "reported", replayed: false }
          }).pipe(sql.withTransaction, Effect.orDie)
        )
    })
  )
  return HttpApiBuilder.api(FloorApi).pipe(Layer.provide(handlers))
}
