/**
 * 请求体检查 — a middleware that refuses, with a 400 naming the rule, request
 * bodies the platform would otherwise turn into a 500: a multipart body (no
 * endpoint of the `Api` takes one; the platform's multipart parser fails as a
 * defect) and JSON nested deeper than `maxDepth` (deep values overflow the
 * stack while a schema failure is formatted). No input may produce a 5xx:
 * the hostile-input fuzz tests check it.
 *
 * **Body limit**: `middlewareBodyLimit` caps every
 * request body of the JSON API (default `defaultMaxBodyBytes`, 256 KiB) with a
 * 413 `BodyTooLarge` JSON answer (rule `body-too-large`), before the body is
 * read: a declared `Content-Length` over the limit is refused unread (the
 * server drains the rest, the connection is answered, not reset); a body
 * without a length (chunked) is read up to the limit and, past it, the rest
 * is drained without being kept, up to 64 times the limit (memory stays
 * bounded; an endless upload is cut off there; the platform's own
 * `MaxBodySize` would destroy the socket — a reset — so it is only used where
 * the length is declared). Bodies within the limit are read once and handed
 * on.
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Headers from "@effect/platform/Headers"
import type * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpMethod from "@effect/platform/HttpMethod"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Multipart from "@effect/platform/Multipart"
import type * as Path from "@effect/platform/Path"
import type * as Socket from "@effect/platform/Socket"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"

/**
 * 请求体无法读取 — a body the API does not read: its content type is not
 * supported, or its JSON is nested too deep.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnreadableBody extends Schema.TaggedError<UnreadableBody>()(
  "UnreadableBody",
  {
    rule: Schema.Literal("unsupported-content-type", "json-too-deep"),
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 400,
    description: "请求体无法读取 unsupported content type, or JSON nested too deep"
  })
) {}

/**
 * 请求体检查中间件 — runs before the payload is read.
 *
 * @since 0.1.0
 * @category middleware
 */
export class BodyGuard extends HttpApiMiddleware.Tag<BodyGuard>()("@civicgrid/http/BodyGuard", {
  failure: UnreadableBody
}) {}

/**
 * The deepest JSON nesting a request body may have (no request schema of the
 * `Api` comes near it).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxDepth = 64

/**
 * The nesting depth of a JSON text (arrays and objects; brackets inside
 * strings do not count), scanning without recursion. Stops counting once past
 * `limit`.
 *
 * @since 0.1.0
 * @category utils
 */
export const jsonDepth = (text: string, limit: number = Number.POSITIVE_INFINITY): number => {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x5b || c === 0x7b) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > limit) return deepest
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--
    }
  }
  return deepest
}

/**
 * The middleware: a multipart body is refused; a JSON body (the default when
 * no content type is given) deeper than `maxDepth` is refused. A body that
 * cannot be read at all is left to the platform (a 400).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<BodyGuard> = Layer.succeed(
  BodyGuard,
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (!HttpMethod.hasBody(request.method)) return
    const contentType = (request.headers["content-type"] ?? "application/json").toLowerCase().trim()
    if (contentType.includes("multipart/form-data")) {
      return yield* new UnreadableBody({
        rule: "unsupported-content-type",
        message: "不支持的请求体 multipart bodies are not accepted: send application/json"
      })
    }
    if (contentType.includes("application/json")) {
      const text = yield* Effect.orElseSucceed(request.text, () => "")
      if (jsonDepth(text, maxDepth) > maxDepth) {
        return yield* new UnreadableBody({
          rule: "json-too-deep",
          message: `请求体嵌套过深 JSON nested deeper than ${maxDepth} levels`
        })
      }
    }
  })
)

// -----------------------------------------------------------------------------
// body limit
// -----------------------------------------------------------------------------

/**
 * 请求体上限 — the default cap of a JSON API request body: 256 KiB (a report
 * with a 4,000-character description and every optional field is under
 * 40 KiB).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxBodyBytes = 256 * 1024

/**
 * 请求体过大 — a body over the limit (413).
 *
 * @since 0.1.0
 * @category errors
 */
export class BodyTooLarge extends Schema.TaggedError<BodyTooLarge>()(
  "BodyTooLarge",
  {
    field: Schema.Literal("body"),
    rule: Schema.Literal("body-too-large"),
    maxBytes: Schema.Int,
    message: Schema.String
  },
  HttpApiSchema.annotations({
    status: 413,
    description: "请求体过大 the request body exceeds the server's limit"
  })
) {}

/**
 * The 413 of a body over `maxBytes`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const bodyTooLarge = (maxBytes: number): BodyTooLarge =>
  new BodyTooLarge({
    field: "body",
    rule: "body-too-large",
    maxBytes,
    message: `请求体过大 the request body exceeds ${maxBytes} bytes (${Math.floor(maxBytes / 1024)} KiB) (rule body-too-large)`
  })

const tooLargeResponse = (maxBytes: number): HttpServerResponse.HttpServerResponse => {
  const error = bodyTooLarge(maxBytes)
  return HttpServerResponse.unsafeJson(
    {
      _tag: error._tag,
      field: error.field,
      rule: error.rule,
      maxBytes: error.maxBytes,
      message: error.message
    },
    { status: 413 }
  )
}

/**
 * A request whose body has been read already (a chunked body within the
 * limit): the same request, its body served from memory.
 */
class BufferedRequest extends Inspectable.Class implements HttpServerRequest.HttpServerRequest {
  readonly [HttpServerRequest.TypeId]: HttpServerRequest.TypeId = HttpServerRequest.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  private readonly body: string
  constructor(
    private readonly inner: HttpServerRequest.HttpServerRequest,
    private readonly bytes: Uint8Array
  ) {
    super()
    this.body = new TextDecoder("utf-8").decode(bytes)
  }
  toJSON(): unknown {
    return { _id: "@civicgrid/http/BodyGuard/BufferedRequest", method: this.method, url: this.originalUrl }
  }
  get source(): unknown {
    return this.inner.source
  }
  get url(): string {
    return this.inner.url
  }
  get originalUrl(): string {
    return this.inner.originalUrl
  }
  get method(): HttpMethod.HttpMethod {
    return this.inner.method
  }
  get cookies(): HttpServerRequest.HttpServerRequest["cookies"] {
    return this.inner.cookies
  }
  get headers(): Headers.Headers {
    return this.inner.headers
  }
  get remoteAddress(): Option.Option<string> {
    return this.inner.remoteAddress
  }
  get multipart(): Effect.Effect<
    Multipart.Persisted,
    Multipart.MultipartError,
    Scope.Scope | FileSystem.FileSystem | Path.Path
  > {
    return this.inner.multipart
  }
  get multipartStream(): Stream.Stream<Multipart.Part, Multipart.MultipartError> {
    return this.inner.multipartStream
  }
  get upgrade(): Effect.Effect<Socket.Socket, HttpServerError.RequestError> {
    return this.inner.upgrade
  }
  modify(options: {
    readonly url?: string
    readonly headers?: Headers.Headers
    readonly remoteAddress?: string
  }): HttpServerRequest.HttpServerRequest {
    return new BufferedRequest(this.inner.modify(options), this.bytes)
  }
  get text(): Effect.Effect<string, HttpServerError.RequestError> {
    return Effect.succeed(this.body)
  }
  get json(): Effect.Effect<unknown, HttpServerError.RequestError> {
    return Effect.try({
      try: () => (this.body === "" ? null : (JSON.parse(this.body) as unknown)),
      catch: (cause) => new HttpServerError.RequestError({ request: this, reason: "Decode", cause })
    })
  }
  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpServerError.RequestError> {
    return Effect.succeed(UrlParams.fromInput(new URLSearchParams(this.body)))
  }
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpServerError.RequestError> {
    return Effect.sync(() => this.bytes.slice().buffer as ArrayBuffer)
  }
  get stream(): Stream.Stream<Uint8Array, HttpServerError.RequestError> {
    return Stream.succeed(this.bytes)
  }
}

/**
 * Reads a body of unknown length: up to `maxBytes` kept; past it, the rest is
 * read and dropped (bounded memory, the connection stays usable) and the
 * answer is none. A body going on past `drainFactor` times the limit is not
 * drained further (the socket is closed: an endless upload cannot hold the
 * server).
 */
const drainFactor = 64

const readBounded = (
  request: HttpServerRequest.HttpServerRequest,
  maxBytes: number
): Effect.Effect<Option.Option<Uint8Array>, HttpServerError.RequestError> =>
  Stream.runFoldWhile(
    request.stream,
    { chunks: [] as Array<Uint8Array>, size: 0, over: false },
    // past the drain cap the rest is not read at all: the connection is closed instead
    (state) => state.size <= maxBytes * drainFactor,
    (state, chunk) => {
      if (state.over) return state
      const size = state.size + chunk.length
      if (size > maxBytes) return { chunks: [], size, over: true }
      state.chunks.push(chunk)
      return { chunks: state.chunks, size, over: false }
    }
  ).pipe(
    Effect.map((state) => {
      if (state.over) return Option.none()
      const out = new Uint8Array(state.size)
      let at = 0
      for (const chunk of state.chunks) {
        out.set(chunk, at)
        at += chunk.length
      }
      return Option.some(out)
    })
  )

/**
 * Options of `middlewareBodyLimit`.
 *
 * @since 0.1.0
 * @category models
 */
export interface LimitOptions {
  /** The largest body accepted, in bytes (default `defaultMaxBodyBytes`, 256 KiB). */
  readonly maxBytes?: number
  /** Path prefixes with their own limit, left alone (default `["/open311"]`). */
  readonly passThrough?: ReadonlyArray<string>
}

/**
 * 请求体上限中间件 — the `HttpApiBuilder` middleware capping request bodies
 * (see the module note): 413 `BodyTooLarge` as JSON, before the body is read.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middlewareBodyLimit =
  (options: LimitOptions = {}): HttpApiBuilder.MiddlewareFn<never> =>
  (app) => {
    const maxBytes = options.maxBytes ?? defaultMaxBodyBytes
    const passThrough = options.passThrough ?? ["/open311"]
    return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      if (!HttpMethod.hasBody(request.method)) return app
      const q = request.url.indexOf("?")
      const path = q === -1 ? request.url : request.url.slice(0, q)
      if (passThrough.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return app
      const declared = request.headers["content-length"]
      if (declared !== undefined) {
        const length = Number(declared)
        if (!Number.isFinite(length) || length > maxBytes) return Effect.succeed(tooLargeResponse(maxBytes))
        // the declared length frames the body: reading it cannot pass the limit
        return HttpIncomingMessage.withMaxBodySize(app, Option.some(maxBytes))
      }
      if (request.headers["transfer-encoding"] === undefined) return app
      return Effect.matchEffect(readBounded(request, maxBytes), {
        onFailure: () => app,
        onSuccess: Option.match({
          onNone: () => Effect.succeed(tooLargeResponse(maxBytes)),
          onSome: (bytes) =>
            Effect.provideService(
              app,
              HttpServerRequest.HttpServerRequest,
              new BufferedRequest(request, bytes)
            )
        })
      })
    })
  }
