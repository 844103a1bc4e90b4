/**
 * 总览首屏 — the time to the first meaningful paint of the overview on the full demo data: the example
 * server app (`App.layer` as `npm start` runs it: the demo district with the default seed, 3,000 cases
 * of 2025, on a SQLite file) with the web front end on a real port, and Debian's Chromium
 * (playwright-core).
 *
 * Each round opens the overview in a fresh browser context (nothing cached; the token already in
 * sessionStorage, as after a sign-in) and reads the page's own marks (`usePaintMark`, set in an
 * effect — after the browser painted): `board` (the board's numbers: the first meaningful paint),
 * `trends` (月度趋势), `scorecard`; and the browser's first contentful paint. Then a reload in the same
 * context (the hashed assets cached). Rounds alternate the principals: district staff (the whole
 * district) and community staff (one community). Prints min / median / max of each, the API calls'
 * durations as the browser saw them, and the initial bundle (gzip).
 *
 * Run: `npm run bench:overview -w @civicgrid/web` (BENCH_ROUNDS, default 5; the app is built first
 * when missing or stale; CIVICGRID_CHROMIUM for another browser; BENCH_SCREENSHOT, a directory: a
 * screenshot of each principal's overview from the first round).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import * as App from "@civicgrid/demo/App"
import * as Database from "@civicgrid/demo/Database"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type Browser, chromium, type Page } from "playwright-core"
import { ensureApp } from "../scripts/ensure-app.mjs"
import * as Web from "../src/Web.js"

const rounds = Number(process.env["BENCH_ROUNDS"] ?? 5)
const chromiumPath = process.env["CIVICGRID_CHROMIUM"] ?? "/usr/bin/chromium"
const principals = [
  ["district staff (whole district)", "demo-district-staff"],
  ["community staff (one community)", "demo-community-staff"]
] as const
const marks = ["board", "trends", "scorecard"] as const

interface Sample {
  readonly fcp: number
  readonly board: number
  readonly trends: number
  readonly scorecard: number
  readonly api: Readonly<Record<string, number>>
}

/** The page's paint marks and first contentful paint, once the overview is complete. */
const sample = async (page: Page): Promise<Sample> => {
  await page.waitForFunction(
    (names) => names.every((n) => performance.getEntriesByName(`civicgrid:${n}`, "mark").length > 0),
    marks,
    { timeout: 60_000 }
  )
  // no named functions inside: the page has no helper for the names tsx keeps
  const raw = await page.evaluate(
    (names) => ({
      marks: names.map((n) => performance.getEntriesByName(`civicgrid:${n}`)[0]?.startTime ?? -1),
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
      resources: performance.getEntriesByType("resource").map((e) => [e.name, e.duration] as const)
    }),
    marks
  )
  const api: Record<string, number> = {}
  for (const [name, duration] of raw.resources) {
    const url = new URL(name)
    if (!url.pathname.startsWith("/app/")) api[`${url.pathname}${url.search}`] = Math.round(duration)
  }
  const [board, trends, scorecard] = raw.marks.map(Math.round)
  return {
    fcp: Math.round(raw.fcp),
    board: board ?? -1,
    trends: trends ?? -1,
    scorecard: scorecard ?? -1,
    api
  }
}

const stats = (values: ReadonlyArray<number>): string => {
  const sorted = [...values].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
  return `min ${sorted[0]} · median ${median} · max ${sorted[sorted.length - 1]} ms`
}

const initialBundle = (): string => {
  const html = readFileSync(join(Web.assetsDir, "index.html"), "utf8")
  const files = [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1] ?? ""
  )
  const bytes = files.map((f) => gzipSync(readFileSync(join(Web.assetsDir, f)), { level: 9 }).length)
  return `${files.join(" + ")} = ${(bytes.reduce((a, b) => a + b, 0) / 1024).toFixed(1)} KB gzip`
}

const measure = (base: string) =>
  Effect.promise(async () => {
    const browser: Browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ["--no-sandbox", "--disable-gpu"]
    })
    const cold = new Map<string, Array<Sample>>()
    const warm = new Map<string, Array<Sample>>()
    try {
      for (let round = 0; round < rounds; round++) {
        for (const [label, token] of principals) {
          const context = await browser.newContext({
            viewport: { width: 1280, height: 860 },
            locale: "zh-CN"
          })
          await context.addInitScript((t) => sessionStorage.setItem("civicgrid.token", t), token)
          const page = await context.newPage()
          await page.goto(`${base}/app/`)
          const first = await sample(page)
          const screenshot = process.env["BENCH_SCREENSHOT"]
          if (round === 0 && screenshot !== undefined)
            await page.screenshot({ path: join(screenshot, `overview-${token}.png`), fullPage: true })
          await page.reload()
          const again = await sample(page)
          await context.close()
          cold.set(label, [...(cold.get(label) ?? []), first])
          warm.set(label, [...(warm.get(label) ?? []), again])
          console.log(
            `round ${round + 1} ${label}: cold board ${first.board} ms (trends ${first.trends}, scorecard ${first.scorecard}); warm board ${again.board} ms`
          )
        }
      }
    } finally {
      await browser.close()
    }
    console.log("")
    for (const [label] of principals) {
      for (const [kind, samples] of [
        ["cold", cold.get(label) ?? []],
        ["warm", warm.get(label) ?? []]
      ] as const) {
        console.log(`${label}, ${kind} (${samples.length} rounds):`)
        console.log(`  first contentful paint      ${stats(samples.map((s) => s.fcp))}`)
        console.log(`  board painted (first meaningful paint) ${stats(samples.map((s) => s.board))}`)
        console.log(`  trends painted              ${stats(samples.map((s) => s.trends))}`)
        console.log(`  scorecard painted           ${stats(samples.map((s) => s.scorecard))}`)
      }
      const calls = new Map<string, Array<number>>()
      for (const s of [...(cold.get(label) ?? []), ...(warm.get(label) ?? [])])
        for (const [path, ms] of Object.entries(s.api)) calls.set(path, [...(calls.get(path) ?? []), ms])
      console.log(`  API calls as the browser timed them:`)
      for (const [path, ms] of calls) console.log(`    ${path.padEnd(44)} ${stats(ms)}`)
    }
    console.log(`\ninitial bundle: ${initialBundle()}`)
  })

const dir = mkdtempSync(join(tmpdir(), "civicgrid-overview-"))
const database = Database.sqlite(join(dir, "street-office.sqlite"))
const seeding = Date.now()

const program = Effect.gen(function* () {
  const base = yield* HttpServer.addressWith((address) =>
    Effect.succeed(`http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}`)
  )
  console.log(`demo seeded and served in ${Date.now() - seeding} ms at ${base}; ${rounds} rounds\n`)
  yield* measure(base)
})

const server = App.layer({
  databaseName: Database.describe(database),
  seed: {},
  log: () => undefined,
  scheduler: { enabled: false }
}).pipe(
  Layer.provide(Web.layer()),
  Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })),
  Layer.provide(Database.layer(database)),
  Layer.orDie
)

await ensureApp()
await Effect.runPromise(
  Effect.scoped(Layer.build(server).pipe(Effect.flatMap((context) => Effect.provide(program, context))))
)
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }))
