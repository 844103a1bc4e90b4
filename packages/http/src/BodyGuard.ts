/**
 * 请求体检查 — a middleware that refuses, with a 400 naming the rule, request
 * bodies the platform would otherwise turn into a 500: a multipart body (no
 * endpoint of the `Api` takes one; the platform's multipart parser fails as a
 * defect) and JSON nested deeper than `maxDepth` (deep values overflow the
 * stack while a schema failure is formatted). Found by the hostile-input
 * fuzz test (issue 6 "No input may produce a 5xx").
 *
 * @since 0.1.0
 */
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpMethod from "@effect/platform/HttpMethod"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

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
