/**
 * 组织台账 — the ledger of bodies (`Body.ts`): one row per committee, station,
 * council, company, organisation, department or party body, with its id, kind,
 * name, the unit it belongs to, its node in the party tree, the line of a
 * department (公安, 城管, 市场监管 …) and its term (成立日期 … 撤销日期; a
 * temporary branch carries its end).
 *
 * The kind column reads a kind of the kind table by id, Chinese name (居民委员会,
 * 社区大党委 …) or what staff commonly write (居委会, 大党委, 党总支, 物业公司 …),
 * and writes the Chinese name; a kind the table does not hold is kept as an
 * id and reported by the core's integrity rule (`OrganizationLedgers.check`).
 * The unit column reads ids, names or paths (`Ledger.Options.units`); days read
 * `2024-03-01`, `2024/3/1`, `2024年3月1日` or an Excel date.
 *
 * @since 0.1.0
 */
import * as Body from "@civicgrid/core/Body"
import * as Schema from "effect/Schema"
import { Day, kindByName } from "./internal/org.js"
import * as Ledger from "./Ledger.js"

/**
 * 常见写法 — what staff write for the default kinds, beside their ids and
 * Chinese names.
 *
 * @since 0.1.0
 * @category constants
 */
export const kindSynonyms: Readonly<Record<string, ReadonlyArray<string>>> = {
  "residents-committee": ["居委会", "社区居委会", "居民委员会"],
  "villagers-committee": ["村委会", "村民委员会"],
  workstation: ["工作站", "服务站", "社区工作站", "社区服务站", "党群服务中心"],
  "grid-station": ["网格工作站", "网格工作组", "网格服务站"],
  "governance-council": ["治理理事会", "理事会", "社区治理理事会"],
  "owners-committee": ["业委会", "院委会", "业主委员会"],
  "property-company": ["物业公司", "物业企业", "物业"],
  "social-organization": ["社会组织"],
  "co-building-unit": ["共建单位", "结对共建单位", "共驻共建单位"],
  department: ["职能部门", "部门"],
  "street-leadership": ["街道领导班子", "街道班子"],
  "community-party-committee": ["社区党委", "社区党总支", "党总支", "党委"],
  "community-party-branch": ["社区党支部"],
  "big-party-committee": ["大党委", "社区大党委"],
  "compound-party-branch": ["小区党支部", "网格党支部", "小区/网格党支部"],
  "property-party-branch": ["物业党组织", "物业党支部"],
  "temporary-party-branch": ["临时党支部"],
  "mediation-committee": ["调委会", "人民调解委员会", "调解委员会"]
}

/**
 * 职能条线名称 — the Chinese names of the three sectors the 大党委 must take
 * in; other sectors are written by id.
 *
 * @since 0.1.0
 * @category constants
 */
export const sectorLabels: Readonly<Record<string, string>> = {
  [Body.sectors.publicSecurity]: "公安",
  [Body.sectors.urbanManagement]: "城管",
  [Body.sectors.marketRegulation]: "市场监管"
}

/**
 * 组织台账行 — a body as a row: the core's `Body` with its kind read by name
 * from `kinds` and its days as day cells.
 *
 * @since 0.1.0
 * @category schemas
 */
export const rowSchema = (kinds: Body.BodyKindTable = Body.defaultKinds) =>
  Schema.Struct({
    ...Body.Body.fields,
    kind: kindByName(Body.BodyKindId, kinds, kindSynonyms),
    since: Schema.optionalWith(Day, { exact: true }),
    until: Schema.optionalWith(Day, { exact: true })
  }).annotations({ identifier: "BodyRow", title: "组织台账行 body row" })

/** The Chinese names of a table's entries, as a column's labels (the template's drop-down). */
const namesOf = (entries: ReadonlyArray<{ readonly id: string; readonly zh: string }>) =>
  Object.fromEntries(entries.map((e) => [e.id, e.zh]))

/**
 * 组织台账 — the spec for a kind table; rows are `Body.Body` values.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (kinds: Body.BodyKindTable = Body.defaultKinds): Ledger.LedgerSpec<Body.Body> =>
  Ledger.make({
    sheet: "组织台账",
    schema: rowSchema(kinds),
    headers: {
      id: "机构编号",
      kind: { header: "机构类别", width: 16, labels: namesOf(kinds) },
      name: { header: "机构名称", width: 24 },
      unitId: { header: "所属单元", reference: "unit" },
      partyOrgId: "对应党组织",
      sector: { header: "职能条线", labels: sectorLabels },
      since: { header: "成立日期", width: 12, halfWidth: true },
      until: { header: "撤销日期", width: 12, halfWidth: true }
    }
  })

/**
 * 组织台账 — the spec for the default kinds.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<Body.Body> = make()
