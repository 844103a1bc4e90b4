/**
 * Requests Node refuses before any handler runs are answered in the API's JSON
 * error body, naming the rule, and the connection is closed.
 */

import type { AddressInfo } from "node:net"
import { connect } from "node:net"
import * as NodeServer from "@civicgrid/demo/NodeServer"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"

/** Sends raw bytes to a fresh server and reads everything it answers until it closes. */
const exchange = async (raw: string, maxHeaderSize?: number): Promise<string> => {
  const server = NodeServer.createServer(maxHeaderSize === undefined ? {} : { maxHeaderSize })
  server.on("request", (_req, res) => res.end("ok"))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  try {
    return await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1")
      let answer = ""
      socket.setEncoding("utf8")
      socket.on("data", (chunk: string) => {
        answer += chunk
      })
      socket.on("end", () => resolve(answer))
      socket.on("error", reject)
      socket.write(raw)
    })
  } finally {
    server.close()
  }
}

const bodyOf = (answer: string): unknown => JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))

describe("NodeServer.createServer", () => {
  it("a request line over the header limit is a JSON 431 naming the rule, the connection closed", async () => {
    const answer = await exchange(`GET /cases?q=${"x".repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`)
    expect(answer.startsWith("HTTP/1.1 431 ")).toBe(true)
    expect(answer).toContain("Connection: close")
    expect(bodyOf(answer)).toMatchObject({ _tag: "HeaderTooLarge", field: "headers", rule: "header-size" })
    expect((bodyOf(answer) as { message: string }).message).toMatch(/请求头.*16 KiB.*headers/)
  })

  it("headers over a configured limit are a 431 with that limit; under it, the handler answers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 8 }), fc.boolean(), async (kib, over) => {
        const limit = kib * 1024
        const padding = "y".repeat(over ? limit + 100 : limit - 200)
        const answer = await exchange(
          `GET / HTTP/1.1\r\nHost: a\r\nX-Pad: ${padding}\r\nConnection: close\r\n\r\n`,
          limit
        )
        if (over) {
          expect(answer.startsWith("HTTP/1.1 431 ")).toBe(true)
          expect((bodyOf(answer) as { message: string }).message).toContain(`${kib} KiB`)
        } else {
          expect(answer.startsWith("HTTP/1.1 200 ")).toBe(true)
        }
      }),
      { numRuns: 12 }
    )
  })

  it("bytes that are not HTTP are a JSON 400 naming the rule", async () => {
    const answer = await exchange("HELLO THERE\r\n\r\n")
    expect(answer.startsWith("HTTP/1.1 400 ")).toBe(true)
    expect(bodyOf(answer)).toMatchObject({ _tag: "MalformedRequest", rule: "http-syntax" })
  })

  it("the answer names the rule in Chinese and English", () => {
    for (const code of ["HPE_HEADER_OVERFLOW", "ERR_HTTP_REQUEST_TIMEOUT", "HPE_INVALID_METHOD", undefined]) {
      const { body } = NodeServer.clientErrorAnswer(code, 16_384)
      expect(body.message).toMatch(/[\u4e00-\u9fff]/)
      expect(body.message).toMatch(/[a-z]{4}/)
      expect(body.message).toContain(`(rule ${body.rule})`)
    }
  })
})
