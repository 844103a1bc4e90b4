/**
 * Open311 XML — the XML encoding of Open311 GeoReport v2 responses
 * (http://wiki.open311.org/GeoReport_v2): every response a client may ask
 * for as `.json` it may ask for as `.xml`, with the same data. The spec's XML
 * is plain: an `<?xml version="1.0" encoding="utf-8"?>` declaration, one root
 * element, child elements named after the JSON fields, no attributes, and
 * lists as a plural element holding one singular element per item
 * (`<services><service>…</service></services>`,
 * `<attributes><attribute>…`, `<values><value>…`,
 * `<errors><error>…`).
 *
 * A tiny, dependency-free serializer is enough for that subset and is easier
 * to audit than a general XML library: `escapeText` escapes the five
 * predefined entities and drops the characters XML 1.0 forbids (C0 controls
 * other than tab / LF / CR, lone surrogates, U+FFFE / U+FFFF), so any string a
 * reporter sends encodes to a well-formed document; `fromJson` maps a JSON
 * value to elements with the spec's naming rules; `encode` writes a document.
 * Element names are fixed by this package, never taken from input (`isName`
 * guards them anyway).
 *
 * @since 0.1.0
 */

/**
 * XML 元素 — an element: a name and either text or child elements. `null`
 * text writes an empty element (`<account_id/>`), as the spec shows absent values.
 *
 * @since 0.1.0
 * @category models
 */
export interface Element {
  readonly name: string
  readonly content: string | null | ReadonlyArray<Element>
}

/**
 * Builds an element.
 *
 * @since 0.1.0
 * @category constructors
 */
export const element = (name: string, content: Element["content"]): Element => ({ name, content })

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the forbidden characters are exactly what this matches
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Escapes text for element content (and attribute values): `&`, `<`, `>`,
 * `"`, `'` as entities; characters XML 1.0 does not allow are removed.
 *
 * @since 0.1.0
 * @category encoding
 */
export const escapeText = (text: string): string =>
  text
    .replace(FORBIDDEN, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/**
 * Whether a string is a valid element name of the ASCII subset this encoder
 * writes (and does not start with `xml`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isName = (name: string): boolean => NAME.test(name) && !/^xml/i.test(name)

const write = (out: Array<string>, node: Element): void => {
  const name = isName(node.name) ? node.name : "value"
  const content = node.content
  if (content === null) {
    out.push(`<${name}/>`)
  } else if (typeof content === "string") {
    out.push(`<${name}>${escapeText(content)}</${name}>`)
  } else {
    out.push(`<${name}>`)
    for (const child of content) write(out, child)
    out.push(`</${name}>`)
  }
}

/**
 * Writes a document: the XML declaration and the root element.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (root: Element): string => {
  const out: Array<string> = ['<?xml version="1.0" encoding="utf-8"?>']
  write(out, root)
  return out.join("")
}

/**
 * The singular element name of a list's items, per the spec
 * (`services` → `service`, `attributes` → `attribute`, `values` → `value`,
 * `endpoints` → `endpoint`, `formats` → `format`, `keywords` kept as text).
 *
 * @since 0.1.0
 * @category encoding
 */
export const singular = (plural: string): string => {
  switch (plural) {
    case "service_requests":
      return "request"
    case "service_requests_updates":
      return "request_update"
    case "errors":
      return "error"
    default:
      return plural.endsWith("s") && plural.length > 1 ? plural.slice(0, -1) : "item"
  }
}

/**
 * A JSON value as an element named `name`: objects become child elements
 * (fields in their order), arrays a list of `singular(name)` elements,
 * booleans `true` / `false`, numbers their shortest decimal form, `null` (and
 * `undefined` fields) empty elements.
 *
 * @since 0.1.0
 * @category encoding
 */
export const fromJson = (name: string, value: unknown): Element => {
  if (value === null || value === undefined) return element(name, null)
  if (typeof value === "string") return element(name, value)
  if (typeof value === "number") return element(name, Number.isFinite(value) ? String(value) : null)
  if (typeof value === "boolean") return element(name, value ? "true" : "false")
  if (Array.isArray(value)) {
    const item = singular(name)
    return element(
      name,
      value.map((v: unknown) => fromJson(item, v))
    )
  }
  if (typeof value === "object") {
    return element(
      name,
      Object.entries(value).map(([key, v]) => fromJson(key, v))
    )
  }
  return element(name, null)
}

/**
 * A JSON value as a document with root `root` (see `fromJson`).
 *
 * @since 0.1.0
 * @category encoding
 */
export const document = (root: string, value: unknown): string => encode(fromJson(root, value))
