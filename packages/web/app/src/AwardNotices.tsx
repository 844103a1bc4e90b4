/**
 * 评优公示 — the public notice of a unit's award rounds (`/app/award-notices/<unitId>`): what
 * `GET /award-notices/<unitId>` answers without a token — each round with nominees on public notice today
 * (+08:00): what they are nominated for (the round's name), its quota and notice period, each nominee's
 * name masked by the server (张**) and the notice window (from the day published; `noticeEnds` the first
 * day after it, shown as "至 … （不含）" / "to before …"). The heading names the unit (the id only when the
 * server names none). No sign-in; no ids or phones of people. Chinese first, with the English switch for
 * the page's own words; printable (the print stylesheet drops the buttons).
 */
import { UnitId } from "@civicgrid/core/Unit"
import type * as Api from "@civicgrid/http/Api"
import { useEffect, useState } from "preact/hooks"
import { call, type Outcome } from "./api.js"
import { lang, setLang, t } from "./i18n.js"

type Notices = typeof Api.AwardNoticesView.Type

/** A server message ("中文 — English") in the language shown. */
const messageIn = (message: string): string => {
  const cut = message.indexOf(" — ")
  if (cut < 0) return message
  return lang() === "zh" ? message.slice(0, cut) : message.slice(cut + 3)
}

export const AwardNotices = ({ unitId }: { readonly unitId: string }) => {
  const [, setLangState] = useState(lang())
  const [notices, setNotices] = useState<Outcome<Notices> | null>(null)
  useEffect(() => {
    let live = true
    // the server validates the id (400 naming it when it is not one)
    const id = UnitId.make(unitId, { disableValidation: true })
    void call(null, (c) => c.directory.awardNotices({ path: { unitId: id } })).then((answer) => {
      if (live) setNotices(answer)
    })
    return () => {
      live = false
    }
  }, [unitId])
  const unitName = notices?.ok ? (notices.value.unitName ?? unitId) : unitId
  useEffect(() => {
    document.title = `${t("评优公示", "Award notice")} · ${unitName}`
  })
  const switchLang = () => {
    const next = lang() === "zh" ? "en" : "zh"
    setLang(next)
    setLangState(next)
  }
  return (
    <div class="directory publications" data-lang={lang()}>
      <div class="noprint directory-tools">
        <button type="button" class="plain" onClick={() => window.print()} data-testid="print">
          {t("打印", "Print")}
        </button>
        <button type="button" class="plain" onClick={switchLang} data-testid="lang">
          {lang() === "zh" ? "English" : "中文"}
        </button>
      </div>
      {notices === null ? (
        <p>{t("加载中…", "Loading…")}</p>
      ) : !notices.ok ? (
        <section class="card" data-testid="award-notices-error" data-tag={notices.error.tag}>
          <h1>{t("评优公示", "Award notice")}</h1>
          <p class="error">
            {notices.error.tag === "OrganizationUnavailable"
              ? t("本服务器未配置组织与岗位，暂无公示。", "This server keeps no award rounds to show.")
              : notices.error.tag === "OrganizationNotFound" || notices.error.tag === "NotFound"
                ? t("没有这个单元。", "There is no such unit.")
                : messageIn(notices.error.message)}
          </p>
        </section>
      ) : (
        <section
          class="card board"
          data-testid="award-notices"
          data-unit={notices.value.unitId}
          data-day={notices.value.day}
        >
          <h1>
            <span data-testid="award-notices-unit-name">{unitName}</span> {t("评优公示", "Award notice")}
          </h1>
          <p class="hint">
            {t(
              "以下人选正在公示，如有异议请在公示期内向社区反映",
              "Nominees on public notice; objections within the window"
            )}{" "}
            · {t("查看日期", "as of")} {notices.value.day}
          </p>
          {notices.value.rounds.length === 0 ? (
            <p data-testid="award-notices-empty">{t("暂无公示中的评选。", "No nominees on notice.")}</p>
          ) : (
            notices.value.rounds.map((r, i) => (
              <div
                class="pub-category"
                key={`${r.name}-${i}`}
                data-testid="award-notice"
                data-quota={r.quota}
                data-notice-days={r.noticeDays}
              >
                <h2 data-testid="award-notice-name">{r.name}</h2>
                <p class="hint">
                  {t("名额", "Quota")} {r.quota} · {t("公示期", "Notice period")} {r.noticeDays}{" "}
                  {t("天", "days")}
                </p>
                <table class="grid">
                  <thead>
                    <tr>
                      <th>{t("姓名", "Name")}</th>
                      <th>{t("公示期", "Notice window")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.nominees.map((n, j) => (
                      <tr
                        key={j}
                        data-testid="award-notice-nominee"
                        data-notice-from={n.noticeFrom}
                        data-notice-ends={n.noticeEnds}
                      >
                        <td data-testid="award-notice-nominee-name">
                          {n.name ?? t("（未登记）", "(not recorded)")}
                        </td>
                        <td class="nowrap">
                          {t(
                            `${n.noticeFrom} 至 ${n.noticeEnds}（不含）`,
                            `${n.noticeFrom} to before ${n.noticeEnds}`
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))
          )}
          <p class="hint">
            {t(
              "本公示不含身份证号、电话等个人信息，姓名已脱敏。",
              "This notice holds no personal data; names are masked."
            )}
          </p>
        </section>
      )}
    </div>
  )
}
