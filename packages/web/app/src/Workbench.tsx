/**
 * 待办 — the open cases of the principal's jurisdiction, least time left first; a resident's own reports.
 * Staff with visits due see 我的待访 above the cases; 刷新 reloads both.
 */
import type { CasePage } from "@civicgrid/http/Api"
import { useEffect, useState } from "preact/hooks"
import { call, type Outcome } from "./api.js"
import { categoryName, useCategoryNames } from "./categories.js"
import { countdown, formatTime, lightName, statusName, t, tierName } from "./i18n.js"
import { VisitsDueSection } from "./People.js"
import { navigate } from "./route.js"
import { millis, type Session } from "./session.js"

const openStatuses = ["reported", "accepted", "dispatched", "handled", "rework", "suspended"] as const
/** The filter's statuses: the open ones, and 已结案待回访 (closed, awaiting the return visit 回访评价). */
const filterStatuses = [...openStatuses, "closed"] as const
type OpenStatus = (typeof filterStatuses)[number]
type Light = "green" | "yellow" | "red"

export const Workbench = ({ session }: { readonly session: Session }) => {
  const resident = session.role === "resident"
  const [status, setStatus] = useState<OpenStatus | "">("")
  const [light, setLight] = useState<Light | "">("")
  const [page, setPage] = useState<Outcome<CasePage> | null>(null)
  const [refresh, setRefresh] = useState(0)
  const categories = useCategoryNames()
  useEffect(() => {
    setPage(null)
    const urlParams = resident
      ? { limit: 100 }
      : {
          status: status === "" ? [...openStatuses] : [status],
          ...(light === "" ? {} : { light }),
          sort: "deadline" as const,
          limit: 100
        }
    void call(session.token, (c) => c.cases.list({ urlParams })).then(setPage)
  }, [session.token, status, light, resident, refresh])
  const now = Date.now()
  return (
    <div class="page" data-testid="workbench">
      {!resident && !session.handler && <VisitsDueSection session={session} refresh={refresh} />}
      <section class="card">
        <h2>
          {resident ? t("我的上报", "My reports") : t("待办案件", "Cases awaiting action")}{" "}
          <button
            type="button"
            class="chip"
            data-testid="refresh"
            onClick={() => setRefresh((n) => n + 1)}
            disabled={page === null}
          >
            {t("刷新", "Refresh")}
          </button>
        </h2>
        {!resident && (
          <div class="filters">
            <label>
              {t("状态", "Status")}
              <select
                name="status"
                value={status}
                onChange={(e) => setStatus(e.currentTarget.value as OpenStatus | "")}
              >
                <option value="">{t("全部在办", "all open")}</option>
                {filterStatuses.map((s) => (
                  <option key={s} value={s}>
                    {s === "closed" ? t("待回访", "awaiting the return visit") : statusName(s)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("计时灯", "Light")}
              <select value={light} onChange={(e) => setLight(e.currentTarget.value as Light | "")}>
                <option value="">{t("全部", "all")}</option>
                {(["red", "yellow", "green"] as const).map((l) => (
                  <option key={l} value={l}>
                    {lightName(l)}
                  </option>
                ))}
              </select>
            </label>
            <span class="hint">
              {t("按剩余时间排序（仅计时案件）", "By time left (cases with a deadline)")}
            </span>
          </div>
        )}
        {page === null ? (
          <p>{t("加载中…", "Loading…")}</p>
        ) : !page.ok ? (
          <p class="error">{page.error.message}</p>
        ) : page.value.items.length === 0 ? (
          <p data-testid="empty">{t("没有案件", "No cases")}</p>
        ) : (
          <table class="grid list">
            <thead>
              <tr>
                <th>{t("计时灯", "Light")}</th>
                <th>{t("案件编号", "Case")}</th>
                <th>{t("类别", "Category")}</th>
                <th>{t("状态", "Status")}</th>
                <th>{t("层级", "Tier")}</th>
                <th>{t("时限", "Deadline")}</th>
                <th>{t("上报时间", "Reported")}</th>
              </tr>
            </thead>
            <tbody>
              {page.value.items.map((item) => (
                <tr
                  key={item.caseId}
                  data-testid="case-row"
                  data-case-id={item.caseId}
                  onClick={() => navigate({ page: "case", caseId: item.caseId })}
                >
                  <td>
                    {item.light === null ? (
                      "—"
                    ) : (
                      <span class={`dot ${item.light}`} title={lightName(item.light)} />
                    )}
                  </td>
                  <td>
                    <a
                      href={`/app/cases/${encodeURIComponent(item.caseId)}`}
                      onClick={(e) => {
                        e.preventDefault()
                        navigate({ page: "case", caseId: item.caseId })
                      }}
                    >
                      {item.caseId}
                    </a>
                  </td>
                  <td title={item.categoryId} data-testid="row-category">
                    {categoryName(categories, item.categoryId)}
                  </td>
                  <td>{statusName(item.status)}</td>
                  <td>{tierName(item.tier)}</td>
                  <td>{item.deadline === null ? "—" : countdown(millis(item.deadline) - now)}</td>
                  <td>{formatTime(millis(item.reportedAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
