/**
 * docs/guides/open311.md — Open311 GeoReport v2 through a web handler: the
 * services come from the catalogue, a form-encoded POST creates a case, the
 * public view carries no personal data, and errors name the field.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as Privacy from "@civicgrid/core/Privacy"
import * as Open311 from "@civicgrid/http/Open311"
import { describe, expect, it } from "@effect/vitest"
import * as Endpoint from "../guides/snippets/open311/endpoint.js"
import * as Requests from "../guides/snippets/open311/requests.js"
import { guidesDir } from "../scripts/snippets.js"

describe("open311 guide", () => {
  it("the web handler serves discovery under /open311/v2 with the configured contact; unknown paths are a 404 array", async () => {
    const { handler, dispose } = Endpoint.makeWebHandler()
    try {
      const discovery = await handler(new Request("http://localhost/open311/v2/discovery.json"))
      expect(discovery.status).toBe(200)
      expect(await discovery.json()).toMatchObject({
        contact: "盘龙区城市运行管理中心 12345",
        endpoints: [{ type: "test", formats: ["application/json", "text/xml"] }]
      })
      const xml = await handler(new Request("http://localhost/open311/v2/services.xml"))
      expect(xml.headers.get("content-type")).toMatch(/^text\/xml/)
      const unknown = await handler(new Request("http://localhost/open311/v2/nothing.json"))
      expect(unknown.status).toBe(404)
      expect(await unknown.json()).toEqual([{ code: 404, description: expect.stringMatching(/^endpoint: /) }])
    } finally {
      await dispose()
    }
  })

  it("services = the catalogue's 小类; a POST creates an open request routed to 金沙社区 with no reporter data", async () => {
    const result = await Requests.reportStreetLight()
    expect(result.services.length).toBe(CaseCategory.minors(CaseCategory.Standard).length)
    expect(result.services.find((s) => s.service_code === "BJ-0112")?.service_name).toBe("路灯")
    expect(result.definition).toMatchObject({
      service_code: "BJ-0112",
      attributes: [
        { code: "lamp_fault", required: true },
        { code: "facility_number", required: false }
      ]
    })

    expect(result.created.status).toBe(201)
    expect(result.created.id).toMatch(/^o311-/)
    // the default publication policy: the position snapped to its ~100 m cell, the address without unit and room
    const [coarseLong, coarseLat] = Privacy.coarsenPosition([102.725, 25.065], 100)
    expect([coarseLong, coarseLat]).not.toEqual([102.725, 25.065])
    expect(result.request).toMatchObject([
      {
        service_request_id: result.created.id,
        status: "open",
        extended_status: "OPEN",
        service_code: "BJ-0112",
        service_name: "路灯",
        agency_responsible: "金沙社区",
        address: "金沙苑3栋",
        lat: coarseLat,
        long: coarseLong,
        jurisdiction_id: "panlong.km.example.cn"
      }
    ])
    // the values the guide quotes
    expect([coarseLat, coarseLong]).toEqual([25.065242, 102.724634])
    // privacy: neither the name nor the phone appears anywhere in the public view
    const published = JSON.stringify(result.request)
    expect(published).not.toContain("13812341234")
    expect(published).not.toContain("张")
    expect(published).toContain("138****1234")
    expect(published).not.toContain("501")
  })

  it("a report with publish_exact=true is published with its exact position and full address", async () => {
    const result = await Requests.reportStreetLight()
    expect(result.exact).toMatchObject([
      { status: "open", address: "金沙苑3栋2单元501室", lat: 25.065, long: 102.725 }
    ])
  })

  it("a POST without api_key is a 403; a missing required attribute is a 400 naming attribute[lamp_fault]", async () => {
    const { refused, invalid } = await Requests.reportStreetLight()
    expect(refused).toEqual({
      status: 403,
      body: [{ code: 403, description: "api_key: 缺少 api_key (api_key is required)" }]
    })
    expect(invalid.status).toBe(400)
    expect(invalid.body).toEqual([
      { code: 400, description: expect.stringMatching(/^attribute\[lamp_fault\]: missing-required: /) }
    ])
  })

  it("the status mapping is the package's table: open while in the loop, closed with FIXED or a reason", () => {
    expect(Requests.statusRows).toContain("reported → open OPEN")
    expect(Requests.statusRows).toContain("closed → closed FIXED")
    expect(Requests.statusRows).toContain("voided/not-ours → closed NOT_COUNCILS_RESPONSIBILITY")
    expect(Requests.statusRows.length).toBe(Open311.statusTable.length)
    expect(Open311.statusOf("dispatched", null)).toMatchObject({
      open311: "open",
      extended: "ACTION_SCHEDULED"
    })
  })

  it("the guide's status table agrees with Open311.statusTable, row by row", () => {
    const table = readFileSync(join(guidesDir, "open311.md"), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .map((line) => line.split("|").map((cell) => cell.trim()))
    for (const row of Open311.statusTable) {
      const cells = table.find((c) => c[1]?.includes(`\`${row.status}\``))
      expect(cells, `a table row for ${row.status}`).toBeDefined()
      expect(cells?.[2], row.status).toBe(row.open311)
      expect(cells?.[3], row.status).toContain(`\`${row.extended}\``)
      if (row.voidReason !== undefined) expect(cells?.[1]).toContain(row.voidReason)
    }
    const statuses = new Set<string>(Open311.statusTable.map((row) => row.status))
    const listed = table.flatMap((c) => [...(c[1] ?? "").matchAll(/`([a-z-]+)`/g)].map((m) => m[1] ?? ""))
    expect(listed.filter((s) => !statuses.has(s))).toEqual([])
  })
})
