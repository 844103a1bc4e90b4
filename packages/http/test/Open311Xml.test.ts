import { describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Xml from "../src/Open311Xml.js"
import { parseXml, sameData } from "./Open311Fixtures.js"

const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

describe("Open311Xml", () => {
  it("writes the spec's shapes: a declaration, plural lists of singular items, empty elements for null", () => {
    expect(Xml.document("services", [{ service_code: "BJ-0101", metadata: true }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><services><service><service_code>BJ-0101</service_code><metadata>true</metadata></service></services>'
    )
    expect(Xml.document("errors", [{ code: 403, description: "api_key" }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><errors><error><code>403</code><description>api_key</description></error></errors>'
    )
    expect(Xml.document("service_requests", [{ service_request_id: "1", account_id: null }])).toContain(
      "<request><service_request_id>1</service_request_id><account_id/></request>"
    )
    expect(
      Xml.document("service_definition", { attributes: [{ values: [{ key: "a", name: "甲" }] }] })
    ).toContain(
      "<attributes><attribute><values><value><key>a</key><name>甲</name></value></values></attribute></attributes>"
    )
  })

  it("escapes the five predefined entities", () => {
    expect(Xml.escapeText(`<a href="x">Tom & Jerry's</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
    )
  })

  it.prop(
    "well-formed: any string encodes to a document that parses back to the string without the characters XML forbids",
    [fc.string({ unit: "binary", maxLength: 80 })],
    ([text]) => {
      const parsed = parseXml(Xml.document("description", text))
      expect(parsed.text).toBe(text.replace(FORBIDDEN, ""))
    },
    { fastCheck: { numRuns: 300 } }
  )

  it.prop(
    "same data: a JSON value of requests encodes to XML carrying the same fields and items",
    [
      fc.array(
        fc.record({
          service_request_id: fc
            .string({ minLength: 1, maxLength: 12 })
            .map((s) => s.replace(FORBIDDEN, "") || "x"),
          lat: fc.option(fc.double({ min: -90, max: 90, noNaN: true })),
          metadata: fc.boolean(),
          keywords: fc.string({ maxLength: 20 }).map((s) => s.replace(FORBIDDEN, ""))
        }),
        { maxLength: 5 }
      )
    ],
    ([value]) => {
      expect(sameData(parseXml(Xml.document("service_requests", value)), value)).toBeUndefined()
    },
    { fastCheck: { numRuns: 100 } }
  )

  it("element names are guarded: an invalid name is never written", () => {
    expect(Xml.isName("service_code")).toBe(true)
    expect(Xml.isName("a b")).toBe(false)
    expect(Xml.isName("xmlns")).toBe(false)
    expect(Xml.encode(Xml.element("<bad>", "x"))).toBe(
      '<?xml version="1.0" encoding="utf-8"?><value>x</value>'
    )
  })
})
