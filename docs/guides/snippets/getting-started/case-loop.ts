import { type Actor, ActorId, DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId } from "@civicgrid/core/CaseCategory"
import type { CaseCommand } from "@civicgrid/core/CaseCommand"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import { UnitId } from "@civicgrid/core/Unit"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"

const jinsha = UnitId.make("jinsha") // 金沙社区, from hierarchy.ts
const chengguan = DepartmentId.make("chengguan") // 区城管局, a functional department

// 操作人 — who acts, in which role, for which unit. Every event records its actor.
const gridWorker: Actor = { id: ActorId.make("gw-li"), role: "grid-worker", unitId: jinsha }
const communityStaff: Actor = { id: ActorId.make("cs-wang"), role: "community-staff", unitId: jinsha }
const cityManagement: Actor = {
  id: ActorId.make("cg-liu"),
  role: "department",
  unitId: UnitId.make("panlong"),
  departmentId: chengguan
}

const caseId = Case.CaseId.make("QY-2025-0001")
// The core has no clock: every command carries its instant (Monday 3 March 2025, Beijing time).
const at = (time: string) => DateTime.unsafeMake(`2025-03-03T${time}:00+08:00`)

// 采集上报 → 立案 → 指挥派遣 → 处理反馈 → 任务核查
export const commands: ReadonlyArray<CaseCommand> = [
  {
    _tag: "Report",
    caseId,
    actor: gridWorker,
    at: at("09:00"),
    source: "patrol", // 网格员巡查
    categoryId: CategoryId.make("SJ-0102"), // 暴露垃圾 exposed garbage (the standard catalogue's 小类)
    urgency: "normal",
    description: "金沙苑3栋旁垃圾堆放",
    location: { unitId: UnitId.make("jinsha-yuan-3") },
    communityId: jinsha, // the community owns the case first: 社区自循环
    tier: "community",
    anonymous: false
  },
  { _tag: "Accept", caseId, actor: communityStaff, at: at("09:20") },
  {
    _tag: "Dispatch",
    caseId,
    actor: communityStaff,
    at: at("09:30"),
    target: { _tag: "Department", departmentId: chengguan }
  },
  {
    _tag: "Handle",
    caseId,
    actor: cityManagement,
    at: at("14:00"),
    result: "已清运垃圾并消杀",
    evidence: ["oss://cases/QY-2025-0001/after.jpg"]
  },
  { _tag: "Verify", caseId, actor: communityStaff, at: at("15:00"), outcome: "pass" }
]

// `Case.execute` = `decide` (check the command, get its events) + `evolve` (apply them).
// A refused command stops the walk with a `CaseRefused` naming every rule it breaks.
export const walk = (
  steps: ReadonlyArray<CaseCommand>
): Either.Either<
  { readonly state: Case.State; readonly events: ReadonlyArray<CaseEvent> },
  Case.CaseRefused
> =>
  Either.gen(function* () {
    let state: Case.State = Case.initial
    const events: Array<CaseEvent> = []
    for (const command of steps) {
      const executed = yield* Case.execute(state, command)
      state = executed.state
      events.push(...executed.events)
    }
    return { state, events }
  })

export const closed = walk(commands)
// → Right: state.status "closed" (结案, now waiting for the return visit 回访), closedTier "community";
//   events Reported, Accepted, Dispatched, Handled, VerificationPassed, Closed — sequence 1 … 6

// The same command twice is refused, not applied twice:
export const again = walk([...commands, { _tag: "Accept", caseId, actor: communityStaff, at: at("16:00") }])
// → Left(CaseRefused): rule "status" — 立案 is not allowed in status "closed"
