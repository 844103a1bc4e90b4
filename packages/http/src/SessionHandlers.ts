/**
 * 会话接口实现 — the `session` handlers: `GET /me` (who the token belongs to,
 * as far as the principal may see: its unit, jurisdiction and department by
 * name, and its local role with its names from the role table,
 * `Principal.CurrentRoleTable`) and `GET /board/changes`, server-sent events for screens that follow
 * a board (the 大屏 wall): the handler reads the board of the unit
 * (`CaseRepository.board`, the projection of the stored events) every
 * `interval` — one read shared by all streams of a unit (`sharedBoardReader`)
 * — and sends `changed` with a cursor whenever it differs — never a
 * case, so nothing outside what `/board` already answers is revealed. The
 * unit is checked like `/board`'s: a unit outside the principal's jurisdiction,
 * or a principal without one, is a 404 like an unknown unit. Only a client that
 * accepts `text/event-stream` (as `EventSource` does) gets a stream that stays
 * open; any other gets the `ready` event alone and the response ends. Open
 * streams end when the layer is released (the server shutting down), so a
 * wall left open never holds up a shutdown.
 *
 * @since 0.1.0
 */
import { type Board, CaseRepository } from "@civicgrid/core/CaseRepository"
import { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as RoleTable from "@civicgrid/core/RoleTable"
import type { UnitId } from "@civicgrid/core/Unit"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cache from "effect/Cache"
import * as DateTime from "effect/DateTime"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { Api, type Me, NotFound, type UnitRef } from "./Api.js"
import type { Authorization } from "./Authorization.js"
import { optionKeepStorage } from "./internal/storage.js"
import { CurrentPrincipal, CurrentRoleTable, isInJurisdiction, jurisdictionOf } from "./Principal.js"

/**
 * Options of the `session` handlers.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How often a board change stream reads the board (default 2 seconds). */
  readonly interval?: Duration.DurationInput
  /** How often it sends a keep-alive comment when nothing changed (default 15 seconds). */
  readonly keepAlive?: Duration.DurationInput
}

const unitNotFound = (unitId: string): NotFound =>
  new NotFound({
    resource: "unit",
    id: unitId,
    message: "单元不存在或不在您的辖区内 no such unit in your jurisdiction"
  })

/**
 * 看板指纹 — what a board change stream compares: the board's counts, without
 * the instant it was read at.
 *
 * @since 0.1.0
 * @category getters
 */
export const boardFingerprint = (board: Board): string =>
  JSON.stringify([board.open, board.overdue, board.escalatedToday, board.closedToday, board.supervised])

/**
 * One server-sent event: its name, id and a JSON `data` line.
 *
 * @since 0.1.0
 * @category constructors
 */
export const sseEvent = (event: string, id: number, data: unknown): string =>
  `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`

const encoder = new TextEncoder()

/**
 * 共享看板读取 — the board reads of change streams, shared: every stream of a
 * unit that asks within `maxAge` of the last read of that unit gets that
 * read's fingerprint (`boardFingerprint`), so a command centre with many
 * screens on one board costs one board query per `maxAge`, not one per
 * screen. A store that cannot answer gives none (the streams skip that
 * tick). At most `capacity` units are remembered (default 1,000).
 *
 * @since 0.1.0
 * @category constructors
 */
export const sharedBoardReader = (options: {
  readonly maxAge: Duration.DurationInput
  readonly capacity?: number
}): Effect.Effect<(unitId: UnitId) => Effect.Effect<Option.Option<string>>, never, CaseRepository> =>
  Effect.gen(function* () {
    const repo = yield* CaseRepository
    const cache = yield* Cache.make({
      capacity: options.capacity ?? 1_000,
      timeToLive: options.maxAge,
      lookup: (unitId: UnitId) =>
        Effect.flatMap(DateTime.now, (now) => repo.board(unitId, now)).pipe(
          Effect.map(boardFingerprint),
          Effect.option
        )
    })
    return (unitId) => cache.get(unitId)
  })

/**
 * The `session` handlers, with options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (
  options: Options = {}
): Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "session">,
  never,
  CaseRepository | HierarchyRepository | DepartmentRepository | Authorization
> =>
  HttpApiBuilder.group(Api, "session", (handlers) =>
    Effect.gen(function* () {
      const hierarchies = yield* HierarchyRepository
      const departments = yield* DepartmentRepository
      const roleTable = yield* CurrentRoleTable
      const interval = Duration.decode(options.interval ?? "2 seconds")
      const keepAlive = Duration.decode(options.keepAlive ?? "15 seconds")
      const loadHierarchy = optionKeepStorage(hierarchies.load)
      // the streams of one unit share its board reads: at most about two queries per interval, whatever the screens
      const readBoard = yield* sharedBoardReader({
        maxAge: Duration.divide(interval, 2).pipe(Option.getOrElse(() => interval))
      })
      // open streams end when the server shuts down (Node's close otherwise waits on them, seconds)
      const closing = yield* Deferred.make<void>()
      yield* Effect.addFinalizer(() => Deferred.succeed(closing, undefined))
      return handlers
        .handle("me", () =>
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal
            const hierarchy = yield* loadHierarchy
            const refOf = (unitId: string | undefined): UnitRef | null =>
              unitId === undefined
                ? null
                : Option.getOrNull(
                    Option.map(
                      Option.flatMap(hierarchy, (h) => Hierarchy.get(h, unitId)),
                      (u): UnitRef => ({ id: u.id, name: u.name, level: u.level })
                    )
                  )
            const department =
              principal.departmentId === undefined
                ? Option.none()
                : yield* departments.get(principal.departmentId)
            const local = principal.localRole
            const me: Me = {
              id: principal.id,
              role: principal.role,
              unit: refOf(principal.unitId),
              jurisdiction: refOf(jurisdictionOf(principal)),
              department: Option.getOrNull(
                Option.map(department, (d) => ({ id: d.id, name: d.name, nameEn: d.nameEn }))
              ),
              // a verified local role is in the table; else its id stands for its names
              localRole:
                local === undefined
                  ? null
                  : Option.match(RoleTable.lookup(roleTable, "actor", local), {
                      onNone: () => ({ id: local, zh: local, en: local }),
                      onSome: (e) => ({ id: e.id, zh: e.zh, en: e.en })
                    })
            }
            return me
          })
        )
        .handleRaw("boardChanges", ({ urlParams }) =>
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal
            const unitId: UnitId | undefined = urlParams.unitId ?? jurisdictionOf(principal)
            if (unitId === undefined) return yield* Effect.fail(unitNotFound(principal.unitId))
            const hierarchy = yield* loadHierarchy
            const allowed = Option.match(hierarchy, {
              onNone: () => false,
              onSome: (h) => isInJurisdiction(principal, h, unitId)
            })
            if (!allowed) return yield* Effect.fail(unitNotFound(unitId))
            // a store that cannot answer now: no event this time, the stream goes on
            const read = readBoard(unitId)
            const request = yield* HttpServerRequest.HttpServerRequest
            const streaming = (request.headers["accept"] ?? "").includes("text/event-stream")
            const headers = { "cache-control": "no-cache", "x-accel-buffering": "no" }
            // a client that does not ask for an event stream gets its first event and an ended response
            if (!streaming) {
              return HttpServerResponse.text(`retry: 5000\n\n${sseEvent("ready", 0, { cursor: 0 })}`, {
                contentType: "text/event-stream",
                headers
              })
            }
            let last = Option.getOrUndefined(yield* read)
            let cursor = 0
            let quiet = Duration.zero
            const ticks = Stream.repeatEffectWithSchedule(
              Effect.map(read, (found): string | undefined => {
                if (Option.isSome(found) && found.value !== last) {
                  last = found.value
                  cursor += 1
                  quiet = Duration.zero
                  return sseEvent("changed", cursor, { cursor })
                }
                quiet = Duration.sum(quiet, interval)
                if (Duration.greaterThanOrEqualTo(quiet, keepAlive)) {
                  quiet = Duration.zero
                  return ": ping\n\n"
                }
                return undefined
              }),
              Schedule.spaced(interval)
            ).pipe(Stream.filter((chunk): chunk is string => chunk !== undefined))
            const body = Stream.concat(
              Stream.make(`retry: 5000\n\n${sseEvent("ready", cursor, { cursor })}`),
              ticks
            ).pipe(
              Stream.interruptWhen(Deferred.await(closing)),
              Stream.map((text) => encoder.encode(text))
            )
            return HttpServerResponse.stream(body, { contentType: "text/event-stream", headers })
          })
        )
    })
  )

/**
 * The `session` handlers (a board change stream reads the board every 2 seconds).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"civicgrid", "session">,
  never,
  CaseRepository | HierarchyRepository | DepartmentRepository | Authorization
> = layerWith()
