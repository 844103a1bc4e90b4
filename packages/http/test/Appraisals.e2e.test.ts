/**
 * 干部考核（绿橙红） over HTTP, on SQLite and PostgreSQL: `GET /appraisals`
 * lists the cadres appraised within the principal's jurisdiction with each
 * cadre's history (red → orange → green: better, better), the unit's name and
 * the posts held today; a period narrows to the cadres appraised in it;
 * names are masked for a principal without the personal-data right (a grid
 * worker), in full for community staff; outside the jurisdiction 404, a
 * resident 403, a bad period 400; and 503 without an organisation store.
 */
import * as Body from "@civicgrid/core/Body"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as Period from "@civicgrid/core/Period"
import * as Post from "@civicgrid/core/Post"
import * as Staffing from "@civicgrid/core/Staffing"
import { UnitId } from "@civicgrid/core/Unit"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { expect, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Authorization from "../src/Authorization.js"
import type * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import {
  C1,
  C3,
  type Dialect,
  dialects,
  env,
  K1,
  login,
  principal,
  raw,
  S1,
  seedDemo,
  Tokens
} from "./support/Harness.js"

const period = (label: string): Period.Period => Either.getOrThrow(Period.parse(label))

const appraisal = (unitId: string, cadreId: string, label: string, score: number): Org.UnitAppraisal => ({
  unitId: UnitId.make(unitId),
  appraisal: { cadreId: Staffing.PersonId.make(cadreId), period: period(label), score }
})

const organization = Effect.flatMap(Effect.serviceOption(Org.OrganizationRepository), (store) =>
  Option.match(store, { onNone: () => Effect.dieMessage("no organisation store"), onSome: Effect.succeed })
)

const seed = Effect.gen(function* () {
  yield* seedDemo
  const repo = yield* organization
  yield* repo.putBodies([
    Body.make({ id: "jinsha-party", kind: "community-party-committee", name: "金沙社区党委", unitId: C1 }),
    Body.make({ id: "jinsha-rc", kind: "residents-committee", name: "金沙社区居委会", unitId: C1 }),
    Body.make({ id: "jinsha-yuan-oc", kind: "owners-committee", name: "金沙苑业委会", unitId: K1 }),
    Body.make({ id: "nanhua-rc", kind: "residents-committee", name: "南华社区居委会", unitId: C3 })
  ])
  yield* repo.putPosts([
    Post.make({ id: "p1", bodyId: "jinsha-party", kind: "secretary", holder: "li", since: "2024-01-01" }),
    Post.make({ id: "p2", bodyId: "jinsha-rc", kind: "director", holder: "li", since: "2024-01-01" }),
    // an ended term is not a post held today
    Post.make({
      id: "p3",
      bodyId: "jinsha-rc",
      kind: "deputy-director",
      holder: "li",
      since: "2020-01-01",
      until: "2023-12-31"
    }),
    Post.make({ id: "p4", bodyId: "jinsha-yuan-oc", kind: "director", holder: "zhao", since: "2022-01-01" }),
    Post.make({ id: "p5", bodyId: "nanhua-rc", kind: "director", holder: "he", since: "2021-01-01" })
  ])
  yield* repo.putPeople([
    Staffing.makePerson({ id: "li", name: "李秀英", partyMember: true, phone: "13812345678" }),
    Staffing.makePerson({ id: "zhao", name: "赵建国", partyMember: true }),
    Staffing.makePerson({ id: "he", name: "何美兰", partyMember: false })
  ])
  yield* repo.putAppraisals([
    appraisal(C1, "li", "2025-Q1", 55),
    appraisal(C1, "li", "2025-Q2", 72),
    appraisal(C1, "li", "2025-Q3", 88),
    appraisal(K1, "zhao", "2025-Q3", 64),
    appraisal(C3, "he", "2025-Q3", 91),
    // appraised, but not stored as a person: no name
    appraisal(C1, "ghost", "2025-Q3", 40)
  ])
}).pipe(Effect.orDie)

interface Light {
  readonly label: string
  readonly score: number
  readonly light: string
  readonly lightName: string
  readonly change: string
}

interface Cadre {
  readonly cadreId: string
  readonly name: string | null
  readonly unitId: string
  readonly unitName: string
  readonly posts: ReadonlyArray<{ readonly kind: string; readonly kindZh: string; readonly bodyName: string }>
  readonly current: Light
  readonly history: ReadonlyArray<Light>
}

interface Appraisals {
  readonly within: string
  readonly period: string | null
  readonly namesMasked: boolean
  readonly lights: { readonly green: number; readonly orange: number; readonly red: number }
  readonly cadres: ReadonlyArray<Cadre>
}

const read = (url: string, token: string) =>
  Effect.flatMap(raw("GET", url, token), (r) =>
    r.status === 200
      ? Effect.succeed(JSON.parse(r.text) as Appraisals)
      : Effect.dieMessage(`${url} → ${r.status} ${r.text}`)
  )

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seed).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(
    `appraisals on ${dialect.name}`,
    (it) => {
      it.effect("the cadres of the jurisdiction with their lights, history and posts; names by right", () =>
        Effect.gen(function* () {
          const staff = yield* login(principal("cs-appr", "community-staff", C1))
          const grid = yield* login(principal("gw-appr", "grid-worker", C1))
          const street = yield* login(principal("ss-appr", "street-staff", S1))
          const far = yield* login(principal("cs-far-appr", "community-staff", C3))

          const all = yield* read("/appraisals", staff.token)
          expect([all.within, all.period, all.namesMasked, all.lights]).toEqual([
            C1,
            null,
            false,
            { green: 1, orange: 1, red: 1 }
          ])
          expect(all.cadres.map((c) => [c.cadreId, c.name, c.unitId, c.unitName, c.current.label])).toEqual([
            ["ghost", null, C1, "金沙社区", "2025-Q3"],
            ["li", "李秀英", C1, "金沙社区", "2025-Q3"],
            ["zhao", "赵建国", K1, "金沙苑", "2025-Q3"]
          ])
          const li = all.cadres.find((c) => c.cadreId === "li") as Cadre
          expect(li.history.map((h) => [h.label, h.score, h.light, h.lightName, h.change])).toEqual([
            ["2025-Q1", 55, "red", "红", "first"],
            ["2025-Q2", 72, "orange", "橙", "better"],
            ["2025-Q3", 88, "green", "绿", "better"]
          ])
          expect(li.posts.map((p) => [p.kind, p.kindZh, p.bodyName])).toEqual([
            [
              "secretary",
              Post.kindName(Post.defaultKinds, Post.PostKindId.make("secretary")).zh,
              "金沙社区党委"
            ],
            [
              "director",
              Post.kindName(Post.defaultKinds, Post.PostKindId.make("director")).zh,
              "金沙社区居委会"
            ]
          ])
          // the phone never shows
          expect(JSON.stringify(all)).not.toContain("13812345678")

          // a period: the cadres appraised in it, current = that period's appraisal
          const q2 = yield* read("/appraisals?period=2025-Q2", staff.token)
          expect([
            q2.period,
            q2.lights,
            q2.cadres.map((c) => [c.cadreId, c.current.light, c.history.length])
          ]).toEqual(["2025-Q2", { green: 0, orange: 1, red: 0 }, [["li", "orange", 3]]])

          // a grid worker reads names masked
          const masked = yield* read("/appraisals", grid.token)
          expect([masked.namesMasked, masked.cadres.map((c) => c.name)]).toEqual([
            true,
            [null, "李**", "赵**"]
          ])
          expect(JSON.stringify(masked)).not.toContain("李秀英")

          // within: a compound of the jurisdiction; the street sees its communities, not 南华
          expect((yield* read(`/appraisals?within=${K1}`, staff.token)).cadres.map((c) => c.cadreId)).toEqual(
            ["zhao"]
          )
          expect((yield* read("/appraisals", street.token)).cadres.map((c) => c.cadreId)).toEqual([
            "ghost",
            "li",
            "zhao"
          ])
          expect((yield* read("/appraisals", far.token)).cadres.map((c) => [c.cadreId, c.name])).toEqual([
            ["he", "何美兰"]
          ])

          // access: outside the jurisdiction 404, a resident 403, no token 401, a bad period 400
          const outside = yield* raw("GET", `/appraisals?within=${C1}`, far.token)
          expect([outside.status, JSON.parse(outside.text)._tag]).toEqual([404, "OrganizationNotFound"])
          expect(outside.text).not.toContain("李")
          const resident = yield* login(principal("r-appr", "resident", C1))
          const refused = yield* raw("GET", "/appraisals", resident.token)
          expect([refused.status, JSON.parse(refused.text).rule]).toEqual([403, "no-jurisdiction"])
          expect((yield* raw("GET", "/appraisals", undefined)).status).toBe(401)
          const bad = yield* raw("GET", "/appraisals?period=2025-Q5", staff.token)
          expect([bad.status, JSON.parse(bad.text)._tag]).toEqual([400, "InvalidQuery"])
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
    `appraisals unavailable on ${dialect.name}`,
    (it) => {
      it.effect("GET /appraisals answers 503 OrganizationUnavailable without an organisation store", () =>
        Effect.gen(function* () {
          const staff = yield* login(principal("cs-none-appr", "community-staff", C1))
          const answer = yield* raw("GET", "/appraisals", staff.token)
          expect([answer.status, JSON.parse(answer.text)._tag]).toEqual([503, "OrganizationUnavailable"])
        })
      )
    }
  )
}
