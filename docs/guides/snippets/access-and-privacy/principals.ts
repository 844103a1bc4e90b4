import { DepartmentId } from "@civicgrid/core/Actor"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as Mask from "@civicgrid/http/Mask"
import * as Principal from "@civicgrid/http/Principal"
import * as Either from "effect/Either"
import * as Option from "effect/Option"

// 盘龙区 → 青云街道 (金沙社区, 北京路社区) and 拓东街道 (南华社区)
export const rows: ReadonlyArray<Unit.Unit> = [
  Unit.make({ id: "panlong", parentId: null, level: "district", name: "盘龙区" }),
  Unit.make({ id: "qingyun", parentId: "panlong", level: "street", name: "青云街道" }),
  Unit.make({ id: "tuodong", parentId: "panlong", level: "street", name: "拓东街道" }),
  Unit.make({ id: "jinsha", parentId: "qingyun", level: "community", name: "金沙社区" }),
  Unit.make({ id: "beijinglu", parentId: "qingyun", level: "community", name: "北京路社区" }),
  Unit.make({ id: "nanhua", parentId: "tuodong", level: "community", name: "南华社区" }),
  Unit.make({ id: "jinsha-yuan-3", parentId: "jinsha", level: "building", name: "金沙苑3栋" })
]
const hierarchy = Option.some(Either.getOrThrow(Hierarchy.make(LevelScheme.FiveLevel, rows)))

// 访问主体 — who a bearer token stands for: an id, a role and the unit they act for.
export const principals = {
  zhao: Principal.make({ id: "r-zhao", role: "resident", unitId: "jinsha-yuan-3" }), // a home, not a jurisdiction
  qian: Principal.make({ id: "r-qian", role: "resident", unitId: "jinsha-yuan-3" }),
  li: Principal.make({ id: "gw-li", role: "grid-worker", unitId: "jinsha" }),
  wang: Principal.make({ id: "cs-wang", role: "community-staff", unitId: "jinsha" }),
  chen: Principal.make({ id: "ss-chen", role: "street-staff", unitId: "tuodong" }),
  // a department sits at a unit, which is not its jurisdiction: it sees what is dispatched to it ...
  squad: Principal.make({ id: "qy-cg", role: "department", unitId: "qingyun", departmentId: "qy-chengguan" }),
  // ... plus a subtree only when one is granted explicitly (授权辖区)
  office: Principal.make({
    id: "qy-zz",
    role: "department",
    unitId: "qingyun",
    departmentId: "qy-zongzhi",
    grantedSubtree: "qingyun"
  }),
  admin: Principal.make({ id: "admin-qy", role: "admin", unitId: "qingyun" })
}

// 可见性依据 — what decides visibility: where the case is, where it is dispatched, who reported it.
const zhaosCase = (dispatchedTo: string | null): Principal.CaseFacts => ({
  unitId: "jinsha-yuan-3",
  communityId: "jinsha",
  dispatchTarget:
    dispatchedTo === null ? null : { _tag: "Department", departmentId: DepartmentId.make(dispatchedTo) },
  reportedBy: "r-zhao"
})

// 辖区 — staff see their unit's subtree; a resident sees only their own reports; a department sees
// what is dispatched to it, and its granted subtree if it has one.
export const whoSees = (dispatchedTo: string | null) =>
  Object.entries(principals)
    .filter(([, p]) => Principal.canSeeCase(p, hierarchy, zhaosCase(dispatchedTo)))
    .map(([name]) => name)
// whoSees(null)           → ["zhao", "li", "wang", "office", "admin"]: the squad sits at 青云街道, yet sees nothing
// whoSees("qy-chengguan") → ["zhao", "li", "wang", "squad", "office", "admin"]: the squad now handles it

// 个人信息 — who reads a reporter's contact in full (return visits 回访): staff of the three tiers and
// admins, and the reporter; everyone else reads it masked.
export const readsInFull = Object.entries(principals)
  .filter(([, p]) => Principal.canReadPersonalData(p, zhaosCase(null)))
  .map(([name]) => name) // → ["zhao", "wang", "chen", "admin"] (chen still has to see the case first)

// 脱敏 — masking keeps the length and is idempotent.
export const masked = Mask.contact({ name: "张三丰", phone: "13812341234" }) // → { name: "张**", phone: "138****1234" }

// 操作人 — the actor a principal's commands record; an admin acts as the staff of its unit's tier,
// so the core's rules still decide what it may do.
export const adminActs = Principal.toActor(principals.admin, hierarchy).role // → "street-staff"
