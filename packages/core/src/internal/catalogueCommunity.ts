/**
 * 社区治理扩展类别 — the event classes community-governance platforms add to
 * the city-management standard: 矛盾纠纷 disputes (the public-rental-housing community report: 28 resolved),
 * 信访 petitions (the public-rental-housing community report: 信访代办), 物业管理 property management, 养老服务
 * elderly care, 儿童关爱 child care (the community experience report's problem-list categories).
 *
 * Major codes 21–25 sit well clear of the standard's 01–05, so the extension
 * never collides with a standard event class. Attributes ask about the
 * matter, never about the people in it (PIPL: no personal data in category
 * attributes, which Open311 publishes).
 *
 * Internal: not exported from the barrel.
 */
import { details, type FamilySpec, occurredAt } from "./catalogueSpec.js"

const parties = {
  code: "parties",
  datatype: "number",
  description: "涉及当事人数",
  required: true,
  datatypeDescription: "正整数"
} as const

const disputeStage = {
  code: "stage",
  datatype: "singlevaluelist",
  description: "纠纷状态",
  required: true,
  values: [
    ["brewing", "苗头隐患"],
    ["active", "正在发生"],
    ["escalating", "有激化风险"]
  ]
} as const

const summary = {
  code: "summary",
  datatype: "text",
  description: "事项简要情况",
  required: true
} as const

const serviceNeeds = {
  code: "needs",
  datatype: "multivaluelist",
  description: "服务需求",
  required: true,
  values: [
    ["meals", "助餐"],
    ["cleaning", "助洁"],
    ["bathing", "助浴"],
    ["medical", "助医"],
    ["companionship", "精神慰藉"],
    ["emergency", "紧急援助"]
  ]
} as const

/** 社区治理 — five event major classes for community platforms. */
export const community: FamilySpec = {
  family: "event",
  majors: [
    {
      code: "21",
      name: "矛盾纠纷",
      description: "群众之间的矛盾纠纷，社区先行调解（小事不出网格、大事不出社区）",
      minors: [
        {
          code: "01",
          name: "邻里纠纷",
          keywords: ["邻居", "噪音", "漏水"],
          attributes: [parties, disputeStage, summary],
          departmentId: "mediation"
        },
        {
          code: "02",
          name: "婚姻家庭纠纷",
          keywords: ["家庭", "赡养"],
          attributes: [parties, disputeStage, summary],
          departmentId: "mediation"
        },
        {
          code: "03",
          name: "物业纠纷",
          keywords: ["物业费", "业主"],
          attributes: [parties, disputeStage, summary],
          departmentId: "mediation"
        },
        {
          code: "04",
          name: "劳资纠纷",
          keywords: ["欠薪", "工资", "农民工"],
          attributes: [parties, disputeStage, summary],
          startTier: "street",
          urgency: "urgent",
          departmentId: "human-resources"
        },
        {
          code: "05",
          name: "房屋租赁纠纷",
          keywords: ["租房", "押金"],
          attributes: [parties, disputeStage, summary],
          departmentId: "mediation"
        },
        {
          code: "99",
          name: "其他矛盾纠纷",
          attributes: [parties, disputeStage, summary],
          departmentId: "mediation"
        }
      ]
    },
    {
      code: "22",
      name: "信访事项",
      description: "群众信访诉求；社区可代为办理（信访代办）",
      minors: [
        { code: "01", name: "信访代办", keywords: ["代办"], attributes: [summary], departmentId: "petition" },
        { code: "02", name: "来信", attributes: [summary], startTier: "street", departmentId: "petition" },
        {
          code: "03",
          name: "来访",
          keywords: ["上访"],
          attributes: [summary, occurredAt],
          startTier: "street",
          departmentId: "petition"
        },
        { code: "04", name: "网上信访", attributes: [summary], startTier: "street", departmentId: "petition" }
      ]
    },
    {
      code: "23",
      name: "物业管理",
      description: "住宅小区物业服务与公共部位管理",
      minors: [
        {
          code: "01",
          name: "物业服务质量",
          keywords: ["物业", "保洁", "保安"],
          attributes: [details],
          departmentId: "housing"
        },
        {
          code: "02",
          name: "电梯故障",
          keywords: ["电梯", "困人"],
          attributes: [
            {
              code: "trapped",
              datatype: "singlevaluelist",
              description: "是否有人被困",
              required: true,
              values: [
                ["no", "否"],
                ["yes", "是"]
              ]
            },
            occurredAt
          ],
          urgency: "critical",
          departmentId: "market-regulation"
        },
        {
          code: "03",
          name: "楼道堆物",
          keywords: ["消防通道", "堆物"],
          attributes: [details],
          departmentId: "fire-rescue"
        },
        {
          code: "04",
          name: "小区公共设施损坏",
          keywords: ["设施", "维修"],
          attributes: [details],
          departmentId: "housing"
        },
        {
          code: "05",
          name: "违规装修",
          keywords: ["装修", "拆墙"],
          attributes: [details],
          departmentId: "housing"
        },
        {
          code: "06",
          name: "二次供水",
          keywords: ["水箱", "水质"],
          attributes: [details],
          urgency: "urgent",
          departmentId: "water-supply"
        },
        {
          code: "07",
          name: "电动车违规充电",
          keywords: ["飞线充电", "电动车"],
          attributes: [details],
          urgency: "urgent",
          departmentId: "fire-rescue"
        }
      ]
    },
    {
      code: "24",
      name: "养老服务",
      description: "老年人居家与社区养老服务需求",
      minors: [
        {
          code: "01",
          name: "独居老人关爱",
          keywords: ["独居", "空巢"],
          attributes: [serviceNeeds],
          departmentId: "civil-affairs"
        },
        {
          code: "02",
          name: "居家养老服务",
          keywords: ["助餐", "助浴"],
          attributes: [serviceNeeds],
          departmentId: "civil-affairs"
        },
        {
          code: "03",
          name: "适老化改造",
          keywords: ["扶手", "无障碍"],
          attributes: [details],
          departmentId: "civil-affairs"
        }
      ]
    },
    {
      code: "25",
      name: "儿童关爱",
      description: "困境儿童、留守儿童关爱与未成年人保护",
      minors: [
        {
          code: "01",
          name: "困境儿童帮扶",
          keywords: ["留守儿童", "困境儿童"],
          attributes: [details],
          departmentId: "civil-affairs"
        },
        {
          code: "02",
          name: "四点半课堂",
          keywords: ["托管", "课后"],
          attributes: [details],
          departmentId: "education"
        }
      ]
    }
  ]
}
