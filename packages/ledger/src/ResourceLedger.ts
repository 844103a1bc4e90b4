/**
 * 资源清单台账 — the resource list ledger (`ResourceList.ts`): one row per
 * resource, the second of the community experience report's "三张清单" (共建单位, 社会组织, 党员 and
 * 志愿者 resources).
 *
 * The provider, a union, is kept in plain cells: 提供方类型, 提供方名称, 党员类别
 * (骨干 / 一般 / 流动 / 老年; required for a party member, empty otherwise) and
 * 人员编号 (only for a party member or a volunteer). The availability window is
 * 可用开始 and 可用结束, filled together or left empty together.
 *
 * 提供方类型 is a provider kind of the role table (`RoleTable`, domain
 * `provider-kind`) by id or Chinese name: a built-in kind (共建单位, 社会组织,
 * 党员, 志愿者) or a local one (驻区单位, 结对共建机关, 物业企业, 社工机构 …),
 * read through the core's `RoleTable.providerKind` — the resource gets the
 * built-in kind it acts as and `localKind`. {@link spec} reads with
 * `RoleTable.standard`; {@link specWith} with a district's own table. Export
 * writes a local kind's Chinese name (the built-in kind's when the table
 * does not hold it).
 *
 * Import checks each row against the `ResourceList.Resource` schema. It does
 * not check the list as a whole (duplicate ids, missing tags or scope, scope
 * units the hierarchy does not know, a window that ends before it starts); run
 * `ResourceList.validate` on the imported resources for that.
 *
 * 提供方名称 of a party member or a volunteer is a person's name, personal
 * information under PIPL (《个人信息保护法》): give the ledger only to roles that
 * need it.
 *
 * @since 0.1.0
 */
import * as ResourceList from "@civicgrid/core/ResourceList"
import * as RoleTable from "@civicgrid/core/RoleTable"
import { PartyMemberClass, PersonId } from "@civicgrid/core/Staffing"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Ledger from "./Ledger.js"

/**
 * 党员类别名称 — the Chinese names of the community experience report's party-member classes.
 *
 * @since 0.1.0
 * @category constants
 */
export const partyMemberClassNames: Readonly<Record<PartyMemberClass, string>> = {
  core: "骨干",
  ordinary: "一般",
  mobile: "流动",
  elderly: "老年"
}

/**
 * The provider kinds of a table a 提供方类型 cell may name, by id: every
 * `provider-kind` row that resolves (`RoleTable.providerKind`) — the built-in
 * kinds, and the local ones acting as one.
 */
const kindsOf = (table: RoleTable.RoleTable): ReadonlyMap<string, RoleTable.ProviderKindOf> => {
  const kinds = new Map<string, RoleTable.ProviderKindOf>(
    ResourceList.ProviderKind.literals.map((k) => [k, { kind: k }] as const)
  )
  for (const row of RoleTable.rolesOf(table, "provider-kind")) {
    const resolved = RoleTable.providerKind(table, row.id)
    if (Either.isRight(resolved) && !kinds.has(row.id)) kinds.set(row.id, resolved.right)
  }
  return kinds
}

const providerIssues =
  (kinds: ReadonlyMap<string, RoleTable.ProviderKindOf>) =>
  (row: {
    readonly providerKind: string
    readonly partyMemberClass?: PartyMemberClass
    readonly personId?: PersonId
    readonly availableFrom?: unknown
    readonly availableTo?: unknown
  }): ReadonlyArray<Schema.FilterIssue> => {
    const issues: Array<Schema.FilterIssue> = []
    const kind = kinds.get(row.providerKind)?.kind
    const partyMember = kind === "party-member"
    if (partyMember && row.partyMemberClass === undefined) {
      issues.push({
        path: ["partyMemberClass"],
        message: "党员资源须填写党员类别 (a party-member resource needs its class)"
      })
    }
    if (!partyMember && row.partyMemberClass !== undefined) {
      issues.push({
        path: ["partyMemberClass"],
        message: "仅党员资源填写党员类别 (only a party-member resource has a class)"
      })
    }
    if (!partyMember && kind !== "volunteer" && row.personId !== undefined) {
      issues.push({
        path: ["personId"],
        message: "共建单位、社会组织不填人员编号 (only party members and volunteers have a person id)"
      })
    }
    const together = "可用开始与可用结束须同时填写或同时为空 (availability start and end go together)"
    if (row.availableFrom === undefined && row.availableTo !== undefined) {
      issues.push({ path: ["availableFrom"], message: together })
    }
    if (row.availableFrom !== undefined && row.availableTo === undefined) {
      issues.push({ path: ["availableTo"], message: together })
    }
    return issues
  }

const isBuiltIn = Schema.is(ResourceList.ProviderKind)

const rowOf = (kinds: ReadonlyMap<string, RoleTable.ProviderKindOf>) =>
  Schema.Struct({
    ...ResourceList.Resource.omit("provider", "availability").fields,
    /** 提供方类型 — a provider kind of the role table, by id (built in, or local). */
    providerKind: Schema.Literal(
      ...ResourceList.ProviderKind.literals,
      ...[...kinds.keys()].filter((id) => !isBuiltIn(id))
    ),
    providerName: Schema.NonEmptyTrimmedString,
    partyMemberClass: Schema.optionalWith(PartyMemberClass, { exact: true }),
    personId: Schema.optionalWith(PersonId, { exact: true }),
    availableFrom: Schema.optionalWith(Schema.DateTimeUtc, { exact: true }),
    availableTo: Schema.optionalWith(Schema.DateTimeUtc, { exact: true })
  })
    .pipe(Schema.filter(providerIssues(kinds)))
    .annotations({ identifier: "ResourceRow", title: "资源清单台账行 resource row" })

/**
 * 资源清单台账行 — a resource as a flat row: the fields of
 * `ResourceList.Resource`, with the provider as `providerKind` (a provider
 * kind of the role table by id: built in, or local), `providerName`,
 * `partyMemberClass` and `personId`, and the availability window as
 * `availableFrom` and `availableTo`. Import reports a cell that does not fit
 * the provider kind (or half a window) at that cell. This is the row of
 * `RoleTable.standard`'s kinds.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResourceRow = rowOf(kindsOf(RoleTable.standard))

/**
 * @since 0.1.0
 * @category models
 */
export interface ResourceRow extends Schema.Schema.Type<typeof ResourceRow> {}

const providerOf = (
  kinds: ReadonlyMap<string, RoleTable.ProviderKindOf>,
  row: ResourceRow
): ResourceList.Provider | undefined => {
  const resolved = kinds.get(row.providerKind)
  if (resolved === undefined) return undefined
  const name = row.providerName
  const person = row.personId === undefined ? {} : { personId: row.personId }
  const local = resolved.localKind === undefined ? {} : { localKind: resolved.localKind }
  switch (resolved.kind) {
    case "co-building-unit":
    case "social-organization":
      return { kind: resolved.kind, name, ...local }
    case "party-member":
      return row.partyMemberClass === undefined
        ? undefined
        : { kind: "party-member", name, partyMemberClass: row.partyMemberClass, ...person, ...local }
    case "volunteer":
      return { kind: "volunteer", name, ...person, ...local }
  }
}

const providerCells = (
  kinds: ReadonlyMap<string, RoleTable.ProviderKindOf>,
  provider: ResourceList.Provider
) => {
  // a local kind the table holds (acting as this kind) is written as itself; else the built-in kind
  const local = provider.localKind
  const base = {
    providerKind: local !== undefined && kinds.get(local)?.kind === provider.kind ? local : provider.kind,
    providerName: provider.name
  }
  switch (provider.kind) {
    case "co-building-unit":
    case "social-organization":
      return base
    case "party-member":
      return {
        ...base,
        partyMemberClass: provider.partyMemberClass,
        ...(provider.personId === undefined ? {} : { personId: provider.personId })
      }
    case "volunteer":
      return { ...base, ...(provider.personId === undefined ? {} : { personId: provider.personId }) }
  }
}

const fromRowOf = (kinds: ReadonlyMap<string, RoleTable.ProviderKindOf>) =>
  Schema.transformOrFail(rowOf(kinds), Schema.typeSchema(ResourceList.Resource), {
    strict: true,
    decode: (row, _options, ast, input) => {
      const provider = providerOf(kinds, row)
      if (provider === undefined) {
        return ParseResult.fail(
          new ParseResult.Type(ast, input, "党员资源须填写党员类别 (a party-member resource needs its class)")
        )
      }
      const {
        providerKind: _kind,
        providerName: _name,
        partyMemberClass: _class,
        personId: _person,
        availableFrom,
        availableTo,
        ...rest
      } = row
      return ParseResult.succeed({
        ...rest,
        provider,
        ...(availableFrom === undefined || availableTo === undefined
          ? {}
          : { availability: { from: availableFrom, to: availableTo } })
      })
    },
    encode: ({ availability, provider, ...rest }) =>
      ParseResult.succeed({
        ...rest,
        ...providerCells(kinds, provider),
        ...(availability === undefined
          ? {}
          : { availableFrom: availability.from, availableTo: availability.to })
      })
  })

/**
 * A resource from its flat row, and back (the provider kinds of
 * `RoleTable.standard`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResourceFromRow = fromRowOf(kindsOf(RoleTable.standard))

/**
 * 资源清单台账 — the spec of a role table: 提供方类型 names a provider kind of
 * the table (built in or local) by id or Chinese name. Rows are
 * `ResourceList.Resource` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const specWith = (table: RoleTable.RoleTable): Ledger.LedgerSpec<ResourceList.Resource> => {
  const kinds = kindsOf(table)
  const labels = Object.fromEntries(
    [...kinds.keys()].map((id) => [id, RoleTable.nameOf(table, "provider-kind", id)] as const)
  )
  return Ledger.make({
    sheet: "资源清单台账",
    schema: fromRowOf(kinds),
    headers: {
      id: "资源编号",
      name: { header: "资源名称", width: 24 },
      kind: { header: "资源类型", labels: ResourceList.kindNames },
      providerKind: { header: "提供方类型", labels },
      providerName: { header: "提供方名称", width: 24 },
      partyMemberClass: { header: "党员类别", labels: partyMemberClassNames },
      personId: "人员编号",
      tags: "能力标签",
      scope: { header: "服务范围", reference: "unit" },
      capacity: "容量",
      availableFrom: { header: "可用开始", kind: "date" },
      availableTo: { header: "可用结束", kind: "date" },
      description: { header: "说明", width: 30 }
    }
  })
}

/**
 * 资源清单台账 — the spec with `RoleTable.standard`'s provider kinds (built in:
 * 共建单位, 社会组织, 党员, 志愿者; local: 驻区单位, 结对共建机关, 物业企业,
 * 社工机构). Rows are `ResourceList.Resource` values.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<ResourceList.Resource> = specWith(RoleTable.standard)
