/**
 * The ledger templates `civicgrid template <kind>` writes: for each kind, the
 * ledger spec (loaded only when the template is written: the specs pull in
 * exceljs and the core) and what its instructions sheet 填表说明 says besides
 * what the spec says — general notes and each column's meaning by its
 * header. Formats, required columns and accepted values come from the spec
 * itself (`Template.guide`), so they cannot drift from what import reads.
 */
import type * as Ledger from "@civicgrid/ledger/Ledger"
import type * as Template from "@civicgrid/ledger/Template"

/** One kind of template. */
export interface Entry {
  /** 台账名称 and an English word, for messages. */
  readonly title: string
  readonly spec: () => Promise<Ledger.LedgerKind>
  readonly notes: ReadonlyArray<string>
  readonly columns: Readonly<Record<string, string>>
  /** The drop-downs of columns the spec's labels do not give (by header), loaded with the spec. */
  readonly choices?: () => Promise<Readonly<Record<string, Template.Choices>>>
}

const personal = "本表含姓名、电话等个人信息（《个人信息保护法》），仅交给需要的人员，用后妥善保管。"

const problems: Entry = {
  title: "问题清单台账 problems",
  spec: () => import("@civicgrid/ledger/ProblemLedger").then((m) => m.spec),
  notes: [
    "问题清单：入户走访、党支部收集、平台案件等渠道发现的问题，一行一个问题。",
    "新问题的状态填「待解决」；已列入任务、已解决、不予解决的问题须同时填写对应的时间和说明。"
  ],
  columns: {
    问题编号: "问题的唯一编号，如 P-2024-001；再次导入同一编号会更新该问题。",
    所属单元: "问题所在的单元（社区、小区、楼栋等）。",
    所属网格: "问题所在的网格编号；须在所属单元的社区内。可留空。",
    问题类别: "从下拉列表选择；本地增设的类别填其编号。",
    来源: "问题从哪里来：入户走访、党支部收集、平台案件或其他。",
    "来源编号/说明":
      "入户走访填网格员的人员编号，党支部收集填党支部编号（均可留空）；平台案件必填案件编号；其他可填说明。",
    问题描述: "问题的具体情况，如「小区电瓶车乱停、飞线充电」。",
    上报时间: "发现或上报问题的时间。",
    所需能力: "解决问题需要的能力标签，如 电工、法律咨询；多个用顿号分隔。",
    需求量: "需要的力量（正整数），一般填 1。",
    状态: "待解决、已列入任务、已解决 或 不予解决。",
    关联案件: "相关的平台案件编号，多个用顿号分隔。可留空。",
    任务编号: "已列入任务时，对应任务的编号。",
    列入任务时间: "状态为已列入任务（或之后）时填写。",
    解决时间: "状态为已解决时填写。",
    解决情况: "怎样解决的（可留空）。",
    不予解决时间: "状态为不予解决时填写。",
    不予解决原因: "状态为不予解决时必填。"
  }
}

const resources: Entry = {
  title: "资源清单台账 resources",
  spec: () => import("@civicgrid/ledger/ResourceLedger").then((m) => m.spec),
  notes: [
    "资源清单：共建单位、社会组织、党员和志愿者能提供的场地、技能、资金和服务，一行一项资源。",
    personal
  ],
  columns: {
    资源编号: "资源的唯一编号，如 R-001；再次导入同一编号会更新该资源。",
    资源名称: "如「党群服务中心活动室」「家电维修」。",
    资源类型: "场地、技能、资金 或 服务。",
    提供方类型: "共建单位、社会组织、党员 或 志愿者。",
    提供方名称: "单位、组织或个人的名称。",
    党员类别: "提供方为党员时必填（骨干、一般、流动、老年）；其他提供方留空。",
    人员编号: "提供方为党员或志愿者时可填其人员编号；共建单位、社会组织留空。",
    能力标签: "资源提供的能力，如 电工、法律咨询；多个用顿号分隔。",
    服务范围: "资源服务的单元（编号、名称或路径），多个用顿号分隔。",
    容量: "规划期内能承担的需求量（非负整数）。",
    可用开始: "可用时段的开始；与可用结束同时填写或同时留空（留空表示随时可用）。",
    可用结束: "可用时段的结束；与可用开始同时填写或同时留空。",
    说明: "补充说明，如「近1000平方米用房」。"
  }
}

const tasks: Entry = {
  title: "任务清单台账 tasks",
  spec: () => import("@civicgrid/ledger/TaskLedger").then((m) => m.spec),
  notes: [
    "任务清单：为解决问题清单中的问题而派出的任务，一行一项任务。",
    "先导入任务涉及的问题和资源，再导入任务。督办为「否」时督办单位、级别、时间、说明都留空。"
  ],
  columns: {
    任务编号: "任务的唯一编号，如 T-001；再次导入同一编号会更新该任务。",
    问题编号: "任务要解决的问题的编号（须已在问题清单中）。",
    任务名称: "如「集中整治电瓶车乱停、飞线充电」。",
    准入事项编码: "任务所属的社区工作准入事项编码（已归类时填写）。",
    资源编号: "投入的资源编号，多个用顿号分隔（须已在资源清单中）。",
    责任主体类型: "单位 或 部门。",
    "责任单位/部门": "负责办理的单元（编号、名称或路径）或部门编号。",
    截止时间: "办结时限。",
    督办: "是否督办：是 / 否。",
    督办单位: "督办为「是」时必填：督办的单元。",
    督办级别: "督办为「是」时必填：社区督办、街道督办、区督办 或 市督办。",
    督办时间: "督办为「是」时必填。",
    督办说明: "督办为「是」时可填。",
    状态: "待办、办理中、已办结 或 已取消。",
    开始办理时间: "状态为办理中（或之后）时填写。",
    办结时间: "状态为已办结时填写。",
    办结时效: "状态为已办结时填写：按期办结 或 逾期办结。",
    取消时间: "状态为已取消时填写。",
    取消原因: "状态为已取消时填写。"
  }
}

const buildings: Entry = {
  title: "楼栋台账 buildings",
  spec: () => import("@civicgrid/ledger/BuildingLedger").then((m) => m.spec),
  notes: ["楼栋台账：社区的每一栋楼一行。"],
  columns: {
    楼栋编号: "楼栋的唯一编号（单元编号）。",
    楼栋名称: "如「3号楼」。",
    所属社区: "楼栋所在的社区（编号、名称或路径，如 金星街道/金星社区）。",
    所属小区: "楼栋所在小区的编号（没有可留空）。",
    户数: "住户数（非负整数）。",
    党员户数: "党员户数（已知时填写）。",
    经纬度:
      "楼栋位置，写成「经度,纬度」，如 116.397,39.909（WGS-84；高德、腾讯、百度地图的坐标导入时用 --crs 说明）。"
  }
}

const grids: Entry = {
  title: "网格台账 grids",
  spec: () => import("@civicgrid/ledger/GridLedger").then((m) => m.spec),
  notes: ["网格台账：社区划分的每个网格一行；网格边界请另以 GeoJSON 提供。"],
  columns: {
    网格编号: "网格的唯一编号。",
    网格名称: "如「金星社区第一网格」。",
    网格编码: "按 GB/T 30428.1 或 CJ/T 213 编制的网格编码（按文本填写，不要转成数字）。",
    网格类型: "基础网格 或 专属网格。",
    专属对象: "专属网格服务的对象：学校、医院、市场、企业 或 其他；基础网格留空。",
    所属社区: "网格所在的社区（编号、名称或路径）。",
    覆盖楼栋: "网格覆盖的楼栋编号，多个用顿号分隔。"
  }
}

const staff: Entry = {
  title: "网格员台账 staff",
  spec: () => import("@civicgrid/ledger/StaffingLedger").then((m) => m.person),
  notes: [
    "网格员台账：网格员、楼栋长等人员一行一人；任职情况填在任职台账（template assignments）中。",
    personal
  ],
  columns: {
    人员编号: "人员的唯一编号。",
    姓名: "人员姓名。",
    是否党员: "是 / 否。",
    党员类别: "党员填写：骨干、一般、流动 或 老年；非党员留空。",
    联系电话: "手机或座机号码（可留空）。"
  }
}

const assignments: Entry = {
  title: "网格员任职 assignments",
  spec: () => import("@civicgrid/ledger/StaffingLedger").then((m) => m.assignment),
  notes: ["网格员任职：谁在哪个网格、楼栋或单位担任什么角色，一行一项任职；人员须已在网格员台账中。"],
  columns: {
    人员编号: "任职人员的编号（见网格员台账）。",
    角色: "从下拉列表选择角色。",
    任职对象类型: "网格、楼栋 或 单位。",
    任职对象编号: "对应网格、楼栋或单位的编号。"
  }
}

/**
 * The kinds of template, in help order.
 */
export const kinds = ["problems", "resources", "tasks", "buildings", "grids", "staff", "assignments"] as const

/** A kind of template. */
export type Kind = (typeof kinds)[number]

/** Every kind's entry. */
export const entries: Readonly<Record<Kind, Entry>> = {
  problems,
  resources,
  tasks,
  buildings,
  grids,
  staff,
  assignments
}

/** Whether a text names a kind of template. */
export const isKind = (text: string): text is Kind => (kinds as ReadonlyArray<string>).includes(text)

/**
 * The names a template offers in unit columns: each unit of the hierarchy by
 * its name, or — when another unit has the same name — by the shortest end of
 * its path that names it alone (`金星街道/第一社区`), as `UnitNames.resolver`
 * reads them back. `resolve` is the hierarchy's resolver; `path` a unit's
 * names from the root.
 */
export const unitChoices = (
  units: ReadonlyArray<{ readonly id: string; readonly name: string }>,
  path: (id: string) => ReadonlyArray<string>,
  resolve: Ledger.UnitResolver["resolve"]
): ReadonlyArray<string> => {
  const uses = new Map<string, number>()
  for (const u of units) uses.set(u.name, (uses.get(u.name) ?? 0) + 1)
  const ids = new Set(units.map((u) => u.id))
  return units.map((u) => {
    // a name no other unit has (and no id equals) reads back as this unit: no need to ask the resolver
    if (uses.get(u.name) === 1 && !ids.has(u.name)) return u.name
    const names = path(u.id)
    for (let k = 1; k <= names.length; k++) {
      if (k === 1 && uses.get(u.name) !== 1) continue
      const tail = names.slice(names.length - k).join("/")
      const found = resolve(tail)
      if (found._tag === "Found" && found.id === u.id) return tail
    }
    return u.id
  })
}
