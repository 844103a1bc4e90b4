/** 中文优先 — Chinese first, with an English switch (kept in localStorage). */
export type Lang = "zh" | "en"

const stored = typeof localStorage === "undefined" ? null : localStorage.getItem("civicgrid.lang")
let current: Lang = stored === "en" ? "en" : "zh"

export const lang = (): Lang => current
export const setLang = (next: Lang): void => {
  current = next
  localStorage.setItem("civicgrid.lang", next)
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en"
}

/** A text in both languages: `t("中文", "English")`. */
export const t = (zh: string, en: string): string => (current === "zh" ? zh : en)

export const statusNames: Record<string, readonly [string, string]> = {
  reported: ["待立案", "reported"],
  accepted: ["待派遣", "accepted"],
  dispatched: ["处置中", "dispatched"],
  handled: ["待核查", "handled"],
  rework: ["返工", "rework"],
  suspended: ["挂账", "suspended"],
  closed: ["已结案", "closed"],
  evaluated: ["已评价", "evaluated"],
  rejected: ["不予立案", "rejected"],
  voided: ["已作废", "voided"],
  merged: ["已合并", "merged"]
}

export const statusName = (status: string): string => {
  const found = statusNames[status]
  return found === undefined ? status : t(found[0], found[1])
}

export const lightNames: Record<string, readonly [string, string]> = {
  green: ["绿灯", "green"],
  yellow: ["黄灯", "yellow"],
  red: ["红灯", "red"]
}

export const lightName = (light: string | null): string => {
  if (light === null) return t("不计时", "no clock")
  const found = lightNames[light]
  return found === undefined ? light : t(found[0], found[1])
}

export const tierNames: Record<string, readonly [string, string]> = {
  community: ["社区", "community"],
  street: ["街道", "street"],
  district: ["区", "district"]
}

export const tierName = (tier: string): string => {
  const found = tierNames[tier]
  return found === undefined ? tier : t(found[0], found[1])
}

const eventNames: Record<string, readonly [string, string]> = {
  Reported: ["采集上报", "reported"],
  Accepted: ["立案", "accepted"],
  Rejected: ["不予立案", "rejected"],
  Voided: ["作废", "voided"],
  Dispatched: ["指挥派遣", "dispatched"],
  Returned: ["回退", "returned"],
  Handled: ["处理反馈", "handled"],
  VerificationPassed: ["核查通过", "verification passed"],
  VerificationFailed: ["核查不通过", "verification failed"],
  Closed: ["结案", "closed"],
  Evaluated: ["回访评价", "evaluated"],
  Reopened: ["重办", "reopened"],
  SuspensionRequested: ["申请挂账", "suspension requested"],
  SuspensionApproved: ["批准挂账", "suspension approved"],
  SuspensionDenied: ["驳回挂账", "suspension denied"],
  Resumed: ["恢复处置", "resumed"],
  ExtensionRequested: ["申请延期", "extension requested"],
  ExtensionApproved: ["批准延期", "extension approved"],
  ExtensionDenied: ["驳回延期", "extension denied"],
  Merged: ["合并", "merged"],
  Escalated: ["上报升级", "escalated"],
  SelfHandled: ["自处理", "self-handled"],
  Commented: ["评论", "comment"],
  Supervised: ["督办", "supervised"]
}

export const eventName = (tag: string): string => {
  const found = eventNames[tag]
  return found === undefined ? tag : t(found[0], found[1])
}

const roleNames: Record<string, readonly [string, string]> = {
  resident: ["居民", "resident"],
  "grid-worker": ["网格员", "grid worker"],
  "community-staff": ["社区工作人员", "community staff"],
  "street-staff": ["街道工作人员", "street staff"],
  "district-staff": ["区指挥中心", "district staff"],
  department: ["职能部门", "department"],
  hotline: ["12345 热线", "12345 hotline"],
  admin: ["管理员", "admin"]
}

export const roleName = (role: string): string => {
  const found = roleNames[role]
  return found === undefined ? role : t(found[0], found[1])
}

/**
 * The Chinese part of a bilingual message ("中文 English …"): the text before the first run of
 * Latin words, or the whole message when it has no Chinese.
 */
export const chineseOf = (message: string): string => {
  if (!/[\u4e00-\u9fff]/.test(message)) return message
  const cut = message.search(/\s[A-Za-z][A-Za-z'-]*\s[A-Za-z]/)
  return cut > 0 ? message.slice(0, cut).trim() : message
}

/** "2 天 3 小时" / "2 d 3 h" until (or, negative, since) a deadline. */
export const countdown = (ms: number): string => {
  const over = ms < 0
  const abs = Math.abs(ms)
  const days = Math.floor(abs / 86_400_000)
  const hours = Math.floor((abs % 86_400_000) / 3_600_000)
  const minutes = Math.floor((abs % 3_600_000) / 60_000)
  const text =
    days > 0
      ? t(`${days} 天 ${hours} 小时`, `${days} d ${hours} h`)
      : t(`${hours} 小时 ${minutes} 分`, `${hours} h ${minutes} min`)
  return over ? t(`已超期 ${text}`, `overdue by ${text}`) : t(`剩余 ${text}`, `${text} left`)
}

export const formatTime = (epochMillis: number): string =>
  new Date(epochMillis).toLocaleString(current === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "Asia/Shanghai",
    hour12: false
  })

const commandTagNames: Record<string, string> = {
  Report: "上报",
  SelfHandle: "自处理",
  Accept: "立案",
  Reject: "不予立案",
  Void: "作废",
  Dispatch: "派遣",
  Return: "回退",
  Handle: "处理反馈",
  Verify: "核查",
  Evaluate: "回访评价",
  Reopen: "重办",
  Escalate: "上报升级",
  Supervise: "督办",
  RequestSuspension: "申请挂账",
  ApproveSuspension: "批准挂账",
  DenySuspension: "驳回挂账",
  Resume: "恢复处置",
  RequestExtension: "申请延期",
  ApproveExtension: "批准延期",
  DenyExtension: "驳回延期",
  Merge: "合并",
  Comment: "评论"
}

/** 拒绝规则 — each rule of the case loop a refused command names, in plain Chinese. */
const ruleTexts: Record<string, string> = {
  "case-exists": "案件已存在",
  "case-not-found": "案件不存在",
  "case-id": "案件编号无效",
  "time-order": "时间早于案件的上一步",
  status: "当前状态不允许此操作",
  role: "您的角色无权执行此操作",
  jurisdiction: "案件不在您的辖区内",
  handler: "只有承办单位可以执行此操作",
  "description-required": "须填写问题描述",
  "reason-required": "须填写理由",
  "note-required": "须填写说明",
  "result-required": "须填写处置结果",
  "evidence-required": "须提供处置证据",
  "anonymous-contact": "匿名上报不能留联系方式",
  "owner-unit": "只有案件所属单位可以执行此操作",
  "self-handle-community-only": "只有社区层级的案件可以自处理",
  "escalation-beyond-district": "区级案件不能再上报升级",
  "escalation-unit": "升级对象不是上一级单位",
  "merge-into-self": "不能合并到案件自身",
  "request-pending": "已有待审批的申请",
  "no-pending-request": "没有待审批的申请",
  "extension-amount": "延期时长不符合规定",
  "reopen-requires-dissatisfied": "只有回访不满意的案件可以重办",
  "reopen-needs-handler": "重办须指定承办单位",
  "evaluation-final": "回访评价已完成，不能更改",
  "resolved-needs-visit": "“问题是否解决”只能在有效回访时填写",
  source: "您的角色不能使用该来源上报",
  "start-tier": "不能从该层级开始办理",
  "unknown-unit": "单位不存在",
  "unknown-department": "职能部门不存在",
  "dispatch-jurisdiction": "派遣对象不在辖区内",
  "escalation-target": "升级对象无效",
  "merge-target": "合并目标无效",
  "idempotency-key-reused": "幂等键已用于另一次上报",
  "internal-comment-staff": "只有工作人员可以发表内部评论",
  "notify-needs-contact": "接收进度通知须留联系电话"
}

/**
 * A refused command in plain Chinese: "不能立案：当前状态（待派遣）不允许此操作", from the rule the server
 * names, the command and the case's status (the server's message is kept for the English view).
 */
export const refusalText = (
  violation: { readonly rule: string; readonly message: string },
  command: string | undefined,
  status: string | undefined
): string => {
  if (current === "en") return violation.message
  const verb = command === undefined ? "" : (commandTagNames[command] ?? command)
  const rule = ruleTexts[violation.rule]
  if (rule === undefined) return chineseOf(violation.message)
  const detail =
    violation.rule === "status" && status !== undefined && status !== "none"
      ? `当前状态（${statusName(status)}）不允许此操作`
      : rule
  return verb === "" ? detail : `不能${verb}：${detail}`
}
