/**
 * 议事协商示范数据 — deterministic demo deliberation for the demo district
 * (`District`), one year of topics (the cases' year, 2025 by default) after
 * the community reports: 居民代表提案 co-signed onto the agenda (the default
 * rule: five co-signers), one refused with its reason 不予立项, and topics
 * raised from problems; meetings of several kinds — 大党委联席会, 居民议事会,
 * 居委会会议, 民情恳谈会, 听证会, 枫桥小屋微治理会议, 有事来协商 — with their invitees
 * (members and guests 列席), attendees and minutes; votes of the residents'
 * representatives (and one 一户一票 of the households) with their ballots,
 * one not carried; resolutions whose items became tasks — some done on time,
 * one done late, some still open, one overdue under the street's 督办; and
 * publications 居务公开 / 财务公开 / 村规民约, one late; a rating 群众评议; a
 * standalone 财务公开 that no meeting produced (`Deliberation.Disclose`); and
 * a 居民公约 version adopted by a resolution (`Resolve` with `adopts`).
 *
 * Each topic is a list of the decider's commands (`Deliberation.Command`),
 * stored through the core's use case `DeliberationRepository.handle` and
 * nothing else: the decider checks every step. Most topics are in the first
 * community (the demo community staff's), the others in its street's second
 * community, a compound of the first (枫桥小屋) and a community of the second
 * street. Actors: the community staff `cs-<community>` (the demo token's),
 * the street staff `ss-<street>`, the residents' representatives
 * `rep-<community>-<n>` (fictitious).
 *
 * Dates are in the year at 10:00 Beijing time, except two that depend on
 * `today` so the demo stays alive: the open tasks fall due 90 days after
 * `today` (or at the year's end, if later), and the publications stay on
 * display a year after `today` (or their category's retention, if later).
 * The same district, year and day give the same commands.
 *
 * @since 0.1.0
 */
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as Publication from "@civicgrid/core/Publication"
import type { UnitId } from "@civicgrid/core/Unit"
import * as Vote from "@civicgrid/core/Vote"
import type * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import type * as District from "./District.js"

/**
 * 议题剧本 — one topic: its id, unit and title, the status its commands lead
 * to, a note on what it shows, and the commands in order (the first a
 * `Submit`, or a `Disclose` for a standalone disclosure).
 *
 * @since 0.1.0
 * @category models
 */
export interface DemoTopic {
  readonly id: Deliberation.TopicId
  readonly unitId: UnitId
  readonly title: string
  /** 预期状态 — the status after the commands (the decider decides; the test checks). */
  readonly status: Deliberation.Status
  readonly note: string
  readonly commands: ReadonlyArray<Deliberation.Command>
}

/**
 * 示范议事数据 — what `generate` makes: the topics in the order they are stored.
 *
 * @since 0.1.0
 * @category models
 */
export interface DemoDeliberation {
  readonly year: number
  readonly topics: ReadonlyArray<DemoTopic>
}

/**
 * 生成选项.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** 年度 — the year of the topics (default 2025, the cases' year). */
  readonly year?: number
  /** 今天 — the day the open deadlines and the display periods are counted from. */
  readonly today: WorkingCalendar.LocalDate
}

const decodeCommand = Schema.decodeUnknownSync(Deliberation.Command)

type Fields = Record<string, unknown>

interface ActorFields {
  readonly id: string
  readonly role: "resident" | "community-staff" | "street-staff"
  readonly unitId: string
}

/** One step of a topic: when (a month-day of the year, or an instant), who, and the command's fields. */
type Step = readonly [when: string, actor: ActorFields, fields: Fields]

const pad = (n: number): string => String(n).padStart(2, "0")

/** The members and guests of a meeting: [label, affiliation, member]. */
type Seat = readonly [label: string, affiliation: string, member: boolean]

const meeting = (
  kind: string,
  convenedBy: string,
  agenda: ReadonlyArray<string>,
  seats: ReadonlyArray<Seat>,
  absent: ReadonlyArray<number>,
  minutes: string
): Fields => {
  const invitees = seats.map(([label, affiliation, member], i) => ({
    id: `p${pad(i + 1)}`,
    label,
    affiliation,
    member
  }))
  return {
    _tag: "HoldMeeting",
    meeting: {
      kind,
      convenedBy,
      agenda,
      invitees,
      attendees: invitees.filter((_, i) => !absent.includes(i)).map((i) => i.id),
      minutes
    }
  }
}

/**
 * 生成 — the demo deliberation of a district (see the module notes), the
 * same for the same district, year and day.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (district: District.DemoDistrict, options: Options): DemoDeliberation => {
  const year = options.year ?? 2025
  const units = district.units
  const communities = units.filter((u) => u.level === "community")
  const c0 = communities[0]
  if (c0 === undefined) return { year, topics: [] }
  const street0 = c0.parentId ?? c0.id
  const c1 = communities.find((c) => c.parentId === street0 && c.id !== c0.id) ?? c0
  const c2 = communities.find((c) => c.parentId !== street0) ?? c1
  const k0 = units.find((u) => u.parentId === c0.id && u.level === "compound") ?? c0
  const street2 = c2.parentId ?? c2.id

  const at = (when: string): string => (when.includes("T") ? when : `${year}-${when}T02:00:00Z`)
  const todayStart = DateTime.unsafeMake(`${options.today}T00:00:00+08:00`)
  const later = (a: DateTime.Utc, b: DateTime.Utc) => (DateTime.greaterThan(a, b) ? a : b)
  /** Open tasks fall due 90 days after today, or at the year's end if later. */
  const openDeadline = DateTime.formatIso(
    later(DateTime.add(todayStart, { days: 90 }), DateTime.unsafeMake(`${year}-12-31T15:59:59Z`))
  )
  /** Publications stay on display a year after today, or their category's retention if later. */
  const shownUntil = (category: Publication.Category, when: string): string =>
    DateTime.formatIso(
      later(
        DateTime.add(todayStart, { days: 365 }),
        Publication.defaultRetainUntil(category, DateTime.unsafeMake(at(when)))
      )
    )
  const deadline = (monthDay: string) => `${year}-${monthDay}T15:59:59Z`

  const staff = (c: { readonly id: string }): ActorFields => ({
    id: `cs-${c.id}`,
    role: "community-staff",
    unitId: c.id
  })
  const streetStaff = (id: string): ActorFields => ({ id: `ss-${id}`, role: "street-staff", unitId: id })
  const rep = (c: { readonly id: string }, n: number): ActorFields => ({
    id: `rep-${c.id}-${n}`,
    role: "resident",
    unitId: c.id
  })
  /** The representatives' roll of a community: nine, one household each. */
  const roll = (c: { readonly id: string }) =>
    Array.from({ length: 9 }, (_, i) => ({
      voterId: `rep-${c.id}-${i + 1}`,
      household: `h-${c.id}-${i + 1}`
    }))
  const representatives = (c: { readonly id: string }): Fields => ({
    _tag: "OpenVote",
    rule: {
      electorate: { basis: "representative", onePerHousehold: false, roll: roll(c) },
      options: Vote.standardOptions,
      threshold: Vote.defaultThreshold
    }
  })
  /** Ballots of representatives 1…n, each option in turn. */
  const ballots = (
    c: { readonly id: string },
    when: string,
    options: ReadonlyArray<"agree" | "disagree" | "abstain">
  ): ReadonlyArray<Step> =>
    options.map((option, i) => [
      when,
      rep(c, i + 1),
      { _tag: "CastBallot", ballot: { voterId: `rep-${c.id}-${i + 1}`, option } }
    ])
  const cosigns = (
    c: { readonly id: string },
    when: string,
    who: ReadonlyArray<number>
  ): ReadonlyArray<Step> => who.map((n) => [when, rep(c, n), { _tag: "Cosign" }])
  const proposal = (
    c: { readonly id: string },
    when: string,
    by: number,
    title: string,
    description: string
  ): Step => [
    when,
    rep(c, by),
    { _tag: "Submit", unitId: c.id, source: { _tag: "ResidentProposal" }, title, description }
  ]
  const fromProblem = (
    c: { readonly id: string },
    when: string,
    unitId: string,
    problemId: string,
    title: string,
    description: string
  ): Step => [
    when,
    staff(c),
    { _tag: "Submit", unitId, source: { _tag: "Problem", problemId }, title, description }
  ]
  const item = (title: string, problemId: string, ownerUnit: string, due: string) => ({
    title,
    problemId,
    owner: { _tag: "Unit", unitId: ownerUnit },
    deadline: due
  })
  const publish = (category: Publication.Category, title: string, body: string, when: string): Fields => ({
    _tag: "Publish",
    category,
    title,
    body,
    retainUntil: shownUntil(category, when)
  })

  const partyCommittee: ReadonlyArray<Seat> = [
    ["社区党委书记", "社区党委", true],
    ["派出所社区民警", "公安", true],
    ["城管中队中队长", "城管", true],
    ["市场监管所所长", "市场监管", true],
    ["物业项目经理", "物业公司", true],
    ["共建单位代表", "共建单位", true],
    ["居民代表", "居民代表", false]
  ]
  const council = (n: number): ReadonlyArray<Seat> => [
    ["居委会主任", "居委会", true],
    ...Array.from({ length: n }, (_, i): Seat => [`居民代表${i + 1}`, "居民代表", true]),
    ["街道联系干部", "街道办事处", false]
  ]
  const committee: ReadonlyArray<Seat> = [
    ["居委会主任", "居委会", true],
    ["居委会副主任", "居委会", true],
    ["居委会委员（民政）", "居委会", true],
    ["居委会委员（治保）", "居委会", true],
    ["居委会委员（财务）", "居委会", true]
  ]

  type Plan = Omit<DemoTopic, "id" | "commands" | "unitId"> & {
    readonly community: { readonly id: string }
    readonly steps: ReadonlyArray<Step>
  }
  const plans: ReadonlyArray<Plan> = [
    {
      community: c0,
      title: "整治楼道电瓶车飞线充电，增设充电桩",
      status: "published",
      note: "提案联名列入议程 → 大党委联席会 → 居民代表表决通过 → 两项任务按期办结 → 居务公开（及时）→ 群众评议",
      steps: [
        proposal(
          c0,
          "02-20",
          1,
          "整治楼道电瓶车飞线充电，增设充电桩",
          "多个楼道存在电瓶车飞线充电，火灾隐患大，建议增设集中充电桩。"
        ),
        ...cosigns(c0, "02-22", [2, 3, 4, 5, 6]),
        ["02-28", staff(c0), { _tag: "PutOnAgenda" }],
        [
          "03-06",
          staff(c0),
          meeting(
            "joint-meeting",
            `${c0.name}大党委`,
            ["电瓶车飞线充电整治", "集中充电桩选址"],
            partyCommittee,
            [5],
            "议定：在小区东、西两处增设集中充电桩，由社区牵头、物业实施；城管、派出所联合清理飞线，限期至四月底。"
          )
        ],
        ["03-06", staff(c0), representatives(c0)],
        ...ballots(c0, "03-07", ["agree", "agree", "agree", "agree", "agree", "agree", "disagree"]),
        ["03-08", staff(c0), { _tag: "CloseVote" }],
        [
          "03-10",
          staff(c0),
          {
            _tag: "Resolve",
            text: "增设集中充电桩两处，清理楼道飞线，四月底前完成。",
            items: [
              item("增设集中充电桩两处", `P-${c0.id}-D01`, c0.id, deadline("04-30")),
              item("清理楼道飞线充电", `P-${c0.id}-D02`, c0.id, deadline("04-30"))
            ]
          }
        ],
        ["03-15", staff(c0), { _tag: "StartTask", taskId: "@1" }],
        ["03-15", staff(c0), { _tag: "StartTask", taskId: "@2" }],
        ["04-20", staff(c0), { _tag: "CompleteTask", taskId: "@2" }],
        ["04-25", staff(c0), { _tag: "CompleteTask", taskId: "@1" }],
        [
          "04-28",
          staff(c0),
          publish(
            "residents-affairs",
            "关于整治电瓶车飞线充电的议定事项及落实情况",
            "经社区大党委联席会协商、居民代表表决通过，已增设集中充电桩两处，楼道飞线已全部清理。",
            "04-28"
          )
        ],
        ["05-06", rep(c0, 8), { _tag: "GiveFeedback", rating: "satisfied" }]
      ]
    },
    {
      community: c0,
      title: "老旧小区加装电梯",
      status: "published",
      note: "一户一票表决 → 议定事项一项按期、一项逾期办结（未按期落实）→ 财务公开晚于七日（不及时）",
      steps: [
        proposal(
          c0,
          "03-04",
          2,
          "老旧小区加装电梯",
          "小区多为六层住宅，老年住户上下楼困难，建议按单元加装电梯。"
        ),
        ...cosigns(c0, "03-06", [1, 3, 4, 5, 7]),
        ["03-15", staff(c0), { _tag: "PutOnAgenda" }],
        [
          "03-25",
          staff(c0),
          meeting(
            "residents-council",
            `${c0.name}居委会`,
            ["加装电梯意愿征集", "费用分摊方案"],
            council(6),
            [3],
            "议定：先行在意愿率高的两个单元试点，费用按楼层分摊，申请政府补助。"
          )
        ],
        [
          "03-25",
          staff(c0),
          {
            _tag: "OpenVote",
            rule: {
              electorate: {
                basis: "household",
                onePerHousehold: true,
                roll: Array.from({ length: 10 }, (_, i) => ({
                  voterId: `rep-${c0.id}-${i + 1}`,
                  household: `h-${c0.id}-${i + 1}`
                }))
              },
              options: Vote.standardOptions,
              threshold: { ...Vote.defaultThreshold, approval: Vote.twoThirds }
            }
          }
        ],
        ...ballots(c0, "03-27", ["agree", "agree", "agree", "agree", "agree", "agree", "abstain"]),
        // a paper ballot recorded by community staff 代录
        ["03-28", staff(c0), { _tag: "CastBallot", ballot: { voterId: `rep-${c0.id}-8`, option: "agree" } }],
        ["03-29", staff(c0), { _tag: "CloseVote" }],
        [
          "04-02",
          staff(c0),
          {
            _tag: "Resolve",
            text: "在两个单元试点加装电梯：六月底前完成报建，七月底前完成施工招标。",
            items: [
              item("加装电梯报建", `P-${c0.id}-D03`, c0.id, deadline("06-30")),
              item("加装电梯施工招标", `P-${c0.id}-D04`, c0.id, deadline("07-31"))
            ]
          }
        ],
        ["04-10", staff(c0), { _tag: "StartTask", taskId: "@1" }],
        ["04-10", staff(c0), { _tag: "StartTask", taskId: "@2" }],
        ["06-20", staff(c0), { _tag: "CompleteTask", taskId: "@1" }],
        ["08-10", staff(c0), { _tag: "CompleteTask", taskId: "@2" }],
        [
          "08-25",
          staff(c0),
          publish(
            "finance",
            "加装电梯试点资金筹集与使用情况",
            "试点单元加装电梯总投资四十八万元，其中政府补助二十万元，业主按楼层分摊二十八万元，明细在社区公开栏张贴。",
            "08-25"
          )
        ]
      ]
    },
    {
      community: c0,
      title: "小区公共收益使用方案",
      status: "published",
      note: "居委会会议 → 表决通过 → 按期办结 → 财务公开（及时）",
      steps: [
        proposal(
          c0,
          "04-01",
          3,
          "小区公共收益使用方案",
          "小区广告位、停车位等公共收益的使用应由居民协商决定并公开。"
        ),
        ...cosigns(c0, "04-02", [1, 2, 4, 6, 9]),
        ["04-08", staff(c0), { _tag: "PutOnAgenda" }],
        [
          "04-15",
          staff(c0),
          meeting(
            "committee-meeting",
            `${c0.name}居委会`,
            ["公共收益使用方案"],
            committee,
            [],
            "议定：公共收益优先用于楼道照明维修和健身器材更换，按季度公开收支。"
          )
        ],
        ["04-15", staff(c0), representatives(c0)],
        ...ballots(c0, "04-16", ["agree", "agree", "agree", "agree", "agree", "disagree"]),
        ["04-16", staff(c0), { _tag: "CloseVote" }],
        [
          "04-18",
          staff(c0),
          {
            _tag: "Resolve",
            text: "公共收益用于楼道照明维修和健身器材更换，五月底前完成。",
            items: [item("楼道照明维修、健身器材更换", `P-${c0.id}-D05`, c0.id, deadline("05-31"))]
          }
        ],
        ["04-22", staff(c0), { _tag: "StartTask", taskId: "@1" }],
        ["05-20", staff(c0), { _tag: "CompleteTask", taskId: "@1" }],
        [
          "05-23",
          staff(c0),
          publish(
            "finance",
            "小区公共收益收支情况（第二季度）",
            "本季度公共收益收入三万二千元，支出楼道照明维修八千元、健身器材更换一万五千元，结余九千元。",
            "05-23"
          )
        ]
      ]
    },
    {
      community: c0,
      title: "在小区绿地开设菜市场",
      status: "published",
      note: "提案不予立项（说明理由）并公开答复",
      steps: [
        proposal(c0, "03-12", 4, "在小区绿地开设菜市场", "小区附近买菜不便，建议在中心绿地开设菜市场。"),
        ...cosigns(c0, "03-14", [5, 7]),
        [
          "03-20",
          staff(c0),
          {
            _tag: "Reject",
            reason: "中心绿地属于公共绿化用地，不得改变用途；已转请街道研究在小区周边设置便民蔬菜点。"
          }
        ],
        [
          "03-25",
          staff(c0),
          publish(
            "residents-affairs",
            "关于在小区绿地开设菜市场提案的答复",
            "绿地不得改变用途，提案不予立项；街道将研究在小区周边设置便民蔬菜点。",
            "03-25"
          )
        ]
      ]
    },
    {
      community: c0,
      title: "楼道堆物清理与消防通道畅通",
      status: "deliberated",
      note: "民情恳谈会（有列席），会后形成共识，尚未表决",
      steps: [
        proposal(c0, "05-06", 5, "楼道堆物清理与消防通道畅通", "部分楼道长期堆放杂物，消防通道被占用。"),
        ...cosigns(c0, "05-08", [1, 2, 3, 6, 8]),
        ["05-12", staff(c0), { _tag: "PutOnAgenda" }],
        [
          "05-20",
          staff(c0),
          meeting(
            "dialogue",
            `${c0.name}党委`,
            ["楼道堆物清理", "消防通道管理"],
            [
              ["社区党委书记", "社区党委", true],
              ["消防站宣传员", "消防", true],
              ["物业项目经理", "物业公司", true],
              ["楼栋长代表", "楼栋长", true],
              ["居民", "居民", false],
              ["居民", "居民", false]
            ],
            [2],
            "与会居民同意六月开展楼道清理周，由楼栋长逐户告知。"
          )
        ]
      ]
    },
    {
      community: c0,
      title: "背街小巷路灯维修",
      status: "in-progress",
      note: "由问题清单提出 → 联席会 → 表决通过 → 一项按期办结，一项逾期未办、街道限期督办",
      steps: [
        fromProblem(
          c0,
          "06-03",
          c0.id,
          `P-${c0.id}-D06`,
          "背街小巷路灯维修",
          "网格员巡查发现三条背街小巷路灯损坏，夜间出行不便。"
        ),
        ["06-05", staff(c0), { _tag: "PutOnAgenda" }],
        [
          "06-12",
          staff(c0),
          meeting(
            "joint-meeting",
            `${c0.name}大党委`,
            ["背街小巷路灯维修"],
            partyCommittee,
            [3, 6],
            "议定：社区先行修复两条小巷路灯，另一条涉及线路改造，九月底前完成。"
          )
        ],
        ["06-12", staff(c0), representatives(c0)],
        ...ballots(c0, "06-13", ["agree", "agree", "agree", "agree", "agree"]),
        ["06-13", staff(c0), { _tag: "CloseVote" }],
        [
          "06-15",
          staff(c0),
          {
            _tag: "Resolve",
            text: "修复两条小巷路灯（七月中旬前），第三条线路改造九月底前完成。",
            items: [
              item("修复两条小巷路灯", `P-${c0.id}-D06`, c0.id, deadline("07-15")),
              item("第三条小巷线路改造", `P-${c0.id}-D07`, c0.id, deadline("09-30"))
            ]
          }
        ],
        ["06-20", staff(c0), { _tag: "StartTask", taskId: "@1" }],
        ["07-10", staff(c0), { _tag: "CompleteTask", taskId: "@1" }],
        ["07-20", staff(c0), { _tag: "StartTask", taskId: "@2" }],
        [
          "10-08",
          streetStaff(street0),
          { _tag: "SuperviseTask", taskId: "@2", level: "street", unitId: street0 }
        ]
      ]
    },
    {
      community: c0,
      title: "社区老年助餐点",
      status: "in-progress",
      note: "有事来协商 → 表决通过 → 任务办理中（未到期）",
      steps: [
        proposal(c0, "07-01", 6, "社区老年助餐点", "独居老人吃饭难，建议在党群服务站设立老年助餐点。"),
        ...cosigns(c0, "07-02", [1, 2, 3, 4, 9]),
        ["07-08", staff(c0), { _tag: "PutOnAgenda" }],
        [
          "07-15",
          staff(c0),
          meeting(
            "consultation",
            `${c0.name}居委会`,
            ["老年助餐点选址与运营"],
            council(5),
            [],
            "议定：在党群服务站设立助餐点，引入社会组织运营，政府补贴八十岁以上老人。"
          )
        ],
        ["07-15", staff(c0), representatives(c0)],
        ...ballots(c0, "07-16", ["agree", "agree", "agree", "agree", "agree", "agree", "agree", "abstain"]),
        ["07-16", staff(c0), { _tag: "CloseVote" }],
        [
          "07-20",
          staff(c0),
          {
            _tag: "Resolve",
            text: "在党群服务站设立老年助餐点。",
            items: [
              item("助餐点场地改造", `P-${c0.id}-D08`, c0.id, openDeadline),
              item("引入助餐运营机构", `P-${c0.id}-D09`, c0.id, openDeadline)
            ]
          }
        ],
        ["08-01", staff(c0), { _tag: "StartTask", taskId: "@1" }]
      ]
    },
    {
      community: c0,
      title: "社区微心愿认领",
      status: "proposed",
      note: "提案征集联名中（三人，未满五人）",
      steps: [
        proposal(c0, "11-20", 7, "社区微心愿认领", "建议组织在职党员认领困难家庭的微心愿。"),
        ...cosigns(c0, "11-22", [2, 4, 8])
      ]
    },
    {
      community: c0,
      title: "枫桥小屋：邻里噪音纠纷调处",
      status: "deliberated",
      note: "小区内的枫桥小屋微治理会议",
      steps: [
        fromProblem(
          c0,
          "08-30",
          k0.id,
          `P-${c0.id}-D10`,
          "邻里噪音纠纷调处",
          "楼上住户夜间噪音影响楼下老人休息，双方多次争执。"
        ),
        ["09-02", staff(c0), { _tag: "PutOnAgenda" }],
        [
          "09-05",
          staff(c0),
          meeting(
            "micro-governance",
            `${k0.name}枫桥小屋`,
            ["噪音纠纷调处"],
            [
              ["人民调解员", "人民调解委员会", true],
              ["楼栋长", "楼栋长", true],
              ["当事住户（楼上）", "居民", true],
              ["当事住户（楼下）", "居民", true],
              ["社区民警", "公安", false]
            ],
            [],
            "双方达成调解协议：晚十点后不进行装修和大声活动，楼下住户理解白天正常生活声响。"
          )
        ]
      ]
    },
    {
      community: c1,
      title: "小区停车位划线收费",
      status: "published",
      note: "居民议事会 → 表决未通过 → 公开表决结果",
      steps: [
        proposal(
          c1,
          "04-01",
          1,
          "小区停车位划线收费",
          "建议在小区道路划线设置收费停车位，收益用于小区维护。"
        ),
        ...cosigns(c1, "04-03", [2, 3, 4, 5, 6]),
        ["04-10", staff(c1), { _tag: "PutOnAgenda" }],
        [
          "04-18",
          staff(c1),
          meeting(
            "residents-council",
            `${c1.name}居委会`,
            ["停车位划线收费方案"],
            council(7),
            [2, 6],
            "与会代表意见分歧较大，提交居民代表表决。"
          )
        ],
        ["04-18", staff(c1), representatives(c1)],
        ...ballots(c1, "04-20", ["agree", "agree", "disagree", "disagree", "disagree", "disagree"]),
        ["04-21", staff(c1), { _tag: "CloseVote" }],
        [
          "04-23",
          staff(c1),
          publish(
            "residents-affairs",
            "关于小区停车位划线收费的表决结果",
            "居民代表表决未通过停车位划线收费方案，社区将继续听取意见后另行研究。",
            "04-23"
          )
        ]
      ]
    },
    {
      community: c1,
      title: "垃圾分类定时定点投放",
      status: "published",
      note: "居委会会议 → 表决通过 → 按期办结 → 居务公开（及时）",
      steps: [
        proposal(c1, "05-03", 2, "垃圾分类定时定点投放", "建议撤桶并点，实行早晚定时定点投放，设督导员。"),
        ...cosigns(c1, "05-05", [1, 3, 4, 7, 8]),
        ["05-10", staff(c1), { _tag: "PutOnAgenda" }],
        [
          "05-16",
          staff(c1),
          meeting(
            "committee-meeting",
            `${c1.name}居委会`,
            ["垃圾分类投放点设置"],
            committee,
            [4],
            "议定：设置四个定时定点投放点，招募志愿者督导。"
          )
        ],
        ["05-16", staff(c1), representatives(c1)],
        ...ballots(c1, "05-18", ["agree", "agree", "agree", "agree", "agree", "agree"]),
        ["05-18", staff(c1), { _tag: "CloseVote" }],
        [
          "05-20",
          staff(c1),
          {
            _tag: "Resolve",
            text: "设置四个定时定点投放点，六月底前完成。",
            items: [item("设置定时定点投放点", `P-${c1.id}-D01`, c1.id, deadline("06-30"))]
          }
        ],
        ["05-25", staff(c1), { _tag: "StartTask", taskId: "@1" }],
        ["06-26", staff(c1), { _tag: "CompleteTask", taskId: "@1" }],
        [
          "06-30",
          staff(c1),
          publish(
            "residents-affairs",
            "垃圾分类定时定点投放点设置完成",
            "四个定时定点投放点已设置完成，每日早七点至九点、晚六点至八点投放。",
            "06-30"
          )
        ]
      ]
    },
    {
      community: c1,
      title: "增设智能快递柜",
      status: "proposed",
      note: "提案征集联名中（一人）",
      steps: [
        proposal(c1, "10-10", 3, "增设智能快递柜", "快递堆放在门岗，丢件时有发生，建议增设智能快递柜。"),
        ...cosigns(c1, "10-12", [4])
      ]
    },
    {
      community: c2,
      title: "农贸市场周边占道经营整治",
      status: "in-progress",
      note: "由问题清单提出 → 联席会 → 表决通过 → 任务办理中（未到期）",
      steps: [
        fromProblem(
          c2,
          "08-01",
          c2.id,
          `P-${c2.id}-D01`,
          "农贸市场周边占道经营整治",
          "早晚高峰农贸市场周边占道经营，交通拥堵。"
        ),
        ["08-04", staff(c2), { _tag: "PutOnAgenda" }],
        [
          "08-12",
          staff(c2),
          meeting(
            "joint-meeting",
            `${c2.name}大党委`,
            ["占道经营整治", "临时疏导点设置"],
            partyCommittee,
            [4],
            "议定：设置临时疏导点，城管、市场监管联合巡查。"
          )
        ],
        ["08-12", staff(c2), representatives(c2)],
        ...ballots(c2, "08-13", ["agree", "agree", "agree", "agree", "agree", "disagree"]),
        ["08-13", staff(c2), { _tag: "CloseVote" }],
        [
          "08-15",
          staff(c2),
          {
            _tag: "Resolve",
            text: "设置临时疏导点并开展联合巡查。",
            items: [
              item("设置临时疏导点", `P-${c2.id}-D02`, c2.id, openDeadline),
              item("联合巡查机制", `P-${c2.id}-D03`, street2, openDeadline)
            ]
          }
        ],
        ["08-20", staff(c2), { _tag: "StartTask", taskId: "@1" }]
      ]
    },
    {
      community: c2,
      title: "修订居民公约",
      status: "deliberated",
      note: "听证会征求意见",
      steps: [
        proposal(
          c2,
          "09-01",
          1,
          "修订居民公约",
          "现行居民公约制定于多年前，建议增加垃圾分类、文明养犬等内容。"
        ),
        ...cosigns(c2, "09-03", [2, 3, 4, 5, 6]),
        ["09-10", staff(c2), { _tag: "PutOnAgenda" }],
        [
          "09-24",
          staff(c2),
          meeting(
            "hearing",
            `${c2.name}居委会`,
            ["居民公约修订草案"],
            [
              ["居委会主任", "居委会", true],
              ["居民代表", "居民代表", true],
              ["居民代表", "居民代表", true],
              ["法律顾问", "律师事务所", true],
              ["旁听居民", "居民", false]
            ],
            [],
            "听证会收集修改意见十二条，草案修改后再次公示。"
          )
        ]
      ]
    },
    {
      community: c0,
      title: `${c0.name}${year}年上半年财务收支公开`,
      status: "published",
      note: "单独公开：财务公开，不经会议（每个村(社区)财务一目了然）",
      steps: [
        [
          "07-05",
          staff(c0),
          {
            _tag: "Disclose",
            unitId: c0.id,
            category: "finance",
            title: `${c0.name}${year}年上半年财务收支公开`,
            body: "上半年收入：办公经费六万元、公共收益二万四千元；支出：环境整治三万一千元、活动经费一万二千元、办公支出一万五千元；结余二万六千元。明细在社区公开栏张贴。",
            retainUntil: shownUntil("finance", "07-05")
          }
        ]
      ]
    },
    {
      community: c0,
      title: "修订居民公约（文明养犬、楼道堆物）",
      status: "published",
      note: "提案联名 → 居民议事会 → 表决通过 → 议定事项通过居民公约第2版 → 张贴 → 村规民约公开",
      steps: [
        proposal(
          c0,
          "05-06",
          2,
          "修订居民公约（文明养犬、楼道堆物）",
          "现行居民公约没有文明养犬和楼道堆物的条款，建议补充。"
        ),
        ...cosigns(c0, "05-08", [1, 3, 4, 5, 7]),
        ["05-12", staff(c0), { _tag: "PutOnAgenda" }],
        [
          "05-20",
          staff(c0),
          meeting(
            "residents-council",
            `${c0.name}居委会`,
            ["居民公约修订草案"],
            council(6),
            [5],
            "议定：居民公约增加文明养犬、楼道堆物两条，提交居民代表表决。"
          )
        ],
        ["05-20", staff(c0), representatives(c0)],
        ...ballots(c0, "05-21", ["agree", "agree", "agree", "agree", "agree", "agree", "abstain"]),
        ["05-22", staff(c0), { _tag: "CloseVote" }],
        [
          "05-23",
          staff(c0),
          {
            _tag: "Resolve",
            text: "通过居民公约第二版，在各楼栋张贴。",
            items: [item("张贴新版居民公约", `P-${c0.id}-D09`, c0.id, deadline("06-15"))],
            adopts: {
              documentId: `covenant-${c0.id}`,
              title: `${c0.name}居民公约`,
              text: "第一条 爱护公共设施，保持环境整洁。第二条 文明养犬，出门拴绳，及时清理犬只粪便。第三条 楼道内不得堆放杂物，不得飞线充电。"
            }
          }
        ],
        ["05-25", staff(c0), { _tag: "StartTask", taskId: "@1" }],
        ["06-05", staff(c0), { _tag: "CompleteTask", taskId: "@1" }],
        [
          "06-06",
          staff(c0),
          publish(
            "rule-document",
            `${c0.name}居民公约（第二版）`,
            "经居民议事会协商、居民代表表决通过，居民公约增加文明养犬、楼道堆物两条，全文在各楼栋张贴。",
            "06-06"
          )
        ]
      ]
    }
  ]

  const topics = plans.map((plan, index): DemoTopic => {
    const id = `dt-${plan.community.id}-${pad(index + 1)}`
    // "@n" names the topic's n-th task
    const commands = plan.steps.map(([when, actor, fields]) =>
      decodeCommand({
        ...fields,
        ...(typeof fields["taskId"] === "string" ? { taskId: fields["taskId"].replace("@", `${id}-`) } : {}),
        topicId: id,
        actor,
        at: at(when)
      })
    )
    const first = commands[0]
    return {
      id: Deliberation.TopicId.make(id),
      unitId: first?._tag === "Submit" || first?._tag === "Disclose" ? first.unitId : c0.id,
      title: plan.title,
      status: plan.status,
      note: plan.note,
      commands
    }
  })
  return { year, topics }
}
