/**
 * 公开栏 — the public board of a unit (`/app/publications/<unitId>`): what `GET /publications?within=<unitId>`
 * answers — the publications on display in the unit and below it (居务公开, 政务公开, 财务公开, 党务公开,
 * 村规民约), by category in the core's order, newest first within each: title, text, published date and the
 * date it stays on display until (dates at +08:00). No sign-in: it is called without a token; the endpoint
 * carries no personal data and leaves out what is withdrawn or past its display. Chinese first, with the
 * English switch for the page's own words; printable (the print stylesheet drops the buttons, each entry
 * stays on one page).
 */
import * as Publication from "@civicgrid/core/Publication"
import { UnitId } from "@civicgrid/core/Unit"
import type * as Api from "@civicgrid/http/Api"
import * as DateTime from "effect/DateTime"
import { useEffect, useState } from "preact/hooks"
import { call, type Outcome } from "./api.js"
import { lang, setLang, t } from "./i18n.js"

type Entry = typeof Api.PublicationView.Type

/** A category's name in the language shown (an unknown one as the server names it). */
const categoryName = (category: string): string => {
  const known = Publication.Category.literals.find((c) => c === category)
  return known === undefined
    ? category
    : t(Publication.categoryNames[known], Publication.categoryNamesEn[known])
}

/** The date of an instant at +08:00, `YYYY-MM-DD`. */
export const localDay = (dt: DateTime.DateTime): string =>
  DateTime.formatIsoDateUtc(DateTime.add(dt, { hours: 8 }))

/**
 * The entries by category: the core's categories in their order, then any other the server names, each
 * with its entries in the order answered (newest first); categories without entries left out.
 */
export const byCategory = (
  entries: ReadonlyArray<Entry>
): ReadonlyArray<{ readonly category: string; readonly entries: ReadonlyArray<Entry> }> => {
  const order: Array<string> = [...Publication.Category.literals]
  for (const e of entries) if (!order.includes(e.category)) order.push(e.category)
  return order
    .map((category) => ({ category, entries: entries.filter((e) => e.category === category) }))
    .filter((group) => group.entries.length > 0)
}

/** A server message ("中文 — English") in the language shown. */
const messageIn = (message: string): string => {
  const cut = message.indexOf(" — ")
  if (cut < 0) return message
  return lang() === "zh" ? message.slice(0, cut) : message.slice(cut + 3)
}

export const Publications = ({ unitId }: { readonly unitId: string }) => {
  const [, setLangState] = useState(lang())
  const [entries, setEntries] = useState<Outcome<ReadonlyArray<Entry>> | null>(null)
  useEffect(() => {
    let live = true
    // the server validates the id (400 naming it when it is not one)
    const within = UnitId.make(unitId, { disableValidation: true })
    void call(null, (c) => c.publications.list({ urlParams: { within } })).then((result) => {
      if (live) setEntries(result)
    })
    return () => {
      live = false
    }
  }, [unitId])
  useEffect(() => {
    document.title = `${t("公开栏", "Public board")} · ${unitId}`
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
      {entries === null ? (
        <p>{t("加载中…", "Loading…")}</p>
      ) : !entries.ok ? (
        <section class="card" data-testid="publications-error" data-tag={entries.error.tag}>
          <h1>{t("公开栏", "Public board")}</h1>
          <p class="error">
            {entries.error.tag === "DeliberationUnavailable"
              ? t("本服务器未配置议事协商，暂无公开内容。", "This server keeps no publications to show.")
              : entries.error.tag === "DeliberationNotFound" || entries.error.tag === "NotFound"
                ? t("没有这个单元。", "There is no such unit.")
                : messageIn(entries.error.message)}
          </p>
        </section>
      ) : (
        <section class="card board" data-testid="publications" data-unit={unitId}>
          <h1>{t("公开栏", "Public board")}</h1>
          <p class="hint">
            {t(
              "居务、政务、财务、党务公开与村规民约",
              "Residents', government, finance and party affairs; the pact"
            )}{" "}
            · {unitId} · {t("查看日期", "as of")} {localDay(DateTime.unsafeNow())}
          </p>
          {entries.value.length === 0 ? (
            <p data-testid="publications-empty">{t("暂无公开内容。", "Nothing on display.")}</p>
          ) : (
            byCategory(entries.value).map((group) => (
              <div class="pub-category" key={group.category} data-testid="publications-category">
                <h2 data-category={group.category}>
                  {categoryName(group.category)} <span class="hint">{group.entries.length}</span>
                </h2>
                {group.entries.map((e) => (
                  <article
                    class="pub-entry"
                    key={e.topicId}
                    data-testid="publication"
                    data-topic-id={e.topicId}
                    data-category={e.category}
                    data-published={localDay(e.publishedAt)}
                    data-until={localDay(e.retainUntil)}
                  >
                    <h3 data-testid="publication-title">{e.title}</h3>
                    <p class="pub-body" data-testid="publication-body">
                      {e.body}
                    </p>
                    <p class="hint">
                      {t("发布日期", "Published")} {localDay(e.publishedAt)} ·{" "}
                      {t("公示至", "On display until")} {localDay(e.retainUntil)}
                    </p>
                  </article>
                ))}
              </div>
            ))
          )}
          <p class="hint">
            {t(
              "如有疑问，请到社区服务站咨询。本栏不含个人信息。",
              "Questions: visit the community service station. This board holds no personal data."
            )}
          </p>
        </section>
      )}
    </div>
  )
}
