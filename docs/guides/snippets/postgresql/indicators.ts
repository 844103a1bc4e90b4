import { CaseRepository } from "@civicgrid/core/CaseRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Ratio from "@civicgrid/core/Ratio"
import * as SqlIndicators from "@civicgrid/sql/SqlIndicators"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import { commands, walk } from "../getting-started/case-loop.js"
import { rows } from "../getting-started/hierarchy.js"
import { layerStores } from "./layers.js"

// 考核指标 in SQL: the case store, given `timeLimits`, judges deadlines when events are appended (with the
// core's own code) and keeps per-community, per-day counts; a query only adds them up for a subtree.
export const marchInSql = (url: Redacted.Redacted<string>) =>
  Effect.gen(function* () {
    yield* Effect.flatMap(HierarchyRepository, (h) => h.save(LevelScheme.FiveLevel, rows))
    // the closed case of getting-started.md, appended as one batch
    const { events } = yield* walk(commands)
    const repo = yield* CaseRepository
    const [first] = events
    if (first !== undefined) yield* repo.append({ caseId: first.caseId, expectedVersion: 0, events })

    const result = yield* SqlIndicators.compute({
      within: "qingyun", // 青云街道 and every unit below it
      periods: "month", // every month with data; or { from, to } for a range with "no data" gaps
      asOf: DateTime.unsafeMake("2025-03-31T16:00:00Z")
    })
    return result.periods.map((p) => ({
      label: p.label,
      acceptanceClosure: Ratio.format(p.indicators["acceptance-closure"], { counts: true }),
      onTimeClosure: Ratio.format(p.indicators["on-time-closure"], { counts: true }),
      indicators: p.indicators
    }))
  }).pipe(Effect.provide(layerStores(url)))
// → [{ label: "2025-03", acceptanceClosure: "100.0% (1/1)", onTimeClosure: "100.0% (1/1)", … }]
//   — the same figures `Indicator.compute` gives in getting-started.md, computed in SQL.
