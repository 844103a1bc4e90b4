/**
 * 党组织台账 — the party organisation ledger: one row per organisation
 * (`PartyOrganization.ts`) with its id, parent organisation, kind, name and
 * the unit and/or grid it is built on (支部建在网格上). The kind column takes
 * the kind id (`grid-branch`), its Chinese name in the district kind order
 * (`PartyOrganization.DistrictKindOrder`: 区委, 街道党工委, 片区党委, 社区党总支/大党委,
 * 小区/网格党支部, 楼院党小组, 党员中心户, 党员先锋岗 — or one part of such a name) or
 * a common synonym (社区党委, 网格党支部, 小区党支部 …); an export writes the
 * Chinese name. The unit column takes ids, names or paths like every unit
 * column.
 *
 * @since 0.1.0
 */
import * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

/** Synonyms staff write for a kind, beside the names of the kind order. */
const synonyms: Readonly<Record<PartyOrganization.PartyOrgKind, ReadonlyArray<string>>> = {
  "district-committee": ["区委", "区党委"],
  "street-working-committee": ["党工委", "街道党委", "镇党委"],
  "area-committee": ["片区党委"],
  "community-committee": ["社区党委", "社区党总支", "社区党支部", "大党委", "村党委", "村党总支", "村党支部"],
  "grid-branch": ["网格党支部", "小区党支部", "小区党总支", "楼院党支部", "党支部"],
  "building-group": ["楼院党小组", "楼栋党小组", "党小组"],
  "member-household": ["党员中心户"],
  "vanguard-post": ["党员先锋岗", "先锋岗"]
}

const order = PartyOrganization.DistrictKindOrder

/**
 * 查找党组织类别 — the kind a ledger cell names (id, Chinese name or one part
 * of it, English name, or a synonym).
 *
 * @since 0.1.0
 * @category utils
 */
export const kindNamed = (text: string): PartyOrganization.PartyOrgKind | undefined => {
  const wanted = text.trim()
  const lower = wanted.toLowerCase()
  const level = order.levels.find(
    (l) =>
      l.id === lower ||
      l.nameEn.toLowerCase() === lower ||
      l.name === wanted ||
      l.name.split(/[/／、]/u).some((part) => part.trim() === wanted)
  )
  if (level !== undefined) return PartyOrganization.PartyOrgKind.literals.find((k) => k === level.id)
  return PartyOrganization.PartyOrgKind.literals.find((k) => synonyms[k].includes(wanted))
}

/**
 * 党组织类别（按名称） — a kind from its name, and back to its Chinese name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const KindFromName: Schema.Schema<PartyOrganization.PartyOrgKind, string> = Schema.transformOrFail(
  Schema.String,
  PartyOrganization.PartyOrgKind,
  {
    strict: true,
    decode: (text, _, ast) => {
      const kind = kindNamed(text)
      return kind === undefined
        ? ParseResult.fail(
            new ParseResult.Type(
              ast,
              text,
              `未知的党组织类别「${text}」 unknown party organisation kind "${text}": use one of ` +
                `${order.levels.map((l) => l.name).join("、")} (rule kind)`
            )
          )
        : ParseResult.succeed(kind)
    },
    encode: (kind) => ParseResult.succeed(order.levels.find((l) => l.id === kind)?.name ?? kind)
  }
)

/**
 * 党组织台账 — the spec; rows are `PartyOrganization.PartyOrganization` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<PartyOrganization.PartyOrganization> = Ledger.make({
  sheet: "党组织台账",
  schema: Schema.Struct({ ...PartyOrganization.PartyOrganization.fields, kind: KindFromName }),
  headers: {
    id: "党组织编号",
    parentId: "上级党组织",
    kind: { header: "党组织类别", width: 16 },
    name: { header: "党组织名称", width: 24 },
    unitId: { header: "所在单元", reference: "unit" },
    gridId: "所在网格"
  }
})

/**
 * 党组织层级 — the kind order a set of organisations follows: the district one
 * (区委 on top) when any of them is a 区委, else `PartyOrganization.KindOrder`.
 *
 * @since 0.1.0
 * @category utils
 */
export const kindOrderOf = (
  orgs: ReadonlyArray<PartyOrganization.PartyOrganization>
): typeof PartyOrganization.KindOrder =>
  orgs.some((o) => o.kind === "district-committee")
    ? PartyOrganization.DistrictKindOrder
    : PartyOrganization.KindOrder
