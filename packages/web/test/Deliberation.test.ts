/**
 * 议事协商 in Chromium: the example server app (`App.layer` of the demo, on a fresh in-memory SQLite
 * database seeded with a small demo district) with the web front end on a real port. Resident
 * representatives (bearer tokens registered in the server's own key store, `SqlApiKeys.register`) and the
 * demo community and street staff drive topics over HTTP:
 *
 * - a representatives' proposal co-signed by five, put on the agenda, discussed at a 大党委联席会 (three of
 *   four members present, one guest), voted on and carried, resolved into three tasks — one done, one
 *   under 街道督办, one past its deadline — so its resolution is 1 of 3 done, 2 open, 1 overdue;
 * - a topic from the problem list on the agenda (a meeting to hold), a proposal with two co-signers (below
 *   the threshold) and a rejected topic published on the 公开栏.
 *
 * The page shows exactly what `GET /proposals`, `/meetings`, `/resolutions` and `/publications` answer
 * (read with our own fetch), with those counts and the progress bar, task owners by the names
 * `GET /hierarchy/units` gives (one task owned by a unit below the community), in Chinese and English; with
 * 503 `DeliberationUnavailable` it says the store is missing. The demo token of a local role
 * (`demo-petition-agent`, 信访代办员 acting as community staff) sees it named in the header with the role it
 * acts as. The public 公开栏 `/app/publications/<unit>`, opened without a token after staff published and
 * withdrew over HTTP, shows exactly what `GET /publications` answers, by category, without the withdrawn
 * one, under a heading naming the unit (its `scopeName`, never its id); after two resolutions adopted two
 * versions of the community's 居民公约 (resident voters registered in the key store), its 村规民约 section
 * shows what `GET /rule-documents/<unit>` answers — the version in force (text, adopted day, adopting
 * topic) and the earlier one collapsed — and it prints without its buttons. No page logs an error. Screenshots go to `test-artifacts/` (not
 * committed).
 */
import { mkdirSync } from "node:fs"
import { createServer } from "node:http"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as App from "@civicgrid/demo/App"
import * as District from "@civicgrid/demo/District"
import * as Principal from "@civicgrid/http/Principal"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { type Browser, chromium, type Page } from "playwright-core"
import * as Web from "../src/Web.js"

const chromiumPath = process.env["CIVICGRID_CHROMIUM"] ?? "/usr/bin/chromium"
const artifacts = fileURLToPath(new URL("../test-artifacts/", import.meta.url))

const server = App.layer({
  databaseName: "SQLite :memory:",
  seed: { district: District.makeDefault(), cases: { count: 10 } },
  log: () => undefined,
  scheduler: { enabled: false }
}).pipe(
  Layer.provide(Web.layer()),
  Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })),
  // the SQL client stays in the tests' context: they register the representatives' tokens in its key store
  Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
  Layer.orDie
)

const baseUrl = HttpServer.addressWith((address) =>
  Effect.succeed(`http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}`)
)

const staffToken = "demo-community-staff"
const streetToken = "demo-street-staff"

/** The JSON of an API call (with a bearer token, or without one). */
const api = <A>(base: string, path: string, token: string | null): Promise<A> =>
  fetch(`${base}${path}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } }).then(
    async (response) => {
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
      return (await response.json()) as A
    }
  )

/** A POST that must succeed (200 or 201); its JSON. */
const post = async (base: string, path: string, token: string, body: unknown): Promise<unknown> => {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body)
  })
  const text = await response.text()
  if (response.status !== 200 && response.status !== 201)
    throw new Error(`${path} ${JSON.stringify(body)} → ${response.status} ${text}`)
  return JSON.parse(text)
}

/** The representatives' tokens (six, in the staff's community), registered in the server's key store. */
const representatives = (community: string) =>
  Effect.forEach([0, 1, 2, 3, 4, 5], (i) =>
    Effect.as(
      SqlApiKeys.register(
        Redacted.make(`web-delib-rep-${i}`),
        Principal.make({ id: `web-rep-${i}`, role: "resident", unitId: community })
      ),
      `web-delib-rep-${i}`
    )
  ).pipe(Effect.orDie)

const day = 86_400_000

/** Drives the topics over HTTP (see the module notes); the ids. */
const seedTopics = async (
  base: string,
  community: string,
  street: string,
  below: string,
  reps: ReadonlyArray<string>
) => {
  const rep = (i: number) => reps[i] ?? ""
  const command = (id: string, token: string, body: Record<string, unknown>) =>
    post(base, `/proposals/${id}/commands`, token, { command: body })
  const full = "web-t-chargers"
  await post(base, "/proposals", rep(0), {
    id: full,
    unitId: community,
    source: { _tag: "ResidentProposal" },
    title: "整治电瓶车飞线充电",
    description: "楼道飞线充电存在火灾隐患"
  })
  for (const i of [1, 2, 3, 4, 5]) await command(full, rep(i), { _tag: "Cosign" })
  await command(full, staffToken, { _tag: "PutOnAgenda" })
  await command(full, staffToken, {
    _tag: "HoldMeeting",
    meeting: {
      kind: "joint-meeting",
      convenedBy: "示范社区大党委",
      agenda: ["电瓶车飞线充电整治"],
      invitees: [
        ...["书记", "派出所", "城管中队", "物业"].map((id) => ({
          id,
          label: id,
          affiliation: "社区大党委成员单位",
          member: true
        })),
        { id: "居民代表", label: "居民代表", affiliation: "居民", member: false }
      ],
      attendees: ["书记", "城管中队", "派出所", "居民代表"],
      minutes: "议定：增设充电桩，清理飞线，限期一个月"
    }
  })
  await command(full, staffToken, {
    _tag: "OpenVote",
    rule: {
      electorate: {
        basis: "representative",
        onePerHousehold: false,
        roll: reps.map((_, i) => ({ voterId: `web-rep-${i}`, household: `h${i}` }))
      },
      options: [
        { id: "agree", label: "同意" },
        { id: "disagree", label: "不同意", rejects: true }
      ],
      threshold: {
        approval: { numerator: 1, denominator: 2, comparison: "more-than" },
        base: "cast",
        turnoutMinimum: { numerator: 1, denominator: 2, comparison: "more-than" }
      }
    }
  })
  for (const i of [0, 1, 2, 3]) await post(base, `/votes/${full}/ballots`, rep(i), { option: "agree" })
  await command(full, staffToken, { _tag: "CloseVote" })
  const later = new Date(Date.now() + 30 * day).toISOString()
  const past = new Date(Date.now() - 2 * day).toISOString()
  const owner = { _tag: "Unit", unitId: community }
  await command(full, staffToken, {
    _tag: "Resolve",
    text: "增设充电桩、清理飞线，限期一个月，街道督办",
    items: [
      { title: "增设电瓶车充电桩", problemId: "p-1", owner, deadline: later },
      { title: "清理楼道飞线", problemId: "p-2", owner, deadline: later },
      // a unit below the community owns the third: the page names it from GET /hierarchy/units
      { title: "张贴安全告知书", problemId: "p-3", owner: { _tag: "Unit", unitId: below }, deadline: past }
    ]
  })
  await command(full, staffToken, { _tag: "StartTask", taskId: `${full}-1` })
  await command(full, staffToken, { _tag: "CompleteTask", taskId: `${full}-1` })
  await command(full, streetToken, {
    _tag: "SuperviseTask",
    taskId: `${full}-2`,
    level: "street",
    unitId: street
  })

  // a problem-list topic on the agenda: a meeting to hold
  const agenda = "web-t-parking"
  await post(base, "/proposals", staffToken, {
    id: agenda,
    unitId: community,
    source: { _tag: "Problem", problemId: "p-parking" },
    title: "小区停车位划线",
    description: "居民反映停车难"
  })
  await command(agenda, staffToken, { _tag: "PutOnAgenda" })

  // a proposal with two co-signers: below the threshold
  const few = "web-t-benches"
  await post(base, "/proposals", rep(1), {
    id: few,
    unitId: community,
    source: { _tag: "ResidentProposal" },
    title: "增设休息座椅",
    description: "广场缺少座椅"
  })
  for (const i of [2, 3]) await command(few, rep(i), { _tag: "Cosign" })

  // a rejected topic, published
  const rejected = "web-t-fountain"
  await post(base, "/proposals", staffToken, {
    id: rejected,
    unitId: community,
    source: { _tag: "Problem", problemId: "p-fountain" },
    title: "修建音乐喷泉",
    description: "部分居民建议"
  })
  await command(rejected, staffToken, { _tag: "Reject", reason: "超出社区职责和经费范围" })
  await command(rejected, staffToken, {
    _tag: "Publish",
    category: "residents-affairs",
    title: "关于修建音乐喷泉建议的答复",
    body: "经社区研究，该建议超出社区职责和经费范围，不予立项"
  })
  return { full, agenda, few, rejected }
}

/** A browser page whose page errors and console errors are collected (expected HTTP statuses aside). */
const withPage = <A>(
  f: (page: Page, errors: Array<string>) => Promise<A>,
  expectedStatuses: ReadonlyArray<number> = []
): Effect.Effect<A> =>
  Effect.acquireUseRelease(
    Effect.promise(() =>
      chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu"] })
    ),
    (browser: Browser) =>
      Effect.promise(async () => {
        const context = await browser.newContext({
          viewport: { width: 1280, height: 860 },
          locale: "zh-CN",
          timezoneId: "Asia/Shanghai"
        })
        const page = await context.newPage()
        const errors: Array<string> = []
        page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`))
        page.on("console", (message) => {
          if (message.type() !== "error") return
          const status = /status of (\d{3})/.exec(message.text())?.[1]
          if (status !== undefined && expectedStatuses.includes(Number(status))) return
          errors.push(`console: ${message.text()}`)
        })
        return await f(page, errors)
      }),
    (browser) => Effect.promise(() => browser.close())
  )

const shot = (page: Page, name: string) => {
  mkdirSync(artifacts, { recursive: true })
  return page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })
}

const signIn = async (page: Page, base: string, token: string) => {
  await page.goto(`${base}/app/`)
  await page.fill("input[name=token]", token)
  await page.click("form[data-testid=signin] button[type=submit]")
  await page.waitForSelector("[data-testid=who]")
}

interface TopicJson {
  readonly id: string
  readonly status: string
  readonly title: string
  readonly cosigners: ReadonlyArray<string>
}
interface MeetingJson {
  readonly topicId: string
  readonly meeting: {
    readonly kind: string
    readonly convenedBy: string
    readonly invitees: ReadonlyArray<{ readonly id: string; readonly member: boolean }>
    readonly attendees: ReadonlyArray<string>
  }
}
interface TaskJson {
  readonly id: string
  readonly status: string
  readonly owner: { readonly _tag: string; readonly unitId?: string; readonly departmentId?: string }
  readonly deadline: string
  readonly supervision?: { readonly level: string }
}
interface ResolutionJson {
  readonly topicId: string
  readonly tasks: ReadonlyArray<TaskJson>
}
interface PublicationJson {
  readonly topicId: string
  readonly category: string
}

/**
 * What the four endpoints answer the staff (publications within the staff's community), with the names of
 * the jurisdiction's units and departments (`GET /hierarchy/units`, `GET /hierarchy/departments`).
 */
const answers = async (base: string, community: string) => {
  const [topics, meetings, resolutions, publications, units, departments] = await Promise.all([
    api<ReadonlyArray<TopicJson>>(base, "/proposals", staffToken),
    api<ReadonlyArray<MeetingJson>>(base, "/meetings", staffToken),
    api<ReadonlyArray<ResolutionJson>>(base, "/resolutions", staffToken),
    api<ReadonlyArray<PublicationJson>>(base, `/publications?within=${encodeURIComponent(community)}`, null),
    api<ReadonlyArray<{ readonly id: string; readonly name: string }>>(base, "/hierarchy/units", staffToken),
    api<ReadonlyArray<{ readonly id: string; readonly name: string; readonly nameEn: string }>>(
      base,
      "/hierarchy/departments",
      staffToken
    )
  ])
  return { topics, meetings, resolutions, publications, units, departments }
}
type Answers = Awaited<ReturnType<typeof answers>>

interface RatioJson {
  readonly numerator: number
  readonly denominator: number
}
interface IndicatorsJson {
  readonly period: string
  readonly total: {
    readonly meetingsHeld: number
    readonly participation: RatioJson
    readonly turnout: RatioJson
    readonly proposalsOnAgenda: RatioJson
    readonly resolutionsOnTime: RatioJson
    readonly publicationTimely: RatioJson
  }
}

/** This year, this month and last year at +08:00 (`2026`, `2026-12`, `2025`): periods the page asks for. */
const labelsNow = () => {
  const d = new Date(Date.now() + 8 * 3_600_000)
  const year = String(d.getUTCFullYear())
  return {
    year,
    month: `${year}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`,
    lastYear: String(d.getUTCFullYear() - 1)
  }
}

/** The indicators as the page should show them: meetings held, then each rate's counts. */
const figuresOf = (i: IndicatorsJson) => ({
  period: i.period,
  meetingsHeld: String(i.total.meetingsHeld),
  rates: [
    i.total.participation,
    i.total.turnout,
    i.total.proposalsOnAgenda,
    i.total.resolutionsOnTime,
    i.total.publicationTimely
  ].map((r) => [String(r.numerator), String(r.denominator)])
})

/** The indicators as shown. */
const shownFigures = async (page: Page, period: string) => {
  await page.waitForSelector(`[data-testid=delib-indicators][data-period="${period}"]`)
  const rates = await Promise.all(
    ["participation", "turnout", "on-agenda", "on-time", "timely"].map(async (id) => {
      const found = page.locator(`[data-testid=delib-${id}]`)
      return [await found.getAttribute("data-numerator"), await found.getAttribute("data-denominator")]
    })
  )
  return {
    period: await page.getAttribute("[data-testid=delib-indicators]", "data-period"),
    meetingsHeld: await page.textContent("[data-testid=delib-meetings-held]"),
    rates
  }
}

const isOpen = (task: TaskJson) => task.status === "pending" || task.status === "in-progress"

/** The page as the answers should show it, counted from the JSON (overdue: open and past its deadline). */
const expected = (a: Answers, now: number, lang: "zh" | "en") => ({
  topics: a.topics.map((t) => ({ id: t.id, status: t.status, cosigners: String(t.cosigners.length) })),
  upcoming: a.topics.filter((t) => t.status === "on-agenda").map((t) => t.id),
  meetings: a.meetings.map((m) => {
    const members = m.meeting.invitees.filter((i) => i.member)
    return {
      id: m.topicId,
      kind: m.meeting.kind,
      convener: m.meeting.convenedBy,
      present: String(members.filter((i) => m.meeting.attendees.includes(i.id)).length),
      members: String(members.length)
    }
  }),
  resolutions: a.resolutions.map((r) => {
    const done = r.tasks.filter((t) => t.status === "done").length
    const counted = r.tasks.filter((t) => t.status !== "cancelled").length
    return {
      id: r.topicId,
      done: String(done),
      open: String(r.tasks.filter(isOpen).length),
      overdue: String(r.tasks.filter((t) => isOpen(t) && Date.parse(t.deadline) < now).length),
      supervised: String(r.tasks.filter((t) => t.supervision !== undefined).length),
      percent: String(counted === 0 ? 0 : Math.round((done * 100) / counted)),
      tasks: r.tasks.map((t) => ({
        id: t.id,
        status: t.status,
        supervision: t.supervision?.level ?? "",
        owner:
          t.owner.unitId !== undefined
            ? (a.units.find((u) => u.id === t.owner.unitId)?.name ?? t.owner.unitId)
            : ((d) =>
                d === undefined
                  ? `${lang === "zh" ? "部门" : "department"} ${t.owner.departmentId ?? ""}`
                  : lang === "zh"
                    ? d.name
                    : d.nameEn)(a.departments.find((d) => d.id === t.owner.departmentId))
      }))
    }
  }),
  publications: a.publications.slice(0, 10).map((p) => ({ id: p.topicId, category: p.category }))
})

/** The 议事协商 page as shown. */
const shown = async (page: Page) => {
  await page.waitForSelector("[data-testid=delib-page]")
  const topics = await page.locator("[data-testid=delib-proposal]").evaluateAll((items) =>
    items.map((e) => ({
      id: e.getAttribute("data-topic-id"),
      status: e.getAttribute("data-status"),
      cosigners: e.getAttribute("data-cosigners")
    }))
  )
  const upcoming = await page
    .locator("[data-testid=delib-upcoming]")
    .evaluateAll((items) => items.map((e) => e.getAttribute("data-topic-id")))
  const meetings = await page.locator("[data-testid=delib-meeting]").evaluateAll((items) =>
    items.map((e) => ({
      id: e.getAttribute("data-topic-id"),
      kind: e.getAttribute("data-kind"),
      convener: e.querySelector("[data-testid=delib-meeting-convener]")?.textContent ?? "",
      present: e.getAttribute("data-present"),
      members: e.getAttribute("data-members")
    }))
  )
  const resolutions = await page.locator("[data-testid=delib-resolution]").evaluateAll((items) =>
    items.map((e) => ({
      id: e.getAttribute("data-topic-id"),
      done: e.getAttribute("data-done"),
      open: e.getAttribute("data-open"),
      overdue: e.getAttribute("data-overdue"),
      supervised: e.getAttribute("data-supervised"),
      percent: e.getAttribute("data-percent"),
      tasks: Array.from(e.querySelectorAll("[data-testid=delib-task]")).map((r) => ({
        id: r.getAttribute("data-task-id"),
        status: r.getAttribute("data-status"),
        supervision: r.getAttribute("data-supervision"),
        owner: r.querySelector("[data-testid=delib-task-owner]")?.textContent ?? ""
      }))
    }))
  )
  const publications = await page
    .locator("[data-testid=delib-publication]")
    .evaluateAll((items) =>
      items.map((e) => ({ id: e.getAttribute("data-topic-id"), category: e.getAttribute("data-category") }))
    )
  return { topics, upcoming, meetings, resolutions, publications }
}

layer(server, { excludeTestServices: true, timeout: "120 seconds" })("议事协商 in Chromium", (it) => {
  it.effect(
    "proposal → meeting → vote → resolution with tasks: the page shows what the API answers, with the counts and the progress",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const me = yield* Effect.promise(() =>
          api<{ readonly jurisdiction: { readonly id: string; readonly name: string } | null }>(
            base,
            "/me",
            staffToken
          )
        )
        const streetMe = yield* Effect.promise(() =>
          api<{ readonly jurisdiction: { readonly id: string } | null }>(base, "/me", streetToken)
        )
        const community = me.jurisdiction?.id ?? ""
        const communityName = me.jurisdiction?.name ?? ""
        const street = streetMe.jurisdiction?.id ?? ""
        const children = yield* Effect.promise(() =>
          api<ReadonlyArray<{ readonly id: string; readonly name: string }>>(
            base,
            `/hierarchy/units/${encodeURIComponent(community)}/children`,
            staffToken
          )
        )
        const below = children[0]
        expect(below).toBeDefined()
        const reps = yield* representatives(community)
        const ids = yield* Effect.promise(() => seedTopics(base, community, street, below?.id ?? "", reps))
        const answered = yield* Effect.promise(() => answers(base, community))
        const labels = labelsNow()
        const indicatorsOf = (period: string) =>
          api<IndicatorsJson>(base, `/deliberation/indicators?period=${period}`, staffToken)
        const config = yield* Effect.promise(() =>
          api<{
            readonly proposal: { readonly minCosigners: number }
            readonly meetingKinds: ReadonlyArray<{
              readonly id: string
              readonly name: string
              readonly en: string
              readonly quorum: unknown
            }>
            readonly vote: {
              readonly fractions: ReadonlyArray<{
                readonly id: string
                readonly name: string
                readonly en: string
                readonly fraction: unknown
              }>
            }
            readonly publicationCategories: ReadonlyArray<{
              readonly id: string
              readonly name: string
              readonly en: string
            }>
          }>(base, "/deliberation/config", staffToken)
        )
        const [yearly, monthly, lastYearly] = yield* Effect.promise(() =>
          Promise.all([indicatorsOf(labels.year), indicatorsOf(labels.month), indicatorsOf(labels.lastYear)])
        )
        const out = yield* withPage(
          async (page, errors) => {
            await signIn(page, base, staffToken)
            await page.click("header nav a[href='/app/deliberation']")
            const zh = await shown(page)
            const now = Date.now()
            const year = await shownFigures(page, labels.year)
            const text = (await page.textContent("[data-testid=delib-page]")) ?? ""
            const threshold = {
              threshold: await page.getAttribute("[data-testid=delib-threshold]", "data-threshold"),
              fromServer: await page.getAttribute("[data-testid=delib-threshold]", "data-from-server"),
              defaults: await page.locator("[data-testid=delib-default-rules]").count()
            }
            const bar = await page.getAttribute(
              `[data-testid=delib-resolution][data-topic-id=${ids.full}] [role=progressbar]`,
              "aria-valuenow"
            )
            const barWidth = await page.evaluate(
              (id) =>
                (document.querySelector(`[data-topic-id=${id}] .progress .bar`) as HTMLElement | null)?.style
                  .width ?? "",
              ids.full
            )
            await shot(page, "deliberation-1")
            await page.click("[data-testid=delib-span-month]")
            const month = await shownFigures(page, labels.month)
            await page.click("[data-testid=delib-span-lastYear]")
            const lastYear = await shownFigures(page, labels.lastYear)
            await page.locator("[data-testid=delib-indicators]").screenshot({
              path: join(artifacts, "deliberation-1-last-year.png")
            })
            await page.click("[data-testid=lang]")
            await page.waitForSelector("text=Topics and proposals")
            const en = await shown(page)
            const enText = (await page.textContent("[data-testid=delib-page]")) ?? ""
            await shot(page, "deliberation-2-en")
            await page.click("[data-testid=lang]")

            // a server that does not answer GET /deliberation/config (an older one): the core's defaults, said
            await page.route(
              (url) => url.pathname === "/deliberation/config",
              (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "Not Found" })
            )
            await page.goto(`${base}/app/deliberation`)
            await page.waitForSelector("[data-testid=delib-page]")
            const withoutConfig = {
              defaults: await page.locator("[data-testid=delib-default-rules]").count(),
              fromServer: await page.getAttribute("[data-testid=delib-threshold]", "data-from-server"),
              shown: await shown(page)
            }
            await page.unroute((url) => url.pathname === "/deliberation/config")

            // a server without a deliberation store (503 DeliberationUnavailable): said, no error shown
            await page.route(
              (url) => ["/proposals", "/meetings", "/resolutions", "/publications"].includes(url.pathname),
              (route) =>
                route.fulfill({
                  status: 503,
                  contentType: "application/json",
                  body: JSON.stringify({
                    _tag: "DeliberationUnavailable",
                    message: "议事协商未配置 — the deliberation store is not configured"
                  })
                })
            )
            await page.goto(`${base}/app/deliberation`)
            await page.waitForSelector("[data-testid=delib-unavailable]")
            const unavailable = {
              page: await page.locator("[data-testid=delib-page]").count(),
              shownErrors: await page.locator(".error").count()
            }
            await shot(page, "deliberation-3-unavailable")
            return {
              zh,
              en,
              now,
              year,
              month,
              lastYear,
              text,
              enText,
              threshold,
              withoutConfig,
              bar,
              barWidth,
              unavailable,
              errors
            }
          },
          [503, 404]
        )
        // the page is exactly the answers
        expect(out.zh).toEqual(expected(answered, out.now, "zh"))
        expect(out.en).toEqual(expected(answered, out.now, "en"))

        // the indicators of this year, then of this month, as the endpoint answers them
        expect(out.year).toEqual(figuresOf(yearly))
        expect(out.month).toEqual(figuresOf(monthly))
        expect(out.lastYear).toEqual(figuresOf(lastYearly))
        // the meeting held and its members present count; the five co-signed proposal reached the agenda
        expect(monthly.total.meetingsHeld).toBeGreaterThanOrEqual(1)
        expect(monthly.total.participation.numerator).toBeGreaterThanOrEqual(3)
        expect(monthly.total.proposalsOnAgenda.numerator).toBeGreaterThanOrEqual(1)

        // and the answers are what was driven over HTTP
        const topic = (id: string) => out.zh.topics.find((t) => t.id === id)
        expect(topic(ids.full)).toEqual({ id: ids.full, status: "in-progress", cosigners: "5" })
        expect(topic(ids.few)).toEqual({ id: ids.few, status: "proposed", cosigners: "2" })
        expect(topic(ids.agenda)?.status).toBe("on-agenda")
        expect(topic(ids.rejected)?.status).toBe("published")
        expect(out.zh.upcoming).toContain(ids.agenda)
        expect(out.zh.meetings.find((m) => m.id === ids.full)).toEqual({
          id: ids.full,
          kind: "joint-meeting",
          convener: "示范社区大党委",
          present: "3",
          members: "4"
        })
        expect(out.zh.resolutions.find((r) => r.id === ids.full)).toEqual({
          id: ids.full,
          done: "1",
          open: "2",
          overdue: "1",
          supervised: "1",
          percent: "33",
          tasks: [
            { id: `${ids.full}-1`, status: "done", supervision: "", owner: communityName },
            { id: `${ids.full}-2`, status: "pending", supervision: "street", owner: communityName },
            // a unit below the community: by its name, not its id
            { id: `${ids.full}-3`, status: "pending", supervision: "", owner: below?.name ?? "" }
          ]
        })
        expect([out.bar, out.barWidth]).toEqual(["33", "33%"])
        expect(out.zh.publications[0]).toEqual({ id: ids.rejected, category: "residents-affairs" })
        // co-signers against the threshold, the quorum, 督办 and the publication category in words
        // … as the server's configuration (GET /deliberation/config) names them
        const min = config.proposal.minCosigners
        expect(out.threshold).toEqual({ threshold: String(min), fromServer: "true", defaults: 0 })
        expect(out.text).toContain(`5 / ${min} ${5 >= min ? "已达门槛" : "未达门槛"}`)
        expect(out.text).toContain(`2 / ${min} ${2 >= min ? "已达门槛" : "未达门槛"}`)
        const joint = config.meetingKinds.find((k) => k.id === "joint-meeting")
        const majority = config.vote.fractions.find((f) => f.id === "simple-majority")
        expect(joint?.quorum).toEqual(majority?.fraction)
        expect(out.text).toContain(joint?.name ?? "?")
        expect(out.enText).toContain(`${joint?.en ?? "?"} (${joint?.name ?? "?"})`)
        expect(out.text).toContain(`${majority?.name ?? "?"} ✓ 已达到`)
        expect(out.enText).toContain(`${majority?.en ?? "?"} ✓ met`)
        const residents = config.publicationCategories.find((c) => c.id === "residents-affairs")
        expect(out.text).toContain("街道督办")
        expect(out.text).toContain(residents?.name ?? "?")
        expect(out.enText).toContain(residents?.en ?? "?")
        // without the configuration: the same page on the core's defaults, and a line saying so
        expect(out.withoutConfig.defaults).toBe(1)
        expect(out.withoutConfig.fromServer).toBe("false")
        expect(out.withoutConfig.shown).toEqual(out.zh)
        expect(out.unavailable).toEqual({ page: 0, shownErrors: 0 })
        expect(out.errors).toEqual([])
      })
  )

  it.effect(
    "a local role (信访代办员): the header names it and the role it acts as, in Chinese and English",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const token = "demo-petition-agent"
        const me = yield* Effect.promise(() =>
          api<{
            readonly role: string
            readonly jurisdiction: { readonly name: string } | null
            readonly localRole: { readonly id: string; readonly zh: string; readonly en: string } | null
          }>(base, "/me", token)
        )
        const staffMe = yield* Effect.promise(() =>
          api<{ readonly localRole: unknown }>(base, "/me", staffToken)
        )
        const out = yield* withPage(async (page, errors) => {
          await signIn(page, base, token)
          const who = await page.textContent("[data-testid=who]")
          const local = await page.getAttribute("[data-testid=who]", "data-local-role")
          await page.locator("header").screenshot({ path: join(artifacts, "deliberation-4-local-role.png") })
          await page.click("[data-testid=lang]")
          await page.waitForSelector("text=Command & Dispatch Centre")
          const whoEn = await page.textContent("[data-testid=who]")
          await page.click("[data-testid=lang]")
          await page.click("[data-testid=signout]")
          // a principal without a local role: none shown
          await signIn(page, base, staffToken)
          const staff = {
            marked: await page.locator("[data-testid=who-local-role]").count(),
            local: await page.getAttribute("[data-testid=who]", "data-local-role")
          }
          return { who, local, whoEn, staff, errors }
        })
        expect(me.role).toBe("community-staff")
        expect(me.localRole?.id).toBe("petition-agent")
        expect(staffMe.localRole).toBeNull()
        expect(out.local).toBe(me.localRole?.id)
        expect(out.who).toContain(`${me.localRole?.zh}（社区工作人员）`)
        expect(out.who).toContain(me.jurisdiction?.name ?? "?")
        expect(out.whoEn).toContain(`${me.localRole?.en} (community staff)`)
        expect(out.staff).toEqual({ marked: 0, local: "" })
        expect(out.errors).toEqual([])
      })
  )

  it.effect(
    "公开栏 /app/publications/<unit>: without a token, what GET /publications answers by category, the withdrawn one gone; printable",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const me = yield* Effect.promise(() =>
          api<{ readonly jurisdiction: { readonly id: string } | null }>(base, "/me", staffToken)
        )
        const community = me.jurisdiction?.id ?? ""
        const command = (id: string, body: Record<string, unknown>) =>
          post(base, `/proposals/${id}/commands`, staffToken, { command: body })
        // resident voters of the community (their tokens in the server's key store)
        const voters = yield* Effect.forEach([0, 1, 2], (i) =>
          Effect.as(
            SqlApiKeys.register(
              Redacted.make(`web-pact-voter-${i}`),
              Principal.make({ id: `web-pact-voter-${i}`, role: "resident", unitId: community })
            ),
            `web-pact-voter-${i}`
          )
        ).pipe(Effect.orDie)
        // a resolution adopting a version of the community's 居民公约 (carried by the voters)
        const adopt = async (id: string, text: string) => {
          await post(base, "/proposals", staffToken, {
            id,
            unitId: community,
            source: { _tag: "Problem", problemId: `p-${id}` },
            title: "修订示范社区居民公约",
            description: "养犬、楼道堆物条款"
          })
          await command(id, { _tag: "PutOnAgenda" })
          await command(id, {
            _tag: "HoldMeeting",
            meeting: {
              kind: "dialogue",
              convenedBy: "示范社区居委会",
              agenda: ["居民公约修订"],
              invitees: [],
              attendees: [],
              minutes: "征求意见后提交表决"
            }
          })
          await command(id, {
            _tag: "OpenVote",
            rule: {
              electorate: {
                basis: "resident",
                onePerHousehold: false,
                roll: voters.map((v, i) => ({ voterId: v, household: `pact-h${i}` }))
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
          for (const v of voters) await post(base, `/votes/${id}/ballots`, v, { option: "agree" })
          await command(id, { _tag: "CloseVote" })
          await command(id, {
            _tag: "Resolve",
            text: "通过居民公约修订稿",
            items: [
              {
                title: "张贴新版居民公约",
                problemId: `p-${id}`,
                owner: { _tag: "Unit", unitId: community },
                deadline: new Date(Date.now() + 30 * day).toISOString()
              }
            ],
            adopts: { documentId: "web-covenant", title: "示范社区居民公约", text }
          })
        }
        yield* Effect.promise(async () => {
          await adopt("web-pact-1", "第一条 文明养犬，出门拴绳。")
          await adopt("web-pact-2", "第一条 文明养犬，出门拴绳。\n第二条 楼道不得堆物。")
        })
        // topics refused, then published (staff, over HTTP): one in 财务公开 with its display end, one 村规民约,
        // one published and withdrawn
        const publish = async (
          id: string,
          category: string,
          title: string,
          body: string,
          retainUntil?: string
        ) => {
          await post(base, "/proposals", staffToken, {
            id,
            unitId: community,
            source: { _tag: "Problem", problemId: `p-${id}` },
            title,
            description: body
          })
          await command(id, { _tag: "Reject", reason: "另行公开" })
          await command(id, {
            _tag: "Publish",
            category,
            title,
            body,
            ...(retainUntil === undefined ? {} : { retainUntil })
          })
        }
        const until = new Date(Date.now() + 60 * day).toISOString()
        yield* Effect.promise(async () => {
          await publish(
            "web-pub-finance",
            "finance",
            "2026年第三季度社区财务收支公开",
            "收入：上级拨付工作经费 12 万元。\n支出：环境整治 4.5 万元，活动经费 1.2 万元。",
            until
          )
          await publish(
            "web-pub-pact",
            "rule-document",
            "示范社区居民公约（修订）",
            "一、爱护公共环境，不乱扔垃圾。\n二、文明养犬，出门牵绳。"
          )
          await publish("web-pub-withdrawn", "residents-affairs", "停车收费调整公示（有误）", "收费标准有误")
          await command("web-pub-withdrawn", {
            _tag: "WithdrawPublication",
            reason: "收费标准有误，更正后重新公开"
          })
        })
        const answered = yield* Effect.promise(() =>
          api<
            ReadonlyArray<{
              readonly topicId: string
              readonly category: string
              readonly title: string
              readonly body: string
              readonly publishedAt: string
              readonly retainUntil: string
              readonly scope: string
              readonly scopeName: string | null
            }>
          >(base, `/publications?within=${encodeURIComponent(community)}`, null)
        )
        const documents = yield* Effect.promise(() =>
          api<
            ReadonlyArray<{
              readonly id: string
              readonly scopeName: string | null
              readonly title: string
              readonly current: {
                readonly version: number
                readonly text: string
                readonly adoptedBy: string
                readonly adoptedAt: string
              } | null
              readonly versions: ReadonlyArray<{ readonly version: number }>
            }>
          >(base, `/rule-documents/${encodeURIComponent(community)}`, null)
        )
        const named = yield* Effect.promise(() =>
          api<{ readonly jurisdiction: { readonly name: string } | null }>(base, "/me", staffToken)
        )
        const out = yield* withPage(
          async (page, errors) => {
            const authorized: Array<string> = []
            page.on("request", (request) => {
              if (request.headers()["authorization"] !== undefined) authorized.push(request.url())
            })
            await page.goto(`${base}/app/publications/${encodeURIComponent(community)}`)
            await page.waitForSelector("[data-testid=publications]")
            const entries = await page.locator("[data-testid=publication]").evaluateAll((items) =>
              items.map((e) => ({
                topicId: e.getAttribute("data-topic-id"),
                category: e.getAttribute("data-category"),
                title: e.querySelector("[data-testid=publication-title]")?.textContent ?? "",
                body: e.querySelector("[data-testid=publication-body]")?.textContent ?? "",
                published: e.getAttribute("data-published"),
                until: e.getAttribute("data-until")
              }))
            )
            const headings = await page
              .locator("[data-testid=publications-category] h2")
              .evaluateAll((items) => items.map((e) => e.getAttribute("data-category")))
            const text = (await page.textContent("[data-testid=publications]")) ?? ""
            const heading = (await page.textContent("[data-testid=publications] h1")) ?? ""
            const unitName = await page.textContent("[data-testid=publications-unit-name]")
            const rules = await page.locator("[data-testid=rule-document]").evaluateAll((items) =>
              items.map((d) => ({
                id: d.getAttribute("data-document-id"),
                title: d.querySelector("[data-testid=rule-document-title]")?.textContent ?? "",
                version: d.getAttribute("data-version"),
                text: d.querySelector("[data-testid=rule-document-text]")?.textContent ?? "",
                adopted: d.getAttribute("data-adopted"),
                adoptedBy: d.getAttribute("data-adopted-by"),
                earlier: Array.from(d.querySelectorAll("[data-testid=rule-document-version]")).map((v) =>
                  v.getAttribute("data-version")
                ),
                historyOpen: d.querySelector("details")?.hasAttribute("open") ?? null,
                adoptedLine: d.querySelector("[data-testid=rule-document-adopted]")?.textContent ?? ""
              }))
            )
            const earlierVisible = await page
              .locator("[data-document-id=web-covenant] [data-testid=rule-document-version]")
              .first()
              .isVisible()
            await shot(page, "publications-1")
            await page.locator("[data-testid=rule-documents]").screenshot({
              path: join(artifacts, "publications-1-rule-documents.png")
            })
            await page.emulateMedia({ media: "print" })
            const printButton = await page.locator("[data-testid=print]").isVisible()
            await shot(page, "publications-2-print")
            await page.emulateMedia({ media: "screen" })
            // an unknown unit: said, not a blank page
            await page.goto(`${base}/app/publications/no-such-unit`)
            await page.waitForSelector("[data-testid=publications-error]")
            const unknown = await page.getAttribute("[data-testid=publications-error]", "data-tag")
            return {
              entries,
              headings,
              text,
              heading,
              unitName,
              rules,
              earlierVisible,
              printButton,
              unknown,
              authorized,
              errors
            }
          },
          [400, 404]
        )
        const localDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10)
        const order = ["residents-affairs", "government-affairs", "finance", "party-affairs", "rule-document"]
        const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length)
        // the page is the answer, grouped by category in the core's order (newest first within each)
        const want = [...answered]
          .map((p, i) => ({ p, i }))
          .sort((a, b) => rank(a.p.category) - rank(b.p.category) || a.i - b.i)
          .map(({ p }) => ({
            topicId: p.topicId,
            category: p.category,
            title: p.title,
            body: p.body,
            published: localDay(p.publishedAt),
            until: localDay(p.retainUntil)
          }))
        expect(out.entries).toEqual(want)
        expect(out.headings).toEqual([...new Set(want.map((w) => w.category))])
        const ids = out.entries.map((e) => e.topicId)
        expect(ids).toContain("web-pub-finance")
        expect(ids).toContain("web-pub-pact")
        // withdrawn: neither answered nor shown
        expect(answered.map((p) => p.topicId)).not.toContain("web-pub-withdrawn")
        expect(ids).not.toContain("web-pub-withdrawn")
        expect(out.text).not.toContain("停车收费调整公示（有误）")
        expect(out.entries.find((e) => e.topicId === "web-pub-finance")?.until).toBe(localDay(until))
        expect(out.text).toContain("财务公开")
        expect(out.text).toContain("村规民约")
        expect(out.text).toContain("出门牵绳")
        // the heading names the unit, never by its id
        const scopeName = documents[0]?.scopeName ?? null
        expect(scopeName).not.toBeNull()
        expect(scopeName).toBe(named.jurisdiction?.name)
        expect(out.unitName).toBe(scopeName)
        expect(out.heading).not.toContain(community)
        expect(answered.filter((p) => p.scope === community).every((p) => p.scopeName === scopeName)).toBe(
          true
        )
        // 村规民约: the version in force as GET /rule-documents answers it, the earlier one collapsed
        expect(out.rules).toEqual(
          documents.map((d) => ({
            id: d.id,
            title: d.title,
            version: String(d.current?.version ?? ""),
            text: d.current?.text ?? "",
            adopted: d.current === null ? "" : localDay(d.current.adoptedAt),
            adoptedBy: d.current?.adoptedBy ?? "",
            earlier: d.versions
              .filter((v) => v.version !== d.current?.version)
              .map((v) => String(v.version))
              .reverse(),
            historyOpen: d.versions.length > 1 ? false : null,
            adoptedLine: expect.stringContaining(d.current?.adoptedBy ?? "")
          }))
        )
        // the two adoptions: version 2 in force (adopted by web-pact-2), version 1 the earlier one
        const covenant = documents.find((d) => d.id === "web-covenant")
        expect([covenant?.current?.version, covenant?.current?.adoptedBy]).toEqual([2, "web-pact-2"])
        const shownCovenant = out.rules.find((r) => r.id === "web-covenant")
        expect(shownCovenant?.text).toContain("楼道不得堆物")
        expect(shownCovenant?.earlier).toEqual(["1"])
        expect(out.earlierVisible).toBe(false)
        expect(out.printButton).toBe(false)
        expect(out.unknown).not.toBeNull()
        expect(out.authorized).toEqual([])
        expect(out.errors).toEqual([])
      })
  )
})
