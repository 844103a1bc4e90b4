/**
 * Deriving a column's cell kind from a row schema's AST: the encoded side of
 * each property says text / number / boolean / list / JSON; the type side says
 * whether it is a date (`DateTimeUtc`, `Date` …); `null` members make a column
 * nullable, optional properties make it optional.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import type { CellKind, DateRep } from "./cells.js"

/** What the AST says about one property. */
export interface Derived {
  readonly kind: CellKind
  readonly optional: boolean
  readonly nullable: boolean
  readonly literals: ReadonlyArray<string> | undefined
  readonly itemKind: "text" | "number"
  readonly dateRep: DateRep
}

type Scalar = "text" | "number" | "boolean" | "other"

const dateIdentifiers: ReadonlySet<string> = new Set([
  "DateTimeUtcFromSelf",
  "DateFromSelf",
  "ValidDateFromSelf",
  "DateTimeZonedFromSelf"
])

/** Strips refinements and suspensions (they do not change the cell kind). */
const unwrap = (ast: AST.AST): AST.AST => {
  let current = ast
  for (;;) {
    if (AST.isRefinement(current)) current = current.from
    else if (AST.isSuspend(current)) current = current.f()
    else return current
  }
}

/** The members of a union (flattened), or the AST itself. */
const members = (ast: AST.AST): ReadonlyArray<AST.AST> => {
  const a = unwrap(ast)
  return AST.isUnion(a) ? a.types.flatMap(members) : [a]
}

const isNull = (ast: AST.AST): boolean => AST.isLiteral(ast) && ast.literal === null

const scalarOf = (ast: AST.AST): Scalar => {
  const a = unwrap(ast)
  switch (a._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return "text"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "Literal":
      return typeof a.literal === "string"
        ? "text"
        : typeof a.literal === "number"
          ? "number"
          : typeof a.literal === "boolean"
            ? "boolean"
            : "other"
    case "Enums":
      return a.enums.every(([, v]) => typeof v === "string")
        ? "text"
        : a.enums.every(([, v]) => typeof v === "number")
          ? "number"
          : "other"
    default:
      return "other"
  }
}

const same = (kinds: ReadonlyArray<Scalar>): Scalar => {
  const [first, ...rest] = kinds
  return first !== undefined && rest.every((k) => k === first) ? first : "other"
}

/** The item kind of a list-like AST (tuples and arrays of one scalar kind), if it is one. */
const listItemKind = (types: ReadonlyArray<AST.AST>): "text" | "number" | undefined => {
  const items: Array<AST.AST> = []
  for (const t of types) {
    if (!AST.isTupleType(t)) return undefined
    for (const e of t.elements) items.push(e.type)
    for (const r of t.rest) items.push(r.type)
  }
  const kind = same(items.map(scalarOf))
  return kind === "text" || kind === "number" ? kind : undefined
}

const stringLiterals = (types: ReadonlyArray<AST.AST>): ReadonlyArray<string> | undefined => {
  const out: Array<string> = []
  for (const t of types) {
    if (AST.isLiteral(t) && typeof t.literal === "string") out.push(t.literal)
    else if (AST.isEnums(t)) for (const [, v] of t.enums) out.push(String(v))
    else return undefined
  }
  return out
}

/** Instants a date declaration is asked to accept, when its identifier does not say what it is. */
const probes: ReadonlyArray<unknown> = [DateTime.unsafeMake(0), new Date(0)]

const isDateDeclaration = (m: AST.AST): boolean => {
  if (!AST.isDeclaration(m)) return false
  const id = AST.getIdentifierAnnotation(m)
  if (Option.isSome(id) && dateIdentifiers.has(id.value)) return true
  // a transformation's annotations replace the identifier on its type side (e.g. a stricter
  // `DateTimeUtc` built on `DateTimeUtcFromSelf`): recognise the declaration by what it accepts
  if (m.typeParameters.length > 0) return false
  const is = Schema.is(Schema.make(m))
  return probes.some((p) => is(p))
}

const isDateType = (ast: AST.AST | undefined): boolean => {
  if (ast === undefined) return false
  return members(ast).some(isDateDeclaration)
}

const dateRepOf = (types: ReadonlyArray<AST.AST>): DateRep => {
  const kinds = types.map(scalarOf)
  return kinds.includes("text") ? "iso" : kinds.includes("number") ? "millis" : "date"
}

/** The property signatures of an object-like AST, by name. */
export const propertiesOf = (ast: AST.AST): ReadonlyMap<string, AST.PropertySignature> => {
  const a = unwrap(ast)
  const out = new Map<string, AST.PropertySignature>()
  if (AST.isTypeLiteral(a)) for (const ps of a.propertySignatures) out.set(String(ps.name), ps)
  return out
}

/** Derives a column's kind from its encoded and type property signatures. */
export const derive = (
  encoded: AST.PropertySignature | undefined,
  type: AST.PropertySignature | undefined
): Derived => {
  const base = { literals: undefined, itemKind: "text" as const, dateRep: "iso" as const }
  if (encoded === undefined) return { ...base, kind: "json", optional: false, nullable: false }
  const all = members(encoded.type)
  const nullable = all.some(isNull)
  const optional = encoded.isOptional || all.some((m) => m._tag === "UndefinedKeyword")
  const types = all.filter((m) => !isNull(m) && m._tag !== "UndefinedKeyword")
  if (isDateType(type?.type)) return { ...base, kind: "date", optional, nullable, dateRep: dateRepOf(types) }
  const scalar = same(types.map(scalarOf))
  if (scalar === "text") return { ...base, kind: "text", optional, nullable, literals: stringLiterals(types) }
  if (scalar === "number" || scalar === "boolean") return { ...base, kind: scalar, optional, nullable }
  const itemKind = listItemKind(types)
  if (itemKind !== undefined) return { ...base, kind: "list", optional, nullable, itemKind }
  return { ...base, kind: "json", optional, nullable }
}
