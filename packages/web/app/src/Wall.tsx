/**
 * 大屏 — the board of the principal's unit full screen in large type, for the wall of a command centre. It
 * follows the board's change stream (`GET /board/changes`: server-sent events, read with `fetch` because
 * an `EventSource` cannot send the bearer token) and reads `GET /board` again whenever it says `changed`;
 * where the stream is unavailable (refused, cut, no readable body) it reads the board every `interval`
 * seconds (`?interval=N`, 15 by default) and tries the stream again later. It shows when it last read and
 * how it follows. A failed read keeps the last numbers and says so.
 */
import type { Board } from "@civicgrid/core/CaseRepository"
import { Api } from "@civicgrid/http/Api"
import { useEffect, useState } from "preact/hooks"
import { call, type UiError } from "./api.js"
import { formatTime, lightName, statusName, t } from "./i18n.js"
import type { Session } from "./session.js"

/** The refresh interval in seconds: `?interval=N` (1 … 3600), 15 otherwise. */
export const wallInterval = (search: string): number => {
  const n = Number(new URLSearchParams(search).get("interval"))
  return Number.isInteger(n) && n >= 1 && n <= 3600 ? n : 15
}

/** The path of the board change stream, from the contract. */
const changesPath: string = Api.groups["session"]?.endpoints["boardChanges"]?.path ?? "/board/changes"

/** How long to wait before trying the stream again after it failed or ended. */
const retryMs = 5_000

/** How long the stream may stay silent before it counts as stalled (three of the server's keep-alives). */
const stallMs = 45_000

/** The event names in a chunk of server-sent events (complete blocks only; the rest is kept in `buffer`). */
const eventsIn = (state: { buffer: string }, text: string): ReadonlyArray<string> => {
  state.buffer += text
  const blocks = state.buffer.split("\n\n")
  state.buffer = blocks.pop() ?? ""
  return blocks.flatMap((block) => {
    const line = block.split("\n").find((l) => l.startsWith("event: "))
    return line === undefined ? [] : [line.slice("event: ".length)]
  })
}

const lights = ["red", "yellow", "green", null] as const

export const Wall = ({ session }: { readonly session: Session }) => {
  const interval = wallInterval(window.location.search)
  const [board, setBoard] = useState<Board | null>(null)
  const [refreshedAt, setRefreshedAt] = useState<number | null>(null)
  const [error, setError] = useState<UiError | null>(null)
  const [pushed, setPushed] = useState(false)
  useEffect(() => {
    let live = true
    let pushing = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let retry: ReturnType<typeof setTimeout> | undefined
    const controller = new AbortController()
    // one read at a time: a change announced during a read makes one more read after it
    let reading = false
    let again = false
    const refresh = async (): Promise<void> => {
      if (reading) {
        again = true
        return
      }
      reading = true
      do {
        again = false
        const result = await call(session.token, (c) => c.cases.board({ urlParams: {} }))
        if (!live) return
        if (result.ok) {
          setBoard(result.value)
          setRefreshedAt(Date.now())
          setError(null)
        } else setError(result.error)
      } while (again && live)
      reading = false
    }
    // polling, while the stream is not connected; the next read only after this one answered
    const poll = async () => {
      if (!pushing) await refresh()
      if (live) timer = setTimeout(() => void poll(), interval * 1000)
    }
    const follow = async () => {
      // a stream silent for longer than three keep-alives (the server pings every 15 s) is stalled: cut it
      const connection = new AbortController()
      const cut = () => connection.abort()
      controller.signal.addEventListener("abort", cut)
      let watchdog = setTimeout(cut, stallMs)
      try {
        const response = await fetch(`${window.location.origin}${changesPath}`, {
          headers: { authorization: `Bearer ${session.token}`, accept: "text/event-stream" },
          signal: connection.signal
        })
        const body = response.body
        if (!response.ok || body === null) {
          await response.body?.cancel()
          throw new Error(`${response.status}`)
        }
        const reader = body.pipeThrough(new TextDecoderStream()).getReader()
        const state = { buffer: "" }
        for (;;) {
          const { done, value } = await reader.read()
          if (done || !live) break
          clearTimeout(watchdog)
          watchdog = setTimeout(cut, stallMs)
          for (const name of eventsIn(state, value)) {
            if (name === "ready") {
              pushing = true
              setPushed(true)
            }
            // connected (anything missed meanwhile) or changed: read the board
            void refresh()
          }
        }
      } catch {
        // refused, cut or stalled: polling goes on
      }
      clearTimeout(watchdog)
      controller.signal.removeEventListener("abort", cut)
      connection.abort()
      if (!live) return
      pushing = false
      setPushed(false)
      retry = setTimeout(() => void follow(), retryMs)
    }
    void poll()
    void follow()
    return () => {
      live = false
      controller.abort()
      if (timer !== undefined) clearTimeout(timer)
      if (retry !== undefined) clearTimeout(retry)
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
            : `${t("更新于", "Updated")} ${formatTime(refreshedAt)} · ${
                pushed ? t("实时推送", "live") : t(`每 ${interval} 秒刷新`, `every ${interval} s`)
              }`}
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
