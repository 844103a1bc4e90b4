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
    所属小区: "楼栋所在的小区（编号、名称或路径；没有可留空）。",
    户数: "住户数（非负整数）。",
    党员户数: "党员户数（已知时填写）。",
    经纬度:
      "楼栋位置，写成「经度,纬度」，如 116.397,39.909（WGS-84；高德、腾讯、百度地图的坐标导入时用 --crs 说明）。"
  }
}

const grids: Entry = {
  title: "网格台账 grids",
  spec: () => import("@civicgrid/ledger/GridLedger").then((m) => m.withBoundary),
  notes: ["网格台账：社区划分的每个网格一行，边界可写在「边界(WKT)」列（也可另以 GeoJSON 文件导入）。"],
  columns: {
    网格编号: "网格的唯一编号。",
    网格名称: "如「金星社区第一网格」。",
    网格编码: "按 GB/T 30428.1 或 CJ/T 213 编制的网格编码（按文本填写，不要转成数字）。",
    网格类型: "基础网格 或 专属网格。",
    专属对象: "专属网格服务的对象：学校、医院、市场、企业 或 其他；基础网格留空。",
    所属社区: "网格所在的社区（编号、名称或路径）。",
    覆盖楼栋: "网格覆盖的楼栋编号，多个用顿号分隔。",
    "边界(WKT)":
      "网格边界（可留空）：WKT 文本，如 POLYGON ((116.39 39.90, 116.40 39.90, 116.40 39.91, 116.39 39.90))，" +
      "每个点写「经度 纬度」、首尾相同；也可填 GeoJSON 几何对象（以 { 开头）。"
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

const units: Entry = {
  title: "行政单元台账 units",
  spec: () =>
    Promise.all([import("@civicgrid/ledger/UnitLedger"), import("@civicgrid/core/LevelScheme")]).then(
      ([m, schemes]) => m.spec(schemes.FiveLevel)
    ),
  choices: () =>
    import("@civicgrid/core/LevelScheme").then((schemes) => ({
      层级: { values: schemes.FiveLevel.levels.map((l) => l.name), closed: false }
    })),
  notes: [
    "行政单元台账：区、街道、社区、小区、楼栋等每个单元一行；先导入单元，再导入其他基础数据。",
    "最上级单元（如区）的上级单元留空；其他单元的上级单元须在本表或已有层级中。"
  ],
  columns: {
    单元编号: "单元的唯一编号，如 c-001-001；再次导入同一编号会更新该单元。",
    上级单元: "上级单元的编号、名称或路径（如 金星街道）；最上级单元留空。",
    层级:
      "单元的层级，默认按五级治理方案：区、街道、社区、小区/居民小组、楼栋（也可填层级编号）；" +
      "其他层级方案导入时用 --scheme 指明。",
    单元名称: "如「金星社区」。",
    区划代码: "12 位统计用区划代码（已知时填写，按文本填写）。"
  }
}

const partyOrganizations: Entry = {
  title: "党组织台账 party-organizations",
  spec: () => import("@civicgrid/ledger/PartyOrganizationLedger").then((m) => m.spec),
  choices: () =>
    import("@civicgrid/core/PartyOrganization").then((p) => ({
      党组织类别: { values: p.DistrictKindOrder.levels.map((l) => l.name), closed: false }
    })),
  notes: ["党组织台账：区委、街道党工委、社区党委、网格党支部、楼院党小组等每个党组织一行，上级党组织在前。"],
  columns: {
    党组织编号: "党组织的唯一编号；再次导入同一编号会更新该党组织。",
    上级党组织: "上级党组织的编号；最上级党组织留空。",
    党组织类别:
      "从下拉列表选择，如 社区党总支/大党委、小区/网格党支部；也可填 社区党委、网格党支部 等常用名称。",
    党组织名称: "如「金星社区党委」。",
    所在单元: "党组织所在的单元（编号、名称或路径）。",
    所在网格: "支部建在网格上时，所在网格的编号。"
  }
}

const departments: Entry = {
  title: "职能部门台账 departments",
  spec: () => import("@civicgrid/ledger/DepartmentLedger").then((m) => m.spec),
  notes: ["职能部门台账：派单、督办涉及的职能部门，一行一个部门。"],
  columns: {
    部门编号: "部门的唯一编号；再次导入同一编号会更新该部门。",
    部门名称: "如「城市管理局」。",
    英文名称: "部门的英文名称，如 Urban Management Bureau。",
    辖区单元: "部门服务的辖区（单元的编号、名称或路径），如 金星区。"
  }
}

const categories: Entry = {
  title: "案件分类台账 categories",
  spec: () => import("@civicgrid/ledger/CategoryLedger").then((m) => m.spec),
  notes: [
    "案件分类台账：每个小类一行，所属大类写在同一行；没有小类的大类单独一行，小类各列留空。",
    "导入时整张表作为完整的分类目录，替换已存储的目录。"
  ],
  columns: {
    类别族: "部件 或 事件。",
    大类编号: "大类的唯一编号。",
    大类代码: "大类的代码，如 01（按文本填写）。",
    大类名称: "如「市容环境」。",
    大类说明: "大类的说明（可留空）。",
    小类编号: "小类的唯一编号；只列大类的行留空。",
    小类代码: "小类的代码，如 0101（按文本填写）。",
    小类名称: "如「暴露垃圾」。",
    小类说明: "小类的说明（可留空）。",
    关键词: "用于自动分类的关键词，多个用顿号分隔。",
    起始层级: "案件首先由哪一级处置：社区、街道 或 区。",
    默认紧急程度: "一般、紧急 或 特急。",
    处置部门: "默认处置部门的编号（见职能部门台账）。",
    上报属性: "上报时要填写的属性，JSON 文本（可留空）。"
  }
}

const routing: Entry = {
  title: "派遣规则台账 routing",
  spec: () => import("@civicgrid/ledger/RoutingLedger").then((m) => m.spec),
  notes: [
    "派遣规则台账：案件按类别和辖区派往哪个部门，一行一条规则。",
    "导入时整张表作为完整的派遣规则表，替换已存储的规则。"
  ],
  columns: {
    规则编号: "规则的唯一编号。",
    案件类别: "规则适用的小类或大类编号；留空表示任何类别。",
    适用辖区: "规则适用的单元（编号、名称或路径）；留空表示所有辖区。",
    处置部门: "案件派往的部门编号（见职能部门台账）。"
  }
}

const timeLimits: Entry = {
  title: "处置时限台账 time-limits",
  spec: () => import("@civicgrid/ledger/TimeLimitLedger").then((m) => m.spec),
  notes: [
    "处置时限台账：各类案件各处置环节的办理时限，一行一条规则。",
    "导入时整张表作为完整的时限规定，替换已存储的规定。"
  ],
  columns: {
    案件小类: "规则适用的小类编号；留空表示任何类别。",
    紧急程度: "一般、紧急 或 特急；留空表示任何紧急程度。",
    处置环节: "立案、派遣、处置、核查 或 回访；留空表示任何环节。",
    时限: "时限的数量（不小于 0，可有小数），如 3。",
    时限单位: "工作时、工作日、小时 或 自然日。"
  }
}

const visits: Entry = {
  title: "走访台账 visits",
  spec: () => import("@civicgrid/ledger/VisitLedger").then((m) => m.spec),
  notes: [
    "走访台账：一行一次入户走访。导入时每一行都按系统规则登记（走访人须为该户所在社区的网格员、社区工作人员或联系人，入户和院落走访须有定位且在走访人网格内），任何一行不合规则整表不导入。",
    "走访情况、跟进事项只写情况，不写姓名、电话、身份证号码。"
  ],
  columns: {
    走访编号: "走访的唯一编号，如 V-2024-0001；已登记的走访不能改写。",
    户编号: "被走访户的编号。",
    走访计划编号: "按走访计划走访时填写计划编号（可留空）。",
    走访人编号: "走访人的人员编号。",
    走访人角色: "网格员、社区工作人员等。",
    走访人所属单元: "走访人代表的社区。",
    走访人所属部门: "职能部门人员填写，其他留空。",
    走访时间: "走访的时间，如 2024-03-01 10:00。",
    走访方式: "入户、院落/楼道、电话 或 视频。",
    "走访位置(经度,纬度)": "入户、院落走访时的定位，如 102.68,25.00。",
    走访情况: "走访发现的情况。",
    "跟进事项(JSON)": "需跟进的事项（JSON，可留空）。",
    登记时间: "录入系统的时间，不早于走访时间。",
    位置核验: "导出时系统的定位核验结果；导入时不读取。"
  }
}

const keyGroups: Entry = {
  title: "重点人群台账 key-groups",
  spec: () => import("@civicgrid/ledger/KeyGroupLedger").then((m) => m.spec),
  notes: [
    "重点人群台账：一行一条登记（一户或其中一人登记在一个重点人群类别）。",
    "本表含姓名、身份证号码、电话及健康、残疾、社区矫正等敏感个人信息（《个人信息保护法》第二十八条），仅交给需要的人员，用后妥善保管；导入后居民信息加密存储。",
    personal
  ],
  columns: {
    登记编号: "登记的唯一编号；再次导入同一编号会更新该登记。",
    重点人群类别: "从下拉列表选择。",
    户编号: "所在户的编号（须已在系统中）。",
    "户（门牌）": "户的门牌，用于核对户编号（可留空）。",
    居民编号: "登记到具体居民时填写；填写姓名等信息时必填。",
    姓名: "居民姓名（可留空）。",
    公民身份号码: "18 位身份证号码（末位校验码须正确）或 15 位旧号码。",
    联系电话: "手机或固定电话。",
    出生年份: "如 1942。",
    与户主关系: "如 户主、配偶。",
    登记日期: "yyyy-mm-dd。",
    截止日期: "不再跟进的最后一天（可留空）。",
    登记原因: "必填，只写工作需要的内容。",
    登记人: "登记人的人员编号；留空则为导入操作人。",
    走访周期: "本登记自己的走访周期（正整数，可留空，留空按类别默认）。",
    周期单位: "工作日、自然日 或 月；与走访周期同时填写。"
  }
}

const bodies: Entry = {
  title: "组织台账 bodies",
  spec: () => import("@civicgrid/ledger/BodyLedger").then((m) => m.spec),
  notes: [
    "组织台账：居委会、村委会、工作站、治理理事会、业委会、物业企业、共建单位、职能部门、街道领导班子和各级党组织（含大党委、临时党支部），一行一个机构。",
    "先导入本表，再导入岗位台账、党员双报到台账和小区管理台账（它们按机构编号或名称引用本表的机构）。"
  ],
  columns: {
    机构编号: "机构的唯一编号；再次导入同一编号会更新该机构。",
    机构类别: "从下拉列表选择；也可写常见叫法，如 居委会、大党委、物业公司。",
    机构名称: "机构的名称，如 金星社区大党委。",
    所属单元: "机构所在的单元（街道、社区、小区等）。",
    对应党组织: "党组织台账中对应的党组织编号（可留空）。",
    职能条线: "职能部门的条线：公安、城管、市场监管等（大党委兼职委员的派出单位须填写）。",
    成立日期: "yyyy-mm-dd（可留空）。",
    撤销日期: "临时党支部必填；其他留空。"
  }
}

const posts: Entry = {
  title: "岗位台账 posts",
  spec: () => import("@civicgrid/ledger/PostLedger").then((m) => m.spec),
  notes: [
    "岗位台账：一行一次任职（谁在哪个机构任什么岗位、从何时到何时）。任期结束的行保留，作为任职记录。",
    "所在机构、派出单位填机构编号或组织台账中的机构名称。导入后系统按组织配置规则（大党委组成、一村一顾问、调解员按人口配备、网格长须为两委成员、议行分离）检查并列出违规。"
  ],
  columns: {
    岗位编号: "任职记录的唯一编号；再次导入同一编号会更新该记录。",
    所在机构: "机构编号或名称。",
    岗位: "从下拉列表选择，如 书记、第一书记、兼职委员、调解员、法律顾问、网格长。",
    任职人编号: "任职人的人员编号。",
    任职起始: "yyyy-mm-dd。",
    任职终止: "任期结束时填写；在任留空。",
    是否兼任: "是 或 否（留空为否）。",
    所在网格: "网格长所在的网格编号；其他留空。",
    派出单位: "第一书记填街道领导班子，兼职委员填公安、城管、市场监管等部门或共建单位（机构编号或名称）。"
  }
}

const memberships: Entry = {
  title: "党员双报到台账 memberships",
  spec: () => import("@civicgrid/ledger/MembershipLedger").then((m) => m.spec),
  notes: [
    "党员双报到台账：一行一名党员在一个党组织的关系——组织关系所在的党组织，或到居住地报到的党组织（须填原单位党组织）。",
    "党组织填组织台账中的机构编号或名称。"
  ],
  columns: {
    党员编号: "党员的人员编号。",
    所在党组织: "组织关系所在或报到的党组织。",
    关系类别: "组织关系 或 报到。",
    原单位党组织: "报到时必填：组织关系所在的党组织。",
    起始日期: "yyyy-mm-dd。",
    终止日期: "关系结束时填写；否则留空。"
  }
}

const compounds: Entry = {
  title: "小区管理台账 compounds",
  spec: () => import("@civicgrid/ledger/CompoundLedger").then((m) => m.spec),
  notes: [
    "小区管理台账：一行一个小区及其管理方式——专业物业（填物业企业）、自管（填业委会/院委会或自管组织）、无人管理（填兜底单位）。",
    "管理机构填组织台账中的机构编号或名称；管理方式留空表示未登记，组织配置检查会列出。"
  ],
  columns: {
    小区: "小区单元（编号、名称或路径）。",
    所属社区: "小区所在的社区。",
    小区名称: "小区的名称。",
    户数: "小区户数（可留空）。",
    管理方式: "专业物业、自管 或 无人管理。",
    管理机构: "专业物业填物业企业，自管填业委会/院委会；无人管理留空。",
    兜底单位: "无人管理小区由哪个单位兜底管理（社区等）；其他留空。"
  }
}

const populations: Entry = {
  title: "社区人口台账 populations",
  spec: () => import("@civicgrid/ledger/PopulationLedger").then((m) => m.spec),
  notes: [
    "社区人口台账：一行一个社区或村的常住人口，按社区（村）统计口径填写。",
    "调解员按人口配备：常住人口多于 3000 人的社区不少于 5 名调解员，3000 人及以下不少于 3 名。"
  ],
  columns: {
    社区: "社区或村（编号、名称或路径）。",
    常住人口: "常住人口数（整数）。",
    统计日期: "人口数的统计日期，yyyy-mm-dd（可留空）。"
  }
}

const stairwellStaff: Entry = {
  title: "楼道力量台账 stairwell-staff",
  spec: () => import("@civicgrid/ledger/StairwellStaffLedger").then((m) => m.spec),
  notes: [
    "楼道力量台账：一行一人在一个角色上的任职——楼道长在单元楼道、十户长在微网格、楼栋长在楼栋、居民小组长在居民小组、调解员或信息员在社区或网格。",
    "角色能在哪一层级任职由角色表决定；任职对象须已在系统中（单元楼道、楼栋、社区按编号、名称或路径，网格、微网格按编号）。",
    personal
  ],
  columns: {
    人员编号: "任职人的人员编号。",
    姓名: "任职人姓名（可留空）。",
    角色: "从下拉列表选择，如 楼道长、十户长、楼栋长、调解员。",
    任职层级: "行政单元、网格、微网格、楼栋 或 单元楼道。",
    任职对象: "任职的单元楼道、楼栋、社区（编号、名称或路径），或网格、微网格编号。",
    任职起始: "yyyy-mm-dd（可留空）。"
  }
}

const postHolders: Entry = {
  title: "任职人员台账 post-holders",
  spec: () => import("@civicgrid/ledger/PostHolderLedger").then((m) => m.spec),
  notes: [
    "任职人员台账：岗位台账（任职人编号）和楼道力量台账中的任职人员，一行一人。党员占比按岗位统计时读取本表的是否党员；公示牌上姓名、电话脱敏显示。",
    "同一人员编号只填一行；非党员不填党员类别。导出时给出所选范围内岗位和楼道力量的任职人员。",
    personal
  ],
  columns: {
    人员编号:
      "人员的唯一编号，与岗位台账的任职人编号、楼道力量台账的人员编号一致；再次导入同一编号会更新该人员。",
    姓名: "人员姓名。",
    是否党员: "是 / 否。",
    党员类别: "党员填写：骨干、一般、流动 或 老年；非党员留空。",
    联系电话: "手机或座机号码（可留空）。"
  }
}

const appraisals: Entry = {
  title: "干部考核台账 appraisals",
  spec: () => import("@civicgrid/ledger/AppraisalLedger").then((m) => m.spec),
  notes: [
    "干部考核台账：社区干部「绿橙红」动态管理考核，一行一名干部一个考核周期的得分。亮灯（绿、橙、红）由系统按得分判定，不用填写。",
    "同一干部同一考核周期只填一行；得分在 0 到 100 之间。任何一行不合规则整表不导入；再次导入同一干部同一周期会更新该记录。"
  ],
  columns: {
    社区: "干部所在的社区或村（编号、名称或路径）；须已在系统中。",
    人员编号: "干部的人员编号（见任职人员台账）。",
    考核周期: "季度如 2025-Q3 或 2025年第3季度，月如 2025-10 或 2025年10月（也可按周、按日）。",
    得分: "0 到 100 的分数。",
    备注: "考核说明（可留空）。"
  }
}

const weakAndLax: Entry = {
  title: "软弱涣散台账 weak-and-lax",
  spec: () => import("@civicgrid/ledger/WeakAndLaxLedger").then((m) => m.spec),
  notes: [
    "软弱涣散台账：一行一个党组织一个周期是否被列为软弱涣散。目标是清零：某周期被列为软弱涣散的党组织数为 0。是否达标由系统按各行计算，不用填写。",
    "整顿后清零的党组织，在之后的周期填「否」；再次导入同一党组织同一周期会更新该记录。党组织须已在组织台账中，任何一行不合规则整表不导入。"
  ],
  columns: {
    党组织: "党组织的编号或名称（见组织台账）；重名时填编号。",
    周期: "季度如 2025-Q3 或 2025年第3季度，月如 2025-10 或 2025年10月，年如 2025。",
    是否软弱涣散: "是 / 否。",
    原因: "列为软弱涣散的原因或整顿情况（可留空）。"
  }
}

const meetings: Entry = {
  title: "会议记录台账 meetings",
  spec: () => import("@civicgrid/ledger/MeetingLedger").then((m) => m.spec),
  notes: [
    "会议记录台账：一行一个议题及议定该议题的会议（大党委联席会、居民议事会、民情恳谈会等）。导入时每一行按系统的议事协商规则依次办理：提出议题 → 列入议程 → 召开会议；任何一行不合规则（会议类型未配置、实到人员不在受邀名单、未达法定人数、无会议纪要等）整表不导入。",
    "已导入的行再次导入不重复记录；同一议题只能召开一次会议。居民代表提案须由居民代表联名达到立项门槛后方可列入议程，本表不能代替联名。",
    "导入须指明操作人（--actor），会议记录以其名义登记。议题状态、议定事项由导出填写，导入时不读取。",
    personal
  ],
  columns: {
    议题编号: "议题的唯一编号，如 T-2024-001。",
    所属单元: "议题所属的社区、小区等（编号、名称或路径）。",
    议题: "议题名称，如「小区电瓶车乱停、飞线充电」。",
    问题编号: "议题来自问题清单时填写问题编号；与案件编号只填一项。",
    案件编号: "议题来自平台案件时填写案件编号。",
    议题说明: "议题的具体情况（可留空）。",
    提出时间: "议题提出的时间（可留空，留空为会议时间）。",
    列入议程时间: "列入议程的时间（可留空，留空为提出时间）。",
    会议类型: "从下拉列表选择，如 大党委联席会、居民议事会、民情恳谈会；也可写 联席会、议事会、恳谈会。",
    召集机构: "召集会议的机构，如 金星社区大党委。",
    会议时间: "会议召开的时间，如 2024-03-01 14:30。",
    议程: "会议议程，多项用顿号分隔。",
    应到成员: "计入法定人数的成员，每人写作「姓名（所属单位）」，多人用顿号分隔。",
    列席人员: "列席（不计入法定人数）的人员，写法同应到成员（可留空）。",
    实到人员: "实际到会人员的姓名，多人用顿号分隔；须在应到成员或列席人员中。",
    会议纪要: "会议纪要或议定情况，必填。",
    议题状态: "导出时填写议题当前状态；导入时不读取。",
    议定事项: "导出时填写表决通过后形成的议定事项；导入时不读取。"
  }
}

const publications: Entry = {
  title: "公开台账 publications",
  spec: () => import("@civicgrid/ledger/PublicationLedger").then((m) => m.spec),
  notes: [
    "公开台账：一行一个议题结果的公开（居务公开、政务公开、财务公开、党务公开、村规民约）。议题须已在系统中并已办结（已落实、未通过、不予立项，或撤回后重新公开）。",
    "公开标题和内容不得含电话、身份证号码、电子邮箱等个人信息；任何一行不合规则整表不导入。已导入的行再次导入不重复公开；填写撤回时间和原因即撤回该公开。",
    "导入须指明操作人（--actor），以其名义公开。"
  ],
  columns: {
    议题编号: "所公开结果的议题编号（须已在系统中）。",
    公开范围: "议题所属单元，导出时填写；导入时不读取。",
    公开类别: "居务公开、政务公开、财务公开、党务公开 或 村规民约；也可写 居务、财务 等。",
    公开标题: "公开的标题。",
    公开内容: "公开的正文，不含个人信息。",
    发布时间: "公开发布的时间，如 2024-04-02 09:00。",
    公示截止: "公示到何时（可留空，留空按公开类别的默认公示期）；须晚于发布时间。",
    撤回时间: "撤回公开的时间（未撤回留空）。",
    撤回原因: "撤回时必填，如「数字有误，更正后重新公开」。"
  }
}

/**
 * The kinds of template, in help order.
 */
export const kinds = [
  "problems",
  "resources",
  "tasks",
  "units",
  "party-organizations",
  "buildings",
  "grids",
  "staff",
  "assignments",
  "departments",
  "visits",
  "key-groups",
  "bodies",
  "posts",
  "memberships",
  "compounds",
  "populations",
  "stairwell-staff",
  "post-holders",
  "appraisals",
  "weak-and-lax",
  "meetings",
  "publications",
  "categories",
  "routing",
  "time-limits"
] as const

/** A kind of template. */
export type Kind = (typeof kinds)[number]

/** Every kind's entry. */
export const entries: Readonly<Record<Kind, Entry>> = {
  problems,
  resources,
  tasks,
  units,
  "party-organizations": partyOrganizations,
  buildings,
  grids,
  staff,
  assignments,
  departments,
  visits,
  "key-groups": keyGroups,
  bodies,
  posts,
  memberships,
  compounds,
  populations,
  "stairwell-staff": stairwellStaff,
  "post-holders": postHolders,
  appraisals,
  "weak-and-lax": weakAndLax,
  meetings,
  publications,
  categories,
  routing,
  "time-limits": timeLimits
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
