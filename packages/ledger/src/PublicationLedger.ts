/**
 * 公开台账 — the publication ledger (居务公开, 政务公开, 财务公开, 党务公开,
 * 村规民约): one row per topic 议题 whose outcome is published — the topic, the
 * scope 公开范围 (the topic's unit), the category (by id or Chinese name:
 * 居务公开 or 居务, 财务公开 or 财务 …), the title and text, when it was
 * published 发布时间 and until when it stays on display 公示截止 (empty: the
 * category's retention, `Publication.defaultRetentionDays`), and — once
 * withdrawn 撤回 — when and why.
 *
 * Import goes through the core: a row is the `Deliberation` commands 公开
 * (`Publish`) and, with a 撤回时间, 撤回公开 (`WithdrawPublication`), carried out
 * by the use case `DeliberationRepository.handle` as the operator who
 * imports. A named topic must be stored and concluded (implemented, not carried,
 * rejected, or withdrawn to be published again); no personal data in public
 * text; the display must end after publication; a withdrawal needs its
 * reason — the core's rules, refused at the row and column they concern,
 * nothing appended while any row is refused. A row the topic already holds
 * gives no command: importing the same sheet again appends nothing; a row
 * that adds a withdrawal to a stored publication only withdraws it.
 *
 * A row without a topic (议题编号 empty) is a standalone disclosure 单独公开 —
 * a village's monthly 财务公开 or a 政务公开 notice that no meeting produced:
 * its 公开范围 is required and the row is the core's 单独公开 (`Disclose`),
 * under a topic id derived from the scope, category, title and publication
 * time ({@link disclosureId}), so importing the sheet again appends nothing.
 *
 * Export (`fromTopics`) writes every topic's current publication (withdrawn
 * ones too) to the same columns, a disclosure under its topic id. 公开范围 is
 * the topic's unit: written by export, ignored by import for a row with a
 * topic.
 *
 * @since 0.1.0
 */
import type { Actor } from "@civicgrid/core/Actor"
import * as Deliberation from "@civicgrid/core/Deliberation"
import type * as DeliberationRepository from "@civicgrid/core/DeliberationRepository"
import * as Publication from "@civicgrid/core/Publication"
import * as Text from "@civicgrid/core/Text"
import { UnitId } from "@civicgrid/core/Unit"
import * as DateTime from "effect/DateTime"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as internal from "./internal/deliberation.js"
import { kindByName } from "./internal/org.js"
import * as Ledger from "./Ledger.js"

/**
 * 常见写法 — what staff write for the categories, beside their ids and
 * Chinese names.
 *
 * @since 0.1.0
 * @category constants
 */
export const categorySynonyms: Readonly<Record<Publication.Category, ReadonlyArray<string>>> = {
  "residents-affairs": ["居务", "村务", "村务公开"],
  "government-affairs": ["政务"],
  finance: ["财务"],
  "party-affairs": ["党务"],
  "rule-document": ["居民公约", "村规民约/居民公约", "规约"]
}

const categories = Publication.Category.literals.map((id) => ({
  id,
  zh: Publication.categoryNames[id],
  en: id
}))

/**
 * 公开台账行 — a topic's publication as a row; without a topic (`id`
 * absent) a standalone disclosure, which needs its scope. A withdrawal reason
 * needs its 撤回时间.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PublicationRow = Schema.Struct({
  id: Schema.optionalWith(Deliberation.TopicId, { exact: true }),
  scope: Schema.optionalWith(UnitId, { exact: true }),
  category: kindByName(Publication.Category, categories, categorySynonyms),
  title: Text.line(Text.limits.title),
  body: Text.Description,
  publishedAt: Schema.DateTimeUtc,
  retainUntil: Schema.optionalWith(Schema.DateTimeUtc, { exact: true }),
  withdrawnAt: Schema.optionalWith(Schema.DateTimeUtc, { exact: true }),
  withdrawReason: Schema.optionalWith(Text.Note, { exact: true })
})
  .pipe(
    Schema.filter(
      (row) =>
        row.withdrawReason === undefined ||
        row.withdrawnAt !== undefined ||
        "填写撤回原因时须填写撤回时间 (a withdrawal reason needs its 撤回时间)"
    ),
    Schema.filter(
      (row) =>
        row.id !== undefined ||
        row.scope !== undefined ||
        "议题编号为空的单独公开须填写公开范围 (a row without a topic is a standalone disclosure and needs its 公开范围)"
    )
  )
  .annotations({ identifier: "PublicationRow", title: "公开台账行 publication row" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PublicationRow extends Schema.Schema.Type<typeof PublicationRow> {}

/**
 * 公开台账 — the spec.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<PublicationRow> = Ledger.make({
  sheet: "公开台账",
  schema: PublicationRow,
  headers: {
    id: "议题编号",
    scope: { header: "公开范围", reference: "unit" },
    category: { header: "公开类别", labels: Publication.categoryNames },
    title: { header: "公开标题", width: 30 },
    body: { header: "公开内容", width: 60 },
    publishedAt: "发布时间",
    retainUntil: "公示截止",
    withdrawnAt: "撤回时间",
    withdrawReason: { header: "撤回原因", width: 30 }
  }
})

// -----------------------------------------------------------------------------
// export
// -----------------------------------------------------------------------------

/**
 * The row of a topic's current publication (`undefined` when it has none).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toRow = (topic: Deliberation.Topic): PublicationRow | undefined => {
  const p = topic.publication
  if (p === null) return undefined
  return {
    id: topic.id,
    scope: p.scope,
    category: p.category,
    title: p.title,
    body: p.body,
    publishedAt: p.publishedAt,
    retainUntil: p.retainUntil,
    ...(p.withdrawnAt === undefined ? {} : { withdrawnAt: p.withdrawnAt }),
    ...(p.withdrawReason === undefined ? {} : { withdrawReason: p.withdrawReason })
  }
}

/**
 * The rows of the topics with a publication, sorted by topic id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromTopics = (topics: Iterable<Deliberation.Topic>): ReadonlyArray<PublicationRow> =>
  Array.from(topics)
    .flatMap((t) => {
      const row = toRow(t)
      return row === undefined ? [] : [row]
    })
    .sort((a, b) => (topicOf(a) < topicOf(b) ? -1 : topicOf(a) > topicOf(b) ? 1 : 0))

// -----------------------------------------------------------------------------
// import
// -----------------------------------------------------------------------------

/** FNV-1a, 64 bits, of a string's UTF-16 code units: a stable digest, not a secret. */
const digest = (text: string): string => {
  let h = 0xcbf29ce484222325n
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i))
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return h.toString(16).padStart(16, "0")
}

/**
 * 单独公开编号 — the topic id of a row without one: `disclosure-` and a
 * digest of its scope, category, title and publication time, the same for the
 * same row on every import.
 *
 * @since 0.1.0
 * @category constructors
 */
export const disclosureId = (row: PublicationRow): Deliberation.TopicId =>
  Deliberation.TopicId.make(
    `disclosure-${digest(JSON.stringify([row.scope ?? "", row.category, row.title, DateTime.formatIso(row.publishedAt)]))}`
  )

/**
 * The topic of a row: its id, or for a standalone disclosure {@link disclosureId}.
 *
 * @since 0.1.0
 * @category getters
 */
export const topicOf = (row: PublicationRow): Deliberation.TopicId => row.id ?? disclosureId(row)

const same = (a: DateTime.Utc | undefined, b: DateTime.Utc | undefined): boolean =>
  a === undefined || b === undefined ? a === b : DateTime.Equivalence(a, b)

/**
 * 议事指令 — the commands that bring a topic's publication (as stored) to
 * what the row says, as `actor`: none when it holds it already; 撤回公开 alone
 * when the stored publication is the row's and only the withdrawal is new;
 * for a row without a topic not yet stored 单独公开 (`Disclose`, and 撤回公开
 * with a 撤回时间); else 公开 (and 撤回公开 with a 撤回时间), which the core
 * decides.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toCommands = (
  row: PublicationRow,
  state: Deliberation.State,
  actor: Actor
): ReadonlyArray<Deliberation.Command> => {
  const meta = { topicId: topicOf(row), actor }
  const publish: Deliberation.Command = {
    _tag: "Publish",
    ...meta,
    at: row.publishedAt,
    category: row.category,
    title: row.title,
    body: row.body,
    ...(row.retainUntil === undefined ? {} : { retainUntil: row.retainUntil })
  }
  const withdraw: ReadonlyArray<Deliberation.Command> =
    row.withdrawnAt === undefined
      ? []
      : [{ _tag: "WithdrawPublication", ...meta, at: row.withdrawnAt, reason: row.withdrawReason ?? "" }]
  if (state._tag === "NoTopic" && row.id === undefined && row.scope !== undefined)
    return [
      {
        _tag: "Disclose",
        ...meta,
        at: row.publishedAt,
        unitId: row.scope,
        category: row.category,
        title: row.title,
        body: row.body,
        ...(row.retainUntil === undefined ? {} : { retainUntil: row.retainUntil })
      },
      ...withdraw
    ]
  const stored = state._tag === "Topic" ? state.publication : null
  if (
    stored === null ||
    stored.category !== row.category ||
    stored.title !== row.title ||
    stored.body !== row.body ||
    !DateTime.Equivalence(stored.publishedAt, row.publishedAt) ||
    (row.retainUntil !== undefined && !DateTime.Equivalence(stored.retainUntil, row.retainUntil))
  )
    return [publish, ...withdraw]
  if (stored.withdrawnAt === undefined) return withdraw
  if (same(stored.withdrawnAt, row.withdrawnAt) && stored.withdrawReason === row.withdrawReason) return []
  // withdrawn otherwise than the row says: what the row asks is for the core to decide
  return row.withdrawnAt === undefined ? [publish] : withdraw
}

/**
 * The column a refusal of the core concerns.
 *
 * @since 0.1.0
 * @category utils
 */
export const fieldOf = (refused: Deliberation.DeliberationRefused): string => {
  const withdrawing = refused.command === "WithdrawPublication"
  const disclosing = refused.command === "Disclose"
  switch (refused.rule) {
    case "unknown-unit":
      return "scope"
    case "topic-not-found":
    case "topic-id":
    case "jurisdiction":
      return disclosing ? "scope" : "id"
    case "status":
      return withdrawing ? "withdrawnAt" : "id"
    case "title-required":
      return "title"
    case "personal-data":
      return "body"
    case "retention":
      return "retainUntil"
    case "reason-required":
      return "withdrawReason"
    case "time-order":
      return withdrawing ? "withdrawnAt" : "publishedAt"
    default:
      return ""
  }
}

/**
 * 导入选项 — the operator 操作人 who publishes (staff acting for a unit the
 * topics lie within), the decider's configuration and a progress callback.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportOptions {
  readonly actor: Actor
  readonly config: Deliberation.Config
  readonly progress?: (done: number, total: number) => void
}

/**
 * 导入 — the rows of a report through `DeliberationRepository.handle`: every
 * refusal of the core at its row and column (`LedgerImportError`, nothing
 * appended); rows already stored are unchanged.
 *
 * @since 0.1.0
 * @category import
 */
export const importRows = (
  report: Ledger.ImportReport<PublicationRow>,
  options: ImportOptions
): Effect.Effect<internal.Counts, internal.ImportError, DeliberationRepository.DeliberationRepository> =>
  internal.run(
    spec,
    report,
    {
      topicOf,
      commands: (row, state) => toCommands(row, state, options.actor),
      fieldOf
    },
    options.config,
    options.progress
  )

/**
 * 导入结果 — rows whose topic was new (standalone disclosures 单独公开; a row
 * naming a topic needs it stored), rows that moved a stored topic, rows
 * already stored.
 *
 * @since 0.1.0
 * @category models
 */
export type Counts = internal.Counts
