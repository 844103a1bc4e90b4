/**
 * 组织与岗位 over HTTP, on SQLite and PostgreSQL: bodies, post records (with
 * their appointment history), party organisations with their members and the
 * organisation rules checked, the organisation indicators with the weak-and-lax
 * organisations 软弱涣散 of a period — each within the principal's jurisdiction
 * (outside it: 404; a resident: 403 naming the rule); the public 公示牌 of a
 * building without a token, names and phones masked; and 503 when the server
 * has no organisation store.
 */
import * as Body from "@civicgrid/core/Body"
import { GridId } from "@civicgrid/core/Grid"
import { GridRepository } from "@civicgrid/core/GridRepository"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as Period from "@civicgrid/core/Period"
import * as Post from "@civicgrid/core/Post"
import * as Staffing from "@civicgrid/core/Staffing"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { expect, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Authorization from "../src/Authorization.js"
import type * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import {
  B1,
  C1,
  C2,
  C3,
  type Dialect,
  dialects,
  env,
  K1,
  login,
  principal,
  raw,
  S1,
  S2,
  seedDemo,
  Tokens
} from "./support/Harness.js"

const G1 = GridId.make("jinsha-g1")

const bodies: ReadonlyArray<Body.Body> = [
  Body.make({ id: "qingyun-lead", kind: "street-leadership", name: "青云街道领导班子", unitId: S1 }),
  Body.make({ id: "jinsha-party", kind: "community-party-committee", name: "金沙社区党委", unitId: C1 }),
  Body.make({ id: "jinsha-rc", kind: "residents-committee", name: "金沙社区居委会", unitId: C1 }),
  Body.make({ id: "jinsha-ws", kind: "workstation", name: "金沙社区工作站", unitId: C1 }),
  Body.make({ id: "jinsha-grid", kind: "grid-station", name: "金沙网格服务站", unitId: C1 }),
  Body.make({ id: "jinsha-yuan-oc", kind: "owners-committee", name: "金沙苑业委会", unitId: K1 }),
  Body.make({ id: "jinsha-yuan-branch", kind: "compound-party-branch", name: "金沙苑党支部", unitId: K1 }),
  Body.make({ id: "beijinglu-rc", kind: "residents-committee", name: "北京路社区居委会", unitId: C2 }),
  Body.make({ id: "nanhua-rc", kind: "residents-committee", name: "南华社区居委会", unitId: C3 })
]

const posts: ReadonlyArray<Post.Post> = [
  Post.make({
    id: "p1",
    bodyId: "jinsha-party",
    kind: "secretary",
    holder: "wang",
    since: "2018-01-01",
    until: "2023-12-31"
  }),
  Post.make({ id: "p2", bodyId: "jinsha-party", kind: "secretary", holder: "li", since: "2024-01-01" }),
  Post.make({
    id: "p3",
    bodyId: "jinsha-rc",
    kind: "director",
    holder: "li",
    since: "2024-01-01",
    concurrent: true
  }),
  Post.make({ id: "p4", bodyId: "jinsha-ws", kind: "station-head", holder: "li", since: "2024-01-01" }),
  Post.make({
    id: "p5",
    bodyId: "jinsha-grid",
    kind: "grid-leader",
    holder: "sun",
    since: "2023-01-01",
    gridId: G1
  }),
  Post.make({ id: "p6", bodyId: "jinsha-yuan-oc", kind: "director", holder: "zhao", since: "2022-01-01" }),
  Post.make({
    id: "p7",
    bodyId: "jinsha-yuan-branch",
    kind: "secretary",
    holder: "zhao",
    since: "2024-03-25"
  }),
  Post.make({ id: "p8", bodyId: "beijinglu-rc", kind: "director", holder: "qian", since: "2021-01-01" }),
  Post.make({ id: "p9", bodyId: "nanhua-rc", kind: "director", holder: "he", since: "2021-01-01" })
]

const person = (id: string, name: string, phone?: string) =>
  Staffing.makePerson({ id, name, partyMember: true, ...(phone === undefined ? {} : { phone }) })

/** The organisation store of the server (provided by `SqlRepositories.layer`). */
const organization = Effect.flatMap(Effect.serviceOption(Org.OrganizationRepository), (store) =>
  Option.match(store, { onNone: () => Effect.dieMessage("no organisation store"), onSome: Effect.succeed })
)

const seed = Effect.gen(function* () {
  yield* seedDemo
  const repo = yield* organization
  yield* repo.putBodies(bodies)
  yield* repo.putPosts(posts)
  yield* repo.putPeople([
    person("li", "李秀英", "13812345678"),
    person("zhao", "赵建国", "13900001111"),
    person("sun", "孙丽", "0871-65123456")
  ])
  yield* repo.putMemberships([
    {
      personId: Staffing.PersonId.make("zhao"),
      bodyId: Body.BodyId.make("jinsha-yuan-branch"),
      kind: "relation",
      since: LocalDate.make("2024-03-25")
    },
    {
      personId: Staffing.PersonId.make("pm-2"),
      bodyId: Body.BodyId.make("jinsha-yuan-branch"),
      kind: "reported",
      homeBodyId: Body.BodyId.make("qingyun-lead"),
      since: LocalDate.make("2024-03-25")
    }
  ])
  yield* repo.putCompounds([{ id: K1, communityId: C1, name: "金沙苑" }])
  // 软弱涣散: 金沙社区党委 flagged in 2025 Q1 and cleared in Q2 (清零); 南华 (another street) flagged in Q2
  const quarter = (day: string) => Period.ofDate(LocalDate.make(day), "quarter")
  yield* repo.putWeakAndLaxFlags([
    {
      bodyId: Body.BodyId.make("jinsha-party"),
      period: quarter("2025-01-01"),
      flagged: true,
      reason: "组织生活不规范"
    },
    { bodyId: Body.BodyId.make("jinsha-party"), period: quarter("2025-04-01"), flagged: false },
    { bodyId: Body.BodyId.make("nanhua-rc"), period: quarter("2025-04-01"), flagged: true }
  ])
  const grids = yield* GridRepository
  yield* grids.putBuildings([{ id: B1, communityId: C1, name: "金沙苑3栋", households: 120 }])
  yield* grids.putGrids([{ id: G1, name: "金沙第一网格", kind: "basic", communityId: C1, buildingIds: [B1] }])
  yield* grids.putPeople([person("gw-ma", "马网格", "13655556666"), person("li", "李秀英", "13812345678")])
  yield* grids.assign([
    Staffing.assign("gw-ma", "full-time-worker", { grid: G1 }),
    // grid leaders of grid staffing: 李 sits on the residents' committee (两委), 马 does not
    Staffing.assign("li", "grid-leader", { grid: G1 }),
    Staffing.assign("gw-ma", "grid-leader", { grid: G1 })
  ])
}).pipe(Effect.orDie)

const roles: ReadonlyArray<Principal.Role> = ["grid-worker", "community-staff", "street-staff", "admin"]

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seed).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(
    `organisation on ${dialect.name}`,
    (it) => {
      it.effect(
        "bodies, posts and party organisations within the jurisdiction; outside it 404, a resident 403",
        () =>
          Effect.gen(function* () {
            const staff = yield* login(principal("cs-org", "community-staff", C1))
            const street = yield* login(principal("ss-org", "street-staff", S1))
            const far = yield* login(principal("cs-far-org", "community-staff", C3))

            const mine = yield* staff.client.organization.bodies({ urlParams: {} })
            expect(mine.map((b) => b.id)).toEqual([
              "jinsha-grid",
              "jinsha-party",
              "jinsha-rc",
              "jinsha-ws",
              "jinsha-yuan-branch",
              "jinsha-yuan-oc"
            ])
            expect(
              (yield* staff.client.organization.bodies({
                urlParams: { kind: Body.kinds.residentsCommittee }
              })).map((b) => b.id)
            ).toEqual(["jinsha-rc"])
            expect(
              (yield* street.client.organization.bodies({ urlParams: { within: K1 } })).map((b) => b.id)
            ).toEqual(["jinsha-yuan-branch", "jinsha-yuan-oc"])
            expect((yield* far.client.organization.bodies({ urlParams: {} })).map((b) => b.id)).toEqual([
              "nanhua-rc"
            ])
            expect((yield* raw("GET", `/bodies?within=${C1}`, far.token)).status).toBe(404)
            expect((yield* raw("GET", "/bodies?within=nowhere", staff.token)).status).toBe(404)
            const resident = yield* login(principal("r-org", "resident", C1))
            const refused = yield* raw("GET", "/bodies", resident.token)
            expect([refused.status, JSON.parse(refused.text).rule]).toEqual([403, "no-jurisdiction"])
            expect((yield* raw("GET", "/bodies", undefined)).status).toBe(401)

            // the appointment history: both secretaries; held on a day: the current one
            const history = yield* staff.client.organization.posts({
              urlParams: { bodyId: Body.BodyId.make("jinsha-party") }
            })
            expect(history.map((p) => [p.holder, p.since, p.until])).toEqual([
              ["wang", "2018-01-01", "2023-12-31"],
              ["li", "2024-01-01", undefined]
            ])
            // holders' names: in full for staff, masked for a grid worker, null for a holder not stored
            expect(history.map((p) => p.holderName)).toEqual([null, "李秀英"])
            const worker = yield* login(principal("gw-org", "grid-worker", C1))
            expect(
              (yield* worker.client.organization.posts({
                urlParams: { bodyId: Body.BodyId.make("jinsha-party") }
              })).map((p) => p.holderName)
            ).toEqual([null, "李**"])
            const held = yield* staff.client.organization.posts({
              urlParams: { bodyId: Body.BodyId.make("jinsha-party"), heldOn: LocalDate.make("2023-06-01") }
            })
            expect(held.map((p) => p.holder)).toEqual(["wang"])
            expect((yield* far.client.organization.posts({ urlParams: {} })).map((p) => p.id)).toEqual(["p9"])
            expect((yield* street.client.organization.posts({ urlParams: {} })).map((p) => p.id)).toEqual([
              "p1",
              "p2",
              "p3",
              "p4",
              "p5",
              "p6",
              "p7",
              "p8"
            ])

            // party organisations with their committee and members
            const party = yield* staff.client.organization.partyOrganisations({ urlParams: {} })
            expect(
              party.map((o) => [
                o.body.id,
                o.posts.map((p) => p.holder),
                o.members.map((m) => [m.personId, m.kind])
              ])
            ).toEqual([
              ["jinsha-party", ["li"], []],
              [
                "jinsha-yuan-branch",
                ["zhao"],
                [
                  ["pm-2", "reported"],
                  ["zhao", "relation"]
                ]
              ]
            ])
            expect(
              party.map((o) => [o.posts.map((p) => p.holderName), o.members.map((m) => m.name)])
            ).toEqual([
              [["李秀英"], []],
              [["赵建国"], [null, "赵建国"]]
            ])
            expect(
              (yield* worker.client.organization.partyOrganisations({ urlParams: {} })).map((o) =>
                o.members.map((m) => m.name)
              )
            ).toEqual([[], [null, "赵**"]])
            expect(yield* far.client.organization.partyOrganisations({ urlParams: {} })).toEqual([])
          })
      )

      it.effect(
        "organisation indicators: bodies by kind as GET /bodies lists them, party share by post from the holders, one pattern per community; outside the jurisdiction 404",
        () =>
          Effect.gen(function* () {
            const staff = yield* login(principal("cs-org3", "community-staff", C1))
            const day = LocalDate.make("2025-06-01")
            const report = yield* staff.client.organization.indicators({ urlParams: { on: day } })
            expect([report.within, report.day]).toEqual([C1, day])
            const bodies = yield* staff.client.organization.bodies({ urlParams: {} })
            const byKind = new Map<string, number>()
            for (const b of bodies) byKind.set(b.kind, (byKind.get(b.kind) ?? 0) + 1)
            expect(new Map(report.bodiesByKind.map((k) => [k.kind as string, k.count]))).toEqual(byKind)
            expect(report.bodiesByKind.find((k) => k.kind === "residents-committee")?.name).toBe("居民委员会")
            // secretaries held on the day: 李 (jinsha-party) and 赵 (jinsha-yuan-branch), both party members
            const secretary = report.partyShareByPost.find((p) => p.kind === "secretary")
            expect([secretary?.name, secretary?.share]).toEqual(["书记", { numerator: 2, denominator: 2 }])
            expect(report.patterns.map((p) => p.unitId)).toEqual([C1])
            expect(report.compoundManagement.unrecorded).toBe(1)
            const far = yield* login(principal("cs-far-org3", "community-staff", C3))
            expect((yield* raw("GET", `/organisation/indicators?within=${C1}`, far.token)).status).toBe(404)
            const resident = yield* login(principal("r-org3", "resident", C1))
            expect((yield* raw("GET", "/organisation/indicators", resident.token)).status).toBe(403)
          })
      )

      it.effect(
        "organisation indicators with a period: the weak-and-lax organisations by name, their count and the zero target (清零) within the jurisdiction; patterns name their community; a bad period 400",
        () =>
          Effect.gen(function* () {
            const staff = yield* login(principal("cs-org5", "community-staff", C1))
            const on = LocalDate.make("2025-06-01")
            const plain = yield* staff.client.organization.indicators({ urlParams: { on } })
            expect(plain.weakAndLax).toBeNull()
            expect(plain.patterns.map((p) => [p.unitId, p.name])).toEqual([[C1, "金沙社区"]])
            const q1 = yield* staff.client.organization.indicators({ urlParams: { on, period: "2025-Q1" } })
            expect(q1.weakAndLax).toEqual({
              period: "2025-Q1",
              flagged: [{ bodyId: "jinsha-party", name: "金沙社区党委" }],
              count: 1,
              target: 0,
              met: false
            })
            const q2 = yield* staff.client.organization.indicators({ urlParams: { on, period: "2025-Q2" } })
            expect(q2.weakAndLax).toEqual({ period: "2025-Q2", flagged: [], count: 0, target: 0, met: true })
            // the street: 南华 lies in another street
            const street = yield* login(principal("ss-org5", "street-staff", S1))
            const s1 = yield* street.client.organization.indicators({ urlParams: { on, period: "2025-Q2" } })
            expect([s1.weakAndLax?.count, s1.weakAndLax?.met]).toEqual([0, true])
            expect(s1.patterns.map((p) => [p.unitId, p.name])).toEqual([
              [C2, "北京路社区"],
              [C1, "金沙社区"]
            ])
            const other = yield* login(principal("ss-org5b", "street-staff", S2))
            const s2 = yield* other.client.organization.indicators({ urlParams: { on, period: "2025-Q2" } })
            expect(s2.weakAndLax).toEqual({
              period: "2025-Q2",
              flagged: [{ bodyId: "nanhua-rc", name: "南华社区居委会" }],
              count: 1,
              target: 0,
              met: false
            })
            // a quarter with no flags at all: nothing flagged, the target met
            const q3 = yield* staff.client.organization.indicators({ urlParams: { on, period: "2025-Q3" } })
            expect([q3.weakAndLax?.count, q3.weakAndLax?.met]).toEqual([0, true])
            const bad = yield* raw("GET", "/organisation/indicators?period=2025-Q9", staff.token)
            expect(bad.status).toBe(400)
          })
      )

      it.effect("the organisation rules within the jurisdiction, each violation naming its rule", () =>
        Effect.gen(function* () {
          const staff = yield* login(principal("cs-org2", "community-staff", C1))
          const street = yield* login(principal("ss-org2", "street-staff", S1))
          const check = yield* staff.client.organization.staffingCheck({ urlParams: {} })
          expect(check.within).toBe(C1)
          expect(check.communities).toEqual([C1])
          const rules = check.violations.map((v) => `${v.rule}/${v.problem}`)
          expect(rules).toEqual(
            expect.arrayContaining([
              "one-legal-adviser/too-few",
              "grid-leader-in-two-committees/not-two-committees",
              "deliberation-execution-separation/holds-both",
              "compound-management/no-arrangement"
            ])
          )
          for (const v of check.violations) expect(v.message).toContain(`[${v.rule}/${v.problem}]`)
          // grid leaders: the 网格长 post of 孙 and 马 of grid staffing, not 李 (a 两委 member)
          expect(
            check.violations
              .filter((v) => v.rule === "grid-leader-in-two-committees")
              .map((v) => [v.personIds, v.detail ?? null])
          ).toEqual(
            expect.arrayContaining([
              [["gw-ma"], G1],
              [["sun"], null]
            ])
          )
          expect(
            check.violations.filter(
              (v) =>
                v.rule === "grid-leader-in-two-committees" &&
                v.personIds.includes(Staffing.PersonId.make("li"))
            )
          ).toEqual([])
          const separation = check.violations.find((v) => v.rule === "deliberation-execution-separation")
          expect(separation?.personIds).toEqual(["li"])
          expect(check.memberships).toEqual([])
          // the street sees its two communities, never 南华 of the other street
          const wide = yield* street.client.organization.staffingCheck({ urlParams: {} })
          expect(wide.communities).toEqual([C2, C1].sort())
          expect(wide.violations.some((v) => v.unitId === C3)).toBe(false)
          expect(wide.violations.some((v) => v.unitId === C2)).toBe(true)
          const far = yield* login(principal("cs-far-org2", "community-staff", C3))
          expect((yield* raw("GET", `/staffing/check?within=${C1}`, far.token)).status).toBe(404)
          for (const role of roles) {
            const who = yield* login(principal(`any-${role}`, role, C1))
            const answer = yield* raw("GET", "/staffing/check", who.token)
            expect([role, answer.status]).toEqual([role, 200])
          }
        })
      )

      it.effect("the 公示牌 of a building is public, names and phones masked", () =>
        Effect.gen(function* () {
          const board = yield* raw("GET", `/directory/${B1}`, undefined)
          expect(board.status).toBe(200)
          const body = JSON.parse(board.text) as {
            readonly buildingName: string
            readonly entries: ReadonlyArray<{
              readonly source: string
              readonly kind: string
              readonly kindZh: string
              readonly bodyId?: string
              readonly name?: string
              readonly phone?: string
            }>
          }
          expect(body.buildingName).toBe("金沙苑3栋")
          expect(body.entries.map((e) => [e.source, e.kindZh, e.bodyId, e.name, e.phone])).toEqual([
            ["post", "书记", "jinsha-yuan-branch", "赵**", "139****1111"],
            ["post", "主任", "jinsha-yuan-oc", "赵**", "139****1111"],
            ["post", "书记", "jinsha-party", "李**", "138****5678"],
            ["post", "主任", "jinsha-rc", "李**", "138****5678"],
            ["post", "站长", "jinsha-ws", "李**", "138****5678"],
            ["post", "网格长", "jinsha-grid", "孙*", "****-****3456"],
            ["staffing", "网格长", undefined, "马**", "136****6666"],
            ["staffing", "网格长", undefined, "李**", "138****5678"],
            ["staffing", "专职网格员", undefined, "马**", "136****6666"]
          ])
          for (const secret of [
            "李秀英",
            "13812345678",
            "赵建国",
            "13900001111",
            "马网格",
            "13655556666",
            "65123456"
          ])
            expect(board.text).not.toContain(secret)
          // a community is not a building; an unknown unit is not either
          expect((yield* raw("GET", `/directory/${C1}`, undefined)).status).toBe(404)
          expect((yield* raw("GET", "/directory/nowhere", undefined)).status).toBe(404)
        })
      )

      it.effect(
        "mediators by population: the stored population at the 3,000 boundary — ≥ 3 at or below, ≥ 5 above",
        () =>
          Effect.gen(function* () {
            const staff = yield* login(principal("cs-org3", "community-staff", C1))
            const mediators = Effect.map(staff.client.organization.staffingCheck({ urlParams: {} }), (r) =>
              r.violations
                .filter((v) => v.rule === "mediators-by-population")
                .map((v) => [v.unitId, v.problem, v.expected, v.found])
            )
            expect(yield* mediators).toEqual([[C1, "population-unknown", undefined, undefined]])
            // the server's own organisation store (the environment holds it; its type names only the client)
            const repo = Option.getOrThrow(yield* Effect.serviceOption(Org.OrganizationRepository))
            yield* repo.putBodies([
              Body.make({ id: "jinsha-med", kind: "mediation-committee", name: "金沙社区调委会", unitId: C1 })
            ])
            const mediator = (n: number) =>
              Post.make({
                id: `jinsha-med-${n}`,
                bodyId: "jinsha-med",
                kind: "mediator",
                holder: `med-${n}`,
                since: "2024-01-01"
              })
            yield* repo.putPosts([1, 2, 3].map(mediator))
            yield* repo.putPopulations([{ unitId: C1, residents: 3000 }])
            expect(yield* mediators).toEqual([])
            yield* repo.putPopulations([{ unitId: C1, residents: 3001 }])
            expect(yield* mediators).toEqual([[C1, "too-few", 5, 3]])
            yield* repo.putPosts([4].map(mediator))
            expect(yield* mediators).toEqual([[C1, "too-few", 5, 4]])
            yield* repo.putPosts([5].map(mediator))
            expect(yield* mediators).toEqual([])
          })
      )
    }
  )
}

/** The server over the SQL stores without the organisation store. */
const envWithoutOrganization = (dialect: Dialect) => {
  const tokens = new Map<string, Principal.Principal>()
  const migrated = Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh())
  )
  const repositories = Layer.scopedContext(
    Effect.map(Layer.build(SqlRepositories.layer()), (context) =>
      Context.omit(Org.OrganizationRepository)(context)
    )
  ).pipe(Layer.provideMerge(migrated))
  return Server.layer().pipe(
    Layer.provide(Authorization.layerMemory(tokens)),
    Layer.provideMerge(repositories),
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provideMerge(Layer.succeed(Tokens, tokens)),
    Layer.orDie
  )
}

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(envWithoutOrganization(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(
    `organisation unavailable on ${dialect.name}`,
    (it) => {
      it.effect("every endpoint answers 503 OrganizationUnavailable without an organisation store", () =>
        Effect.gen(function* () {
          const staff = yield* login(principal("cs-none", "community-staff", C1))
          for (const path of [
            "/bodies",
            "/posts",
            "/party-organisations",
            "/staffing/check",
            "/organisation/indicators"
          ]) {
            const answer = yield* raw("GET", path, staff.token)
            expect([path, answer.status, JSON.parse(answer.text)._tag]).toEqual([
              path,
              503,
              "OrganizationUnavailable"
            ])
          }
          const board = yield* raw("GET", `/directory/${B1}`, undefined)
          expect([board.status, JSON.parse(board.text)._tag]).toEqual([503, "OrganizationUnavailable"])
        })
      )
    }
  )
}
