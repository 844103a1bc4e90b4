import { describe, expect, it } from "@effect/vitest"
import * as HttpReference from "../src/docs/HttpReference.js"
import { stableJson } from "../src/internal/markdown.js"

describe("HTTP reference (OpenApi.fromApi(Api))", () => {
  const spec = HttpReference.spec()
  const files = HttpReference.render([], spec)
  const page = files.get(HttpReference.page) ?? ""
  const json = files.get(HttpReference.openApiPath) ?? ""

  it("writes the OpenAPI document unchanged but for key order", () => {
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(spec)))
  })

  it("writes every object's keys in sorted order", () => {
    const check = (value: unknown, path: string): void => {
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) check(v, `${path}[${i}]`)
      } else if (value !== null && typeof value === "object") {
        const keys = Object.keys(value)
        expect(keys, path).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
        for (const [k, v] of Object.entries(value)) check(v, `${path}.${k}`)
      }
    }
    check(JSON.parse(json), "$")
    expect(stableJson(JSON.parse(json))).toBe(json)
  })

  it("lists every path and method of the document, with its summary and error statuses", () => {
    const endpoints = HttpReference.endpoints(spec)
    expect(endpoints.length).toBe(
      Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0)
    )
    for (const e of endpoints) {
      const title = `${e.method.toUpperCase()} ${e.path}`
      expect(page, title).toContain(`\n### ${title}\n`)
      const row = page.split("\n").find((l) => l.startsWith(`| ${e.method.toUpperCase()} | \`${e.path}\` |`))
      expect(row, title).toBeDefined()
      expect(row, title).toContain(HttpReference.errorStatuses(e.operation).join(", "))
      for (const status of HttpReference.errorStatuses(e.operation))
        expect(Number(status)).toBeGreaterThanOrEqual(400)
    }
  })

  it("names the request body schema of every operation that has one", () => {
    for (const e of HttpReference.endpoints(spec)) {
      const body = e.operation.requestBody?.content["application/json"]
      if (body === undefined) continue
      const section = page.split(`\n### ${e.method.toUpperCase()} ${e.path}\n`)[1]?.split("\n### ")[0] ?? ""
      expect(section).toContain(`Request body: \`${HttpReference.schemaName(body.schema)}\``)
    }
  })
})
