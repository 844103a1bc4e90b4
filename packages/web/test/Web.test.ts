/**
 * 前端路由 — `Web.layer` on a router of its own, over a build made for the test: built files with their
 * content type and cache headers (gzip when accepted), the page for every other `/app` path and for `/`,
 * a 404 for a missing hashed asset, a 503 naming the build command when nothing is built, and no route
 * outside `/` and `/app`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Web from "../src/Web.js"

const html = "<!doctype html><title>指挥调度中心</title>"
const script = `export const board = ${JSON.stringify("看板".repeat(2000))}\n`

const served = (options: Web.Options) =>
  HttpApiBuilder.Router.unwrap((router) => HttpServer.serve(router)).pipe(
    Layer.provide(Web.layer(options)),
    Layer.provideMerge(NodeHttpServer.layerTest)
  )

/** GETs through the test server's address with node's fetch (raw bytes, no automatic decompression). */
const get = (path: string, headers: Record<string, string> = {}) =>
  HttpServer.addressWith((address) =>
    Effect.promise(async () => {
      const port = address._tag === "TcpAddress" ? address.port : 0
      const { request } = await import("node:http")
      return await new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>(
        (resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
            const chunks: Array<Buffer> = []
            res.on("data", (c: Buffer) => chunks.push(c))
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: Object.fromEntries(
                  Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")])
                ),
                body: Buffer.concat(chunks)
              })
            )
          })
          req.on("error", reject)
          req.end()
        }
      )
    })
  )

describe("Web.layer", () => {
  it.effect("serves a build: files, the page for app paths, immutable hashed assets, gzip", () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-web-"))
    mkdirSync(join(dir, "assets"))
    writeFileSync(join(dir, "index.html"), html)
    writeFileSync(join(dir, "assets", "index-Ab12.js"), script)
    writeFileSync(join(dir, "assets", "index-Cd34.css"), "body{margin:0}")
    return Effect.gen(function* () {
      const page = yield* get("/app/")
      expect([page.status, page.headers["content-type"], page.headers["cache-control"]]).toEqual([
        200,
        "text/html; charset=utf-8",
        "no-cache"
      ])
      expect(page.body.toString("utf8")).toBe(html)
      for (const path of ["/", "/app", "/app/workbench", "/app/cases/c-1", "/app/cases/%E6%A1%88"]) {
        const other = yield* get(path)
        expect([path, other.status, other.body.toString("utf8")]).toEqual([path, 200, html])
      }
      const js = yield* get("/app/assets/index-Ab12.js")
      expect([
        js.status,
        js.headers["content-type"],
        js.headers["cache-control"],
        js.body.toString("utf8")
      ]).toEqual([200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", script])
      const zipped = yield* get("/app/assets/index-Ab12.js", { "accept-encoding": "gzip, br" })
      expect(zipped.headers["content-encoding"]).toBe("gzip")
      expect(zipped.body.length).toBeLessThan(Buffer.byteLength(script))
      expect(gunzipSync(zipped.body).toString("utf8")).toBe(script)
      const css = yield* get("/app/assets/index-Cd34.css")
      expect([css.status, css.headers["content-type"]]).toEqual([200, "text/css; charset=utf-8"])
      expect((yield* get("/app/assets/index-Zz99.js")).status).toBe(404)
      // a malformed escape is no server error (the router answers it 404)
      expect((yield* get("/app/cases/%E0%A4%A")).status).toBe(404)
      // nothing outside / and /app
      expect((yield* get("/cases")).status).toBe(404)
      expect((yield* get("/health")).status).toBe(404)
    }).pipe(
      Effect.provide(served({ assetsDir: dir })),
      Effect.ensuring(Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
    )
  })

  it.effect("without a build, answers 503 naming the build command; root: false leaves / alone", () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-web-empty-"))
    return Effect.gen(function* () {
      const page = yield* get("/app/workbench")
      expect(page.status).toBe(503)
      expect(page.body.toString("utf8")).toContain("npm run build -w @civicgrid/web")
      expect((yield* get("/")).status).toBe(404)
    }).pipe(
      Effect.provide(served({ assetsDir: dir, root: false })),
      Effect.ensuring(Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
    )
  })

  it.effect("Web.layer() is one layer: provided twice (a server and a test around it), it routes once", () =>
    Effect.gen(function* () {
      const page = yield* get("/app/workbench")
      expect([page.status, page.headers["content-type"]]).toEqual([200, "text/html; charset=utf-8"])
    }).pipe(
      Effect.provide(
        HttpApiBuilder.Router.unwrap((router) => HttpServer.serve(router)).pipe(
          Layer.provide(Web.layer()),
          Layer.provide(Web.layer()),
          Layer.provideMerge(NodeHttpServer.layerTest)
        )
      )
    )
  )

  it("names the content type of each built file", () => {
    expect(
      ["a.html", "a.js", "a.css", "a.json", "a.svg", "a.png", "a.woff2", "a.bin"].map(Web.contentType)
    ).toEqual([
      "text/html; charset=utf-8",
      "text/javascript; charset=utf-8",
      "text/css; charset=utf-8",
      "application/json; charset=utf-8",
      "image/svg+xml",
      "image/png",
      "font/woff2",
      "application/octet-stream"
    ])
  })
})
