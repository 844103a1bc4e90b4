/**
 * 议事协商 — community deliberation in the principal's jurisdiction as the deliberation endpoints answer it:
 *
 * - 议题与提案 (`GET /proposals`): every topic with its source, its status and, for a resident
 *   representative's proposal, its co-signers against the agenda threshold (`Proposal.reachesAgenda` of the
 *   core under the server's threshold, `GET /deliberation/config`);
 * - 会议: the topics on the agenda waiting for their meeting (待开会) and the meetings held (`GET /meetings`),
 *   each with its kind by the server's names (Chinese and English), convening body 召集方, members present
 *   against the members invited (`Meeting.memberAttendance`) and the kind's quorum as the server configures
 *   it (`Meeting.quorumMet`), named as the server names its fractions (过半数 …);
 * - 议定事项 (`GET /resolutions`): each resolution with its tasks — done, open and overdue (`TaskList.overdue`
 *   now), 督办 marked with its level, the owner by name (the jurisdiction's units, `GET /hierarchy/units`, and
 *   its departments, `GET /hierarchy/departments`; an id when neither names it) — and a progress bar (tasks
 *   done over tasks not cancelled);
 * - 公开栏 (`GET /publications` within the jurisdiction): the latest publications, newest first, their
 *   categories by the server's names.
 *
 * What the server decides with (`GET /deliberation/config`: threshold, meeting kinds, vote fractions,
 * publication categories) is read with the rest; a server that does not answer it (an older one) leaves the
 * page on the core's defaults, and the page says so.
 *
 * Above them, 议事协商指标 (`GET /deliberation/indicators` of the jurisdiction for this month, quarter or year,
 * or last year, at +08:00; this year first): meetings held 召开会议数 and, each with its numerator and denominator,
 * participation 参会率, turnout 参与表决率, proposals reaching the agenda 提案立项率, resolutions implemented on time
 * 议定事项按期落实率 and publication timeliness 公开及时率 (within the server's window of days).
 *
 * A server without a deliberation store answers 503 `DeliberationUnavailable`: then the page says so.
 */
import * as Deliberation from "@civicgrid/core/Deliberation"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Proposal from "@civicgrid/core/Proposal"
import * as Publication from "@civicgrid/core/Publication"
import * as Ratio from "@civicgrid/core/Ratio"
import * as TaskList from "@civicgrid/core/TaskList"
import { UnitId } from "@civicgrid/core/Unit"
import * as Vote from "@civicgrid/core/Vote"
import type * as Api from "@civicgrid/http/Api"
import * as DateTime from "effect/DateTime"
import { useEffect, useState } from "preact/hooks"
import { call, type Outcome } from "./api.js"
import { formatTime, lang, t } from "./i18n.js"
import { messageIn } from "./Organization.js"
import type { Session } from "./session.js"
import { thisMonth } from "./Trends.js"

type Topics = ReadonlyArray<Deliberation.Topic>
type Meetings = ReadonlyArray<typeof Api.MeetingView.Type>
type Resolutions = ReadonlyArray<typeof Api.ResolutionView.Type>
type Publications = ReadonlyArray<typeof Api.PublicationView.Type>
type Indicators = typeof Api.DeliberationIndicators.Type
type Config = typeof Api.DeliberationConfigView.Type

interface Data {
  readonly topics: Topics
  readonly meetings: Meetings
  readonly resolutions: Resolutions
  readonly publications: Publications
  readonly names: OwnerNames
  readonly config: Settings
}

/**
 * What the page shows rules and names with: the server's (`GET /deliberation/config`), or — `fromServer`
 * false — the core's defaults.
 */
export interface Settings {
  readonly fromServer: boolean
  readonly minCosigners: number
  readonly meetingKinds: ReadonlyArray<Meeting.Kind>
  readonly fractions: Config["vote"]["fractions"]
  readonly comparisons: Config["vote"]["comparisons"]
  readonly categories: Config["publicationCategories"]
}

/** The settings of the server's configuration. */
export const settingsOf = (config: Config): Settings => ({
  fromServer: true,
  minCosigners: config.proposal.minCosigners,
  meetingKinds: config.meetingKinds,
  fractions: config.vote.fractions,
  comparisons: config.vote.comparisons,
  categories: config.publicationCategories
})

/** The core's defaults, for a server that does not name its own. */
export const defaultSettings: Settings = {
  fromServer: false,
  minCosigners: Proposal.defaultRule.minCosigners,
  meetingKinds: Meeting.defaultKinds,
  fractions: Vote.fractionPresets,
  comparisons: (["more-than", "at-least"] as const).map((id) => ({ id, ...Vote.comparisonNames[id] })),
  categories: Publication.Category.literals.map((id) => ({
    id,
    name: Publication.categoryNames[id],
    en: Publication.categoryNamesEn[id],
    retentionDays: Publication.defaultRetentionDays[id]
  }))
}

/** How many publications the page lists (the newest). */
const recentPublications = 10

const statusEn: Readonly<Record<Deliberation.Status, string>> = {
  proposed: "proposed",
  "on-agenda": "on the agenda",
  rejected: "rejected",
  deliberated: "deliberated",
  voting: "voting",
  carried: "carried",
  "not-carried": "not carried",
  "in-progress": "in progress",
  implemented: "implemented",
  published: "published",
  withdrawn: "withdrawn"
}

/** The name of a topic status in the language shown. */
export const topicStatusName = (status: Deliberation.Status): string =>
  t(Deliberation.statusNames[status], statusEn[status])

const taskStatusEn: Readonly<Record<TaskList.TaskStatus, string>> = {
  pending: "pending",
  "in-progress": "in progress",
  done: "done",
  cancelled: "cancelled"
}
const taskStatusName = (status: TaskList.TaskStatus): string =>
  t(TaskList.statusNames[status], taskStatusEn[status])

const supervisionEn: Readonly<Record<TaskList.SupervisionLevel, string>> = {
  community: "community",
  street: "street",
  district: "district",
  city: "city"
}
const supervisionName = (level: TaskList.SupervisionLevel): string =>
  t(TaskList.supervisionLevelNames[level], `督办 supervised (${supervisionEn[level]})`)

/** A publication category by the settings' names (an unknown one as the server gives it). */
const categoryName = (category: string, settings: Settings): string => {
  const known = settings.categories.find((c) => c.id === category)
  return known === undefined ? category : t(known.name, known.en)
}

const sourceName = (source: Proposal.Source): string =>
  source._tag === "ResidentProposal"
    ? t("居民代表提案", "representatives' proposal")
    : source._tag === "Problem"
      ? `${t("问题清单", "problem list")} ${source.problemId}`
      : source._tag === "Case"
        ? `${t("案件", "case")} ${source.caseId}`
        : t("单独公开", "disclosure")

const kindOf = (id: string, settings: Settings): Meeting.Kind | undefined =>
  settings.meetingKinds.find((k) => k.id === id)

/** A fraction by the settings' names: a named one (过半数 …), else its comparison and the fraction. */
export const fractionName = (f: Vote.Fraction, settings: Settings): string => {
  const named = settings.fractions.find(
    (p) =>
      p.fraction.numerator === f.numerator &&
      p.fraction.denominator === f.denominator &&
      p.fraction.comparison === f.comparison
  )
  if (named !== undefined) return t(named.name, named.en)
  const comparison = settings.comparisons.find((c) => c.id === f.comparison)
  const [zh, en] = comparison === undefined ? [f.comparison, f.comparison] : [comparison.name, comparison.en]
  return t(`${zh} ${f.numerator}/${f.denominator}`, `${en} ${f.numerator}/${f.denominator}`)
}

const when = (dt: DateTime.DateTime): string => formatTime(DateTime.toEpochMillis(dt))
const day = (dt: DateTime.DateTime): string => DateTime.formatIsoDateUtc(dt)

/** Done, open, overdue and cancelled tasks of a resolution at `now`, and the share done of those not cancelled. */
export const progressOf = (tasks: ReadonlyArray<TaskList.Task>, now: DateTime.Utc) => {
  const done = tasks.filter((task) => task.status === "done").length
  const cancelled = tasks.filter((task) => task.status === "cancelled").length
  const open = tasks.filter(TaskList.isOpen).length
  const overdue = tasks.filter((task) => TaskList.overdue(task, now)).length
  const counted = tasks.length - cancelled
  return {
    done,
    open,
    overdue,
    cancelled,
    counted,
    percent: counted === 0 ? 0 : Math.round((done * 100) / counted)
  }
}

/** The labels of this month, quarter and year and of last year at +08:00 (`2026-12`, `2026-Q4`, `2026`, `2025`). */
export const periodLabels = (now: number) => {
  const month = thisMonth(now)
  const year = month.slice(0, 4)
  const quarter = `${year}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`
  return { month, quarter, year, lastYear: String(Number(year) - 1) }
}

type Span = keyof ReturnType<typeof periodLabels>
const spans: ReadonlyArray<readonly [Span, string, string]> = [
  ["month", "本月", "this month"],
  ["quarter", "本季度", "this quarter"],
  ["year", "本年", "this year"],
  ["lastYear", "上一年", "last year"]
]

/** A rate with its counts: "50.0%", "7 / 14" beside it and on hover; "无数据" without a denominator. */
const RateFigure = ({
  label,
  ratio,
  id
}: {
  readonly label: string
  readonly ratio: Ratio.Ratio
  readonly id: string
}) => (
  <div class="stat" title={`${ratio.numerator} / ${ratio.denominator}`}>
    <div class="value" data-testid={id} data-numerator={ratio.numerator} data-denominator={ratio.denominator}>
      {Ratio.format(ratio, { noData: t("无数据", "no data") })}
    </div>
    <div class="label">
      {label} ({ratio.numerator} / {ratio.denominator})
    </div>
  </div>
)

/** 议事协商指标 — the jurisdiction's indicators of this month, quarter or year (`GET /deliberation/indicators`). */
const IndicatorsSection = ({ session }: { readonly session: Session }) => {
  const [span, setSpan] = useState<Span>("year")
  const [result, setResult] = useState<Outcome<Indicators> | null>(null)
  useEffect(() => {
    let live = true
    const period = periodLabels(Date.now())[span]
    setResult(null)
    void call(session.token, (c) => c.deliberation.indicators({ urlParams: { period } })).then((found) => {
      if (live) setResult(found)
    })
    return () => {
      live = false
    }
  }, [session.token, span])
  return (
    <section
      class="card"
      data-testid="delib-indicators"
      data-period={result?.ok === true ? result.value.period : ""}
    >
      <h2>
        {t("议事协商指标", "Deliberation indicators")}{" "}
        <span class="hint">
          {result?.ok === true ? `${result.value.withinName} · ${result.value.period}` : ""}
        </span>
      </h2>
      <div class="filters">
        {spans.map(([key, zh, en]) => (
          <button
            type="button"
            key={key}
            class={`chip${span === key ? " active" : ""}`}
            data-testid={`delib-span-${key}`}
            onClick={() => setSpan(key)}
          >
            {t(zh, en)}
          </button>
        ))}
      </div>
      {result === null ? (
        <p>{t("加载中…", "Loading…")}</p>
      ) : !result.ok ? (
        <p class="error" data-testid="delib-indicators-error">
          {messageIn(result.error.message)}
        </p>
      ) : (
        <>
          <div class="stats">
            <div class="stat">
              <div class="value" data-testid="delib-meetings-held">
                {result.value.total.meetingsHeld}
              </div>
              <div class="label">{t("召开会议数", "Meetings held")}</div>
            </div>
            <RateFigure
              label={t("参会率", "Participation")}
              ratio={result.value.total.participation}
              id="delib-participation"
            />
            <RateFigure
              label={t("参与表决率", "Turnout")}
              ratio={result.value.total.turnout}
              id="delib-turnout"
            />
            <RateFigure
              label={t("提案立项率", "Proposals on the agenda")}
              ratio={result.value.total.proposalsOnAgenda}
              id="delib-on-agenda"
            />
            <RateFigure
              label={t("议定事项按期落实率", "Resolutions on time")}
              ratio={result.value.total.resolutionsOnTime}
              id="delib-on-time"
            />
            <RateFigure
              label={t("公开及时率", "Published in time")}
              ratio={result.value.total.publicationTimely}
              id="delib-timely"
            />
          </div>
          <p class="hint">
            {t(
              `公开及时：落实或表决未通过后 ${result.value.publicationDays} 天内公开`,
              `published in time: within ${result.value.publicationDays} days of the outcome`
            )}
          </p>
        </>
      )}
    </section>
  )
}

const Unavailable = () => (
  <section class="card" data-testid="delib-unavailable">
    <h2>{t("议事协商", "Deliberation")}</h2>
    <p class="hint">
      {t(
        "本服务器未配置议事协商。",
        "This server keeps no deliberation data (proposals, meetings, resolutions)."
      )}
    </p>
  </section>
)

const ProposalsSection = ({ topics, settings }: { readonly topics: Topics; readonly settings: Settings }) => {
  const threshold = settings.minCosigners
  const rule: Proposal.ProposalRule = { minCosigners: threshold }
  return (
    <section class="card" data-testid="delib-proposals">
      <h2>
        {t("议题与提案", "Topics and proposals")} <span class="hint">{topics.length}</span>
      </h2>
      {topics.length === 0 ? (
        <p class="hint" data-testid="delib-proposals-empty">
          {t("辖区内尚无议题。", "No topics in this jurisdiction yet.")}
        </p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("议题", "Topic")}</th>
              <th>{t("来源", "Source")}</th>
              <th>{t("状态", "Status")}</th>
              <th
                title={
                  settings.fromServer
                    ? t("立项门槛（本服务器规则）", "agenda threshold (this server's rule)")
                    : t("立项门槛（默认规则）", "agenda threshold (the default rule)")
                }
                data-testid="delib-threshold"
                data-threshold={threshold}
                data-from-server={String(settings.fromServer)}
              >
                {t("联名 / 门槛", "Co-signers / threshold")}
              </th>
              <th>{t("提出时间", "Raised")}</th>
            </tr>
          </thead>
          <tbody>
            {topics.map((topic) => {
              const resident = topic.source._tag === "ResidentProposal"
              const reached = Proposal.reachesAgenda(topic.source, topic.cosigners.length, rule)
              return (
                <tr
                  key={topic.id}
                  data-testid="delib-proposal"
                  data-topic-id={topic.id}
                  data-status={topic.status}
                  data-cosigners={topic.cosigners.length}
                >
                  <td data-testid="delib-proposal-title">{topic.title}</td>
                  <td>{sourceName(topic.source)}</td>
                  <td data-testid="delib-proposal-status">{topicStatusName(topic.status)}</td>
                  <td data-testid="delib-proposal-cosigners">
                    {resident ? (
                      <span class={reached ? "ok" : ""}>
                        {topic.cosigners.length} / {threshold}
                        {reached ? ` ${t("已达门槛", "reached")}` : ` ${t("未达门槛", "below")}`}
                      </span>
                    ) : (
                      <span class="hint">{t("无需联名", "none needed")}</span>
                    )}
                  </td>
                  <td>{when(topic.submittedAt)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}

const MeetingsSection = ({
  topics,
  meetings,
  settings
}: {
  readonly topics: Topics
  readonly meetings: Meetings
  readonly settings: Settings
}) => {
  const upcoming = topics.filter((topic) => topic.status === "on-agenda")
  return (
    <section class="card" data-testid="delib-meetings">
      <h2>
        {t("会议", "Meetings")}{" "}
        <span class="hint">
          {t(
            `待开会 ${upcoming.length} · 已召开 ${meetings.length}`,
            `${upcoming.length} to hold · ${meetings.length} held`
          )}
        </span>
      </h2>
      <h3>{t("待开会（已列入议程）", "To be held (on the agenda)")}</h3>
      {upcoming.length === 0 ? (
        <p class="hint" data-testid="delib-upcoming-empty">
          {t("没有等待开会的议题。", "No topic waits for its meeting.")}
        </p>
      ) : (
        <ul>
          {upcoming.map((topic) => (
            <li key={topic.id} data-testid="delib-upcoming" data-topic-id={topic.id}>
              {topic.title}{" "}
              <span class="hint">
                {t("列入议程", "on the agenda since")} {topic.agendaAt === null ? "" : when(topic.agendaAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t("已召开", "Held")}</h3>
      {meetings.length === 0 ? (
        <p class="hint" data-testid="delib-meetings-empty">
          {t("尚未召开会议。", "No meeting held yet.")}
        </p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("议题", "Topic")}</th>
              <th>{t("会议类型", "Kind")}</th>
              <th>{t("召集方", "Convened by")}</th>
              <th>{t("召开时间", "Held")}</th>
              <th>{t("成员出席 / 应到", "Members present / invited")}</th>
              <th>{t("法定人数", "Quorum")}</th>
              <th>{t("列席", "Guests")}</th>
            </tr>
          </thead>
          <tbody>
            {meetings.map((m) => {
              const kind = kindOf(m.meeting.kind, settings)
              const { present, members } = Meeting.memberAttendance(m.meeting)
              const attended = new Set<string>(m.meeting.attendees)
              const guests = m.meeting.invitees.filter((i) => !i.member && attended.has(i.id)).length
              const met = kind === undefined ? null : Meeting.quorumMet(kind, m.meeting)
              return (
                <tr
                  key={m.topicId}
                  data-testid="delib-meeting"
                  data-topic-id={m.topicId}
                  data-kind={m.meeting.kind}
                  data-present={present}
                  data-members={members}
                  data-quorum-met={met === null ? "" : String(met)}
                >
                  <td>{m.title}</td>
                  <td data-testid="delib-meeting-kind">
                    {kind === undefined
                      ? m.meeting.kind
                      : t(kind.name, `${Meeting.englishName(kind)} (${kind.name})`)}
                  </td>
                  <td data-testid="delib-meeting-convener">{m.meeting.convenedBy}</td>
                  <td>{when(m.heldAt)}</td>
                  <td data-testid="delib-meeting-attendance">
                    {present} / {members}
                  </td>
                  <td>
                    {kind === undefined
                      ? t("未知类型", "unknown kind")
                      : kind.quorum === null
                        ? t("不限（公开会议）", "none (open meeting)")
                        : `${fractionName(kind.quorum, settings)} ${met === true ? t("✓ 已达到", "✓ met") : t("✗ 未达到", "✗ not met")}`}
                  </td>
                  <td>{guests}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}

/**
 * The names the page gives task owners: the units of the jurisdiction (`GET /hierarchy/units`) and the
 * departments serving it (`GET /hierarchy/departments`), by id. Either may be missing (then ids are shown).
 */
export interface OwnerNames {
  readonly units: ReadonlyMap<string, string>
  readonly departments: ReadonlyMap<string, { readonly name: string; readonly nameEn: string }>
}

/** An owner by name: the unit's or department's name the hierarchy gives, else the id the API gives. */
export const ownerName = (owner: TaskList.Owner, names: OwnerNames): string => {
  if (owner._tag === "Department") {
    const found = names.departments.get(owner.departmentId)
    return found === undefined
      ? `${t("部门", "department")} ${owner.departmentId}`
      : t(found.name, found.nameEn)
  }
  return names.units.get(owner.unitId) ?? owner.unitId
}

const ResolutionsSection = ({
  resolutions,
  now,
  names
}: {
  readonly resolutions: Resolutions
  readonly now: DateTime.Utc
  readonly names: OwnerNames
}) => (
  <section class="card" data-testid="delib-resolutions">
    <h2>
      {t("议定事项落实", "Resolutions and their tasks")} <span class="hint">{resolutions.length}</span>
    </h2>
    {resolutions.length === 0 ? (
      <p class="hint" data-testid="delib-resolutions-empty">
        {t("尚无议定事项。", "No resolutions yet.")}
      </p>
    ) : (
      resolutions.map((r) => {
        const p = progressOf(r.tasks, now)
        const supervised = r.tasks.filter(TaskList.isSupervised).length
        return (
          <div
            class="resolution"
            key={r.topicId}
            data-testid="delib-resolution"
            data-topic-id={r.topicId}
            data-done={p.done}
            data-open={p.open}
            data-overdue={p.overdue}
            data-cancelled={p.cancelled}
            data-supervised={supervised}
            data-percent={p.percent}
          >
            <h3>
              {r.title} <span class="hint">{topicStatusName(r.status)}</span>
            </h3>
            <p class="hint">
              {r.text} · {t("议定于", "resolved")} {when(r.resolvedAt)}
              {r.implementedAt === null
                ? ""
                : ` · ${t("落实于", "implemented")} ${when(r.implementedAt)} ${
                    r.implementedOnTime === true ? t("（按期）", "(on time)") : t("（逾期）", "(late)")
                  }`}
            </p>
            <div
              class="progress"
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={p.percent}
              aria-label={t("落实进度", "progress")}
            >
              <div class={`bar${p.overdue > 0 ? " late" : ""}`} style={{ width: `${p.percent}%` }} />
            </div>
            <ul class="inline" data-testid="delib-resolution-counts">
              <li>
                {t("已办结", "Done")}: <b>{p.done}</b> / {p.counted} ({p.percent}%)
              </li>
              <li>
                {t("在办", "Open")}: <b>{p.open}</b>
              </li>
              <li>
                {t("超期", "Overdue")}: <b class="overdue">{p.overdue}</b>
              </li>
              {p.cancelled > 0 && (
                <li>
                  {t("已取消", "Cancelled")}: <b>{p.cancelled}</b>
                </li>
              )}
              <li>
                {t("督办", "Supervised")}: <b>{supervised}</b>
              </li>
            </ul>
            <table class="grid">
              <thead>
                <tr>
                  <th>{t("任务", "Task")}</th>
                  <th>{t("责任主体", "Owner")}</th>
                  <th>{t("办结时限", "Deadline")}</th>
                  <th>{t("状态", "Status")}</th>
                  <th>{t("督办", "Supervision")}</th>
                </tr>
              </thead>
              <tbody>
                {r.tasks.map((task) => {
                  const late = TaskList.overdue(task, now)
                  return (
                    <tr
                      key={task.id}
                      data-testid="delib-task"
                      data-task-id={task.id}
                      data-status={task.status}
                      data-overdue={String(late)}
                      data-supervision={task.supervision?.level ?? ""}
                      class={late ? "overdue" : ""}
                    >
                      <td>{task.title}</td>
                      <td
                        data-testid="delib-task-owner"
                        title={task.owner._tag === "Unit" ? task.owner.unitId : task.owner.departmentId}
                      >
                        {ownerName(task.owner, names)}
                      </td>
                      <td>{day(task.deadline)}</td>
                      <td>
                        {taskStatusName(task.status)}
                        {late ? ` · ${t("已超期", "overdue")}` : ""}
                        {task.timeliness === "late" ? ` · ${t("逾期办结", "done late")}` : ""}
                      </td>
                      <td>
                        {task.supervision === undefined ? (
                          ""
                        ) : (
                          <span class="badge" data-testid="delib-task-supervised">
                            {supervisionName(task.supervision.level)}
                          </span>
                        )}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        )
      })
    )}
  </section>
)

const PublicationsSection = ({
  publications,
  settings
}: {
  readonly publications: Publications
  readonly settings: Settings
}) => {
  const shown = publications.slice(0, recentPublications)
  return (
    <section class="card" data-testid="delib-publications">
      <h2>
        {t("公开栏（最新）", "Publications (latest)")} <span class="hint">{publications.length}</span>
      </h2>
      {shown.length === 0 ? (
        <p class="hint" data-testid="delib-publications-empty">
          {t("尚无公开内容。", "Nothing published yet.")}
        </p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("类别", "Category")}</th>
              <th>{t("标题", "Title")}</th>
              <th>{t("发布时间", "Published")}</th>
              <th>{t("公示至", "On display until")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr
                key={p.topicId}
                data-testid="delib-publication"
                data-topic-id={p.topicId}
                data-category={p.category}
              >
                <td>{categoryName(p.category, settings)}</td>
                <td title={p.body}>{p.title}</td>
                <td>{when(p.publishedAt)}</td>
                <td>{day(p.retainUntil)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** 议事协商 — the page (see the module notes). */
export const DeliberationPage = ({ session }: { readonly session: Session }) => {
  const [data, setData] = useState<Outcome<Data> | null>(null)
  const [now] = useState(() => DateTime.unsafeNow())
  useEffect(() => {
    let live = true
    const within =
      session.unitId === null ? {} : { within: UnitId.make(session.unitId, { disableValidation: true }) }
    void Promise.all([
      call(session.token, (c) => c.deliberation.proposals({ urlParams: {} })),
      call(session.token, (c) => c.deliberation.meetings({ urlParams: {} })),
      call(session.token, (c) => c.deliberation.resolutions({ urlParams: {} })),
      call(session.token, (c) => c.publications.list({ urlParams: within })),
      call(session.token, (c) => c.hierarchy.units()),
      call(session.token, (c) => c.hierarchy.departments()),
      call(session.token, (c) => c.deliberation.config())
    ]).then(([topics, meetings, resolutions, publications, units, departments, config]) => {
      if (!live) return
      if (!topics.ok) setData(topics)
      else if (!meetings.ok) setData(meetings)
      else if (!resolutions.ok) setData(resolutions)
      else if (!publications.ok) setData(publications)
      else
        setData({
          ok: true,
          value: {
            topics: topics.value,
            meetings: meetings.value,
            resolutions: resolutions.value,
            publications: publications.value,
            // names are a courtesy: without them the owners show by id
            names: {
              units: new Map<string, string>([
                ...(units.ok ? units.value.map((u) => [u.id, u.name] as const) : []),
                ...(session.unitId !== null && session.unitName !== null
                  ? [[session.unitId, session.unitName] as const]
                  : [])
              ]),
              departments: new Map(
                departments.ok
                  ? departments.value.map((d) => [d.id, { name: d.name, nameEn: d.nameEn }] as const)
                  : []
              )
            },
            // a server that does not answer its configuration: the core's defaults, said on the page
            config: config.ok ? settingsOf(config.value) : defaultSettings
          }
        })
    })
    return () => {
      live = false
    }
  }, [session.token, session.unitId])
  if (data === null) return <p>{t("加载中…", "Loading…")}</p>
  if (!data.ok)
    return data.error.tag === "DeliberationUnavailable" ? (
      <Unavailable />
    ) : (
      <section class="card" data-testid="delib-error">
        <h2>{t("议事协商", "Deliberation")}</h2>
        <p class="error">{messageIn(data.error.message)}</p>
      </section>
    )
  return (
    <div data-testid="delib-page" data-lang={lang()}>
      <IndicatorsSection session={session} />
      {!data.value.config.fromServer && (
        <p class="hint" data-testid="delib-default-rules">
          {t(
            "本服务器未提供议事配置，门槛、会议类型与法定人数按默认规则显示。",
            "This server does not name its configuration: thresholds, meeting kinds and quorums are the defaults."
          )}
        </p>
      )}
      <ProposalsSection topics={data.value.topics} settings={data.value.config} />
      <MeetingsSection
        topics={data.value.topics}
        meetings={data.value.meetings}
        settings={data.value.config}
      />
      <ResolutionsSection resolutions={data.value.resolutions} now={now} names={data.value.names} />
      <PublicationsSection publications={data.value.publications} settings={data.value.config} />
    </div>
  )
}
