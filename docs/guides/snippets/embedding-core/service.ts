import { type Actor, ActorId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId } from "@civicgrid/core/CaseCategory"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { rows } from "../getting-started/hierarchy.js"

// The ports are `Context.Tag`s: code asks for `CaseRepository`, the app decides which store runs.
// `layerMemory` stores are for tests, demos and single-process apps; `@civicgrid/sql` has the real ones.
export const layerStores = Layer.mergeAll(
  HierarchyRepository.layerMemory,
  CaseRepository.layerMemory({
    units: rows, // for `list({ within })`: which cases lie in a unit's subtree
    timeLimits: { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() } // deadlines in summaries
  })
)

const jinsha = UnitId.make("jinsha")
const gridWorker: Actor = { id: ActorId.make("gw-li"), role: "grid-worker", unitId: jinsha }
const communityStaff: Actor = { id: ActorId.make("cs-wang"), role: "community-staff", unitId: jinsha }

// An app's use case: report, then accept. `CaseService.execute` loads the case's events, folds them,
// decides, and appends the new events after the version it read (optimistic concurrency).
export const reportAndAccept = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository.HierarchyRepository
  yield* hierarchies.save(LevelScheme.FiveLevel, rows) // validated with Hierarchy.make; all or nothing

  const caseId = Case.CaseId.make("QY-2025-0003")
  const at = DateTime.unsafeMake("2025-03-05T10:00:00+08:00")
  const reported = yield* CaseService.execute(
    {
      _tag: "Report",
      caseId,
      actor: gridWorker,
      at,
      source: "patrol",
      categoryId: CategoryId.make("SJ-0201"), // 非法小广告 illegal flyers
      urgency: "normal",
      description: "楼道内小广告",
      location: { unitId: UnitId.make("jinsha-yuan-3") },
      communityId: jinsha,
      tier: "community",
      anonymous: false
    },
    { idempotencyKey: "app-7f3a" } // a retried request with the same key gives the same case
  )
  yield* CaseService.execute({
    _tag: "Accept",
    caseId,
    actor: communityStaff,
    at: DateTime.addDuration(at, "10 minutes")
  })

  // The read model: one summary per case, with the current step's deadline.
  const repo = yield* CaseRepository.CaseRepository
  const page = yield* repo.list({ within: UnitId.make("qingyun"), status: ["accepted"] })
  return { replayed: reported.replayed, summaries: page.items }
})
// → { replayed: false, summaries: [{ caseId: "QY-2025-0003", status: "accepted", step: "dispatch",
//      deadline: 2025-03-05T03:10:00Z (派遣 within 1 working hour: 11:10 Beijing time), … }] }

// Typed failures stay in the error channel: CaseRefused | ConcurrencyConflict | CaseNotFound |
// HierarchyInvalid | InvalidCaseQuery. Provide the stores and run it:
export const main = reportAndAccept.pipe(Effect.provide(layerStores))
