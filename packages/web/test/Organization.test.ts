/**
 * 组织 and 公示牌 in Chromium: the example server app (`App.layer` of the demo, on a fresh in-memory SQLite
 * database seeded with a small demo district) with the web front end on a real port. The organisation data
 * of the community staff's community is written to the server's own database through the organisation
 * store (`OrganizationRepository` of `Seed.layerStores`, on the same SQL client) — upserts by id, so the
 * tests hold whether or not the demo seed brings organisation data of its own.
 *
 * - 组织: the bodies with their post records (each holder by the name `GET /posts` gives), the party
 *   organisations with their committees (holders by name), member counts and member names, the 组织指标
 *   panel (every ratio as "n/d p%" with its counts, every count, each community's pattern) and the
 *   配备检查 list are exactly what `GET /bodies`, `/posts`, `/party-organisations`, `/organisation/indicators`
 *   and `/staffing/check` answer (read with our own fetch), before and after the data is stored, each rule named in Chinese and,
 *   with the switch, in English; an empty jurisdiction shows its empty states; with 503 `OrganizationUnavailable` the page says the store is missing and
 *   shows no error.
 * - 干部考核（绿橙红）: appraisals stored through the same store (three cadres of the community and its
 *   小区 over three quarters) are shown by unit exactly as `GET /appraisals` answers them — each cadre's
 *   current light with its name (绿灯/橙灯/红灯, green/orange/red: never colour alone), score and period,
 *   and the history as dots each carrying its light's letter — with the counts of each light.
 * - 公示牌: `/app/directory/<building>` without signing in shows exactly what `GET /directory/{building}`
 *   answers without a token (masked names and phones, never the stored full name); it prints without its
 *   buttons; an unknown building says so.
 *
 * - 软弱涣散, 小区党组织组建, 评选表彰: the 小区 branch flagged (then cleared) in the latest quarter through the
 *   store, a founding taken through three steps and an award round opened, two nominated and one published
 *   through the HTTP commands; the panel (count, target, 已清零 or the flagged names), the founding's steps
 *   and days and the rounds with their nominees are what `GET /organisation/indicators?period=`,
 *   `/compound-foundings` and `/awards` answer.
 * - 评优公示: `/app/award-notices/<unitId>` without signing in shows exactly what `GET /award-notices` answers
 *   without a token — the published nominee only, by masked name, never a stored full name; printable.
 *
 * No page logs an error. Screenshots (and the board as PDF) go to `test-artifacts/` (not committed).
 */
import { mkdirSync } from "node:fs"
import { createServer } from "node:http"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Body from "@civicgrid/core/Body"
import type * as Membership from "@civicgrid/core/Membership"
import type * as OrganizationMetrics from "@civicgrid/core/OrganizationMetrics"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import * as Period from "@civicgrid/core/Period"
import * as Post from "@civicgrid/core/Post"
import * as Ratio from "@civicgrid/core/Ratio"
import * as Staffing from "@civicgrid/core/Staffing"
import { UnitId } from "@civicgrid/core/Unit"
import { LocalDate } from "@civicgrid/core/WorkingCalendar"
import * as App from "@civicgrid/demo/App"
import * as District from "@civicgrid/demo/District"
import * as Seed from "@civicgrid/demo/Seed"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
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
  // the SQL client stays in the tests' context: they write organisation data to the server's database
  Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })),
  Layer.orDie
)

const baseUrl = HttpServer.addressWith((address) =>
  Effect.succeed(`http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}`)
)

const staffToken = "demo-community-staff"

/** The JSON of an API call (with a bearer token, or without one). */
const api = <A>(base: string, path: string, token: string | null): Promise<A> =>
  fetch(`${base}${path}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } }).then(
    async (response) => {
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
      return (await response.json()) as A
    }
  )

interface Unit {
  readonly id: string
  readonly level: string
  readonly name: string
}

/** The staff's community, its first compound and that compound's first building. */
const placesOf = async (base: string) => {
  const me = await api<{ readonly jurisdiction: { readonly id: string } | null }>(base, "/me", staffToken)
  const community = me.jurisdiction?.id ?? ""
  const children = (id: string) =>
    api<ReadonlyArray<Unit>>(base, `/hierarchy/units/${encodeURIComponent(id)}/children`, staffToken)
  const compound = (await children(community)).find((u) => u.level === "compound")
  const building = (await children(compound?.id ?? "")).find((u) => u.level === "building")
  if (compound === undefined || building === undefined) throw new Error("the demo community has no building")
  return { community, compound: compound.id, building: building.id, buildingName: building.name }
}

/** The organisation data of the community (ids prefixed `web-`), as staff keep it. */
const organisationOf = (places: { readonly community: string; readonly compound: string }) => {
  const { community, compound } = places
  const bodies = [
    Body.make({
      id: "web-party",
      kind: "community-party-committee",
      name: "示范社区党委",
      unitId: community
    }),
    Body.make({ id: "web-rc", kind: "residents-committee", name: "示范社区居委会", unitId: community }),
    Body.make({ id: "web-ws", kind: "workstation", name: "示范社区工作站", unitId: community }),
    Body.make({ id: "web-branch", kind: "compound-party-branch", name: "示范小区党支部", unitId: compound }),
    Body.make({ id: "web-oc", kind: "owners-committee", name: "示范小区业委会", unitId: compound })
  ]
  const posts = [
    Post.make({
      id: "web-p1",
      bodyId: "web-party",
      kind: "secretary",
      holder: "web-wang",
      since: "2018-01-01",
      until: "2023-12-31"
    }),
    Post.make({
      id: "web-p2",
      bodyId: "web-party",
      kind: "secretary",
      holder: "web-li",
      since: "2024-01-01"
    }),
    Post.make({
      id: "web-p3",
      bodyId: "web-rc",
      kind: "director",
      holder: "web-li",
      since: "2024-01-01",
      concurrent: true
    }),
    // the same person in the deliberative and the executive body: 议行分离 reports it
    Post.make({
      id: "web-p4",
      bodyId: "web-ws",
      kind: "station-head",
      holder: "web-li",
      since: "2024-01-01"
    }),
    Post.make({
      id: "web-p5",
      bodyId: "web-branch",
      kind: "secretary",
      holder: "web-zhao",
      since: "2024-03-25"
    }),
    Post.make({ id: "web-p6", bodyId: "web-oc", kind: "director", holder: "web-zhao", since: "2022-01-01" })
  ]
  const member = (
    personId: string,
    kind: Membership.MembershipKind,
    home?: string
  ): Membership.Membership => ({
    personId: Staffing.PersonId.make(personId),
    bodyId: Body.BodyId.make("web-branch"),
    kind,
    ...(home === undefined ? {} : { homeBodyId: Body.BodyId.make(home) }),
    since: LocalDate.make("2024-03-25")
  })
  const memberships = [
    member("web-zhao", "relation"),
    member("web-pm-1", "relation"),
    member("web-pm-2", "reported", "web-party")
  ]
  const people = [
    Staffing.makePerson({ id: "web-li", name: "李秀英", partyMember: true, phone: "13812345678" }),
    Staffing.makePerson({ id: "web-zhao", name: "赵建国", partyMember: true, phone: "13900001111" })
  ]
  return { bodies, posts, memberships, people }
}

/** Writes the organisation data to the server's database (upserts by id: the same twice is once). */
const storeOrganisation = (places: { readonly community: string; readonly compound: string }) =>
  Effect.gen(function* () {
    const found = yield* Effect.serviceOption(Org.OrganizationRepository)
    if (Option.isNone(found)) return yield* Effect.dieMessage("the SQL stores have no organisation store")
    const repo = found.value
    const data = organisationOf(places)
    yield* repo.putBodies(data.bodies)
    yield* repo.putPosts(data.posts)
    yield* repo.putMemberships(data.memberships)
    yield* repo.putPeople(data.people)
    return data
  }).pipe(Effect.provide(Seed.layerStores), Effect.orDie)

/** The appraisals of three cadres (web-li at the community, web-zhao at the 小区, web-sun not stored as a person). */
const appraisalsOf = (places: { readonly community: string; readonly compound: string }) => {
  const at = (unitId: string, cadreId: string, period: string, score: number): Org.UnitAppraisal => ({
    unitId: UnitId.make(unitId),
    appraisal: {
      cadreId: Staffing.PersonId.make(cadreId),
      period: Either.getOrThrow(Period.parse(period)),
      score
    }
  })
  return [
    at(places.community, "web-li", "2025-Q1", 55),
    at(places.community, "web-li", "2025-Q2", 72),
    at(places.community, "web-li", "2025-Q3", 88),
    at(places.compound, "web-zhao", "2025-Q2", 91),
    at(places.compound, "web-zhao", "2025-Q3", 64),
    at(places.community, "web-sun", "2025-Q3", 41)
  ]
}

/** Writes the appraisals to the server's database (upserts by cadre and period). */
const storeAppraisals = (places: { readonly community: string; readonly compound: string }) =>
  Effect.gen(function* () {
    const found = yield* Effect.serviceOption(Org.OrganizationRepository)
    if (Option.isNone(found)) return yield* Effect.dieMessage("the SQL stores have no organisation store")
    yield* found.value.putAppraisals(appraisalsOf(places))
  }).pipe(Effect.provide(Seed.layerStores), Effect.orDie)

interface AppraisalLightJson {
  readonly label: string
  readonly score: number
  readonly light: "green" | "orange" | "red"
}
interface AppraisalsJson {
  readonly namesMasked: boolean
  readonly lights: { readonly green: number; readonly orange: number; readonly red: number }
  readonly cadres: ReadonlyArray<{
    readonly cadreId: string
    readonly name: string | null
    readonly unitId: string
    readonly current: AppraisalLightJson
    readonly history: ReadonlyArray<AppraisalLightJson>
  }>
}

const lightWords = {
  zh: { green: "绿灯", orange: "橙灯", red: "红灯" },
  en: { green: "green", orange: "orange", red: "red" }
} as const
const lightLetters = {
  zh: { green: "绿", orange: "橙", red: "红" },
  en: { green: "G", orange: "O", red: "R" }
} as const

/** The appraisal section as `GET /appraisals` should show it. */
const expectedAppraisals = (a: AppraisalsJson, language: "zh" | "en") => ({
  counts: [String(a.lights.green), String(a.lights.orange), String(a.lights.red)],
  units: [...new Set(a.cadres.map((c) => c.unitId))],
  cadres: a.cadres.map((c) => ({
    id: c.cadreId,
    unit: c.unitId,
    name: c.name ?? c.cadreId,
    light: c.current.light,
    word: lightWords[language][c.current.light],
    period: c.current.label,
    score: String(c.current.score),
    history: c.history.map((h) => h.light).join(","),
    marks: c.history.map((h) => lightLetters[language][h.light]).join("")
  }))
})

/** The appraisal section as shown. */
const shownAppraisals = async (page: Page) => {
  await page.waitForSelector("[data-testid=org-appraisals]")
  const counts = await Promise.all(
    ["green", "orange", "red"].map((l) => page.textContent(`[data-testid=org-appraisals-${l}]`))
  )
  const units = await page
    .locator("[data-testid=org-appraisal-unit]")
    .evaluateAll((items) => items.map((u) => u.getAttribute("data-unit-id")))
  const cadres = await page.locator("[data-testid=org-appraisal]").evaluateAll((items) =>
    items.map((r) => ({
      id: r.getAttribute("data-cadre-id"),
      unit: r.closest("[data-testid=org-appraisal-unit]")?.getAttribute("data-unit-id") ?? null,
      name: r.querySelector("[data-testid=org-appraisal-name]")?.textContent ?? "",
      light: r.getAttribute("data-light"),
      word:
        (r.querySelector("[data-testid=org-appraisal-light]")?.textContent ?? "").trim().split(/\s+/)[0] ??
        "",
      period: r.getAttribute("data-period"),
      score: r.getAttribute("data-score"),
      history: r.getAttribute("data-history"),
      marks: r.querySelector("[data-testid=org-appraisal-history]")?.textContent ?? ""
    }))
  )
  return { counts, units, cadres }
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

interface BodyJson {
  readonly id: string
  readonly name: string
}
interface PostJson {
  readonly id: string
  readonly bodyId: string
  readonly holder: string
  readonly holderName: string | null
}
interface PartyJson {
  readonly body: BodyJson
  readonly posts: ReadonlyArray<PostJson>
  readonly members: ReadonlyArray<{
    readonly personId: string
    readonly kind: string
    readonly name: string | null
  }>
}
interface IndicatorsJson {
  readonly day: string
  readonly councilCoverage: Ratio.Ratio
  readonly councilMembers: Ratio.Ratio
  readonly partyShareByPost: ReadonlyArray<{ readonly kind: string; readonly share: Ratio.Ratio }>
  readonly compoundManagement: {
    readonly arranged: Ratio.Ratio
    readonly takenOverShare: Ratio.Ratio
    readonly professional: number
    readonly selfManaged: number
    readonly takenOver: number
    readonly unmanaged: number
    readonly unrecorded: number
  }
  readonly bodiesByKind: ReadonlyArray<{ readonly kind: string; readonly count: number }>
  readonly patterns: ReadonlyArray<{
    readonly unitId: string
    readonly name: string
    readonly committees: number
    readonly stations: number
    readonly pattern: string
  }>
}

/** The 组织指标 panel as `GET /organisation/indicators` should show it: "n/d p%", a mean as "n/d x.x". */
const expectedIndicators = (a: IndicatorsJson, language: "zh" | "en") => {
  const noData = language === "zh" ? "无数据" : "no data"
  const rate = (key: string, r: Ratio.Ratio) => ({
    key,
    numerator: String(r.numerator),
    denominator: String(r.denominator),
    text: `${r.numerator}/${r.denominator} ${Ratio.format(r, { noData })}`
  })
  const mean = (key: string, r: Ratio.Ratio) => ({
    key,
    numerator: String(r.numerator),
    denominator: String(r.denominator),
    text: `${r.numerator}/${r.denominator} ${r.denominator === 0 ? noData : (r.numerator / r.denominator).toFixed(1)}`
  })
  const cm = a.compoundManagement
  return {
    day: a.day,
    ratios: [
      rate("councilCoverage", a.councilCoverage),
      mean("councilMembers", a.councilMembers),
      rate("compoundManagement.arranged", cm.arranged),
      rate("compoundManagement.takenOverShare", cm.takenOverShare),
      ...a.partyShareByPost.map((p) => rate(`partyShareByPost.${p.kind}`, p.share))
    ],
    counts: [
      ...(["professional", "selfManaged", "takenOver", "unmanaged", "unrecorded"] as const).map((k) => ({
        key: `compoundManagement.${k}`,
        text: String(cm[k])
      })),
      ...a.bodiesByKind.map((b) => ({ key: `bodiesByKind.${b.kind}`, text: String(b.count) }))
    ],
    patterns: a.patterns.map((p) => ({
      unitId: p.unitId,
      name: p.name,
      pattern: p.pattern,
      committees: String(p.committees),
      stations: String(p.stations)
    }))
  }
}

/** The 组织指标 panel as shown. */
const shownIndicators = async (page: Page) => {
  await page.waitForSelector("[data-testid=org-indicators]")
  const ratios = await page.locator("[data-testid=org-ind]").evaluateAll((items) =>
    items.map((r) => ({
      key: r.getAttribute("data-key"),
      numerator: r.getAttribute("data-numerator"),
      denominator: r.getAttribute("data-denominator"),
      text: (r.textContent ?? "").replace(/\s+/g, " ").trim()
    }))
  )
  const counts = await page
    .locator("[data-testid=org-ind-count]")
    .evaluateAll((items) =>
      items.map((c) => ({ key: c.getAttribute("data-key"), text: c.textContent ?? "" }))
    )
  const patterns = await page.locator("[data-testid=org-ind-pattern]").evaluateAll((items) =>
    items.map((p) => ({
      unitId: p.getAttribute("data-unit-id"),
      name: p.querySelector("[data-testid=org-ind-pattern-name]")?.textContent ?? "",
      pattern: p.getAttribute("data-pattern"),
      committees: p.getAttribute("data-committees"),
      stations: p.getAttribute("data-stations")
    }))
  )
  const day = await page.getAttribute("[data-testid=org-indicators]", "data-day")
  return { day, ratios, counts, patterns }
}
interface CheckJson {
  readonly day: string
  readonly violations: ReadonlyArray<{
    readonly rule: OrganizationRules.RuleName
    readonly problem: string
    readonly message: string
  }>
  readonly memberships: ReadonlyArray<{ readonly rule: string; readonly message: string }>
  readonly appraisals: ReadonlyArray<{ readonly rule: string; readonly message: string }>
}

/** What the four organisation endpoints answer the staff. */
const answers = async (base: string) => {
  const [bodies, posts, party, check] = await Promise.all([
    api<ReadonlyArray<BodyJson>>(base, "/bodies", staffToken),
    api<ReadonlyArray<PostJson>>(base, "/posts", staffToken),
    api<ReadonlyArray<PartyJson>>(base, "/party-organisations", staffToken),
    api<CheckJson>(base, "/staffing/check", staffToken)
  ])
  return { bodies, posts, party, check }
}
type Answers = Awaited<ReturnType<typeof answers>>

/** The page as the API answers should show it. */
const expected = (a: Answers, language: "zh" | "en") => ({
  bodies: a.bodies.map((b) => ({
    id: b.id,
    name: b.name,
    posts: a.posts
      .filter((p) => p.bodyId === b.id)
      .map((p) => ({ id: p.id, holderId: p.holder, holder: p.holderName ?? p.holder }))
  })),
  party: a.party.map((p) => ({
    id: p.body.id,
    committee: String(p.posts.length),
    holders: p.posts.map((x) => ({ id: x.id, holder: x.holderName ?? x.holder })),
    members: String(p.members.length),
    memberNames: p.members.map((m) => m.name ?? m.personId).join("、")
  })),
  violations: [
    ...a.check.violations.map((v) => ({
      rule: v.rule,
      name: OrganizationRules.ruleLabels[v.rule][language],
      message: v.message
    })),
    ...a.check.memberships.map((v) => ({ rule: `membership/${v.rule}`, name: null, message: v.message })),
    ...a.check.appraisals.map((v) => ({ rule: `appraisal/${v.rule}`, name: null, message: v.message }))
  ],
  bodiesEmpty: a.bodies.length === 0,
  partyEmpty: a.party.length === 0,
  clean: a.check.violations.length + a.check.memberships.length + a.check.appraisals.length === 0
})

/** The 组织 page as shown. */
const shown = async (page: Page, withNames: boolean) => {
  await page.waitForSelector("[data-testid=org-page]")
  const bodies = await page.locator("[data-testid=org-body]").evaluateAll((items) =>
    items.map((b) => ({
      id: b.getAttribute("data-body-id"),
      name: b.querySelector("[data-testid=org-body-name]")?.textContent ?? "",
      posts: Array.from(b.querySelectorAll("[data-testid=org-post]")).map((p) => ({
        id: p.getAttribute("data-post-id"),
        holderId: p.querySelector("[data-testid=org-post-holder]")?.getAttribute("data-holder-id") ?? null,
        holder: (p.querySelector("[data-testid=org-post-holder]")?.textContent ?? "").trim()
      }))
    }))
  )
  const party = await page.locator("[data-testid=party-org]").evaluateAll((items) =>
    items.map((p) => ({
      id: p.getAttribute("data-body-id"),
      committee: p.getAttribute("data-committee"),
      holders: Array.from(p.querySelectorAll("[data-testid=party-org-post]")).map((x) => ({
        id: x.getAttribute("data-post-id"),
        holder: x.querySelector("[data-testid=party-org-holder]")?.textContent ?? ""
      })),
      members: p.querySelector("[data-testid=party-org-members]")?.textContent ?? "",
      memberNames: p.querySelector("[data-testid=party-org-member-names]")?.textContent ?? ""
    }))
  )
  const violations = await page.locator("[data-testid=org-violation]").evaluateAll(
    (items, names) =>
      items.map((v) => {
        const rule = v.getAttribute("data-rule") ?? ""
        const text = v.querySelector("[data-testid=org-violation-rule]")?.textContent ?? ""
        return {
          rule,
          name: names && !rule.includes("/") ? text : null,
          message: v.getAttribute("data-message")
        }
      }),
    withNames
  )
  return {
    bodies,
    party,
    violations,
    bodiesEmpty: (await page.locator("[data-testid=org-bodies-empty]").count()) === 1,
    partyEmpty: (await page.locator("[data-testid=org-party-empty]").count()) === 1,
    clean: (await page.locator("[data-testid=org-check-clean]").count()) === 1
  }
}

/** A command sent as the staff (POST, JSON); the answer's JSON, or a failure naming the status. */
const command = <A>(base: string, path: string, body: unknown): Promise<A> =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${staffToken}`, "content-type": "application/json" },
    body: JSON.stringify(body)
  }).then(async (response) => {
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as A
  })

/** The latest quarter as the page asks it: the one of today at +08:00. */
const latestQuarter = () => Period.label(Period.periodOf(DateTime.unsafeNow(), "quarter"))

/** Flags (or clears) the 小区 party branch as 软弱涣散 in the latest quarter, through the store. */
const flagBranch = (flagged: boolean) =>
  Effect.gen(function* () {
    const found = yield* Effect.serviceOption(Org.OrganizationRepository)
    if (Option.isNone(found)) return yield* Effect.dieMessage("the SQL stores have no organisation store")
    const flag: OrganizationMetrics.WeakAndLaxFlag = {
      bodyId: Body.BodyId.make("web-branch"),
      period: Either.getOrThrow(Period.parse(latestQuarter())),
      flagged,
      ...(flagged ? { reason: "班子不健全" } : {})
    }
    yield* found.value.putWeakAndLaxFlags([flag])
  }).pipe(Effect.provide(Seed.layerStores), Effect.orDie)

interface WeakAndLaxJson {
  readonly period: string
  readonly flagged: ReadonlyArray<{ readonly bodyId: string; readonly name: string }>
  readonly count: number
  readonly target: number
  readonly met: boolean
}

/** 软弱涣散 as the endpoint answers it for the latest quarter should show. */
const expectedWeakAndLax = (w: WeakAndLaxJson | null) =>
  w === null
    ? null
    : {
        period: w.period,
        count: String(w.count),
        target: String(w.target),
        met: String(w.met),
        cleared: w.met,
        flagged: w.flagged.map((f) => ({ id: f.bodyId, name: f.name }))
      }

/** 软弱涣散 as shown. */
const shownWeakAndLax = async (page: Page) => {
  await page.waitForSelector("[data-testid=org-indicators]")
  const block = page.locator("[data-testid=org-weak-and-lax]")
  if ((await block.count()) === 0) return null
  return {
    period: await block.getAttribute("data-period"),
    count: await page.textContent("[data-testid=org-weak-and-lax-count]"),
    target: await page.textContent("[data-testid=org-weak-and-lax-target]"),
    met: await block.getAttribute("data-met"),
    cleared: (await page.locator("[data-testid=org-weak-and-lax-met]").count()) === 1,
    flagged: await page
      .locator("[data-testid=org-weak-and-lax-body]")
      .evaluateAll((items) =>
        items.map((f) => ({ id: f.getAttribute("data-body-id"), name: f.textContent ?? "" }))
      )
  }
}

interface FoundingJson {
  readonly compoundId: string
  readonly done: ReadonlyArray<string>
  readonly next: string | null
  readonly founded: boolean
  readonly since: string
  readonly lastOn: string
  readonly foundedOn: string | null
}
interface RoundJson {
  readonly roundId: string
  readonly name: string
  readonly quota: number
  readonly placesTaken: number
  readonly nominees: ReadonlyArray<{
    readonly id: string
    readonly name: string | null
    readonly status: string
    readonly noticeFrom: string | null
    readonly noticeEnds: string | null
  }>
}
interface NoticesJson {
  readonly unitId: string
  readonly unitName: string | null
  readonly day: string
  readonly rounds: ReadonlyArray<{
    readonly name: string
    readonly quota: number
    readonly noticeDays: number
    readonly nominees: ReadonlyArray<{
      readonly name: string | null
      readonly noticeFrom: string
      readonly noticeEnds: string
    }>
  }>
}

const foundingSteps = ["find-members", "transfer-relations", "establish", "staff-committee", "pledge"]

/** The 小区党组织组建 section as `GET /compound-foundings` should show it. */
const expectedFoundings = (list: ReadonlyArray<FoundingJson>) =>
  list.map((f) => ({
    id: f.compoundId,
    done: f.done.join(","),
    next: f.next ?? "",
    founded: String(f.founded),
    since: f.since,
    lastOn: f.lastOn,
    foundedOn: f.foundedOn ?? "",
    steps: foundingSteps.map((step) => ({
      step,
      state: f.done.includes(step) ? "done" : f.next === step ? "next" : "todo"
    }))
  }))

/** The 小区党组织组建 section as shown. */
const shownFoundings = (page: Page) =>
  page.locator("[data-testid=org-founding]").evaluateAll((rows) =>
    rows.map((r) => ({
      id: r.getAttribute("data-compound-id"),
      done: r.getAttribute("data-done"),
      next: r.getAttribute("data-next"),
      founded: r.getAttribute("data-founded"),
      since: r.getAttribute("data-since"),
      lastOn: r.getAttribute("data-last-on"),
      foundedOn: r.getAttribute("data-founded-on"),
      steps: Array.from(r.querySelectorAll("[data-testid=org-founding-step]")).map((s) => ({
        step: s.getAttribute("data-step"),
        state: s.getAttribute("data-state")
      }))
    }))
  )

/** The 评选表彰 section as `GET /awards` should show it (names as the endpoint gives them). */
const expectedAwards = (rounds: ReadonlyArray<RoundJson>) =>
  rounds.map((r) => ({
    id: r.roundId,
    name: r.name,
    quota: String(r.quota),
    placesTaken: String(r.placesTaken),
    nominees: r.nominees.map((n) => ({
      id: n.id,
      name: n.name ?? n.id,
      status: n.status,
      from: n.noticeFrom ?? "",
      ends: n.noticeEnds ?? ""
    }))
  }))

/** The 评选表彰 section as shown. */
const shownAwards = (page: Page) =>
  page.locator("[data-testid=org-award]").evaluateAll((items) =>
    items.map((r) => ({
      id: r.getAttribute("data-round-id"),
      name: r.querySelector("[data-testid=org-award-name]")?.textContent ?? "",
      quota: r.getAttribute("data-quota"),
      placesTaken: r.getAttribute("data-places-taken"),
      nominees: Array.from(r.querySelectorAll("[data-testid=org-nominee]")).map((n) => ({
        id: n.getAttribute("data-person-id"),
        name: n.querySelector("[data-testid=org-nominee-name]")?.textContent ?? "",
        status: n.getAttribute("data-status"),
        from: n.getAttribute("data-notice-from"),
        ends: n.getAttribute("data-notice-ends")
      }))
    }))
  )

const signIn = async (page: Page, base: string, token: string) => {
  await page.goto(`${base}/app/`)
  await page.fill("input[name=token]", token)
  await page.click("form[data-testid=signin] button[type=submit]")
  await page.waitForSelector("[data-testid=who]")
}

layer(server, { excludeTestServices: true, timeout: "90 seconds" })("组织 and 公示牌 in Chromium", (it) => {
  it.effect(
    "组织: bodies, posts, party organisations and the 配备检查 exactly as the API answers, before and after the data is stored; 503 hides it",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const places = yield* Effect.promise(() => placesOf(base))
        const before = yield* Effect.promise(() => answers(base))
        const out = yield* withPage(
          async (page, errors) => {
            await signIn(page, base, staffToken)
            await page.click("header nav a[href='/app/organization']")
            const first = await shown(page, true)
            await shot(page, "org-1-before")
            return { first, errors }
          },
          [503]
        )
        expect(out.first).toEqual(expected(before, "zh"))

        // the organisation data stored: the page shows the new answers
        const data = yield* storeOrganisation(places)
        const after = yield* Effect.promise(() => answers(base))
        const indicators = yield* Effect.promise(() =>
          api<IndicatorsJson>(base, "/organisation/indicators", staffToken)
        )
        const out2 = yield* withPage(
          async (page, errors) => {
            await signIn(page, base, staffToken)
            await page.click("header nav a[href='/app/organization']")
            const zh = await shown(page, true)
            const indicatorsZh = await shownIndicators(page)
            const nav = await page.locator("header nav a").allTextContents()
            await shot(page, "org-2-stored")
            await page.locator("[data-testid=org-indicators]").screenshot({
              path: join(artifacts, "org-2-indicators.png")
            })
            await page.click("[data-testid=lang]")
            await page.waitForSelector("text=Staffing check")
            const en = await shown(page, true)
            const indicatorsEn = await shownIndicators(page)
            await shot(page, "org-3-stored-en")
            await page.click("[data-testid=lang]")

            // an empty jurisdiction (the endpoints answer no bodies, no party organisation, nothing broken):
            // the empty states, no error
            const emptyAnswer: Record<string, unknown> = {
              "/bodies": [],
              "/posts": [],
              "/party-organisations": [],
              "/staffing/check": { ...after.check, violations: [], memberships: [], appraisals: [] }
            }
            await page.route(
              (url) => url.pathname in emptyAnswer,
              (route) =>
                route.fulfill({
                  status: 200,
                  contentType: "application/json",
                  body: JSON.stringify(emptyAnswer[new URL(route.request().url()).pathname])
                })
            )
            await page.goto(`${base}/app/organization`)
            const empty = await shown(page, true)
            await shot(page, "org-4-empty")
            await page.unrouteAll()

            // a server without an organisation store (503 OrganizationUnavailable): said, no error shown
            let refused = 0
            await page.route(
              (url) =>
                ["/bodies", "/posts", "/party-organisations", "/staffing/check"].includes(url.pathname),
              (route) => {
                refused++
                return route.fulfill({
                  status: 503,
                  contentType: "application/json",
                  body: JSON.stringify({
                    _tag: "OrganizationUnavailable",
                    message: "组织与岗位未配置 — the organisation store is not configured"
                  })
                })
              }
            )
            await page.goto(`${base}/app/organization`)
            await page.waitForSelector("[data-testid=org-unavailable]")
            const unavailable = {
              page: await page.locator("[data-testid=org-page]").count(),
              shownErrors: await page.locator(".error").count()
            }
            await shot(page, "org-5-unavailable")
            return { zh, en, indicatorsZh, indicatorsEn, nav, empty, refused, unavailable, errors }
          },
          [503]
        )
        // what was stored is answered (the jurisdiction reads it) and shown
        const stored = new Set(after.bodies.map((b) => b.id))
        expect(data.bodies.every((b) => stored.has(b.id))).toBe(true)
        expect(after.party.find((p) => p.body.id === "web-branch")?.members.length).toBe(3)
        expect(after.check.violations.some((v) => v.rule === "deliberation-execution-separation")).toBe(true)
        expect(out2.zh).toEqual(expected(after, "zh"))
        // holders by the names GET /posts gives: the stored person named (masked or in full), never by id
        const li = after.posts.find((p) => p.id === "web-p2")
        expect(li?.holderName).toMatch(/^李/)
        expect(out2.zh.bodies.flatMap((b) => b.posts).find((p) => p.id === "web-p2")?.holder).toBe(
          li?.holderName
        )
        expect(out2.zh.party.find((p) => p.id === "web-party")?.holders.map((h) => h.holder)).toContain(
          li?.holderName
        )
        // the 组织指标 panel is the endpoint's answer, the stored bodies counted
        expect(out2.indicatorsZh).toEqual(expectedIndicators(indicators, "zh"))
        expect(out2.indicatorsEn).toEqual(expectedIndicators(indicators, "en"))
        expect(indicators.bodiesByKind.find((b) => b.kind === "residents-committee")?.count).toBeGreaterThan(
          0
        )
        expect(indicators.patterns.map((p) => p.unitId)).toContain(places.community)
        expect(out2.en).toEqual(expected(after, "en"))
        expect(out2.zh.bodiesEmpty).toBe(false)
        expect(out2.zh.violations.find((v) => v.rule === "deliberation-execution-separation")?.name).toBe(
          "议行分离"
        )
        expect(out2.nav).toContain("组织")
        expect(out2.empty).toEqual({
          bodies: [],
          party: [],
          violations: [],
          bodiesEmpty: true,
          partyEmpty: true,
          clean: true
        })
        expect(out2.refused).toBeGreaterThan(0)
        expect(out2.unavailable).toEqual({ page: 0, shownErrors: 0 })
        expect(out.errors).toEqual([])
        expect(out2.errors).toEqual([])
      })
  )

  it.effect(
    "干部考核: each cadre's light (colour and its name) and history by unit, exactly as GET /appraisals answers",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const places = yield* Effect.promise(() => placesOf(base))
        yield* storeOrganisation(places)
        yield* storeAppraisals(places)
        const answer = yield* Effect.promise(() => api<AppraisalsJson>(base, "/appraisals", staffToken))
        const out = yield* withPage(async (page, errors) => {
          await signIn(page, base, staffToken)
          await page.click("header nav a[href='/app/organization']")
          await page.waitForSelector("[data-testid=org-appraisal]")
          const zh = await shownAppraisals(page)
          await shot(page, "org-6-appraisals")
          await page.locator("[data-testid=org-appraisals]").screenshot({
            path: join(artifacts, "org-6-appraisals-section.png")
          })
          await page.click("[data-testid=lang]")
          await page.waitForSelector("text=Cadre appraisals (green, orange, red)")
          const en = await shownAppraisals(page)
          await page.locator("[data-testid=org-appraisals]").screenshot({
            path: join(artifacts, "org-7-appraisals-en.png")
          })
          await page.click("[data-testid=lang]")
          return { zh, en, errors }
        })
        expect(out.zh).toEqual(expectedAppraisals(answer, "zh"))
        expect(out.en).toEqual(expectedAppraisals(answer, "en"))
        // the stored appraisals are answered: the latest quarter's lights, the history oldest first
        const cadre = (id: string) => answer.cadres.find((c) => c.cadreId === id)
        expect(cadre("web-li")?.current).toMatchObject({ label: "2025-Q3", score: 88, light: "green" })
        expect(cadre("web-li")?.history.map((h) => h.light)).toEqual(["red", "orange", "green"])
        expect(cadre("web-zhao")?.current).toMatchObject({ label: "2025-Q3", light: "orange" })
        expect(cadre("web-sun")?.current.light).toBe("red")
        expect(cadre("web-zhao")?.unitId).toBe(places.compound)
        expect(out.zh.cadres.find((c) => c.id === "web-li")).toMatchObject({
          word: "绿灯",
          history: "red,orange,green",
          marks: "红橙绿"
        })
        expect(out.en.cadres.find((c) => c.id === "web-zhao")).toMatchObject({ word: "orange", marks: "GO" })
        // never the stored full name when the server masks names
        if (answer.namesMasked) expect(out.zh.cadres.map((c) => c.name)).not.toContain("李秀英")
        expect(out.errors).toEqual([])
      })
  )

  it.effect(
    "公示牌: without signing in, exactly what GET /directory answers without a token; printable",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const places = yield* Effect.promise(() => placesOf(base))
        yield* storeOrganisation(places)
        const board = yield* Effect.promise(() =>
          api<{
            readonly buildingId: string
            readonly buildingName: string
            readonly entries: ReadonlyArray<{
              readonly source: string
              readonly kind: string
              readonly kindZh: string
              readonly kindEn: string
              readonly bodyName?: string
              readonly gridId?: string
              readonly name?: string
              readonly phone?: string
            }>
          }>(base, `/directory/${encodeURIComponent(places.building)}`, null)
        )
        const out = yield* withPage(
          async (page, errors) => {
            await page.goto(`${base}/app/directory/${encodeURIComponent(places.building)}`)
            await page.waitForSelector("[data-testid=directory]")
            const rowsOf = () =>
              page.locator("[data-testid=directory-entry]").evaluateAll((rows) =>
                rows.map((r) => ({
                  source: r.getAttribute("data-source"),
                  kind: r.querySelector("[data-testid=directory-kind]")?.textContent ?? "",
                  body: r.querySelector("[data-testid=directory-body]")?.textContent ?? "",
                  name: r.querySelector("[data-testid=directory-person]")?.textContent ?? "",
                  phone: r.querySelector("[data-testid=directory-phone]")?.textContent ?? ""
                }))
              )
            const zh = {
              name: await page.textContent("[data-testid=directory-name]"),
              rows: await rowsOf(),
              text: (await page.textContent("body")) ?? "",
              signIn: await page.locator("[data-testid=signin]").count(),
              token: await page.evaluate(() => sessionStorage.getItem("civicgrid.token"))
            }
            await shot(page, "directory-1")
            await page.click("[data-testid=lang]")
            await page.waitForSelector("text=Who serves this building")
            const en = await rowsOf()
            await page.click("[data-testid=lang]")
            await page.waitForSelector("text=服务本楼栋的工作人员")
            // printed: the board without its buttons
            await page.emulateMedia({ media: "print" })
            const printed = {
              print: await page.isVisible("[data-testid=print]"),
              board: await page.isVisible("[data-testid=directory]")
            }
            await shot(page, "directory-2-print")
            mkdirSync(artifacts, { recursive: true })
            await page.pdf({ path: join(artifacts, "directory.pdf"), format: "A4" })
            await page.emulateMedia({ media: "screen" })
            // an unknown building: said so, no board
            await page.goto(`${base}/app/directory/no-such-building`)
            await page.waitForSelector("[data-testid=directory-error]")
            const unknown = await page.getAttribute("[data-testid=directory-error]", "data-tag")
            await shot(page, "directory-3-unknown")
            return { zh, en, printed, unknown, errors }
          },
          // the unknown building's 404
          [404]
        )
        const rows = (language: "zh" | "en") =>
          board.entries.map((e) => ({
            source: e.source,
            kind: language === "zh" ? e.kindZh : e.kindEn,
            body: e.bodyName ?? e.gridId ?? "",
            name: e.name ?? "",
            phone: e.phone ?? ""
          }))
        // the stored posts of the community and the compound serve the building
        expect(board.entries.some((e) => e.bodyName === "示范社区党委" && e.kind === "secretary")).toBe(true)
        expect(out.zh.name).toBe(board.buildingName)
        expect(out.zh.rows).toEqual(rows("zh"))
        expect(out.en).toEqual(rows("en"))
        // masked: never the stored full names or phones
        expect(out.zh.text).not.toContain("李秀英")
        expect(out.zh.text).not.toContain("13812345678")
        expect(out.zh.rows.some((r) => r.name.startsWith("李"))).toBe(true)
        expect(out.zh.signIn).toBe(0)
        expect(out.zh.token).toBeNull()
        expect(out.printed).toEqual({ print: false, board: true })
        expect(out.unknown).toBe("OrganizationNotFound")
        expect(out.errors).toEqual([])
      })
  )
  it.effect(
    "软弱涣散, 小区党组织组建 and 评选表彰 exactly as the endpoints answer; 评优公示 public with masked names only",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const places = yield* Effect.promise(() => placesOf(base))
        yield* storeOrganisation(places)
        const period = latestQuarter()
        const weakAndLax = () =>
          api<IndicatorsJson & { readonly weakAndLax: WeakAndLaxJson | null }>(
            base,
            `/organisation/indicators?period=${period}`,
            staffToken
          ).then((a) => a.weakAndLax)
        const openPage = async (page: Page) => {
          await page.goto(`${base}/app/organization`)
          await page.waitForSelector("[data-testid=org-foundings]")
        }

        // 软弱涣散: the 小区 branch flagged in the latest quarter, then cleared
        yield* flagBranch(true)
        const flagged = yield* Effect.promise(weakAndLax)
        const founding = (path: string, body: unknown) =>
          command<FoundingJson>(base, `/compound-foundings/${encodeURIComponent(path)}/commands`, {
            command: body
          })
        const round = (id: string, body: unknown) =>
          command<RoundJson>(base, `/awards/${id}/commands`, { command: body })
        // 小区党组织组建: three of the five steps, each on its day
        const compound = places.compound
        const members = ["web-zhao", "web-pm-1", "web-pm-2"]
        yield* Effect.promise(async () => {
          await founding(compound, {
            _tag: "FindMembers",
            communityId: places.community,
            memberIds: members,
            on: "2026-03-02"
          })
          await founding(compound, { _tag: "TransferRelations", memberIds: members, on: "2026-03-09" })
          await founding(compound, {
            _tag: "Establish",
            bodyId: "web-branch-2",
            kind: "compound-party-branch",
            name: "示范小区第二党支部",
            on: "2026-03-16"
          })
        })
        // 评选表彰: a round opened in the community, two nominees, one published for notice today
        yield* Effect.promise(async () => {
          await round("web-round-1", {
            _tag: "Open",
            unitId: places.community,
            name: "文明家庭",
            quota: 2,
            noticeDays: 5
          })
          await round("web-round-1", { _tag: "Nominate", nomineeId: "web-li" })
          await round("web-round-1", { _tag: "Nominate", nomineeId: "web-zhao" })
          await round("web-round-1", { _tag: "Publish", nomineeIds: ["web-li"] })
        })
        const [foundings, awards, notices] = yield* Effect.promise(() =>
          Promise.all([
            api<ReadonlyArray<FoundingJson>>(base, "/compound-foundings", staffToken),
            api<ReadonlyArray<RoundJson>>(base, "/awards", staffToken),
            api<NoticesJson>(base, `/award-notices/${encodeURIComponent(places.community)}`, null)
          ])
        )
        const out = yield* withPage(async (page, errors) => {
          await signIn(page, base, staffToken)
          await openPage(page)
          const first = {
            weakAndLax: await shownWeakAndLax(page),
            foundings: await shownFoundings(page),
            awards: await shownAwards(page)
          }
          await shot(page, "org-8-foundings-awards")
          await page.locator("[data-testid=org-indicators]").screenshot({
            path: join(artifacts, "org-8-weak-and-lax.png")
          })
          await page.locator("[data-testid=org-foundings]").screenshot({
            path: join(artifacts, "org-9-foundings.png")
          })
          await page.locator("[data-testid=org-awards]").screenshot({
            path: join(artifacts, "org-10-awards.png")
          })
          await page.click("[data-testid=lang]")
          await page.waitForSelector("text=Award rounds")
          const en = {
            foundings: await shownFoundings(page),
            awards: await shownAwards(page),
            steps: await page.locator("[data-testid=org-founding-step]").allTextContents()
          }
          await page.locator("[data-testid=org-foundings]").screenshot({
            path: join(artifacts, "org-9-foundings-en.png")
          })
          await page.click("[data-testid=lang]")
          return { first, en, errors }
        })
        yield* flagBranch(false)
        const cleared = yield* Effect.promise(weakAndLax)
        const out2 = yield* withPage(async (page, errors) => {
          await signIn(page, base, staffToken)
          await openPage(page)
          const shown = await shownWeakAndLax(page)
          const text = (await page.textContent("[data-testid=org-indicators]")) ?? ""
          await page.locator("[data-testid=org-indicators]").screenshot({
            path: join(artifacts, "org-11-weak-and-lax-cleared.png")
          })
          return { shown, text, errors }
        })
        // 评优公示: without signing in
        const pub = yield* withPage(
          async (page, errors) => {
            await page.goto(`${base}/app/award-notices/${encodeURIComponent(places.community)}`)
            await page.waitForSelector("[data-testid=award-notices]")
            const rounds = () =>
              page.locator("[data-testid=award-notice]").evaluateAll((items) =>
                items.map((r) => ({
                  name: r.querySelector("[data-testid=award-notice-name]")?.textContent ?? "",
                  quota: r.getAttribute("data-quota"),
                  nominees: Array.from(r.querySelectorAll("[data-testid=award-notice-nominee]")).map((n) => ({
                    name: n.querySelector("[data-testid=award-notice-nominee-name]")?.textContent ?? "",
                    from: n.getAttribute("data-notice-from"),
                    ends: n.getAttribute("data-notice-ends")
                  }))
                }))
              )
            const zh = {
              unitName: await page.textContent("[data-testid=award-notices-unit-name]"),
              rounds: await rounds(),
              text: (await page.textContent("body")) ?? "",
              signIn: await page.locator("[data-testid=signin]").count()
            }
            await shot(page, "award-notices-1")
            await page.click("[data-testid=lang]")
            await page.waitForSelector("text=Award notice")
            const en = await rounds()
            await shot(page, "award-notices-2-en")
            await page.click("[data-testid=lang]")
            await page.emulateMedia({ media: "print" })
            const printed = {
              print: await page.isVisible("[data-testid=print]"),
              board: await page.isVisible("[data-testid=award-notices]")
            }
            await shot(page, "award-notices-3-print")
            await page.emulateMedia({ media: "screen" })
            // an unknown unit: said so, no notice
            await page.goto(`${base}/app/award-notices/no-such-unit`)
            await page.waitForSelector("[data-testid=award-notices-error]")
            const unknown = await page.getAttribute("[data-testid=award-notices-error]", "data-tag")
            return { zh, en, printed, unknown, errors }
          },
          [404]
        )

        // the page's figures are the endpoints' answers
        expect(flagged?.period).toBe(period)
        expect(flagged?.met).toBe(false)
        expect(flagged?.flagged.map((f) => f.name)).toContain("示范小区党支部")
        expect(out.first.weakAndLax).toEqual(expectedWeakAndLax(flagged))
        expect(out.first.weakAndLax?.cleared).toBe(false)
        expect(out2.shown).toEqual(expectedWeakAndLax(cleared))
        expect(cleared?.flagged.map((f) => f.bodyId)).not.toContain("web-branch")
        if (cleared?.met === true) expect(out2.text).toContain("已清零")
        const mine = foundings.find((f) => f.compoundId === compound)
        expect(mine).toMatchObject({
          done: ["find-members", "transfer-relations", "establish"],
          next: "staff-committee",
          founded: false,
          since: "2026-03-02",
          lastOn: "2026-03-16"
        })
        expect(out.first.foundings).toEqual(expectedFoundings(foundings))
        const r1 = awards.find((r) => r.roundId === "web-round-1")
        expect(r1?.nominees.map((n) => n.status)).toEqual(["on-notice", "nominated"])
        expect(r1?.placesTaken).toBe(1)
        expect(out.first.awards).toEqual(expectedAwards(awards))
        expect(out.en.foundings).toEqual(expectedFoundings(foundings))
        expect(out.en.awards).toEqual(expectedAwards(awards))
        expect(out.en.steps.slice(0, 5).map((x) => x.replace(/[✓\d-]/g, "").trim())).toEqual([
          "find members",
          "transfer relations",
          "establish",
          "staff the committee",
          "pledge"
        ])
        // the public notice: the published nominee only, masked
        const publicRound = notices.rounds.find((r) => r.name === "文明家庭")
        expect(publicRound?.nominees).toHaveLength(1)
        expect(publicRound?.nominees[0]?.name).toMatch(/^李/)
        expect(publicRound?.nominees[0]?.name).not.toBe("李秀英")
        const expectedRounds = notices.rounds.map((r) => ({
          name: r.name,
          quota: String(r.quota),
          nominees: r.nominees.map((n) => ({
            name: n.name ?? "（未登记）",
            from: n.noticeFrom,
            ends: n.noticeEnds
          }))
        }))
        expect(pub.zh.rounds).toEqual(expectedRounds)
        expect(pub.en.map((r) => r.nominees.map((n) => n.name))).toEqual(
          notices.rounds.map((r) => r.nominees.map((n) => n.name ?? "(not recorded)"))
        )
        expect(pub.zh.unitName).toBe(notices.unitName ?? places.community)
        expect(pub.zh.text).not.toContain("李秀英")
        expect(pub.zh.text).not.toContain("赵建国")
        expect(pub.zh.text).not.toContain("web-li")
        expect(pub.zh.signIn).toBe(0)
        expect(pub.printed).toEqual({ print: false, board: true })
        expect(pub.unknown).toBe("OrganizationNotFound")
        expect(out.errors).toEqual([])
        expect(out2.errors).toEqual([])
        expect(pub.errors).toEqual([])
      })
  )
})
