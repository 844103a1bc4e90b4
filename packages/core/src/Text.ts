/**
 * 文本输入 — the one rule for free text and identifiers that enter the
 * system: every input field is bounded, and none may carry control
 * characters (NUL, escape sequences, C1 controls …), which PostgreSQL refuses
 * in text columns and terminals and spreadsheets interpret. Single-line
 * fields (names, phones, addresses, ids) refuse every control character;
 * multi-line fields (descriptions, notes, results, reasons) allow tab, line
 * feed and carriage return.
 *
 * The limits follow Open311 GeoReport v2 where it sets one (a description of
 * at most 4,000 characters) and what a form field of its kind needs
 * elsewhere. Lengths count UTF-16 code units (JavaScript's `length`): a
 * Chinese character counts one.
 *
 * Every schema of an input (commands, list items, requests) is built from
 * these, so REST, Open311, the CLI and the ledgers share the limits.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * 长度上限 — the limits, by kind of field.
 *
 * @since 0.1.0
 * @category constants
 */
export const limits = {
  /** 标识 — ids and codes (case, unit, grid, department, category ids). */
  id: 128,
  /** 姓名 / 名称 — a person's or a thing's name. */
  name: 100,
  /** 电话 — a phone number as written. */
  phone: 32,
  /** 地址 — an address. */
  address: 200,
  /** 描述 — a case description (Open311: 4,000 characters). */
  description: 4000,
  /** 备注 / 结果 / 理由 — a note, a handling result, a reason. */
  note: 2000,
  /** 证据引用 — a URI or blob key of evidence. */
  reference: 2048,
  /** 附件条数 — references per command. */
  references: 50
} as const

const isControl = (c: number, multiline: boolean): boolean =>
  c < 0x20
    ? !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d))
    : (c >= 0x7f && c <= 0x9f) || (!multiline && (c === 0x2028 || c === 0x2029))

const scan = (text: string, multiline: boolean): boolean => {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i), multiline)) return true
  return false
}

/**
 * Whether a text holds a control character not allowed in a multi-line field:
 * C0 controls other than tab, line feed and carriage return, DEL, C1
 * controls.
 *
 * @since 0.1.0
 * @category predicates
 */
export const hasControlCharacters = (text: string): boolean => scan(text, true)

/**
 * Whether a text holds a character not allowed in a single-line field: any
 * control character, line breaks included (also U+2028 and U+2029).
 *
 * @since 0.1.0
 * @category predicates
 */
export const hasLineBreaksOrControls = (text: string): boolean => scan(text, false)

const noControls = <S extends Schema.Schema.Any>(multiline: boolean) =>
  Schema.filter<S>((s) =>
    typeof s !== "string" || !(multiline ? hasControlCharacters(s) : hasLineBreaksOrControls(s))
      ? true
      : multiline
        ? "包含控制字符 must not contain control characters (rule no-control-characters)"
        : "包含控制字符或换行 must not contain control characters or line breaks (rule no-control-characters)"
  )

const tooLong = (max: number) => `超过 ${max} 个字符 must be at most ${max} characters (rule max-length)`

/**
 * 单行文本 — a non-empty, trimmed, single-line text of at most `max`
 * characters without control characters (names, addresses, phones).
 *
 * @since 0.1.0
 * @category constructors
 */
export const line = (max: number) =>
  Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(max, { message: () => tooLong(max) }), noControls(false))

/**
 * 多行文本 — a text of at most `max` characters that may hold line breaks and
 * tabs but no other control character (descriptions, notes, results,
 * reasons). Emptiness is the domain's to judge (the decider refuses an empty
 * description with its own rule).
 *
 * @since 0.1.0
 * @category constructors
 */
export const paragraph = (max: number) =>
  Schema.String.pipe(Schema.maxLength(max, { message: () => tooLong(max) }), noControls(true))

/**
 * 标识 — a non-empty, trimmed identifier of at most `limits.id` characters
 * without control characters; brand it in its own module.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Id = line(limits.id)

/**
 * 姓名 / 名称 — a name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Name = line(limits.name)

/**
 * 地址 — an address.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Address = line(limits.address)

/**
 * 描述 — a case description (at most 4,000 characters, as Open311).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Description = paragraph(limits.description)

/**
 * 备注 — a note, a result or a reason.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Note = paragraph(limits.note)

/**
 * 证据引用 — a reference to evidence (URI or blob key).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reference = line(limits.reference)
