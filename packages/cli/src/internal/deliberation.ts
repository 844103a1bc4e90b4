/**
 * 议事协商台账 — the deliberation ledgers behind `import`, `export` and
 * `template --list meetings|publications`, loaded only when one of them runs:
 *
 * - **meetings 会议记录台账** — each row is a topic and the meeting that
 *   deliberated it: the `Deliberation` commands 提出议题 → 列入议程 → 召开会议
 *   (`MeetingLedger.toCommands`) carried out through the core's use case
 *   `DeliberationRepository.handle`.
 * - **publications 公开台账** — each row publishes a concluded topic's outcome
 *   (居务/政务/财务/党务公开, 村规民约) and, with a 撤回时间, withdraws it
 *   (`PublicationLedger.toCommands`), through the same use case; a row without
 *   a topic (议题编号 empty, 公开范围 given) is a standalone disclosure 单独公开
 *   — a monthly 财务公开 no meeting produced (`Deliberation.Disclose`).
 *
 * The operator `--actor` (with `--role`, default community-staff) issues the
 * commands, acting for the root of the stored hierarchy; the decider's
 * configuration is the core's defaults (`Proposal.defaultRule`,
 * `Meeting.defaultKinds`) over the stored hierarchy. Every row is decided by
 * the core first: a refusal (a meeting kind not configured, an attendee not
 * invited, the quorum not met, personal data in public text, a topic not
 * concluded …) is shown at its row and column and nothing is appended; then
 * the commands are appended in one transaction. Rows the stored topic
 * already holds give no command: importing the same file again appends
 * nothing. Export writes the stored topics (within a jurisdiction with
 * `--within`) as import reads them back.
 */
import { type Actor, ActorId, type Role, roleNames } from "@civicgrid/core/Actor"
import type * as Deliberation from "@civicgrid/core/Deliberation"
import * as DeliberationRepository from "@civicgrid/core/DeliberationRepository"
import type * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import type * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as Meeting from "@civicgrid/core/Meeting"
import * as Proposal from "@civicgrid/core/Proposal"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import type * as Ledger from "@civicgrid/ledger/Ledger"
import * as MeetingLedger from "@civicgrid/ledger/MeetingLedger"
import * as PublicationLedger from "@civicgrid/ledger/PublicationLedger"
import type * as Xlsx from "@civicgrid/ledger/Xlsx"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlDeliberationRepository from "@civicgrid/sql/SqlDeliberationRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as LedgerFile from "../LedgerFile.js"
import * as Lists from "./lists.js"

/** The kinds of deliberation ledger (`LedgerFile.deliberationKinds`). */
export type Kind = LedgerFile.DeliberationKind

/**
 * 须指明操作人 — the deliberation ledgers record who held the meeting or
 * published: `--actor` is missing, or not a person id.
 */
export class DeliberationActorRequired extends Schema.TaggedError<DeliberationActorRequired>()(
  "DeliberationActorRequired",
  { kind: Schema.String, given: Schema.String }
) {
  override get message(): string {
    return this.given === ""
      ? `须指明操作人 — the ${this.kind} ledger is recorded as the operator: pass --actor <人员编号> (and --role, ` +
          "default community-staff); the topics' events name who recorded them; nothing was written"
      : `操作人编号无效 --actor "${this.given.slice(0, 40)}" — not a person id (1–128 characters on one line); nothing was written`
  }
}

/** Why a deliberation import or export wrote nothing. */
export type DeliberationError =
  | Lists.DecodeError
  | LedgerFile.DatabaseNotReady
  | LedgerFile.UnsupportedFormat
  | Migrations.DatabaseTooNew
  | Hierarchy.UnitNotFound
  | DeliberationRepository.DeliberationConcurrencyConflict
  | Deliberation.DeliberationReplayError
  | DeliberationActorRequired
  | Ledger.LedgerExportError
  | Xlsx.XlsxWriteError
  | StorageUnavailable
  | SqlError

/** The deliberation store and the list stores (the hierarchy) on the ambient `SqlClient`. */
export const layerStores = Layer.merge(SqlDeliberationRepository.layer, Lists.layerStores)

/** The stores a deliberation import or export needs. */
export type Stores =
  | DeliberationRepository.DeliberationRepository
  | HierarchyRepository.HierarchyRepository
  | GridRepository.GridRepository
  | SqlClient.SqlClient

/** What an importer is given (as `organization.Input`, with the operator). */
export interface Input {
  readonly file: string
  readonly format: LedgerFile.InputFormat
  readonly bytes: Uint8Array
  readonly sheet?: string | number
  readonly database: string
  readonly actor: string | undefined
  readonly role: Role
  readonly progress: (done: number, total: number) => void
}

/** What an importer did (as `organization.Result`). */
export interface Result {
  readonly rows: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly skipped: ReadonlyArray<Ledger.SkippedRow>
  readonly notes: ReadonlyArray<string>
}

/** The stored hierarchy (the database must hold one), its root and its unit names. */
const stored = (database: string) =>
  Effect.gen(function* () {
    yield* Lists.ready(database, { hierarchy: true })
    const { hierarchy } = yield* Lists.known(database)
    return { hierarchy, root: Hierarchy.root(hierarchy).id, units: Lists.unitsOf(hierarchy) }
  })

/** The operator, acting for the root of the hierarchy. */
const operatorOf = (kind: Kind, input: Input, root: string) =>
  Effect.gen(function* () {
    const given = input.actor?.trim() ?? ""
    if (given === "" || !Schema.is(ActorId)(given))
      return yield* new DeliberationActorRequired({ kind, given })
    const actor: Actor = { id: given, role: input.role, unitId: root as Actor["unitId"] }
    return actor
  })

/** The decider's configuration: the core's defaults over the stored hierarchy. */
const configOf = (database: string) =>
  Effect.catchTag(
    DeliberationRepository.configWith({ proposal: Proposal.defaultRule, meetingKinds: Meeting.defaultKinds }),
    "HierarchyNotFound",
    () =>
      new LedgerFile.DatabaseNotReady({
        database,
        reason: "no-hierarchy",
        version: Migrations.latestVersion,
        latest: Migrations.latestVersion
      })
  )

const importWith =
  <A>(
    kind: Kind,
    spec: Ledger.LedgerSpec<A>,
    importRows: (
      report: Ledger.ImportReport<A>,
      options: MeetingLedger.ImportOptions
    ) => Effect.Effect<MeetingLedger.Counts, DeliberationError, DeliberationRepository.DeliberationRepository>
  ) =>
  (input: Input): Effect.Effect<Result, DeliberationError, Stores> =>
    Effect.gen(function* () {
      const { root, units } = yield* stored(input.database)
      const actor = yield* operatorOf(kind, input, root)
      if (input.format === "geojson")
        return yield* new LedgerFile.UnsupportedFormat({ file: input.file, extension: ".geojson" })
      const report = yield* Lists.decode(spec, input.format, input.bytes, input.file, {
        units,
        ...(input.sheet === undefined ? {} : { sheet: input.sheet })
      })
      const sql = yield* SqlClient.SqlClient
      const counts = yield* sql.withTransaction(
        importRows(report, { actor, config: yield* configOf(input.database), progress: input.progress })
      )
      const result: Result = {
        rows: report.rows.length,
        ...counts,
        skipped: report.skipped,
        notes: [
          `操作人 ${actor.id}（${roleNames[actor.role]}）经议事协商用例写入 — recorded through ` +
            `DeliberationRepository.handle as ${actor.id} (${actor.role})`
        ]
      }
      return result
    })

/** 议事协商导入器 — one per kind. */
export const importers: {
  readonly [K in Kind]: (input: Input) => Effect.Effect<Result, DeliberationError, Stores>
} = {
  meetings: importWith("meetings", MeetingLedger.spec, (report, options) =>
    MeetingLedger.importRows(report, options)
  ),
  publications: importWith("publications", PublicationLedger.spec, PublicationLedger.importRows)
}

// ---------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------

/** What an exporter wrote. */
export interface Written {
  readonly bytes: Uint8Array
  readonly rows: number
}

/** The topics within the unit `--within` names (by id, name or path), or every topic. */
const topicsWithin = (database: string, within: string | undefined) =>
  Effect.gen(function* () {
    const { hierarchy, units } = yield* stored(database)
    const store = yield* DeliberationRepository.DeliberationRepository
    if (within === undefined) return yield* store.topics()
    const found = units.resolve(within)
    if (found._tag !== "Found" || !Hierarchy.has(hierarchy, found.id))
      return yield* new Hierarchy.UnitNotFound({ unitId: within })
    return yield* store.topics({ within: found.id })
  })

const exportWith =
  <A>(spec: Ledger.LedgerSpec<A>, rowsOf: (topics: ReadonlyArray<Deliberation.Topic>) => ReadonlyArray<A>) =>
  (
    database: string,
    format: LedgerFile.Format,
    within: string | undefined
  ): Effect.Effect<Written, DeliberationError, Stores> =>
    Effect.gen(function* () {
      const rows = rowsOf(yield* topicsWithin(database, within))
      const written: Written = { bytes: yield* Lists.encode(spec, format, rows), rows: rows.length }
      return written
    })

/** 议事协商导出器 — one per kind: the stored topics (within a jurisdiction), as import reads them back. */
export const exporters: {
  readonly [K in Kind]: (
    database: string,
    format: LedgerFile.Format,
    within: string | undefined
  ) => Effect.Effect<Written, DeliberationError, Stores>
} = {
  meetings: exportWith(MeetingLedger.spec, MeetingLedger.fromTopics),
  publications: exportWith(PublicationLedger.spec, PublicationLedger.fromTopics)
}
