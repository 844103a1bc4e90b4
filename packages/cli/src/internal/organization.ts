/**
 * 组织与岗位台账 — the organisation ledgers behind `import`, `export` and
 * `template --list bodies|posts|memberships|compounds|populations|stairwell-staff|post-holders|appraisals|weak-and-lax`,
 * loaded
 * only when one of them runs:
 *
 * - **bodies 组织台账**, **posts 岗位台账**, **compounds 小区管理台账** — import:
 *   the file's rows over what is stored (a row replaces the stored item with
 *   its id) are checked by the core's organisation rules through
 *   `OrganizationLedgers.check`; the record rules (`integrity`: duplicate ids,
 *   unknown kinds and bodies, reversed terms, overlapping single posts) and a
 *   compound's managing body (unknown, or of a kind that may not manage)
 *   refuse the file at the rows they name. The governance rules (大党委
 *   composition, 一村一顾问, mediators by population, grid leaders from the 两委,
 *   议行分离, compounds without an arrangement) are what the organisation
 *   check reports once the street is loaded: after every import the check
 *   of the whole store (`OrganizationRepository.check`, as `GET
 *   /staffing/check`) is printed, rule by rule.
 * - **memberships 党员双报到台账** — `Membership.check` (one relation at a
 *   time, a report names its home organisation) over the file's rows and the
 *   stored ones, and every body a row names must be stored
 *   (`OrganizationRepository.checkBodies`); refusals by row.
 * - **populations 社区人口台账** — the residents of each community or village,
 *   which the mediators-by-population rule reads; a unit that is not a
 *   community or village is refused at its row.
 * - **stairwell-staff 楼道力量台账** — staff placed by the role table (the
 *   defaults and the local roles: 楼道长, 十户长, 调解员 …): where a role may
 *   serve is the core's (`RoleTable.place` through
 *   `StairwellStaffLedger.check`), and the target must exist (a unit of the
 *   hierarchy, a stored grid or micro-grid, whose community the placement is
 *   read in); refusals by row.
 * - **post-holders 任职人员台账** — the people who hold the posts and
 *   placements (name, party membership and class, phone: personal
 *   information). A person id once and a party-member class only on a member
 *   are the core's (`Staffing.checkIntegrity`), refused by row. Party share by
 *   post reads their party membership; the 公示牌 directory shows their names
 *   masked. The store never lists people: export gives the holders of the
 *   posts and the people of the placements within the jurisdiction.
 * - **appraisals 干部考核台账** — each cadre's score of a period: a cadre
 *   appraised twice in one period and a score outside 0–100 are the core's
 *   (`CadreAppraisal.check`), refused by row; the community must exist (the
 *   store's `UnitNotFound`, at its cell). Upserted by cadre and period.
 * - **weak-and-lax 软弱涣散台账** — whether each party organisation is flagged
 *   weak and lax 软弱涣散 in a period (the zero target 清零 is the core's
 *   `OrganizationMetrics.weakAndLax`, reported by `GET
 *   /organisation/indicators?period=`): the body must be stored
 *   (`OrganizationRepository.checkBodies`), refused at its cell. Upserted by
 *   body and period.
 *
 * Body, unit and post-kind cells read ids or names (units also paths); posts,
 * memberships and compounds read the names of the stored bodies. Every write
 * is one transaction: every row or none; the store's own refusals (a unit
 * outside the hierarchy, a body not stored) are shown at the rows that name
 * them. Rows equal to the stored item are unchanged and not written again.
 * Export writes the stored items (within a jurisdiction with `--within`)
 * as import reads them back.
 */
import type * as Body from "@civicgrid/core/Body"
import * as CadreAppraisal from "@civicgrid/core/CadreAppraisal"
import type * as Compound from "@civicgrid/core/Compound"
import type * as GridRepository from "@civicgrid/core/GridRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import type * as HierarchyRepository from "@civicgrid/core/HierarchyRepository"
import type * as Membership from "@civicgrid/core/Membership"
import * as Org from "@civicgrid/core/OrganizationRepository"
import * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import * as Period from "@civicgrid/core/Period"
import type * as Post from "@civicgrid/core/Post"
import * as RoleTable from "@civicgrid/core/RoleTable"
import * as Staffing from "@civicgrid/core/Staffing"
import type { StorageUnavailable } from "@civicgrid/core/Storage"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as AppraisalLedger from "@civicgrid/ledger/AppraisalLedger"
import * as BodyLedger from "@civicgrid/ledger/BodyLedger"
import * as CompoundLedger from "@civicgrid/ledger/CompoundLedger"
import * as Ledger from "@civicgrid/ledger/Ledger"
import * as LedgerCheck from "@civicgrid/ledger/LedgerCheck"
import * as MembershipLedger from "@civicgrid/ledger/MembershipLedger"
import * as OrganizationLedgers from "@civicgrid/ledger/OrganizationLedgers"
import * as PopulationLedger from "@civicgrid/ledger/PopulationLedger"
import * as PostHolderLedger from "@civicgrid/ledger/PostHolderLedger"
import * as PostLedger from "@civicgrid/ledger/PostLedger"
import * as StairwellStaffLedger from "@civicgrid/ledger/StairwellStaffLedger"
import * as WeakAndLaxLedger from "@civicgrid/ledger/WeakAndLaxLedger"
import type * as Xlsx from "@civicgrid/ledger/Xlsx"
import type * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlOrganizationRepository from "@civicgrid/sql/SqlOrganizationRepository"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as LedgerFile from "../LedgerFile.js"
import * as Lists from "./lists.js"

/** The kinds of organisation ledger (`LedgerFile.organizationKinds`). */
export type Kind = LedgerFile.OrganizationKind

/** Why an organisation import or export wrote nothing. */
export type OrganizationError =
  | Lists.DecodeError
  | LedgerFile.DatabaseNotReady
  | LedgerFile.UnsupportedFormat
  | LedgerCheck.LedgerCheckFailed
  | Migrations.DatabaseTooNew
  | Hierarchy.UnitNotFound
  | Org.BodyNotFound
  | Ledger.LedgerExportError
  | Xlsx.XlsxWriteError
  | StorageUnavailable
  | SqlError

/** The organisation store and the list stores on the ambient `SqlClient`. */
export const layerStores = Layer.provideMerge(SqlOrganizationRepository.layer, Lists.layerStores)

/** The stores an organisation import or export needs. */
export type Stores =
  | Org.OrganizationRepository
  | HierarchyRepository.HierarchyRepository
  | SqlClient.SqlClient
  | GridRepository.GridRepository

/** What an importer is given (as `baseData.Input`). */
export interface Input {
  readonly file: string
  readonly format: LedgerFile.InputFormat
  readonly bytes: Uint8Array
  readonly sheet?: string | number
  readonly database: string
  readonly progress: (done: number, total: number) => void
}

/** What an importer did (as `baseData.Result`). */
export interface Result {
  readonly rows: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly skipped: ReadonlyArray<Ledger.SkippedRow>
  readonly notes: ReadonlyArray<string>
}

/** 今天 — the day the rules are checked on, on the calendar of China (+08:00). */
const today = Effect.map(DateTime.now, (now) => WorkingCalendar.dateOf(WorkingCalendar.china(), now))

/** The stored hierarchy (the database must hold one), its root and its unit names. */
const stored = (database: string) =>
  Effect.gen(function* () {
    yield* Lists.ready(database, { hierarchy: true })
    const { hierarchy } = yield* Lists.known(database)
    return { hierarchy, root: Hierarchy.root(hierarchy).id, units: Lists.unitsOf(hierarchy) }
  })

const read = <A>(spec: Ledger.LedgerSpec<A>, input: Input, units: Ledger.UnitResolver) =>
  input.format === "geojson"
    ? Effect.fail(new LedgerFile.UnsupportedFormat({ file: input.file, extension: ".geojson" }))
    : Lists.decode(spec, input.format, input.bytes, input.file, {
        units,
        ...(input.sheet === undefined ? {} : { sheet: input.sheet })
      })

/** A report of the file's rows followed by stored items it does not replace (those have no row number). */
const over = <A>(
  report: Ledger.ImportReport<A>,
  before: ReadonlyArray<A>,
  key: (a: A) => string
): Ledger.ImportReport<A> => {
  const inFile = new Set(report.rows.map(key))
  return { ...report, rows: [...report.rows, ...before.filter((a) => !inFile.has(key(a)))] }
}

/** A report of stored items (no row numbers): what the file's rows are checked against. */
const storedReport = <A>(spec: Ledger.LedgerSpec<A>, rows: ReadonlyArray<A>): Ledger.ImportReport<A> => ({
  sheet: spec.sheet,
  rows,
  rowNumbers: [],
  letters: {},
  skipped: []
})

/** A problem at a row of the file, at the column of `field`. */
const at = <A>(
  spec: Ledger.LedgerSpec<A>,
  report: Ledger.ImportReport<A>,
  row: number,
  field: string,
  message: string,
  value = ""
): Ledger.RowProblem => {
  const column = spec.columns.find((c) => c.field === field)
  return {
    row,
    column: Object.hasOwn(report.letters, field) ? (report.letters[field] ?? "") : "",
    header: column?.header ?? "",
    field: column === undefined ? "" : field,
    rule: column === undefined ? "row" : "invalid",
    message,
    value: value.slice(0, 60)
  }
}

const located = (v: LedgerCheck.LocatedViolation): Ledger.RowProblem => ({
  row: v.row,
  column: v.column,
  header: v.header,
  field: v.field,
  rule: v.field === "" ? "row" : "invalid",
  message: `${v.message} [${v.rule}]`,
  value: ""
})

const refuse = (
  sheet: string,
  problems: ReadonlyArray<Ledger.RowProblem>
): Effect.Effect<void, Ledger.LedgerImportError> =>
  problems.length === 0
    ? Effect.void
    : Effect.fail(
        new Ledger.LedgerImportError({
          sheet,
          headerProblems: [],
          rowProblems: [...problems].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column))
        })
      )

/**
 * 记录规则 — the violations that refuse a file: the records' integrity, and a
 * compound's managing body that is unknown or of a kind that may not manage.
 * The governance rules are the organisation check's, reported after import.
 */
const refuses = (rule: string): boolean =>
  rule.startsWith("integrity/") ||
  rule === "compound-management/manager-unknown" ||
  rule === "compound-management/manager-wrong-kind"

/** The rules that refuse a file, on the day. */
const recordRules: OrganizationRules.Rules = {
  ...OrganizationRules.defaultRules,
  enabled: ["integrity", "compound-management"]
}

/** The violations of the record rules at rows of the file (stored rows carry no number). */
const recordProblems = (
  reports: OrganizationLedgers.Reports,
  day: WorkingCalendar.LocalDate
): ReadonlyArray<Ledger.RowProblem> => {
  const checked = OrganizationLedgers.check(reports, { day, communities: [], rules: recordRules })
  return Either.isRight(checked)
    ? []
    : checked.left.located.filter((v) => v.row > 0 && refuses(v.rule)).map(located)
}

/** Counts what a write changes: new ids, changed rows and rows equal to the stored item. */
const counted = <A>(
  spec: Ledger.LedgerSpec<A>,
  rows: ReadonlyArray<A>,
  before: ReadonlyArray<A>,
  key: (a: A) => string
) => {
  const byKey = new Map(before.map((a) => [key(a), a] as const))
  const changed = rows.filter((a) => {
    const old = byKey.get(key(a))
    return old === undefined || !Lists.sameRow(spec, old, a)
  })
  return {
    changed,
    created: rows.filter((a) => !byKey.has(key(a))).length,
    unchanged: rows.length - changed.length
  }
}

/** The store's refusal of a unit or body, at every row of the file that names it. */
const storeRefusal =
  <A>(
    spec: Ledger.LedgerSpec<A>,
    report: Ledger.ImportReport<A>,
    names: (a: A) => ReadonlyArray<readonly [field: string, id: string]>
  ) =>
  <E extends Hierarchy.UnitNotFound | Org.BodyNotFound>(
    e: E
  ): Effect.Effect<void, E | Ledger.LedgerImportError> => {
    const id = e._tag === "UnitNotFound" ? e.unitId : e.bodyId
    const problems = LedgerCheck.numbered(report).flatMap(({ row, value }) =>
      names(value)
        .filter(([, named]) => named === id)
        .map(([field]) => at(spec, report, row, field, e.message, id))
    )
    return problems.length === 0 ? Effect.fail(e) : refuse(report.sheet, problems)
  }

/** 组织配置检查 — the organisation check of the whole store on the day, as lines to print. */
const checkNotes = (root: string, day: WorkingCalendar.LocalDate) =>
  Effect.gen(function* () {
    const report = yield* Org.check(root, { day })
    const all = [...report.organization, ...report.memberships]
    if (all.length === 0)
      return [`组织配置检查（${day}）：未发现违规 — organisation check on ${day}: no violations`]
    const byRule = new Map<string, number>()
    for (const v of all) byRule.set(v.rule, (byRule.get(v.rule) ?? 0) + 1)
    return [
      `组织配置检查（${day}）：${all.length} 处违规 — organisation check on ${day}: ${all.length} violation(s) ` +
        `(${[...byRule].map(([rule, n]) => `${rule} ${n}`).join(", ")}); ` +
        "see GET /staffing/check for each",
      ...report.organization.slice(0, 20).map((v) => `  ${v.rule}/${v.problem}: ${v.message}`)
    ]
  })

const finish = <A>(
  report: Ledger.ImportReport<A>,
  counts: { readonly created: number; readonly changed: ReadonlyArray<A>; readonly unchanged: number },
  root: string,
  day: WorkingCalendar.LocalDate
) =>
  Effect.map(
    checkNotes(root, day),
    (notes): Result => ({
      rows: report.rows.length,
      created: counts.created,
      updated: counts.changed.length - counts.created,
      unchanged: counts.unchanged,
      skipped: report.skipped,
      notes
    })
  )

// ---------------------------------------------------------------------------
// importers
// ---------------------------------------------------------------------------

const bodyKey = (b: Body.Body): string => b.id

const importBodies = (input: Input) =>
  Effect.gen(function* () {
    const { root, units } = yield* stored(input.database)
    const repo = yield* Org.OrganizationRepository
    const spec = BodyLedger.spec
    const report = yield* read(spec, input, units)
    const before = yield* repo.bodies()
    const posts = yield* repo.posts()
    const compounds = yield* repo.compounds()
    const day = yield* today
    yield* refuse(
      report.sheet,
      recordProblems(
        {
          bodies: over(report, before, bodyKey),
          posts: storedReport(PostLedger.spec, posts),
          compounds: storedReport(CompoundLedger.spec, compounds)
        },
        day
      )
    )
    const counts = counted(spec, report.rows, before, bodyKey)
    const sql = yield* SqlClient.SqlClient
    input.progress(0, counts.changed.length)
    yield* sql.withTransaction(
      repo.putBodies(counts.changed).pipe(
        Effect.catchTag(
          "UnitNotFound",
          storeRefusal(spec, report, (b) => [["unitId", b.unitId]])
        )
      )
    )
    input.progress(counts.changed.length, counts.changed.length)
    return yield* finish(report, counts, root, day)
  })

const postKey = (p: Post.Post): string => p.id

const importPosts = (input: Input) =>
  Effect.gen(function* () {
    const { root, units } = yield* stored(input.database)
    const repo = yield* Org.OrganizationRepository
    const bodies = yield* repo.bodies()
    const spec = PostLedger.make({ bodies })
    const report = yield* read(spec, input, units)
    const before = yield* repo.posts()
    const day = yield* today
    yield* refuse(
      report.sheet,
      recordProblems(
        {
          bodies: storedReport(BodyLedger.spec, bodies),
          posts: over(report, before, postKey),
          specs: { posts: spec }
        },
        day
      )
    )
    const counts = counted(spec, report.rows, before, postKey)
    const sql = yield* SqlClient.SqlClient
    input.progress(0, counts.changed.length)
    yield* sql.withTransaction(
      repo.putPosts(counts.changed).pipe(
        Effect.catchTag(
          "BodyNotFound",
          storeRefusal(spec, report, (p) => [
            ["bodyId", p.bodyId],
            ...(p.affiliation === undefined ? [] : [["affiliation", p.affiliation] as const])
          ])
        )
      )
    )
    input.progress(counts.changed.length, counts.changed.length)
    return yield* finish(report, counts, root, day)
  })

const importMemberships = (input: Input) =>
  Effect.gen(function* () {
    const { root, units } = yield* stored(input.database)
    const repo = yield* Org.OrganizationRepository
    const bodies = yield* repo.bodies()
    const spec = MembershipLedger.make(bodies)
    const report = yield* read(spec, input, units)
    const before = yield* repo.memberships()
    const known = new Set<string>(bodies.map((b) => b.id))
    // every body a row names must be stored (the store's rule, shown at the cell)
    const missing = LedgerCheck.numbered(report).flatMap(({ row, value }) =>
      (
        [
          ["bodyId", value.bodyId],
          ["homeBodyId", value.homeBodyId]
        ] as const
      ).flatMap(([field, id]) => {
        if (id === undefined) return []
        const checked = Org.checkBodies([id], known)
        return Either.isLeft(checked) ? [at(spec, report, row, field, checked.left.message, id)] : []
      })
    )
    yield* refuse(report.sheet, missing)
    const checked = MembershipLedger.check(over(report, before, Org.membershipKey), spec)
    if (Either.isLeft(checked))
      yield* refuse(report.sheet, checked.left.located.filter((v) => v.row > 0).map(located))
    const counts = counted(spec, report.rows, before, Org.membershipKey)
    const sql = yield* SqlClient.SqlClient
    input.progress(0, counts.changed.length)
    yield* sql.withTransaction(
      repo.putMemberships(counts.changed).pipe(
        Effect.catchTag(
          "BodyNotFound",
          storeRefusal(spec, report, (m: Membership.Membership) => [
            ["bodyId", m.bodyId],
            ...(m.homeBodyId === undefined ? [] : [["homeBodyId", m.homeBodyId] as const])
          ])
        )
      )
    )
    input.progress(counts.changed.length, counts.changed.length)
    return yield* finish(report, counts, root, yield* today)
  })

const compoundKey = (c: Compound.Compound): string => c.id

const importCompounds = (input: Input) =>
  Effect.gen(function* () {
    const { root, units } = yield* stored(input.database)
    const repo = yield* Org.OrganizationRepository
    const bodies = yield* repo.bodies()
    const spec = CompoundLedger.make(bodies)
    const report = yield* read(spec, input, units)
    const before = yield* repo.compounds()
    const day = yield* today
    yield* refuse(
      report.sheet,
      recordProblems(
        {
          bodies: storedReport(BodyLedger.spec, bodies),
          posts: storedReport(PostLedger.spec, []),
          compounds: over(report, before, compoundKey),
          specs: { compounds: spec }
        },
        day
      )
    )
    const counts = counted(spec, report.rows, before, compoundKey)
    const sql = yield* SqlClient.SqlClient
    input.progress(0, counts.changed.length)
    yield* sql.withTransaction(
      repo.putCompounds(counts.changed).pipe(
        Effect.catchTag(
          "UnitNotFound",
          storeRefusal(spec, report, (c) => [
            ["id", c.id],
            ["communityId", c.communityId],
            ...(c.management?._tag === "Unmanaged" && c.management.takenOverBy !== undefined
              ? [["takenOverBy", c.management.takenOverBy] as const]
              : [])
          ])
        )
      )
    )
    input.progress(counts.changed.length, counts.changed.length)
    return yield* finish(report, counts, root, day)
  })

const populationKey = (p: Org.Population): string => p.unitId

const importPopulations = (input: Input) =>
  Effect.gen(function* () {
    const { hierarchy, root, units } = yield* stored(input.database)
    const repo = yield* Org.OrganizationRepository
    const spec = PopulationLedger.spec
    const report = yield* read(spec, input, units)
    // the population the rules read is a community's or a village's, once (the core's checkPopulations)
    const numbered = LedgerCheck.numbered(report)
    yield* refuse(
      report.sheet,
      Org.checkPopulations(
        report.rows,
        (id) => Option.getOrUndefined(Hierarchy.get(hierarchy, id))?.level
      ).map((p) => at(spec, report, numbered[p.index]?.row ?? 0, "unitId", `${p.message}`, p.unitId))
    )
    const before = yield* repo.populations()
    const counts = counted(spec, report.rows, before, populationKey)
    const sql = yield* SqlClient.SqlClient
    input.progress(0, counts.changed.length)
    yield* sql.withTransaction(
      repo.putPopulations(counts.changed).pipe(
        Effect.catchTag(
          "UnitNotFound",
          storeRefusal(spec, report, (p) => [["unitId", p.unitId]])
        )
      )
    )
    input.progress(counts.changed.length, counts.changed.length)
    return yield* finish(report, counts, root, yield* today)
  })

/** The row of a stored placement (without the unit it lies in). */
const placementRow = (p: Org.StaffPlacement): StairwellStaffLedger.StaffPlacement => {
  const { unitId: _unitId, ...row } = p
  return row
}

const rowKey = (p: StairwellStaffLedger.StaffPlacement): string =>
  `${p.personId}\u0000${p.role}\u0000${p.placement}\u0000${p.targetId}`

const importStairwellStaff = (input: Input) =>
  Effect.gen(function* () {
    const { hierarchy, root, units } = yield* stored(input.database)
    const { grids } = yield* Lists.known(input.database)
    const repo = yield* Org.OrganizationRepository
    const table = [...RoleTable.defaults, ...RoleTable.localRoles]
    const spec = StairwellStaffLedger.spec
    const report = yield* read(spec, input, units)
    // where the role table lets each role serve (the core's RoleTable.place)
    const placed = StairwellStaffLedger.check(table, report, spec)
    if (Either.isLeft(placed)) yield* refuse(report.sheet, placed.left.located.map(located))
    // the target must exist: a unit of the hierarchy, or a stored grid or micro-grid (its community)
    const gridCommunity = new Map<string, string>()
    const microCommunity = new Map<string, string>()
    for (const g of grids) {
      gridCommunity.set(g.id, g.communityId)
      for (const m of g.microGrids ?? []) microCommunity.set(m.id, g.communityId)
    }
    const problems: Array<Ledger.RowProblem> = []
    const records: Array<Org.StaffPlacement> = []
    for (const { row, value } of LedgerCheck.numbered(report)) {
      const unitId =
        value.placement === "grid"
          ? gridCommunity.get(value.targetId)
          : value.placement === "micro-grid"
            ? microCommunity.get(value.targetId)
            : Hierarchy.has(hierarchy, value.targetId)
              ? value.targetId
              : undefined
      if (unitId === undefined) {
        problems.push(
          at(
            spec,
            report,
            row,
            "targetId",
            `任职对象「${value.targetId}」不存在（${StairwellStaffLedger.placementNames[value.placement]}） — no ` +
              `${value.placement} ${value.targetId} is stored (rule target-unknown)`,
            value.targetId
          )
        )
        continue
      }
      records.push({ ...value, unitId: Unit.UnitId.make(unitId, { disableValidation: true }) })
    }
    yield* refuse(report.sheet, problems)
    const before = yield* repo.placements()
    const counts = counted(spec, report.rows, before.map(placementRow), rowKey)
    const changedKeys = new Set(counts.changed.map(rowKey))
    const changed = records.filter((r) => changedKeys.has(Org.placementKey(r)))
    const sql = yield* SqlClient.SqlClient
    input.progress(0, changed.length)
    yield* sql.withTransaction(repo.putPlacements(changed))
    input.progress(changed.length, changed.length)
    return yield* finish(report, counts, root, yield* today)
  })

const personKey = (p: Staffing.Person): string => p.id

/**
 * The core's record rules for people (`Staffing.checkIntegrity`: a person id
 * once, a party-member class only on a member) at the rows they concern: a
 * repeated id at every row after its first, a class at the rows of a non-member.
 */
const personProblems = (
  spec: Ledger.LedgerSpec<Staffing.Person>,
  report: Ledger.ImportReport<Staffing.Person>
): ReadonlyArray<Ledger.RowProblem> => {
  const numbered = LedgerCheck.numbered(report)
  return Staffing.checkIntegrity({ grids: [], people: report.rows, assignments: [] }).flatMap((v) => {
    if (v._tag !== "PersonStaffingViolation") return []
    const rows = numbered.filter(({ value }) => value.id === v.personId)
    switch (v.rule) {
      case "duplicate-person":
        return rows
          .slice(1)
          .map(({ row }) => at(spec, report, row, "id", `${v.message} [${v.rule}]`, v.personId))
      case "class-without-membership":
        return rows
          .filter(({ value }) => !value.partyMember && value.partyMemberClass !== undefined)
          .map(({ row, value }) =>
            at(spec, report, row, "partyMemberClass", `${v.message} [${v.rule}]`, value.partyMemberClass)
          )
      default:
        return []
    }
  })
}

const importPostHolders = (input: Input) =>
  Effect.gen(function* () {
    const { root, units } = yield* stored(input.database)
    const repo = yield* Org.OrganizationRepository
    const spec = PostHolderLedger.spec
    const report = yield* read(spec, input, units)
    yield* refuse(report.sheet, personProblems(spec, report))
    // the store never lists people: the stored ones among the file's ids tell new, updated and unchanged apart
    const before = yield* repo.people(report.rows.map(personKey))
    const counts = counted(spec, report.rows, before, personKey)
    const sql = yield* SqlClient.SqlClient
    input.progress(0, counts.changed.length)
    yield* sql.withTransaction(repo.putPeople(counts.changed))
    input.progress(counts.changed.length, counts.changed.length)
    return yield* finish(report, counts, root, yield* today)
  })

const unitAppraisalKey = (a: Org.UnitAppraisal): string => Org.appraisalKey(a.appraisal)

/**
 * The core's appraisal rules (`CadreAppraisal.check`: a cadre once per
 * period, a score within 0–100) at the rows they concern: a repeated cadre and
 * period at every row after its first (the period's cell), a score out of
 * range at its cell.
 */
const appraisalProblems = (
  spec: Ledger.LedgerSpec<Org.UnitAppraisal>,
  report: Ledger.ImportReport<Org.UnitAppraisal>
): ReadonlyArray<Ledger.RowProblem> => {
  const numbered = LedgerCheck.numbered(report)
  return CadreAppraisal.check(report.rows.map((a) => a.appraisal)).flatMap((v) => {
    const rows = numbered.filter(({ value }) => value.appraisal.cadreId === v.cadreId)
    const message = v.message
    if (v.rule === "score-range")
      return rows
        .filter(({ value }) => Object.is(value.appraisal.score, v.score))
        .map(({ row, value }) => at(spec, report, row, "score", message, String(value.appraisal.score)))
    // the rows of the cadre in the period the violation names, after the first of each cadre and period
    const seen = new Set<string>()
    return rows
      .filter(({ value }) => Period.label(value.appraisal.period) === v.period)
      .flatMap(({ row, value }) => {
        const key = unitAppraisalKey(value)
        const repeated = seen.has(key)
        seen.add(key)
        return repeated ? [at(spec, report, row, "period", message, v.period)] : []
      })
  })
}

const importAppraisals = (input: Input) =>
  Effect.gen(function* () {
    const { root, units } = yield* stored(input.database)
    const repo = yield* Org.OrganizationRepository
    const spec = AppraisalLedger.spec
    const report = yield* read(spec, input, units)
    yield* refuse(report.sheet, appraisalProblems(spec, report))
    const before = yield* repo.appraisals()
    const counts = counted(spec, report.rows, before, unitAppraisalKey)
    const sql = yield* SqlClient.SqlClient
    input.progress(0, counts.changed.length)
    yield* sql.withTransaction(
      repo.putAppraisals(counts.changed).pipe(
        Effect.catchTag(
          "UnitNotFound",
          storeRefusal(spec, report, (a) => [["unitId", a.unitId]])
        )
      )
    )
    input.progress(counts.changed.length, counts.changed.length)
    return yield* finish(report, counts, root, yield* today)
  })

const importWeakAndLax = (input: Input) =>
  Effect.gen(function* () {
    const { root, units } = yield* stored(input.database)
    const repo = yield* Org.OrganizationRepository
    const bodies = yield* repo.bodies()
    const spec = WeakAndLaxLedger.make({ bodies })
    const report = yield* read(spec, input, units)
    // every body a row names must be stored (the store's rule, shown at the cell)
    const known = new Set<string>(bodies.map((b) => b.id))
    yield* refuse(
      report.sheet,
      LedgerCheck.numbered(report).flatMap(({ row, value }) => {
        const checked = Org.checkBodies([value.bodyId], known)
        return Either.isLeft(checked)
          ? [at(spec, report, row, "bodyId", checked.left.message, value.bodyId)]
          : []
      })
    )
    const before = yield* repo.weakAndLaxFlags()
    const counts = counted(spec, report.rows, before, Org.weakAndLaxKey)
    const sql = yield* SqlClient.SqlClient
    input.progress(0, counts.changed.length)
    yield* sql.withTransaction(
      repo.putWeakAndLaxFlags(counts.changed).pipe(
        Effect.catchTag(
          "BodyNotFound",
          storeRefusal(spec, report, (f) => [["bodyId", f.bodyId]])
        )
      )
    )
    input.progress(counts.changed.length, counts.changed.length)
    return yield* finish(report, counts, root, yield* today)
  })

/** 组织与岗位导入器 — one per kind. */
export const importers: {
  readonly [K in Kind]: (input: Input) => Effect.Effect<Result, OrganizationError, Stores>
} = {
  bodies: importBodies,
  posts: importPosts,
  memberships: importMemberships,
  compounds: importCompounds,
  populations: importPopulations,
  "stairwell-staff": importStairwellStaff,
  "post-holders": importPostHolders,
  appraisals: importAppraisals,
  "weak-and-lax": importWeakAndLax
}

// ---------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------

/** What an exporter wrote. */
export interface Written {
  readonly bytes: Uint8Array
  readonly rows: number
}

const written = <A>(spec: Ledger.LedgerSpec<A>, format: LedgerFile.Format, items: ReadonlyArray<A>) =>
  Effect.map(Lists.encode(spec, format, items), (bytes): Written => ({ bytes, rows: items.length }))

/** The unit `--within` names (by id, name or path), or every item. */
const scopeOf = (database: string, within: string | undefined) =>
  Effect.gen(function* () {
    if (within === undefined) {
      yield* Lists.ready(database, { hierarchy: false })
      return undefined
    }
    const { hierarchy, units } = yield* stored(database)
    const found = units.resolve(within)
    if (found._tag !== "Found" || !Hierarchy.has(hierarchy, found.id))
      return yield* new Hierarchy.UnitNotFound({ unitId: within })
    return found.id
  })

/** An exporter reading the stored items within the jurisdiction `--within` names (every item without it). */
const exportWith =
  <A, E>(
    spec: Ledger.LedgerSpec<A>,
    read: (
      repo: Context.Tag.Service<Org.OrganizationRepository>,
      query: { readonly within?: string }
    ) => Effect.Effect<ReadonlyArray<A>, E>
  ) =>
  (database: string, format: LedgerFile.Format, within: string | undefined) =>
    Effect.gen(function* () {
      const scope = yield* scopeOf(database, within)
      const items = yield* read(
        yield* Org.OrganizationRepository,
        scope === undefined ? {} : { within: scope }
      )
      return yield* written(spec, format, items)
    })

/** 组织与岗位导出器 — one per kind: the stored items (within a jurisdiction), as import reads them back. */
export const exporters: {
  readonly [K in Kind]: (
    database: string,
    format: LedgerFile.Format,
    within: string | undefined
  ) => Effect.Effect<Written, OrganizationError, Stores>
} = {
  bodies: exportWith(BodyLedger.spec, (repo, query) => repo.bodies(query)),
  posts: exportWith(PostLedger.spec, (repo, query) => repo.posts(query)),
  memberships: exportWith(MembershipLedger.spec, (repo, query) => repo.memberships(query)),
  compounds: exportWith(CompoundLedger.spec, (repo, query) => repo.compounds(query)),
  "stairwell-staff": exportWith(StairwellStaffLedger.spec, (repo, query) =>
    Effect.map(repo.placements(query), (items) => items.map(placementRow))
  ),
  populations: exportWith(PopulationLedger.spec, (repo, query) => repo.populations(query)),
  // the store never lists people: the holders of the post records (the appointment history, as the posts
  // export) and the people of the staff placements within the jurisdiction, read by id
  "post-holders": exportWith(PostHolderLedger.spec, (repo, query) =>
    Effect.gen(function* () {
      const posts = yield* repo.posts(query)
      const placements = yield* repo.placements(query)
      return yield* repo.people([
        ...new Set<string>([...posts.map((p) => p.holder), ...placements.map((p) => p.personId)])
      ])
    })
  ),
  appraisals: exportWith(AppraisalLedger.spec, (repo, query) => repo.appraisals(query)),
  "weak-and-lax": exportWith(WeakAndLaxLedger.spec, (repo, query) => repo.weakAndLaxFlags(query))
}
