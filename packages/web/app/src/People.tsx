/**
 * 联户走访 — what the people endpoints answer, on the workbench and the overview:
 *
 * - 我的待访 (`GET /visits/due`): the principal's visits due today on the working calendar, overdue first,
 *   with the timer light, the household's label (from `GET /households`: a place, never a name), the plan
 *   and the days overdue; shown only when something is due.
 * - the 联户走访 panel: visits 人次, the on-time visit rate (按期走访率) and the proxy-service closure rate
 *   (代办办结率) of the jurisdiction for this month (`GET /visits/indicators`), the proxy services open and
 *   ended (`GET /proxy-services`, open as the core's `ProxyService.isOpen` says), the share of cases found
 *   by the workers themselves (主动发现率), the visits due today and overdue across the jurisdiction by light
 *   (`GET /visits/due/counts`, counts only) and, when the principal has visits due, how many of its own are
 *   due today and overdue.
 *
 * A server without a people store answers 503 `PeopleUnavailable`: then nothing is shown.
 */
import * as ProxyService from "@civicgrid/core/ProxyService"
import * as Ratio from "@civicgrid/core/Ratio"
import type * as Api from "@civicgrid/http/Api"
import { useEffect, useState } from "preact/hooks"
import { call, type Outcome, type UiError } from "./api.js"
import { chineseOf, lang, lightName, t } from "./i18n.js"
import type { Session } from "./session.js"
import { thisMonth } from "./Trends.js"

/** 我的待访 as `GET /visits/due` answers it. */
export type VisitsDue = typeof Api.VisitsDue.Type
/** 辖区待访统计 as `GET /visits/due/counts` answers it. */
export type VisitsDueCounts = typeof Api.VisitsDueCounts.Type
/** 联户走访指标 as `GET /visits/indicators` answers it. */
export type VisitIndicators = typeof Api.VisitIndicators.Type
type Services = ReadonlyArray<ProxyService.ProxyService>

/** Whether a failure says this server has no people store (503 `PeopleUnavailable`): nothing to show. */
export const unavailable = (error: UiError): boolean => error.tag === "PeopleUnavailable"

const labelCache = new Map<string, Promise<ReadonlyMap<string, string>>>()

/** The label of every household of the principal's jurisdiction (`GET /households`), once per token. */
const householdLabels = (token: string): Promise<ReadonlyMap<string, string>> => {
  let found = labelCache.get(token)
  if (found === undefined) {
    found = call(token, (c) => c.people.households({ urlParams: {} })).then(
      (households): ReadonlyMap<string, string> =>
        households.ok ? new Map(households.value.map((h) => [h.id, h.label])) : new Map()
    )
    labelCache.set(token, found)
  }
  return found
}

/** A message of the server in the language shown (its Chinese part first). */
const messageOf = (message: string): string => (lang() === "zh" ? chineseOf(message) : message)

/** Due today (not overdue) and overdue, of a principal's visits due. */
export const dueCounts = (due: VisitsDue["due"]): { readonly today: number; readonly overdue: number } => ({
  today: due.filter((d) => !d.overdue).length,
  overdue: due.filter((d) => d.overdue).length
})

/**
 * 我的待访 — the principal's visits due today and overdue (`GET /visits/due`), reloaded whenever `refresh`
 * changes (the workbench's reload); nothing when none is due or the server has no people store.
 */
export const VisitsDueSection = ({
  session,
  refresh
}: {
  readonly session: Session
  readonly refresh: number
}) => {
  const [due, setDue] = useState<Outcome<VisitsDue> | null>(null)
  const [labels, setLabels] = useState<ReadonlyMap<string, string>>(new Map())
  useEffect(() => {
    let live = true
    void call(session.token, (c) => c.people.visitsDue()).then(async (result) => {
      if (!live) return
      setDue(result)
      if (result.ok && result.value.due.length > 0) {
        const found = await householdLabels(session.token)
        if (live) setLabels(found)
      }
    })
    return () => {
      live = false
    }
  }, [session.token, refresh])
  if (due === null) return null
  // answered, nothing to show: an empty marker (for tests and tools: the agenda was asked for)
  const nothing = <div hidden data-testid="visits-due-none" />
  if (!due.ok)
    return unavailable(due.error) ? (
      nothing
    ) : (
      <section class="card" data-testid="visits-due">
        <h2>{t("我的待访", "My visits due")}</h2>
        <p class="error">{messageOf(due.error.message)}</p>
      </section>
    )
  const { date, unjudged } = due.value
  const items = due.value.due
  if (items.length === 0 && unjudged.length === 0) return nothing
  const counts = dueCounts(items)
  return (
    <section class="card" data-testid="visits-due" data-date={date}>
      <h2>
        {t("我的待访", "My visits due")} <span class="hint">{date}</span>
      </h2>
      <ul class="inline">
        <li>
          {t("今日到期", "Due today")}: <b data-testid="visits-due-today">{counts.today}</b>
        </li>
        <li>
          {t("已超期", "Overdue")}: <b data-testid="visits-overdue">{counts.overdue}</b>
        </li>
      </ul>
      {items.length > 0 && (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("计时灯", "Light")}</th>
              <th>{t("户", "Household")}</th>
              <th>{t("走访计划", "Plan")}</th>
              <th>{t("应访日期", "Due on")}</th>
              <th>{t("上次走访", "Last visit")}</th>
              <th>{t("超期天数", "Days overdue")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr
                key={item.planId}
                data-testid="visit-row"
                data-plan-id={item.planId}
                data-light={item.color}
                data-overdue={String(item.overdue)}
              >
                <td>
                  <span class={`dot ${item.color}`} title={lightName(item.color)} /> {lightName(item.color)}
                </td>
                <td data-testid="visit-household">{labels.get(item.householdId) ?? item.householdId}</td>
                <td>{item.planId}</td>
                <td>{item.dueOn}</td>
                <td>{item.lastVisitOn ?? t("未走访", "none yet")}</td>
                <td data-testid="visit-days-overdue">{item.overdue ? item.daysOverdue : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unjudged.length > 0 && (
        <div data-testid="visits-unjudged">
          <h3>{t("无法判定的计划", "Plans that cannot be judged")}</h3>
          <ul>
            {unjudged.map((u) => (
              <li key={u.planId}>
                {u.planId}: {messageOf(u.message)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}

const Figure = ({
  label,
  value,
  id,
  title,
  tone,
  data
}: {
  readonly label: string
  readonly value: string | number
  readonly id: string
  readonly title?: string
  readonly tone?: string
  readonly data?: Readonly<Record<string, string | number>>
}) => (
  <div class={`stat ${tone ?? ""}`} title={title}>
    <div class="value" data-testid={id} {...data}>
      {value}
    </div>
    <div class="label">{label}</div>
  </div>
)

/** A rate with its counts: "50.0%" shown, "7 / 14" beside it and on hover. */
const RateFigure = ({
  label,
  ratio,
  id
}: {
  readonly label: string
  readonly ratio: Ratio.Ratio
  readonly id: string
}) => (
  <Figure
    label={`${label} (${ratio.numerator} / ${ratio.denominator})`}
    value={Ratio.format(ratio, { noData: t("无数据", "no data") })}
    id={id}
    title={`${ratio.numerator} / ${ratio.denominator}`}
    data={{ "data-numerator": ratio.numerator, "data-denominator": ratio.denominator }}
  />
)

interface PanelData {
  readonly indicators: VisitIndicators
  readonly services: Services
  readonly due: VisitsDue | null
  readonly area: VisitsDueCounts | null
}

/**
 * 联户走访 — the overview's panel: this month's visit indicators of the jurisdiction, the proxy services open
 * and ended, and the principal's own visits due when there are any; hidden when the server has no people
 * store (503 `PeopleUnavailable`).
 */
export const PeoplePanel = ({ session }: { readonly session: Session }) => {
  const [period] = useState(() => thisMonth(Date.now()))
  const [data, setData] = useState<Outcome<PanelData> | null>(null)
  useEffect(() => {
    let live = true
    void Promise.all([
      call(session.token, (c) => c.people.indicators({ urlParams: { period } })),
      call(session.token, (c) => c.people.services({ urlParams: {} })),
      call(session.token, (c) => c.people.visitsDue()),
      call(session.token, (c) => c.people.visitsDueCounts({ urlParams: {} }))
    ]).then(([indicators, services, due, area]) => {
      if (!live) return
      if (!indicators.ok) setData(indicators)
      else if (!services.ok) setData(services)
      else
        setData({
          ok: true,
          value: {
            indicators: indicators.value,
            services: services.value,
            // a principal the server keeps no agenda for: no figures of its own
            due: due.ok ? due.value : null,
            area: area.ok ? area.value : null
          }
        })
    })
    return () => {
      live = false
    }
  }, [session.token, period])
  if (data === null)
    return (
      <section class="card" data-testid="people-panel">
        <h2>{t("联户走访", "Household visits")}</h2>
        <p>{t("加载中…", "Loading…")}</p>
      </section>
    )
  if (!data.ok)
    return unavailable(data.error) ? null : (
      <section class="card" data-testid="people-panel">
        <h2>{t("联户走访", "Household visits")}</h2>
        <p class="error">{messageOf(data.error.message)}</p>
      </section>
    )
  const { indicators, services, due, area } = data.value
  const open = services.filter((s) => ProxyService.isOpen(s.status)).length
  const done = services.filter((s) => s.status === "done").length
  const cancelled = services.length - open - done
  const mine = due === null || due.due.length === 0 ? null : dueCounts(due.due)
  return (
    <section class="card" data-testid="people-panel" data-period={indicators.period}>
      <h2>
        {t("联户走访", "Household visits")} <span class="hint">{indicators.period}</span>
      </h2>
      <div class="stats">
        <Figure label={t("走访人次", "Visits (人次)")} value={indicators.visits} id="people-visits" />
        <RateFigure
          label={t("按期走访率", "On-time visit rate")}
          ratio={indicators.onTimeVisitRate}
          id="people-on-time"
        />
        <RateFigure
          label={t("代办办结率", "Proxy-service closure")}
          ratio={indicators.proxyClosureRate}
          id="people-closure"
        />
        <RateFigure
          label={t("主动发现率", "Found by the workers")}
          ratio={indicators.proactiveDiscoveryShare}
          id="people-proactive"
        />
      </div>
      {area !== null && (
        <>
          <h3>{t("辖区待访", "Visits due in the jurisdiction")}</h3>
          <ul class="inline" data-testid="people-area">
            <li>
              {t("今日到期", "Due today")}: <b data-testid="people-area-due-today">{area.dueToday}</b>
            </li>
            <li>
              {t("已超期", "Overdue")}:{" "}
              <b class="overdue" data-testid="people-area-overdue">
                {area.overdue}
              </b>
            </li>
            <li>
              {lightName("green")}: <b data-testid="people-area-green">{area.green}</b>
            </li>
            <li>
              {lightName("yellow")}: <b data-testid="people-area-yellow">{area.yellow}</b>
            </li>
            <li>
              {lightName("red")}: <b data-testid="people-area-red">{area.red}</b>
            </li>
          </ul>
        </>
      )}
      <h3>{t("网格代办", "Proxy services")}</h3>
      <ul class="inline">
        <li>
          {t("在办", "Open")}: <b data-testid="people-services-open">{open}</b>
        </li>
        <li>
          {t("已办结", "Done")}: <b data-testid="people-services-done">{done}</b>
        </li>
        <li>
          {t("已撤销", "Cancelled")}: <b data-testid="people-services-cancelled">{cancelled}</b>
        </li>
      </ul>
      {mine !== null && (
        <>
          <h3>{t("本人待访", "My visits due")}</h3>
          <ul class="inline">
            <li>
              {t("今日到期", "Due today")}: <b data-testid="people-due-today">{mine.today}</b>
            </li>
            <li>
              {t("已超期", "Overdue")}:{" "}
              <b class="overdue" data-testid="people-due-overdue">
                {mine.overdue}
              </b>
            </li>
          </ul>
        </>
      )}
      {indicators.unjudgedPlans > 0 && (
        <p class="hint" data-testid="people-unjudged">
          {t(
            `${indicators.unjudgedPlans} 个走访计划无法判定（缺少工作日历或户）`,
            `${indicators.unjudgedPlans} visit plans could not be judged (no calendar year or household)`
          )}
        </p>
      )}
    </section>
  )
}
