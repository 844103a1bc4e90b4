/**
 * 岗位台账 — the ledger of posts (`Post.ts`): one row per appointment — who
 * holds which post of which body, from when until when (任职起始 … 任职终止,
 * empty while it lasts), whether held concurrently (是否兼任, empty = 否), the
 * grid a 网格长 leads, and the body the holder is dispatched from (派出单位: the
 * street leadership for a 第一书记, 公安 / 城管 / 市场监管 or a co-building unit
 * for a 兼职委员). The rows of a body over time are its appointment history.
 *
 * The post column reads a kind of the post kind table by id, Chinese name
 * (书记, 第一书记, 兼职委员 …) or a common variant, and writes the Chinese name.
 * Body columns read a body id or the name of one of the bodies given (the
 * organisation ledger's rows); an ambiguous name is refused naming its
 * candidates, an unknown one is kept and reported by the core
 * (`OrganizationLedgers.check`).
 *
 * @since 0.1.0
 */
import type * as Body from "@civicgrid/core/Body"
import * as Post from "@civicgrid/core/Post"
import * as Schema from "effect/Schema"
import { bodyByName, Day, kindByName } from "./internal/org.js"
import * as Ledger from "./Ledger.js"

/**
 * 常见写法 — what staff write for the default post kinds, beside their ids
 * and Chinese names.
 *
 * @since 0.1.0
 * @category constants
 */
export const kindSynonyms: Readonly<Record<string, ReadonlyArray<string>>> = {
  secretary: ["党组织书记", "支部书记", "党总支书记", "党委书记"],
  "first-secretary": ["大党委第一书记"],
  member: ["委员", "成员", "两委委员"],
  "part-time-member": ["兼职委员", "兼职成员", "大党委兼职委员"],
  director: ["主任", "居委会主任", "村委会主任"],
  "station-head": ["站长", "工作站站长", "服务站站长"],
  chair: ["理事长", "会长"],
  "council-member": ["理事"],
  "grid-leader": ["网格长"],
  "legal-adviser": ["法律顾问", "村(居)法律顾问"],
  mediator: ["调解员", "人民调解员"],
  "building-leader": ["楼栋长", "楼长"],
  "group-leader": ["居民小组长", "小组长", "组长"]
}

/**
 * What a post ledger reads against: the post kind table and the bodies whose
 * names the body columns may hold.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly postKinds?: Post.PostKindTable
  readonly bodies?: ReadonlyArray<Body.Body>
}

/**
 * 岗位台账行 — a post as a row: the core's `Post` with its kind read by name,
 * its bodies by id or name, its days as day cells and 是否兼任 否 when empty.
 *
 * @since 0.1.0
 * @category schemas
 */
export const rowSchema = (context: Context = {}) => {
  const bodies = context.bodies ?? []
  const body = bodyByName(Post.Post.fields.bodyId, bodies)
  return Schema.Struct({
    ...Post.Post.fields,
    bodyId: body,
    kind: kindByName(Post.PostKindId, context.postKinds ?? Post.defaultKinds, kindSynonyms),
    since: Day,
    until: Schema.optionalWith(Day, { exact: true }),
    concurrent: Schema.optionalWith(Schema.Boolean, { default: () => false }),
    affiliation: Schema.optionalWith(body, { exact: true })
  }).annotations({ identifier: "PostRow", title: "岗位台账行 post row" })
}

/**
 * 岗位台账 — the spec; rows are `Post.Post` values.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (context: Context = {}): Ledger.LedgerSpec<Post.Post> => {
  const postKinds = context.postKinds ?? Post.defaultKinds
  return Ledger.make({
    sheet: "岗位台账",
    schema: rowSchema(context),
    headers: {
      id: "岗位编号",
      bodyId: { header: "所在机构", width: 20 },
      kind: { header: "岗位", width: 12, labels: Object.fromEntries(postKinds.map((k) => [k.id, k.zh])) },
      holder: "任职人编号",
      since: { header: "任职起始", width: 12, halfWidth: true },
      until: { header: "任职终止", width: 12, halfWidth: true },
      concurrent: "是否兼任",
      gridId: "所在网格",
      affiliation: { header: "派出单位", width: 20 }
    }
  })
}

/**
 * 岗位台账 — the spec with the default post kinds, bodies by id.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<Post.Post> = make()
