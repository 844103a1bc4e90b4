/**
 * 按来源计数 — `CaseRepository.countBySource`, what the proactive-discovery
 * share (主动发现率) is computed from: every store counts the cases of each
 * source within a unit's subtree and a period with one grouped query, and the
 * answer equals counting the cases `list` pages through with the same filters
 * — for random reports (source, community, instant) and random periods. A
 * sibling whose id extends a community's (C1X) is not part of it; a period is
 * [from, to). Run against every store.
 */
import type * as Case from "@civicgrid/core/Case"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import type { UnitId } from "@civicgrid/core/Unit"
import * as VisitMetrics from "@civicgrid/core/VisitMetrics"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import { A, C1, C1X, C3, D, execute, report, S1, S2, stores, T0 } from "./support/CaseFixtures.js"

const HOUR = 3_600_000
const repo = CaseRepository.CaseRepository

/** Who reports with which source (each a source the core accepts from that reporter). */
const reporters = [
  { source: "patrol", actor: A.gridWorker },
  { source: "hotline", actor: A.hotline },
  { source: "resident-app", actor: A.resident }
] as const

const reports = fc.array(
  fc.record({
    reporter: fc.constantFrom(...reporters),
    community: fc.constantFrom(C1, C1X, C3),
    hour: fc.integer({ min: 0, max: 24 * 10 })
  }),
  { minLength: 1, maxLength: 25 }
)

/** The count by listing every page (what the use case did before). */
const listed = (query: CaseRepository.SourceCountQuery) =>
  Effect.gen(function* () {
    const cases = yield* repo
    const counts: Array<readonly [Case.Source, number]> = []
    let after: string | undefined
    do {
      const page = yield* cases.list({ ...query, limit: 7, ...(after === undefined ? {} : { after }) })
      for (const c of page.items) counts.push([c.source, 1])
      after = Option.getOrUndefined(page.next)
    } while (after !== undefined)
    return CaseRepository.sourceCounts(counts)
  })

describe.each(stores)("countBySource — $name", (store) => {
  it.effect("counts by source within a subtree and a period: the same as listing the cases", () =>
    Effect.gen(function* () {
      const [generated] = fc.sample(reports, { numRuns: 1, seed: 2026 })
      const made = generated ?? []
      for (const [i, r] of made.entries())
        yield* execute(
          report(`src-${i}`, {
            at: T0 + r.hour * HOUR,
            community: r.community,
            by: { actor: r.reporter.actor, source: r.reporter.source }
          })
        )
      // a fixed example: two patrols and a hotline call in C1 on day 1, one patrol in C1X (not C1)
      yield* execute(report("x-1", { at: T0 - 48 * HOUR, community: C1 }))
      yield* execute(report("x-2", { at: T0 - 47 * HOUR, community: C1 }))
      yield* execute(report("x-3", { at: T0 - 46 * HOUR, community: C1, by: reporters[1] }))
      yield* execute(report("x-4", { at: T0 - 46 * HOUR, community: C1X }))
      const day = { reportedFrom: new Date(T0 - 48 * HOUR), reportedTo: new Date(T0 - 24 * HOUR) }
      expect(yield* (yield* repo).countBySource({ within: C1, ...day })).toEqual([
        { source: "hotline", count: 1 },
        { source: "patrol", count: 2 }
      ])
      expect(
        VisitMetrics.proactiveShareOfCounts(yield* (yield* repo).countBySource({ within: C1, ...day }))
      ).toEqual({ numerator: 2, denominator: 3 })
      // [from, to): a case reported at `to` is not counted
      expect(
        yield* (yield* repo).countBySource({
          within: C1,
          reportedFrom: new Date(T0 - 48 * HOUR),
          reportedTo: new Date(T0 - 47 * HOUR)
        })
      ).toEqual([{ source: "patrol", count: 1 }])

      const periods = fc.sample(
        fc.tuple(fc.integer({ min: -60, max: 24 * 10 }), fc.integer({ min: 0, max: 24 * 10 }), fc.boolean()),
        { numRuns: 15, seed: 19 }
      )
      let nonEmpty = 0
      for (const unit of [D, S1, S2, C1, C1X, C3] as ReadonlyArray<UnitId>) {
        // the whole history, and random periods
        const all = yield* (yield* repo).countBySource({ within: unit })
        expect(all).toEqual(yield* listed({ within: unit }))
        for (const [start, length, open] of periods) {
          const query: CaseRepository.SourceCountQuery = {
            within: unit,
            reportedFrom: new Date(T0 + start * HOUR),
            ...(open ? {} : { reportedTo: new Date(T0 + (start + length) * HOUR) })
          }
          const counted = yield* (yield* repo).countBySource(query)
          expect(counted).toEqual(yield* listed(query))
          if (counted.length > 0) nonEmpty++
        }
      }
      // the periods are not vacuous
      expect(nonEmpty).toBeGreaterThan(10)
      // the district holds every case, each counted once
      const total = (yield* (yield* repo).countBySource({ within: D })).reduce((n, c) => n + c.count, 0)
      expect(total).toBe(made.length + 4)
    }).pipe(Effect.provide(store.make()))
  )
})
