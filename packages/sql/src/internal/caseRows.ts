/**
 * Rows of the case tables (migration 0002) and their mapping to the core's
 * values: events are stored as the JSON of their `CaseEvent` encoding; the
 * read model's instants are epoch milliseconds (PostgreSQL returns BIGINT as
 * a string, SQLite as a number — both decode).
 */

import { ActorId, DepartmentId } from "@civicgrid/core/Actor"
import type * as Case from "@civicgrid/core/Case"
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import { CaseSummary, dispatchedDepartment, summarize, type TimeLimits } from "@civicgrid/core/CaseRepository"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as Trusted from "./trusted.js"

// -----------------------------------------------------------------------------
// events
// -----------------------------------------------------------------------------

/** A row of `cg_case_events` (a type alias: `sql.insert` takes records). */
export type EventRow = {
  readonly case_id: string
  readonly sequence: number
  readonly tag: string
  readonly at: number
  readonly actor_id: string
  readonly payload: string
}

/**
 * An event's encoding without the schema's checks (`Trusted.makeEncoder`): the
 * events written are the core's, built and typed by its decider — the same
 * JSON as `Schema.encodeSync(CaseEvent)` (property-tested), at a fraction of
 * the cost on the hot path of a bulk append.
 */
/** The columns of `cg_case_events`, in `EventRow`'s order. */
export const eventColumns: ReadonlyArray<keyof EventRow> = [
  "case_id",
  "sequence",
  "tag",
  "at",
  "actor_id",
  "payload"
]

const encodeEvent = Trusted.makeEncoder(CaseEvent)
const decodePayload = Schema.decodeUnknownSync(Schema.parseJson(CaseEvent))

/** The row of an event. */
export const eventRow = (event: CaseEvent): EventRow => ({
  case_id: event.caseId,
  sequence: event.sequence,
  tag: event._tag,
  at: DateTime.toEpochMillis(event.at),
  actor_id: event.actor.id,
  payload: JSON.stringify(encodeEvent(event))
})

/** The event a stored payload holds; throws on a payload the schema refuses (a corrupted store). */
export const eventOf = (payload: string): CaseEvent => decodePayload(payload)

const trustedEvent = Trusted.make(CaseEvent)

/**
 * The event a payload this store wrote holds (`eventRow`: the JSON of the
 * `CaseEvent` encoding), decoded without the schema's checks (`Trusted`): the
 * same value as `eventOf`, for the hot reads. Throws on a payload that is no
 * JSON, an unknown `_tag` or an instant that is no ISO string.
 */
export const trustedEventOf = (payload: string): CaseEvent => trustedEvent(JSON.parse(payload))

// -----------------------------------------------------------------------------
// the read model
// -----------------------------------------------------------------------------

/** Epoch milliseconds as a number (SQLite INTEGER) or a decimal string (PostgreSQL BIGINT). */
const Millis = Schema.Union(Schema.Number, Schema.NumberFromString)
/** An instant in a column: epoch milliseconds (written as a number on both databases). */
const Instant = Schema.compose(Millis, Schema.DateTimeUtcFromNumber)
/** A count in a column: a number, or a decimal string (a driver reading it as a big integer). */
const Count = Schema.Union(Schema.Int, Schema.compose(Schema.NumberFromString, Schema.Int))

/**
 * What a `cg_cases` row records: the core's `CaseSummary` — its fields, with
 * the instants in their column encoding — plus the case's materialised path
 * and its access facts (`CaseScope`: the reporter, the current department).
 * The one description of the row: a field is the column of its name in
 * snake_case (`reportedAt` → `reported_at`), and the column list, the insert,
 * the upsert's SET list and the decoding all come from it.
 */
const Stored = Schema.Struct({
  ...CaseSummary.fields,
  stepStartedAt: Schema.NullOr(Instant),
  deadline: Schema.NullOr(Instant),
  yellowAt: Schema.NullOr(Instant),
  redAt: Schema.NullOr(Instant),
  reportedAt: Instant,
  closedAt: Schema.NullOr(Instant),
  updatedAt: Instant,
  commentedAt: Schema.NullOr(Instant),
  supervisions: Count,
  supervisedAt: Schema.NullOr(Instant),
  unitPath: Schema.String,
  reportedBy: ActorId,
  dispatchDepartment: Schema.NullOr(DepartmentId)
})

/** A row's facts (what `Stored` decodes to). */
export interface CaseRecord extends Schema.Schema.Type<typeof Stored> {}

/** The fields that are not part of a `CaseSummary` (path and access: only queries use them). */
const Summary = Stored.omit("unitPath", "reportedBy", "dispatchDepartment")

// The instants' column encodings decode to the same values as the core's
// schema: the summary part of a row is exactly a CaseSummary.
const _sameSummary: Schema.Schema.Type<typeof Summary> extends CaseSummary
  ? CaseSummary extends Schema.Schema.Type<typeof Summary>
    ? true
    : never
  : never = true
void _sameSummary

/** A column's value as the drivers take and give it. */
type Cell = string | number | null

/** An SQL row: columns and their values (a type alias: `sql.insert` takes records). */
export type SqlRow = { readonly [column: string]: Cell }

/** The column of a field: its name in snake_case. */
const columnOf = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
/** The field of a column: its name in camelCase. */
const fieldOf = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/**
 * The columns of `cg_cases`, in the row's field order.
 *
 * @since 0.1.0
 * @category internal
 */
export const caseColumns: ReadonlyArray<string> = Object.keys(Stored.fields).map(columnOf)

/**
 * The columns of a `CaseSummary` (the select list of `summary` and `list`).
 *
 * @since 0.1.0
 * @category internal
 */
export const summaryColumns: ReadonlyArray<string> = Object.keys(Summary.fields).map(columnOf)

/** Fields an upsert keeps on an existing case: its id, and the path recorded when it was reported. */
const keptOnUpdate: ReadonlyArray<keyof CaseRecord> = ["caseId", "unitPath"]

/**
 * The SET list of the read model's upsert: every other column from the new row.
 *
 * @since 0.1.0
 * @category internal
 */
export const upsertSet: string = caseColumns
  .filter((c) => !keptOnUpdate.map(columnOf).includes(c))
  .map((c) => `${c} = excluded.${c}`)
  .join(", ")

/** Whether a schema's values are their own column encoding (no transformation): written as they are. */
const isVerbatim = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "Refinement":
      return isVerbatim(ast.from)
    case "Union":
      return ast.types.every(isVerbatim)
    case "Literal":
    case "StringKeyword":
    case "NumberKeyword":
    case "TemplateLiteral":
      return true
    default:
      return false
  }
}

/** An instant's encoding, directly (what `Instant` encodes to; the hot path of a bulk append). */
const millisOf = (value: unknown): unknown =>
  DateTime.isDateTime(value) ? DateTime.toEpochMillis(value) : value

/** A field's encoding: none (as it is), an instant's (or a nullable one's), else the field's schema. */
const encoderOf = (ast: SchemaAST.AST): ((value: unknown) => unknown) | undefined => {
  if (isVerbatim(ast)) return undefined
  if (ast === Instant.ast) return millisOf
  if (
    ast._tag === "Union" &&
    ast.types.length === 2 &&
    ast.types.includes(Instant.ast) &&
    ast.types.some((t) => t._tag === "Literal" && t.literal === null)
  ) {
    return (value) => (value === null ? null : millisOf(value))
  }
  return Schema.encodeUnknownSync(Schema.make(ast))
}

const isCell = (value: unknown): value is Cell =>
  value === null || typeof value === "string" || typeof value === "number"

/**
 * How each field is written: its column and its encoding — as it is for the
 * fields whose values are their own encoding (ids, literals, counts: typed by
 * the core, not checked again on the way out), by the field's schema for the
 * others (the instants, to epoch milliseconds).
 */
const writers: ReadonlyArray<{
  readonly field: string
  readonly column: string
  readonly encode: ((value: unknown) => unknown) | undefined
}> = Object.entries(Stored.fields).map(([field, schema]) => ({
  field,
  column: columnOf(field),
  encode: encoderOf(schema.ast)
}))

/**
 * The facts a case state's row records: its summary (`CaseRepository.summarize`,
 * so the deadline is the core's), the path recorded for it, its access facts.
 *
 * @since 0.1.0
 * @category internal
 */
export const recordOf = (
  state: Case.Case,
  unitPath: string,
  timeLimits: TimeLimits | undefined
): CaseRecord =>
  // onto the fresh summary: a spread would copy it, which cost more than the rest of the row
  Object.assign(summarize(state, timeLimits), {
    unitPath,
    reportedBy: state.reportedBy,
    dispatchDepartment: dispatchedDepartment(state)
  })

/**
 * The read-model row of a case state (`recordOf`), each field in its column —
 * `CaseRow`'s encoding, by the writers derived from it. Throws on a value that is no column value
 * (a field whose encoding the table cannot hold — a programming error).
 *
 * @since 0.1.0
 * @category internal
 */
export const caseRow = (state: Case.Case, unitPath: string, timeLimits: TimeLimits | undefined): SqlRow => {
  const record = recordOf(state, unitPath, timeLimits)
  const row: { [column: string]: Cell } = {}
  for (const { field, column, encode } of writers) {
    const value: unknown = Reflect.get(record, field)
    const cell = encode === undefined ? value : encode(value)
    if (!isCell(cell)) throw new Error(`cg_cases.${column}: ${String(cell)} is no column value`)
    row[column] = cell
  }
  return row
}

const renamed = (record: object, rename: (key: string) => string): { [key: string]: unknown } => {
  const out: { [key: string]: unknown } = {}
  for (const [key, value] of Object.entries(record)) out[rename(key)] = value
  return out
}

/** The SQL row of a struct of fields: the columns are the fields in snake_case, with the fields' encodings. */
const rowOf = <A, I extends object>(fields: Schema.Schema<A, I>) =>
  Schema.transform(Schema.Object, fields, {
    // not strict: the renamed record is checked by `fields` on the way in
    strict: false,
    decode: (row) => renamed(row, fieldOf),
    encode: (encoded) => renamed(encoded, columnOf)
  })

/**
 * 案件行 — a `cg_cases` row ⇄ what it records (`CaseRecord`). `caseRow` is its
 * encoding (by writers derived from it, checked equal in the tests), `summaryOf`
 * its decoding of the summary columns.
 *
 * @since 0.1.0
 * @category internal
 */
export const CaseRow = rowOf(Stored)

const decodeSummary = Schema.decodeUnknownSync(rowOf(Summary))

/**
 * The summary a stored row holds (its `summaryColumns`); throws on a row the
 * schema refuses (a corrupted store).
 *
 * @since 0.1.0
 * @category internal
 */
export const summaryOf = (row: unknown): CaseSummary => decodeSummary(row)

/** A column number as stored: a number, or a decimal string (PostgreSQL BIGINT); throws on anything else. */
const columnNumber = (value: unknown): number => {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN
  if (!Number.isFinite(n)) throw new Error(`expected a number column, got ${String(value)}`)
  return n
}

/** The summary columns' readers: the field, its column, its trusted decoder (`Trusted`). */
const summaryReaders: ReadonlyArray<{
  readonly field: string
  readonly column: string
  readonly decode: Trusted.Decoder
}> = (() => {
  const known: Trusted.Known = new Map<SchemaAST.AST, (encoded: unknown) => unknown>([
    [Instant.ast, (value) => DateTime.unsafeMake(columnNumber(value))],
    [Count.ast, columnNumber]
  ])
  return Object.entries(Summary.fields).map(([field, schema]) => ({
    field,
    column: columnOf(field),
    decode: Trusted.decoderOf(schema.ast, known)
  }))
})()

/**
 * The summary a row this store wrote holds (`caseRow`), decoded without the
 * schema's checks: the same value as `summaryOf` (instants from epoch
 * milliseconds, counts from numbers or decimal strings), for the hot reads.
 *
 * @since 0.1.0
 * @category internal
 */
export const trustedSummaryOf = (row: { readonly [column: string]: unknown }): CaseSummary => {
  const out: { [field: string]: unknown } = {}
  for (const { field, column, decode } of summaryReaders) {
    const value = row[column]
    out[field] = decode === undefined ? value : decode(value)
  }
  // the readers apply exactly `Summary`'s transformations, field by field: the result is its type
  return out as unknown as CaseSummary
}

/** A count or version read back: a number (SQLite, INTEGER) or a decimal string (PostgreSQL BIGINT). */
export const toNumber = (value: unknown): number =>
  typeof value === "number" ? value : typeof value === "string" ? Number(value) : 0

// -----------------------------------------------------------------------------
// errors and batching
// -----------------------------------------------------------------------------

/**
 * Whether an SQL error is a unique-key violation — PostgreSQL SQLSTATE 23505,
 * SQLite `SQLITE_CONSTRAINT_PRIMARYKEY` / `SQLITE_CONSTRAINT_UNIQUE`.
 */
export const isUniqueViolation = (error: SqlError): boolean => {
  const cause: unknown = error.cause
  if (typeof cause !== "object" || cause === null || !("code" in cause)) return false
  const code = cause.code
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE"
}

/** Splits a list into chunks of at most `size` (multi-row statements stay under the bind limits). */
export const chunks = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let k = 0; k < items.length; k += size) out.push(items.slice(k, k + size))
  return out
}

/**
 * The exclusive upper bound of the paths that start with `prefix` (which ends
 * with "/"): the prefix with its last "/" raised to "0", the next character.
 * `path >= prefix AND path < upper` is exactly "starts with prefix" under a
 * bytewise collation, and an index range scan.
 */
export const prefixUpperBound = (prefix: string): string => `${prefix.slice(0, -1)}0`

// -----------------------------------------------------------------------------
// bulk inserts
// -----------------------------------------------------------------------------

/**
 * Bound parameters per multi-row statement: under SQLite's 32,766 and
 * PostgreSQL's 65,535, large enough that a statement's round trip and
 * planning are spread over hundreds of rows.
 */
const MAX_PARAMS = 16_000

/** SQLite's VALUES lists, by row count and width (few: one per table shape and chunk size). */
const valuesLists = new Map<string, string>()

const valuesList = (rows: number, width: number): string => {
  const key = `${rows}|${width}`
  const kept = valuesLists.get(key)
  if (kept !== undefined) return kept
  const tuples: Array<string> = []
  for (let r = 0; r < rows; r++) {
    const marks: Array<string> = []
    for (let c = 0; c < width; c++) marks.push("?")
    tuples.push(`(${marks.join(", ")})`)
  }
  const text = tuples.join(", ")
  if (valuesLists.size < 64) valuesLists.set(key, text)
  return text
}

/** Rows per PostgreSQL statement (one JSON parameter each). */
const PG_ROWS = 5_000

/**
 * 批量插入 — rows into a table, as few statements as the bind limits allow,
 * with `suffix` after each (e.g. an `ON CONFLICT` clause); a column a row
 * lacks is NULL; sequential, in row order. The rows are the store's own
 * (built from the core's values), so no fragment is built per value:
 * - PostgreSQL: `INSERT … SELECT … FROM json_populate_recordset(NULL::table,
 *   $1)` of up to 5,000 rows as ONE JSON parameter — the table's own row
 *   type converts the values; nothing to plan per value (a multi-row VALUES
 *   list of thousands of parameters is parsed and planned each time, and the
 *   driver binds each of them);
 * - SQLite: multi-row INSERTs of up to `MAX_PARAMS` bound values, the
 *   statement text built once per shape (so prepared once per shape).
 *
 * @since 0.1.0
 * @category internal
 */
export const insertRows = (
  sql: SqlClient.SqlClient,
  table: string,
  columns: ReadonlyArray<string>,
  rows: ReadonlyArray<{ readonly [column: string]: unknown }>,
  suffix = ""
): Effect.Effect<void, SqlError> =>
  Effect.suspend(() => {
    if (rows.length === 0 || columns.length === 0) return Effect.void
    const list = columns.join(", ")
    const statements: Array<Effect.Effect<unknown, SqlError>> = []
    const pg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
    if (pg) {
      const text = `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1::json)${suffix}`
      for (let k = 0; k < rows.length; k += PG_ROWS) {
        statements.push(
          sql.unsafe(text, [
            JSON.stringify(k === 0 && rows.length <= PG_ROWS ? rows : rows.slice(k, k + PG_ROWS))
          ])
        )
      }
    } else {
      const width = columns.length
      const per = Math.max(1, Math.floor(MAX_PARAMS / width))
      const head = `INSERT INTO ${table} (${list}) VALUES `
      for (let k = 0; k < rows.length; k += per) {
        const n = Math.min(per, rows.length - k)
        const params: Array<unknown> = new Array(n * width)
        let p = 0
        for (let r = k; r < k + n; r++) {
          const row = rows[r]
          for (let c = 0; c < width; c++) params[p++] = row?.[columns[c] ?? ""] ?? null
        }
        statements.push(sql.unsafe(`${head}${valuesList(n, width)}${suffix}`, params))
      }
    }
    return Effect.forEach(statements, (statement) => statement, { discard: true })
  })
