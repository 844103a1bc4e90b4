/**
 * 小区管理台账 — the ledger of compounds and how they are managed
 * (`Compound.ts`): one row per compound with its community, name, households,
 * its management mode — 专业物业 (a property company), 自管 (its 业委会 / 院委会
 * or a self-management group), 无人管理 — the body that manages it, and for an
 * unmanaged compound the unit that took it over (兜底单位). An empty mode means
 * the arrangement is not recorded; the core's `compound-management` rule
 * (`OrganizationLedgers.check`) reports it, and whether the managing body is of
 * a kind that may manage.
 *
 * The row is flat, as staff keep it; reading it into the core's management
 * value needs a body for 专业物业 and 自管, none for 无人管理, and a 兜底单位 only
 * for 无人管理 — a row that says otherwise is refused at the cell concerned.
 * Unit columns read ids, names or paths; the body column a body id or the name
 * of one of the bodies given.
 *
 * @since 0.1.0
 */
import type * as Body from "@civicgrid/core/Body"
import * as Compound from "@civicgrid/core/Compound"
import { UnitId } from "@civicgrid/core/Unit"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import { bodyByName } from "./internal/org.js"
import * as Ledger from "./Ledger.js"

/**
 * 管理方式 — the management modes as a column.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Mode = Schema.Literal("Professional", "SelfManaged", "Unmanaged").annotations({
  identifier: "CompoundManagementMode",
  title: "管理方式 management mode"
})

/**
 * 小区管理台账行 — a compound as a flat row.
 *
 * @since 0.1.0
 * @category schemas
 */
export const flatRow = (bodies: ReadonlyArray<Body.Body> = []) =>
  Schema.Struct({
    id: Compound.Compound.fields.id,
    communityId: Compound.Compound.fields.communityId,
    name: Compound.Compound.fields.name,
    households: Compound.Compound.fields.households,
    mode: Schema.optionalWith(Mode, { exact: true }),
    managerId: Schema.optionalWith(bodyByName(Compound.SelfManaged.fields.bodyId, bodies), { exact: true }),
    takenOverBy: Schema.optionalWith(UnitId, { exact: true })
  }).annotations({ identifier: "CompoundRow", title: "小区管理台账行 compound row" })

type Flat = Schema.Schema.Type<ReturnType<typeof flatRow>>

const refuse = (field: string, row: Flat, ast: AST.AST, message: string) =>
  new ParseResult.Pointer(field, row, new ParseResult.Type(ast, row[field as keyof Flat], message))

/**
 * A compound from its flat row, and back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const rowSchema = (bodies: ReadonlyArray<Body.Body> = []) => {
  const flat = flatRow(bodies)
  return Schema.transformOrFail(flat, Schema.typeSchema(Compound.Compound), {
    strict: true,
    decode: (row, _, ast) => {
      const issues: Array<ParseResult.ParseIssue> = []
      const mode = row.mode
      const name = mode === undefined ? "未登记" : Compound.modeNames[mode]
      if (mode === "Professional" || mode === "SelfManaged") {
        if (row.managerId === undefined) {
          issues.push(
            refuse(
              "managerId",
              row,
              ast,
              `${name}须填写管理机构（${mode === "Professional" ? "物业企业" : "业委会/院委会或自管组织"}） — a compound managed by ${mode === "Professional" ? "a property company" : "its residents"} names the managing body`
            )
          )
        }
      } else if (row.managerId !== undefined) {
        issues.push(
          refuse(
            "managerId",
            row,
            ast,
            `管理方式为「${name}」时不填管理机构 — no managing body when the mode is ${mode ?? "not recorded"}`
          )
        )
      }
      if (row.takenOverBy !== undefined && mode !== "Unmanaged") {
        issues.push(
          refuse(
            "takenOverBy",
            row,
            ast,
            `只有无人管理的小区填写兜底单位（管理方式为「${name}」） — only an unmanaged compound is taken over`
          )
        )
      }
      const [first, ...rest] = issues
      if (first !== undefined) {
        return ParseResult.fail(
          rest.length === 0 ? first : new ParseResult.Composite(ast, row, [first, ...rest])
        )
      }
      const management: Compound.Management | undefined =
        mode === "Professional" && row.managerId !== undefined
          ? { _tag: "Professional", propertyCompanyId: row.managerId }
          : mode === "SelfManaged" && row.managerId !== undefined
            ? { _tag: "SelfManaged", bodyId: row.managerId }
            : mode === "Unmanaged"
              ? row.takenOverBy === undefined
                ? { _tag: "Unmanaged" }
                : { _tag: "Unmanaged", takenOverBy: row.takenOverBy }
              : undefined
      return ParseResult.succeed({
        id: row.id,
        communityId: row.communityId,
        name: row.name,
        ...(row.households === undefined ? {} : { households: row.households }),
        ...(management === undefined ? {} : { management })
      })
    },
    encode: (c) => {
      const m = c.management
      return ParseResult.succeed({
        id: c.id,
        communityId: c.communityId,
        name: c.name,
        ...(c.households === undefined ? {} : { households: c.households }),
        ...(m === undefined ? {} : { mode: m._tag }),
        ...(m?._tag === "Professional" ? { managerId: m.propertyCompanyId } : {}),
        ...(m?._tag === "SelfManaged" ? { managerId: m.bodyId } : {}),
        ...(m?._tag === "Unmanaged" && m.takenOverBy !== undefined ? { takenOverBy: m.takenOverBy } : {})
      })
    }
  })
}

/**
 * 小区管理台账 — the spec, the body column reading ids or the names of
 * `bodies`; rows are `Compound.Compound` values.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (bodies: ReadonlyArray<Body.Body> = []): Ledger.LedgerSpec<Compound.Compound> =>
  Ledger.make({
    sheet: "小区管理台账",
    schema: rowSchema(bodies),
    headers: {
      id: { header: "小区", reference: "unit" },
      communityId: { header: "所属社区", reference: "unit" },
      name: { header: "小区名称", width: 20 },
      households: "户数",
      mode: { header: "管理方式", labels: Compound.modeNames },
      managerId: { header: "管理机构", width: 20 },
      takenOverBy: { header: "兜底单位", reference: "unit" }
    }
  })

/**
 * 小区管理台账 — the spec with bodies by id.
 *
 * @since 0.1.0
 * @category specs
 */
export const spec: Ledger.LedgerSpec<Compound.Compound> = make()
