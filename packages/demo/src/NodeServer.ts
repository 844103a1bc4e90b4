/**
 * 节点服务器 — Node's HTTP server as the example servers create it: `node:http`'s
 * `createServer`, with the requests Node refuses before any handler runs
 * answered in the API's JSON error body (`{ _tag, message, field?, rule }`, a
 * bilingual message naming the rule) instead of Node's bare status line:
 *
 * - a request line and headers longer than `maxHeaderSize` (Node's
 *   `http.maxHeaderSize`, 16 KiB by default): 431, `rule: "header-size"`;
 * - a request that is not HTTP/1.1 syntax: 400, `rule: "http-syntax"`;
 * - a request whose headers did not arrive within `headersTimeout` /
 *   `requestTimeout`: 408, `rule: "request-timeout"`.
 *
 * Every such answer closes the connection.
 *
 * ```ts
 * import * as NodeServer from "@civicgrid/demo/NodeServer"
 * import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
 *
 * const server = NodeHttpServer.layerServer(NodeServer.createServer, { port: 3000 })
 * ```
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import type { Duplex } from "node:stream"

/**
 * 拒收答复 — what a request refused by Node's parser is answered: status and
 * JSON body.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientErrorAnswer {
  readonly status: 400 | 408 | 431
  readonly reason: string
  readonly body: {
    readonly _tag: string
    readonly message: string
    readonly field?: string
    readonly rule: string
  }
}

/**
 * The answer to a request Node's parser refused, by the error's `code`
 * (`HPE_HEADER_OVERFLOW`, `ERR_HTTP_REQUEST_TIMEOUT`, any other parse error).
 *
 * @since 0.1.0
 * @category constructors
 */
export const clientErrorAnswer = (code: string | undefined, maxHeaderSize: number): ClientErrorAnswer => {
  const kib = Math.round(maxHeaderSize / 1024)
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        reason: "Request Header Fields Too Large",
        body: {
          _tag: "HeaderTooLarge",
          message: `请求行与请求头过长：至多 ${kib} KiB request line and headers too large: at most ${kib} KiB (rule header-size)`,
          field: "headers",
          rule: "header-size"
        }
      }
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        status: 408,
        reason: "Request Timeout",
        body: {
          _tag: "RequestTimeout",
          message:
            "请求超时：请求头未按时送达 request timeout: the headers did not arrive in time (rule request-timeout)",
          rule: "request-timeout"
        }
      }
    default:
      return {
        status: 400,
        reason: "Bad Request",
        body: {
          _tag: "MalformedRequest",
          message:
            "请求格式错误：不是有效的 HTTP/1.1 请求 malformed request: not valid HTTP/1.1 (rule http-syntax)",
          rule: "http-syntax"
        }
      }
  }
}

const answer = (maxHeaderSize: number) => (error: NodeJS.ErrnoException, socket: Duplex) => {
  // a connection already gone, or one that has sent an answer, gets nothing more
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy()
    return
  }
  const { status, reason, body } = clientErrorAnswer(error.code, maxHeaderSize)
  const json = JSON.stringify(body)
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`
  )
}

/**
 * 创建服务器 — `node:http`'s `createServer` with the refused requests answered
 * in JSON (above). Pass it to `NodeHttpServer.layerServer` /
 * `NodeHttpServer.layer` as the server factory.
 *
 * @since 0.1.0
 * @category constructors
 */
export const createServer = (options: Http.ServerOptions = {}): Http.Server => {
  const server = Http.createServer(options)
  server.on("clientError", answer(options.maxHeaderSize ?? Http.maxHeaderSize))
  return server
}
