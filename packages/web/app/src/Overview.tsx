/** 总览 — the board of the principal's unit and the scorecard of its child units. */
import type { Board } from "@civicgrid/core/CaseRepository"
import type { MetricsResult, ScoresResult } from "@civicgrid/http/Api"
import { useEffect, useState } from "preact/hooks"
import { call, type Outcome } from "./api.js"
import { lightName, statusName, t, tierName } from "./i18n.js"
import { PeoplePanel } from "./People.js"
import { usePaintMark } from "./paint.js"
import type { Session } from "./session.js"
import { latestAcceptedMonth, loadMonthly, Trends } from "./Trends.js"

const lights = ["green", "yellow", "red", null] as const

const Stat = ({
  label,
  value,
  id,
  tone
}: {
  readonly label: string
  readonly value: number
  readonly id: string
  readonly tone?: string
}) => (
  <div class={`stat ${tone ?? ""}`}>
    <div class="value" data-testid={id}>
      {value}
    </div>
    <div class="label">{label}</div>
  </div>
)

const BoardView = ({ board }: { readonly board: Board }) => {
  usePaintMark("civicgrid:board", true)
  const statuses = [...new Set(board.open.map((c) => c.status))]
  const cell = (status: string, light: string | null) =>
    board.open.find((c) => c.status === status && c.light === light)?.count ?? 0
  const open = board.open.reduce((n, c) => n + c.count, 0)
  const overdue = board.overdue.reduce((n, c) => n + c.count, 0)
  return (
    <section class="card" data-testid="board">
      <h2>{t("指挥调度看板", "Board")}</h2>
      <div class="stats">
        <Stat label={t("在办案件", "Open cases")} value={open} id="board-open" />
        <Stat label={t("超期（红灯）", "Overdue (red)")} value={overdue} id="board-overdue" tone="red" />
        <Stat
          label={t("今日上报升级", "Escalated today")}
          value={board.escalatedToday}
          id="board-escalated"
        />
        <Stat label={t("今日结案", "Closed today")} value={board.closedToday} id="board-closed" />
        <Stat label={t("督办在办", "Supervised")} value={board.supervised} id="board-supervised" />
      </div>
      <h3>{t("在办案件：状态 × 计时灯", "Open cases: status × light")}</h3>
      <table class="grid">
        <thead>
          <tr>
            <th>{t("状态", "Status")}</th>
            {lights.map((l) => (
              <th key={String(l)}>
                {l !== null && <span class={`dot ${l}`} />} {lightName(l)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {statuses.map((s) => (
            <tr key={s}>
              <th>{statusName(s)}</th>
              {lights.map((l) => (
                <td key={String(l)} data-testid={`cell-${s}-${l ?? "none"}`}>
                  {cell(s, l)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t("超期案件：按层级", "Overdue by tier")}</h3>
      <ul class="inline">
        {board.overdue.length === 0 && <li>{t("无", "none")}</li>}
        {board.overdue.map((o) => (
          <li key={o.tier} data-testid={`overdue-${o.tier}`}>
            {tierName(o.tier)}: <b>{o.count}</b>
          </li>
        ))}
      </ul>
    </section>
  )
}

const Scorecard = ({ session, initial }: { readonly session: Session; readonly initial: string }) => {
  const [period, setPeriod] = useState(initial)
  const [scores, setScores] = useState<Outcome<ScoresResult> | null>(null)
  usePaintMark("civicgrid:scorecard", scores !== null)
  useEffect(() => {
    setScores(null)
    void call(session.token, (c) => c.metrics.scores({ urlParams: { period } })).then(setScores)
  }, [session.token, period])
  return (
    <section class="card" data-testid="scorecard">
      <h2>
        {t("考核记分卡", "Scorecard")}{" "}
        <input
          class="period"
          value={period}
          onChange={(e) => setPeriod(e.currentTarget.value)}
          aria-label={t("考核期", "Period")}
        />
      </h2>
      {scores === null ? (
        <p>{t("加载中…", "Loading…")}</p>
      ) : !scores.ok ? (
        <p class="error">{scores.error.message}</p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("排名", "Rank")}</th>
              <th>{t("单元", "Unit")}</th>
              <th>{t("总分", "Total")}</th>
              <th>{t("等级", "Grade")}</th>
              <th>{t("样本", "Sample")}</th>
            </tr>
          </thead>
          <tbody>
            {scores.value.units.map((u) => (
              <tr key={u.unitId}>
                <td>{u.rank ?? "—"}</td>
                <td>
                  {u.light !== null && <span class={`dot score-${u.light}`} />} {u.name}
                </td>
                <td>{u.total === null ? "—" : u.total.toFixed(1)}</td>
                <td>
                  {u.grade ??
                    (u.status === "no-data" ? t("无数据", "no data") : t("样本不足", "too few cases"))}
                </td>
                <td>{u.sampleSize}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export const Overview = ({ session }: { readonly session: Session }) => {
  const [board, setBoard] = useState<Outcome<Board> | null>(null)
  const [monthly, setMonthly] = useState<Outcome<MetricsResult> | null>(null)
  useEffect(() => {
    void call(session.token, (c) => c.cases.board({ urlParams: {} })).then(setBoard)
    void loadMonthly(session).then(setMonthly)
  }, [session.token])
  return (
    <div class="page" data-testid="overview">
      {board === null ? (
        <p>{t("加载中…", "Loading…")}</p>
      ) : board.ok ? (
        <BoardView board={board.value} />
      ) : (
        <p class="error">{board.error.message}</p>
      )}
      <PeoplePanel session={session} />
      <Trends result={monthly} />
      {/* the scorecard of the latest month with accepted cases */}
      {monthly === null ? (
        <section class="card" data-testid="scorecard">
          <p>{t("加载中…", "Loading…")}</p>
        </section>
      ) : (
        <Scorecard session={session} initial={latestAcceptedMonth(monthly)} />
      )}
    </div>
  )
}
