/**
 * 联户走访台账 — the people ledgers behind `import` and `export --list
 * visits|key-groups|access-log`, loaded only when one of them runs:
 *
 * - **visits 走访台账** — import: each row is the core's `Visit.RecordVisit`
 *   and goes through `PeopleRepository.recordVisit` (the visitor's
 *   jurisdiction and grids, the plan, the position), all rows in one
 *   transaction: every refusal of every row is collected, with its row
 *   number, and then nothing is stored. A row equal to a stored visit is
 *   unchanged (visits are recorded once); export: the stored visits.
 * - **key-groups 重点人群台账** — import: residents and enrolments, checked by
 *   the core's enrolment rules (`PeopleRepository.checkEnrolmentWrite`) and
 *   the store's own writes, in one transaction, refusals by row; a 户（门牌）
 *   that is not the stored household's label is refused (a mistyped 户编号).
 *   Export reads members only through `PeopleRepository.readMembers` — the
 *   access decision and one access-log entry per category read, as the HTTP
 *   member read — as the operator `--actor` (with `--role`) for the purpose
 *   `--reason` (required); masked unless `--identity` — the read asks the
 *   store for masked data, so the access log records a masked read.
 * - **access-log 访问日志台账** — export only, for the audit roles
 *   (`KeyGroupAccess.mayAudit`).
 *
 * Residents are sealed with the keyring of `CIVICGRID_PEOPLE_KEYS`
 * (`PeopleCipher`); key-groups without it is `PeopleKeysMissing`. Visits and
 * the access log touch no resident: without the variable they run on a
 * keyring of one random key that never seals anything.
 */
import { randomBytes } from "node:crypto"
import * as Actor from "@civicgrid/core/Actor"
import type * as GridRepository from "@civicgrid/core/GridRepository"
import { GridRepository as GridRepositoryTag } from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import type * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import * as KeyGroup from "@civicgrid/core/KeyGroup"
import * as KeyGroupAccess from "@civicgrid/core/KeyGroupAccess"
import * as PeopleRepository from "@civicgrid/core/PeopleRepository"
import type * as Resident from "@civicgrid/core/Resident"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Text from "@civicgrid/core/Text"
import * as TimeOrderedId from "@civicgrid/core/TimeOrderedId"
import type * as Visit from "@civicgrid/core/Visit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as AccessLogLedger from "@civicgrid/ledger/AccessLogLedger"
import * as Csv from "@civicgrid/ledger/Csv"
import * as KeyGroupLedger from "@civicgrid/ledger/KeyGroupLedger"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as VisitLedger from "@civicgrid/ledger/VisitLedger"
import * as Xlsx from "@civicgrid/ledger/Xlsx"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as PeopleCipher from "@civicgrid/sql/PeopleCipher"
import * as SqlPeopleRepository from "@civicgrid/sql/SqlPeopleRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Config from "effect/Config"
import type { ConfigError } from "effect/ConfigError"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as LedgerFile from "../LedgerFile.js"
import * as Lists from "./lists.js"

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

/**
 * 未配置加密密钥 — the people ledger needs the residents' keyring and
 * `CIVICGRID_PEOPLE_KEYS` is not set.
 */
export class PeopleKeysMissing extends Schema.TaggedError<PeopleKeysMissing>()("PeopleKeysMissing", {
  kind: Schema.String,
  variable: Schema.String
}) {
  override get message(): string {
    return (
      `未配置居民信息加密密钥 ${this.variable} — the ${this.kind} ledger reads or writes residents, which are ` +
      `sealed with the keyring of ${this.variable} (<id>:<base64 of 32 bytes>, the first current): set it to the ` +
      "keys the database was written with; nothing was read or written"
    )
  }
}

/**
 * 缺少操作人或目的 — an option the people ledger needs: `--actor` (who reads
 * or imports: the access log names them) or `--reason` (the purpose of
 * reading key-group members, PIPL 第六条).
 */
export class PeopleOptionRequired extends Schema.TaggedError<PeopleOptionRequired>()("PeopleOptionRequired", {
  kind: Schema.String,
  option: Schema.Literal("--actor", "--reason")
}) {
  override get message(): string {
    return this.option === "--reason"
      ? `导出重点人群台账须说明处理目的 — exporting the ${this.kind} ledger reads key-group members and needs ` +
          "a purpose: pass --reason <处理目的>, e.g. --reason 九月份入户走访 (rule purpose-required); nothing was read"
      : `须指明操作人 — the ${this.kind} ledger needs the operator: pass --actor <人员编号> (and --role); ` +
          "the access log records who read or wrote; nothing was read or written"
  }
}

/** 处理目的无效 — `--reason` is longer than a note (`Text.limits.note`) or holds control characters. */
export class ReasonInvalid extends Schema.TaggedError<ReasonInvalid>()("ReasonInvalid", {
  length: Schema.Int
}) {
  override get message(): string {
    return `处理目的无效 --reason (${this.length} characters): at most ${Text.limits.note} characters, no control characters (rule purpose-format); nothing was read`
  }
}

/** 重点人群类别不存在 — `--category` names no category of the catalogue (by id or Chinese name). */
export class CategoryUnknown extends Schema.TaggedError<CategoryUnknown>()("CategoryUnknown", {
  category: Schema.String
}) {
  override get message(): string {
    return (
      `重点人群类别「${this.category.slice(0, 40)}」不存在 — unknown key-group category (rule unknown-category); ` +
      `--category takes ${KeyGroup.defaultCatalogue.categories.map((c) => `${c.id} ${c.name}`).join(", ")}; nothing was read`
    )
  }
}

/** 无权审计 — the access log is read by the audit roles only (`KeyGroupAccess.auditRoles`). */
export class AuditRefused extends Schema.TaggedError<AuditRefused>()("AuditRefused", {
  actor: Actor.Actor
}) {
  override get message(): string {
    return (
      `${Actor.roleNames[this.actor.role]} ${this.actor.id} 无权查看访问日志 — the access log is for ` +
      `${KeyGroupAccess.auditRoles.map((r) => `${Actor.roleNames[r]} ${r}`).join(", ")} (--role); ` +
      `${this.actor.role} may not read it (rule audit-role)`
    )
  }
}

/**
 * 无权查看完整身份信息 — `--identity` was asked for, and the role's grant of a
 * category does not carry the identity right (the read returned masked data;
 * it is in the access log). Nothing was written.
 */
export class IdentityNotGranted extends Schema.TaggedError<IdentityNotGranted>()("IdentityNotGranted", {
  actor: Actor.Actor,
  categoryId: Schema.String
}) {
  override get message(): string {
    return (
      `${Actor.roleNames[this.actor.role]} 无权查看「${this.categoryId}」的完整身份信息 — the grant of ` +
      `${this.actor.role} for ${this.categoryId} does not carry the identity right (rule identity-not-granted); ` +
      "export without --identity for the masked ledger; nothing was written"
    )
  }
}

/** Why a people import or export wrote nothing. */
export type PeopleError =
  | Lists.DecodeError
  | LedgerFile.DatabaseNotReady
  | Migrations.DatabaseTooNew
  | PeopleKeysMissing
  | PeopleOptionRequired
  | ActorInvalid
  | ReasonInvalid
  | CategoryUnknown
  | AuditRefused
  | IdentityNotGranted
  | KeyGroupAccess.AccessDenied
  | HierarchyRepository.HierarchyNotFound
  | Hierarchy.UnitNotFound
  | Ledger.LedgerExportError
  | Xlsx.XlsxWriteError
  | StorageUnavailable
  | ConfigError
  | SqlError

// ---------------------------------------------------------------------------
// kinds, operator, stores
// ---------------------------------------------------------------------------

/** The kinds of people ledger (`LedgerFile.peopleKinds`). */
export type Kind = LedgerFile.PeopleKind

/** 操作人 — who runs the command, as `--actor`, `--role`, `--reason`, `--identity` give it. */
export interface Operator {
  readonly actor: string | undefined
  readonly role: Actor.Role
  readonly reason: string | undefined
  readonly identity: boolean
  /** 类别 — key-groups: read only this category (by id or Chinese name); default every category. */
  readonly category?: string | undefined
}

/** The people store and the list stores on the ambient `SqlClient`, residents sealed with `keyring`. */
export const layerStores = (keyring: PeopleCipher.Keyring) =>
  Layer.provideMerge(SqlPeopleRepository.layer({ keyring }), Lists.layerStores)

/**
 * 密钥环 — `CIVICGRID_PEOPLE_KEYS`; for a kind that touches no resident
 * (visits, the access log) without the variable, a keyring of one random key
 * (it seals nothing). An invalid configured keyring is a `ConfigError`.
 */
export const keyring = (kind: Kind): Effect.Effect<PeopleCipher.Keyring, PeopleKeysMissing | ConfigError> =>
  Effect.flatMap(Config.option(PeopleCipher.config()), (configured) => {
    if (Option.isSome(configured)) return Effect.succeed(configured.value)
    if (kind === "key-groups")
      return Effect.fail(new PeopleKeysMissing({ kind, variable: "CIVICGRID_PEOPLE_KEYS" }))
    const key = Redacted.make(randomBytes(32).toString("base64"))
    return Effect.succeed(Either.getOrThrow(PeopleCipher.makeKeyring("unused", [{ id: "unused", key }])))
  })

/** 操作人编号无效 — `--actor` is not a person id (`Actor.ActorId`: one line, at most 128 characters). */
export class ActorInvalid extends Schema.TaggedError<ActorInvalid>()("ActorInvalid", {
  actor: Schema.String
}) {
  override get message(): string {
    return `操作人编号无效 --actor "${this.actor.slice(0, 40)}" is not a person id (one line, at most 128 characters; rule actor-id)`
  }
}

const actorOf = (kind: Kind, operator: Operator, unitId: Actor.Actor["unitId"]) =>
  Effect.gen(function* () {
    const id = operator.actor?.trim()
    if (id === undefined || id.length === 0)
      return yield* new PeopleOptionRequired({ kind, option: "--actor" })
    return yield* Schema.decodeUnknown(Actor.Actor)({ id, role: operator.role, unitId }).pipe(
      Effect.mapError(() => new ActorInvalid({ actor: id }))
    )
  })

// ---------------------------------------------------------------------------
// reading with row numbers
// ---------------------------------------------------------------------------

/** What an importer is given (as `baseData.Input`). */
export interface Input {
  readonly file: string
  readonly format: LedgerFile.InputFormat
  readonly bytes: Uint8Array
  readonly sheet?: string | number
  readonly database: string
  readonly operator: Operator
  readonly progress: (done: number, total: number) => void
}

/** The rows of an accepted ledger, each with its row number as the user sees it and the header's columns. */
interface Numbered<A> {
  readonly sheet: string
  readonly rows: ReadonlyArray<{ readonly row: number; readonly value: A }>
  readonly skipped: ReadonlyArray<Ledger.SkippedRow>
  /** The column letter of each header in the file. */
  readonly letters: ReadonlyMap<string, string>
}

const peopleKinds: ReadonlyArray<Ledger.LedgerKind> = [
  ...Lists.kinds,
  VisitLedger.spec,
  KeyGroupLedger.spec,
  KeyGroupLedger.maskedSpec,
  AccessLogLedger.spec
]

const isBlank = (row: Ledger.SourceRow): boolean =>
  row.cells.every((c) => c === null || (typeof c === "string" && c.trim() === ""))

/**
 * Reads a ledger as `Lists.decode` does (limits, header, every cell), and
 * keeps each row's number: the data rows are those below the header that
 * import did not skip.
 */
const readNumbered = <A>(
  spec: Ledger.LedgerSpec<A>,
  input: Input,
  units: Ledger.UnitResolver
): Effect.Effect<Numbered<A>, Lists.DecodeError | LedgerFile.UnsupportedFormat> =>
  Effect.gen(function* () {
    if (input.format === "geojson")
      return yield* new LedgerFile.UnsupportedFormat({ file: input.file, extension: ".geojson" })
    const options: Ledger.Options = {
      file: input.file,
      kinds: peopleKinds,
      units,
      ...(input.sheet === undefined ? {} : { sheet: input.sheet })
    }
    const { sheet, rows } =
      input.format === "csv"
        ? { sheet: spec.sheet, rows: yield* Csv.parseRows(input.bytes, options) }
        : yield* Xlsx.readSheet(spec, input.bytes, options)
    const report = yield* Ledger.importRows(spec, rows, options)
    const nonBlank = rows.filter((r) => !isBlank(r))
    const match = Ledger.matchHeader(spec, rows, options)
    const header = nonBlank[match.index === -1 ? 0 : match.index]
    const headerRow = header?.row ?? 1
    const skipped = new Set(report.skipped.map((s) => s.row))
    const numbers = rows.filter((r) => r.row > headerRow && !skipped.has(r.row)).map((r) => r.row)
    const letters = new Map<string, string>()
    header?.cells.forEach((cell, i) => {
      if (typeof cell === "string" && !letters.has(cell.trim()))
        letters.set(cell.trim(), Ledger.columnLetter(i))
    })
    return {
      sheet,
      rows: report.rows.map((value, i) => ({
        row: numbers.length === report.rows.length ? (numbers[i] ?? headerRow + 1 + i) : headerRow + 1 + i,
        value
      })),
      skipped: report.skipped,
      letters
    }
  })

/** A problem of a row found by the core, at the column of `field` (none for a whole-row rule). */
const problem = <A>(
  spec: Ledger.LedgerSpec<A>,
  numbered: Numbered<A>,
  row: number,
  field: string,
  message: string,
  value = ""
): Ledger.RowProblem => {
  const column = spec.columns.find((c) => c.field === field)
  return {
    row,
    column: column === undefined ? "" : (numbered.letters.get(column.header) ?? ""),
    header: column?.header ?? "",
    field: column === undefined ? "" : field,
    rule: column === undefined ? "row" : "invalid",
    message,
    value: value.slice(0, 60)
  }
}

const refuseRows = <A>(
  numbered: Numbered<A>,
  problems: ReadonlyArray<Ledger.RowProblem>
): Effect.Effect<void, Ledger.LedgerImportError> =>
  problems.length === 0
    ? Effect.void
    : Effect.fail(
        new Ledger.LedgerImportError({
          sheet: numbered.sheet,
          headerProblems: [],
          rowProblems: [...problems].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column))
        })
      )

/** What an importer did (as `baseData.Result`). */
export interface Result {
  readonly rows: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly skipped: ReadonlyArray<Ledger.SkippedRow>
  readonly notes: ReadonlyArray<string>
}

/**
 * The stored hierarchy (the database must hold one), its unit names, and the
 * unit `--within` names (by id, name or path; default the root) — an unknown
 * or ambiguous one is `UnitNotFound`.
 */
const stored = (database: string, within?: string) =>
  Effect.gen(function* () {
    yield* Lists.ready(database, { hierarchy: true })
    const { hierarchy } = yield* Lists.known(database)
    const root = Hierarchy.root(hierarchy)
    const units = Lists.unitsOf(hierarchy)
    const found = within === undefined ? undefined : units.resolve(within)
    const unit =
      found === undefined
        ? root
        : found._tag === "Found"
          ? Option.getOrUndefined(Hierarchy.get(hierarchy, found.id))
          : undefined
    if (unit === undefined) return yield* new Hierarchy.UnitNotFound({ unitId: within ?? "" })
    return { hierarchy, root: root.id, units, unitId: unit.id }
  })

// ---------------------------------------------------------------------------
// visits
// ---------------------------------------------------------------------------

/**
 * Remembers what a read returns, by its arguments — for the reads
 * `recordVisit` makes of households, links, contacts, plans and grids while a
 * file is imported in one transaction, where only visits are written: every
 * row is still checked by the core, without reading the same jurisdiction
 * again for each row.
 */
const remember = <Args extends ReadonlyArray<unknown>, A, E, R>(
  read: (...args: Args) => Effect.Effect<A, E, R>
): ((...args: Args) => Effect.Effect<A, E, R>) => {
  const seen = new Map<string, A>()
  return (...args) => {
    const key = JSON.stringify(args)
    const hit = seen.get(key)
    return hit !== undefined
      ? Effect.succeed(hit)
      : Effect.tap(read(...args), (a) => Effect.sync(() => seen.set(key, a)))
  }
}

/** The people and grid stores with the reads `recordVisit` makes remembered (see `remember`). */
const rememberingReads = Effect.gen(function* () {
  const people = yield* PeopleRepository.PeopleRepository
  const grids = yield* GridRepositoryTag
  return Layer.merge(
    Layer.succeed(PeopleRepository.PeopleRepository, {
      ...people,
      households: remember(people.households),
      links: remember(people.links),
      contacts: remember(people.contacts),
      plans: remember(people.plans)
    }),
    Layer.succeed(GridRepositoryTag, { ...grids, snapshot: remember(grids.snapshot) })
  )
})

/** The column of a `Visit.Violation`'s field (`followUps.0.title` → the follow-ups column). */
const visitField = (field: string): string =>
  field === "visitor" ? "visitorId" : field.startsWith("followUps") ? "followUps" : field

const importVisits = (input: Input) =>
  Effect.gen(function* () {
    const { units, root } = yield* stored(input.database)
    const spec = VisitLedger.spec
    const numbered = yield* readNumbered(spec, input, units)
    const people = yield* PeopleRepository.PeopleRepository
    const before = new Map((yield* people.visits({ within: root })).map((v) => [v.id as string, v]))
    const unchanged = numbered.rows.filter(({ value }) => {
      const old = before.get(value.id)
      return old !== undefined && Lists.sameRow(spec, VisitLedger.toRow(old), value)
    })
    const fresh = numbered.rows.filter((r) => !unchanged.includes(r))
    const sql = yield* SqlClient.SqlClient
    input.progress(0, fresh.length)
    const remembering = yield* rememberingReads
    yield* sql.withTransaction(
      Effect.gen(function* () {
        const problems: Array<Ledger.RowProblem> = []
        for (const [i, { row, value }] of fresh.entries()) {
          const recorded = yield* Effect.either(PeopleRepository.recordVisit(VisitLedger.toCommand(value)))
          if (Either.isLeft(recorded)) {
            const e = recorded.left
            switch (e._tag) {
              case "VisitRefused":
                for (const v of e.violations)
                  problems.push(problem(spec, numbered, row, visitField(v.field), v.message))
                break
              case "HouseholdNotFound":
                problems.push(
                  problem(
                    spec,
                    numbered,
                    row,
                    "householdId",
                    `${e.message}（或不在走访人 ${value.visitorUnitId} 辖区内 — or outside the visitor's jurisdiction）`,
                    value.householdId
                  )
                )
                break
              case "VisitExists":
                problems.push(problem(spec, numbered, row, "id", e.message, value.id))
                break
              default:
                return yield* Effect.fail(e)
            }
          }
          input.progress(i + 1, fresh.length)
        }
        // a refused row refuses the file: the transaction rolls back every visit recorded before it
        yield* refuseRows(numbered, problems)
      }).pipe(Effect.provide(remembering))
    )
    const result: Result = {
      rows: numbered.rows.length,
      created: fresh.length,
      updated: 0,
      unchanged: unchanged.length,
      skipped: numbered.skipped,
      notes: [
        `走访按核心规则逐条登记（走访人辖区与网格、走访计划、定位）— every visit recorded through the core's ` +
          "recordVisit (the visitor's jurisdiction and grids, the plan, the position)"
      ]
    }
    return result
  })

// ---------------------------------------------------------------------------
// key groups
// ---------------------------------------------------------------------------

const enrolmentField: Readonly<Record<KeyGroup.EnrolmentViolation["field"], string>> = {
  id: "id",
  categoryId: "categoryId",
  householdId: "householdId",
  until: "until",
  reason: "reason",
  since: "since"
}

const importKeyGroups = (input: Input) =>
  Effect.gen(function* () {
    const { units, root } = yield* stored(input.database)
    const importer = yield* actorOf("key-groups", input.operator, root)
    const spec = KeyGroupLedger.spec
    const numbered = yield* readNumbered(spec, input, units)
    const people = yield* PeopleRepository.PeopleRepository
    const households = new Map((yield* people.households({ within: root })).map((h) => [h.id as string, h]))
    const problems: Array<Ledger.RowProblem> = []
    // a label that is not the stored household's: a mistyped 户编号
    for (const { row, value } of numbered.rows) {
      const household = households.get(value.householdId)
      if (
        value.householdLabel !== undefined &&
        household !== undefined &&
        household.label !== value.householdLabel
      )
        problems.push(
          problem(
            spec,
            numbered,
            row,
            "householdLabel",
            `户 ${value.householdId} 的门牌是「${household.label}」，不是「${value.householdLabel}」— household ` +
              `${value.householdId} is "${household.label}", not "${value.householdLabel}" (rule household-label)`,
            value.householdLabel
          )
        )
    }
    // one resident on several rows (several categories) is the same resident on each
    const residents = new Map<string, { readonly row: number; readonly resident: Resident.Resident }>()
    for (const { row, value } of numbered.rows) {
      const resident = KeyGroupLedger.toResident(value)
      if (resident === undefined) continue
      const first = residents.get(resident.id)
      if (first === undefined) residents.set(resident.id, { row, resident })
      else if (JSON.stringify(first.resident) !== JSON.stringify(resident))
        problems.push(
          problem(
            spec,
            numbered,
            row,
            "residentId",
            `居民 ${resident.id} 在第 ${first.row} 行的户或个人信息与本行不同 — resident ${resident.id} differs from ` +
              `row ${first.row} (household or personal data; rule resident-consistent)`,
            resident.id
          )
        )
    }
    const enrolments = numbered.rows.map(({ value }) => KeyGroupLedger.toEnrolment(value, importer.id))
    const rowsOfEnrolment = new Map<string, Array<number>>()
    numbered.rows.forEach(({ row, value }) => {
      rowsOfEnrolment.set(value.id, [...(rowsOfEnrolment.get(value.id) ?? []), row])
    })
    const byViolation = (violations: ReadonlyArray<KeyGroup.EnrolmentViolation>) =>
      violations.map((v) => {
        const rows = rowsOfEnrolment.get(v.enrolmentId) ?? []
        const row = (v.rule === "duplicate-id" ? rows[1] : rows[0]) ?? 0
        return problem(spec, numbered, row, enrolmentField[v.field], v.message, v.enrolmentId)
      })
    const checked = PeopleRepository.checkEnrolmentWrite(
      KeyGroup.defaultCatalogue,
      enrolments,
      new Set(households.keys())
    )
    if (Either.isLeft(checked)) problems.push(...byViolation(checked.left.violations))
    yield* refuseRows(numbered, problems)
    const sql = yield* SqlClient.SqlClient
    const total = enrolments.length + residents.size
    input.progress(0, total)
    yield* sql.withTransaction(
      Effect.gen(function* () {
        // the store checks again against what it holds (an overlap with a stored enrolment)
        yield* people
          .putEnrolments(enrolments)
          .pipe(
            Effect.catchTag("KeyGroupEnrolmentsInvalid", (e) =>
              refuseRows(numbered, byViolation(e.violations))
            )
          )
        yield* people.putResidents([...residents.values()].map((r) => r.resident)).pipe(
          Effect.catchTag("HouseholdNotFound", (e) =>
            refuseRows(
              numbered,
              numbered.rows
                .filter((r) => r.value.householdId === e.householdId)
                .map((r) => problem(spec, numbered, r.row, "householdId", e.message, e.householdId))
            )
          )
        )
      })
    )
    input.progress(total, total)
    const result: Result = {
      rows: numbered.rows.length,
      created: enrolments.length,
      updated: 0,
      unchanged: 0,
      skipped: numbered.skipped,
      notes: [
        `重点人群登记 ${enrolments.length} 条、居民 ${residents.size} 人已按编号写入（新增或更新），居民信息加密存储 — ` +
          `${enrolments.length} enrolment(s) and ${residents.size} resident(s) upserted by id (the store does not list ` +
          "enrolments, so new and updated are counted together), residents sealed"
      ]
    }
    return result
  })

/** 联户走访导入器 — visits and key groups. */
export const importers: {
  readonly [K in Exclude<Kind, "access-log">]: (
    input: Input
  ) => Effect.Effect<
    Result,
    PeopleError | LedgerFile.UnsupportedFormat | Visit.VisitRefused,
    | PeopleRepository.PeopleRepository
    | HierarchyRepository.HierarchyRepository
    | SqlClient.SqlClient
    | GridRepository.GridRepository
  >
} = {
  visits: importVisits,
  "key-groups": importKeyGroups
}

// ---------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------

/** What an exporter wrote, and lines to print. */
export interface Written {
  readonly bytes: Uint8Array
  readonly rows: number
  readonly notes: ReadonlyArray<string>
}

const exportVisits = (database: string, format: LedgerFile.Format, within: string | undefined) =>
  Effect.gen(function* () {
    const { unitId } = yield* stored(database, within)
    const visits = yield* (yield* PeopleRepository.PeopleRepository).visits({ within: unitId })
    const rows = VisitLedger.fromVisits(visits)
    const written: Written = {
      bytes: yield* Lists.encode(VisitLedger.spec, format, rows),
      rows: rows.length,
      notes: []
    }
    return written
  })

/**
 * 重点人群台账导出 — every category of the catalogue read through
 * `readMembers` as the operator for `--reason` (one access-log entry each,
 * refused or not): members masked unless `--identity`; a category the role
 * is not granted gives counts only and no rows (noted).
 */
const exportKeyGroups = (
  database: string,
  format: LedgerFile.Format,
  within: string | undefined,
  operator: Operator
) =>
  Effect.gen(function* () {
    const { unitId } = yield* stored(database, within)
    const principal = yield* actorOf("key-groups", operator, unitId)
    const reason = operator.reason?.trim()
    if (reason === undefined || reason.length === 0)
      return yield* new PeopleOptionRequired({ kind: "key-groups", option: "--reason" })
    const length = reason.length
    if (!Schema.is(Text.Note)(reason)) return yield* new ReasonInvalid({ length })
    const people = yield* PeopleRepository.PeopleRepository
    const rows: Array<KeyGroupLedger.MaskedKeyGroupRow> = []
    const notes: Array<string> = []
    const logIds: Array<string> = []
    // one category when asked (no more than the purpose needs), by id or Chinese name
    const asked = operator.category?.trim()
    const catalogue = KeyGroup.defaultCatalogue.categories
    const categories =
      asked === undefined || asked.length === 0
        ? catalogue
        : catalogue.filter((c) => c.id === asked || c.name === asked)
    if (categories.length === 0) return yield* new CategoryUnknown({ category: asked ?? "" })
    for (const category of categories) {
      const at = yield* DateTime.now
      const logId = KeyGroupAccess.AccessLogId.make(yield* TimeOrderedId.uuidV7)
      logIds.push(logId)
      const result = yield* people.readMembers(
        principal,
        {
          categoryId: category.id,
          unitId,
          purpose: reason,
          // masked unless --identity: the store returns (and logs) no more than asked for
          identity: operator.identity
        },
        { date: WorkingCalendar.dateOf(WorkingCalendar.empty, at), at, logId }
      )
      if (result._tag === "Counts") {
        const counted = result.suppressed
          ? {
              zh: `不足 ${result.lessThan} 户或人（小数抑制）`,
              en: `fewer than ${result.lessThan}, suppressed`
            }
          : { zh: `${result.households} 户 ${result.residents} 人`, en: `${result.households} households` }
        notes.push(
          `${category.name}：${Actor.roleNames[principal.role]} 未获授权，仅 ${counted.zh} — ` +
            `${category.id}: not granted to ${principal.role}, counts only (rule not-granted; ${counted.en}); no rows`
        )
        continue
      }
      if (operator.identity && !result.identity)
        return yield* new IdentityNotGranted({ actor: principal, categoryId: category.id })
      rows.push(...result.members.map(KeyGroupLedger.fromMember))
    }
    rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    notes.push(
      `已记入访问日志 ${logIds.length} 条（处理目的「${reason}」，${operator.identity ? "完整身份信息" : "已脱敏"}）— ` +
        `${logIds.length} access-log entries written (purpose "${reason}", ${operator.identity ? "identity in full" : "masked"})`
    )
    // in full, every ID number and phone is checked again by the full spec's schemas as it is written
    const bytes = operator.identity
      ? yield* Lists.encode(KeyGroupLedger.spec, format, rows)
      : yield* Lists.encode(KeyGroupLedger.maskedSpec, format, rows)
    const written: Written = { bytes, rows: rows.length, notes }
    return written
  })

const exportAccessLog = (
  database: string,
  format: LedgerFile.Format,
  within: string | undefined,
  operator: Operator
) =>
  Effect.gen(function* () {
    const { unitId } = yield* stored(database, within)
    const auditor = yield* actorOf("access-log", operator, unitId)
    if (!KeyGroupAccess.mayAudit(auditor)) return yield* new AuditRefused({ actor: auditor })
    const entries = yield* (yield* PeopleRepository.PeopleRepository).accessLog({ within: unitId })
    const rows = entries.map(AccessLogLedger.toRow)
    const written: Written = {
      bytes: yield* Lists.encode(AccessLogLedger.spec, format, rows),
      rows: rows.length,
      notes: []
    }
    return written
  })

/** 联户走访导出器 — one per kind. */
export const exporters: {
  readonly [K in Kind]: (
    database: string,
    format: LedgerFile.Format,
    within: string | undefined,
    operator: Operator
  ) => Effect.Effect<
    Written,
    PeopleError,
    | PeopleRepository.PeopleRepository
    | HierarchyRepository.HierarchyRepository
    | SqlClient.SqlClient
    | GridRepository.GridRepository
  >
} = {
  visits: (database, format, within) => exportVisits(database, format, within),
  "key-groups": exportKeyGroups,
  "access-log": exportAccessLog
}
