import * as Body from "@civicgrid/core/Body"
import type * as Compound from "@civicgrid/core/Compound"
import * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import * as Post from "@civicgrid/core/Post"
import * as RoleTable from "@civicgrid/core/RoleTable"
import { UnitId } from "@civicgrid/core/Unit"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import * as Either from "effect/Either"

// 金沙社区: 3,200 residents (above the 3,000 boundary: at least 5 mediators), in 青云街道
const community: OrganizationRules.Community = {
  unitId: UnitId.make("jinsha"),
  residents: 3200,
  streetId: UnitId.make("qingyun")
}

// the bodies: kinds are ids of the kind table (Body.defaultKinds unless you pass your own)
const bodies = [
  Body.make({
    id: "jinsha-branch",
    kind: "community-party-branch",
    name: "金沙社区党支部",
    unitId: "jinsha"
  }),
  Body.make({ id: "jinsha-rc", kind: "residents-committee", name: "金沙社区居委会", unitId: "jinsha" }),
  Body.make({ id: "jinsha-ws", kind: "workstation", name: "金沙社区工作站", unitId: "jinsha" }),
  Body.make({ id: "jinsha-grids", kind: "grid-station", name: "金沙社区网格服务站", unitId: "jinsha" }),
  Body.make({
    id: "jinsha-mc",
    kind: "mediation-committee",
    name: "金沙社区人民调解委员会",
    unitId: "jinsha"
  }),
  Body.make({ id: "jinsha-oc", kind: "owners-committee", name: "金沙苑业委会", unitId: "jinsha-yuan" })
]

// the posts: who holds which post of which body, from when; 兼任 marks a second post
const posts = [
  Post.make({ id: "p1", bodyId: "jinsha-branch", kind: "secretary", holder: "wang", since: "2024-01-01" }),
  Post.make({
    id: "p2",
    bodyId: "jinsha-rc",
    kind: "director",
    holder: "wang",
    since: "2024-01-01",
    concurrent: true // 书记、主任"一肩挑"
  }),
  Post.make({ id: "p3", bodyId: "jinsha-rc", kind: "member", holder: "li", since: "2024-01-01" }),
  Post.make({ id: "p4", bodyId: "jinsha-ws", kind: "station-head", holder: "zhao", since: "2024-01-01" }),
  // 网格长: 李 is a 两委 member, 周 is not
  Post.make({
    id: "p5",
    bodyId: "jinsha-grids",
    kind: "grid-leader",
    holder: "li",
    since: "2024-01-01",
    gridId: "jinsha-g1",
    concurrent: true
  }),
  Post.make({
    id: "p6",
    bodyId: "jinsha-grids",
    kind: "grid-leader",
    holder: "zhou",
    since: "2024-01-01",
    gridId: "jinsha-g2"
  }),
  // three mediators and one legal adviser (一村一顾问)
  ...["chen", "sun", "wu"].map((holder, i) =>
    Post.make({ id: `m${i + 1}`, bodyId: "jinsha-mc", kind: "mediator", holder, since: "2024-03-01" })
  ),
  Post.make({
    id: "a1",
    bodyId: "jinsha-mc",
    kind: "legal-adviser",
    holder: "lawyer-he",
    since: "2024-03-01"
  })
]

// the compounds: 金沙苑 is self-managed through its 业委会; 老粮站宿舍 has no one yet (无人管理, no 兜底)
const compounds: ReadonlyArray<Compound.Compound> = [
  {
    id: UnitId.make("jinsha-yuan"),
    communityId: UnitId.make("jinsha"),
    name: "金沙苑",
    management: { _tag: "SelfManaged", bodyId: Body.BodyId.make("jinsha-oc") }
  },
  {
    id: UnitId.make("liangzhan"),
    communityId: UnitId.make("jinsha"),
    name: "老粮站宿舍",
    management: { _tag: "Unmanaged" }
  }
]

// check: every enabled rule, every violation, sorted — with the default rules (OrganizationRules.defaultRules)
export const violations = OrganizationRules.check({
  day: LocalDate.make("2026-12-07"),
  communities: [community],
  bodies,
  posts,
  compounds
})
export const found = violations.map((v) => `${v.rule}/${v.problem}`)
// → ["mediators-by-population/too-few", "grid-leader-in-two-committees/not-two-committees",
//    "compound-management/not-taken-over"]
export const firstMessage = violations[0]?.message
// → "调解员按人口配备：jinsha 仅有 3 人，应不少于 5 人 — mediators by population: jinsha has 3,
//    at least 5 required [mediators-by-population/too-few]"

// the numbers are configuration: a district that asks 3 mediators up to 5,000 residents
export const localRules: OrganizationRules.Rules = {
  ...OrganizationRules.defaultRules,
  mediatorBoundary: 5000
}
export const foundLocally = OrganizationRules.check(
  { day: LocalDate.make("2026-12-07"), communities: [community], bodies, posts, compounds },
  localRules
).map((v) => `${v.rule}/${v.problem}`)
// → ["grid-leader-in-two-committees/not-two-committees", "compound-management/not-taken-over"]

// the same input as one typed error (OrganizationViolations), for a use case that refuses to store it
export const validated = Either.mapLeft(
  OrganizationRules.validate({
    day: LocalDate.make("2026-12-07"),
    communities: [community],
    bodies,
    posts,
    compounds
  }),
  (e) => e.violations.length
)
// → Left(3)

// a local role of the role table: 信访代办员, resolved by its Chinese name to the built-in role it acts as
export const petitionAgent = RoleTable.actorRole(RoleTable.standard, "信访代办员")
// → Right({ role: "community-staff", localRole: "petition-agent" })
