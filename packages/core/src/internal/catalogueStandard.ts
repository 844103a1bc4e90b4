/**
 * The default 部件/事件 catalogue: the major classes of GB/T 30428.2 and
 * CJ/T 214 (城市市政综合监管信息系统 管理部件和事件分类、编码及数据要求) with a set
 * of common minor classes under each.
 *
 * The major classes and their two-digit codes are the standard's. The minor
 * classes are the common ones city platforms use, numbered 01, 02 … within
 * each major class in this catalogue; a city that uses its own minor-class
 * table (most do, with local additions) loads that table instead.
 *
 * Internal: not exported from the barrel.
 */
import {
  casualties,
  coverState,
  details,
  type FamilySpec,
  facilityNumber,
  facilityState,
  goods,
  lampFault,
  occurredAt,
  period,
  plate,
  volume
} from "./catalogueSpec.js"

/** 部件 — the six standard component major classes. */
export const components: FamilySpec = {
  family: "component",
  majors: [
    {
      code: "01",
      name: "公用设施",
      description: "水、电、气、热、通信等公用设施的井盖、杆件、箱亭等部件",
      minors: [
        {
          code: "01",
          name: "上水井盖",
          keywords: ["井盖", "自来水"],
          attributes: [coverState],
          departmentId: "water-supply"
        },
        {
          code: "02",
          name: "污水井盖",
          keywords: ["井盖", "下水"],
          attributes: [coverState],
          departmentId: "drainage"
        },
        {
          code: "03",
          name: "雨水井盖",
          keywords: ["井盖"],
          attributes: [coverState],
          departmentId: "drainage"
        },
        {
          code: "04",
          name: "雨水箅子",
          keywords: ["雨水口", "排水"],
          attributes: [
            {
              code: "grate_state",
              datatype: "singlevaluelist",
              description: "箅子状况",
              required: true,
              values: [
                ["missing", "丢失"],
                ["broken", "破损"],
                ["blocked", "堵塞"]
              ]
            }
          ],
          departmentId: "drainage"
        },
        { code: "05", name: "电力井盖", keywords: ["井盖"], attributes: [coverState], departmentId: "power" },
        {
          code: "06",
          name: "路灯井盖",
          keywords: ["井盖"],
          attributes: [coverState],
          departmentId: "street-lighting"
        },
        {
          code: "07",
          name: "通信井盖",
          keywords: ["井盖", "通讯"],
          attributes: [coverState],
          departmentId: "telecom"
        },
        {
          code: "08",
          name: "燃气井盖",
          keywords: ["井盖", "煤气"],
          attributes: [coverState],
          departmentId: "gas"
        },
        {
          code: "09",
          name: "热力井盖",
          keywords: ["井盖", "供热"],
          attributes: [coverState],
          departmentId: "heating"
        },
        { code: "10", name: "无主井盖", keywords: ["井盖"], attributes: [coverState] },
        {
          code: "11",
          name: "消防栓",
          keywords: ["消火栓"],
          attributes: [facilityState],
          urgency: "urgent",
          departmentId: "fire-rescue"
        },
        {
          code: "12",
          name: "路灯",
          keywords: ["灯", "照明"],
          attributes: [lampFault, facilityNumber],
          departmentId: "street-lighting"
        },
        {
          code: "13",
          name: "景观灯",
          keywords: ["灯", "亮化"],
          attributes: [lampFault],
          departmentId: "street-lighting"
        },
        { code: "14", name: "报刊亭", keywords: ["亭"], attributes: [facilityState] },
        { code: "15", name: "信息亭", keywords: ["亭"], attributes: [facilityState] },
        { code: "16", name: "邮筒", attributes: [facilityState], departmentId: "postal" },
        {
          code: "17",
          name: "电力杆",
          keywords: ["电线杆", "杆件"],
          attributes: [facilityState, facilityNumber],
          departmentId: "power"
        },
        {
          code: "18",
          name: "通信杆",
          keywords: ["电线杆", "杆件"],
          attributes: [facilityState, facilityNumber],
          departmentId: "telecom"
        },
        {
          code: "19",
          name: "变压器（箱）",
          keywords: ["配电箱", "电箱"],
          attributes: [facilityState],
          departmentId: "power"
        },
        {
          code: "20",
          name: "燃气调压站（箱）",
          keywords: ["燃气", "调压箱"],
          attributes: [facilityState],
          urgency: "urgent",
          departmentId: "gas"
        }
      ]
    },
    {
      code: "02",
      name: "道路交通",
      description: "道路、桥梁、交通标志与站亭等交通设施",
      minors: [
        { code: "01", name: "停车场", attributes: [facilityState], departmentId: "traffic-police" },
        {
          code: "02",
          name: "公交站亭",
          keywords: ["公交站", "候车亭"],
          attributes: [facilityState],
          departmentId: "public-transport"
        },
        { code: "03", name: "出租车站牌", attributes: [facilityState], departmentId: "public-transport" },
        {
          code: "04",
          name: "过街天桥",
          keywords: ["天桥"],
          attributes: [facilityState],
          departmentId: "roads"
        },
        { code: "05", name: "地下通道", attributes: [facilityState], departmentId: "roads" },
        {
          code: "06",
          name: "跨河桥",
          keywords: ["桥梁"],
          attributes: [facilityState],
          departmentId: "roads"
        },
        {
          code: "07",
          name: "交通标志牌",
          keywords: ["标志"],
          attributes: [facilityState],
          departmentId: "traffic-police"
        },
        {
          code: "08",
          name: "交通信号灯",
          keywords: ["红绿灯", "信号灯"],
          attributes: [lampFault],
          urgency: "urgent",
          departmentId: "traffic-police"
        },
        {
          code: "09",
          name: "道路护栏",
          keywords: ["护栏", "隔离栏"],
          attributes: [facilityState],
          departmentId: "roads"
        },
        { code: "10", name: "路名牌", attributes: [facilityState], departmentId: "roads" },
        { code: "11", name: "非机动车停放架", keywords: ["自行车", "存车支架"], attributes: [facilityState] },
        {
          code: "12",
          name: "道路路面",
          keywords: ["坑槽", "路面破损", "人行道"],
          attributes: [
            {
              code: "damage",
              datatype: "singlevaluelist",
              description: "破损类型",
              required: true,
              values: [
                ["pothole", "坑槽"],
                ["crack", "裂缝"],
                ["subsidence", "沉陷"],
                ["loose_paving", "步道砖松动缺失"]
              ]
            }
          ],
          departmentId: "roads"
        },
        { code: "13", name: "盲道", attributes: [facilityState], departmentId: "roads" }
      ]
    },
    {
      code: "03",
      name: "市容环境",
      description: "公厕、垃圾收集与广告设施等市容环卫设施",
      minors: [
        {
          code: "01",
          name: "公共厕所",
          keywords: ["公厕", "厕所"],
          attributes: [facilityState],
          departmentId: "sanitation"
        },
        {
          code: "02",
          name: "垃圾间（楼）",
          keywords: ["垃圾站", "垃圾房"],
          attributes: [facilityState],
          departmentId: "sanitation"
        },
        {
          code: "03",
          name: "垃圾箱",
          keywords: ["果皮箱", "垃圾桶"],
          attributes: [facilityState],
          departmentId: "sanitation"
        },
        {
          code: "04",
          name: "垃圾分类投放点",
          keywords: ["垃圾分类", "垃圾桶"],
          attributes: [facilityState],
          departmentId: "sanitation"
        },
        {
          code: "05",
          name: "广告牌匾",
          keywords: ["招牌", "牌匾"],
          attributes: [facilityState],
          departmentId: "urban-management"
        },
        {
          code: "06",
          name: "户外广告设施",
          keywords: ["广告", "灯箱"],
          attributes: [facilityState],
          departmentId: "urban-management"
        },
        { code: "07", name: "化粪池", attributes: [facilityState], departmentId: "sanitation" },
        { code: "08", name: "环境监测设施", attributes: [facilityState], departmentId: "ecology-environment" }
      ]
    },
    {
      code: "04",
      name: "园林绿化",
      description: "树木、绿地与园林小品",
      minors: [
        {
          code: "01",
          name: "古树名木",
          keywords: ["古树"],
          attributes: [facilityState],
          urgency: "urgent",
          departmentId: "landscaping"
        },
        {
          code: "02",
          name: "行道树",
          keywords: ["树木", "倒伏"],
          attributes: [facilityState],
          departmentId: "landscaping"
        },
        {
          code: "03",
          name: "护树设施",
          keywords: ["树池", "树篦子"],
          attributes: [facilityState],
          departmentId: "landscaping"
        },
        {
          code: "04",
          name: "绿地",
          keywords: ["草坪", "绿化带"],
          attributes: [facilityState],
          departmentId: "landscaping"
        },
        {
          code: "05",
          name: "绿地护栏",
          keywords: ["护栏"],
          attributes: [facilityState],
          departmentId: "landscaping"
        },
        {
          code: "06",
          name: "花架花钵",
          keywords: ["花箱"],
          attributes: [facilityState],
          departmentId: "landscaping"
        },
        {
          code: "07",
          name: "城市雕塑",
          keywords: ["雕塑"],
          attributes: [facilityState],
          departmentId: "landscaping"
        },
        {
          code: "08",
          name: "街头座椅",
          keywords: ["座椅", "长椅"],
          attributes: [facilityState],
          departmentId: "landscaping"
        },
        { code: "09", name: "喷泉", attributes: [facilityState], departmentId: "landscaping" }
      ]
    },
    {
      code: "05",
      name: "房屋土地",
      description: "公房、宣传栏、人防工事与空置土地",
      minors: [
        { code: "01", name: "宣传栏", keywords: ["公告栏", "宣传橱窗"], attributes: [facilityState] },
        { code: "02", name: "人防工事", attributes: [facilityState], departmentId: "civil-air-defence" },
        {
          code: "03",
          name: "公房地下室",
          keywords: ["地下室"],
          attributes: [facilityState],
          departmentId: "housing"
        },
        {
          code: "04",
          name: "待建空地",
          keywords: ["空地", "闲置土地"],
          attributes: [facilityState],
          departmentId: "natural-resources"
        },
        { code: "05", name: "围墙", attributes: [facilityState], departmentId: "housing" }
      ]
    },
    {
      code: "06",
      name: "其他设施",
      description: "以上各类之外的公共设施",
      minors: [
        {
          code: "01",
          name: "重大危险源",
          keywords: ["危险源", "危化品"],
          attributes: [facilityState, details],
          startTier: "district",
          urgency: "critical",
          departmentId: "emergency-management"
        },
        {
          code: "02",
          name: "水域附属设施",
          keywords: ["河道", "堤岸"],
          attributes: [facilityState],
          departmentId: "water-affairs"
        },
        {
          code: "03",
          name: "健身设施",
          keywords: ["健身器材"],
          attributes: [facilityState],
          departmentId: "sports"
        },
        {
          code: "04",
          name: "视频监控设施",
          keywords: ["监控", "摄像头"],
          attributes: [facilityState],
          departmentId: "public-security"
        },
        {
          code: "05",
          name: "加油（气）站",
          keywords: ["加油站", "加气站"],
          attributes: [facilityState],
          departmentId: "emergency-management"
        }
      ]
    }
  ]
}

/** 事件 — the five standard event major classes. */
export const events: FamilySpec = {
  family: "event",
  majors: [
    {
      code: "01",
      name: "市容环境",
      description: "影响市容环境卫生的行为和现象",
      minors: [
        {
          code: "01",
          name: "私搭乱建",
          keywords: ["违建", "违章建筑"],
          attributes: [details],
          departmentId: "urban-management"
        },
        {
          code: "02",
          name: "暴露垃圾",
          keywords: ["垃圾"],
          attributes: [volume],
          departmentId: "sanitation"
        },
        {
          code: "03",
          name: "积存垃圾渣土",
          keywords: ["垃圾", "渣土"],
          attributes: [volume],
          departmentId: "sanitation"
        },
        { code: "04", name: "道路不洁", keywords: ["脏", "油污"], departmentId: "sanitation" },
        { code: "05", name: "水域不洁", keywords: ["河道", "漂浮物"], departmentId: "water-affairs" },
        { code: "06", name: "绿地脏乱", keywords: ["绿化带"], departmentId: "landscaping" },
        {
          code: "07",
          name: "废弃车辆",
          keywords: ["僵尸车"],
          attributes: [plate],
          departmentId: "traffic-police"
        },
        {
          code: "08",
          name: "废弃家具设备",
          keywords: ["大件垃圾"],
          attributes: [volume],
          departmentId: "sanitation"
        },
        { code: "09", name: "非装饰性树挂", keywords: ["树挂"], departmentId: "landscaping" },
        {
          code: "10",
          name: "焚烧垃圾树叶",
          keywords: ["焚烧", "烟"],
          attributes: [occurredAt],
          urgency: "urgent",
          departmentId: "urban-management"
        },
        { code: "11", name: "餐饮油烟污染", keywords: ["油烟"], departmentId: "ecology-environment" },
        { code: "12", name: "动物尸体", departmentId: "sanitation" },
        { code: "13", name: "垃圾满溢", keywords: ["垃圾桶", "垃圾"], departmentId: "sanitation" },
        { code: "14", name: "建筑物外立面不洁", keywords: ["外立面"], departmentId: "urban-management" }
      ]
    },
    {
      code: "02",
      name: "宣传广告",
      description: "违规广告与宣传品",
      minors: [
        { code: "01", name: "非法小广告", keywords: ["小广告", "牛皮癣"], departmentId: "urban-management" },
        {
          code: "02",
          name: "违规张贴悬挂宣传品",
          keywords: ["横幅", "标语"],
          departmentId: "urban-management"
        },
        { code: "03", name: "违规户外广告", keywords: ["广告"], departmentId: "urban-management" },
        { code: "04", name: "街头散发广告", keywords: ["传单"], departmentId: "urban-management" },
        {
          code: "05",
          name: "广告招牌破损",
          keywords: ["招牌"],
          attributes: [facilityState],
          urgency: "urgent",
          departmentId: "urban-management"
        },
        { code: "06", name: "占道广告牌", keywords: ["广告牌"], departmentId: "urban-management" }
      ]
    },
    {
      code: "03",
      name: "施工管理",
      description: "施工过程中影响市容与秩序的问题",
      minors: [
        {
          code: "01",
          name: "施工扰民",
          keywords: ["噪音", "施工"],
          attributes: [period, occurredAt],
          departmentId: "housing"
        },
        { code: "02", name: "工地扬尘", keywords: ["扬尘", "灰尘"], departmentId: "housing" },
        {
          code: "03",
          name: "施工废弃料",
          keywords: ["建筑垃圾"],
          attributes: [volume],
          departmentId: "housing"
        },
        { code: "04", name: "施工占道", keywords: ["占道"], departmentId: "roads" },
        { code: "05", name: "无证掘路", keywords: ["挖路"], departmentId: "roads" },
        {
          code: "06",
          name: "渣土运输遗撒",
          keywords: ["遗撒", "渣土车"],
          attributes: [plate],
          departmentId: "urban-management"
        }
      ]
    },
    {
      code: "04",
      name: "突发事件",
      description: "需要立即处置的突发险情，起始处置层级在社区之上",
      minors: [
        {
          code: "01",
          name: "路面塌陷",
          keywords: ["塌陷", "坑"],
          attributes: [casualties, occurredAt],
          startTier: "district",
          urgency: "critical",
          departmentId: "roads"
        },
        {
          code: "02",
          name: "自来水管破裂",
          keywords: ["爆管", "漏水"],
          attributes: [casualties, occurredAt],
          startTier: "street",
          urgency: "urgent",
          departmentId: "water-supply"
        },
        {
          code: "03",
          name: "燃气管道破裂",
          keywords: ["燃气泄漏", "煤气"],
          attributes: [casualties, occurredAt],
          startTier: "district",
          urgency: "critical",
          departmentId: "gas"
        },
        {
          code: "04",
          name: "下水道堵塞或破损",
          keywords: ["污水外溢", "堵塞"],
          attributes: [casualties, occurredAt],
          startTier: "street",
          urgency: "urgent",
          departmentId: "drainage"
        },
        {
          code: "05",
          name: "热力管道破裂",
          keywords: ["暖气", "供热"],
          attributes: [casualties, occurredAt],
          startTier: "street",
          urgency: "urgent",
          departmentId: "heating"
        },
        {
          code: "06",
          name: "道路积水",
          keywords: ["积水", "内涝"],
          attributes: [
            casualties,
            {
              code: "depth_cm",
              datatype: "number",
              description: "积水深度（厘米）",
              datatypeDescription: "非负数，单位厘米"
            },
            occurredAt
          ],
          startTier: "street",
          urgency: "urgent",
          departmentId: "drainage"
        },
        {
          code: "07",
          name: "道路积雪结冰",
          keywords: ["积雪", "结冰"],
          attributes: [casualties, occurredAt],
          startTier: "street",
          urgency: "urgent",
          departmentId: "sanitation"
        },
        {
          code: "08",
          name: "架空线缆损坏",
          keywords: ["电线", "线缆"],
          attributes: [casualties, occurredAt],
          startTier: "street",
          urgency: "urgent",
          departmentId: "power"
        },
        {
          code: "09",
          name: "火灾",
          keywords: ["着火", "起火"],
          attributes: [casualties, occurredAt],
          startTier: "district",
          urgency: "critical",
          departmentId: "fire-rescue"
        },
        {
          code: "10",
          name: "群体性事件",
          keywords: ["聚集"],
          attributes: [
            casualties,
            {
              code: "people",
              datatype: "number",
              description: "估计人数",
              datatypeDescription: "非负整数"
            },
            occurredAt
          ],
          startTier: "district",
          urgency: "critical",
          departmentId: "public-security"
        }
      ]
    },
    {
      code: "05",
      name: "街面秩序",
      description: "影响街面管理秩序的经营、停放与其他行为",
      minors: [
        {
          code: "01",
          name: "无照经营游商",
          keywords: ["游商", "流动摊贩"],
          attributes: [goods],
          departmentId: "urban-management"
        },
        {
          code: "02",
          name: "占道经营",
          keywords: ["占道", "摆摊"],
          attributes: [goods],
          departmentId: "urban-management"
        },
        {
          code: "03",
          name: "店外经营",
          keywords: ["出店经营", "跨门经营"],
          departmentId: "urban-management"
        },
        { code: "04", name: "流浪乞讨", keywords: ["乞讨"], departmentId: "civil-affairs" },
        { code: "05", name: "占道废品收购", keywords: ["废品"], departmentId: "urban-management" },
        {
          code: "06",
          name: "机动车乱停放",
          keywords: ["停车", "乱停"],
          attributes: [plate],
          departmentId: "traffic-police"
        },
        {
          code: "07",
          name: "非机动车乱停放",
          keywords: ["共享单车", "电动车"],
          departmentId: "urban-management"
        },
        {
          code: "08",
          name: "乱堆物料",
          keywords: ["堆物"],
          attributes: [volume],
          departmentId: "urban-management"
        },
        {
          code: "09",
          name: "商业噪声",
          keywords: ["噪音", "喇叭"],
          attributes: [period],
          departmentId: "ecology-environment"
        },
        { code: "10", name: "黑车拉客", keywords: ["黑车"], attributes: [plate], departmentId: "transport" },
        {
          code: "11",
          name: "露天烧烤",
          keywords: ["烧烤"],
          attributes: [period],
          departmentId: "urban-management"
        },
        { code: "12", name: "沿街晾挂", keywords: ["晾晒"], departmentId: "urban-management" },
        { code: "13", name: "空调室外机低挂", keywords: ["空调外机"], departmentId: "urban-management" },
        { code: "14", name: "非法出版物销售", departmentId: "culture-market" }
      ]
    }
  ]
}
