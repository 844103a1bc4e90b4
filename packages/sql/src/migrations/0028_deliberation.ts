/**
 * 0028 — topics of deliberation (`DeliberationRepository`): each topic's
 * event stream (proposal → agenda → meeting → vote → resolution → tasks →
 * implemented → published → feedback) with primary key (topic, sequence) —
 * two writers never store the same sequence of a topic — and a summary row
 * per topic: its unit (reads by jurisdiction join `cg_units` and select a
 * range of its materialised `path`), status, version, whether it carries a
 * publication, and `doc`, the topic's state encoded with its core schema as
 * JSON (written in the same transaction as the events it folds).
 *
 * On PostgreSQL every text key is in the byte-order collation "C", as in 0026.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

const tables = (key: string): ReadonlyArray<string> => [
  `CREATE TABLE IF NOT EXISTS cg_delib_topics (
    id ${key} PRIMARY KEY,
    unit_id ${key} NOT NULL,
    status ${key} NOT NULL,
    version INTEGER NOT NULL,
    published INTEGER NOT NULL,
    doc TEXT NOT NULL
  )`,
  "CREATE INDEX IF NOT EXISTS cg_delib_topics_unit ON cg_delib_topics (unit_id)",
  "CREATE INDEX IF NOT EXISTS cg_delib_topics_published ON cg_delib_topics (published)",
  `CREATE TABLE IF NOT EXISTS cg_delib_events (
    topic_id ${key} NOT NULL,
    sequence INTEGER NOT NULL,
    tag ${key} NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (topic_id, sequence)
  )`
]

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const key = sql.onDialectOrElse({ pg: () => 'TEXT COLLATE "C"', orElse: () => "TEXT" })
  for (const statement of tables(key)) yield* sql.unsafe(statement)
})
