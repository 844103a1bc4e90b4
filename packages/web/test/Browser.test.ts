/**
 * 指挥调度中心 as a person uses it: the example server app (`App.layer` of the demo, on a fresh in-memory
 * SQLite database seeded with a small demo district) with the web front end (`Web.layer`) on a real port,
 * driven by Debian's Chromium through playwright-core. Community staff sign in with their token, see the
 * board's numbers exactly as `GET /board` answers them, open a case from the workbench, act on it, get a
 * refusal in Chinese for a command its status does not allow, and see the map; a resident sees only its
 * own reports; a grid worker sees 我的待访 as `GET /visits/due` answers it and the 联户走访 panel as
 * `GET /visits/indicators` counts it, and neither when the server has no people store. No page logs an error. Screenshots of each page go to `test-artifacts/` (not committed),
 * with the time to the board's first paint.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as App from "@civicgrid/demo/App"
import * as District from "@civicgrid/demo/District"
import type * as Seed from "@civicgrid/demo/Seed"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core"
import * as Web from "../src/Web.js"

const chromiumPath = process.env["CIVICGRID_CHROMIUM"] ?? "/usr/bin/chromium"
const artifacts = fileURLToPath(new URL("../test-artifacts/", import.meta.url))
const small: Seed.Options = { district: District.makeDefault(), cases: { count: 40 } }

const server = App.layer({
  databaseName: "SQLite :memory:",
  seed: small,
  log: () => undefined,
  scheduler: { enabled: false }
}).pipe(
  Layer.provide(Web.layer()),
  Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })),
  Layer.provide(SqliteClient.layer({ filename: ":memory:" })),
  Layer.orDie
)

const baseUrl = HttpServer.addressWith((address) =>
  Effect.succeed(`http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}`)
)

/** The JSON of an API call with a bearer token. */
const api = <A>(base: string, path: string, token: string): Promise<A> =>
  fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(async (response) => {
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
    return (await response.json()) as A
  })

/** Reports `count` cases in the first 小区 of the principal's community, in a category the seed uses. */
const reportIn = async (base: string, token: string, count: number): Promise<void> => {
  const { unitId } = await api<{ readonly unitId: string }>(base, "/board", token)
  const children = await api<ReadonlyArray<{ readonly id: string }>>(
    base,
    `/hierarchy/units/${encodeURIComponent(unitId)}/children`,
    token
  )
  // points inside the community's first two grids with a boundary, for the map: the first two reports in
  // the first grid, the third in the second (each between its first ring's vertex average, where the grid's
  // label is drawn, and its first vertex — inside a convex grid such as the demo's rectangles)
  const grids = await api<
    ReadonlyArray<{ readonly boundary?: { readonly coordinates: ReadonlyArray<unknown> } }>
  >(base, `/hierarchy/units/${encodeURIComponent(unitId)}/grids`, token)
  const rings = grids.flatMap((g) =>
    g.boundary === undefined
      ? []
      : [(g.boundary.coordinates[0] ?? []) as ReadonlyArray<readonly [number, number]>]
  )
  const positionOf = (n: number): readonly [number, number] | undefined => {
    const inner = (rings[n < 2 ? 0 : Math.min(1, rings.length - 1)] ?? []).slice(0, -1)
    const corner = inner[0]
    if (corner === undefined) return undefined
    const x = inner.reduce((a, p) => a + p[0], 0) / inner.length
    const y = inner.reduce((a, p) => a + p[1], 0) / inner.length
    const f = n === 1 ? 0.6 : 0.4
    return [x + f * (corner[0] - x), y + f * (corner[1] - y)]
  }
  const seeded = await api<{ readonly items: ReadonlyArray<{ readonly categoryId: string }> }>(
    base,
    "/cases?limit=1",
    "demo-district-staff"
  )
  for (let n = 0; n < count; n++) {
    const position = positionOf(n)
    const response = await fetch(`${base}/cases`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        categoryId: seeded.items[0]?.categoryId,
        description: `小区 ${n + 1} 号楼旁垃圾堆放，影响通行`,
        location: { unitId: children[0]?.id ?? unitId, ...(position === undefined ? {} : { position }) }
      })
    })
    if (response.status !== 201) throw new Error(`report: ${response.status} ${await response.text()}`)
  }
}

/** The labels of the `count` months ending with `end` (`YYYY-MM`), oldest first. */
const monthsUntil = (end: string, count: number): ReadonlyArray<string> => {
  const last = Number(end.slice(0, 4)) * 12 + Number(end.slice(5, 7)) - 1
  return Array.from({ length: count }, (_, k) => {
    const index = last - (count - 1 - k)
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`
  })
}

/** The token of the staff of each tier (当前处置层级工作人员). */
const tierTokens: Record<string, string> = {
  community: "demo-community-staff",
  street: "demo-street-staff",
  district: "demo-district-staff"
}

/** The Chinese names the timeline shows for the events of the loop. */
const eventNamesZh: Record<string, string> = {
  Reported: "采集上报",
  Accepted: "立案",
  Dispatched: "指挥派遣",
  Handled: "处理反馈",
  VerificationPassed: "核查通过",
  Closed: "结案",
  Evaluated: "回访评价"
}

/** Reports one case in the principal's community through the API; its id. */
const reportOne = async (base: string, token: string, description: string): Promise<string> => {
  const { unitId } = await api<{ readonly unitId: string }>(base, "/board", token)
  const children = await api<ReadonlyArray<{ readonly id: string }>>(
    base,
    `/hierarchy/units/${encodeURIComponent(unitId)}/children`,
    token
  )
  const seeded = await api<{ readonly items: ReadonlyArray<{ readonly categoryId: string }> }>(
    base,
    "/cases?limit=1",
    "demo-district-staff"
  )
  const response = await fetch(`${base}/cases`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      categoryId: seeded.items[0]?.categoryId,
      description,
      location: { unitId: children[0]?.id ?? unitId }
    })
  })
  if (response.status !== 201) throw new Error(`report: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { readonly caseId: string }).caseId
}

interface BoardJson {
  readonly open: ReadonlyArray<{
    readonly status: string
    readonly light: string | null
    readonly count: number
  }>
  readonly overdue: ReadonlyArray<{ readonly tier: string; readonly count: number }>
  readonly escalatedToday: number
  readonly closedToday: number
  readonly supervised: number
}

/** The board's numbers as the overview should show them. */
const boardNumbers = (board: BoardJson) => ({
  open: board.open.reduce((n, c) => n + c.count, 0),
  overdue: board.overdue.reduce((n, c) => n + c.count, 0),
  escalated: board.escalatedToday,
  closed: board.closedToday,
  supervised: board.supervised,
  cells: board.open.map((c) => c.count)
})

/** The board's numbers as the overview shows them (the cells of `board`'s rows). */
const boardShown = async (page: Page, board: BoardJson) => ({
  open: Number(await page.textContent("[data-testid=board-open]")),
  overdue: Number(await page.textContent("[data-testid=board-overdue]")),
  escalated: Number(await page.textContent("[data-testid=board-escalated]")),
  closed: Number(await page.textContent("[data-testid=board-closed]")),
  supervised: Number(await page.textContent("[data-testid=board-supervised]")),
  cells: await Promise.all(
    board.open.map(async (c) =>
      Number(await page.textContent(`[data-testid=cell-${c.status}-${c.light ?? "none"}]`))
    )
  )
})

/** A browser context whose page errors and console errors are collected (expected HTTP statuses aside). */
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
        const context: BrowserContext = await browser.newContext({
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

const signIn = async (page: Page, base: string, token: string) => {
  await page.goto(`${base}/app/`)
  await page.fill("input[name=token]", token)
  await page.click("form[data-testid=signin] button[type=submit]")
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })

/** A case point as the map drew it: its pixel in the map element, and the canvas' colours there and beside it. */
interface DrawnPoint {
  readonly caseId: string
  readonly light: string
  readonly x: number
  readonly y: number
  /** The canvas pixel at the point's centre (`#rrggbb`). */
  readonly colour: string
  /** The canvas pixel 9 px left of it (clear of the symbol): the fill of the grid it lies in. */
  readonly beside: string
}

/**
 * The map once drawn with a shading: its size, each grid's count, every point as drawn (read from the
 * canvas itself, so a point not painted shows the grid's fill instead of its colour), and the legend's
 * colours (of each class of counts, of each light).
 */
const mapDrawn = async (page: Page, shading: "open" | "red") => {
  const map = page.locator(`[data-testid=map] .map[data-drawn=${shading}]`)
  await map.waitFor()
  const drawn = await map.evaluate((element) => {
    const canvas = element.querySelector("canvas")
    const context = canvas?.getContext("2d")
    const scale = canvas === null || canvas === undefined ? 1 : canvas.width / canvas.clientWidth
    const hex = (x: number, y: number): string => {
      const d = context?.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data
      return d === undefined
        ? ""
        : `#${[d[0], d[1], d[2]].map((v) => (v ?? 0).toString(16).padStart(2, "0")).join("")}`
    }
    const points = JSON.parse(element.getAttribute("data-points") ?? "[]") as ReadonlyArray<{
      readonly caseId: string
      readonly light: string
      readonly x: number
      readonly y: number
    }>
    return {
      width: element.clientWidth,
      height: element.clientHeight,
      counts: JSON.parse(element.getAttribute("data-grid-counts") ?? "{}") as Record<string, number>,
      points: points.map((p) => ({ ...p, colour: hex(p.x, p.y), beside: hex(p.x - 9, p.y) }))
    }
  })
  const bins = await page.locator("[data-testid=legend-bin]").evaluateAll((items) =>
    items.map((li) => ({
      min: Number(li.getAttribute("data-min")),
      max: Number(li.getAttribute("data-max")),
      colour: li.querySelector("[data-colour]")?.getAttribute("data-colour") ?? ""
    }))
  )
  const lights = await page
    .locator("[data-testid=legend-light]")
    .evaluateAll((items) =>
      items.map(
        (li) =>
          [
            li.getAttribute("data-light") ?? "",
            li.querySelector("[data-colour]")?.getAttribute("data-colour") ?? ""
          ] as const
      )
    )
  return {
    ...drawn,
    points: drawn.points as ReadonlyArray<DrawnPoint>,
    bins,
    lights: Object.fromEntries(lights)
  }
}

interface VisitsDueJson {
  readonly date: string
  readonly due: ReadonlyArray<{
    readonly planId: string
    readonly householdId: string
    readonly color: string
    readonly overdue: boolean
    readonly daysOverdue: number
  }>
}

interface VisitIndicatorsJson {
  readonly visits: number
  readonly onTimeVisitRate: { readonly numerator: number; readonly denominator: number }
  readonly proxyClosureRate: { readonly numerator: number; readonly denominator: number }
  readonly proactiveDiscoveryShare: { readonly numerator: number; readonly denominator: number }
}

interface VisitsDueCountsJson {
  readonly dueToday: number
  readonly overdue: number
  readonly green: number
  readonly yellow: number
  readonly red: number
}

/** A visit due as 我的待访 should show it: plan, light, the household's label, the days overdue. */
const rowOf = (labelOf: ReadonlyMap<string, string>) => (d: VisitsDueJson["due"][number]) => ({
  planId: d.planId,
  light: d.color,
  household: labelOf.get(d.householdId) ?? "",
  daysOverdue: d.overdue ? String(d.daysOverdue) : "—"
})

mkdirSync(artifacts, { recursive: true })

layer(server, { excludeTestServices: true, timeout: "90 seconds" })("指挥调度中心 in Chromium", (it) => {
  it.effect("the server answers the app beside the API, never in its place", () =>
    Effect.gen(function* () {
      const base = yield* baseUrl
      const result = yield* Effect.promise(async () => {
        const index = await fetch(`${base}/app/`)
        const html = await index.text()
        const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? ""
        const asset = await fetch(`${base}${script}`, { headers: { "accept-encoding": "gzip" } })
        const deep = await fetch(`${base}/app/cases/c-anything`)
        const missing = await fetch(`${base}/app/assets/missing-0000.js`)
        const root = await fetch(`${base}/`)
        const health = await fetch(`${base}/health`)
        const openapi = await fetch(`${base}/openapi.json`)
        const cases = await fetch(`${base}/cases`)
        const docs = await fetch(`${base}/docs`)
        return {
          index: [index.status, index.headers.get("content-type"), index.headers.get("cache-control")],
          script,
          asset: [asset.status, asset.headers.get("content-type"), asset.headers.get("cache-control")],
          deep: [deep.status, (await deep.text()) === html],
          missing: missing.status,
          root: [root.status, (await root.text()) === html],
          health: [health.status, ((await health.json()) as { status: string }).status],
          openapi: [openapi.status, ((await openapi.json()) as { openapi: string }).openapi.slice(0, 2)],
          cases: [cases.status, ((await cases.json()) as { _tag: string })._tag],
          docs: [docs.status, (await docs.text()).includes("swagger")]
        }
      })
      expect(result.index).toEqual([200, "text/html; charset=utf-8", "no-cache"])
      expect(result.script).toMatch(/^\/app\/assets\/index-[\w-]+\.js$/)
      expect(result.asset).toEqual([
        200,
        "text/javascript; charset=utf-8",
        "public, max-age=31536000, immutable"
      ])
      expect(result.deep).toEqual([200, true])
      expect(result.missing).toBe(404)
      expect(result.root).toEqual([200, true])
      expect(result.health).toEqual([200, "ok"])
      expect(result.openapi).toEqual([200, "3."])
      expect(result.cases).toEqual([401, "Unauthorized"])
      expect(result.docs).toEqual([200, true])
    })
  )

  it.effect(
    "community staff: the board as the API counts it, a case from the workbench, a command, a refusal in Chinese, the map",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const token = "demo-community-staff"
        // a few new reports in the community (the small seed's year of cases may leave it none open)
        yield* Effect.promise(() => reportIn(base, token, 3))
        const board = yield* Effect.promise(() => api<BoardJson>(base, "/board", token))
        // the trends as the API counts them before the page acts: every month with data, in one call
        const metrics = yield* Effect.promise(() =>
          api<{
            readonly periods: ReadonlyArray<{
              readonly label: string
              readonly indicators: Record<
                string,
                { readonly numerator: number; readonly denominator: number }
              >
            }>
          }>(base, "/metrics/indicators?period=month", token)
        )
        const out = yield* withPage(
          async (page, errors) => {
            await signIn(page, base, token)
            await page.waitForSelector("[data-testid=board-open]")
            await page.waitForSelector("[data-testid=scorecard] table, [data-testid=scorecard] .error")
            const shown = {
              open: Number(await page.textContent("[data-testid=board-open]")),
              overdue: Number(await page.textContent("[data-testid=board-overdue]")),
              escalated: Number(await page.textContent("[data-testid=board-escalated]")),
              closed: Number(await page.textContent("[data-testid=board-closed]")),
              supervised: Number(await page.textContent("[data-testid=board-supervised]")),
              cells: await Promise.all(
                board.open.map(async (c) =>
                  Number(await page.textContent(`[data-testid=cell-${c.status}-${c.light ?? "none"}]`))
                )
              )
            }
            const title = await page.textContent("header h1")
            // 月度趋势: every month's rate of the four indicators, its counts on hover
            await page.waitForSelector("[data-testid=trends] table")
            const trends = await page
              .locator("[data-testid=trends] td[title]")
              .evaluateAll((cells) =>
                cells.map((c) => [c.getAttribute("data-testid"), c.getAttribute("title"), c.textContent])
              )
            await shot(page, "1-overview")

            // time to the board's numbers: a cold load (a new browser context, nothing cached, the token
            // already in sessionStorage), then a reload (the hashed assets cached)
            const measure = (p: Page) =>
              p.evaluate(() => ({
                boardVisibleMs: Math.round(performance.now()),
                firstContentfulPaintMs: Math.round(
                  performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1
                ),
                domContentLoadedMs: Math.round(
                  (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)
                    ?.domContentLoadedEventEnd ?? -1
                )
              }))
            const cold = await page
              .context()
              .browser()
              ?.newContext({ viewport: { width: 1280, height: 860 } })
            const coldPage = await cold?.newPage()
            await coldPage?.addInitScript((t) => sessionStorage.setItem("civicgrid.token", t), token)
            await coldPage?.goto(`${base}/app/`)
            await coldPage?.waitForSelector("[data-testid=board-open]")
            const coldTiming = coldPage === undefined ? undefined : await measure(coldPage)
            await cold?.close()
            await page.reload()
            await page.waitForSelector("[data-testid=board-open]")
            const warm = await measure(page)

            await page.click("header nav a[href='/app/workbench']")
            await page.waitForSelector("[data-testid=case-row]")
            const rows = await page.locator("[data-testid=case-row]").count()
            await shot(page, "2-workbench")
            const caseId =
              (await page.locator("[data-testid=case-row]").first().getAttribute("data-case-id")) ?? ""
            await page.locator("[data-testid=case-row]").first().click()
            await page.waitForSelector("[data-testid=timeline] [data-testid=event]")
            const url = page.url()
            const eventsBefore = await page.locator("[data-testid=event]").count()
            const status = (await page.textContent("[data-testid=case-status]")) ?? ""

            // a valid command: the first one the status suggests (立案 for a new report), with a note
            await page.fill("textarea[name=note]", "已电话联系当事人，明日上门核实")
            await page.click("[data-testid=submit-command]")
            await page.waitForSelector("[data-testid=command-done]")
            await page.waitForFunction(
              (n) => document.querySelectorAll("[data-testid=event]").length > n,
              eventsBefore
            )
            const eventsAfter = await page.locator("[data-testid=event]").count()
            const lastEvent = await page.locator("[data-testid=event]").last().textContent()
            const statusAfter = (await page.textContent("[data-testid=case-status]")) ?? ""
            await shot(page, "3-case-accepted")

            // an invalid one: accept again, now that the case awaits dispatch
            await page.selectOption("select[name=command]", "accept")
            await page.click("[data-testid=submit-command]")
            await page.waitForSelector("[data-testid=refusal]")
            const refusal = (await page.textContent("[data-testid=refusal]")) ?? ""
            await shot(page, "4-case-refused")

            // the map reads its points in one request, not one per case
            const mapReads: Array<string> = []
            page.on("request", (r) => {
              const path = new URL(r.url()).pathname
              if (path === "/map/cases" || path.startsWith("/cases")) mapReads.push(path)
            })
            await page.click("header nav a[href='/app/map']")
            await page.waitForSelector("[data-testid=map-summary]")
            const drawnOpen = await mapDrawn(page, "open")
            const map = (await page.textContent("[data-testid=map-summary]")) ?? ""
            await shot(page, "5-map")
            // shaded by red lights instead
            await page.click("[data-testid=shade-red]")
            const drawnRed = await mapDrawn(page, "red")
            await shot(page, "5-map-red")
            // what the map page read (the case page, opened next, reads its case)
            const mapPageReads = [...mapReads]
            // a click on a point opens its case
            const box = await page.locator("[data-testid=map] .map").boundingBox()
            const target = drawnOpen.points[0]
            if (box !== null && target !== undefined)
              await page.mouse.click(box.x + target.x, box.y + target.y)
            // (a miss is reported by the assertions below, after those on the drawing)
            await page
              .waitForSelector("[data-testid=case-detail] [data-testid=case-status]", { timeout: 5000 })
              .catch(() => undefined)
            const clicked = { caseId: target?.caseId, url: page.url() }
            const mapPoints = await api<{
              readonly items: ReadonlyArray<{
                readonly caseId: string
                readonly light: string | null
                readonly position: readonly [number, number] | null
              }>
            }>(base, "/map/cases", token)
            // where the server places each point (the same point location as a report's routing)
            const placed = await Promise.all(
              mapPoints.items.flatMap((p) =>
                p.position === null
                  ? []
                  : [
                      api<{ readonly placedBy: string; readonly grid: { readonly id: string } | null }>(
                        base,
                        `/grids/locate?long=${p.position[0]}&lat=${p.position[1]}`,
                        token
                      ).then((r) => ({
                        caseId: p.caseId,
                        light: p.light,
                        gridId: r.placedBy === "position" ? (r.grid?.id ?? null) : null
                      }))
                    ]
              )
            )
            return {
              shown,
              title,
              timing: { cold: coldTiming, warm },
              rows,
              caseId,
              url,
              status,
              statusAfter,
              eventsBefore,
              eventsAfter,
              lastEvent,
              refusal,
              map,
              mapReads: mapPageReads,
              mapPoints: mapPoints.items.filter((p) => p.position !== null).length,
              drawnOpen,
              drawnRed,
              placed,
              clicked,
              trends,
              errors
            }
          },
          [422]
        )
        expect(out.title).toBe("指挥调度中心")
        // the 12 months up to the latest with data
        const months = monthsUntil(metrics.periods[metrics.periods.length - 1]?.label ?? "", 12)
        const byLabel = new Map(metrics.periods.map((p) => [p.label, p.indicators]))
        const expected = ["acceptance-closure", "on-time-closure", "rework", "satisfaction"].flatMap((id) =>
          months.map((m) => {
            const r = byLabel.get(m)?.[id] ?? { numerator: 0, denominator: 0 }
            return {
              id: `trend-${id}-${m}`,
              counts: `${r.numerator} / ${r.denominator}`,
              noData: r.denominator === 0
            }
          })
        )
        expect(out.trends.map(([id]) => id)).toEqual(expected.map((e) => e.id))
        out.trends.forEach(([, hover, text], i) => {
          expect(hover).toContain(expected[i]?.counts)
          if (expected[i]?.noData) expect(text).toBe("—")
          else expect(text).toMatch(/^\d+%$/)
        })
        expect(out.trends[0]?.[1]).toMatch(/^受理办结率 \d{4}-\d{2}: /)
        expect(out.shown).toEqual({
          open: board.open.reduce((n, c) => n + c.count, 0),
          overdue: board.overdue.reduce((n, c) => n + c.count, 0),
          escalated: board.escalatedToday,
          closed: board.closedToday,
          supervised: board.supervised,
          cells: board.open.map((c) => c.count)
        })
        expect(out.shown.open).toBeGreaterThan(0)
        expect(out.rows).toBeGreaterThan(0)
        expect(out.url).toBe(`${base}/app/cases/${encodeURIComponent(out.caseId)}`)
        expect(out.eventsAfter).toBe(out.eventsBefore + 1)
        expect(out.status).toBe("待立案")
        expect(out.statusAfter).toBe("待派遣")
        expect(out.lastEvent).toContain("立案")
        expect(out.refusal).toContain("指令被拒")
        // the rule in plain Chinese: the command, the status that does not allow it
        expect(out.refusal).toContain("不能立案：当前状态（待派遣）不允许此操作")
        // the community's grids, and the new reports as points (one was accepted: still open)
        expect(out.map).toMatch(/^网格 [1-9]\d* 个，案件点位 [1-9]\d* 个$/)
        expect(out.map).toContain(`案件点位 ${out.mapPoints} 个`)
        expect(out.mapReads).toEqual(["/map/cases"])
        // every point is painted inside the map, in its light's colour as the legend shows it
        expect(out.drawnOpen.points.map((p) => p.caseId).sort()).toEqual(
          out.placed.map((p) => p.caseId).sort()
        )
        expect(out.drawnOpen.points.length).toBe(out.mapPoints)
        for (const p of out.drawnOpen.points) {
          expect(p.x).toBeGreaterThan(0)
          expect(p.x).toBeLessThan(out.drawnOpen.width)
          expect(p.y).toBeGreaterThan(0)
          expect(p.y).toBeLessThan(out.drawnOpen.height)
          expect(p.colour).toBe(out.drawnOpen.lights[p.light])
        }
        // each grid's count is its points as the server locates them; its fill is the legend's for it
        const gridOf = new Map(out.placed.map((p) => [p.caseId, p.gridId]))
        const tally = (red: boolean) => {
          const counts: Record<string, number> = {}
          for (const p of out.placed) {
            if (p.gridId !== null && (!red || p.light === "red"))
              counts[p.gridId] = (counts[p.gridId] ?? 0) + 1
          }
          return counts
        }
        const nonZero = (counts: Record<string, number>) =>
          Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0))
        expect(nonZero(out.drawnOpen.counts)).toEqual(tally(false))
        expect(nonZero(out.drawnRed.counts)).toEqual(tally(true))
        expect(Object.keys(tally(false)).length).toBeGreaterThan(1)
        for (const drawn of [out.drawnOpen, out.drawnRed]) {
          for (const p of drawn.points) {
            const count = drawn.counts[gridOf.get(p.caseId) ?? ""] ?? 0
            expect(p.beside).toBe(drawn.bins.find((b) => count >= b.min && count <= b.max)?.colour)
          }
        }
        // two grids with different counts (2 and 1 new reports) are filled differently
        expect(new Set(out.drawnOpen.points.map((p) => p.beside)).size).toBeGreaterThan(1)
        expect(out.drawnRed.bins.map((b) => b.colour)).not.toEqual(out.drawnOpen.bins.map((b) => b.colour))
        // the click on a point opened its case
        expect(out.clicked.url).toBe(`${base}/app/cases/${encodeURIComponent(out.clicked.caseId ?? "")}`)
        expect(out.errors).toEqual([])
        writeFileSync(join(artifacts, "timing.json"), `${JSON.stringify(out.timing, null, 2)}\n`)
        console.log(`overview timing (ms): ${JSON.stringify(out.timing)}`)
      })
  )

  it.effect(
    "the closed loop in the workbench: 立案 → 派遣 → 处置 → 核查 → 评价, each by the role that may, then the timeline and the board",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const reporter = "demo-community-staff"
        const caseId = yield* Effect.promise(() => reportOne(base, reporter, "井盖破损，夜间行人易绊倒"))
        const view = yield* Effect.promise(() =>
          api<{ readonly summary: { readonly tier: string; readonly categoryId: string } }>(
            base,
            `/cases/${encodeURIComponent(caseId)}`,
            "demo-district-staff"
          )
        )
        // 当前处置层级工作人员 act for the tier that owns the case; 所属社区工作人员 make the return visit
        const owner = tierTokens[view.summary.tier] ?? reporter
        const out = yield* withPage(
          async (page, errors) => {
            const steps: Array<string> = []
            let rowCategory = ""
            /** Signs in (out first, when signed in), opens the case from the workbench, sends one command. */
            const act = async (
              token: string,
              command: string,
              fill: () => Promise<void>,
              status: string,
              filter?: string
            ) => {
              if ((await page.locator("[data-testid=signout]").count()) > 0)
                await page.click("[data-testid=signout]")
              await signIn(page, base, token)
              await page.waitForSelector("header nav")
              await page.click("header nav a[href='/app/workbench']")
              if (filter !== undefined)
                await page.selectOption("[data-testid=workbench] select[name=status]", filter)
              const row = `[data-testid=case-row][data-case-id="${caseId}"]`
              await page.waitForSelector(row)
              await page.waitForFunction(
                ([r, code]) =>
                  document.querySelector(`${r} [data-testid=row-category]`)?.textContent?.trim() !== code,
                [row, view.summary.categoryId] as const
              )
              rowCategory = (await page.textContent(`${row} [data-testid=row-category]`)) ?? ""
              await page.click(row)
              await page.waitForSelector("[data-testid=command-form]")
              await page.selectOption("select[name=command]", command)
              await fill()
              await page.click("[data-testid=submit-command]")
              await page.waitForFunction(
                (s) => document.querySelector("[data-testid=case-status]")?.textContent === s,
                status,
                { timeout: 10_000 }
              )
              steps.push(`${token} ${command} → ${status}`)
              await shot(page, `8-loop-${command}`)
            }
            await act(owner, "accept", () => page.fill("textarea[name=note]", "属实，予以立案"), "待派遣")
            await act(
              owner,
              "dispatch",
              async () => {
                await page.selectOption("select[name=target]", "department:drainage")
                await page.fill("textarea[name=note]", "请排水公司两日内更换井盖")
              },
              "处置中"
            )
            await act(
              "demo-department",
              "handle",
              async () => {
                await page.fill("textarea[name=note]", "已更换井盖并加固")
                await page.fill("textarea[name=evidence]", "https://example.org/photo/after.jpg")
              },
              "待核查"
            )
            await act(
              owner,
              "verify",
              async () => {
                await page.selectOption("select[name=outcome]", "pass")
              },
              "已结案"
            )
            await act(
              reporter,
              "evaluate",
              async () => {
                await page.selectOption("select[name=rating]", "satisfied")
                await page.fill("textarea[name=note]", "回访居民，表示满意")
              },
              "已评价",
              // closed cases await the return visit: the workbench's 待回访 filter
              "closed"
            )
            const timeline = await page
              .locator("[data-testid=timeline] [data-testid=event] b")
              .allTextContents()
            // the names come from the catalogue once it is read: wait for them to replace the code
            await page.waitForFunction(
              (code) => document.querySelector("[data-testid=case-category]")?.textContent?.trim() !== code,
              view.summary.categoryId
            )
            const category = await page.textContent("[data-testid=case-category]")
            // the overview of the unit that reported, against the API's board read at the same moment
            if (owner !== reporter) {
              await page.click("[data-testid=signout]")
              await signIn(page, base, reporter)
            }
            await page.waitForSelector("header nav")
            await page.click("header nav a[href='/app/']")
            await page.waitForSelector("[data-testid=board-open]")
            const board = await api<BoardJson>(base, "/board", reporter)
            const shown = await boardShown(page, board)
            return { steps, timeline, category, rowCategory, board, shown, errors }
            // a department has no jurisdiction: the board answers it 404 at sign-in
          },
          [404]
        )
        const events = yield* Effect.promise(() =>
          api<ReadonlyArray<{ readonly _tag: string }>>(
            base,
            `/cases/${encodeURIComponent(caseId)}/events`,
            "demo-district-staff"
          )
        )
        expect(out.steps).toHaveLength(5)
        // the category by its name in the catalogue (the server's Open311 discovery), not its code
        const services = yield* Effect.promise(() =>
          fetch(`${base}/open311/v2/services.json`).then(
            (r) =>
              r.json() as Promise<
                ReadonlyArray<{ readonly service_code: string; readonly service_name: string }>
              >
          )
        )
        const categoryName = services.find((s) => s.service_code === view.summary.categoryId)?.service_name
        expect(categoryName).toBeDefined()
        expect(out.category?.trim()).toBe(categoryName)
        expect(out.rowCategory.trim()).toBe(categoryName)
        // every event, in order, by its Chinese name
        expect(out.timeline).toEqual(events.map((e) => eventNamesZh[e._tag] ?? e._tag))
        for (const name of ["采集上报", "立案", "指挥派遣", "处理反馈", "核查通过", "回访评价"])
          expect(out.timeline).toContain(name)
        expect(out.shown).toEqual(boardNumbers(out.board))
        expect(out.errors).toEqual([])
      })
  )

  it.effect(
    "大屏: the board full screen, pushed by server-sent events (a report shows without a poll), polling where the stream is refused",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const token = "demo-community-staff"
        const out = yield* withPage(
          async (page, errors) => {
            await signIn(page, base, token)
            await page.waitForSelector("[data-testid=board-open]")
            // an hour between polls: only the change stream can bring the report within the test
            await page.goto(`${base}/app/wall?interval=3600`)
            await page.waitForSelector("[data-testid=wall-open]")
            await page.waitForFunction(() =>
              document.querySelector("[data-testid=wall-refreshed]")?.textContent?.includes("实时推送")
            )
            const before = Number(await page.textContent("[data-testid=wall-open]"))
            const refreshedBefore = (await page.textContent("[data-testid=wall-refreshed]")) ?? ""
            const large = await page
              .locator("[data-testid=wall-open]")
              .evaluate((e) => Number.parseFloat(getComputedStyle(e).fontSize))
            const boardReads: Array<number> = []
            page.on("request", (r) => {
              if (new URL(r.url()).pathname === "/board") boardReads.push(Date.now())
            })
            await shot(page, "9-wall")
            // a report through the API: the stream says `changed`, the wall reads the board again
            const reportedAt = Date.now()
            await reportIn(base, token, 1)
            await page.waitForFunction(
              (n) => Number(document.querySelector("[data-testid=wall-open]")?.textContent) === n,
              before + 1,
              { timeout: 10_000 }
            )
            const pushedInMs = Date.now() - reportedAt
            const reads = boardReads.length
            const board = await api<BoardJson>(base, "/board", token)
            const after = Number(await page.textContent("[data-testid=wall-open]"))
            const overdue = Number(await page.textContent("[data-testid=wall-overdue]"))
            const refreshedAfter = (await page.textContent("[data-testid=wall-refreshed]")) ?? ""
            const header = await page.locator("header nav").count()
            await shot(page, "10-wall-pushed")

            // where the stream is unavailable (here: refused with a 503), the wall polls every interval
            await page.route("**/board/changes", (route) => route.fulfill({ status: 503, body: "" }))
            await page.goto(`${base}/app/wall?interval=1`)
            await page.waitForSelector("[data-testid=wall-open]")
            const polledBefore = Number(await page.textContent("[data-testid=wall-open]"))
            await reportIn(base, token, 1)
            await page.waitForFunction(
              (n) => Number(document.querySelector("[data-testid=wall-open]")?.textContent) === n,
              polledBefore + 1,
              { timeout: 10_000 }
            )
            const polledLabel = (await page.textContent("[data-testid=wall-refreshed]")) ?? ""
            await shot(page, "11-wall-polling")
            return {
              before,
              after,
              overdue,
              board,
              refreshedBefore,
              refreshedAfter,
              large,
              header,
              boardReads: reads,
              pushedInMs,
              polledBefore,
              polledLabel,
              errors
            }
          },
          [503]
        )
        expect(out.after).toBe(out.before + 1)
        expect(out.after).toBe(boardNumbers(out.board).open)
        expect(out.overdue).toBe(boardNumbers(out.board).overdue)
        expect(out.refreshedBefore).toMatch(/^更新于 .+ · 实时推送$/)
        expect(out.refreshedAfter).toMatch(/^更新于 .+ · 实时推送$/)
        // one read of the board for the one change (the hourly poll never ran)
        expect(out.boardReads).toBe(1)
        expect(out.polledBefore).toBe(out.after)
        expect(out.polledLabel).toMatch(/^更新于 .+ · 每 1 秒刷新$/)
        // large type, and no navigation: the board alone
        expect(out.large).toBeGreaterThanOrEqual(48)
        expect(out.header).toBe(0)
        expect(out.errors).toEqual([])
        console.log(`wall: a report shown ${out.pushedInMs} ms after it was made (server-sent events)`)
      })
  )

  it.effect(
    "督办 and 作废 in the case form: community staff are refused 督办 in Chinese, street staff supervise, the owning tier voids",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const reporter = "demo-community-staff"
        const supervised = yield* Effect.promise(() => reportOne(base, reporter, "路灯不亮，已持续三晚"))
        const duplicate = yield* Effect.promise(() => reportOne(base, reporter, "路灯不亮（重复上报）"))
        const view = yield* Effect.promise(() =>
          api<{ readonly summary: { readonly tier: string } }>(
            base,
            `/cases/${encodeURIComponent(duplicate)}`,
            "demo-district-staff"
          )
        )
        const owner = tierTokens[view.summary.tier] ?? reporter
        const out = yield* withPage(
          async (page, errors) => {
            const open = async (token: string, caseId: string) => {
              if ((await page.locator("[data-testid=signout]").count()) > 0)
                await page.click("[data-testid=signout]")
              await signIn(page, base, token)
              await page.waitForSelector("header nav")
              await page.goto(`${base}/app/cases/${encodeURIComponent(caseId)}`)
              await page.waitForSelector("[data-testid=command-form]")
            }
            const supervise = async () => {
              await page.selectOption("select[name=command]", "supervise")
              await page.selectOption("select[name=level]", "supervise")
              await page.fill("textarea[name=note]", "请三日内修复并反馈")
              await page.click("[data-testid=submit-command]")
            }
            // 督办 is for street or district staff: community staff get the rule in Chinese
            await open(reporter, supervised)
            await supervise()
            await page.waitForSelector("[data-testid=refusal]")
            const refusal = (await page.textContent("[data-testid=refusal]")) ?? ""
            await shot(page, "12-supervise-refused")
            await open("demo-street-staff", supervised)
            const supervisionsBefore = await page.textContent("[data-testid=case-supervisions]")
            await supervise()
            await page.waitForSelector("[data-testid=command-done]")
            await page.waitForFunction(
              () => document.querySelector("[data-testid=case-supervisions]")?.textContent === "1"
            )
            const lastEvent = await page.locator("[data-testid=event] b").last().textContent()
            const status = await page.textContent("[data-testid=case-status]")
            await shot(page, "13-supervised")
            // 作废 a duplicate, by the staff of the tier that owns it
            await open(owner, duplicate)
            await page.selectOption("select[name=command]", "void")
            await page.selectOption("select[name=reason]", "duplicate")
            await page.fill("textarea[name=note]", `与 ${supervised} 重复`)
            await page.click("[data-testid=submit-command]")
            await page.waitForFunction(
              () => document.querySelector("[data-testid=case-status]")?.textContent === "已作废"
            )
            const voidedEvent = await page.locator("[data-testid=event] b").last().textContent()
            await shot(page, "14-voided")
            return { refusal, supervisionsBefore, lastEvent, status, voidedEvent, errors }
          },
          [422]
        )
        const summaries = yield* Effect.promise(() =>
          Promise.all(
            [supervised, duplicate].map((id) =>
              api<{ readonly summary: { readonly status: string; readonly supervisions: number } }>(
                base,
                `/cases/${encodeURIComponent(id)}`,
                "demo-district-staff"
              )
            )
          )
        )
        expect(out.refusal).toContain("指令被拒")
        expect(out.refusal).toContain("不能督办：您的角色无权执行此操作")
        expect(out.supervisionsBefore).toBe("0")
        expect(out.lastEvent).toBe("督办")
        // 督办 never changes the status
        expect(out.status).toBe("待立案")
        expect(out.voidedEvent).toBe("作废")
        expect(summaries.map((v) => [v.summary.status, v.summary.supervisions])).toEqual([
          ["reported", 1],
          ["voided", 0]
        ])
        expect(out.errors).toEqual([])
      })
  )

  it.effect(
    "a grid worker: 我的待访 and the 联户走访 panel as the API answers them, refreshed; hidden without a people store",
    () =>
      Effect.gen(function* () {
        const base = yield* baseUrl
        const token = "demo-grid-worker"
        const due = yield* Effect.promise(() => api<VisitsDueJson>(base, "/visits/due", token))
        // the panel's period: this month on the server's calendar (the date /visits/due names)
        const period = due.date.slice(0, 7)
        const indicators = yield* Effect.promise(() =>
          api<VisitIndicatorsJson>(base, `/visits/indicators?period=${period}`, token)
        )
        const services = yield* Effect.promise(() =>
          api<ReadonlyArray<{ readonly status: string }>>(base, "/proxy-services", token)
        )
        const area = yield* Effect.promise(() => api<VisitsDueCountsJson>(base, "/visits/due/counts", token))
        const households = yield* Effect.promise(() =>
          api<ReadonlyArray<{ readonly id: string; readonly label: string }>>(base, "/households", token)
        )
        const labelOf = new Map(households.map((h) => [h.id, h.label]))
        const out = yield* withPage(
          async (page, errors) => {
            await signIn(page, base, token)
            // 总览: the 联户走访 panel
            await page.waitForSelector("[data-testid=people-panel][data-period]")
            const number = async (id: string) => Number(await page.textContent(`[data-testid=${id}]`))
            const ratioOf = async (id: string) => ({
              numerator: Number(await page.getAttribute(`[data-testid=${id}]`, "data-numerator")),
              denominator: Number(await page.getAttribute(`[data-testid=${id}]`, "data-denominator"))
            })
            const panel = {
              period: await page.getAttribute("[data-testid=people-panel]", "data-period"),
              visits: await number("people-visits"),
              onTime: await ratioOf("people-on-time"),
              onTimeText: (await page.textContent("[data-testid=people-on-time]")) ?? "",
              closure: await ratioOf("people-closure"),
              open: await number("people-services-open"),
              done: await number("people-services-done"),
              cancelled: await number("people-services-cancelled"),
              proactive: await ratioOf("people-proactive"),
              dueToday: await number("people-due-today"),
              overdue: await number("people-due-overdue"),
              area: {
                dueToday: await number("people-area-due-today"),
                overdue: await number("people-area-overdue"),
                green: await number("people-area-green"),
                yellow: await number("people-area-yellow"),
                red: await number("people-area-red")
              }
            }
            await shot(page, "8-people-overview")

            // 待办: 我的待访, in the order the API gives, with the lights, household labels and days overdue
            await page.click("header nav a[href='/app/workbench']")
            await page.waitForSelector("[data-testid=visit-row]")
            const rowsOf = () =>
              page.locator("[data-testid=visit-row]").evaluateAll((rows) =>
                rows.map((r) => ({
                  planId: r.getAttribute("data-plan-id"),
                  light: r.getAttribute("data-light"),
                  household: r.querySelector("[data-testid=visit-household]")?.textContent ?? "",
                  daysOverdue: r.querySelector("[data-testid=visit-days-overdue]")?.textContent ?? ""
                }))
              )
            const section = {
              heading: (await page.textContent("[data-testid=visits-due] h2")) ?? "",
              dueToday: await number("visits-due-today"),
              overdue: await number("visits-overdue"),
              rows: await rowsOf()
            }
            await shot(page, "9-visits-due")

            // a visit recorded (by phone, through the API): 刷新 shows the agenda as the API now answers it
            const visited = due.due[0]
            const response = await fetch(`${base}/visits`, {
              method: "POST",
              headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
              body: JSON.stringify({
                id: `vs-browser-${visited?.householdId ?? ""}`,
                householdId: visited?.householdId,
                planId: visited?.planId,
                at: new Date().toISOString(),
                method: "phone",
                findings: "电话回访，身体状况良好",
                followUps: []
              })
            })
            const recorded = response.status
            const after = await api<VisitsDueJson>(base, "/visits/due", token)
            await page.click("[data-testid=refresh]")
            await page.waitForFunction(
              (n) => document.querySelectorAll("[data-testid=visit-row]").length === n,
              after.due.length
            )
            const refreshed = await rowsOf()

            // the English switch
            await page.click("[data-testid=lang]")
            await page.waitForSelector("text=My visits due")
            const headingEn = (await page.textContent("[data-testid=visits-due] h2")) ?? ""
            await page.click("[data-testid=lang]")

            // a server without a people store (503 PeopleUnavailable): no panel, no section, no error shown
            let refused = 0
            await page.route(
              (url) =>
                url.pathname.startsWith("/visits") ||
                url.pathname === "/proxy-services" ||
                url.pathname === "/households",
              (route) => {
                refused++
                return route.fulfill({
                  status: 503,
                  contentType: "application/json",
                  body: JSON.stringify({
                    _tag: "PeopleUnavailable",
                    message: "联户走访未配置 the people store is not configured on this server"
                  })
                })
              }
            )
            await page.click("header nav a[href='/app/']")
            await page.waitForSelector("[data-testid=board-open]")
            await page.waitForFunction(() => document.querySelector("[data-testid=people-panel]") === null)
            const panelHidden = await page.locator("[data-testid=people-panel]").count()
            await page.click("header nav a[href='/app/workbench']")
            await page.waitForSelector("[data-testid=case-row], [data-testid=empty]")
            await page.waitForSelector("[data-testid=visits-due-none]", { state: "attached" })
            const sectionHidden = await page.locator("[data-testid=visits-due]").count()
            const shownErrors = await page.locator(".error").count()
            await shot(page, "10-no-people-store")
            return {
              panel,
              section,
              recorded,
              after,
              refreshed,
              headingEn,
              refused,
              panelHidden,
              sectionHidden,
              shownErrors,
              errors
            }
          },
          // the 503s the routed people endpoints answer
          [503]
        )
        const today = due.due.filter((d) => !d.overdue).length
        const overdue = due.due.filter((d) => d.overdue).length
        const statusCount = (...statuses: ReadonlyArray<string>) =>
          services.filter((s) => statuses.includes(s.status)).length
        // the demo seed gives the first grid's worker visits due today and overdue
        expect(today).toBeGreaterThan(0)
        expect(overdue).toBeGreaterThan(0)
        expect(out.panel).toEqual({
          period,
          visits: indicators.visits,
          onTime: indicators.onTimeVisitRate,
          onTimeText: out.panel.onTimeText,
          closure: indicators.proxyClosureRate,
          open: statusCount("accepted", "submitted"),
          done: statusCount("done"),
          cancelled: statusCount("cancelled"),
          proactive: indicators.proactiveDiscoveryShare,
          dueToday: today,
          overdue,
          // the jurisdiction's counts, as GET /visits/due/counts answers them
          area: {
            dueToday: area.dueToday,
            overdue: area.overdue,
            green: area.green,
            yellow: area.yellow,
            red: area.red
          }
        })
        // the jurisdiction holds at least the worker's own visits due
        expect(area.dueToday + area.overdue).toBeGreaterThanOrEqual(today + overdue)
        expect(out.panel.onTimeText).toBe(
          `${((indicators.onTimeVisitRate.numerator / indicators.onTimeVisitRate.denominator) * 100).toFixed(1)}%`
        )
        expect(out.section.heading).toContain("我的待访")
        expect(out.section.dueToday).toBe(today)
        expect(out.section.overdue).toBe(overdue)
        expect(out.section.rows).toEqual(due.due.map(rowOf(labelOf)))
        expect(out.section.rows.every((r) => !r.household.startsWith("hh-"))).toBe(true)
        expect(out.recorded).toBe(201)
        expect(out.after.due.length).toBe(due.due.length - 1)
        expect(out.refreshed).toEqual(out.after.due.map(rowOf(labelOf)))
        expect(out.headingEn).toContain("My visits due")
        expect(out.refused).toBeGreaterThan(0)
        expect(out.panelHidden).toBe(0)
        expect(out.sectionHidden).toBe(0)
        expect(out.shownErrors).toBe(0)
        expect(out.errors).toEqual([])
      })
  )

  it.effect("a resident sees only its own reports, and no board", () =>
    Effect.gen(function* () {
      const base = yield* baseUrl
      const token = "demo-resident"
      const own = yield* Effect.promise(() =>
        api<{ readonly items: ReadonlyArray<{ readonly caseId: string }> }>(base, "/cases?limit=100", token)
      )
      const reporters = yield* Effect.promise(() =>
        Promise.all(
          own.items.map((c) =>
            api<ReadonlyArray<{ readonly _tag: string; readonly actor: { readonly id: string } }>>(
              base,
              `/cases/${encodeURIComponent(c.caseId)}/events`,
              "demo-district-staff"
            ).then((events) => events.find((e) => e._tag === "Reported")?.actor.id)
          )
        )
      )
      const out = yield* withPage(
        async (page, errors) => {
          await signIn(page, base, token)
          await page.waitForSelector("[data-testid=workbench] [data-testid=case-row], [data-testid=empty]")
          const ids = await page
            .locator("[data-testid=case-row]")
            .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-case-id")))
          const nav = await page.locator("header nav a").allTextContents()
          const who = await page.textContent("[data-testid=who]")
          await shot(page, "6-resident")
          // the English switch
          await page.click("[data-testid=lang]")
          await page.waitForSelector("text=Command & Dispatch Centre")
          const navEn = await page.locator("header nav a").allTextContents()
          await shot(page, "7-resident-en")
          return { ids, nav, navEn, who, errors }
        },
        // the board answers a resident 404: it has no jurisdiction
        [404]
      )
      expect(own.items.length).toBeGreaterThan(0)
      expect(new Set(reporters)).toEqual(new Set(["r-demo"]))
      expect([...out.ids].sort()).toEqual(own.items.map((c) => c.caseId).sort())
      expect(out.nav).toEqual(["我的上报"])
      expect(out.navEn).toEqual(["My reports"])
      expect(out.who).toContain("居民")
      expect(out.errors).toEqual([])
    })
  )
})
