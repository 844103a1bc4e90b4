/**
 * 职能部门 — a functional department a case can be dispatched to (城管, 排水,
 * 市场监管 …): an id, its Chinese and English names, and its jurisdiction, the
 * unit whose subtree it serves (a district-level bureau serves the whole
 * district; a street's 综合执法队 only its street). The command centre's
 * 指挥派遣 step sends a case to a handling unit or to such a department
 * (CJJ/T 106's 任务派遣); dispatching to a department that is not registered, or
 * that does not serve the case's community, is refused by the use case
 * (`CaseService`).
 *
 * `standard` names the departments the standard category catalogue hints at
 * (`CaseCategory.Standard`'s `departmentId`s); a district registers the ones
 * it has, each with its jurisdiction (`fromStandard`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { DepartmentId } from "./Actor.js"
import * as Text from "./Text.js"
import { UnitId } from "./Unit.js"

/**
 * 职能部门 — a registered department.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Department = Schema.Struct({
  id: DepartmentId,
  /** 中文名称 */
  name: Text.Name,
  /** English name */
  nameEn: Text.line(Text.limits.title),
  /** 辖区 — the unit whose subtree the department serves. */
  jurisdiction: UnitId
}).annotations({ identifier: "Department", title: "职能部门 department" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Department extends Schema.Schema.Type<typeof Department> {}

/**
 * 常见职能部门 — the departments the standard catalogue's categories hint at,
 * by id, with their Chinese and English names.
 *
 * @since 0.1.0
 * @category constants
 */
export const standard: Readonly<Record<string, { readonly name: string; readonly nameEn: string }>> = {
  "civil-affairs": { name: "民政局", nameEn: "Civil Affairs Bureau" },
  "civil-air-defence": { name: "人防办", nameEn: "Civil Air Defence Office" },
  "culture-market": { name: "文化市场综合执法队", nameEn: "Culture Market Enforcement" },
  drainage: { name: "排水公司", nameEn: "Drainage Company" },
  "ecology-environment": { name: "生态环境局", nameEn: "Ecology and Environment Bureau" },
  education: { name: "教育体育局", nameEn: "Education Bureau" },
  "emergency-management": { name: "应急管理局", nameEn: "Emergency Management Bureau" },
  "fire-rescue": { name: "消防救援大队", nameEn: "Fire and Rescue Brigade" },
  gas: { name: "燃气公司", nameEn: "Gas Company" },
  heating: { name: "供热公司", nameEn: "Heating Company" },
  housing: { name: "住房和城乡建设局", nameEn: "Housing and Urban-Rural Development Bureau" },
  "human-resources": { name: "人力资源和社会保障局", nameEn: "Human Resources and Social Security Bureau" },
  landscaping: { name: "园林绿化局", nameEn: "Landscaping Bureau" },
  "market-regulation": { name: "市场监督管理局", nameEn: "Market Regulation Bureau" },
  mediation: { name: "人民调解委员会", nameEn: "People's Mediation Committee" },
  "natural-resources": { name: "自然资源局", nameEn: "Natural Resources Bureau" },
  petition: { name: "信访局", nameEn: "Petitions Bureau" },
  postal: { name: "邮政管理局", nameEn: "Postal Administration" },
  power: { name: "供电局", nameEn: "Power Supply Bureau" },
  "public-security": { name: "公安分局", nameEn: "Public Security Sub-bureau" },
  "public-transport": { name: "公交公司", nameEn: "Public Transport Company" },
  roads: { name: "市政道路管理处", nameEn: "Municipal Roads Office" },
  sanitation: { name: "环境卫生管理处", nameEn: "Sanitation Office" },
  sports: { name: "体育局", nameEn: "Sports Bureau" },
  "street-lighting": { name: "路灯管理所", nameEn: "Street Lighting Office" },
  telecom: { name: "通信管理局", nameEn: "Telecommunications Office" },
  "traffic-police": { name: "交警大队", nameEn: "Traffic Police Brigade" },
  transport: { name: "交通运输局", nameEn: "Transport Bureau" },
  "urban-management": { name: "城市管理综合执法局", nameEn: "Urban Management Enforcement Bureau" },
  "water-affairs": { name: "水务局", nameEn: "Water Affairs Bureau" },
  "water-supply": { name: "供水公司", nameEn: "Water Supply Company" }
}

/**
 * The registered departments for the standard ids, each serving `jurisdiction`
 * (e.g. the district), in id order.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromStandard = (jurisdiction: UnitId): ReadonlyArray<Department> =>
  Object.keys(standard)
    .sort()
    .map((id) => {
      const names = standard[id] ?? { name: id, nameEn: id }
      return { id: DepartmentId.make(id), name: names.name, nameEn: names.nameEn, jurisdiction }
    })
