/**
 * 议事协商指标 over HTTP, on SQLite and PostgreSQL: `GET
 * /deliberation/indicators` counts what the topics stored through the core's
 * use case did in a period — meetings held, participation (members present
 * over members invited), turnout, proposals reaching the agenda, resolutions
 * implemented on time and publication timeliness — per unit (with names) and
 * in total, each ratio as numerator and denominator; a year, a quarter, a
 * month and a range of labels; outside the jurisdiction 404, a resident 403,
 * a bad period 400, and 503 without a deliberation store.
 */
import type { Actor } from "@civicgrid/core/Actor"
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as Repo from "@civicgrid/core/DeliberationRepository"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Proposal from "@civicgrid/core/Proposal"
import * as Vote from "@civicgrid/core/Vote"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { expect, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
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

const decodeCommand = Schema.decodeUnknownSync(Deliberation.Command)

/** 10:00 Beijing time on a 2025 day. */
const on = (day: string) => `${day}T02:00:00Z`

const actor = (id: string, role: Actor["role"], unitId: string) => ({ id, role, unitId })

const staffC1 = actor("cs-ind", "community-staff", C1)
const staffC3 = actor("cs-far-ind", "community-staff", C3)
const rep = (i: number) => actor(`rep-${i}`, "resident", C1)
const roll = Array.from({ length: 6 }, (_, i) => ({ voterId: `rep-${i}`, household: `h-${i}` }))

const invitees = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `m-${i}`,
    label: `成员${i + 1}`,
    affiliation: "居民代表",
    member: true
  }))

const meeting = (kind: string, n: number, present: number) => ({
  kind,
  convenedBy: "社区党委",
  agenda: ["议题"],
  invitees: invitees(n),
  attendees: invitees(n)
    .slice(0, present)
    .map((i) => i.id),
  minutes: "会议纪要：协商一致"
})

/** The topics: [topic id, [day, actor, command fields]…]. */
const script: ReadonlyArray<
  readonly [string, ReadonlyArray<readonly [string, ReturnType<typeof actor>, Record<string, unknown>]>]
> = [
  [
    "t-carried",
    [
      [
        "2025-03-01",
        rep(0),
        {
          _tag: "Submit",
          unitId: C1,
          source: { _tag: "ResidentProposal" },
          title: "增设电瓶车充电桩",
          description: "楼道飞线充电"
        }
      ],
      ...[1, 2, 3, 4, 5].map((i) => ["2025-03-02", rep(i), { _tag: "Cosign" }] as const),
      ["2025-03-05", staffC1, { _tag: "PutOnAgenda" }],
      ["2025-03-10", staffC1, { _tag: "HoldMeeting", meeting: meeting("residents-council", 4, 3) }],
      [
        "2025-03-10",
        staffC1,
        {
          _tag: "OpenVote",
          rule: {
            electorate: { basis: "representative", onePerHousehold: false, roll },
            options: Vote.standardOptions,
            threshold: Vote.defaultThreshold
          }
        }
      ],
      ...[0, 1, 2, 3].map(
        (i) =>
          [
            "2025-03-11",
            rep(i),
            { _tag: "CastBallot", ballot: { voterId: `rep-${i}`, option: i === 3 ? "disagree" : "agree" } }
          ] as const
      ),
      ["2025-03-12", staffC1, { _tag: "CloseVote" }],
      [
        "2025-03-13",
        staffC1,
        {
          _tag: "Resolve",
          text: "增设充电桩两处",
          items: [1, 2].map((n) => ({
            title: `充电桩${n}`,
            problemId: `p-${n}`,
            owner: { _tag: "Unit", unitId: C1 },
            deadline: "2025-04-30T15:59:59Z"
          }))
        }
      ],
      ["2025-04-10", staffC1, { _tag: "StartTask", taskId: "t-carried-1" }],
      ["2025-04-10", staffC1, { _tag: "StartTask", taskId: "t-carried-2" }],
      ["2025-04-18", staffC1, { _tag: "CompleteTask", taskId: "t-carried-1" }],
      ["2025-04-20", staffC1, { _tag: "CompleteTask", taskId: "t-carried-2" }],
      [
        "2025-04-25",
        staffC1,
        { _tag: "Publish", category: "residents-affairs", title: "充电桩落实情况", body: "已增设充电桩两处" }
      ]
    ]
  ],
  [
    "t-rejected",
    [
      [
        "2025-03-02",
        rep(1),
        {
          _tag: "Submit",
          unitId: C1,
          source: { _tag: "ResidentProposal" },
          title: "小区内开设商铺",
          description: "在绿地上开商铺"
        }
      ],
      ["2025-03-08", staffC1, { _tag: "Reject", reason: "绿地不得改变用途" }]
    ]
  ],
  [
    "t-dialogue",
    [
      [
        "2025-05-01",
        staffC1,
        {
          _tag: "Submit",
          unitId: K1,
          source: { _tag: "Problem", problemId: "p-9" },
          title: "小区停车",
          description: "停车位不足"
        }
      ],
      ["2025-05-02", staffC1, { _tag: "PutOnAgenda" }],
      ["2025-05-10", staffC1, { _tag: "HoldMeeting", meeting: meeting("dialogue", 2, 2) }]
    ]
  ],
  [
    "t-far",
    [
      [
        "2025-02-01",
        staffC3,
        {
          _tag: "Submit",
          unitId: C3,
          source: { _tag: "Problem", problemId: "p-far" },
          title: "南华路灯",
          description: "路灯不亮"
        }
      ],
      ["2025-02-02", staffC3, { _tag: "PutOnAgenda" }],
      ["2025-02-15", staffC3, { _tag: "HoldMeeting", meeting: meeting("joint-meeting", 3, 3) }]
    ]
  ]
]

const deliberation = Effect.flatMap(Effect.serviceOption(Repo.DeliberationRepository), (store) =>
  Option.match(store, { onNone: () => Effect.dieMessage("no deliberation store"), onSome: Effect.succeed })
)

/** Every topic through the core's use case, as the demo seeds it. */
const seed = Effect.gen(function* () {
  yield* seedDemo
  const repo = yield* deliberation
  const config = yield* Repo.configWith({
    proposal: Proposal.defaultRule,
    meetingKinds: Meeting.defaultKinds
  })
  for (const [topicId, steps] of script)
    for (const [day, by, fields] of steps)
      yield* Repo.handle({
        command: decodeCommand({ ...fields, topicId, actor: by, at: on(day) }),
        config
      }).pipe(Effect.provideService(Repo.DeliberationRepository, repo))
}).pipe(Effect.orDie)

interface Ratio {
  readonly numerator: number
  readonly denominator: number
}

interface Metrics {
  readonly meetingsHeld: number
  readonly participation: Ratio
  readonly turnout: Ratio
  readonly proposalsOnAgenda: Ratio
  readonly resolutionsOnTime: Ratio
  readonly publicationTimely: Ratio
}

interface Indicators {
  readonly within: string
  readonly withinName: string
  readonly period: string
  readonly to: string | null
  readonly start: string
  readonly end: string
  readonly publicationDays: number
  readonly total: Metrics
  readonly units: ReadonlyArray<{
    readonly unitId: string
    readonly name: string
    readonly level: string
    readonly metrics: Metrics
  }>
}

const r = (numerator: number, denominator: number): Ratio => ({ numerator, denominator })
const none = r(0, 0)
const metrics = (m: Partial<Metrics>): Metrics => ({
  meetingsHeld: 0,
  participation: none,
  turnout: none,
  proposalsOnAgenda: none,
  resolutionsOnTime: none,
  publicationTimely: none,
  ...m
})

const read = (url: string, token: string) =>
  Effect.flatMap(raw("GET", url, token), (answer) =>
    answer.status === 200
      ? Effect.succeed(JSON.parse(answer.text) as Indicators)
      : Effect.dieMessage(`${url} → ${answer.status} ${answer.text}`)
  )

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seed).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(
    `deliberation indicators on ${dialect.name}`,
    (it) => {
      it.effect("per unit and in total, for a year, a quarter, a month and a range", () =>
        Effect.gen(function* () {
          const staff = yield* login(principal("cs-ind", "community-staff", C1))
          const street = yield* login(principal("ss-ind", "street-staff", S1))
          const far = yield* login(principal("cs-far-ind", "community-staff", C3))

          // the year: C1's own topics and the compound's dialogue
          const year = yield* read("/deliberation/indicators?period=2025", staff.token)
          const c1Year = metrics({
            meetingsHeld: 1,
            participation: r(3, 4),
            turnout: r(4, 6),
            proposalsOnAgenda: r(1, 2),
            resolutionsOnTime: r(1, 1),
            publicationTimely: r(1, 1)
          })
          const k1Year = metrics({ meetingsHeld: 1, participation: r(2, 2) })
          expect([year.within, year.withinName, year.period, year.to, year.publicationDays]).toEqual([
            C1,
            "金沙社区",
            "2025",
            null,
            7
          ])
          // the year at +08:00: 2025-01-01T00:00+08:00 to 2026-01-01T00:00+08:00
          expect([year.start, year.end]).toEqual(["2024-12-31T16:00:00.000Z", "2025-12-31T16:00:00.000Z"])
          expect(year.units).toEqual([
            { unitId: C1, name: "金沙社区", level: "community", metrics: c1Year },
            { unitId: K1, name: "金沙苑", level: "compound", metrics: k1Year }
          ])
          expect(year.total).toEqual(metrics({ ...c1Year, meetingsHeld: 2, participation: r(5, 6) }))

          // the first quarter: the meeting, the vote and the proposals; nothing due yet
          const q1 = yield* read("/deliberation/indicators?period=2025-Q1", staff.token)
          const c1Q1 = metrics({
            meetingsHeld: 1,
            participation: r(3, 4),
            turnout: r(4, 6),
            proposalsOnAgenda: r(1, 2)
          })
          expect(q1.total).toEqual(c1Q1)
          expect(q1.units.map((u) => [u.unitId, u.metrics])).toEqual([
            [C1, c1Q1],
            [K1, metrics({})]
          ])
          // the same span as a range of months
          const range = yield* read("/deliberation/indicators?period=2025-01&to=2025-03", staff.token)
          expect([range.to, range.start, range.end, range.total]).toEqual([
            "2025-03",
            q1.start,
            q1.end,
            q1.total
          ])
          // April: the resolution fell due and was implemented on time, published within 7 days
          const april = yield* read("/deliberation/indicators?period=2025-04", staff.token)
          expect(april.total).toEqual(metrics({ resolutionsOnTime: r(1, 1), publicationTimely: r(1, 1) }))

          // within a unit of the jurisdiction; the street sees its communities but not 南华
          const compound = yield* read(`/deliberation/indicators?period=2025&within=${K1}`, staff.token)
          expect([compound.withinName, compound.total]).toEqual(["金沙苑", k1Year])
          const streetYear = yield* read("/deliberation/indicators?period=2025", street.token)
          expect([streetYear.withinName, streetYear.total]).toEqual(["青云街道", year.total])
          const farYear = yield* read("/deliberation/indicators?period=2025", far.token)
          expect(farYear.total).toEqual(metrics({ meetingsHeld: 1, participation: r(3, 3) }))

          // access: outside the jurisdiction 404, a resident 403, no token 401; bad periods 400
          const outside = yield* raw("GET", `/deliberation/indicators?period=2025&within=${C1}`, far.token)
          expect([outside.status, JSON.parse(outside.text)._tag]).toEqual([404, "DeliberationNotFound"])
          const resident = yield* login(principal("rep-0", "resident", C1))
          const refused = yield* raw("GET", "/deliberation/indicators?period=2025", resident.token)
          expect([refused.status, JSON.parse(refused.text).rule]).toEqual([403, "no-jurisdiction"])
          expect((yield* raw("GET", "/deliberation/indicators?period=2025", undefined)).status).toBe(401)
          for (const [query, field] of [
            ["period=2025-13", "period"],
            ["period=soon", "period"],
            ["period=2025-04&to=2025-02", "to"],
            ["period=2025&to=nope", "to"]
          ] as const) {
            const bad = yield* raw("GET", `/deliberation/indicators?${query}`, staff.token)
            const body = JSON.parse(bad.text)
            expect([query, bad.status, body._tag, body.violations?.[0]?.field]).toEqual([
              query,
              400,
              "InvalidQuery",
              field
            ])
          }
          expect((yield* raw("GET", "/deliberation/indicators", staff.token)).status).toBe(400)
        })
      )
    }
  )
}

/** The server over the SQL stores without the deliberation store. */
const envWithoutDeliberation = (dialect: Dialect) => {
  const tokens = new Map<string, Principal.Principal>()
  const migrated = Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh())
  )
  const repositories = Layer.scopedContext(
    Effect.map(Layer.build(SqlRepositories.layer()), (context) =>
      Context.omit(Repo.DeliberationRepository)(context)
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
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(envWithoutDeliberation(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(
    `deliberation indicators unavailable on ${dialect.name}`,
    (it) => {
      it.effect("503 DeliberationUnavailable without a deliberation store", () =>
        Effect.gen(function* () {
          const staff = yield* login(principal("cs-none-ind", "community-staff", C1))
          const answer = yield* raw("GET", "/deliberation/indicators?period=2025", staff.token)
          expect([answer.status, JSON.parse(answer.text)._tag]).toEqual([503, "DeliberationUnavailable"])
        })
      )
    }
  )
}
