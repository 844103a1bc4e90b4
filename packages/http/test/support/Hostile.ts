/**
 * 恶意输入 — shared pieces of the hostile-input fuzz tests: injection
 * strings, invalid percent-encodings and invalid UTF-8 byte sequences, raw
 * HTTP requests sent with `fetch` (or a socket, for what `fetch` refuses to
 * send), and the row count of every table (to show a refused request wrote
 * nothing).
 */
import { connect } from "node:net"
import * as HttpServer from "@effect/platform/HttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** SQL, markup, template, traversal and Unicode oddities. */
export const injections: ReadonlyArray<string> = [
  "' OR '1'='1",
  "'; DROP TABLE cg_cases; --",
  '"; DROP TABLE cg_units; --',
  "1; DELETE FROM cg_case_events",
  "' UNION SELECT * FROM cg_api_keys --",
  "%' OR 1=1 --",
  "\\'; SELECT pg_sleep(0); --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "]]><x>",
  "<![CDATA[x]]>",
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>',
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>&lol2;',
  "&amp;&lt;&#0;&#x1F;&unknown;",
  "javascript:alert(1)",
  "../../../../etc/passwd",
  "..\\..\\..\\windows\\win.ini",
  "x\r\nX-Injected: 1",
  "x\r\n\r\n<html>",
  "\u0000",
  "a\u0000b",
  "\u0001\u0008\u000b\u000c\u001f\u007f",
  "\ufffe\uffff",
  "$" + "{jndi:ldap://x}",
  "{{7*7}}",
  "__proto__",
  "constructor",
  "\ud800",
  "\udfff\ud800",
  "\u202e\u0041",
  "😀".repeat(20),
  "NaN",
  "Infinity",
  "-1",
  "9".repeat(400),
  " ",
  ""
]

/** Raw (already encoded) URL text, much of it invalid percent-encoding or invalid UTF-8. */
export const rawEncoded: ReadonlyArray<string> = [
  "%",
  "%Z",
  "%ZZ",
  "%C3%28",
  "%FF%FE",
  "%ED%A0%80",
  "%C0%AF",
  "%00",
  "a%00b",
  "%0D%0AX-Injected:%201",
  "%2e%2e",
  "%2F..%2F..",
  "%E0%A4%A",
  "%uD800",
  "%25",
  "%3Cscript%3E"
]

/** Invalid UTF-8 byte sequences (overlong, surrogate, truncated, stray continuation …). */
export const invalidUtf8: ReadonlyArray<ReadonlyArray<number>> = [
  [0xc3, 0x28],
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80]
]

/** `encodeURIComponent`, lone surrogates first replaced (it throws on them). */
export const enc = (s: string): string =>
  encodeURIComponent(
    s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
  )

/** Inserts bytes into a text at a position (in UTF-8 bytes of the text before it). */
export const spliceBytes = (text: string, at: number, bytes: ReadonlyArray<number>): Uint8Array => {
  const encoded = new TextEncoder().encode(text)
  const cut = Math.max(0, Math.min(encoded.length, at))
  const out = new Uint8Array(encoded.length + bytes.length)
  out.set(encoded.subarray(0, cut), 0)
  out.set(bytes, cut)
  out.set(encoded.subarray(cut), cut + bytes.length)
  return out
}

/** A raw HTTP request. */
export interface RawRequest {
  readonly method: string
  /** Path and query, already encoded. */
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
}

/** What came back: the status (-1 when the request could not be sent), headers and text. */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

/** Sends a request with `fetch`; never rejects. */
export const send = (base: string, request: RawRequest): Promise<RawResponse> => {
  const init: RequestInit = { method: request.method, headers: { ...request.headers } }
  if (request.body !== undefined) init.body = request.body
  return fetch(`${base}${request.url}`, init).then(
    async (response) => ({
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      text: await response.text()
    }),
    (error: unknown) => ({ status: -1, headers: {}, text: String(error) })
  )
}

/** Sends requests with a few at a time in flight; the responses in request order. */
export const sendAll = async <A extends RawRequest>(
  base: string,
  requests: ReadonlyArray<A>,
  concurrency = 8
): Promise<Array<{ readonly request: A; readonly response: RawResponse }>> => {
  const out: Array<{ readonly request: A; readonly response: RawResponse }> = new Array(requests.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const k = next++
      const request = requests[k]
      if (request !== undefined) out[k] = { request, response: await send(base, request) }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return out
}

/**
 * Sends bytes as they are over a socket (for what `fetch` will not send: raw
 * bytes in the request line, a hostile Host header) and reads the reply up to
 * the connection's end (send `Connection: close`); resolves with the raw
 * reply text ("" on error).
 */
export const sendBytes = (port: number, bytes: Uint8Array): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Array<Buffer> = []
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write(bytes))
    socket.setTimeout(5_000, () => socket.destroy())
    socket.on("data", (chunk: Buffer) => chunks.push(chunk))
    socket.on("error", () => undefined)
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")))
  })

/** The status code of a raw HTTP/1.1 reply (-1 if none). */
export const statusOfRaw = (reply: string): number => {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(reply)
  return m?.[1] === undefined ? -1 : Number(m[1])
}

/** The port the in-process server listens on. */
export const serverPort: Effect.Effect<number, never, HttpServer.HttpServer> = HttpServer.addressWith(
  (address) => Effect.succeed(address._tag === "TcpAddress" ? address.port : 0)
)

/** The row count of every table of the database. */
export const rowCounts: Effect.Effect<Record<string, number>, never, SqlClient.SqlClient> = Effect.gen(
  function* () {
    const sql = yield* SqlClient.SqlClient
    const tables = yield* sql.onDialectOrElse({
      sqlite: () => sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
      orElse: () =>
        sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
    })
    const counts: Record<string, number> = {}
    for (const { name } of tables) {
      const rows = yield* sql.unsafe<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM "${name.replace(/"/g, '""')}"`
      )
      counts[name] = Number(rows[0]?.n ?? -1)
    }
    return counts
  }
).pipe(Effect.orDie)
