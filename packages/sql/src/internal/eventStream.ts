/**
 * The SQL half of the core's command runner for a decider's event stream —
 * one copy for every store that keeps a stream per aggregate (micro-wishes,
 * proxy services, compound party foundings, award rounds, deliberation
 * topics): the events in one table keyed by (stream, sequence), a summary row
 * per stream in another.
 *
 * `append` locks the summary row (`FOR UPDATE` on PostgreSQL), reads the
 * stored events, lets the store's core check (`decide`) validate the whole
 * history against the expected version and build the summary, inserts the
 * new events and upserts the summary — one transaction. The primary key
 * (stream, sequence) makes a racing writer fail: that failure becomes the
 * store's own concurrency conflict with the version it lost to, so no event
 * is lost or doubled.
 *
 * @since 0.1.0
 */
import type * as Storage from "@civicgrid/core/Storage"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import { chunk, forUpdate, isUniqueViolation, num, orDie } from "./support.js"

/**
 * A stored event: its sequence in the stream and its tag.
 *
 * @since 0.1.0
 * @category internal
 */
export interface StreamEvent {
  readonly sequence: number
  readonly _tag: string
}

/**
 * Where a stream lives and how its events are written.
 *
 * @since 0.1.0
 * @category internal
 */
export interface StreamTables<E extends StreamEvent> {
  /** The event table: columns `<key>`, `sequence`, `tag`, `event` and `columns`' own. */
  readonly events: string
  /** The stream key column of the event table. */
  readonly key: string
  /** The summary table, one row per stream. */
  readonly summary: string
  /** The key column of the summary table. */
  readonly summaryKey: string
  /** The summary columns an append updates (the key and the rest are written once). */
  readonly update: ReadonlyArray<string>
  readonly encode: (event: E) => string
  readonly decode: (text: string) => E
  /** Extra columns of an event row (e.g. `at`). */
  readonly columns?: (event: E) => Readonly<Record<string, unknown>>
}

/**
 * What the store's core check answers: the result of the append and the
 * summary row to upsert (none: nothing to write, e.g. no events).
 *
 * @since 0.1.0
 * @category internal
 */
export interface Decided<A> {
  readonly result: A
  readonly summary: Readonly<Record<string, unknown>> | undefined
}

const isSqlError = (u: unknown): u is SqlError => Predicate.isTagged(u, "SqlError")

/**
 * The stream operations of one store on one client.
 *
 * @since 0.1.0
 * @category internal
 */
export const eventStream = <E extends StreamEvent>(sql: SqlClient.SqlClient, tables: StreamTables<E>) => {
  const updateSet = sql.literal(tables.update.map((c) => `${c} = excluded.${c}`).join(", "))

  const stored = (id: string): Effect.Effect<ReadonlyArray<E>, SqlError> =>
    Effect.map(
      sql<{ readonly event: string }>`SELECT event FROM ${sql(tables.events)} WHERE ${sql(tables.key)} = ${id}
          ORDER BY sequence`,
      (rows) => rows.map((r) => tables.decode(r.event))
    )

  const append = <A, X, C>(input: {
    readonly id: string
    readonly events: ReadonlyArray<E>
    /** The summary columns read (and locked) before the check; the key when absent. */
    readonly lock?: ReadonlyArray<string>
    /** The core's check of the whole history, building the summary. */
    readonly decide: (
      stored: ReadonlyArray<E>,
      locked: Readonly<Record<string, unknown>> | undefined
    ) => Effect.Effect<Decided<A>, X | SqlError>
    /** The store's conflict, with the version a racing writer stored. */
    readonly conflict: (actualVersion: number) => C
  }): Effect.Effect<A, Exclude<X, SqlError> | C | Storage.StorageUnavailable> => {
    const { events, id } = input
    const lockColumns = sql.literal((input.lock ?? [tables.summaryKey]).join(", "))
    const attempt = sql.withTransaction(
      Effect.gen(function* () {
        const locked = yield* sql<Record<string, unknown>>`SELECT ${lockColumns} FROM ${sql(tables.summary)}
            WHERE ${sql(tables.summaryKey)} = ${id} ${forUpdate(sql)}`
        const { result, summary } = yield* input.decide(yield* stored(id), locked[0])
        if (events.length === 0 || summary === undefined) return result
        yield* Effect.forEach(
          chunk(
            events.map((e) => ({
              [tables.key]: id,
              sequence: e.sequence,
              tag: e._tag,
              ...tables.columns?.(e),
              event: tables.encode(e)
            }))
          ),
          (batch) => sql`INSERT INTO ${sql(tables.events)} ${sql.insert(batch)}`,
          { discard: true }
        )
        yield* sql`INSERT INTO ${sql(tables.summary)} ${sql.insert({ ...summary })}
            ON CONFLICT (${sql(tables.summaryKey)}) DO UPDATE SET ${updateSet}`
        return result
      })
    )
    // A racing writer that stored the same sequence first: the loser's insert hits the primary key.
    const raced = Effect.catchIf(
      attempt,
      (e): e is SqlError => isSqlError(e) && isUniqueViolation(e),
      () =>
        Effect.flatMap(
          sql<{ readonly n: unknown }>`SELECT COUNT(*) AS n FROM ${sql(tables.events)}
              WHERE ${sql(tables.key)} = ${id}`,
          (rows) => Effect.fail(input.conflict(num(rows[0]?.n ?? 0)))
        )
    )
    return orDie(raced)
  }

  return { stored, append }
}
