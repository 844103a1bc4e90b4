/**
 * 访问主体 — the principal of an HTTP request: who the bearer token belongs
 * to, in which role, for which jurisdiction unit (and department). Access
 * follows the hierarchy (辖区): a principal acting for a unit sees
 * and acts on what lies in that unit's subtree, plus what is dispatched to
 * its department, plus — for a resident — their own reports; anything else is
 * answered exactly like an unknown id (404), so ids cannot be probed.
 *
 * **Who sees which case** (`canSeeCase`):
 *
 * | role | sees |
 * | --- | --- |
 * | `resident` 居民 | only the cases they reported (their `unitId` is a home, not a jurisdiction) |
 * | `grid-worker` `community-staff` `street-staff` `district-staff` `hotline` `admin` | cases whose location unit or community lies within their unit's subtree (`Hierarchy.isWithin`) |
 * | `department` 职能部门 | every case dispatched to their department; plus the subtree of `grantedSubtree` **only** when one is granted |
 *
 * **A department's unit is not a jurisdiction**: a
 * department principal's `unitId` is where the department sits (the unit its
 * actor records, e.g. the district for a district bureau), and grants no
 * view of the cases below it. A department that must see a subtree — a
 * street's own office, say — is granted it explicitly with `grantedSubtree`
 * (授权辖区); without one it sees, lists and acts on only what is dispatched to
 * it. Every jurisdiction check (`jurisdictionOf`, `isInJurisdiction`,
 * `scopeOf`) follows this one rule; the organisational structure (the
 * `hierarchy` group's unit names) stays readable from the department's unit.
 *
 * **Principal → actor** (`toActor`; the actor every command records): the
 * principal's id, unit and department, and its role — the same role for every
 * role the core knows; `admin` acts as the staff of its unit's tier
 * (`community-staff` at a community, `street-staff` at a street,
 * `district-staff` anywhere else), so the core's rules still decide what it
 * may do.
 *
 * **Local roles** 本地角色 (the core's `RoleTable`): a principal may hold a
 * local actor role of the role table — 信访代办员 `petition-agent`, 调解员 … —
 * recorded as `localRole`; its `role` is then the built-in role the table
 * row acts as (`actsAs`), and that role alone decides its rights, here and in
 * the core. `toActor` passes the local role on, so a case's history records
 * it. The table is the app's (`CurrentRoleTable`, default
 * `RoleTable.standard`); `validate` resolves a role name through it (id or
 * Chinese name, `RoleTable.actorRole`), and checks a stored local role
 * against it.
 *
 * A `hotline` 12345 热线 principal acts for the hotline centre of its unit
 * (a district or a city): it sees the cases of that subtree, and the core lets
 * it take the hotline's steps — the return visit 回访 that evaluates a case,
 * reopening — as itself.
 *
 * **Personal data** (`canReadPersonalData`): community, street and district
 * staff, the hotline and admins read a reporter's contact in full (return
 * visits 回访);
 * everyone else reads it masked (`Mask`), except a resident reading their own
 * report. An anonymous report never shows a reporter to anyone.
 *
 * @since 0.1.0
 */
import { type Actor, ActorId, type Role as CoreRole, DepartmentId, RoleId } from "@civicgrid/core/Actor"
import type * as Case from "@civicgrid/core/Case"
import type { CaseScope } from "@civicgrid/core/CaseRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import * as RoleTable from "@civicgrid/core/RoleTable"
import * as Routing from "@civicgrid/core/Routing"
import { UnitId } from "@civicgrid/core/Unit"
import * as Context from "effect/Context"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * 主体角色 — the roles a principal can hold.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Role = Schema.Literal(
  "resident",
  "grid-worker",
  "community-staff",
  "street-staff",
  "district-staff",
  "department",
  "hotline",
  "admin"
).annotations({
  identifier: "PrincipalRole",
  title: "主体角色 principal role",
  description:
    "resident 居民 | grid-worker 网格员 | community-staff 社区工作人员 | street-staff 街道工作人员 | " +
    "district-staff 区指挥中心 | department 职能部门 | hotline 12345 热线 | admin 管理员"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Role = typeof Role.Type

/**
 * 访问主体 — an authenticated principal.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Principal = Schema.Struct({
  id: ActorId,
  role: Role,
  /** 辖区单元 — the jurisdiction unit (for a resident: their home unit). */
  unitId: UnitId,
  /** 所属部门 — for the `department` role. */
  departmentId: Schema.optionalWith(DepartmentId, { exact: true }),
  /**
   * 授权辖区 — for the `department` role only: a subtree whose cases, lists
   * and indicators the department may see besides what is dispatched to it.
   * Absent: none (the department's `unitId` is not a jurisdiction).
   */
  grantedSubtree: Schema.optionalWith(UnitId, { exact: true }),
  /**
   * 本地角色 — the role-table role the principal holds (e.g. 信访代办员
   * `petition-agent`), acting with the rights of `role` (the row's `actsAs`).
   * Absent: a built-in role.
   */
  localRole: Schema.optionalWith(RoleId, { exact: true })
}).annotations({ identifier: "Principal", title: "访问主体 principal" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Principal extends Schema.Schema.Type<typeof Principal> {}

/**
 * 当前主体 — the principal of the request being served (provided by the
 * `Authorization` middleware).
 *
 * @since 0.1.0
 * @category tags
 */
export class CurrentPrincipal extends Context.Tag("@civicgrid/http/CurrentPrincipal")<
  CurrentPrincipal,
  Principal
>() {}

/**
 * 角色表 — the role table principals draw their roles from (`validate`, the
 * key stores' verifiers, `GET /me`): by default `RoleTable.standard` (the
 * built-in roles and the reports' local roles); an app provides its own
 * (`Server.Options.roleTable`).
 *
 * @since 0.1.0
 * @category tags
 */
export class CurrentRoleTable extends Context.Reference<CurrentRoleTable>()(
  "@civicgrid/http/Principal/CurrentRoleTable",
  { defaultValue: (): RoleTable.RoleTable => RoleTable.standard }
) {}

/**
 * 可见性依据 — what decides whether a principal sees a case: its location
 * unit and community, where it is dispatched, and who reported it.
 *
 * @since 0.1.0
 * @category models
 */
export interface CaseFacts {
  readonly unitId: string
  readonly communityId: string
  readonly dispatchTarget: Case.DispatchTarget | null
  readonly reportedBy: string
}

/**
 * The facts of a case state.
 *
 * @since 0.1.0
 * @category getters
 */
export const factsOf = (state: Case.Case): CaseFacts => ({
  unitId: state.location.unitId,
  communityId: state.communityId,
  dispatchTarget: state.dispatchTarget,
  reportedBy: state.reportedBy
})

/**
 * 辖区 — the unit whose subtree is the principal's jurisdiction: its unit; for
 * a department only its `grantedSubtree`; a resident has none.
 *
 * @since 0.1.0
 * @category getters
 */
export const jurisdictionOf = (principal: Principal): UnitId | undefined =>
  principal.role === "resident"
    ? undefined
    : principal.role === "department"
      ? principal.grantedSubtree
      : principal.unitId

/**
 * 辖区判断 — whether a unit lies within the principal's jurisdiction
 * (`jurisdictionOf`'s subtree). A resident has none; nor has a department
 * without a granted subtree.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isInJurisdiction = (
  principal: Principal,
  hierarchy: Hierarchy.Hierarchy,
  unitId: string
): boolean => {
  const root = jurisdictionOf(principal)
  return root !== undefined && Hierarchy.isWithin(hierarchy, unitId, root)
}

/**
 * 组织结构范围 — the unit whose subtree of the organisational structure (unit
 * names, registered departments) the principal reads: its jurisdiction, or
 * — for a department without a grant — the unit it sits at.
 *
 * @since 0.1.0
 * @category getters
 */
export const structureRootOf = (principal: Principal): UnitId => jurisdictionOf(principal) ?? principal.unitId

/**
 * 案件可见 — whether the principal may see (and act on) a case: see the module
 * note. `hierarchy` is none when no hierarchy has been saved (then only a
 * resident's own reports and a department's dispatched cases are visible).
 *
 * @since 0.1.0
 * @category predicates
 */
export const canSeeCase = (
  principal: Principal,
  hierarchy: Option.Option<Hierarchy.Hierarchy>,
  facts: CaseFacts
): boolean => {
  // one rule for ids and lists: the principal's scope (`scopeOf`), here matched against the hierarchy
  const scope = scopeOf(principal)
  if (scope.reportedBy !== undefined && facts.reportedBy === scope.reportedBy) return true
  if (
    scope.department !== undefined &&
    facts.dispatchTarget?._tag === "Department" &&
    facts.dispatchTarget.departmentId === scope.department
  ) {
    return true
  }
  const within = scope.within
  return (
    within !== undefined &&
    Option.match(hierarchy, {
      onNone: () => false,
      onSome: (h) =>
        Hierarchy.isWithin(h, facts.unitId, within) || Hierarchy.isWithin(h, facts.communityId, within)
    })
  )
}

/**
 * 可见范围 — the case-store scope of what a principal sees (`canSeeCase` as a
 * query clause, `CaseRepository.CaseScope`): a resident's own reports; the
 * cases dispatched to a department, plus its granted subtree when it has one;
 * anyone else's subtree. Lists run with this scope, so a page holds only visible
 * cases and is never thinned after the fact.
 *
 * @since 0.1.0
 * @category constructors
 */
export const scopeOf = (principal: Principal): CaseScope => {
  if (principal.role === "resident") return { reportedBy: principal.id }
  if (principal.role === "department") {
    const within = principal.grantedSubtree
    const department = principal.departmentId
    // without a department id and a grant: no clause, which matches nothing
    return {
      ...(within === undefined ? {} : { within }),
      ...(department === undefined ? {} : { department })
    }
  }
  return { within: principal.unitId }
}

const personalDataRoles: ReadonlySet<Role> = new Set([
  "community-staff",
  "street-staff",
  "district-staff",
  "hotline",
  "admin"
])

/**
 * 个人信息权限 — whether the principal reads a reporter's contact in full on a
 * case it can see: staff of the three tiers, the hotline (it calls the
 * reporter back) and admins, and a resident on their own report.
 *
 * @since 0.1.0
 * @category predicates
 */
export const canReadPersonalData = (principal: Principal, facts: CaseFacts): boolean =>
  personalDataRoles.has(principal.role) ||
  (principal.role === "resident" && facts.reportedBy === principal.id)

/**
 * 人员信息权限 — whether a principal reads the personal data of the people on
 * record who are not a case's reporter (cadres, post holders, staff) in full:
 * the roles of {@link canReadPersonalData}, without the resident's own-report
 * exception (no report is involved).
 *
 * @since 0.1.0
 * @category predicates
 */
export const canReadStaffData = (principal: Principal): boolean => personalDataRoles.has(principal.role)

/**
 * 操作人 — the core actor a principal acts as (see the module note for the
 * role mapping). `hierarchy` gives an admin's tier from its unit's level.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toActor = (
  principal: Principal,
  hierarchy: Option.Option<Hierarchy.Hierarchy>,
  levels: Routing.TierLevels = Routing.defaultTierLevels
): Actor => {
  const role: CoreRole = principal.role === "admin" ? adminRole(principal, hierarchy, levels) : principal.role
  return {
    id: principal.id,
    role,
    unitId: principal.unitId,
    ...(principal.departmentId === undefined ? {} : { departmentId: principal.departmentId }),
    ...(principal.localRole === undefined ? {} : { localRole: principal.localRole })
  }
}

const adminRole = (
  principal: Principal,
  hierarchy: Option.Option<Hierarchy.Hierarchy>,
  levels: Routing.TierLevels
): CoreRole => {
  const level = Option.map(
    Option.flatMap(hierarchy, (h) => Hierarchy.get(h, principal.unitId)),
    (u) => u.level
  )
  if (Option.isSome(level) && level.value === levels.community) return "community-staff"
  if (Option.isSome(level) && level.value === levels.street) return "street-staff"
  return "district-staff"
}

/**
 * A principal, checked (for tests and token stores).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly id: string
  readonly role: Role
  readonly unitId: string
  readonly departmentId?: string
  readonly grantedSubtree?: string
  readonly localRole?: string
}): Principal => ({
  id: ActorId.make(fields.id),
  role: fields.role,
  unitId: UnitId.make(fields.unitId),
  ...(fields.departmentId === undefined ? {} : { departmentId: DepartmentId.make(fields.departmentId) }),
  ...(fields.grantedSubtree === undefined ? {} : { grantedSubtree: UnitId.make(fields.grantedSubtree) }),
  ...(fields.localRole === undefined ? {} : { localRole: RoleId.make(fields.localRole) })
})

/**
 * 主体无效 — principal data that is no `Principal` (`validate`): the field
 * and the rule it breaks.
 *
 * @since 0.1.0
 * @category errors
 */
export class PrincipalInvalid extends Schema.TaggedError<PrincipalInvalid>()("PrincipalInvalid", {
  field: Schema.String,
  rule: Schema.String
}) {
  override get message(): string {
    return `主体无效 invalid principal: ${this.field}: ${this.rule}`
  }
}

const decodeData = Schema.decodeUnknownEither(Principal, { errors: "first" })

const isPrincipalRole = Schema.is(Role)

/**
 * 主体角色解析 — a role name as a principal holds it: `role`, the built-in
 * role that decides its rights, and `localRole` for a local role of the table.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResolvedRole {
  readonly role: Role
  readonly localRole?: RoleId
}

const roleList = (table: RoleTable.RoleTable): string =>
  [
    ...Role.literals,
    ...RoleTable.rolesOf(table, "actor")
      .filter((e) => !e.builtIn)
      .map((e) => `${e.id} ${e.zh}`)
  ].join(", ")

/**
 * 角色解析 — a role name (a principal role such as `grid-worker` or `admin`;
 * or an actor role of the table by id or Chinese name, e.g. `信访代办员`) as the
 * role a principal holds, through the core's `RoleTable.actorRole`. An
 * unknown name — or `system`, no principal's role — is `PrincipalInvalid` on
 * `role`, naming the roles there are.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolveRole = (
  table: RoleTable.RoleTable,
  name: string
): Either.Either<ResolvedRole, PrincipalInvalid> => {
  if (isPrincipalRole(name)) return Either.right({ role: name })
  const resolved = RoleTable.actorRole(table, name)
  if (Either.isRight(resolved) && resolved.right.role !== "system") {
    const { role, localRole } = resolved.right
    return Either.right(localRole === undefined ? { role } : { role, localRole })
  }
  return Either.left(
    new PrincipalInvalid({
      field: "role",
      rule:
        Either.isLeft(resolved) && resolved.left._tag === "RoleTableViolation"
          ? `角色表不合规 the role table breaks a rule: ${resolved.left.message}`
          : `未知角色 unknown role "${name}": 既非主体角色，也非角色表中的操作人角色 neither a principal role nor an actor role of the role table (by id or Chinese name) — one of ${roleList(table)}`
    })
  )
}

/**
 * The local role stored with a principal, checked against the table: a local
 * actor role of the table whose `actsAs` is the principal's role.
 */
const checkLocalRole = (
  table: RoleTable.RoleTable,
  role: ResolvedRole,
  localRole: string | undefined
): Either.Either<ResolvedRole, PrincipalInvalid> => {
  if (localRole === undefined) return Either.right(role)
  const invalid = (rule: string) => Either.left(new PrincipalInvalid({ field: "localRole", rule }))
  if (role.localRole !== undefined && role.localRole !== localRole) {
    return invalid(
      `本地角色冲突 the role "${role.localRole}" is itself a local role, and differs from localRole "${localRole}"`
    )
  }
  const found = RoleTable.actorRole(table, localRole)
  if (Either.isLeft(found) || found.right.localRole !== localRole) {
    return invalid(
      `未知本地角色 unknown local role "${localRole}": not a local actor role of the role table (by id)`
    )
  }
  return found.right.role === role.role
    ? Either.right({ role: role.role, localRole: found.right.localRole })
    : invalid(
        `本地角色 "${localRole}" 的权限同 ${found.right.role}，而非 ${role.role} — local role "${localRole}" acts as ${found.right.role} in the role table, not as ${role.role}`
      )
}

/**
 * 主体校验 — checks principal data (plain strings, as a key store or a command
 * line gives them) as a `Principal` before a key is issued for it, and again
 * when a stored key is verified: the role through the role `table`
 * (`resolveRole`: a principal role, or an actor role of the table by id or
 * Chinese name — a local one gives the role it acts as and `localRole`); a
 * stored `localRole` must be a local actor role of the table acting as
 * `role` (a key whose local role the table no longer holds, or now maps to
 * other rights, does not verify); the schema (id, unit and department are
 * identifiers) and the role rules — a `department` principal names its
 * department (`departmentId`), and only a department has a granted subtree
 * (`grantedSubtree`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (
  data: {
    readonly id: string
    readonly role: string
    readonly unitId: string
    readonly departmentId?: string | undefined
    readonly grantedSubtree?: string | undefined
    readonly localRole?: string | undefined
  },
  table: RoleTable.RoleTable = RoleTable.standard
): Either.Either<Principal, PrincipalInvalid> =>
  Either.flatMap(
    Either.flatMap(resolveRole(table, data.role), (role) => checkLocalRole(table, role, data.localRole)),
    (role) => validateData(data, role)
  )

const validateData = (
  data: Parameters<typeof validate>[0],
  resolved: ResolvedRole
): Either.Either<Principal, PrincipalInvalid> =>
  Either.flatMap(
    Either.mapLeft(
      decodeData({
        id: data.id,
        role: resolved.role,
        unitId: data.unitId,
        ...(data.departmentId === undefined ? {} : { departmentId: data.departmentId }),
        ...(data.grantedSubtree === undefined ? {} : { grantedSubtree: data.grantedSubtree }),
        ...(resolved.localRole === undefined ? {} : { localRole: resolved.localRole })
      }),
      (error) => {
        const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
        return new PrincipalInvalid({
          field: issue === undefined || issue.path.length === 0 ? "principal" : issue.path.join("."),
          // the role is resolved already (`resolveRole`): what is left is an identifier's rule
          rule: issue?.message ?? String(error)
        })
      }
    ),
    (principal): Either.Either<Principal, PrincipalInvalid> =>
      principal.role === "department" && principal.departmentId === undefined
        ? Either.left(
            new PrincipalInvalid({
              field: "departmentId",
              rule: "职能部门主体须指明部门 a department principal names its department"
            })
          )
        : principal.role !== "department" && principal.grantedSubtree !== undefined
          ? Either.left(
              new PrincipalInvalid({
                field: "grantedSubtree",
                rule: "只有职能部门可授权辖区 only a department principal has a granted subtree"
              })
            )
          : Either.right(principal)
  )
