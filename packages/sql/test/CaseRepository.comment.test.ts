/**
 * 评论 and 附件 in the case stores (in memory, SQLite, PostgreSQL when
 * configured): a report's media and address id and the `Commented` events
 * persist and reload equal to what was appended; comments — in any status,
 * a closed case's included — leave the read model's status and `updatedAt`
 * as they were (the summary is still `summarize(fold(events))`) and fill
 * `commentedAt`; migration 0012 adds its column to a database that has cases.
 */
import * as Case from "@civicgrid/core/Case"
import type { CaseCommand, Comment } from "@civicgrid/core/CaseCommand"
import { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Migrations from "../src/Migrations.js"
import * as SqlCaseRepository from "../src/SqlCaseRepository.js"
import {
  A,
  accept,
  at,
  dispatch,
  execute,
  handle,
  report,
  stores,
  T0,
  verify
} from "./support/CaseFixtures.js"
import { dialects } from "./support/Databases.js"

const MINUTE = 60_000
const encodeEvents = Schema.encodeSync(Schema.Array(CaseEvent))
const encodeSummary = Schema.encodeSync(CaseRepository.CaseSummary)
const repo = CaseRepository.CaseRepository

const comment = (
  caseId: string,
  millis: number,
  fields: Pick<Comment, "actor" | "text" | "visibility"> & {
    readonly media?: ReadonlyArray<string>
  }
): CaseCommand => ({ _tag: "Comment", caseId: Case.CaseId.make(caseId), at: at(millis), ...fields })

describe.each(stores)("comments and media in the store — $name", (store) => {
  it.effect(
    "media, address id and Commented events round-trip; comments change neither status nor updatedAt",
    () =>
      Effect.gen(function* () {
        const r = yield* repo
        const base = report("case-c")
        if (base._tag !== "Report") return
        const media = ["https://example.org/a.jpg", "http://example.org/b.png?x=1"]
        const appended: Array<CaseEvent> = []
        const run = (command: CaseCommand) =>
          Effect.map(execute(command), (executed) => {
            appended.push(...executed.events)
            return executed.state
          })
        yield* run({ ...base, media, location: { ...base.location, addressId: "fms-addr-77" } })
        yield* run(
          comment("case-c", T0 + MINUTE, { actor: A.resident, text: "补充照片", visibility: "public", media })
        )
        yield* run(accept("case-c", T0 + 2 * MINUTE))
        yield* run(
          comment("case-c", T0 + 3 * MINUTE, {
            actor: A.communityStaff,
            text: "会办：请城管配合",
            visibility: "internal"
          })
        )
        yield* run(dispatch("case-c", T0 + 4 * MINUTE))
        yield* run(handle("case-c", T0 + 5 * MINUTE))
        const closed = yield* run(verify("case-c", T0 + 6 * MINUTE))
        const after = yield* run(
          comment("case-c", T0 + 60 * MINUTE, {
            actor: A.hotline,
            text: "居民来电致谢",
            visibility: "public"
          })
        )
        expect([closed.status, after.status]).toEqual(["closed", "closed"])
        expect(after.updatedAt).toEqual(closed.updatedAt)
        expect(after.commentedAt).toEqual(at(T0 + 60 * MINUTE))
        expect(after.media).toEqual(media)
        expect(after.location.addressId).toBe("fms-addr-77")

        const stored = yield* r.events("case-c")
        expect(encodeEvents(stored)).toEqual(encodeEvents(appended))
        expect(stored.map((e) => e.sequence)).toEqual(stored.map((_, k) => k + 1))
        expect(stored.filter((e) => e._tag === "Commented").map((e) => [e.visibility, e.media])).toEqual([
          ["public", media],
          ["internal", undefined],
          ["public", undefined]
        ])
        const folded = Case.fold(stored)
        expect(folded).toEqual(after)
        if (folded._tag !== "Case") return
        const summary = yield* r.summary("case-c")
        expect(encodeSummary(summary)).toEqual(encodeSummary(CaseRepository.summarize(folded)))
        expect(summary.status).toBe("closed")
        expect(summary.version).toBe(stored.length)
        expect(DateTime.toEpochMillis(summary.updatedAt)).toBe(DateTime.toEpochMillis(closed.updatedAt))
        // the last activity: the last comment, in its own column
        expect(summary.commentedAt === null ? null : DateTime.toEpochMillis(summary.commentedAt)).toBe(
          T0 + 60 * MINUTE
        )
        const plain = yield* execute(report("case-plain"))
        expect((yield* r.summary(plain.state.id)).commentedAt).toBeNull()
      }).pipe(Effect.provide(store.make()))
  )
})

describe.each(dialects)("migration 0012 (cg_cases.commented_at) on $name", (dialect) => {
  it.effect("cases stored before it read commentedAt null; their next comment fills it", () =>
    Effect.gen(function* () {
      yield* Migrations.run
      yield* execute(report("older-c"))
      // back to the schema of 0011: the column of 0012 gone, and its record
      const sql = yield* SqlClient.SqlClient
      yield* sql`ALTER TABLE cg_cases DROP COLUMN commented_at`
      yield* sql`DELETE FROM ${sql(Migrations.table)} WHERE migration_id >= 12`
      const applied = yield* Migrations.run
      // 0012 and every later migration (each idempotent) run again
      expect(applied.map(([id]) => id)).toEqual(
        Object.keys(Migrations.migrations)
          .map((key) => Number(key.split("_")[0]))
          .filter((id) => id >= 12)
      )
      const r = yield* repo
      expect((yield* r.summary("older-c")).commentedAt).toBeNull()
      yield* execute(
        comment("older-c", T0 + MINUTE, { actor: A.resident, text: "补充", visibility: "public" })
      )
      const summary = yield* r.summary("older-c")
      expect([summary.status, summary.version]).toEqual(["reported", 2])
      expect(summary.commentedAt === null ? null : DateTime.toEpochMillis(summary.commentedAt)).toBe(
        T0 + MINUTE
      )
      // running again applies nothing
      expect(yield* Migrations.run).toEqual([])
    }).pipe(Effect.provide(SqlCaseRepository.layer().pipe(Layer.provideMerge(dialect.fresh()))))
  )
})
