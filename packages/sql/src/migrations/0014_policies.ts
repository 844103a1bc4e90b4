/**
 * 0014 — stored policy documents (配置): a street office's own category
 * catalogue (案件分类), routing table (派遣规则) and time-limit policy
 * (处置时限), one row per kind (`categories`, `routing`, `time-limits`) — the
 * document as JSON (`PolicyRepository.documents`) and when it was last
 * written (epoch milliseconds). The app reads them at start; without a row it
 * runs on the built-in defaults.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE IF NOT EXISTS cg_policies (
      kind TEXT PRIMARY KEY,
      document TEXT NOT NULL,
      updated_at BIGINT NOT NULL
    )
  `
})
