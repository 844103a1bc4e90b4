/**
 * @civicgrid/ledger — 台账: the core's lists as CSV and XLSX ledgers with
 * Chinese column headers, and validated import back.
 *
 * @since 0.1.0
 */

/**
 * 访问日志台账 — the key-group access log ledger spec (export only, for auditors).
 *
 * @since 0.1.0
 */
export * as AccessLogLedger from "./AccessLogLedger.js"
/**
 * 干部考核台账 — cadre appraisals (绿橙红) per period, as the street keeps them.
 *
 * @since 0.1.0
 */
export * as AppraisalLedger from "./AppraisalLedger.js"

/**
 * 组织台账 — the body ledger spec (committees, stations, councils, party bodies …).
 *
 * @since 0.1.0
 */
export * as BodyLedger from "./BodyLedger.js"

/**
 * 楼栋台账 — the building ledger spec.
 *
 * @since 0.1.0
 */
export * as BuildingLedger from "./BuildingLedger.js"

/**
 * 案件分类台账 — the category catalogue ledger spec.
 *
 * @since 0.1.0
 */
export * as CategoryLedger from "./CategoryLedger.js"

/**
 * 小区管理台账 — the compound management ledger spec (专业物业 / 自管 / 无人管理).
 *
 * @since 0.1.0
 */
export * as CompoundLedger from "./CompoundLedger.js"

/**
 * CSV ledgers (UTF-8 with BOM, RFC 4180).
 *
 * @since 0.1.0
 */
export * as Csv from "./Csv.js"

/**
 * 职能部门台账 — the department ledger spec.
 *
 * @since 0.1.0
 */
export * as DepartmentLedger from "./DepartmentLedger.js"

/**
 * 网格台账 — the grid ledger spec.
 *
 * @since 0.1.0
 */
export * as GridLedger from "./GridLedger.js"

/**
 * 重点人群台账 — the key-group register ledger specs (identity in full, and masked).
 *
 * @since 0.1.0
 */
export * as KeyGroupLedger from "./KeyGroupLedger.js"

/**
 * The generic engine: ledger specs, tables, validated import, errors.
 *
 * @since 0.1.0
 */
export * as Ledger from "./Ledger.js"

/**
 * 台账核查 — the core's rules over imported ledgers, each breach at its rows.
 *
 * @since 0.1.0
 */
export * as LedgerCheck from "./LedgerCheck.js"

/**
 * 会议记录台账 — the meeting-record ledger of deliberation (topics and their meetings, through the core's use case).
 *
 * @since 0.1.0
 */
export * as MeetingLedger from "./MeetingLedger.js"

/**
 * 党员双报到台账 — the party membership ledger spec and its check.
 *
 * @since 0.1.0
 */
export * as MembershipLedger from "./MembershipLedger.js"

/**
 * 微心愿台账 — the micro-wish ledger spec.
 *
 * @since 0.1.0
 */
export * as MicroWishLedger from "./MicroWishLedger.js"

/**
 * 组织与岗位台账核查 — bodies, posts and compounds checked together by the organisation rules.
 *
 * @since 0.1.0
 */
export * as OrganizationLedgers from "./OrganizationLedgers.js"

/**
 * 党组织台账 — the party organisation ledger spec.
 *
 * @since 0.1.0
 */
export * as PartyOrganizationLedger from "./PartyOrganizationLedger.js"
/**
 * 社区人口台账 — the population of each community or village.
 *
 * @since 0.1.0
 */
export * as PopulationLedger from "./PopulationLedger.js"
/**
 * 任职人员台账 — the people who hold posts: name, party membership, phone.
 *
 * @since 0.1.0
 */
export * as PostHolderLedger from "./PostHolderLedger.js"
/**
 * 岗位台账 — the post ledger spec (appointments: holder, term, 兼任, 派出单位).
 *
 * @since 0.1.0
 */
export * as PostLedger from "./PostLedger.js"
/**
 * 问题清单台账 — the problem list ledger spec.
 *
 * @since 0.1.0
 */
export * as ProblemLedger from "./ProblemLedger.js"
/**
 * 公开台账 — the publication ledger (居务/政务/财务公开), through the core's use case.
 *
 * @since 0.1.0
 */
export * as PublicationLedger from "./PublicationLedger.js"

/**
 * 资源清单台账 — the resource list ledger spec.
 *
 * @since 0.1.0
 */
export * as ResourceLedger from "./ResourceLedger.js"

/**
 * 派遣规则台账 — the routing table ledger spec.
 *
 * @since 0.1.0
 */
export * as RoutingLedger from "./RoutingLedger.js"
/**
 * 网格员台账 — the staffing ledger specs (people, assignments).
 *
 * @since 0.1.0
 */
export * as StaffingLedger from "./StaffingLedger.js"
/**
 * 楼道力量台账 — staff by stairwell and micro-grid, checked by the role table.
 *
 * @since 0.1.0
 */
export * as StairwellStaffLedger from "./StairwellStaffLedger.js"

/**
 * 任务清单台账 — the task list ledger specs (with and without 是否逾期).
 *
 * @since 0.1.0
 */
export * as TaskLedger from "./TaskLedger.js"

/**
 * 台账模板 — empty XLSX ledger templates with instructions and drop-down lists.
 *
 * @since 0.1.0
 */
export * as Template from "./Template.js"

/**
 * 处置时限台账 — the time-limit ledger spec.
 *
 * @since 0.1.0
 */
export * as TimeLimitLedger from "./TimeLimitLedger.js"

/**
 * 行政单元台账 — the unit ledger spec of a level scheme.
 *
 * @since 0.1.0
 */
export * as UnitLedger from "./UnitLedger.js"

/**
 * 单元名称 — units named by id, name or path in ledgers.
 *
 * @since 0.1.0
 */
export * as UnitNames from "./UnitNames.js"

/**
 * 走访台账 — the home-visit ledger spec.
 *
 * @since 0.1.0
 */
export * as VisitLedger from "./VisitLedger.js"

/**
 * 软弱涣散台账 — the weak-and-lax flags of party organisations per period (清零).
 *
 * @since 0.1.0
 */
export * as WeakAndLaxLedger from "./WeakAndLaxLedger.js"

/**
 * XLSX ledgers (exceljs), as Effects.
 *
 * @since 0.1.0
 */
export * as Xlsx from "./Xlsx.js"
