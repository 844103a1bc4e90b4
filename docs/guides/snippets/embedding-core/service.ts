import { type Actor, ActorId } from "@civicgrid/core/Actor"
import * as CaseRepository from "@civicgrid/core/CaseRepository"
import * as CaseService from "@civicgrid/core/CaseService"
import * as DepartmentRepository from "@civicgrid/core/DepartmentRepository"
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
// `CaseService.Settings` is the configuration the use cases place reports with: the category catalogue
// (default: the standard one with the community-governance categories), routing table and tier levels.
export const layerStores = Layer.mergeAll(
  CaseRepository.layerMemory({
    units: rows, // for `list({ within })`: which cases lie in a unit's subtree
    timeLimits: { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() } // deadlines in summaries
  }),
  DepartmentRepository.layerMemory, // the departments a case may be dispatched to
  CaseService.layerSettings()
).pipe(Layer.provideMerge(HierarchyRepository.layerMemory))

const jinsha = UnitId.make("jinsha")
const gridWorker: Actor = { id: ActorId.make("gw-li"), role: "grid-worker", unitId: jinsha }
const communityStaff: Actor = { id: ActorId.make("cs-wang"), role: "community-staff", unitId: jinsha }

// An app's use case: report, then accept. `CaseService.report` places the report (community, starting
// tier, owner unit — from the catalogue and the hierarchy) and appends it; `CaseService.execute` loads the
// case, builds the command against it, checks it, and appends after the version it read.
export const reportAndAccept = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository.HierarchyRepository
  yield* hierarchies.save(LevelScheme.FiveLevel, rows) // validated with Hierarchy.make; all or nothing

  const at = DateTime.unsafeMake("2025-03-05T10:00:00+08:00")
  const reported = yield* CaseService.report(
    {
      caseId: "QY-2025-0003",
      actor: gridWorker, // a grid worker's report is a patrol finding (巡查) unless it says otherwise
      at,
      categoryId: "SJ-0201", // 非法小广告 illegal flyers
      description: "楼道内小广告",
      location: { unitId: "jinsha-yuan-3" }
    },
    { idempotencyKey: "app-7f3a" } // a retried request with the same key gives the same case
  )
  yield* CaseService.execute(reported.after.id, ({ state }) => ({
    _tag: "Accept",
    caseId: state.id,
    actor: communityStaff,
    at: DateTime.addDuration(at, "10 minutes")
  }))

  // The read model: one summary per case, with the current step's deadline.
  const repo = yield* CaseRepository.CaseRepository
  const page = yield* repo.list({ within: UnitId.make("qingyun"), status: ["accepted"] })
  return { replayed: reported.replayed, summaries: page.items }
})
// → { replayed: false, summaries: [{ caseId: "QY-2025-0003", status: "accepted", step: "dispatch",
//      deadline: 2025-03-05T03:10:00Z (派遣 within 1 working hour: 11:10 Beijing time), … }] }

// Typed failures stay in the error channel: RoutingFailed | CaseRefused | ConcurrencyConflict |
// CaseNotFound | HierarchyInvalid | InvalidCaseQuery. Provide the stores and run it:
export const main = reportAndAccept.pipe(Effect.provide(layerStores))
