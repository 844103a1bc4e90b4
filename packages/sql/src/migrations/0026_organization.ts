/**
 * 0026 — bodies and posts (`OrganizationRepository`): bodies 组织机构, post
 * records 岗位 (the appointment history: ended terms stay), party memberships
 * 党员关系, compounds 小区 with their management, the people who hold posts,
 * cadre appraisals 干部考核, the founding of compound party organisations and
 * award rounds as event streams, each with a row naming its unit and version
 * (its state is the fold of its events, read with them).
 *
 * Rows keep the columns queries filter on next to `doc`, the record encoded
 * with its core schema as JSON. Reads by jurisdiction join the unit column
 * (`unit_id` of a body, an appraisal, a round; a compound's own `id`; posts
 * and memberships through their body) to `cg_units` and select a range of its
 * materialised `path` — the organisation follows its unit when a subtree
 * moves. Event tables have primary key (stream, sequence): two writers never
 * store the same sequence of a stream.
 *
 * On PostgreSQL every text key is in the byte-order collation "C" (as 0021
 * made the case keys): no locale-aware comparison in any index. SQLite
 * compares bytewise already.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

const tables = (key: string): ReadonlyArray<string> => [
  `CREATE TABLE IF NOT EXISTS cg_org_bodies (
    id ${key} PRIMARY KEY,
    unit_id ${key} NOT NULL,
    kind ${key} NOT NULL,
    doc TEXT NOT NULL
  )`,
  "CREATE INDEX IF NOT EXISTS cg_org_bodies_unit ON cg_org_bodies (unit_id)",
  `CREATE TABLE IF NOT EXISTS cg_org_posts (
    id ${key} PRIMARY KEY,
    body_id ${key} NOT NULL,
    holder ${key} NOT NULL,
    since ${key} NOT NULL,
    until ${key},
    doc TEXT NOT NULL
  )`,
  "CREATE INDEX IF NOT EXISTS cg_org_posts_body ON cg_org_posts (body_id)",
  "CREATE INDEX IF NOT EXISTS cg_org_posts_holder ON cg_org_posts (holder)",
  `CREATE TABLE IF NOT EXISTS cg_org_memberships (
    person_id ${key} NOT NULL,
    body_id ${key} NOT NULL,
    kind ${key} NOT NULL,
    since ${key} NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (person_id, body_id, kind, since)
  )`,
  "CREATE INDEX IF NOT EXISTS cg_org_memberships_body ON cg_org_memberships (body_id)",
  `CREATE TABLE IF NOT EXISTS cg_org_compounds (
    id ${key} PRIMARY KEY,
    community_id ${key} NOT NULL,
    doc TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS cg_org_people (
    id ${key} PRIMARY KEY,
    doc TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS cg_org_appraisals (
    cadre_id ${key} NOT NULL,
    period_key ${key} NOT NULL,
    unit_id ${key} NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (cadre_id, period_key)
  )`,
  "CREATE INDEX IF NOT EXISTS cg_org_appraisals_unit ON cg_org_appraisals (unit_id)",
  `CREATE TABLE IF NOT EXISTS cg_org_foundings (
    compound_id ${key} PRIMARY KEY,
    community_id ${key} NOT NULL,
    version INTEGER NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS cg_org_founding_events (
    compound_id ${key} NOT NULL,
    sequence INTEGER NOT NULL,
    tag ${key} NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (compound_id, sequence)
  )`,
  `CREATE TABLE IF NOT EXISTS cg_org_awards (
    round_id ${key} PRIMARY KEY,
    unit_id ${key} NOT NULL,
    version INTEGER NOT NULL
  )`,
  "CREATE INDEX IF NOT EXISTS cg_org_awards_unit ON cg_org_awards (unit_id)",
  `CREATE TABLE IF NOT EXISTS cg_org_award_events (
    round_id ${key} NOT NULL,
    sequence INTEGER NOT NULL,
    tag ${key} NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (round_id, sequence)
  )`
]

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const key = sql.onDialectOrElse({ pg: () => 'TEXT COLLATE "C"', orElse: () => "TEXT" })
  for (const statement of tables(key)) yield* sql.unsafe(statement)
})
