/**
 * Open311 状态映射 — the Open311 page: how case statuses map to Open311
 * `open` / `closed` and FixMyStreet's extended statuses
 * (`@civicgrid/http/Open311` `statusTable`), and which case events publish
 * an update (`eventUpdates`).
 *
 * @since 0.1.0
 */
import * as Case from "@civicgrid/core/Case"
import * as Open311 from "@civicgrid/http/Open311"
import { findModule } from "../internal/exported.js"
import { code, document, notice, table } from "../internal/markdown.js"
import * as Files from "./Files.js"
import type { ModuleDoc } from "./SourceDoc.js"

/**
 * The page path.
 *
 * @since 0.1.0
 * @category constants
 */
export const page = "http/open311-status.md"

/**
 * The Open311 page.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderPage = (modules: ReadonlyArray<ModuleDoc>): string => {
  const module = findModule(modules, "@civicgrid/http", "Open311")
  const eventTags = Case.EventTag.literals
  const update = (tag: (typeof eventTags)[number]): string => {
    const value = Open311.eventUpdates[tag]
    return value === null
      ? "— (internal, not published)"
      : value === "status"
        ? "the case's extended status"
        : code(value)
  }
  return document([
    "# Open311 GeoReport v2 状态映射",
    notice,
    module?.doc?.text ?? "",
    "## Case status → Open311 status",
    "`Open311.statusTable`: one row per case status (one per void reason for `voided`).",
    table(
      ["case status", "中文", "void reason", "Open311 status", "extended status", "note"],
      Open311.statusTable.map((row) => [
        code(row.status),
        Case.statusNames[row.status],
        row.voidReason === undefined ? "" : code(row.voidReason),
        code(row.open311),
        code(row.extended),
        row.note
      ])
    ),
    "## Case event → update",
    "`Open311.eventUpdates`: the update each case event publishes in `servicerequestupdates`.",
    table(
      ["case event", "update"],
      eventTags.map((tag) => [code(tag), update(tag)])
    ),
    "## Extended statuses",
    `\`Open311.extendedStatuses\`: ${Open311.extendedStatuses.map(code).join(", ")}.`
  ])
}

/**
 * The Open311 page of `@civicgrid/http`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (modules: ReadonlyArray<ModuleDoc>): Files.Files =>
  Files.make([[page, renderPage(modules)]])
