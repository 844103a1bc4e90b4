/**
 * 脱敏 — masking personal data (PIPL, 《个人信息保护法》: phone and ID numbers
 * are masked, 138****1234, for whoever need not read them in full). Pure functions, no I/O: the API
 * applies them to a reporter's contact for every principal whose role lacks
 * the right to read personal data.
 *
 * Rules:
 * - phone: the first 3 and last 4 characters stay, every character between
 *   becomes `*` (`13812341234` → `138****1234`); a value of 7 characters or
 *   fewer is masked entirely (nothing meaningful would stay hidden).
 * - name: the first character stays, the rest becomes `*` (`张三丰` → `张**`);
 *   a one-character name becomes `*`.
 *
 * Masking keeps the length (in Unicode code points) and is idempotent.
 *
 * The free texts of a case (description, address, results, reasons, notes)
 * are masked for the same principals, under the same right, with the core's
 * `Privacy.scrub` (phones, ID numbers, landlines, e-mail addresses in the
 * forms people write them).
 *
 * @since 0.1.0
 */

const stars = (n: number): string => "*".repeat(Math.max(0, n))

/**
 * 手机号脱敏 — masks a phone number: `13812341234` → `138****1234`.
 *
 * @since 0.1.0
 * @category masking
 */
export const phone = (value: string): string => {
  const chars = Array.from(value)
  if (chars.length <= 7) return stars(chars.length)
  return `${chars.slice(0, 3).join("")}${stars(chars.length - 7)}${chars.slice(-4).join("")}`
}

/**
 * 姓名脱敏 — masks a name: `张三丰` → `张**`.
 *
 * @since 0.1.0
 * @category masking
 */
export const name = (value: string): string => {
  const chars = Array.from(value)
  if (chars.length <= 1) return stars(chars.length)
  return `${chars[0] ?? ""}${stars(chars.length - 1)}`
}

/**
 * 联系方式脱敏 — masks each field of a contact that is present.
 *
 * @since 0.1.0
 * @category masking
 */
export const contact = <C extends { readonly name?: string; readonly phone?: string }>(value: C): C => ({
  ...value,
  ...(value.name === undefined ? {} : { name: name(value.name) }),
  ...(value.phone === undefined ? {} : { phone: phone(value.phone) })
})
