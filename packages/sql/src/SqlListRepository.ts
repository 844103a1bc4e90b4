/**
 * 清单仓库（SQL） — the core's `ListRepository` on `@effect/sql`, the same code
 * for SQLite and PostgreSQL. Needs the migrations applied (`Migrations.run`).
 *
 * - Problems, resources and tasks: each write is one transaction that looks
 *   up the ids it names, is checked by the core (`ListRepository.checkProblems`,
 *   `checkResources`, `checkTasks`) and upserts in multi-row batches. A row
 *   keeps the columns queries filter on next to the record encoded with its
 *   core schema (`doc`), so a round trip is exact.
 * - Reads by jurisdiction join the unit column to `cg_units` and range-scan
 *   its path index; overdue tasks are `status IN (pending, in-progress) AND
 *   deadline < now` on an index of (status, deadline).
 * - Micro-wishes: an append locks the wish's state row (`FOR UPDATE` on
 *   PostgreSQL), checks the expected version and the whole history with the
 *   core (`ListRepository.checkWishAppend`, `MicroWish.replay`), inserts the
 *   events and upserts the state in the same transaction. Primary key
 *   (wish_id, sequence) makes a racing writer fail; that failure is reported
 *   as `WishConcurrencyConflict` with the version it lost to.
 *
 * @since 0.1.0
 */

import { UnitNotFound } from "@civicgrid/core/Hierarchy"
import {
  checkProblems,
  checkResources,
  checkTasks,
  checkWishAppend,
  ListItemNotFound,
  ListRepository,
  millis,
  orderTasks,
  type ProblemQuery,
  type ResourceQuery,
  referencedUnits,
  type TaskQuery,
  WishConcurrencyConflict,
  WishNotFound,
  type WishQuery
} from "@civicgrid/core/ListRepository"
import * as MicroWish from "@civicgrid/core/MicroWish"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as ResourceList from "@civicgrid/core/ResourceList"
import * as TaskList from "@civicgrid/core/TaskList"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { eventStream } from "./internal/eventStream.js"
import * as Paths from "./internal/paths.js"
import {
  existing,
  fromJson,
  inSubtree,
  orDie,
  pathOf,
  scopePath,
  storeOps,
  toJson
} from "./internal/support.js"

const encodeProblem = toJson(ProblemList.Problem)
const decodeProblem = fromJson(ProblemList.Problem)
const encodeResource = toJson(ResourceList.Resource)
const decodeResource = fromJson(ResourceList.Resource)
const encodeTask = toJson(TaskList.Task)
const decodeTask = fromJson(TaskList.Task)
const encodeEvent = toJson(MicroWish.MicroWishEvent)
const decodeEvent = fromJson(MicroWish.MicroWishEvent)
const encodeWish = toJson(MicroWish.MicroWish)
const decodeWish = fromJson(MicroWish.MicroWish)

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const byId = <A extends { readonly id: string }>(items: ReadonlyArray<A>): ReadonlyArray<A> =>
  [...items].sort((a, b) => compare(a.id, b.id))

/** The statuses `TaskList.isOpen` counts as open (only open tasks can be overdue). */
const openStatuses: ReadonlyArray<TaskList.TaskStatus> = ["pending", "in-progress"]

/**
 * Builds the SQL list store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  Context.Tag.Service<ListRepository>,
  never,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient

  const { each, write, read, scoped } = storeOps(sql)

  const one = <A>(
    list: "problem" | "resource" | "task",
    rows: ReadonlyArray<{ readonly doc: string }>,
    id: string,
    decode: (text: string) => A
  ): Effect.Effect<A, ListItemNotFound> => {
    const [row] = rows
    return row === undefined
      ? Effect.fail(new ListItemNotFound({ list, id }))
      : Effect.succeed(decode(row.doc))
  }

  // -- problems --------------------------------------------------------------

  const putProblems = (
    problems: ReadonlyArray<ProblemList.Problem>,
    options?: { readonly categories?: ReadonlyArray<ProblemList.ProblemCategory> }
  ) =>
    write(
      Effect.gen(function* () {
        const units = yield* existing(sql, "cg_units", referencedUnits({ problems }))
        yield* checkProblems(problems, { units }, options)
        yield* each(
          problems.map((p) => ({
            id: p.id,
            unit_id: p.unitId,
            grid_id: p.gridId ?? null,
            category_id: p.categoryId,
            status: p.status,
            reported_at: millis(p.reportedAt),
            doc: encodeProblem(p)
          })),
          (batch) => sql`INSERT INTO cg_problems ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
              unit_id = excluded.unit_id, grid_id = excluded.grid_id, category_id = excluded.category_id,
              status = excluded.status, reported_at = excluded.reported_at, doc = excluded.doc`
        )
      })
    )

  const problem = (id: string) =>
    orDie(
      Effect.flatMap(sql<{ readonly doc: string }>`SELECT doc FROM cg_problems WHERE id = ${id}`, (rows) =>
        one("problem", rows, id, decodeProblem)
      )
    )

  const problems = (query?: ProblemQuery) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "p.unit_id")
        const where = [
          ...scope.where,
          ...(query?.status === undefined ? [] : [sql.in("p.status", query.status)])
        ]
        const rows = yield* sql<{ readonly doc: string }>`SELECT p.doc FROM cg_problems p ${scope.join}
            WHERE ${sql.and(where)}`
        return byId(rows.map((r) => decodeProblem(r.doc)))
      })
    )

  // -- resources -------------------------------------------------------------

  const putResources = (resources: ReadonlyArray<ResourceList.Resource>) =>
    write(
      Effect.gen(function* () {
        const units = yield* existing(sql, "cg_units", referencedUnits({ resources }))
        yield* checkResources(resources, { units })
        yield* each(
          resources.map((r) => ({ id: r.id, kind: r.kind, doc: encodeResource(r) })),
          (batch) => sql`INSERT INTO cg_resources ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
              kind = excluded.kind, doc = excluded.doc`
        )
        yield* each(
          resources.map((r) => r.id),
          (batch) => sql`DELETE FROM cg_resource_scope WHERE ${sql.in("resource_id", batch)}`
        )
        yield* each(
          resources.flatMap((r) => [...new Set(r.scope)].map((unit_id) => ({ resource_id: r.id, unit_id }))),
          (batch) => sql`INSERT INTO cg_resource_scope ${sql.insert(batch)}`
        )
      })
    )

  const resource = (id: string) =>
    orDie(
      Effect.flatMap(sql<{ readonly doc: string }>`SELECT doc FROM cg_resources WHERE id = ${id}`, (rows) =>
        one("resource", rows, id, decodeResource)
      )
    )

  const resources = (query?: ResourceQuery) =>
    read(
      Effect.gen(function* () {
        const where: Array<Fragment> = []
        if (query?.within !== undefined) {
          const path = yield* scopePath(sql, query.within)
          where.push(sql`EXISTS (SELECT 1 FROM cg_resource_scope s JOIN cg_units u ON u.id = s.unit_id
              WHERE s.resource_id = r.id AND ${inSubtree(sql, "u.path", path)})`)
        }
        if (query?.serving !== undefined) {
          const unitId = query.serving
          const path = yield* pathOf(sql, unitId)
          if (path === undefined) return yield* new UnitNotFound({ unitId })
          where.push(sql`EXISTS (SELECT 1 FROM cg_resource_scope s
              WHERE s.resource_id = r.id AND ${sql.in("s.unit_id", Paths.idsOnPath(path))})`)
        }
        const rows = yield* sql<{
          readonly doc: string
        }>`SELECT r.doc FROM cg_resources r WHERE ${sql.and(where)}`
        return byId(rows.map((r) => decodeResource(r.doc)))
      })
    )

  // -- tasks -----------------------------------------------------------------

  const putTasks = (tasks: ReadonlyArray<TaskList.Task>) =>
    write(
      Effect.gen(function* () {
        const units = yield* existing(sql, "cg_units", referencedUnits({ tasks }))
        const problemIds = yield* existing(
          sql,
          "cg_problems",
          tasks.map((t) => t.problemId)
        )
        const resourceIds = yield* existing(
          sql,
          "cg_resources",
          tasks.flatMap((t) => t.resourceIds)
        )
        yield* checkTasks(tasks, { units, problems: problemIds, resources: resourceIds })
        yield* each(
          tasks.map((t) => ({
            id: t.id,
            problem_id: t.problemId,
            owner_kind: t.owner._tag,
            owner_id: t.owner._tag === "Unit" ? t.owner.unitId : t.owner.departmentId,
            status: t.status,
            deadline: millis(t.deadline),
            doc: encodeTask(t)
          })),
          (batch) => sql`INSERT INTO cg_tasks ${sql.insert(batch)} ON CONFLICT (id) DO UPDATE SET
              problem_id = excluded.problem_id, owner_kind = excluded.owner_kind, owner_id = excluded.owner_id,
              status = excluded.status, deadline = excluded.deadline, doc = excluded.doc`
        )
      })
    )

  const task = (id: string) =>
    orDie(
      Effect.flatMap(sql<{ readonly doc: string }>`SELECT doc FROM cg_tasks WHERE id = ${id}`, (rows) =>
        one("task", rows, id, decodeTask)
      )
    )

  const tasks = (query?: TaskQuery) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "t.owner_id")
        const where = [
          ...scope.where,
          ...(query?.within === undefined ? [] : [sql`t.owner_kind = 'Unit'`]),
          ...(query?.status === undefined ? [] : [sql.in("t.status", query.status)]),
          ...(query?.overdueAt === undefined
            ? []
            : [sql`${sql.in("t.status", openStatuses)} AND t.deadline < ${millis(query.overdueAt)}`])
        ]
        const rows = yield* sql<{ readonly doc: string }>`SELECT t.doc FROM cg_tasks t ${scope.join}
            WHERE ${sql.and(where)}`
        return orderTasks(
          rows.map((r) => decodeTask(r.doc)),
          query ?? {}
        )
      })
    )

  // -- micro-wishes ----------------------------------------------------------

  const stream = eventStream(sql, {
    events: "cg_micro_wish_events",
    key: "wish_id",
    summary: "cg_micro_wishes",
    summaryKey: "id",
    update: ["community_id", "status", "version", "updated_at", "state"],
    encode: encodeEvent,
    decode: decodeEvent,
    columns: (e) => ({ at: millis(e.at) })
  })

  const appendWishEvents = (input: {
    readonly wishId: string
    readonly expectedVersion: number
    readonly events: ReadonlyArray<MicroWish.MicroWishEvent>
  }) => {
    const { events, expectedVersion, wishId } = input
    return stream.append({
      id: wishId,
      events,
      decide: (stored) =>
        Effect.gen(function* () {
          const units = yield* existing(
            sql,
            "cg_units",
            events.flatMap((e) => (e._tag === "Posted" ? [e.communityId] : []))
          )
          const { state, version } = yield* checkWishAppend({
            wishId,
            expectedVersion,
            stored,
            events,
            units
          })
          return {
            result: { wishId, version },
            summary: MicroWish.isWish(state)
              ? {
                  id: wishId,
                  community_id: state.communityId,
                  status: state.status,
                  version: state.version,
                  updated_at: millis(state.updatedAt),
                  state: encodeWish(state)
                }
              : undefined
          }
        }),
      conflict: (actualVersion) => new WishConcurrencyConflict({ wishId, expectedVersion, actualVersion })
    })
  }

  const wishEvents = (wishId: string) => orDie(stream.stored(wishId))

  const wish = (wishId: string) =>
    orDie(
      Effect.flatMap(
        sql<{ readonly state: string }>`SELECT state FROM cg_micro_wishes WHERE id = ${wishId}`,
        ([row]) =>
          row === undefined
            ? Effect.fail(new WishNotFound({ wishId }))
            : Effect.succeed(decodeWish(row.state))
      )
    )

  const wishes = (query?: WishQuery) =>
    read(
      Effect.gen(function* () {
        const scope = yield* scoped(query?.within, "w.community_id")
        const where = [
          ...scope.where,
          ...(query?.status === undefined ? [] : [sql.in("w.status", query.status)])
        ]
        const rows = yield* sql<{
          readonly state: string
        }>`SELECT w.state FROM cg_micro_wishes w ${scope.join}
            WHERE ${sql.and(where)}`
        return byId(rows.map((r) => decodeWish(r.state)))
      })
    )

  return {
    putProblems,
    problem,
    problems,
    putResources,
    resource,
    resources,
    putTasks,
    task,
    tasks,
    appendWishEvents,
    wishEvents,
    wish,
    wishes
  }
})

/**
 * The SQL list store as a Layer (needs an `SqlClient`, migrated).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ListRepository, never, SqlClient.SqlClient> = Layer.effect(
  ListRepository,
  make
)
