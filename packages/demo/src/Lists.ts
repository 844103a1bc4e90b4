/**
 * 三张清单 — the demo district's problem, resource and task lists (the community experience report's
 * 清单工作法: "列出问题清单 … 资源清单 … 任务清单"), generated deterministically for
 * a `DemoDistrict` over the cases' year.
 *
 * - **问题清单** — a few problems per community (4–8 by default), spread over
 *   the five default categories (物业管理, 环境整治, 文化娱乐, 养老服务, 儿童关爱)
 *   with the texts of the source reports (小区电瓶车乱停、飞线充电; 老旧小区加装电梯意见
 *   征集; 独居老人助餐; "四点半课堂" …), located at the community, one of its
 *   compounds or buildings, reported on working days of the year. Each came
 *   from a grid worker's household visit 入户走访 (naming the grid's full-time
 *   worker), a compound party branch 党支部收集 (naming the grid's branch),
 *   another channel (居民议事会 …), or a platform case 平台案件: a problem of a
 *   kind the seeded cases know (非机动车乱停放, 垃圾满溢 …) links the community's
 *   cases of that kind from the half year before it.
 * - **资源清单** — per street, what co-building units 共建单位 (城管, 派出所, 消防,
 *   房管, 卫生服务中心, 结对共建市直机关, 物业服务企业) and social organisations 社会
 *   组织 (社工机构, 蓝天救援队, 文艺协会) offer to all its communities; per
 *   community its venue (党群服务中心活动室), a 居家养老服务站, often a 公益微基金,
 *   party members of the four classes 骨干 / 一般 / 老年 / 流动 (a 流动党员 only
 *   in the summer holidays) and a volunteer team — with capability tags and
 *   capacity.
 * - **任务清单** — the core `Planner` matches the open problems against the
 *   resources (tags, scope, availability, capacity), street by street: a
 *   street's problems can only be served by its own and its communities'
 *   resources, so the tasks are those of one plan over the district (an
 *   unmatched problem is explained within its street). Each planned problem
 *   goes `open → planned` (`ProblemList.plan`). Then the year is played
 *   forward to its last working day (`asOf`) with the core transitions only:
 *   most tasks are started and done (`TaskList.start`, `complete`; some late,
 *   逾期办结) and their problems resolved (`ProblemList.resolve`); a few stall
 *   past their deadline (超期) and are put under street, then district
 *   supervision (督办, `TaskList.supervise`); safety problems are supervised
 *   by the community from the start; now and then a task is cancelled (the
 *   works go into a district renovation project, a new property company takes
 *   over …) and its problem closed with the reason (`TaskList.cancel`,
 *   `ProblemList.close`); requests outside the community's remit are closed
 *   unplanned (不予解决); problems no resource can serve stay open and are
 *   explained (`unmatched`, e.g. 加装电梯施工 needs a capability nobody on the
 *   list offers).
 *
 * Viewed after `asOf`, every task still open is overdue, as every open case
 * of the year is.
 *
 * @since 0.1.0
 */
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import type * as PartyOrganization from "@civicgrid/core/PartyOrganization"
import * as Planner from "@civicgrid/core/Planner"
import * as ProblemList from "@civicgrid/core/ProblemList"
import * as ResourceList from "@civicgrid/core/ResourceList"
import type * as Staffing from "@civicgrid/core/Staffing"
import * as TaskList from "@civicgrid/core/TaskList"
import type * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { DemoDistrict } from "./District.js"
import {
  describeViolations,
  integerIn,
  officialYear,
  officialYearLimits,
  optionViolation,
  safeInteger,
  validateWith
} from "./internal/options.js"
import { random } from "./internal/random.js"

// ---------------------------------------------------------------------------
// options
// ---------------------------------------------------------------------------

/**
 * 清单选项 — how many problems, in which year, from which seed. Every field
 * is optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 随机种子 — any safe integer (default 1235, the community experience report's "1235" 治理格局). */
  readonly seed?: number
  /**
   * 年份 — the year the problems are reported in: a year the official working
   * calendar knows (`WorkingCalendar.officialYears()`; default 2025, the
   * cases' default year).
   */
  readonly year?: number
  /** 每社区问题数 — 0 to 50 problems in every community (default: 4 to 8, drawn per community). */
  readonly problemsPerCommunity?: number
}

/**
 * The defaults of `Options`.
 *
 * @since 0.1.0
 * @category models
 */
export const defaults = {
  seed: 1235,
  year: 2025,
  /** Problems per community when `problemsPerCommunity` is not given: drawn from this range. */
  problemsPerCommunity: { min: 4, max: 8 }
} as const

/**
 * The limits `validate` checks.
 *
 * @since 0.1.0
 * @category models
 */
export const limits = {
  problemsPerCommunity: { min: 0, max: 50 },
  year: officialYearLimits
} as const

/**
 * 选项名 — the options `validate` checks.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionField = Schema.Literal("seed", "year", "problemsPerCommunity")

/**
 * @since 0.1.0
 * @category models
 */
export type OptionField = typeof OptionField.Type

/**
 * 选项问题 — one bad option: its field, the rule it breaks, the value given.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OptionViolation = optionViolation(OptionField)

/**
 * @since 0.1.0
 * @category models
 */
export interface OptionViolation extends Schema.Schema.Type<typeof OptionViolation> {}

/**
 * 清单选项无效 — the list options break a rule; every bad field is named with
 * its rule.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidListOptions extends Schema.TaggedError<InvalidListOptions>()("InvalidListOptions", {
  violations: Schema.NonEmptyArray(OptionViolation)
}) {
  override get message(): string {
    return `清单选项无效 invalid list options: ${describeViolations(this.violations)}`
  }
}

/**
 * Validates options: every bad field with the rule it breaks.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (options: Options): Either.Either<Options, InvalidListOptions> =>
  validateWith(
    options,
    [
      ["seed", safeInteger],
      ["year", officialYear],
      ["problemsPerCommunity", integerIn(limits.problemsPerCommunity.min, limits.problemsPerCommunity.max)]
    ],
    (violations) => new InvalidListOptions({ violations })
  )

// ---------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------

/**
 * 示范清单 — the generated lists: problems, resources and tasks (each by id),
 * the planner's allocations behind the tasks (which resource gives how many
 * units to which task; not stored), the problems it could not plan with the
 * reason, and the instant the lists stand at (`asOf`: the year's last working
 * day, 17:30 Beijing time).
 *
 * @since 0.1.0
 * @category models
 */
export interface DemoLists {
  readonly asOf: DateTime.Utc
  readonly problems: ReadonlyArray<ProblemList.Problem>
  readonly resources: ReadonlyArray<ResourceList.Resource>
  readonly tasks: ReadonlyArray<TaskList.Task>
  readonly allocations: ReadonlyArray<Planner.Allocation>
  readonly unmatched: ReadonlyArray<Planner.Unmatched>
}

/**
 * 案件引用 — what the lists need of a seeded case: its id, community, minor
 * category and report time.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaseRef {
  readonly caseId: string
  readonly communityId: string
  readonly categoryId: string
  readonly reportedAt: DateTime.Utc
}

/**
 * 案件引用 — the cases a problem may link: every reported case but those
 * rejected (不予立案) or voided (作废), from their events (e.g. the inputs
 * `Cases.generate` gives).
 *
 * @since 0.1.0
 * @category getters
 */
export const caseRefs = (
  cases: ReadonlyArray<{ readonly caseId: string; readonly events: ReadonlyArray<CaseEvent> }>
): ReadonlyArray<CaseRef> =>
  cases.flatMap((c) => {
    const reported = c.events.find((e) => e._tag === "Reported")
    if (reported === undefined || reported._tag !== "Reported") return []
    if (c.events.some((e) => e._tag === "Rejected" || e._tag === "Voided")) return []
    return [
      {
        caseId: c.caseId,
        communityId: reported.communityId,
        categoryId: reported.categoryId,
        reportedAt: reported.at
      }
    ]
  })

/**
 * 生成失败 — bad options, or a list the core refused (a bug in the generator):
 * an invalid hierarchy, planner input, or a refused problem or task move.
 *
 * @since 0.1.0
 * @category errors
 */
export type GenerateError =
  | InvalidListOptions
  | Hierarchy.HierarchyInvalid
  | Planner.PlanInputInvalid
  | ProblemList.ProblemRefused
  | TaskList.TaskRefused

// ---------------------------------------------------------------------------
// the catalogue of problems and resources
// ---------------------------------------------------------------------------

type Level = "community" | "compound" | "building"

/** A kind of problem: where it arises, what it needs, how it ends. */
interface Template {
  readonly category: ProblemList.ProblemCategoryId
  readonly level: Level
  /** 问题描述 (after the unit's name). */
  readonly text: string
  /** 任务名称 (after the unit's name). */
  readonly task: string
  readonly tags: ReadonlyArray<string>
  readonly demand: readonly [number, number]
  /** 办结时限 — natural days after the report. */
  readonly days: number
  /** 解决情况. */
  readonly resolution: string
  /** Minor case categories (`CaseCategory.Standard`) whose cases it links. */
  readonly caseCategories?: ReadonlyArray<string>
  /** When set, the task may be cancelled, closing the problem with this reason. */
  readonly cancelReason?: string
  /** When set, the request is outside the community's remit: closed unplanned (不予解决). */
  readonly closeReason?: string
  /** 安全隐患 — supervised by the community (社区督办) from the start. */
  readonly urgent?: boolean
}

const C = ProblemList.categoryIds

const templates: ReadonlyArray<Template> = [
  // 物业管理
  {
    category: C.propertyManagement,
    level: "compound",
    text: "小区电瓶车乱停、飞线充电，存在火灾隐患",
    task: "集中整治电瓶车乱停、飞线充电",
    tags: ["消防安全", "执法"],
    demand: [2, 3],
    days: 30,
    resolution: "已清理飞线，增设集中充电桩和停放区",
    caseCategories: ["SJ-0507"],
    urgent: true
  },
  {
    category: C.propertyManagement,
    level: "building",
    text: "楼道杂物乱放，堵塞消防通道",
    task: "清理楼道杂物，打通消防通道",
    tags: ["消防安全", "保洁"],
    demand: [1, 2],
    days: 15,
    resolution: "楼道杂物已清理，张贴消防安全提示",
    caseCategories: ["SJ-0508"],
    urgent: true
  },
  {
    category: C.propertyManagement,
    level: "compound",
    text: "路灯损坏，夜间照明不足",
    task: "维修小区路灯",
    tags: ["维修"],
    demand: [1, 1],
    days: 15,
    resolution: "路灯已修复",
    caseCategories: ["BJ-0112"]
  },
  {
    category: C.propertyManagement,
    level: "compound",
    text: "地下车库返沙、渗水",
    task: "协调物业处置地下车库返沙、渗水",
    tags: ["物业协调", "维修"],
    demand: [2, 3],
    days: 60,
    resolution: "已督促物业完成车库防水修补"
  },
  {
    category: C.propertyManagement,
    level: "building",
    text: "外墙线条脱落，存在坠物隐患",
    task: "排查处置外墙线条脱落隐患",
    tags: ["维修", "资金"],
    demand: [2, 3],
    days: 30,
    resolution: "已拆除松动线条并设置警示区",
    cancelReason: "纳入区级老旧小区改造项目统一实施",
    urgent: true
  },
  {
    category: C.propertyManagement,
    level: "compound",
    text: "物业服务不到位，业主意见较大",
    task: "召开业主、物业服务协调会",
    tags: ["物业协调", "调解"],
    demand: [1, 2],
    days: 30,
    resolution: "协调会已召开，整改清单逐项落实",
    cancelReason: "小区已选聘新物业，转由业委会跟进"
  },
  {
    category: C.propertyManagement,
    level: "compound",
    text: "老旧小区加装电梯意见征集",
    task: "开展加装电梯意见征集",
    tags: ["宣传", "物业协调"],
    demand: [2, 2],
    days: 60,
    resolution: "意见征集完成，形成加装电梯意向清单"
  },
  {
    category: C.propertyManagement,
    level: "building",
    text: "多层住宅加装电梯施工协调",
    task: "协调加装电梯施工",
    tags: ["加装电梯", "资金"],
    demand: [3, 3],
    days: 60,
    resolution: "加装电梯施工协调完成"
  },
  {
    category: C.propertyManagement,
    level: "compound",
    text: "要求减免物业费",
    task: "答复物业费减免诉求",
    tags: ["物业协调"],
    demand: [1, 1],
    days: 15,
    resolution: "已答复",
    closeReason: "属业主与物业服务企业的合同事项，已引导通过业主大会协商"
  },
  // 环境整治
  {
    category: C.environment,
    level: "compound",
    text: "垃圾分类投放点满溢，异味扰民",
    task: "整治垃圾分类投放点",
    tags: ["保洁"],
    demand: [1, 2],
    days: 15,
    resolution: "已增加清运频次，投放点恢复整洁",
    caseCategories: ["SJ-0113", "BJ-0304"]
  },
  {
    category: C.environment,
    level: "compound",
    text: "楼前空地私搭乱建",
    task: "依法拆除私搭乱建",
    tags: ["执法"],
    demand: [1, 2],
    days: 30,
    resolution: "违建已依法拆除",
    caseCategories: ["SJ-0101"]
  },
  {
    category: C.environment,
    level: "compound",
    text: "绿地脏乱、黄土裸露",
    task: "绿地补植和环境清理",
    tags: ["绿化", "保洁"],
    demand: [1, 3],
    days: 30,
    resolution: "已完成补植，绿地恢复整洁",
    caseCategories: ["SJ-0106"]
  },
  {
    category: C.environment,
    level: "community",
    text: "背街小巷占道经营、乱堆物料",
    task: "联合执法整治占道经营",
    tags: ["执法"],
    demand: [1, 2],
    days: 15,
    resolution: "占道经营已清理，建立常态巡查",
    caseCategories: ["SJ-0502"]
  },
  {
    category: C.environment,
    level: "community",
    text: "餐饮油烟扰民",
    task: "协调整治餐饮油烟",
    tags: ["执法", "调解"],
    demand: [1, 1],
    days: 30,
    resolution: "已督促商户加装油烟净化设备",
    caseCategories: ["SJ-0111"]
  },
  {
    category: C.environment,
    level: "compound",
    text: "下水道堵塞，污水外溢",
    task: "疏通下水管道",
    tags: ["维修"],
    demand: [1, 1],
    days: 15,
    resolution: "管道已疏通",
    caseCategories: ["SJ-0404"]
  },
  {
    category: C.environment,
    level: "compound",
    text: "小区“五乱”治理反弹",
    task: "党员志愿服务巩固“五乱”整治成效",
    tags: ["保洁", "宣传"],
    demand: [2, 3],
    days: 30,
    resolution: "党员志愿者常态巡查，“五乱”未再反弹"
  },
  {
    category: C.environment,
    level: "community",
    text: "要求迁移小区外公交站台",
    task: "答复公交站台迁移诉求",
    tags: ["宣传"],
    demand: [1, 1],
    days: 15,
    resolution: "已答复",
    closeReason: "不属于社区职责，已转交区交通运输部门"
  },
  // 文化娱乐
  {
    category: C.culture,
    level: "community",
    text: "居民缺少文体活动场地",
    task: "开放党群服务中心活动室",
    tags: ["场地"],
    demand: [1, 2],
    days: 30,
    resolution: "活动室已向居民开放，排定使用时段"
  },
  {
    category: C.culture,
    level: "compound",
    text: "广场舞噪音扰民",
    task: "协调广场舞活动时间和音量",
    tags: ["调解", "文艺"],
    demand: [1, 1],
    days: 15,
    resolution: "已协调文艺队调整时间、降低音量",
    cancelReason: "经协调，居民自行约定活动时间"
  },
  {
    category: C.culture,
    level: "community",
    text: "“我们的节日”文艺演出需要节目和场地",
    task: "举办“我们的节日”文艺演出",
    tags: ["文艺", "场地"],
    demand: [2, 3],
    days: 30,
    resolution: "演出已举办，场场有主题、次次有服务"
  },
  {
    category: C.culture,
    level: "community",
    text: "社区书屋图书陈旧，阅读活动少",
    task: "更新社区书屋图书，开展读书活动",
    tags: ["教育", "资金"],
    demand: [1, 2],
    days: 60,
    resolution: "已补充图书，每月开展读书会"
  },
  {
    category: C.culture,
    level: "compound",
    text: "健身器材损坏",
    task: "维修更换健身器材",
    tags: ["维修"],
    demand: [1, 1],
    days: 15,
    resolution: "健身器材已维修",
    caseCategories: ["BJ-0603"]
  },
  {
    category: C.culture,
    level: "community",
    text: "“好家风好家训”道德讲堂进网格",
    task: "组织板凳宣讲团进网格宣讲",
    tags: ["宣传", "场地"],
    demand: [1, 1],
    days: 30,
    resolution: "板凳宣讲团已进网格宣讲"
  },
  // 养老服务
  {
    category: C.elderlyCare,
    level: "community",
    text: "独居老人助餐需求",
    task: "开设老年助餐点，行动不便老人送餐上门",
    tags: ["助餐", "助老"],
    demand: [2, 4],
    days: 30,
    resolution: "助餐点已开放，送餐上门"
  },
  {
    category: C.elderlyCare,
    level: "community",
    text: "高龄独居老人需定期探访",
    task: "建立高龄独居老人定期探访机制",
    tags: ["助老"],
    demand: [2, 3],
    days: 30,
    resolution: "党员、志愿者结对探访，建立台账"
  },
  {
    category: C.elderlyCare,
    level: "community",
    text: "老年人不会用智能手机网上缴费",
    task: "开办老年人智能手机课堂",
    tags: ["助老", "教育"],
    demand: [1, 2],
    days: 30,
    resolution: "智能手机课堂已开办，手把手教网上缴费"
  },
  {
    category: C.elderlyCare,
    level: "community",
    text: "65岁以上老人健康体检需求",
    task: "组织65岁以上老人免费体检",
    tags: ["医疗"],
    demand: [2, 3],
    days: 30,
    resolution: "免费体检已完成，建立健康档案"
  },
  {
    category: C.elderlyCare,
    level: "community",
    text: "空巢老人节日慰问",
    task: "开展“金凤暖巢”慰问空巢老人活动",
    tags: ["助老", "资金"],
    demand: [1, 2],
    days: 15,
    resolution: "慰问活动已开展"
  },
  {
    category: C.elderlyCare,
    level: "community",
    text: "老年人赡养、遗嘱纠纷法律咨询需求",
    task: "开展法律咨询进社区",
    tags: ["法律咨询", "调解"],
    demand: [1, 1],
    days: 30,
    resolution: "律师党员已提供现场咨询"
  },
  // 儿童关爱
  {
    category: C.childCare,
    level: "community",
    text: "双职工家庭孩子放学后无人看护",
    task: "开办“四点半课堂”",
    tags: ["教育", "场地"],
    demand: [2, 3],
    days: 30,
    resolution: "“四点半课堂”已开班，志愿者辅导作业"
  },
  {
    category: C.childCare,
    level: "community",
    text: "暑期青少年缺少活动",
    task: "开办暑期课堂和才艺展示",
    tags: ["教育", "文艺"],
    demand: [1, 2],
    days: 30,
    resolution: "暑期课堂已开办"
  },
  {
    category: C.childCare,
    level: "community",
    text: "青少年心理健康问题增多",
    task: "开展青少年心理疏导和亲情教育",
    tags: ["心理疏导"],
    demand: [1, 1],
    days: 30,
    resolution: "心理咨询室已开放，建立个案跟踪"
  },
  {
    category: C.childCare,
    level: "community",
    text: "困境儿童、留守儿童需要关爱帮扶",
    task: "困境儿童结对帮扶",
    tags: ["心理疏导", "资金"],
    demand: [1, 2],
    days: 30,
    resolution: "已结对帮扶，落实助学资金"
  },
  {
    category: C.childCare,
    level: "compound",
    text: "小区儿童游乐设施老化",
    task: "更换儿童游乐设施",
    tags: ["维修", "资金"],
    demand: [1, 2],
    days: 30,
    resolution: "游乐设施已更换"
  }
]

const categoryOrder: ReadonlyArray<ProblemList.ProblemCategoryId> = ProblemList.defaultCategories.map(
  (c) => c.id
)

/** Other channels a problem may come in by (来源 其他). */
const otherChannels = ["居民议事会提出", "业委会反映", "社区民情恳谈会收集", "驻区单位反映"] as const

/** The names of the social organisations that serve a street, by street. */
const socialWorkNames = ["山城社工服务中心", "春晖社工服务社", "阳光社工服务中心", "同心社工服务站"] as const

/** What a party member of each class offers (技能), by class. */
const partySkills: Readonly<
  Record<
    Staffing.PartyMemberClass,
    ReadonlyArray<{ readonly name: string; readonly tags: ReadonlyArray<string> }>
  >
> = {
  core: [
    { name: "水电维修", tags: ["维修"] },
    { name: "法律咨询", tags: ["法律咨询", "调解"] },
    { name: "课业辅导", tags: ["教育"] },
    { name: "健康咨询", tags: ["医疗", "助老"] }
  ],
  ordinary: [{ name: "文明劝导、楼道保洁", tags: ["保洁", "宣传"] }],
  elderly: [{ name: "老党员调解、结对探访", tags: ["调解", "助老"] }],
  mobile: [{ name: "暑期返乡文艺辅导", tags: ["文艺", "教育"] }]
}

/** How a party member of each class comes to serve (the community experience report's four classes). */
const classDescriptions: Readonly<Record<Staffing.PartyMemberClass, string>> = {
  core: "骨干党员：在职党员“双报到”",
  ordinary: "一般党员：党员志愿服务",
  mobile: "流动党员：暑期返乡参与社区服务",
  elderly: "老年党员：退休老党员发挥余热"
}

// ---------------------------------------------------------------------------
// the generator
// ---------------------------------------------------------------------------

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** Code-unit string order (the order the stores list items in). */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const byId = <A extends { readonly id: string }>(items: Iterable<A>): ReadonlyArray<A> =>
  [...items].sort((a, b) => compare(a.id, b.id))

/**
 * 生成三张清单 — generates the lists of a district, deterministically (the
 * same district, options and cases give the same lists). `cases` are the
 * seeded cases problems may link (e.g. `Cases.generate`'s inputs; none by
 * default). Left: options outside their limits (`limits`), or a move the
 * core refused (a bug).
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (
  district: DemoDistrict,
  options: Options = {},
  cases: ReadonlyArray<{ readonly caseId: string; readonly events: ReadonlyArray<CaseEvent> }> = []
): Either.Either<DemoLists, GenerateError> =>
  Either.flatMap(validate(options), (valid) =>
    Either.flatMap(Hierarchy.make(district.scheme, district.units), (hierarchy) =>
      generateValid(district, hierarchy, valid, caseRefs(cases))
    )
  )

/** The working days of a year (Beijing dates), on the official calendar. */
const workingDaysOf = (year: number): ReadonlyArray<string> => {
  const calendar = WorkingCalendar.china()
  const days: Array<string> = []
  for (let d = Date.UTC(year, 0, 1); d < Date.UTC(year + 1, 0, 1); d += DAY) {
    const date = new Date(d).toISOString().slice(0, 10)
    const working = WorkingCalendar.isWorkingDay(calendar, WorkingCalendar.LocalDate.make(date))
    if (Either.isRight(working) && working.right) days.push(date)
  }
  return days
}

const generateValid = (
  district: DemoDistrict,
  hierarchy: Hierarchy.Hierarchy<Unit.Unit>,
  options: Options,
  refs: ReadonlyArray<CaseRef>
): Either.Either<DemoLists, GenerateError> => {
  const year = options.year ?? defaults.year
  const rnd = random(options.seed ?? defaults.seed)
  const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1))
  const pickOf = <A>(items: ReadonlyArray<A>): A | undefined => items[Math.floor(rnd() * items.length)]
  const shuffle = <A>(items: ReadonlyArray<A>): Array<A> => {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1))
      const a = out[i]
      const b = out[j]
      if (a !== undefined && b !== undefined) {
        out[i] = b
        out[j] = a
      }
    }
    return out
  }

  // the year's working days; the lists stand at 17:30 Beijing of the last one
  const workingDays = workingDaysOf(year)
  const lastDay = workingDays[workingDays.length - 1] ?? `${year}-12-31`
  const asOfMs = Date.parse(`${lastDay}T09:30:00Z`)
  const asOf = DateTime.unsafeMake(asOfMs)
  /** The same Beijing day's office hours (09:00–17:29), to the minute: where an instant of work lands. */
  const office = (ms: number): number => {
    const local = ms + 8 * HOUR
    const midnight = Math.floor(local / DAY) * DAY
    const minute = Math.floor((local - midnight) / MINUTE) % 510
    return midnight - 8 * HOUR + 9 * HOUR + minute * MINUTE
  }
  /** 09:00 Beijing of a working day (01:00 UTC) + minutes. */
  const at = (dayIndex: number, minutes: number): number =>
    Date.parse(`${workingDays[Math.min(dayIndex, workingDays.length - 1)] ?? lastDay}T01:00:00Z`) +
    minutes * MINUTE

  // -- the district's structure --------------------------------------------
  const childrenOf = new Map<string, Array<Unit.Unit>>()
  for (const u of district.units) {
    if (u.parentId === null) continue
    const list = childrenOf.get(u.parentId) ?? []
    list.push(u)
    childrenOf.set(u.parentId, list)
  }
  const children = (id: string, level: string): ReadonlyArray<Unit.Unit> =>
    (childrenOf.get(id) ?? []).filter((u) => u.level === level)
  const streets = district.units.filter((u) => u.level === "street")
  const gridOf = new Map<string, string>()
  for (const g of district.grids) for (const b of g.buildingIds) gridOf.set(b, g.id)
  const gridsOf = new Map<string, Array<string>>()
  for (const g of district.grids) {
    const list = gridsOf.get(g.communityId) ?? []
    list.push(g.id)
    gridsOf.set(g.communityId, list)
  }
  const branchOf = new Map<string, PartyOrganization.PartyOrgId>()
  for (const o of district.partyOrgs) if (o.gridId !== undefined) branchOf.set(o.gridId, o.id)
  const workerOf = new Map<string, Staffing.PersonId>()
  const volunteersOf = new Map<string, Array<string>>()
  const partyMembersOf = new Map<string, Array<string>>()
  const people = new Map(district.people.map((p) => [p.id as string, p]))
  const communityOfGrid = new Map(district.grids.map((g) => [g.id as string, g.communityId as string]))
  const communityOfBuilding = new Map(
    district.buildings.map((b) => [b.id as string, b.communityId as string])
  )
  const push = (map: Map<string, Array<string>>, key: string | undefined, value: string) => {
    if (key === undefined) return
    const list = map.get(key) ?? []
    if (!list.includes(value)) list.push(value)
    map.set(key, list)
  }
  for (const a of district.assignments) {
    const person = people.get(a.personId)
    const community =
      a.target._tag === "Grid"
        ? communityOfGrid.get(a.target.gridId)
        : a.target._tag === "Building"
          ? communityOfBuilding.get(a.target.buildingId)
          : undefined
    if (a.role === "full-time-worker" && a.target._tag === "Grid") workerOf.set(a.target.gridId, a.personId)
    if (a.role === "volunteer") push(volunteersOf, community, a.personId)
    if (person?.partyMember === true && (a.role === "building-leader" || a.role === "part-time-worker")) {
      push(partyMembersOf, community, a.personId)
    }
  }
  const casesOf = new Map<string, Array<CaseRef>>()
  for (const ref of refs) {
    const key = `${ref.communityId}|${ref.categoryId}`
    const list = casesOf.get(key) ?? []
    list.push(ref)
    casesOf.set(key, list)
  }
  for (const list of casesOf.values()) {
    list.sort((a, b) => DateTime.toEpochMillis(a.reportedAt) - DateTime.toEpochMillis(b.reportedAt))
  }

  // -- 资源清单 --------------------------------------------------------------
  const resources: Array<ResourceList.Resource> = []
  streets.forEach((street, s) => {
    const communities = children(street.id, "community").length
    const short = street.name.replace(/街道$/, "")
    let n = 0
    const add = (fields: Omit<Parameters<typeof ResourceList.make>[0], "id" | "scope">) =>
      resources.push(
        ResourceList.make({ ...fields, id: `R-${street.id}-${pad(++n, 2)}`, scope: [street.id] })
      )
    const k = Math.max(1, communities)
    const coBuilding = (name: string) => ({ kind: "co-building-unit" as const, name })
    const social = (name: string) => ({ kind: "social-organization" as const, name })
    add({
      name: `${short}城管执法中队`,
      kind: "service",
      tags: ["执法"],
      capacity: 2 * k + int(0, 2),
      provider: coBuilding(`${short}城管执法中队`),
      description: "大党委成员单位：联合执法"
    })
    add({
      name: `${short}派出所社区警务队`,
      kind: "service",
      tags: ["执法", "消防安全", "调解"],
      capacity: k + int(0, 2),
      provider: coBuilding(`${short}派出所`),
      description: "大党委成员单位：民警调解、治安消防检查"
    })
    add({
      name: `${short}消防救援站`,
      kind: "service",
      tags: ["消防安全", "宣传"],
      capacity: 2 * k,
      provider: coBuilding(`${short}消防救援站`)
    })
    add({
      name: "房屋维修与物业协调",
      kind: "service",
      tags: ["物业协调", "维修"],
      capacity: 2 * k + int(0, 1),
      provider: coBuilding(`区房管所${short}片区`)
    })
    add({
      name: "物业服务",
      kind: "service",
      tags: ["物业协调", "保洁", "维修", "绿化"],
      capacity: 2 * k,
      provider: coBuilding(`辖区物业服务企业（${short}）`)
    })
    add({
      name: "家庭医生签约和义诊",
      kind: "service",
      tags: ["医疗"],
      capacity: 2 * k,
      provider: coBuilding(`${short}社区卫生服务中心`)
    })
    add({
      name: "共建经费",
      kind: "funds",
      tags: ["资金", "宣传"],
      capacity: k + int(1, 3),
      provider: coBuilding("结对共建市直机关"),
      description: "签订共建责任书，每年拨付共建经费"
    })
    add({
      name: "专业社工服务",
      kind: "service",
      tags: ["心理疏导", "助老", "教育"],
      capacity: 2 * k + int(0, 2),
      provider: social(socialWorkNames[s % socialWorkNames.length] ?? socialWorkNames[0]),
      description: "老年及未成年人关爱保护、公益人才培养"
    })
    add({
      name: "应急救援和消防宣传",
      kind: "service",
      tags: ["消防安全", "宣传"],
      capacity: k,
      provider: social("蓝天救援队")
    })
    add({
      name: "文艺演出",
      kind: "service",
      tags: ["文艺"],
      capacity: k + int(0, 2),
      provider: social(`戏剧家协会${short}文艺队`),
      description: "百姓舞台：月月有演出"
    })
  })

  // 暑假 — 1 July to 31 August, Beijing time
  const summer = {
    from: DateTime.unsafeMake(Date.UTC(year, 5, 30, 16)),
    to: DateTime.unsafeMake(Date.UTC(year, 7, 31, 15, 59))
  }
  for (const street of streets) {
    for (const community of children(street.id, "community")) {
      let n = 0
      const add = (fields: Omit<Parameters<typeof ResourceList.make>[0], "id" | "scope">) =>
        resources.push(
          ResourceList.make({ ...fields, id: `R-${community.id}-${pad(++n, 2)}`, scope: [community.id] })
        )
      add({
        name: `${community.name}党群服务中心活动室`,
        kind: "venue",
        tags: ["场地"],
        capacity: int(3, 5),
        provider: { kind: "co-building-unit", name: `${community.name}党总支` },
        description: "党群服务中心用房，向居民和社会组织开放"
      })
      add({
        name: `${community.name}居家养老服务站`,
        kind: "service",
        tags: ["助餐", "助老"],
        capacity: int(3, 6),
        provider: { kind: "social-organization", name: `${community.name}居家养老服务站` }
      })
      if (rnd() < 0.7) {
        add({
          name: `${community.name}公益微基金`,
          kind: "funds",
          tags: ["资金"],
          capacity: int(1, 3),
          provider: { kind: "social-organization", name: `${community.name}公益微基金` }
        })
      }
      // 党员 in the community experience report's four classes: 骨干, 一般, 老年, 流动
      const members = shuffle(partyMembersOf.get(community.id) ?? [])
      const classes: ReadonlyArray<Staffing.PartyMemberClass> = [
        "core",
        "ordinary",
        "elderly",
        "mobile",
        "core"
      ]
      const count = Math.min(members.length, int(4, 5))
      for (let m = 0; m < count; m++) {
        const personId = members[m]
        const person = personId === undefined ? undefined : people.get(personId)
        const partyMemberClass = classes[m] ?? "ordinary"
        const skill = pickOf(partySkills[partyMemberClass])
        if (person === undefined || skill === undefined) continue
        add({
          name: skill.name,
          kind: "skill",
          tags: skill.tags,
          capacity: partyMemberClass === "core" || partyMemberClass === "ordinary" ? int(2, 3) : int(1, 2),
          provider: { kind: "party-member", name: person.name, partyMemberClass, personId: person.id },
          description: classDescriptions[partyMemberClass],
          ...(partyMemberClass === "mobile" ? { availability: summer } : {})
        })
      }
      const volunteer = (volunteersOf.get(community.id) ?? [])[0]
      const volunteerPerson = volunteer === undefined ? undefined : people.get(volunteer)
      if (volunteerPerson !== undefined) {
        add({
          name: `${community.name}网格志愿服务队`,
          kind: "service",
          tags: ["保洁", "助老", "宣传"],
          capacity: int(2, 4),
          provider: { kind: "volunteer", name: volunteerPerson.name, personId: volunteerPerson.id }
        })
      }
    }
  }

  // -- 问题清单 --------------------------------------------------------------
  const problems: Array<ProblemList.Problem> = []
  const templateOf = new Map<string, Template>()
  const byCategory = new Map<string, Array<Template>>()
  for (const t of templates) {
    const list = byCategory.get(t.category) ?? []
    list.push(t)
    byCategory.set(t.category, list)
  }
  const lastReportDay = Math.max(0, workingDays.length - 4)
  for (const street of streets) {
    for (const community of children(street.id, "community")) {
      const count =
        options.problemsPerCommunity ??
        int(defaults.problemsPerCommunity.min, defaults.problemsPerCommunity.max)
      // round robin over the categories (shuffled), each category's kinds shuffled: a balanced mix
      const pools = shuffle(categoryOrder).map((c) => shuffle(byCategory.get(c) ?? []))
      const round = Math.max(1, ...pools.map((p) => p.length))
      const order: Array<Template> = []
      for (let r = 0; r < round; r++) {
        for (const pool of pools) {
          const template = pool[r]
          if (template !== undefined) order.push(template)
        }
      }
      const chosen = Array.from({ length: count }, (_, i) => order[i % order.length]).filter(
        (t): t is Template => t !== undefined
      )
      const dated = chosen
        .map((template) => ({ template, reportedAt: at(int(0, lastReportDay), int(0, 420)) }))
        .sort((a, b) => a.reportedAt - b.reportedAt)
      const compounds = children(community.id, "compound")
      const grids = gridsOf.get(community.id) ?? []
      dated.forEach(({ template, reportedAt }, i) => {
        const id = `P-${community.id}-${pad(i + 1, 2)}`
        // where: the community, one of its compounds, or a building of one
        const compound = pickOf(compounds)
        const building = compound === undefined ? undefined : pickOf(children(compound.id, "building"))
        const unit =
          template.level === "building" && building !== undefined
            ? building
            : template.level !== "community" && compound !== undefined
              ? compound
              : community
        const gridId =
          unit.level === "building"
            ? gridOf.get(unit.id)
            : unit.level === "compound"
              ? children(unit.id, "building")
                  .map((b) => gridOf.get(b.id))
                  .find((g) => g !== undefined)
              : undefined
        const grid = gridId ?? pickOf(grids)
        // linked cases: the community's latest cases of this kind in the half year before
        const linked = (template.caseCategories ?? [])
          .flatMap((c) => casesOf.get(`${community.id}|${c}`) ?? [])
          .filter((c) => {
            const t = DateTime.toEpochMillis(c.reportedAt)
            return t < reportedAt && t >= reportedAt - 180 * DAY
          })
          .sort((a, b) => DateTime.toEpochMillis(a.reportedAt) - DateTime.toEpochMillis(b.reportedAt))
          .slice(-3)
        const latest = linked[linked.length - 1]
        const worker = grid === undefined ? undefined : workerOf.get(grid)
        const branch = grid === undefined ? undefined : branchOf.get(grid)
        const channel = rnd()
        const source: ProblemList.ProblemSource =
          latest !== undefined && rnd() < 0.6
            ? { _tag: "PlatformCase", caseId: latest.caseId }
            : channel < 0.45
              ? worker === undefined
                ? { _tag: "HouseholdVisit" }
                : { _tag: "HouseholdVisit", gridWorkerId: worker }
              : channel < 0.8
                ? branch === undefined
                  ? { _tag: "PartyBranch" }
                  : { _tag: "PartyBranch", branchId: branch }
                : { _tag: "Other", note: pickOf(otherChannels) ?? otherChannels[0] }
        const problem = ProblemList.make({
          id,
          unitId: unit.id,
          ...(gridId === undefined ? {} : { gridId }),
          categoryId: template.category,
          source,
          description: `${unit.name}：${template.text}`,
          reportedAt: DateTime.unsafeMake(reportedAt),
          tags: template.tags,
          demand: int(template.demand[0], template.demand[1]),
          caseIds: linked.map((c) => c.caseId)
        })
        templateOf.set(id, template)
        problems.push(problem)
      })
    }
  }
  // -- 任务清单 --------------------------------------------------------------
  const unitsById = new Map(district.units.map((u) => [u.id as string, u]))
  const rootId = Hierarchy.root(hierarchy).id
  const state = new Map(problems.map((p) => [p.id as string, p]))
  // requests outside the community's remit are closed unplanned (不予解决)
  const open: Array<ProblemList.Problem> = []
  for (const p of problems) {
    const reason = templateOf.get(p.id)?.closeReason
    if (reason === undefined) {
      open.push(p)
      continue
    }
    const closedAt = Math.min(office(DateTime.toEpochMillis(p.reportedAt) + int(2, 10) * DAY), asOfMs)
    const closed = ProblemList.close(p, { at: DateTime.unsafeMake(closedAt), reason })
    if (Either.isLeft(closed)) return Either.left(closed.left)
    state.set(p.id, closed.right)
  }
  // the planner, street by street: every resource serves one street or one of its communities, so a
  // street's problems can only be served by its own resources — the tasks of one district-wide plan
  // (an unmatched problem is explained within its street), without matching every problem against
  // every resource of a large district
  const tasksPlanned: Array<TaskList.Task> = []
  const allocations: Array<Planner.Allocation> = []
  const unmatched: Array<Planner.Unmatched> = []
  /** The street a unit lies in (itself for a street), up its parents. */
  const streetOf = (unitId: string): string | undefined => {
    let unit = unitsById.get(unitId)
    while (unit !== undefined && unit.level !== "street") {
      unit = unit.parentId === null ? undefined : unitsById.get(unit.parentId)
    }
    return unit?.id
  }
  const group = <A>(items: ReadonlyArray<A>, unitsOf: (a: A) => ReadonlyArray<string>) => {
    const out = new Map<string, Array<A>>()
    for (const item of items) {
      for (const street of new Set(unitsOf(item).map(streetOf))) {
        if (street === undefined) continue
        const list = out.get(street) ?? []
        list.push(item)
        out.set(street, list)
      }
    }
    return out
  }
  const openByStreet = group(open, (p) => [p.unitId])
  const resourcesByStreet = group(resources, (r) => r.scope)
  for (const street of streets) {
    const planned = Planner.plan({
      hierarchy,
      problems: openByStreet.get(street.id) ?? [],
      resources: resourcesByStreet.get(street.id) ?? [],
      options: {
        taskIdOf: (p) => `T-${p.id.slice(2)}`,
        titleOf: (p) =>
          `${unitsById.get(p.unitId)?.name ?? p.unitId}：${templateOf.get(p.id)?.task ?? p.description}`,
        deadlineOf: (p) =>
          DateTime.add(p.reportedAt, { days: templateOf.get(p.id)?.days ?? Planner.defaults.deadlineDays })
      }
    })
    if (Either.isLeft(planned)) return Either.left(planned.left)
    tasksPlanned.push(...planned.right.tasks)
    allocations.push(...planned.right.allocations)
    unmatched.push(...planned.right.unmatched)
  }

  /** Plans the problem, then plays its task forward to `asOf` with the core transitions. */
  const advance = (problem0: ProblemList.Problem, task0: TaskList.Task, template: Template) =>
    Either.gen(function* () {
      const utc = (ms: number) => DateTime.unsafeMake(ms)
      const reported = DateTime.toEpochMillis(problem0.reportedAt)
      // 列入任务 at the next 大党委联席会, within a week
      const plannedAt = Math.min(office(reported + int(1, 5) * DAY + int(0, 4) * HOUR), asOfMs)
      let problem = yield* ProblemList.plan(problem0, { taskId: task0.id, at: utc(plannedAt) })
      let task = task0
      const startAt = Math.max(plannedAt + HOUR, office(plannedAt + int(0, 3) * DAY + int(1, 6) * HOUR))
      if (startAt > asOfMs) return { problem, task } // 待办: planned in the year's last days
      const community = task.owner._tag === "Unit" ? task.owner.unitId : rootId
      const street = unitsById.get(community)?.parentId ?? rootId
      if (template.urgent === true) {
        task = yield* TaskList.supervise(task, {
          unitId: community,
          level: "community",
          at: utc(startAt),
          note: "安全隐患，社区督办"
        })
      }
      task = yield* TaskList.start(task, { at: utc(startAt) })
      if (template.cancelReason !== undefined && rnd() < 0.3) {
        const cancelAt = utc(Math.min(office(startAt + int(3, 15) * DAY), asOfMs))
        task = yield* TaskList.cancel(task, { at: cancelAt, reason: template.cancelReason })
        problem = yield* ProblemList.close(problem, { at: cancelAt, reason: template.cancelReason })
        return { problem, task }
      }
      const deadline = DateTime.toEpochMillis(task.deadline)
      const roll = rnd()
      const doneAt =
        roll < 0.75
          ? Math.max(startAt + HOUR, office(startAt + (0.2 + rnd() * 0.75) * (deadline - startAt))) // 按期办结
          : roll < 0.87
            ? office(deadline + int(1, 12) * DAY + int(0, 6) * HOUR) // 逾期办结
            : Number.POSITIVE_INFINITY // stalls: 超期
      const until = Math.min(doneAt, asOfMs)
      if (deadline + DAY < until) {
        task = yield* TaskList.supervise(task, {
          unitId: street,
          level: "street",
          at: utc(deadline + DAY),
          note: "超期未办结，街道督办"
        })
      }
      if (deadline + 21 * DAY < until) {
        task = yield* TaskList.supervise(task, {
          unitId: rootId,
          level: "district",
          at: utc(deadline + 21 * DAY),
          note: "超期20天以上，区督办"
        })
      }
      if (doneAt <= asOfMs) {
        task = yield* TaskList.complete(task, { at: utc(doneAt) })
        problem = yield* ProblemList.resolve(problem, { at: utc(doneAt), note: template.resolution })
      }
      return { problem, task }
    })

  const tasks: Array<TaskList.Task> = []
  for (const pending of byId(tasksPlanned)) {
    const problem = state.get(pending.problemId)
    const template = templateOf.get(pending.problemId)
    if (problem === undefined || template === undefined) continue
    const advanced = advance(problem, pending, template)
    if (Either.isLeft(advanced)) return Either.left(advanced.left)
    state.set(problem.id, advanced.right.problem)
    tasks.push(advanced.right.task)
  }

  return Either.right({
    asOf,
    problems: byId(state.values()),
    resources: byId(resources),
    tasks: byId(tasks),
    allocations: [...allocations].sort(
      (a, b) => compare(a.taskId, b.taskId) || compare(a.resourceId, b.resourceId)
    ),
    unmatched: [...unmatched].sort((a, b) => compare(a.problemId, b.problemId))
  })
}
