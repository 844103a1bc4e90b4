import * as CaseCategory from "@civicgrid/core/CaseCategory"
import * as Open311 from "@civicgrid/http/Open311"
import * as Schema from "effect/Schema"
import { makeWebHandler } from "./endpoint.js"

const base = "http://localhost/open311/v2"

// The core has the schemas of Open311's service list and service definition: decode what you read.
const read =
  <A, I>(schema: Schema.Schema<A, I>) =>
  async (response: Response): Promise<A> =>
    Schema.decodeUnknownPromise(schema)(await response.json())
const Created = Schema.Tuple(Schema.Struct({ service_request_id: Schema.String }))

// What a FixMyStreet-style client does: read the services, then POST a form-encoded request.
export const reportStreetLight = async () => {
  const { handler, dispose } = makeWebHandler()
  try {
    const services = await read(Schema.Array(CaseCategory.Open311Service))(
      await handler(new Request(`${base}/services.json`))
    )
    // → one service per 小类, e.g. { service_code: "BJ-0112", service_name: "路灯", group: "部件/公用设施", … }

    const definition = await read(CaseCategory.Open311ServiceDefinition)(
      await handler(new Request(`${base}/services/BJ-0112.json`))
    )
    // → attributes: lamp_fault (required list: off 不亮, on_by_day 白天亮灯, flickering 闪烁 …), facility_number

    const posted = await handler(
      new Request(`${base}/requests.json`, {
        method: "POST",
        body: new URLSearchParams({
          api_key: "fms-key-2025",
          service_code: "BJ-0112", // 路灯 street light
          lat: "25.065",
          long: "102.725", // inside 金沙第一网格 → 金沙社区
          address_string: "金沙苑3栋2单元501室",
          "attribute[lamp_fault]": "off",
          description: "路灯不亮，联系电话 13812341234",
          first_name: "三",
          last_name: "张",
          phone: "13812341234"
        })
      })
    )
    const [created] = await read(Created)(posted)
    // → 201 [{ service_request_id: "o311-…", service_notice: null, account_id: null }]

    const request = await (
      await handler(new Request(`${base}/requests/${created.service_request_id}.json`))
    ).json()
    // → [{ status: "open", extended_status: "OPEN", service_code: "BJ-0112", agency_responsible: "金沙社区",
    //      description: "路灯不亮，联系电话 138****1234", address: "金沙苑3栋",
    //      lat: 25.065242, long: 102.724634, expected_datetime: the 立案 deadline,
    //      jurisdiction_id: "panlong.km.example.cn", … }]
    //    — no name, no phone: the reporter's contact is kept for the return visit, never published;
    //    the position is the centre of its ~100 m cell, Privacy.coarsenPosition([102.725, 25.065], 100),
    //    and the address has no unit or room (Config.publication, by default Privacy.defaultPolicy).

    // A reporter who consents to exact publication says so with `publish_exact=true`.
    const consented = await handler(
      new Request(`${base}/requests.json`, {
        method: "POST",
        body: new URLSearchParams({
          api_key: "fms-key-2025",
          service_code: "BJ-0112",
          lat: "25.065",
          long: "102.725",
          address_string: "金沙苑3栋2单元501室",
          "attribute[lamp_fault]": "flickering",
          publish_exact: "true"
        })
      })
    )
    const [exact] = await read(Created)(consented)
    const published = await (
      await handler(new Request(`${base}/requests/${exact.service_request_id}.json`))
    ).json()
    // → [{ …, address: "金沙苑3栋2单元501室", lat: 25.065, long: 102.725, … }]: as reported

    const refused = await handler(
      new Request(`${base}/requests.json`, {
        method: "POST",
        body: new URLSearchParams({ service_code: "BJ-0112", lat: "25.065", long: "102.725" })
      })
    )
    // → 403 [{ code: 403, description: "api_key: 缺少 api_key (api_key is required)" }]

    const invalid = await handler(
      new Request(`${base}/requests.json`, {
        method: "POST",
        body: new URLSearchParams({
          api_key: "fms-key-2025",
          service_code: "BJ-0112",
          lat: "25.065",
          long: "102.725"
        })
      })
    )
    // → 400 naming every bad field: [{ code: 400, description: "attribute[lamp_fault]: required: …" }]

    return {
      services,
      definition,
      created: { status: posted.status, id: created.service_request_id },
      request,
      exact: published,
      refused: { status: refused.status, body: await refused.json() },
      invalid: { status: invalid.status, body: await invalid.json() }
    }
  } finally {
    await dispose()
  }
}

// The status mapping is data: case status (and void reason) → Open311 open/closed + FixMyStreet's extended status.
export const statusRows = Open311.statusTable.map(
  (row) =>
    `${row.status}${row.voidReason === undefined ? "" : `/${row.voidReason}`} → ${row.open311} ${row.extended}`
)
// → "reported → open OPEN", "accepted → open INVESTIGATING", "dispatched → open ACTION_SCHEDULED",
//   "handled → open IN_PROGRESS", "closed → closed FIXED", "voided/duplicate → closed DUPLICATE",
//   "voided/not-ours → closed NOT_COUNCILS_RESPONSIBILITY", "merged → closed DUPLICATE", …
