/**
 * 指挥调度中心 — serves the reference web front end (the built Preact app in
 * `dist/app`) beside the civicgrid HTTP API: `GET /` and every `GET /app/…`
 * path that is not a built file answer the app's `index.html` (the app routes
 * in the browser), the built files answer with their content type, the hashed
 * ones (`/app/assets/…`) cached for a year as immutable. It adds routes under
 * `/` and `/app` only, so it never shadows the API (`/cases`, `/board`,
 * `/open311`, `/docs`, `/openapi.json`, `/health` …). Provide it to the
 * server's API layer the way `/health` is added:
 *
 * ```ts
 * Server.layer().pipe(Layer.provide(Web.layer()))
 * ```
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import { dirname, extname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import { type Asset, compressible, decoded, load } from "./internal/assets.js"

/**
 * 前端选项.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Where the built app is (default `assetsDir`: this package's `dist/app`). */
  readonly assetsDir?: string
  /** Answer `GET /` with the app (default true). */
  readonly root?: boolean
}

/**
 * 前端路径前缀 — the path the app is built for and served under.
 *
 * @since 0.1.0
 * @category constants
 */
export const basePath = "/app"

const here = dirname(fileURLToPath(import.meta.url))

/**
 * 构建目录 — where this package's built app is: `dist/app` beside the
 * published modules, or, run from the TypeScript sources, `../dist/app`.
 *
 * @since 0.1.0
 * @category constants
 */
export const assetsDir: string =
  [join(here, "app"), resolve(here, "..", "dist", "app")].find((dir) =>
    existsSync(join(dir, "index.html"))
  ) ?? resolve(here, "..", "dist", "app")

/**
 * 内容类型 — the `Content-Type` of a built file, by its extension.
 *
 * @since 0.1.0
 * @category getters
 */
export const contentType = (path: string): string => {
  switch (extname(path).toLowerCase()) {
    case ".html":
      return "text/html; charset=utf-8"
    case ".js":
    case ".mjs":
      return "text/javascript; charset=utf-8"
    case ".css":
      return "text/css; charset=utf-8"
    case ".json":
    case ".map":
      return "application/json; charset=utf-8"
    case ".svg":
      return "image/svg+xml"
    case ".png":
      return "image/png"
    case ".ico":
      return "image/x-icon"
    case ".woff2":
      return "font/woff2"
    case ".txt":
      return "text/plain; charset=utf-8"
    default:
      return "application/octet-stream"
  }
}

const notBuilt = (dir: string) =>
  HttpServerResponse.text(
    `前端未构建 the web front end is not built (no ${join(dir, "index.html")}): npm run build -w @civicgrid/web\n`,
    { status: 503 }
  )

const respond = (asset: Asset, acceptsGzip: boolean, status = 200) => {
  const headers: Record<string, string> = {
    "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    "x-content-type-options": "nosniff",
    vary: "accept-encoding"
  }
  if (acceptsGzip && compressible(asset.type) && asset.body.length > 1024) {
    asset.gzip ??= gzipSync(asset.body)
    return HttpServerResponse.uint8Array(asset.gzip, {
      status,
      contentType: asset.type,
      headers: { ...headers, "content-encoding": "gzip" }
    })
  }
  return HttpServerResponse.uint8Array(asset.body, { status, contentType: asset.type, headers })
}

/**
 * 前端路由 — `GET /` (unless `root: false`), `GET /app` and `GET /app/*` on
 * the API's router (`HttpApiBuilder.Router`): a built file as it is, a missing
 * file under `/app/assets/` a 404, any other path the app's `index.html`. The
 * files are read once, when the layer is built; a missing build answers 503
 * naming the build command. Without options it is one shared layer, so an
 * app that provides it twice (its server and a test around it) routes it once.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<never> =>
  options === undefined ? defaultLayer : make(options)

const make = (options: Options): Layer.Layer<never> =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function* () {
      const dir = options.assetsDir ?? assetsDir
      const assets = yield* Effect.sync(() => load(dir, basePath, contentType)).pipe(
        Effect.withSpan("Web.load", { attributes: { dir } })
      )
      const index = assets.get(`${basePath}/index.html`)
      const serve = Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
        if (index === undefined) return notBuilt(dir)
        const gzip = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "")
        const path = decoded(new URL(request.url, "http://localhost").pathname)
        const found = assets.get(path)
        if (found !== undefined) return respond(found, gzip)
        if (path.startsWith(`${basePath}/assets/`)) {
          return HttpServerResponse.text("Not Found", { status: 404 })
        }
        return respond(index, gzip)
      })
      if (options.root !== false) yield* router.get("/", serve)
      yield* router.get(basePath, serve)
      yield* router.get(`${basePath}/*`, serve)
    })
  )

const defaultLayer: Layer.Layer<never> = make({})
