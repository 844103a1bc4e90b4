/**
 * 议事协商仓库（SQL） — the core's `DeliberationRepository` on `@effect/sql`,
 * the same code for SQLite and PostgreSQL. Needs the migrations applied
 * (`Migrations.run`, 0028).
 *
 * - An append locks the topic's summary row (`FOR UPDATE` on PostgreSQL),
 *   checks the expected version and the whole history with the core
 *   (`DeliberationRepository.checkAppend`), inserts the events and upserts the
 *   summary (unit, status, version, the topic's state as `doc`) in the same
 *   transaction. Primary key (topic, sequence) makes a racing writer fail;
 *   that failure is reported as `DeliberationConcurrencyConflict` with the
 *   version it lost to — no event is lost or doubled.
 * - Reads by jurisdiction are in the query: the summary's unit joins
 *   `cg_units` and selects a range of its path index.
 * - Publications are read from the summaries that carry one and shown as
 *   `PublicEntry` (`publicEntry`: on display at the given time, no personal
 *   data).
 *
 * @since 0.1.0
 */
import * as Deliberation from "@civicgrid/core/Deliberation"
import {
  byId,
  checkAppend,
  DeliberationConcurrencyConflict,
  DeliberationRepository,
  orderEntries,
  type PublicEntry,
  publicEntry,
  TopicNotFound,
  type TopicQuery,
  unitOf
} from "@civicgrid/core/DeliberationRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import type * as Context from "effect/Context"
import type * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { eventStream } from "./internal/eventStream.js"
import {
  existing,
  fromJson,
  inList,
  inSubtree,
  orDie,
  readTransaction,
  scopePath,
  toJson
} from "./internal/support.js"

const encodeEvent = toJson(Deliberation.Event)
const decodeEvent = fromJson(Deliberation.Event)
const encodeTopic = toJson(Deliberation.Topic)
const decodeTopic = fromJson(Deliberation.Topic)

/**
 * Builds the SQL deliberation store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  Context.Tag.Service<DeliberationRepository>,
  never,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const read = <A, E>(self: Effect.Effect<A, E | SqlError>) => orDie(readTransaction(sql, self))

  /** The join and condition selecting topics whose unit lies within `within`. */
  const scoped = (within: string | undefined) =>
    within === undefined
      ? Effect.succeed({ join: sql.literal(""), where: [] as Array<Fragment> })
      : Effect.map(scopePath(sql, within), (path) => ({
          join: sql`JOIN cg_units u ON u.id = t.unit_id`,
          where: [inSubtree(sql, "u.path", path)]
        }))

  const stream = eventStream(sql, {
    events: "cg_delib_events",
    key: "topic_id",
    summary: "cg_delib_topics",
    summaryKey: "id",
    update: ["status", "version", "published", "doc"],
    encode: encodeEvent,
    decode: decodeEvent
  })

  const append = (input: {
    readonly topicId: string
    readonly expectedVersion: number
    readonly events: ReadonlyArray<Deliberation.Event>
  }) => {
    const { events, expectedVersion, topicId } = input
    return stream.append({
      id: topicId,
      events,
      decide: (stored) =>
        Effect.gen(function* () {
          const unit = unitOf([...stored, ...events])
          const units = yield* existing(sql, "cg_units", unit === undefined ? [] : [unit])
          const { state, version } = yield* checkAppend({ topicId, expectedVersion, stored, events, units })
          return {
            result: { id: topicId, version },
            summary: {
              id: topicId,
              unit_id: state.unitId,
              status: state.status,
              version: state.version,
              published: state.publication === null ? 0 : 1,
              doc: encodeTopic(state)
            }
          }
        }),
      conflict: (actualVersion) =>
        new DeliberationConcurrencyConflict({ topicId, expectedVersion, actualVersion })
    })
  }

  const topicsWhere = (scope: { readonly join: Fragment; readonly where: ReadonlyArray<Fragment> }) =>
    Effect.map(
      sql<{ readonly doc: string }>`SELECT t.doc FROM cg_delib_topics t ${scope.join}
          WHERE ${sql.and([...scope.where])} ORDER BY t.id`,
      (rows) => rows.map((r) => decodeTopic(r.doc))
    )

  const topic = (topicId: string) =>
    read(
      Effect.flatMap(topicsWhere({ join: sql.literal(""), where: [sql`t.id = ${topicId}`] }), ([found]) =>
        found === undefined ? Effect.fail(new TopicNotFound({ topicId })) : Effect.succeed(found)
      )
    )

  const topics = (query?: TopicQuery) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within)
        const where =
          query?.statuses === undefined
            ? scope.where
            : [...scope.where, inList(sql, "t.status", query.statuses)]
        return byId(yield* topicsWhere({ join: scope.join, where }))
      })
    )

  const publications = (query: { readonly now: DateTime.Utc; readonly within?: string }) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query.within)
        const shown = yield* topicsWhere({ join: scope.join, where: [...scope.where, sql`t.published = 1`] })
        return orderEntries(
          shown.flatMap((t): ReadonlyArray<PublicEntry> => {
            const entry = publicEntry(t, query.now)
            return entry === undefined ? [] : [entry]
          })
        )
      })
    )

  const service: Context.Tag.Service<DeliberationRepository> = {
    append,
    events: (topicId) => orDie(stream.stored(topicId)),
    topic,
    topics,
    publications
  }
  return service
})

/**
 * The SQL deliberation store as a Layer (needs an `SqlClient`, migrated).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<DeliberationRepository, never, SqlClient.SqlClient> = Layer.effect(
  DeliberationRepository,
  make
)
