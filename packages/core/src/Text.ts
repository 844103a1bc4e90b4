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
import type { LazyArbitrary } from "effect/Arbitrary"
import type * as FastCheck from "effect/FastCheck"
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
  references: 50,
  /** 标题 — a title: a task, an item of a list, an authority, a question. */
  title: 200,
  /** 标签 / 关键词 — a tag, a keyword, a short label. */
  tag: 50,
  /** 标签条数 — tags or keywords per item. */
  tags: 20
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
 * Whether a text holds a character not allowed in a single-line field —
 * every control character, line breaks included (also U+2028 and U+2029).
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

// generated text: printable ASCII and CJK (and, in paragraphs, line breaks and tabs); mostly short,
// sometimes exactly at the limit, so property tests walk the bounds without slowing every run
const unitOf = (fc: Parameters<LazyArbitrary<string>>[0], multiline: boolean): FastCheck.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.char() },
    { weight: 3, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)) },
    { weight: multiline ? 1 : 0, arbitrary: fc.constantFrom("\n", "\t", "\r\n") }
  )

const textArbitrary =
  (max: number, multiline: boolean): LazyArbitrary<string> =>
  (fc) => {
    const unit = unitOf(fc, multiline)
    const short = fc.string({ unit, minLength: multiline ? 0 : 1, maxLength: Math.min(max, 24) })
    const long = fc.string({ unit, minLength: Math.max(0, max - 8), maxLength: max })
    const full = fc.string({ unit, minLength: max, maxLength: max })
    const raw = fc.oneof(
      { weight: 48, arbitrary: short },
      { weight: 1, arbitrary: long },
      { weight: 1, arbitrary: full }
    )
    if (multiline) return raw.map((s) => s.slice(0, max))
    // single-line: trimmed and non-empty (a blank draw becomes one letter; `\r\n` only in paragraphs)
    return raw.map((s) => {
      const t = s.trim()
      return t.length === 0 ? "x" : t
    })
  }

/**
 * 单行文本 — a non-empty, trimmed, single-line text of at most `max`
 * characters without control characters (names, addresses, phones).
 *
 * @since 0.1.0
 * @category constructors
 */
export const line = (max: number) =>
  Schema.NonEmptyTrimmedString.pipe(
    Schema.maxLength(max, { message: () => tooLong(max) }),
    noControls(false),
    Schema.annotations({ arbitrary: () => textArbitrary(max, false) })
  )

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
  Schema.String.pipe(
    Schema.maxLength(max, { message: () => tooLong(max) }),
    noControls(true),
    Schema.annotations({ arbitrary: () => textArbitrary(max, true) })
  )

/**
 * 单行字段 — a single-line text of at most `max` characters without control
 * characters that may be blank or untrimmed: for command fields whose
 * blankness the domain refuses with a rule of its own (a blank title, a blank
 * tag, a blank piece of evidence).
 *
 * @since 0.1.0
 * @category constructors
 */
export const field = (max: number) =>
  Schema.String.pipe(
    Schema.maxLength(max, { message: () => tooLong(max) }),
    noControls(false),
    Schema.annotations({ arbitrary: () => textArbitrary(max, false) })
  )

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

// -----------------------------------------------------------------------------
// phones
// -----------------------------------------------------------------------------

// digits with an optional leading `+`, separated by spaces, hyphens, dots or parentheses,
// optionally followed by an extension (转 / 分机 / ext / x / #)
const phoneShape = /^\+?[0-9 ()\-.]+?(?:\s*(?:转|分机|ext\.?|x|#)\s*[0-9]{1,6})?$/
const mainPart = /^(.*?)(?:\s*(?:转|分机|ext\.?|x|#)\s*[0-9]{1,6})?$/

/**
 * Whether a text is a phone number as people write it: digits with an
 * optional leading `+`, separated by spaces, `-`, `.` or parentheses
 * (`13812345678`, `+86 138 1234 5678`, `138-1234-5678`, `0871-65123456`,
 * `(0871)65123456`, `0871 65123456`), 7 to 15 digits in all, optionally with
 * an extension (`0871-65123456转801`, `… ext 801`, `… x801`, `… #801`); at
 * most `limits.phone` characters, no letters.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isPhone = (text: string): boolean => {
  if (text.length === 0 || text.length > limits.phone || text !== text.trim() || !phoneShape.test(text))
    return false
  const main = mainPart.exec(text)?.[1] ?? text
  let digits = 0
  for (let i = 0; i < main.length; i++) {
    const c = main.charCodeAt(i)
    if (c >= 0x30 && c <= 0x39) digits++
    else if (c === 0x2b && i !== 0) return false
  }
  return digits >= 7 && digits <= 15
}

const phoneArbitrary: LazyArbitrary<string> = (fc) => {
  const digits = (n: number) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""))
  const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), digits(1), digits(4), digits(4))
  const area = fc.tuple(
    fc.integer({ min: 10, max: 999 }).map((n) => `0${n}`),
    digits(8)
  )
  const ext = fc.option(
    fc.tuple(fc.constantFrom("转", "-", " ext ", "#"), digits(3)).map(([s, d]) => `${s}${d}`),
    {
      nil: ""
    }
  )
  return fc.oneof(
    mobile.map(([a, b, c, d]) => `1${a}${b}${c}${d}`),
    mobile.map(([a, b, c, d]) => `+86 1${a}${b} ${c} ${d}`),
    mobile.map(([a, b, c, d]) => `+861${a}${b}${c}${d}`),
    mobile.map(([a, b, c, d]) => `1${a}${b}-${c}-${d}`),
    mobile.map(([a, b, c, d]) => `1${a}${b} ${c} ${d}`),
    fc.tuple(area, ext).map(([[a, n], e]) => `${a}-${n}${e}`),
    fc.tuple(area, ext).map(([[a, n], e]) => `(${a})${n}${e}`),
    fc.tuple(area, ext).map(([[a, n], e]) => `${a} ${n}${e}`)
  )
}

/**
 * 电话 — a phone number as written (see `isPhone`): mobile or landline, with
 * the usual separators and an optional extension; letters and anything else
 * are refused with rule `phone-format`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Phone = Schema.String.pipe(
  Schema.filter(
    (s) =>
      isPhone(s) ||
      `电话号码格式不正确 must be a phone number: 7 to 15 digits with an optional leading +, separated by spaces, -, . or (), at most ${limits.phone} characters, e.g. 13812345678, +86 138 1234 5678, 0871-65123456 (rule phone-format)`
  ),
  Schema.annotations({
    identifier: "Phone",
    title: "电话 phone",
    arbitrary: () => phoneArbitrary,
    jsonSchema: { maxLength: limits.phone }
  })
)
