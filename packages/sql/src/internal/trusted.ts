/**
 * 可信解码 — decoding of rows this package wrote itself (encoded by the same
 * schemas on the way in): a decoder derived from a schema's AST that applies
 * only the schema's transformations (an ISO instant to a `DateTime.Utc`,
 * epoch milliseconds to one, a count read back as a decimal string) and skips
 * its checks (brands, refinements, literals, required fields). A part of the
 * schema this walk does not know is decoded by the schema itself, checks
 * included. The result equals the schema's decoding of every value the
 * schema encoded (property-tested against it), but a corrupted row is not
 * refused — only for reads of the store's own rows, never for input.
 */
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"

/** A decoder of one part; `undefined`: the encoded value is the value (nothing to transform). */
export type Decoder = ((encoded: unknown) => unknown) | undefined

/** Transformations decoded directly (an AST of the schema ⇒ its decoding without checks). */
export type Known = ReadonlyMap<SchemaAST.AST, (encoded: unknown) => unknown>

const isoInstant = (encoded: unknown): unknown =>
  typeof encoded === "string" ? DateTime.unsafeMake(encoded) : fail("an ISO instant", encoded)

const fail = (expected: string, encoded: unknown): never => {
  throw new Error(`expected ${expected}, got ${typeof encoded}`)
}

/** The known transformations every trusted decoder applies: `Schema.DateTimeUtc` (an ISO string). */
const builtIn: Known = new Map([[Schema.DateTimeUtc.ast, isoInstant]])

const literalTagOf = (ast: SchemaAST.AST): string | undefined => {
  if (ast._tag !== "TypeLiteral") return undefined
  const tag = ast.propertySignatures.find((p) => p.name === "_tag")
  return tag !== undefined && tag.type._tag === "Literal" && typeof tag.type.literal === "string"
    ? tag.type.literal
    : undefined
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The trusted decoder of a schema's AST (`undefined` when the encoded value is
 * the value).
 */
export const decoderOf = (ast: SchemaAST.AST, known: Known = builtIn): Decoder => {
  const direct = known.get(ast) ?? builtIn.get(ast)
  if (direct !== undefined) return direct
  const full = (): Decoder => Schema.decodeUnknownSync(Schema.make(ast))
  switch (ast._tag) {
    case "Refinement":
      return decoderOf(ast.from, known)
    case "Literal":
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "TemplateLiteral":
    case "Enums":
    case "UnknownKeyword":
      return undefined
    case "TypeLiteral": {
      if (ast.indexSignatures.some((s) => decoderOf(s.type, known) !== undefined)) return full()
      const fields: Array<readonly [PropertyKey, (encoded: unknown) => unknown]> = []
      for (const p of ast.propertySignatures) {
        const d = decoderOf(p.type, known)
        if (d !== undefined) fields.push([p.name, d])
      }
      if (fields.length === 0) return undefined
      return (encoded) => {
        if (!isRecord(encoded)) return fail("an object", encoded)
        const out: Record<PropertyKey, unknown> = { ...encoded }
        for (const [name, d] of fields) {
          const value = out[name]
          if (value !== undefined) out[name] = d(value)
        }
        return out
      }
    }
    case "Union": {
      const members = ast.types.map((t) => decoderOf(t, known))
      if (members.every((d) => d === undefined)) return undefined
      // `X | null`
      const nonNull = ast.types.filter((t) => !(t._tag === "Literal" && t.literal === null))
      if (nonNull.length === 1 && nonNull[0] !== undefined) {
        const d = decoderOf(nonNull[0], known)
        return d === undefined ? undefined : (encoded) => (encoded === null ? null : d(encoded))
      }
      // a tagged union: the member of the `_tag`
      const tags = ast.types.map(literalTagOf)
      if (tags.every((t) => t !== undefined) && new Set(tags).size === tags.length) {
        const byTag = new Map<unknown, Decoder>(tags.map((t, i) => [t, members[i]]))
        return (encoded) => {
          if (!isRecord(encoded) || !byTag.has(encoded["_tag"])) return fail("a known _tag", encoded)
          const d = byTag.get(encoded["_tag"])
          return d === undefined ? encoded : d(encoded)
        }
      }
      return full()
    }
    case "TupleType": {
      const elements = ast.elements.map((e) => decoderOf(e.type, known))
      const rest = ast.rest.map((r) => decoderOf(r.type, known))
      if (elements.every((d) => d === undefined) && rest.every((d) => d === undefined)) return undefined
      if (rest.length > 1) return full()
      const tail = rest[0]
      return (encoded) => {
        if (!Array.isArray(encoded)) return fail("an array", encoded)
        return encoded.map((item, i) => {
          const d = i < elements.length ? elements[i] : tail
          return d === undefined ? item : d(item)
        })
      }
    }
    default:
      return full()
  }
}

/** A trusted decoder of a whole schema: the identity when it transforms nothing. */
export const make = <A, I>(schema: Schema.Schema<A, I>, known?: Known): ((encoded: unknown) => A) => {
  const d = decoderOf(schema.ast, known)
  // the decoder applies exactly the schema's transformations: its result is an `A`
  return (d ?? ((encoded: unknown) => encoded)) as (encoded: unknown) => A
}

// -----------------------------------------------------------------------------
// encoding
// -----------------------------------------------------------------------------

/** An encoder of one part; `undefined`: the value is its own encoding (nothing to transform or drop). */
export type Encoder = ((value: unknown) => unknown) | undefined

/** Transformations encoded directly (an AST of the schema ⇒ its encoding without checks). */
export type KnownEncodings = ReadonlyMap<SchemaAST.AST, (value: unknown) => unknown>

const isoOf = (value: unknown): unknown =>
  DateTime.isDateTime(value) ? DateTime.formatIso(value) : fail("a DateTime", value)

/** The known encodings every trusted encoder applies: `Schema.DateTimeUtc` (to an ISO string). */
const builtInEncodings: KnownEncodings = new Map([[Schema.DateTimeUtc.ast, isoOf]])

/**
 * The trusted encoder of a schema's AST — the inverse walk of `decoderOf`,
 * for values the core built and typed (a decider's events): only the
 * schema's transformations (an instant to its ISO string), no checks. A
 * struct is rebuilt with its declared fields only, in their declared order,
 * as the schema's encoding builds it (so `JSON.stringify` of both is the
 * same text). A part this walk does not know is encoded by the schema
 * itself, checks included. `undefined`: the value is its own encoding.
 */
export const encoderOf = (ast: SchemaAST.AST, known: KnownEncodings = builtInEncodings): Encoder => {
  const direct = known.get(ast) ?? builtInEncodings.get(ast)
  if (direct !== undefined) return direct
  const full = (): Encoder => Schema.encodeUnknownSync(Schema.make(ast))
  switch (ast._tag) {
    case "Refinement":
      return encoderOf(ast.from, known)
    case "Literal":
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "TemplateLiteral":
    case "Enums":
    case "UnknownKeyword":
      return undefined
    case "TypeLiteral": {
      if (ast.indexSignatures.length > 0) {
        // a record whose values are their own encoding: copied key by key by assignment, as the
        // schema's encoding builds it (an own "__proto__" key is not copied as a key — the schema's
        // output does not keep it either, and the stored JSON must be the same)
        if (
          ast.propertySignatures.length === 0 &&
          ast.indexSignatures.every((s) => encoderOf(s.type, known) === undefined)
        ) {
          return (value) => {
            if (!isRecord(value)) return fail("an object", value)
            const out: Record<string, unknown> = {}
            for (const key of Object.keys(value)) out[key] = value[key]
            return out
          }
        }
        return full()
      }
      const fields = ast.propertySignatures.map((p) => [p.name, encoderOf(p.type, known)] as const)
      return (value) => {
        if (!isRecord(value)) return fail("an object", value)
        const out: Record<PropertyKey, unknown> = {}
        for (const [name, e] of fields) {
          if (!(name in value)) continue
          const v = value[name as string]
          out[name] = e === undefined || v === undefined ? v : e(v)
        }
        return out
      }
    }
    case "Union": {
      const members = ast.types.map((t) => encoderOf(t, known))
      if (members.every((e) => e === undefined)) return undefined
      // `X | null`
      const nonNull = ast.types.filter((t) => !(t._tag === "Literal" && t.literal === null))
      if (nonNull.length === 1 && nonNull[0] !== undefined) {
        const e = encoderOf(nonNull[0], known)
        return e === undefined ? undefined : (value) => (value === null ? null : e(value))
      }
      // a tagged union: the member of the `_tag`
      const tags = ast.types.map(literalTagOf)
      if (tags.every((t) => t !== undefined) && new Set(tags).size === tags.length) {
        const byTag = new Map<unknown, Encoder>(tags.map((t, i) => [t, members[i]]))
        return (value) => {
          if (!isRecord(value) || !byTag.has(value["_tag"])) return fail("a known _tag", value)
          const e = byTag.get(value["_tag"])
          return e === undefined ? value : e(value)
        }
      }
      return full()
    }
    case "TupleType": {
      const elements = ast.elements.map((e) => encoderOf(e.type, known))
      const rest = ast.rest.map((r) => encoderOf(r.type, known))
      if (elements.every((e) => e === undefined) && rest.every((e) => e === undefined)) return undefined
      if (rest.length > 1) return full()
      const tail = rest[0]
      return (value) => {
        if (!Array.isArray(value)) return fail("an array", value)
        return value.map((item, i) => {
          const e = i < elements.length ? elements[i] : tail
          return e === undefined ? item : e(item)
        })
      }
    }
    default:
      return full()
  }
}

/** A trusted encoder of a whole schema: the identity when it transforms nothing. */
export const makeEncoder = <A, I>(schema: Schema.Schema<A, I>, known?: KnownEncodings): ((value: A) => I) => {
  const e = encoderOf(schema.ast, known)
  // the encoder applies exactly the schema's transformations: its result is an `I`
  return (e ?? ((value: unknown) => value)) as (value: A) => I
}
