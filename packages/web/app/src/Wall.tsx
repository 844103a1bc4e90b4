/**
 * 大屏 — the board of the principal's unit full screen in large type, for the wall of a command centre: it
 * reads `GET /board` again every `interval` seconds (`?interval=N`, 15 by default; the API has no push),
 * and shows when it last did. A failed refresh keeps the last numbers and says so.
 */
import type { Board } from "@civicgrid/core/CaseRepository"
import { useEffect, useState } from "preact/hooks"
import { call, type UiError } from "./api.js"
import { formatTime, lightName, statusName, t } from "./i18n.js"
import type { Session } from "./session.js"

/** The refresh interval in seconds: `?interval=N` (1 … 3600), 15 otherwise. */
export const wallInterval = (search: string): number => {
  const n = Number(new URLSearchParams(search).get("interval"))
  return Number.isInteger(n) && n >= 1 && n <= 3600 ? n : 15
}

const lights = ["red", "yellow", "green", null] as const

export const Wall = ({ session }: { readonly session: Session }) => {
  const interval = wallInterval(window.location.search)
  const [board, setBoard] = useState<Board | null>(null)
  const [refreshedAt, setRefreshedAt] = useState<number | null>(null)
  const [error, setError] = useState<UiError | null>(null)
  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const refresh = async () => {
      const result = await call(session.token, (c) => c.cases.board({ urlParams: {} }))
      if (!live) return
      if (result.ok) {
        setBoard(result.value)
        setRefreshedAt(Date.now())
        setError(null)
      } else setError(result.error)
      // the next read only after this one answered: a slow server is never asked twice at once
      timer = setTimeout(() => void refresh(), interval * 1000)
    }
    void refresh()
    return () => {
      live = false
      if (timer !== undefined) clearTimeout(timer)
    }
  }, [session.token, interval])
  const open = board?.open.reduce((n, c) => n + c.count, 0) ?? 0
  const overdue = board?.overdue.reduce((n, c) => n + c.count, 0) ?? 0
  const byLight = (light: string | null) =>
    board?.open.filter((c) => c.light === light).reduce((n, c) => n + c.count, 0) ?? 0
  const statuses = [...new Set(board?.open.map((c) => c.status) ?? [])]
  const byStatus = (status: string) =>
    board?.open.filter((c) => c.status === status).reduce((n, c) => n + c.count, 0) ?? 0
  return (
    <div class="wall" data-testid="wall">
      <header>
        <h1>
          {session.unitName ?? session.unitId} · {t("指挥调度大屏", "Command wall")}
        </h1>
        <span class="refreshed" data-testid="wall-refreshed">
          {refreshedAt === null
            ? t("加载中…", "Loading…")
            : `${t("更新于", "Updated")} ${formatTime(refreshedAt)} · ${t(`每 ${interval} 秒刷新`, `every ${interval} s`)}`}
        </span>
      </header>
      {error !== null && (
        <p class="error" role="alert" data-testid="wall-error">
          {t("刷新失败，显示上次数据", "Refresh failed: the last numbers are shown")} — {error.message}
        </p>
      )}
      {board !== null && (
        <>
          <div class="wall-stats">
            <div class="wall-stat">
              <div class="wall-value" data-testid="wall-open">
                {open}
              </div>
              <div class="wall-label">{t("在办案件", "Open cases")}</div>
            </div>
            <div class="wall-stat red">
              <div class="wall-value" data-testid="wall-overdue">
                {overdue}
              </div>
              <div class="wall-label">{t("超期", "Overdue")}</div>
            </div>
            <div class="wall-stat">
              <div class="wall-value" data-testid="wall-escalated">
                {board.escalatedToday}
              </div>
              <div class="wall-label">{t("今日上报升级", "Escalated today")}</div>
            </div>
            <div class="wall-stat">
              <div class="wall-value" data-testid="wall-closed">
                {board.closedToday}
              </div>
              <div class="wall-label">{t("今日结案", "Closed today")}</div>
            </div>
            <div class="wall-stat">
              <div class="wall-value" data-testid="wall-supervised">
                {board.supervised}
              </div>
              <div class="wall-label">{t("督办在办", "Supervised")}</div>
            </div>
          </div>
          <div class="wall-stats small">
            {lights.map((l) => (
              <div class={`wall-stat ${l ?? ""}`} key={String(l)}>
                <div class="wall-value" data-testid={`wall-light-${l ?? "none"}`}>
                  {byLight(l)}
                </div>
                <div class="wall-label">
                  {l !== null && <span class={`dot ${l}`} />} {lightName(l)}
                </div>
              </div>
            ))}
            {statuses.map((s) => (
              <div class="wall-stat" key={s}>
                <div class="wall-value" data-testid={`wall-status-${s}`}>
                  {byStatus(s)}
                </div>
                <div class="wall-label">{statusName(s)}</div>
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  )
}
