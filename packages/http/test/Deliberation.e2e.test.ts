/**
 * 议事协商 over HTTP, on SQLite and PostgreSQL: a resident representative's
 * proposal is co-signed, put on the agenda, discussed at a joint meeting,
 * voted on by the representatives (a resident votes once, only where the roll
 * entitles them), resolved into tasks that the street supervises 督办 and the
 * community completes, and published on the public board without a token and
 * without personal data; a stale version is a conflict; reads are within the
 * jurisdiction; and 503 when the server has no deliberation store.
 */
import * as Repo from "@civicgrid/core/DeliberationRepository"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { expect, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Authorization from "../src/Authorization.js"
import type * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import {
  C1,
  C3,
  type Dialect,
  dialects,
  env,
  login,
  principal,
  raw,
  S1,
  seedDemo,
  Tokens
} from "./support/Harness.js"

const TOPIC = "t-chargers"

interface Receipt {
  readonly id: string
  readonly version: number
  readonly status: string
}

const post = (url: string, token: string, body: unknown) =>
  Effect.map(raw("POST", url, token, body), (r) => ({
    ...r,
    json: JSON.parse(r.text) as Record<string, unknown>
  }))

const ok = (url: string, token: string, body: unknown) =>
  Effect.flatMap(post(url, token, body), (r) =>
    r.status === 200 || r.status === 201
      ? Effect.succeed(r.json as unknown as Receipt)
      : Effect.dieMessage(`${url} ${JSON.stringify(body)} → ${r.status} ${r.text}`)
  )

const command = (token: string, body: Record<string, unknown>, expectedVersion?: number) =>
  ok(`/proposals/${TOPIC}/commands`, token, {
    command: body,
    ...(expectedVersion === undefined ? {} : { expectedVersion })
  })

const roll = Array.from({ length: 6 }, (_, i) => ({ voterId: `v${i}`, household: `h${i}` }))

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(
    `deliberation on ${dialect.name}`,
    (it) => {
      it.effect(
        "a proposal goes through a meeting and a vote to tasks supervised to completion and published",
        () =>
          Effect.gen(function* () {
            const reps = yield* Effect.forEach([0, 1, 2, 3, 4, 5], (i) =>
              login(principal(`v${i}`, "resident", C1))
            )
            const rep = (i: number) => (reps[i] as { readonly token: string }).token
            const staff = yield* login(principal("cs-delib", "community-staff", C1))
            const street = yield* login(principal("ss-delib", "street-staff", S1))
            const far = yield* login(principal("cs-far-delib", "community-staff", C3))
            const stranger = yield* login(principal("x9", "resident", C1))

            const raised = yield* post("/proposals", rep(0), {
              id: TOPIC,
              unitId: C1,
              source: { _tag: "ResidentProposal" },
              title: "整治电瓶车飞线充电",
              description: "楼道飞线充电存在火灾隐患，联系人电话请见居委会"
            })
            expect([raised.status, raised.json["status"], raised.json["version"]]).toEqual([
              201,
              "proposed",
              1
            ])
            // the default rule: five co-signers reach the agenda
            const early = yield* post(`/proposals/${TOPIC}/commands`, staff.token, {
              command: { _tag: "PutOnAgenda" }
            })
            expect([early.status, early.json["rule"]]).toEqual([422, "threshold-not-reached"])
            for (const i of [1, 2, 3, 4, 5]) yield* command(rep(i), { _tag: "Cosign" })
            yield* command(staff.token, { _tag: "PutOnAgenda" })
            yield* command(staff.token, {
              _tag: "HoldMeeting",
              meeting: {
                kind: "joint-meeting",
                convenedBy: "金沙社区大党委",
                agenda: ["电瓶车飞线充电整治"],
                invitees: ["书记", "派出所", "城管中队", "物业"].map((id) => ({
                  id,
                  label: id,
                  affiliation: "社区大党委成员单位",
                  member: true
                })),
                attendees: ["书记", "派出所", "城管中队"],
                minutes: "议定：增设充电桩，清理飞线，限期一个月"
              }
            })
            const opened = yield* command(staff.token, {
              _tag: "OpenVote",
              rule: {
                electorate: { basis: "representative", onePerHousehold: false, roll },
                options: [
                  { id: "agree", label: "同意" },
                  { id: "disagree", label: "不同意", rejects: true },
                  { id: "abstain", label: "弃权", countsAsCast: false }
                ],
                threshold: {
                  approval: { numerator: 1, denominator: 2, comparison: "more-than" },
                  base: "cast",
                  turnoutMinimum: { numerator: 1, denominator: 2, comparison: "more-than" }
                }
              }
            })
            expect(opened.status).toBe("voting")

            // ballots: once each, only where the roll entitles
            for (const i of [0, 1, 2, 3])
              yield* ok(`/votes/${TOPIC}/ballots`, rep(i), { option: i === 3 ? "disagree" : "agree" })
            const twice = yield* post(`/votes/${TOPIC}/ballots`, rep(0), { option: "disagree" })
            expect([twice.status, twice.json["_tag"], twice.json["rule"]]).toEqual([
              422,
              "DeliberationCommandRefused",
              "double-vote"
            ])
            const offRoll = yield* post(`/votes/${TOPIC}/ballots`, stranger.token, { option: "agree" })
            expect([offRoll.status, offRoll.json["rule"]]).toEqual([422, "not-eligible"])
            // a resident casts only their own ballot
            const forOther = yield* post(`/votes/${TOPIC}/ballots`, rep(4), {
              option: "agree",
              voterId: "v5"
            })
            expect([forOther.status, forOther.json["rule"]]).toEqual([422, "own-ballot"])
            // community staff record a paper ballot 代录
            const paper = yield* ok(`/votes/${TOPIC}/ballots`, staff.token, {
              option: "agree",
              voterId: "v4"
            })
            // a stale version is a conflict
            const stale = yield* post(`/proposals/${TOPIC}/commands`, staff.token, {
              command: { _tag: "CloseVote" },
              expectedVersion: paper.version - 1
            })
            expect([stale.status, stale.json["_tag"], stale.json["actualVersion"]]).toEqual([
              409,
              "DeliberationConflict",
              paper.version
            ])
            const closed = yield* command(staff.token, { _tag: "CloseVote" }, paper.version)
            expect(closed.status).toBe("carried")

            const deadline = DateTime.formatIso(DateTime.add(yield* DateTime.now, { days: 30 }))
            yield* command(staff.token, {
              _tag: "Resolve",
              text: "增设充电桩、清理飞线，限期一个月，街道督办",
              items: [
                {
                  title: "增设电瓶车充电桩",
                  problemId: "p-1",
                  owner: { _tag: "Unit", unitId: C1 },
                  deadline
                },
                { title: "清理楼道飞线", problemId: "p-2", owner: { _tag: "Unit", unitId: C1 }, deadline }
              ]
            })
            yield* command(staff.token, { _tag: "StartTask", taskId: `${TOPIC}-1` })
            yield* command(street.token, {
              _tag: "SuperviseTask",
              taskId: `${TOPIC}-2`,
              level: "street",
              unitId: S1
            })
            yield* command(staff.token, { _tag: "StartTask", taskId: `${TOPIC}-2` })
            yield* command(staff.token, { _tag: "CompleteTask", taskId: `${TOPIC}-1` })
            const done = yield* command(staff.token, { _tag: "CompleteTask", taskId: `${TOPIC}-2` })
            expect(done.status).toBe("implemented")
            const personal = yield* post(`/proposals/${TOPIC}/commands`, staff.token, {
              command: {
                _tag: "Publish",
                category: "residents-affairs",
                title: "充电桩落实情况",
                body: "联系人 13812345678"
              }
            })
            expect([personal.status, personal.json["rule"]]).toEqual([422, "personal-data"])
            const published = yield* command(staff.token, {
              _tag: "Publish",
              category: "residents-affairs",
              title: "关于电瓶车飞线充电整治的议定事项及落实情况",
              body: "经社区大党委联席会协商、居民代表表决通过，已增设充电桩并清理楼道飞线"
            })
            expect(published.status).toBe("published")
            yield* command(rep(5), { _tag: "GiveFeedback", rating: "satisfied" })

            // reads within the jurisdiction
            const resolutions = yield* staff.client.deliberation.resolutions({ urlParams: {} })
            expect(
              resolutions.map((r) => [
                r.topicId,
                r.implementedOnTime,
                r.tasks.map((t) => [t.status, t.supervision?.level])
              ])
            ).toEqual([
              [
                TOPIC,
                true,
                [
                  ["done", undefined],
                  ["done", "street"]
                ]
              ]
            ])
            const meetings = yield* street.client.deliberation.meetings({ urlParams: {} })
            expect(meetings.map((m) => [m.topicId, m.meeting.kind, m.meeting.attendees.length])).toEqual([
              [TOPIC, "joint-meeting", 3]
            ])
            const topics = yield* staff.client.deliberation.proposals({ urlParams: { status: "published" } })
            expect(
              topics.map((t) => [t.id, t.cosigners.length, t.ballots.length, t.result?.carried])
            ).toEqual([[TOPIC, 5, 5, "agree"]])
            expect(yield* far.client.deliberation.proposals({ urlParams: {} })).toEqual([])
            expect((yield* raw("GET", `/proposals?within=${C1}`, far.token)).status).toBe(404)
            const residentRead = yield* raw("GET", "/proposals", rep(0))
            expect([residentRead.status, JSON.parse(residentRead.text).rule]).toEqual([
              403,
              "no-jurisdiction"
            ])
            expect((yield* raw("GET", "/meetings", undefined)).status).toBe(401)
            expect(
              (yield* raw("POST", "/proposals/nope/commands", rep(1), { command: { _tag: "Cosign" } })).status
            ).toBe(404)

            // the public board: no token, no personal data
            const board = yield* raw("GET", "/publications", undefined)
            expect(board.status).toBe(200)
            const entries = JSON.parse(board.text) as ReadonlyArray<Record<string, unknown>>
            expect(entries.map((e) => [e["topicId"], e["scope"], e["category"]])).toEqual([
              [TOPIC, C1, "residents-affairs"]
            ])
            for (const secret of ["v0", "v4", "cs-delib", "书记", "ballot", "13812345678", "proposer"])
              expect(board.text).not.toContain(secret)
            expect(JSON.parse((yield* raw("GET", `/publications?within=${C3}`, undefined)).text)).toEqual([])
            expect((yield* raw("GET", "/publications?within=nowhere", undefined)).status).toBe(404)
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
    `deliberation unavailable on ${dialect.name}`,
    (it) => {
      it.effect("every endpoint answers 503 DeliberationUnavailable without a deliberation store", () =>
        Effect.gen(function* () {
          const staff = yield* login(principal("cs-none", "community-staff", C1))
          for (const path of ["/proposals", "/meetings", "/resolutions"]) {
            const answer = yield* raw("GET", path, staff.token)
            expect([path, answer.status, JSON.parse(answer.text)._tag]).toEqual([
              path,
              503,
              "DeliberationUnavailable"
            ])
          }
          const raised = yield* raw("POST", "/proposals", staff.token, {
            unitId: C1,
            source: { _tag: "Problem", problemId: "p-1" },
            title: "议题",
            description: ""
          })
          expect([raised.status, JSON.parse(raised.text)._tag]).toEqual([503, "DeliberationUnavailable"])
          const board = yield* raw("GET", "/publications", undefined)
          expect([board.status, JSON.parse(board.text)._tag]).toEqual([503, "DeliberationUnavailable"])
        })
      )
    }
  )
}
