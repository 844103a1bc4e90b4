/**
 * The compact form the built-in category catalogues are written in: one
 * family holds its major classes, each major class its minor classes, each
 * minor class its attributes. `CaseCategory` turns a spec into flat rows
 * (ids `BJ-0101` / `SJ-0101`, attribute order = position).
 *
 * Internal: not exported from the barrel.
 */
import type { Urgency } from "../CaseCategory.js"
import type { Tier } from "../Tier.js"

/** One attribute a report of the minor class fills in. */
export interface AttributeSpec {
  readonly code: string
  readonly datatype: "string" | "number" | "datetime" | "text" | "singlevaluelist" | "multivaluelist"
  readonly description: string
  readonly required?: boolean
  readonly datatypeDescription?: string
  /** `[key, name]` pairs, for list datatypes. */
  readonly values?: ReadonlyArray<readonly [string, string]>
}

/** 小类 — a minor class; its code is the two-digit suffix under its major class. */
export interface MinorSpec {
  readonly code: string
  readonly name: string
  readonly description?: string
  readonly keywords?: ReadonlyArray<string>
  readonly attributes?: ReadonlyArray<AttributeSpec>
  readonly startTier?: Tier
  readonly urgency?: Urgency
  readonly departmentId?: string
}

/** 大类 — a major class with its minor classes. */
export interface MajorSpec {
  readonly code: string
  readonly name: string
  readonly description?: string
  readonly minors: ReadonlyArray<MinorSpec>
}

/** 部件 or 事件 — one family of a catalogue. */
export interface FamilySpec {
  readonly family: "component" | "event"
  readonly majors: ReadonlyArray<MajorSpec>
}

// ---------------------------------------------------------------------------
// Attributes shared by several minor classes
// ---------------------------------------------------------------------------

/** 井盖状况 — the state of a manhole cover. */
export const coverState: AttributeSpec = {
  code: "cover_state",
  datatype: "singlevaluelist",
  description: "井盖状况",
  required: true,
  values: [
    ["missing", "丢失"],
    ["broken", "破损"],
    ["displaced", "移位"],
    ["uneven", "凹陷或凸起"],
    ["noisy", "松动异响"]
  ]
}

/** 设施状况 — the state of a facility (kiosk, sign, railing …). */
export const facilityState: AttributeSpec = {
  code: "facility_state",
  datatype: "singlevaluelist",
  description: "设施状况",
  required: true,
  values: [
    ["damaged", "破损"],
    ["missing", "缺失"],
    ["leaning", "倾斜"],
    ["dirty", "污损"],
    ["other", "其他"]
  ]
}

/** 灯具故障 — what is wrong with a lamp. */
export const lampFault: AttributeSpec = {
  code: "lamp_fault",
  datatype: "singlevaluelist",
  description: "故障类型",
  required: true,
  values: [
    ["off", "不亮"],
    ["on_by_day", "白天亮灯"],
    ["flickering", "闪烁"],
    ["pole_damaged", "灯杆破损或倾斜"],
    ["wire_exposed", "电线裸露"]
  ]
}

/** 杆件编号 — the number painted on a pole or facility, where visible. */
export const facilityNumber: AttributeSpec = {
  code: "facility_number",
  datatype: "string",
  description: "设施编号（杆号、亭号等，可见时填写）"
}

/** 估计数量 — an estimated volume in cubic metres. */
export const volume: AttributeSpec = {
  code: "volume_m3",
  datatype: "number",
  description: "估计体量（立方米）",
  datatypeDescription: "非负数，单位立方米"
}

/** 发生时间 — when it happened or was first seen. */
export const occurredAt: AttributeSpec = {
  code: "occurred_at",
  datatype: "datetime",
  description: "发生（发现）时间",
  datatypeDescription: "ISO 8601，如 2024-05-01T08:30:00+08:00"
}

/** 人员伤亡 — whether people are hurt (for emergencies). */
export const casualties: AttributeSpec = {
  code: "casualties",
  datatype: "singlevaluelist",
  description: "是否有人员伤亡",
  required: true,
  values: [
    ["none", "无"],
    ["injured", "有人受伤"],
    ["fatal", "有人死亡"],
    ["unknown", "不清楚"]
  ]
}

/** 时段 — day or night (noise, construction). */
export const period: AttributeSpec = {
  code: "period",
  datatype: "singlevaluelist",
  description: "发生时段",
  required: true,
  values: [
    ["day", "日间（6:00—22:00）"],
    ["night", "夜间（22:00—次日6:00）"]
  ]
}

/** 经营品类 — what a street vendor sells. */
export const goods: AttributeSpec = {
  code: "goods",
  datatype: "multivaluelist",
  description: "经营品类",
  values: [
    ["produce", "果蔬"],
    ["snacks", "小吃餐饮"],
    ["daily_goods", "日用百货"],
    ["clothing", "服装鞋帽"],
    ["other", "其他"]
  ]
}

/** 车牌号 — the plate of a vehicle, where visible. */
export const plate: AttributeSpec = {
  code: "plate",
  datatype: "string",
  description: "车牌号（可见时填写）"
}

/** 补充说明 — free text. */
export const details: AttributeSpec = {
  code: "details",
  datatype: "text",
  description: "补充说明"
}
