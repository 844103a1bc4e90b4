/**
 * 公示牌 — the public notice board of a building (`/app/directory/<building>`): who serves it (楼栋长, 网格员,
 * 网格长, 社区书记 …) as `GET /directory/{building}` answers it, names and phones masked by the server. No
 * sign-in: it is called without a token. Chinese first, with the English switch; printable (the print
 * stylesheet drops the buttons and prints the board alone).
 */
import { UnitId } from "@civicgrid/core/Unit"
import type * as Api from "@civicgrid/http/Api"
import { useEffect, useState } from "preact/hooks"
import { call, type Outcome } from "./api.js"
import { lang, setLang, t } from "./i18n.js"

type Board = typeof Api.Directory.Type

/** A server message ("中文 — English") in the language shown. */
const messageIn = (message: string): string => {
  const cut = message.indexOf(" — ")
  if (cut < 0) return message
  return lang() === "zh" ? message.slice(0, cut) : message.slice(cut + 3)
}

export const Directory = ({ building }: { readonly building: string }) => {
  const [, setLangState] = useState(lang())
  const [board, setBoard] = useState<Outcome<Board> | null>(null)
  useEffect(() => {
    let live = true
    // the server validates the id (400 naming it when it is not one)
    const id = UnitId.make(building, { disableValidation: true })
    void call(null, (c) => c.directory.building({ path: { building: id } })).then((result) => {
      if (live) setBoard(result)
    })
    return () => {
      live = false
    }
  }, [building])
  useEffect(() => {
    if (board?.ok === true) document.title = `${board.value.buildingName} · ${t("公示牌", "Notice board")}`
  })
  const switchLang = () => {
    const next = lang() === "zh" ? "en" : "zh"
    setLang(next)
    setLangState(next)
  }
  return (
    <div class="directory">
      <div class="noprint directory-tools">
        <button type="button" class="plain" onClick={() => window.print()} data-testid="print">
          {t("打印", "Print")}
        </button>
        <button type="button" class="plain" onClick={switchLang} data-testid="lang">
          {lang() === "zh" ? "English" : "中文"}
        </button>
      </div>
      {board === null ? (
        <p>{t("加载中…", "Loading…")}</p>
      ) : !board.ok ? (
        <section class="card" data-testid="directory-error" data-tag={board.error.tag}>
          <h1>{t("公示牌", "Notice board")}</h1>
          <p class="error">
            {board.error.tag === "OrganizationUnavailable"
              ? t(
                  "本服务器未配置组织与岗位，暂无公示信息。",
                  "This server keeps no organisation data to show."
                )
              : board.error.tag === "OrganizationNotFound"
                ? t("没有这个楼栋。", "There is no such building.")
                : messageIn(board.error.message)}
          </p>
        </section>
      ) : (
        <section class="card board" data-testid="directory" data-building={board.value.buildingId}>
          <h1 data-testid="directory-name">{board.value.buildingName}</h1>
          <p class="hint">
            {t("服务本楼栋的工作人员", "Who serves this building")} · {board.value.day}
          </p>
          {board.value.entries.length === 0 ? (
            <p data-testid="directory-empty">{t("暂无公示信息。", "Nothing to show yet.")}</p>
          ) : (
            <table class="grid">
              <thead>
                <tr>
                  <th>{t("岗位", "Post")}</th>
                  <th>{t("所属", "Body / grid")}</th>
                  <th>{t("姓名", "Name")}</th>
                  <th>{t("电话", "Phone")}</th>
                </tr>
              </thead>
              <tbody>
                {board.value.entries.map((e, i) => (
                  <tr key={i} data-testid="directory-entry" data-source={e.source} data-kind={e.kind}>
                    <td data-testid="directory-kind">{t(e.kindZh, e.kindEn)}</td>
                    <td data-testid="directory-body">{e.bodyName ?? e.gridId ?? ""}</td>
                    <td data-testid="directory-person">{e.name ?? ""}</td>
                    <td data-testid="directory-phone">{e.phone ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p class="hint">
            {t(
              "姓名与电话已脱敏。如需联系，请到社区服务站或拨打社区公开电话。",
              "Names and phones are masked. To reach them, visit the community service station."
            )}
          </p>
        </section>
      )}
    </div>
  )
}
