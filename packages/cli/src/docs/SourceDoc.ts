/**
 * 源码文档 — what the docs are made of: a module's doc comment and each
 * export's doc comment (name, kind, `@category`, `@since`, the Chinese term
 * and the English text), read from TypeScript source with the TypeScript
 * compiler API. Parsing is syntactic (no type checking), so it is fast and
 * needs no build.
 *
 * A domain concept's comment starts with its Chinese term: `/** 网格 — a grid …`
 * gives the term 网格 and the English text "a grid …".
 *
 * @since 0.1.0
 */
import ts from "typescript"
import * as markdown from "../internal/markdown.js"

/**
 * 文档注释 — a parsed doc comment: the text before the first tag, the tags
 * (`@since`, `@category`, others) and the Chinese term split off the text.
 *
 * @since 0.1.0
 * @category models
 */
export interface DocComment {
  /** The full text before the first tag (markdown, as written). */
  readonly text: string
  /** 中文术语 — the Chinese term the text starts with, if any (`网格` in `网格 — a grid`). */
  readonly zh: string | undefined
  /** The text after the Chinese term and its dash (the whole text when there is no term). */
  readonly en: string
  readonly since: string | undefined
  readonly category: string | undefined
  /** Every other tag, in order (`deprecated`, `example` …). */
  readonly tags: ReadonlyArray<{ readonly name: string; readonly text: string }>
}

/**
 * 导出种类 — what an export is.
 *
 * @since 0.1.0
 * @category models
 */
export type ExportKind = "const" | "function" | "class" | "interface" | "type" | "enum" | "namespace"

/**
 * 导出项 — one export of a module with its doc comment and a short signature.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExportDoc {
  readonly name: string
  readonly kind: ExportKind
  readonly doc: DocComment | undefined
  /** A short signature (functions, annotated constants, types, interfaces, class heads), if one helps. */
  readonly signature: string | undefined
  /** 成员 — an interface's properties with their doc comments (empty for other kinds). */
  readonly members: ReadonlyArray<{ readonly name: string; readonly doc: DocComment | undefined }>
}

/**
 * 模块文档 — a module: its package, name, source path (relative to the
 * repository root), module doc comment and exports in source order.
 *
 * @since 0.1.0
 * @category models
 */
export interface ModuleDoc {
  /** The package name, e.g. `@civicgrid/core`. */
  readonly packageName: string
  /** The module name, e.g. `Grid`. */
  readonly name: string
  /** The source path relative to the repository root, e.g. `packages/core/src/Grid.ts`. */
  readonly path: string
  readonly doc: DocComment | undefined
  readonly exports: ReadonlyArray<ExportDoc>
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/

/**
 * Splits a comment text into the Chinese term it starts with and the English
 * text after the dash. A term is the part of the first line before ` — `
 * (em dash) when it holds a Chinese character; otherwise there is no term.
 *
 * @since 0.1.0
 * @category utils
 */
export const splitTerm = (text: string): { readonly zh: string | undefined; readonly en: string } => {
  const firstLine = text.split("\n", 1)[0] ?? ""
  const dash = firstLine.indexOf(" — ")
  if (dash <= 0) return { zh: undefined, en: text }
  const zh = firstLine.slice(0, dash).trim()
  if (!CJK.test(zh)) return { zh: undefined, en: text }
  return { zh, en: text.slice(dash + 3).trim() }
}

/**
 * Parses the raw text of a doc comment (`/** … *\/`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseComment = (raw: string): DocComment => {
  const body = raw
    .replace(/^\/\*\*/, "")
    .replace(/\*\/$/, "")
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, ""))
  const textLines: Array<string> = []
  const tags: Array<{ name: string; lines: Array<string> }> = []
  for (const line of body) {
    const tag = /^@(\w+)\s*(.*)$/.exec(line)
    const current = tags[tags.length - 1]
    if (tag !== null) tags.push({ name: tag[1] ?? "", lines: [tag[2] ?? ""] })
    else if (current !== undefined) current.lines.push(line)
    else textLines.push(line)
  }
  const text = textLines.join("\n").trim()
  const tagText = (t: { lines: ReadonlyArray<string> }) => t.lines.join("\n").trim()
  const find = (name: string) => {
    const t = tags.find((x) => x.name === name)
    return t === undefined ? undefined : tagText(t)
  }
  const { zh, en } = splitTerm(text)
  return {
    text,
    zh,
    en,
    since: find("since"),
    category: find("category"),
    tags: tags
      .filter((t) => t.name !== "since" && t.name !== "category")
      .map((t) => ({ name: t.name, text: tagText(t) }))
  }
}

const isExported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

const docOf = (node: ts.Node, source: ts.SourceFile): DocComment | undefined => {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc)
  const last = docs[docs.length - 1]
  return last === undefined ? undefined : parseComment(source.text.slice(last.getStart(source), last.end))
}

/** The text of a node without its leading doc comments, with normalised indentation. */
const textOf = (node: ts.Node, source: ts.SourceFile): string =>
  source.text.slice(node.getStart(source), node.end)

const MAX_SIGNATURE_LINES = 40

const clip = (signature: string): string | undefined => {
  const lines = signature.split("\n")
  return lines.length > MAX_SIGNATURE_LINES ? undefined : signature
}

const functionSignature = (
  name: string,
  fn: ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration,
  source: ts.SourceFile
): string => {
  const typeParameters =
    fn.typeParameters === undefined ? "" : `<${fn.typeParameters.map((p) => textOf(p, source)).join(", ")}>`
  const parameters = fn.parameters.map((p) => textOf(p, source)).join(", ")
  const result = fn.type === undefined ? "" : `: ${textOf(fn.type, source)}`
  return `${name}${typeParameters}(${parameters})${result}`
}

const exportsOf = (statement: ts.Statement, source: ts.SourceFile): ReadonlyArray<ExportDoc> => {
  if (!isExported(statement)) return []
  const doc = docOf(statement, source)
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d): ReadonlyArray<ExportDoc> => {
      if (!ts.isIdentifier(d.name)) return []
      const name = d.name.text
      const init = d.initializer
      if (init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
        return [
          { name, kind: "function", doc, signature: clip(functionSignature(name, init, source)), members: [] }
        ]
      }
      const signature =
        d.type !== undefined
          ? clip(`const ${name}: ${textOf(d.type, source)}`)
          : init === undefined
            ? undefined
            : clip(`const ${name} = ${textOf(init, source)}`)
      return [{ name, kind: "const", doc, signature, members: [] }]
    })
  }
  if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
    const name = statement.name.text
    return [
      {
        name,
        kind: "function",
        doc,
        signature: clip(functionSignature(name, statement, source)),
        members: []
      }
    ]
  }
  if (ts.isClassDeclaration(statement) && statement.name !== undefined) {
    const name = statement.name.text
    const clauses = statement.heritageClauses ?? []
    const full = [`class ${name}`, ...clauses.map((h) => textOf(h, source))].join(" ")
    const short = [
      `class ${name}`,
      ...clauses.map((h) => {
        const keyword = h.token === ts.SyntaxKind.ExtendsKeyword ? "extends" : "implements"
        const types = h.types.map((t) =>
          ts.isCallExpression(t.expression)
            ? `${textOf(t.expression.expression, source)}(…)`
            : textOf(t, source)
        )
        return `${keyword} ${types.join(", ")}`
      })
    ].join(" ")
    return [{ name, kind: "class", doc, signature: clip(full) ?? short, members: [] }]
  }
  if (ts.isInterfaceDeclaration(statement)) {
    const members = statement.members.flatMap((m) =>
      ts.isPropertySignature(m) && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))
        ? [{ name: m.name.text, doc: docOf(m, source) }]
        : []
    )
    return [
      {
        name: statement.name.text,
        kind: "interface",
        doc,
        signature: clip(stripExport(textOf(statement, source))),
        members
      }
    ]
  }
  if (ts.isTypeAliasDeclaration(statement)) {
    return [
      {
        name: statement.name.text,
        kind: "type",
        doc,
        signature: clip(stripExport(textOf(statement, source))),
        members: []
      }
    ]
  }
  if (ts.isEnumDeclaration(statement)) {
    return [{ name: statement.name.text, kind: "enum", doc, signature: undefined, members: [] }]
  }
  if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
    return [{ name: statement.name.text, kind: "namespace", doc, signature: undefined, members: [] }]
  }
  return []
}

const stripExport = (text: string): string => text.replace(/^export\s+(declare\s+)?/, "")

/**
 * The module doc comment: the first doc comment of the file when another doc
 * comment follows it before the first statement, or when the first statement
 * is not an export (an import).
 */
const moduleDocOf = (source: ts.SourceFile): DocComment | undefined => {
  const ranges = (ts.getLeadingCommentRanges(source.text, 0) ?? []).filter(
    (r) => r.kind === ts.SyntaxKind.MultiLineCommentTrivia && source.text.startsWith("/**", r.pos)
  )
  const first = ranges[0]
  if (first === undefined) return undefined
  const statement = source.statements[0]
  const ownsFirst = ranges.length === 1 && statement !== undefined && isExported(statement)
  return ownsFirst ? undefined : parseComment(source.text.slice(first.pos, first.end))
}

/**
 * Parses one module's source into its documentation.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseModule = (input: {
  readonly packageName: string
  readonly name: string
  readonly path: string
  readonly text: string
}): ModuleDoc => {
  const text = markdown.normalize(input.text)
  const source = ts.createSourceFile(input.path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  return {
    packageName: input.packageName,
    name: input.name,
    path: input.path,
    doc: moduleDocOf(source),
    exports: source.statements.flatMap((s) => exportsOf(s, source))
  }
}

/**
 * The first sentence of a text, on one line (for summaries in tables).
 *
 * @since 0.1.0
 * @category utils
 */
export const firstSentence: (text: string) => string = markdown.firstSentence
