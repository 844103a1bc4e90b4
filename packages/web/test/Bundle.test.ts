/**
 * 包体积 — the built front end's budget: what the browser loads before the first page (index.html's
 * scripts, module preloads and styles) is at most 400 KB gzip, and ECharts (the map's chunk) is not in
 * it: the map is loaded when it is opened.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { describe, expect, it } from "@effect/vitest"
import * as Web from "../src/Web.js"

const budget = 400 * 1024

const initialFiles = (html: string): ReadonlyArray<string> =>
  [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? "")

describe("the built front end", () => {
  it("loads at most 400 KB gzip before the first page, without ECharts", () => {
    const html = readFileSync(join(Web.assetsDir, "index.html"), "utf8")
    const initial = initialFiles(html)
    expect(initial.some((f) => f.endsWith(".js"))).toBe(true)
    const sizes = initial.map((f) => gzipSync(readFileSync(join(Web.assetsDir, f)), { level: 9 }).length)
    const total = sizes.reduce((a, b) => a + b, 0)
    console.log(`initial bundle: ${initial.join(", ")} = ${(total / 1024).toFixed(1)} KB gzip`)
    expect(total).toBeLessThanOrEqual(budget)
    // the map's chunk exists, and is not loaded up front
    const all = readdirSync(join(Web.assetsDir, "assets"))
    const map = all.filter((f) => f.startsWith("MapView-"))
    expect(map).toHaveLength(1)
    expect(initial.some((f) => f.includes("MapView-"))).toBe(false)
    const initialJs = initial
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(Web.assetsDir, f), "utf8"))
      .join("\n")
    // ECharts' own code (its renderer) is not in the initial scripts
    expect(initialJs.includes("zrender")).toBe(false)
  })
})
