/**
 * Writing the indicator tables (migrations 0006, 0009): inside the case
 * store's append transaction (`writer`), and all at once from the events
 * (`rebuild`). Only SQL: what is written — the stored columns, each case's
 * timeline of deltas — is the core's (`IndicatorProjection`).
 */
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import { pathSegment, type TimeLimits } from "@civicgrid/core/CaseRepository"
import type { CaseStep } from "@civicgrid/core/CaseStep"
import * as Indicator from "@civicgrid/core/Indicator"
import * as IndicatorProjection from "@civicgrid/core/IndicatorProjection"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { chunks, eventOf, insertRows, toNumber } from "./caseRows.js"
import { unitPaths as supportUnitPaths } from "./support.js"

type Timeline = IndicatorProjection.CaseTimeline
const { effectiveInstants, timeline } = IndicatorProjection

/** The stored value columns (the core's), in table order. */
export const valueColumns: ReadonlyArray<string> = IndicatorProjection.columnNames
/** Number of stored value columns. */
export const VALUES = valueColumns.length

const DAY_MS = 86_400_000
/** Added to local day numbers so they stay positive (and 0 can mean "none"). */
export const DAY_SHIFT = 1_000_000

/** The local day number (+ `DAY_SHIFT`) of an instant at an offset. */
export const dayOf = (ms: number, utcOffsetMinutes: number): number =>
  Math.floor((ms + utcOffsetMinutes * 60_000) / DAY_MS) + DAY_SHIFT

const IN_CHUNK = 900
const DELETE_CHUNK = 200

/** What the store's configuration says the indicator tables hold. */
export interface Config {
  readonly closureSteps: ReadonlyArray<CaseStep>
  readonly utcOffsetMinutes: number
}

/** Closure steps as recorded in the configuration: sorted, comma-separated. */
export const stepsText = (steps: ReadonlyArray<CaseStep>): string => [...new Set(steps)].sort().join(",")

/** One case of an append: its stored events, the new ones, and whether it existed. */
export interface CaseWrite {
  readonly caseId: string
  readonly stored: ReadonlyArray<CaseEvent>
  readonly appended: ReadonlyArray<CaseEvent>
}

type Attribution = {
  readonly community_path: string
  readonly location_path: string
  readonly community_id: string
  readonly location_id: string
  readonly source: string
}

/** The attribution path of a unit: the hierarchy's, or `/<id>/` when it does not know it. */
const attributionPath = (paths: ReadonlyMap<string, string>, unitId: string): string =>
  paths.get(unitId) ?? `/${pathSegment(unitId)}/`

/** Unit ids whose paths a case's indicators need: community, location, units dispatched to. */
export const unitsOf = (events: ReadonlyArray<CaseEvent>, into: Set<string>): void => {
  for (const e of events) {
    if (e._tag === "Reported") {
      into.add(e.communityId)
      into.add(e.location.unitId)
    } else if (e._tag === "Dispatched" && e.target._tag === "Unit") into.add(e.target.unitId)
  }
}

/** A stored delta row, as the writer compares it with a recomputed one. */
interface StoredDelta {
  readonly caseId: string
  readonly change: number
  readonly seq: number
  readonly at: number
  readonly alt: number | null
  /** community path, location path and source, joined */
  readonly attribution: string
  readonly communityPath: string
  readonly values: ReadonlyArray<number>
}

/** The key of a delta row (its primary key). */
const deltaKey = (caseId: string, change: number, seq: number): string =>
  `${caseId}\u0000${change}\u0000${seq}`

/**
 * Shards of the day sums on PostgreSQL (migration 0023; the case store's
 * `indicators.dayShards`, default 1): a case's sums go to shard
 * `hash(case id) mod shards`, so concurrent appends of cases of one community
 * and day mostly update different rows. SQLite serialises writers: one shard.
 */

/** The shard of a case's day sums (FNV-1a of its id). */
export const shardOf = (caseId: string, shards: number): number => {
  if (shards <= 1) return 0
  let hash = 0x811c9dc5
  for (let i = 0; i < caseId.length; i++) hash = Math.imul(hash ^ caseId.charCodeAt(i), 0x01000193) >>> 0
  return hash % shards
}

/** Sums of delta values per aggregate key (with the shard). */
class DaySums {
  constructor(readonly shards: number) {}

  readonly byKey = new Map<
    string,
    { readonly key: readonly [string, number, number, number, number]; values: Float64Array }
  >()

  add(
    caseId: string,
    path: string,
    day: number,
    altDay: number,
    changeDay: number,
    values: ArrayLike<number>,
    sign: number
  ) {
    const shard = shardOf(caseId, this.shards)
    const k = `${day}|${altDay}|${changeDay}|${shard}|${path}`
    let entry = this.byKey.get(k)
    if (entry === undefined) {
      entry = { key: [path, day, altDay, changeDay, shard], values: new Float64Array(VALUES) }
      this.byKey.set(k, entry)
    }
    for (let i = 0; i < VALUES; i++) entry.values[i] = (entry.values[i] ?? 0) + sign * (values[i] ?? 0)
  }

  /**
   * The non-zero sums as rows, in key order (concurrent writers lock the rows
   * they upsert in one order: no deadlock), with the columns that are
   * non-zero in any of them (a batch of reports carries one or two).
   */
  rows(): { readonly rows: Array<Record<string, string | number>>; readonly columns: ReadonlyArray<string> } {
    const entries = [...this.byKey.values()]
      .filter(({ values }) => values.some((v) => v !== 0))
      .sort((a, b) => {
        const [pa, da, aa, ca, sa] = a.key
        const [pb, db, ab, cb, sb] = b.key
        return pa < pb ? -1 : pa > pb ? 1 : da - db || aa - ab || ca - cb || sa - sb
      })
    const used = valueColumns.filter((_, i) => entries.some(({ values }) => values[i] !== 0))
    const index = used.map((c) => valueColumns.indexOf(c))
    const rows = entries.map(({ key, values }) => {
      const row: Record<string, string | number> = {
        community_path: key[0],
        day: key[1],
        alt_day: key[2],
        change_day: key[3],
        shard: key[4]
      }
      used.forEach((c, k) => {
        row[c] = values[index[k] ?? 0] ?? 0
      })
      return row
    })
    return { rows, columns: used }
  }
}

/** The columns of an unjudged record's row. */
const unjudgedColumns = [
  "case_id",
  "change_at",
  "sign",
  "step",
  "reason",
  "indicators",
  "community_path",
  "location_path",
  "community_id",
  "location_id"
]
/** The key columns of a day-sum row (before its value columns). */
const dayKeyColumns = ["community_path", "day", "alt_day", "change_day", "shard"]
/** The columns of a case's attribution row. */
const attributionColumns = [
  "case_id",
  "community_path",
  "location_path",
  "community_id",
  "location_id",
  "source"
]

const upsertSet = (columns: ReadonlyArray<string>): string =>
  columns.map((c) => `${c} = cg_case_indicator_days.${c} + excluded.${c}`).join(", ")
const valueList = valueColumns.join(", ")
const zeroList = valueColumns.map(() => "0").join(", ")

/** The SQL operations the writer and the rebuild share. */
const operations = (sql: SqlClient.SqlClient) => {
  const selectIn = <A extends object>(
    values: ReadonlyArray<string>,
    query: (chunk: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<A>, SqlError>
  ): Effect.Effect<ReadonlyArray<A>, SqlError> =>
    values.length === 0
      ? Effect.succeed([])
      : Effect.map(Effect.forEach(chunks(values, IN_CHUNK), query), (parts) => parts.flat())

  /** Unit paths, answered from the transaction's lookup when the case store already asked (`support.unitPaths`). */
  const unitPaths = (ids: Iterable<string>) => supportUnitPaths(sql, ids)

  /** Writes the timelines of cases (rows and day sums). */
  const writeTimelines = (
    items: ReadonlyArray<{
      readonly caseId: string
      readonly attribution: Attribution
      readonly timeline: Timeline
    }>,
    sums: DaySums,
    utcOffsetMinutes: number,
    send: Send = inline
  ) =>
    Effect.gen(function* () {
      // rows grouped by the counts they carry (most carry a few): each group's inserts list only
      // those columns (the others default to 0), so a statement binds a fraction of the values
      const bySignature = new Map<string, Array<Record<string, string | number | null>>>()
      const unjudgedRows: Array<Record<string, string | number>> = []
      for (const { caseId, attribution: a, timeline: t } of items) {
        for (const d of t.deltas) {
          const row: Record<string, string | number | null> = {
            case_id: caseId,
            change_at: d.change,
            seq: d.seq,
            at: d.at,
            alt: d.alt,
            community_path: a.community_path,
            location_path: a.location_path,
            source: a.source
          }
          let signature = ""
          for (let i = 0; i < VALUES; i++) {
            const v = d.values[i] ?? 0
            if (v === 0) continue
            signature += `${i},`
            row[valueColumns[i] ?? ""] = v
          }
          const group = bySignature.get(signature)
          if (group === undefined) bySignature.set(signature, [row])
          else group.push(row)
          sums.add(
            caseId,
            a.community_path,
            dayOf(d.at, utcOffsetMinutes),
            d.alt === null ? 0 : dayOf(d.alt, utcOffsetMinutes),
            dayOf(d.change, utcOffsetMinutes),
            d.values,
            1
          )
        }
        for (const u of t.unjudged) {
          unjudgedRows.push({
            case_id: caseId,
            change_at: u.change,
            sign: u.sign,
            step: u.record.step,
            reason: u.record.reason,
            indicators: u.record.indicators,
            community_path: a.community_path,
            location_path: a.location_path,
            community_id: a.community_id,
            location_id: a.location_id
          })
        }
      }
      for (const rows of bySignature.values()) {
        yield* send(insertRows(sql, "cg_case_indicator_deltas", Object.keys(rows[0] ?? {}), rows))
      }
      yield* send(insertRows(sql, "cg_case_indicator_unjudged", unjudgedColumns, unjudgedRows))
    })

  const writeSums = (sums: DaySums, send: Send = inline) =>
    Effect.gen(function* () {
      const { rows, columns } = sums.rows()
      yield* send(
        insertRows(
          sql,
          "cg_case_indicator_days",
          [...dayKeyColumns, ...columns],
          rows,
          ` ON CONFLICT (community_path, day, alt_day, change_day, shard) DO UPDATE SET ${upsertSet(columns)}`
        )
      )
    })

  return { selectIn, unitPaths, writeTimelines, writeSums }
}

/**
 * How a write statement is run: in turn (`inline`), or handed to a pipeline
 * that runs it while the caller computes the next rows (the case store's
 * import); the caller then awaits every statement before its commit.
 */
export type Send = (statement: Effect.Effect<void, SqlError>) => Effect.Effect<void, SqlError>

const inline: Send = (statement) => statement

/**
 * The indicator part of an append, run inside its transaction (`ready`
 * first, once per transaction, then `write`).
 */
export interface Writer {
  /**
   * Checks the configuration recorded with the tables (closure steps, UTC
   * offset) against the store's, and records the store's when they differ
   * (marking the tables incomplete when they hold cases) — one statement
   * when they agree. Reads only: run it before writes are pipelined.
   */
  readonly ready: Effect.Effect<void, SqlError>
  /**
   * With time limits, each case's deltas from its first new event on are
   * recomputed and compared with the stored ones: only those that changed or
   * are gone are deleted (and taken off the day sums), only those that
   * changed or are new are inserted (and added to them); without, the tables
   * are marked incomplete. New cases (no stored events) read nothing; their
   * inserts go through `send`.
   */
  readonly write: (cases: ReadonlyArray<CaseWrite>, send?: Send) => Effect.Effect<void, SqlError>
}

/** The indicator writer of a store's configuration (see `Writer`). */
export const writer = (
  timeLimits: TimeLimits | undefined,
  options: { readonly closureSteps?: ReadonlyArray<CaseStep>; readonly dayShards?: number }
): Effect.Effect<Writer, never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    if (timeLimits === undefined) {
      return {
        ready: Effect.void,
        write: (_cases, send = inline) =>
          send(
            Effect.asVoid(sql`UPDATE cg_case_indicator_config SET complete = 0 WHERE id = 1 AND complete = 1`)
          )
      }
    }
    const config: Config = {
      closureSteps: options.closureSteps ?? Indicator.defaultClosureSteps,
      utcOffsetMinutes: timeLimits.calendar.utcOffsetMinutes
    }
    let paths: ReadonlyMap<string, string> = new Map()
    const isLocal = (handler: string, community: string): boolean => {
      const h = paths.get(handler)
      const c = paths.get(community)
      return h !== undefined && c !== undefined && h.startsWith(c)
    }
    const built = Indicator.contributor({
      timeLimits: timeLimits.policy,
      calendar: timeLimits.calendar,
      options: { closureSteps: config.closureSteps },
      isLocal
    })
    if (Either.isLeft(built)) return yield* Effect.dieMessage(built.left.message)
    const contributor = built.right
    const ops = operations(sql)
    const shards = sql.onDialectOrElse({
      pg: () => Math.max(1, Math.floor(options.dayShards ?? 1)),
      orElse: () => 1
    })

    const checkConfig = Effect.gen(function* () {
      const rows = yield* sql<{
        readonly closure_steps: string
        readonly utc_offset_minutes: unknown
      }>`SELECT closure_steps, utc_offset_minutes FROM cg_case_indicator_config WHERE id = 1`
      const row = rows[0]
      if (
        row !== undefined &&
        row.closure_steps === stepsText(config.closureSteps) &&
        toNumber(row.utc_offset_minutes) === config.utcOffsetMinutes
      ) {
        return
      }
      const used = yield* sql`SELECT 1 AS one FROM cg_case_indicator_cases LIMIT 1`
      yield* sql`UPDATE cg_case_indicator_config
        SET closure_steps = ${stepsText(config.closureSteps)},
            utc_offset_minutes = ${config.utcOffsetMinutes},
            complete = ${used.length > 0 ? 0 : sql.literal("complete")}
        WHERE id = 1`
    })

    const write = (cases: ReadonlyArray<CaseWrite>, send: Send = inline) =>
      Effect.gen(function* () {
        if (cases.length === 0) return
        // attributions recorded for existing cases
        const existing = cases.filter((c) => c.stored.length > 0).map((c) => c.caseId)
        const recorded = new Map<string, Attribution>()
        const found = yield* ops.selectIn(
          [...existing].sort(),
          (chunk) => sql<Attribution & { readonly case_id: string }>`
            SELECT case_id, community_path, location_path, community_id, location_id, source
            FROM cg_case_indicator_cases WHERE ${sql.in("case_id", chunk)}`
        )
        for (const row of found) recorded.set(row.case_id, row)
        // the hierarchy's paths of the units involved
        const units = new Set<string>()
        for (const c of cases) {
          unitsOf(c.stored, units)
          unitsOf(c.appended, units)
        }
        paths = yield* ops.unitPaths(units)

        const items: Array<{ caseId: string; attribution: Attribution; timeline: Timeline }> = []
        const fresh: Array<Attribution & { readonly case_id: string }> = []
        const cuts: Array<readonly [string, number]> = []
        for (const c of cases) {
          const h = Indicator.history(c.stored.length === 0 ? c.appended : [...c.stored, ...c.appended])
          if (Either.isLeft(h)) return yield* Effect.dieMessage(`case ${c.caseId}: ${h.left.message}`)
          let attribution = recorded.get(c.caseId)
          let cut: number
          if (attribution === undefined) {
            // a new case, or one written without indicators: its whole timeline
            const report = h.right.events[0]
            if (report?._tag !== "Reported") return yield* Effect.dieMessage(`case ${c.caseId} has no report`)
            attribution = {
              community_path: attributionPath(paths, report.communityId),
              location_path: attributionPath(paths, report.location.unitId),
              community_id: report.communityId,
              location_id: report.location.unitId,
              source: report.source
            }
            fresh.push({ case_id: c.caseId, ...attribution })
            cut = Number.NEGATIVE_INFINITY
            if (c.stored.length > 0) cuts.push([c.caseId, Number.MIN_SAFE_INTEGER])
          } else {
            cut = effectiveInstants(h.right.events)[c.stored.length] ?? Number.POSITIVE_INFINITY
            cuts.push([c.caseId, cut])
          }
          items.push({ caseId: c.caseId, attribution, timeline: timeline(contributor, h.right, cut) })
        }

        const sums = new DaySums(shards)
        // the stored deltas from each cut on, compared with the recomputed ones: a delta that did
        // not change stays (most of an append's timeline is its past, recomputed identically);
        // only the changed and the gone are deleted (and taken off the day sums), only the changed
        // and the new are inserted — the tables end as a delete of all and an insert of all would
        // leave them, without rewriting the rest
        const stored = new Map<string, StoredDelta>()
        for (const chunk of chunks(cuts, DELETE_CHUNK)) {
          const where = sql.or(chunk.map(([id, cut]) => sql`(case_id = ${id} AND change_at >= ${cut})`))
          // one round trip: the stored deltas, and whether unjudged records are to be replaced
          const rows = yield* sql<Record<string, unknown>>`
            SELECT 0 AS unjudged, case_id, change_at, seq, at, alt, community_path, location_path, source,
              ${sql.literal(valueList)}
            FROM cg_case_indicator_deltas WHERE ${where}
            UNION ALL
            SELECT 1, case_id, change_at, 0, 0, NULL, community_path, location_path, '', ${sql.literal(zeroList)}
            FROM cg_case_indicator_unjudged WHERE ${where}`
          let unjudged = false
          for (const row of rows) {
            if (toNumber(row["unjudged"]) === 1) {
              unjudged = true
              continue
            }
            const alt = row["alt"]
            const delta: StoredDelta = {
              caseId: String(row["case_id"]),
              change: toNumber(row["change_at"]),
              seq: toNumber(row["seq"]),
              at: toNumber(row["at"]),
              alt: alt === null || alt === undefined ? null : toNumber(alt),
              attribution: `${String(row["community_path"])}\u0000${String(row["location_path"])}\u0000${String(row["source"])}`,
              communityPath: String(row["community_path"]),
              values: valueColumns.map((c) => toNumber(row[c]))
            }
            stored.set(deltaKey(delta.caseId, delta.change, delta.seq), delta)
          }
          if (unjudged) yield* sql`DELETE FROM cg_case_indicator_unjudged WHERE ${where}`
        }
        // nothing stored to compare with (new cases): every recomputed delta is new
        const changed: Array<(typeof items)[number]> = stored.size === 0 ? items : []
        for (const item of stored.size === 0 ? [] : items) {
          const attribution = `${item.attribution.community_path}\u0000${item.attribution.location_path}\u0000${item.attribution.source}`
          const deltas = item.timeline.deltas.filter((d) => {
            const key = deltaKey(item.caseId, d.change, d.seq)
            const old = stored.get(key)
            if (
              old !== undefined &&
              old.at === d.at &&
              old.alt === d.alt &&
              old.attribution === attribution &&
              old.values.every((v, i) => v === (d.values[i] ?? 0))
            ) {
              stored.delete(key)
              return false
            }
            return true
          })
          changed.push({ ...item, timeline: { ...item.timeline, deltas } })
        }
        const gone = [...stored.values()]
        for (const chunk of chunks(gone, DELETE_CHUNK)) {
          yield* sql`DELETE FROM cg_case_indicator_deltas WHERE ${sql.or(
            chunk.map((d) => sql`(case_id = ${d.caseId} AND change_at = ${d.change} AND seq = ${d.seq})`)
          )}`
        }
        for (const d of gone) {
          sums.add(
            d.caseId,
            d.communityPath,
            dayOf(d.at, config.utcOffsetMinutes),
            d.alt === null ? 0 : dayOf(d.alt, config.utcOffsetMinutes),
            dayOf(d.change, config.utcOffsetMinutes),
            d.values,
            -1
          )
        }
        yield* send(insertRows(sql, "cg_case_indicator_cases", attributionColumns, fresh))
        yield* ops.writeTimelines(changed, sums, config.utcOffsetMinutes, send)
        yield* ops.writeSums(sums, send)
      }).pipe(
        Effect.withSpan("IndicatorProjection.write", {
          attributes: { cases: cases.length, events: cases.reduce((n, c) => n + c.appended.length, 0) }
        })
      )
    return { ready: checkConfig, write }
  })

/**
 * Recomputes every indicator table from the stored events, under a
 * configuration (the attribution paths from the current hierarchy), and
 * marks them complete — in one transaction.
 */
export const rebuild = (
  timeLimits: TimeLimits,
  options: { readonly closureSteps?: ReadonlyArray<CaseStep> },
  batchSize = 2000
): Effect.Effect<{ readonly cases: number }, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const ops = operations(sql)
    const config: Config = {
      closureSteps: options.closureSteps ?? Indicator.defaultClosureSteps,
      utcOffsetMinutes: timeLimits.calendar.utcOffsetMinutes
    }
    let paths: ReadonlyMap<string, string> = new Map()
    const built = Indicator.contributor({
      timeLimits: timeLimits.policy,
      calendar: timeLimits.calendar,
      options: { closureSteps: config.closureSteps },
      isLocal: (handler, community) => {
        const h = paths.get(handler)
        const c = paths.get(community)
        return h !== undefined && c !== undefined && h.startsWith(c)
      }
    })
    if (Either.isLeft(built)) return yield* Effect.dieMessage(built.left.message)
    const contributor = built.right
    const decode = Indicator.history
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql.onDialectOrElse({
          pg: () => sql`LOCK TABLE cg_cases IN EXCLUSIVE MODE`,
          orElse: () => Effect.void
        })
        yield* sql`DELETE FROM cg_case_indicator_deltas`
        yield* sql`DELETE FROM cg_case_indicator_unjudged`
        yield* sql`DELETE FROM cg_case_indicator_days`
        yield* sql`DELETE FROM cg_case_indicator_cases`
        const allUnits = yield* sql<{
          readonly id: string
          readonly path: string
        }>`SELECT id, path FROM cg_units`
        paths = new Map(allUnits.map((r) => [r.id, r.path]))
        // one writer, under an exclusive lock: one shard
        const sums = new DaySums(1)
        let count = 0
        let after = ""
        for (;;) {
          const ids = yield* sql<{ readonly case_id: string }>`
            SELECT case_id FROM cg_cases WHERE case_id > ${after} ORDER BY case_id LIMIT ${batchSize}`
          const last = ids[ids.length - 1]
          if (last === undefined) break
          after = last.case_id
          const rows = yield* ops.selectIn(
            ids.map((r) => r.case_id),
            (chunk) => sql<{ readonly case_id: string; readonly payload: string }>`
              SELECT case_id, payload FROM cg_case_events
              WHERE ${sql.in("case_id", chunk)} ORDER BY case_id, sequence`
          )
          const byCase = new Map<string, Array<CaseEvent>>()
          for (const row of rows) {
            const list = byCase.get(row.case_id) ?? []
            list.push(eventOf(row.payload))
            byCase.set(row.case_id, list)
          }
          const items: Array<{ caseId: string; attribution: Attribution; timeline: Timeline }> = []
          const fresh: Array<Attribution & { readonly case_id: string }> = []
          for (const [caseId, events] of byCase) {
            const h = decode(events)
            if (Either.isLeft(h)) return yield* Effect.dieMessage(`case ${caseId}: ${h.left.message}`)
            const report = h.right.events[0]
            if (report?._tag !== "Reported") return yield* Effect.dieMessage(`case ${caseId} has no report`)
            const attribution: Attribution = {
              community_path: attributionPath(paths, report.communityId),
              location_path: attributionPath(paths, report.location.unitId),
              community_id: report.communityId,
              location_id: report.location.unitId,
              source: report.source
            }
            fresh.push({ case_id: caseId, ...attribution })
            items.push({
              caseId,
              attribution,
              timeline: timeline(contributor, h.right, Number.NEGATIVE_INFINITY)
            })
          }
          yield* insertRows(sql, "cg_case_indicator_cases", attributionColumns, fresh)
          yield* ops.writeTimelines(items, sums, config.utcOffsetMinutes)
          count += items.length
        }
        yield* ops.writeSums(sums)
        yield* sql`UPDATE cg_case_indicator_config
          SET complete = 1, closure_steps = ${stepsText(config.closureSteps)},
              utc_offset_minutes = ${config.utcOffsetMinutes}
          WHERE id = 1`
        return { cases: count }
      })
    )
  }).pipe(Effect.withSpan("IndicatorProjection.rebuild"))

/** The configuration recorded with the indicator tables. */
export const readConfig = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{
    readonly complete: unknown
    readonly closure_steps: string
    readonly utc_offset_minutes: unknown
  }>`SELECT complete, closure_steps, utc_offset_minutes FROM cg_case_indicator_config WHERE id = 1`
  const row = rows[0]
  return row === undefined
    ? undefined
    : {
        complete: toNumber(row.complete) === 1,
        closureSteps: row.closure_steps,
        utcOffsetMinutes: toNumber(row.utc_offset_minutes)
      }
})
