import { type Actor, ActorId, DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId } from "@civicgrid/core/CaseCategory"
import * as Escalation from "@civicgrid/core/Escalation"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import { UnitId } from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import { walk } from "../getting-started/case-loop.js"
import { district } from "../getting-started/hierarchy.js"

const jinsha = UnitId.make("jinsha")
const caseId = Case.CaseId.make("QY-2025-0200")
const staff: Actor = { id: ActorId.make("cs-wang"), role: "community-staff", unitId: jinsha }
const at = (iso: string) => DateTime.unsafeMake(`${iso}+08:00`)

// A case dispatched on Monday 10 March 2025 at 09:00 — normal urgency, so 处置 is due in 3 working
// days (Thursday 13 March, 09:00) — and not handled since.
const dispatched = walk([
  {
    _tag: "Report",
    caseId,
    actor: { id: ActorId.make("gw-li"), role: "grid-worker", unitId: jinsha },
    at: at("2025-03-10T08:40:00"),
    source: "patrol",
    categoryId: CategoryId.make("SJ-0107"), // 废弃车辆 abandoned vehicle
    urgency: "normal",
    description: "金沙路12号门口废弃车辆",
    location: { unitId: UnitId.make("jinsha-12") },
    communityId: jinsha,
    tier: "community",
    anonymous: false
  },
  { _tag: "Accept", caseId, actor: staff, at: at("2025-03-10T08:50:00") },
  {
    _tag: "Dispatch",
    caseId,
    actor: staff,
    at: at("2025-03-10T09:00:00"),
    target: { _tag: "Department", departmentId: DepartmentId.make("chengguan") }
  }
])

// 超时自动上报 — a scheduler calls `Escalation.due` with the open cases and the time: the cases past
// their deadline (red light), each with a ready `Escalate` command by the `system` actor; and, listed
// apart, the cases it could not judge (a year with no loaded schedule …), never silently dropped.
export const escalated = Either.flatMap(dispatched, ({ state }) => {
  const cases = state._tag === "Case" ? [state] : []
  const { due, skipped } = Escalation.due(cases, at("2025-03-13T10:00:00"), {
    hierarchy: district,
    timeLimits: TimeLimit.defaultPolicy,
    calendar: WorkingCalendar.china()
  })
  // Run each command through the decider like any other: the events record who (system) and why.
  return Either.map(Either.all(due.map((d) => Case.execute(state, d.command))), (results) => ({
    due: due.map((d) => ({ caseId: d.caseId, step: d.step, from: d.from, to: d.to, color: d.light.color })),
    skipped,
    after: results.map((r) => r.state)
  }))
})
// → due: [{ caseId: "QY-2025-0200", step: "handling", from: "community", to: { tier: "street", unitId: "qingyun" },
//    color: "red" }]; after: the case at tier "street" (街道微循环), owned by 青云街道, status "accepted" —
//    back to 派遣 for the street to dispatch anew, with the clock restarted; skipped: []
