/**
 * 单独公开, 村规民约 and 议事配置 over HTTP, on SQLite and PostgreSQL: staff
 * publish a village's monthly 财务公开 that no meeting produced
 * (`POST /publications`), within their jurisdiction only, without personal
 * data; it shows on the public board, takes no meeting, and is withdrawn; a
 * resolution adopts a version of the community's 居民公约, shown without a
 * token at `GET /rule-documents/{unitId}` with its history; and
 * `GET /deliberation/config` shows the thresholds the server decides with.
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { C1, C3, dialects, env, login, principal, raw, S1, seedDemo } from "./support/Harness.js"

const json = (text: string) => JSON.parse(text) as Record<string, unknown>

const post = (url: string, token: string | undefined, body: unknown) =>
  Effect.map(raw("POST", url, token, body), (r) => ({ status: r.status, json: json(r.text) }))

const finance = {
  id: "d-finance-2024-05",
  unitId: C1,
  category: "finance",
  title: "金沙社区2024年5月财务收支公开",
  body: "本月收入 12000 元，支出 8500 元，明细见公开栏"
}

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(seedDemo).pipe(Layer.provideMerge(env(dialect)))
  layer(TestEnv, { excludeTestServices: true, timeout: "120 seconds" })(
    `disclosures, rule documents and configuration on ${dialect.name}`,
    (it) => {
      it.effect("a standalone 财务公开 is published by staff within their jurisdiction and withdrawn", () =>
        Effect.gen(function* () {
          const staff = yield* login(principal("cs-disc", "community-staff", C1))
          const street = yield* login(principal("ss-disc", "street-staff", S1))
          const far = yield* login(principal("cs-far-disc", "community-staff", C3))
          const resident = yield* login(principal("r-disc", "resident", C1))

          const created = yield* post("/publications", staff.token, finance)
          expect([
            created.status,
            created.json["id"],
            created.json["status"],
            created.json["version"]
          ]).toEqual([201, finance.id, "published", 2])
          // the same id again: the topic exists — a conflict, nothing doubled
          expect((yield* post("/publications", staff.token, finance)).status).toBe(409)
          // refusals, typed
          const byResident = yield* post("/publications", resident.token, { ...finance, id: "d-2" })
          expect([byResident.status, byResident.json["rule"]]).toEqual([422, "role"])
          const outside = yield* post("/publications", far.token, { ...finance, id: "d-3" })
          expect([outside.status, outside.json["rule"]]).toEqual([422, "jurisdiction"])
          const personal = yield* post("/publications", staff.token, {
            ...finance,
            id: "d-4",
            body: "报账联系人 13812345678"
          })
          expect([personal.status, personal.json["rule"]]).toEqual([422, "personal-data"])
          const badBody = yield* post("/publications", staff.token, {
            ...finance,
            id: "d-5",
            category: "gossip"
          })
          expect(badBody.status).toBe(400)
          const unknownUnit = yield* post("/publications", staff.token, {
            ...finance,
            id: "d-6",
            unitId: "nowhere"
          })
          expect([unknownUnit.status, unknownUnit.json["rule"]]).toEqual([422, "unknown-unit"])
          expect((yield* post("/publications", undefined, { ...finance, id: "d-7" })).status).toBe(401)
          // the street publishes a 政务公开 for one of its communities; an id is made when none is given
          const notice = yield* post("/publications", street.token, {
            unitId: C1,
            category: "government-affairs",
            title: "关于金沙社区老旧小区改造的公告",
            body: "改造范围、工期及施工单位见附件"
          })
          expect([notice.status, notice.json["status"]]).toEqual([201, "published"])

          // the public board, no token, no personal data
          const board = yield* raw("GET", `/publications?within=${C1}`, undefined)
          const entries = JSON.parse(board.text) as ReadonlyArray<Record<string, unknown>>
          expect(entries.map((e) => [e["topicId"], e["category"]]).sort()).toEqual(
            [
              [finance.id, "finance"],
              [notice.json["id"], "government-affairs"]
            ].sort()
          )
          for (const secret of ["cs-disc", "ss-disc", "13812345678"]) expect(board.text).not.toContain(secret)
          // each entry names its unit, so a board needs no signed-in hierarchy read
          expect([...new Set(entries.map((e) => e["scopeName"]))]).toEqual(["金沙社区"])

          // a disclosure takes no meeting; it is withdrawn with a reason
          const meeting = yield* post(`/proposals/${finance.id}/commands`, staff.token, {
            command: { _tag: "PutOnAgenda" }
          })
          expect([meeting.status, meeting.json["rule"]]).toEqual([422, "disclosure"])
          const withdrawn = yield* post(`/proposals/${finance.id}/commands`, staff.token, {
            command: { _tag: "WithdrawPublication", reason: "支出数额有误，更正后重新公开" },
            expectedVersion: 2
          })
          expect([withdrawn.status, withdrawn.json["status"]]).toEqual([200, "withdrawn"])
          const after = JSON.parse(
            (yield* raw("GET", `/publications?within=${C1}`, undefined)).text
          ) as ReadonlyArray<Record<string, unknown>>
          expect(after.map((e) => e["topicId"])).toEqual([notice.json["id"]])
        })
      )

      it.effect("a resolution adopts a version of the 居民公约; the public sees it and its history", () =>
        Effect.gen(function* () {
          const staff = yield* login(principal("cs-rule", "community-staff", C1))
          const voters = yield* Effect.forEach([0, 1, 2], (i) => login(principal(`rv${i}`, "resident", C1)))
          const adopt = (topic: string, text: string) =>
            Effect.gen(function* () {
              const step = (command: Record<string, unknown>) =>
                Effect.flatMap(post(`/proposals/${topic}/commands`, staff.token, { command }), (r) =>
                  r.status === 200
                    ? Effect.void
                    : Effect.dieMessage(`${JSON.stringify(command)} → ${r.status}`)
                )
              const raised = yield* post("/proposals", staff.token, {
                id: topic,
                unitId: C1,
                source: { _tag: "Problem", problemId: `p-${topic}` },
                title: "修订金沙社区居民公约",
                description: "养犬、停车、楼道堆物条款"
              })
              expect(raised.status).toBe(201)
              yield* step({ _tag: "PutOnAgenda" })
              yield* step({
                _tag: "HoldMeeting",
                meeting: {
                  kind: "dialogue",
                  convenedBy: "金沙社区居委会",
                  agenda: ["居民公约修订"],
                  invitees: [],
                  attendees: [],
                  minutes: "征求意见后提交表决"
                }
              })
              yield* step({
                _tag: "OpenVote",
                rule: {
                  electorate: {
                    basis: "resident",
                    onePerHousehold: false,
                    roll: [0, 1, 2].map((i) => ({ voterId: `rv${i}`, household: `rh${i}` }))
                  },
                  options: [
                    { id: "agree", label: "同意" },
                    { id: "disagree", label: "不同意", rejects: true }
                  ],
                  threshold: {
                    approval: { numerator: 1, denominator: 2, comparison: "more-than" },
                    base: "cast",
                    turnoutMinimum: null
                  }
                }
              })
              for (const v of voters)
                expect((yield* post(`/votes/${topic}/ballots`, v.token, { option: "agree" })).status).toBe(
                  200
                )
              yield* step({ _tag: "CloseVote" })
              yield* step({
                _tag: "Resolve",
                text: "通过居民公约修订稿",
                items: [
                  {
                    title: "张贴新版居民公约",
                    problemId: `p-${topic}`,
                    owner: { _tag: "Unit", unitId: C1 },
                    deadline: "2099-01-01T00:00:00Z"
                  }
                ],
                adopts: { documentId: "jinsha-covenant", title: "金沙社区居民公约", text }
              })
            })
          yield* adopt("t-rule-1", "第一条 文明养犬，出门拴绳")
          yield* adopt("t-rule-2", "第一条 文明养犬，出门拴绳；第二条 楼道不得堆物")

          const answer = yield* raw("GET", `/rule-documents/${C1}`, undefined)
          expect(answer.status).toBe(200)
          const documents = JSON.parse(answer.text) as ReadonlyArray<{
            readonly id: string
            readonly title: string
            readonly scopeName: string | null
            readonly current: { readonly version: number; readonly adoptedBy: string } | null
            readonly versions: ReadonlyArray<{ readonly version: number; readonly adoptedBy: string }>
          }>
          expect(
            documents.map((d) => [
              d.id,
              d.title,
              d.current?.version,
              d.versions.map((v) => [v.version, v.adoptedBy])
            ])
          ).toEqual([
            [
              "jinsha-covenant",
              "金沙社区居民公约",
              2,
              [
                [1, "t-rule-1"],
                [2, "t-rule-2"]
              ]
            ]
          ])
          expect(documents.map((d) => d.scopeName)).toEqual(["金沙社区"])
          for (const secret of ["rv0", "cs-rule", "ballot"]) expect(answer.text).not.toContain(secret)
          expect(JSON.parse((yield* raw("GET", `/rule-documents/${C3}`, undefined)).text)).toEqual([])
          expect((yield* raw("GET", "/rule-documents/nowhere", undefined)).status).toBe(404)
        })
      )

      it.effect(
        "GET /deliberation/config shows the thresholds, meeting kinds and categories the server uses",
        () =>
          Effect.gen(function* () {
            const staff = yield* login(principal("cs-config", "community-staff", C1))
            const config = yield* staff.client.deliberation.config()
            expect(config.proposal).toEqual({ minCosigners: 5, roster: false, representatives: 0 })
            const joint = config.meetingKinds.find((k) => k.id === "joint-meeting")
            expect([joint?.name, joint?.en, joint?.quorum?.comparison]).toEqual([
              "大党委联席会",
              "joint Party-building meeting",
              "more-than"
            ])
            expect(config.meetingKinds.find((k) => k.id === "hearing")?.quorum).toBeNull()
            expect(config.vote.fractions.map((f) => f.id)).toEqual(["simple-majority", "two-thirds"])
            expect(config.vote.bases.map((b) => b.id)).toEqual(["cast", "electorate"])
            expect(config.publicationCategories.map((c) => [c.id, c.name, c.retentionDays])).toContainEqual([
              "finance",
              "财务公开",
              365
            ])
            expect((yield* raw("GET", "/deliberation/config", undefined)).status).toBe(401)
          })
      )
    }
  )
}
