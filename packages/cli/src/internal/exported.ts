/**
 * Runtime values of a module's exports in source order, with their doc
 * comments: how the topic pages find every shipped scheme, profile, scale or
 * catalogue without a hand-kept list.
 *
 * @since 0.1.0
 */
import * as SchemaAST from "effect/SchemaAST"
import type { DocComment, ModuleDoc } from "../docs/SourceDoc.js"
import { compareStrings } from "./markdown.js"

export interface Exported<A> {
  readonly name: string
  readonly value: A
  readonly doc: DocComment | undefined
}

/** Finds a parsed module by package and name. */
export const findModule = (
  modules: ReadonlyArray<ModuleDoc>,
  packageName: string,
  name: string
): ModuleDoc | undefined => modules.find((m) => m.packageName === packageName && m.name === name)

/**
 * The exported values of a module namespace that satisfy `guard`, in the
 * module's source order (namespace key order when the module was not parsed).
 */
export const exportedValues = <A>(
  namespace: object,
  module: ModuleDoc | undefined,
  guard: (u: unknown) => u is A
): ReadonlyArray<Exported<A>> => {
  const values = new Map<string, unknown>(Object.entries(namespace))
  const names =
    module === undefined
      ? [...values.keys()].sort(compareStrings)
      : [...new Set(module.exports.filter((e) => e.kind === "const").map((e) => e.name))]
  return names.flatMap((name): ReadonlyArray<Exported<A>> => {
    const value = values.get(name)
    if (!guard(value)) return []
    const doc = module?.exports.find((e) => e.name === name && e.kind === "const")?.doc
    return [{ name, value, doc }]
  })
}

/** The doc comment of one export. */
export const docOf = (module: ModuleDoc | undefined, name: string): DocComment | undefined =>
  module?.exports.find((e) => e.name === name && e.doc !== undefined)?.doc

/**
 * Chinese names of a literal schema's members, from its description
 * annotation of the form `"a 甲 | b 乙"` (how the core annotates its literal
 * schemas).
 */
export const literalNames = (ast: SchemaAST.AST): ReadonlyMap<string, string> => {
  const description = SchemaAST.getDescriptionAnnotation(ast)
  const names = new Map<string, string>()
  if (description._tag === "None") return names
  for (const part of description.value.split("|")) {
    const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(part)
    if (m !== null && m[1] !== undefined && m[2] !== undefined) names.set(m[1], m[2])
  }
  return names
}
