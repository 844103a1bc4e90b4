/**
 * 公开栏 — the public board of a unit (`/app/publications/<unitId>`): what `GET /publications?within=<unitId>`
 * answers — the publications on display in the unit and below it (居务公开, 政务公开, 财务公开, 党务公开,
 * 村规民约), by category in the core's order, newest first within each: title, text, published date and the
 * date it stays on display until (dates at +08:00); an entry of a unit below it names that unit. The heading
 * names the unit (`scopeName` of its rule documents or of its own entries; the id only when the server
 * names none). Then 村规民约 (`GET /rule-documents/<unitId>`): each document with the version in force —
 * its text, the day it was adopted and the topic whose resolution adopted it (with that topic's title when
 * it is on the board) — and the earlier versions collapsed, newest first. No sign-in: it is called without a token; the endpoint
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
type RuleDocument = typeof Api.RuleDocumentView.Type

interface Board {
  readonly entries: ReadonlyArray<Entry>
  readonly documents: Outcome<ReadonlyArray<RuleDocument>>
}

/** The unit's name: from its rule documents, else from its own entries, else its id. */
export const unitNameOf = (unitId: string, board: Board): string => {
  const fromDocuments = board.documents.ok
    ? board.documents.value.find((d) => d.scopeName !== null)?.scopeName
    : undefined
  const fromEntries = board.entries.find((e) => e.scope === unitId && e.scopeName !== null)?.scopeName
  return fromDocuments ?? fromEntries ?? unitId
}

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

/** The adopting topic: its title when it is on the board, and its id. */
const topicOf = (topicId: string, entries: ReadonlyArray<Entry>): string => {
  const found = entries.find((e) => e.topicId === topicId)
  return found === undefined ? topicId : `${found.title}（${topicId}）`
}

/** 村规民约 — each document's version in force, the earlier ones collapsed (`GET /rule-documents/<unitId>`). */
const RuleDocuments = ({
  documents,
  entries
}: {
  readonly documents: Outcome<ReadonlyArray<RuleDocument>>
  readonly entries: ReadonlyArray<Entry>
}) => (
  <div class="pub-category" data-testid="rule-documents">
    <h2 data-category="rule-documents">
      {t("村规民约（现行版本）", "Village rules and residents' pacts (in force)")}
    </h2>
    {!documents.ok ? (
      <p class="error" data-testid="rule-documents-error">
        {messageIn(documents.error.message)}
      </p>
    ) : documents.value.length === 0 ? (
      <p class="hint" data-testid="rule-documents-empty">
        {t("暂无通过的村规民约。", "No rules adopted yet.")}
      </p>
    ) : (
      documents.value.map((d) => {
        const earlier = d.versions.filter((v) => v.version !== d.current?.version).reverse()
        return (
          <article
            class="pub-entry"
            key={d.id}
            data-testid="rule-document"
            data-document-id={d.id}
            data-version={d.current?.version ?? ""}
            data-adopted-by={d.current?.adoptedBy ?? ""}
            data-adopted={d.current === null ? "" : localDay(d.current.adoptedAt)}
          >
            <h3 data-testid="rule-document-title">{d.title}</h3>
            {d.current === null ? (
              <p class="hint">{t("尚无现行版本。", "No version in force yet.")}</p>
            ) : (
              <>
                <p class="pub-body" data-testid="rule-document-text">
                  {d.current.text}
                </p>
                <p class="hint" data-testid="rule-document-adopted">
                  {t("第", "Version ")}
                  {d.current.version}
                  {t("版", "")} · {t("通过日期", "Adopted")} {localDay(d.current.adoptedAt)} ·{" "}
                  {t("议定议题", "Adopted by topic")} {topicOf(d.current.adoptedBy, entries)}
                </p>
              </>
            )}
            {earlier.length > 0 && (
              <details data-testid="rule-document-history">
                <summary>
                  {t("历次版本", "Earlier versions")} ({earlier.length})
                </summary>
                {earlier.map((v) => (
                  <div key={v.version} data-testid="rule-document-version" data-version={v.version}>
                    <p class="hint">
                      {t("第", "Version ")}
                      {v.version}
                      {t("版", "")} · {t("通过日期", "Adopted")} {localDay(v.adoptedAt)} ·{" "}
                      {t("议定议题", "Adopted by topic")} {topicOf(v.adoptedBy, entries)}
                    </p>
                    <p class="pub-body">{v.text}</p>
                  </div>
                ))}
              </details>
            )}
          </article>
        )
      })
    )}
  </div>
)

export const Publications = ({ unitId }: { readonly unitId: string }) => {
  const [, setLangState] = useState(lang())
  const [entries, setEntries] = useState<Outcome<Board> | null>(null)
  useEffect(() => {
    let live = true
    // the server validates the id (400 naming it when it is not one)
    const within = UnitId.make(unitId, { disableValidation: true })
    void Promise.all([
      call(null, (c) => c.publications.list({ urlParams: { within } })),
      call(null, (c) => c.publications.ruleDocuments({ path: { unitId: within } }))
    ]).then(([list, documents]) => {
      if (live) setEntries(list.ok ? { ok: true, value: { entries: list.value, documents } } : list)
    })
    return () => {
      live = false
    }
  }, [unitId])
  const unitName = entries?.ok ? unitNameOf(unitId, entries.value) : unitId
  useEffect(() => {
    document.title = `${t("公开栏", "Public board")} · ${unitName}`
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
          <h1>
            <span data-testid="publications-unit-name">{unitName}</span> {t("公开栏", "Public board")}
          </h1>
          <p class="hint">
            {t(
              "居务、政务、财务、党务公开与村规民约",
              "Residents', government, finance and party affairs; the pact"
            )}{" "}
            · {t("查看日期", "as of")} {localDay(DateTime.unsafeNow())}
          </p>
          {entries.value.entries.length === 0 ? (
            <p data-testid="publications-empty">{t("暂无公开内容。", "Nothing on display.")}</p>
          ) : (
            byCategory(entries.value.entries).map((group) => (
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
                      {e.scope === unitId ? "" : `${e.scopeName ?? e.scope} · `}
                      {t("发布日期", "Published")} {localDay(e.publishedAt)} ·{" "}
                      {t("公示至", "On display until")} {localDay(e.retainUntil)}
                    </p>
                  </article>
                ))}
              </div>
            ))
          )}
          <RuleDocuments documents={entries.value.documents} entries={entries.value.entries} />
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
