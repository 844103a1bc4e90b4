/**
 * The in-memory case store behind `CaseRepository.layerMemory`: one `Ref`
 * holding persistent maps (case id → events, state, summary, path; key →
 * case id). Every append is one `Ref.modify`, so it is atomic: a conflict
 * leaves the store unchanged, and concurrent writers are serialised exactly
 * as a database transaction would serialise them. A guard (no events) only
 * checks its version; a `decided` state is taken as the fold.
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Case from "../Case.js"
import type { CaseEvent } from "../CaseEvent.js"
import {
  type AppendInput,
  type AppendResult,
  appendAllProblems,
  boardDay,
  CaseNotFound,
  type CaseQuery,
  type CaseRepository,
  type CaseSummary,
  ConcurrencyConflict,
  casePath,
  cursorOf,
  dueKeyOf,
  foldAppend,
  importAppend,
  inScope,
  lightOf,
  type MemoryOptions,
  makeBoard,
  matchesDue,
  matchesLights,
  pageKeyOf,
  planPage,
  sourceCounts,
  subtreePath,
  summarize,
  unitPaths
} from "../CaseRepository.js"
import type { Tier } from "../Tier.js"

interface Entry {
  readonly events: ReadonlyArray<CaseEvent>
  readonly state: Case.Case
  readonly summary: CaseSummary
  readonly path: string
}

interface Store {
  readonly cases: HashMap.HashMap<string, Entry>
  readonly keys: HashMap.HashMap<string, Case.CaseId>
}

type Outcome =
  | { readonly _tag: "Done"; readonly results: ReadonlyArray<AppendResult> }
  | { readonly _tag: "Conflict"; readonly conflict: ConcurrencyConflict }
  | { readonly _tag: "Bug"; readonly message: string }

/** Whether a summary passes the query's filters (the page aside). */
const matcher = (
  query: CaseQuery,
  prefix: string | undefined,
  scopePrefix: string | undefined,
  paths: ReadonlyMap<string, Entry>
) => {
  const status = query.status === undefined ? undefined : new Set<string>(query.status)
  const tier = query.tier === undefined ? undefined : new Set<string>(query.tier)
  const category = query.categoryId === undefined ? undefined : new Set<string>(query.categoryId)
  const from = query.reportedFrom?.getTime()
  const to = query.reportedTo?.getTime()
  const overdue = query.overdueAt?.getTime()
  const colors = query.light === undefined ? undefined : new Set<string>(query.light.colors)
  const lightAt = query.light === undefined ? undefined : DateTime.unsafeMake(query.light.at.getTime())
  return (s: CaseSummary): boolean => {
    if (prefix !== undefined && !(paths.get(s.caseId)?.path.startsWith(prefix) ?? false)) return false
    if (query.scope !== undefined) {
      const entry = paths.get(s.caseId)
      if (entry === undefined) return false
      const facts = {
        path: entry.path,
        dispatchTarget: entry.state.dispatchTarget,
        reportedBy: entry.state.reportedBy
      }
      if (!inScope(query.scope, scopePrefix, facts)) return false
    }
    if (status !== undefined && !status.has(s.status)) return false
    if (tier !== undefined && !tier.has(s.tier)) return false
    if (category !== undefined && !category.has(s.categoryId)) return false
    const reported = DateTime.toEpochMillis(s.reportedAt)
    if (from !== undefined && reported < from) return false
    if (to !== undefined && reported >= to) return false
    if (overdue !== undefined) {
      if (!Case.isOpen(s.status) || s.deadline === null) return false
      if (!(DateTime.toEpochMillis(s.deadline) < overdue)) return false
    }
    if (colors !== undefined && lightAt !== undefined) {
      const color = lightOf(s, lightAt)
      if (color === null || !colors.has(color)) return false
    }
    if (query.order === "deadline" && s.deadline === null) return false
    return true
  }
}

/** Newest report first, ties by case id descending. */
const byKeyDescending = (a: CaseSummary, b: CaseSummary): number => {
  const ka = pageKeyOf(a)
  const kb = pageKeyOf(b)
  if (ka.reportedAt !== kb.reportedAt) return kb.reportedAt - ka.reportedAt
  return ka.caseId < kb.caseId ? 1 : ka.caseId > kb.caseId ? -1 : 0
}

/** Least time left first (deadline ascending), ties by case id ascending. */
const deadlineMillis = (s: CaseSummary): number =>
  s.deadline === null ? Number.POSITIVE_INFINITY : DateTime.toEpochMillis(s.deadline)

const byDeadline = (a: CaseSummary, b: CaseSummary): number => {
  const da = deadlineMillis(a)
  const db = deadlineMillis(b)
  if (da !== db) return da - db
  return a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0
}

/** @internal */
export const make = (options: MemoryOptions): Effect.Effect<CaseRepository["Type"]> =>
  Effect.gen(function* () {
    const paths = unitPaths(options.units ?? [])
    const pathOf = (unitId: string): string | undefined => paths.get(unitId)
    const ref = yield* Ref.make<Store>({ cases: HashMap.empty(), keys: HashMap.empty() })

    const apply = (store: Store, inputs: ReadonlyArray<AppendInput>): readonly [Outcome, Store] => {
      let cases = store.cases
      let keys = store.keys
      const results: Array<AppendResult> = []
      for (const input of inputs) {
        if (input.idempotencyKey !== undefined) {
          const winner = HashMap.get(keys, input.idempotencyKey)
          if (Option.isSome(winner)) {
            const entry = HashMap.get(cases, winner.value)
            const version = Option.isSome(entry) ? entry.value.state.version : 0
            results.push({ caseId: winner.value, version, replayed: true })
            continue
          }
        }
        const entry = Option.getOrUndefined(HashMap.get(cases, input.caseId))
        const current = entry?.state.version ?? 0
        if (current !== input.expectedVersion) {
          const conflict = new ConcurrencyConflict({
            caseId: input.caseId,
            expectedVersion: input.expectedVersion,
            actualVersion: current
          })
          return [{ _tag: "Conflict", conflict }, store]
        }
        if (input.events.length === 0) {
          // a guard: the case is at the expected version; nothing to write
          results.push({ caseId: input.caseId, version: current, replayed: false })
          continue
        }
        // what the writer decided against, when given, is the fold (its version was just checked)
        const folded =
          input.decided === undefined
            ? foldAppend(entry?.state ?? Case.initial, input.events)
            : Either.right(input.decided.after)
        if (Either.isLeft(folded)) {
          return [{ _tag: "Bug", message: `case ${input.caseId}: ${folded.left}` }, store]
        }
        const state = folded.right
        const path = entry?.path ?? casePath(pathOf, state.communityId, state.location.unitId)
        cases = HashMap.set(cases, input.caseId, {
          events: [...(entry?.events ?? []), ...input.events],
          state,
          summary: summarize(state, options.timeLimits),
          path
        })
        if (input.idempotencyKey !== undefined) keys = HashMap.set(keys, input.idempotencyKey, input.caseId)
        results.push({ caseId: input.caseId, version: state.version, replayed: false })
      }
      return [
        { _tag: "Done", results },
        { cases, keys }
      ]
    }

    const appendAll = (inputs: ReadonlyArray<AppendInput>) =>
      Effect.suspend(() => {
        const problems = appendAllProblems(inputs)
        if (problems.length > 0) return Effect.dieMessage(`invalid append: ${problems.join("; ")}`)
        return Effect.flatMap(
          Ref.modify(ref, (store) => apply(store, inputs)),
          (outcome): Effect.Effect<ReadonlyArray<AppendResult>, ConcurrencyConflict> =>
            outcome._tag === "Done"
              ? Effect.succeed(outcome.results)
              : outcome._tag === "Conflict"
                ? Effect.fail(outcome.conflict)
                : Effect.dieMessage(`invalid append: ${outcome.message}`)
        )
      })

    const service: CaseRepository["Type"] = {
      append: (input) =>
        Effect.flatMap(appendAll([input]), (results) => {
          const [first] = results
          return first === undefined ? Effect.dieMessage("append returned no result") : Effect.succeed(first)
        }),
      appendAll,
      // a new case's append is what an import stands for (`importAppend`): the same state, conflicts and checks
      importNew: (inputs) => Effect.asVoid(appendAll(inputs.map(importAppend))),
      findByIdempotencyKey: (key) => Effect.map(Ref.get(ref), (store) => HashMap.get(store.keys, key)),
      events: (caseId) =>
        Effect.map(Ref.get(ref), (store) =>
          Option.match(HashMap.get(store.cases, caseId), { onNone: () => [], onSome: (e) => e.events })
        ),
      summary: (caseId) =>
        Effect.flatMap(Ref.get(ref), (store) =>
          Option.match(HashMap.get(store.cases, caseId), {
            onNone: () => Effect.fail(new CaseNotFound({ caseId })),
            onSome: (e) => Effect.succeed(e.summary)
          })
        ),
      read: (caseId) =>
        Effect.map(Ref.get(ref), (store) =>
          Option.map(HashMap.get(store.cases, caseId), (e) => ({ events: e.events, summary: e.summary }))
        ),
      list: (query) =>
        Effect.gen(function* () {
          const plan = yield* planPage(query)
          const store = yield* Ref.get(ref)
          const entries = new Map<string, Entry>(HashMap.toEntries(store.cases))
          const prefix = query.within === undefined ? undefined : subtreePath(pathOf, query.within)
          const scopeWithin = query.scope?.within
          const scopePrefix = scopeWithin === undefined ? undefined : subtreePath(pathOf, scopeWithin)
          const keep = matcher(query, prefix, scopePrefix, entries)
          const after = Option.getOrUndefined(plan.after)
          const afterDeadline = Option.getOrUndefined(plan.afterDeadline)
          const items = [...entries.values()]
            .map((e) => e.summary)
            .filter(keep)
            .filter((s) => {
              if (afterDeadline !== undefined) {
                const d = deadlineMillis(s)
                return (
                  d > afterDeadline.deadline ||
                  (d === afterDeadline.deadline && s.caseId > afterDeadline.caseId)
                )
              }
              if (after === undefined) return true
              const k = pageKeyOf(s)
              return (
                k.reportedAt < after.reportedAt ||
                (k.reportedAt === after.reportedAt && k.caseId < after.caseId)
              )
            })
            .sort(query.order === "deadline" ? byDeadline : byKeyDescending)
            .slice(0, plan.limit + 1)
          const page = items.slice(0, plan.limit)
          const last = page[page.length - 1]
          return {
            items: page,
            next:
              items.length > plan.limit && last !== undefined
                ? Option.some(cursorOf(last, query.order))
                : Option.none()
          }
        }),
      countBySource: (query) =>
        Effect.map(Ref.get(ref), (store) => {
          const entries = new Map<string, Entry>(HashMap.toEntries(store.cases))
          const keep = matcher(
            {
              within: query.within,
              ...(query.reportedFrom === undefined ? {} : { reportedFrom: query.reportedFrom }),
              ...(query.reportedTo === undefined ? {} : { reportedTo: query.reportedTo })
            },
            subtreePath(pathOf, query.within),
            undefined,
            entries
          )
          return sourceCounts(
            [...entries.values()].flatMap((e) => (keep(e.summary) ? [[e.summary.source, 1] as const] : []))
          )
        }),
      board: (unitId, now) =>
        Effect.map(Ref.get(ref), (store) => {
          const prefix = subtreePath(pathOf, unitId)
          const day = boardDay(now)
          const open = new Map<
            string,
            { status: Case.Status; light: ReturnType<typeof lightOf>; count: number }
          >()
          const overdue = new Map<Tier, number>()
          let escalatedToday = 0
          let closedToday = 0
          let supervised = 0
          for (const entry of HashMap.values(store.cases)) {
            if (!entry.path.startsWith(prefix)) continue
            const s = entry.summary
            for (const event of entry.events) {
              const t = DateTime.toEpochMillis(event.at)
              if (event._tag === "Escalated" && t >= day.from && t < day.to) escalatedToday++
            }
            if (s.closedAt !== null) {
              const t = DateTime.toEpochMillis(s.closedAt)
              if (t >= day.from && t < day.to) closedToday++
            }
            if (!Case.isOpen(s.status)) continue
            if (s.supervisions > 0) supervised++
            const light = lightOf(s, now)
            const key = `${s.status}|${light}`
            const cell = open.get(key) ?? { status: s.status, light, count: 0 }
            cell.count++
            open.set(key, cell)
            if (light === "red") overdue.set(s.tier, (overdue.get(s.tier) ?? 0) + 1)
          }
          return makeBoard({
            unitId,
            at: now,
            open: [...open.values()],
            overdue: [...overdue.entries()].map(([tier, count]) => ({ tier, count })),
            escalatedToday,
            closedToday,
            supervised
          })
        }),
      dueBefore: (query) =>
        Effect.map(Ref.get(ref), (store) =>
          [...HashMap.values(store.cases)]
            .map((e) => e.summary)
            .filter((summary) => matchesDue(summary, query))
            .map((summary) => ({ summary, key: Option.getOrUndefined(dueKeyOf(summary)) }))
            .sort((a, b) => {
              if (a.key === undefined || b.key === undefined) return 0
              if (a.key.deadline !== b.key.deadline) return a.key.deadline - b.key.deadline
              return a.key.caseId < b.key.caseId ? -1 : a.key.caseId > b.key.caseId ? 1 : 0
            })
            .slice(0, Math.max(0, query.limit))
            .map((found) => found.summary)
        ),
      lightsCrossed: (query) =>
        Effect.map(Ref.get(ref), (store) =>
          [...HashMap.values(store.cases)]
            .map((e) => e.summary)
            .filter((summary) => matchesLights(summary, query))
            .sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0))
            .slice(0, Math.max(0, Math.floor(query.limit)))
        )
    }
    return service
  })
