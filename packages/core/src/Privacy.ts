/**
 * 个人信息保护 — the one rule for what of a case may be shown to people who
 * may not read personal data (PIPL, 《个人信息保护法》): the public (Open311)
 * and the roles whose contacts are masked (grid workers, departments).
 *
 * - `scrub` (脱敏) masks phone numbers, ID numbers and e-mail addresses in a
 *   free text, in the forms people write them (spaces, hyphens, brackets,
 *   `+86`, full-width digits, zero-width characters between digits, `＠`). It
 *   is a single pass over the text with bounded look-ahead: its time is linear
 *   in the text's length whatever the text (no backtracking pattern).
 * - `publicText` is `scrub` for publication: at most a given number of
 *   characters, never a fragment of a number or address cut at the edge.
 * - `PublicationPolicy` and `publish` decide what is published of where a
 *   case happened: by default a position snapped to a grid of about 100 m
 *   (`coarsenPosition`) and the address without room or household
 *   (`coarsenAddress`); the exact position and full address only where the
 *   reporter opted in (`publishExact`).
 *
 * **Masking keeps the text's shape** and enough to recognise a number: digits
 * are replaced one by one with `*`, separators stay.
 *
 * | form | scrubbed |
 * | --- | --- |
 * | mobile `13812345678`, `138-1234-5678`, `+86 138 1234 5678` | `138****5678`, `138-****-5678`, `+86 138 **** 5678` (country code, first 3 and last 4 digits stay) |
 * | ID number, 18 or 15 digits, spaced or not | `5301**********1234` (first 4 and last 4 stay) |
 * | landline `0871-65123456`, `(0871)65123456`, `010 12345678`, `+86 871 6512 3456` | `0871-********` (the area code stays) |
 * | e-mail `wang.li@qq.com`, `wang.li＠qq.com` | `***@qq.com` (the local part goes, the domain stays) |
 *
 * What is recognised:
 *
 * - digits are ASCII or full-width (`０`–`９`); zero-width characters
 *   (U+200B, U+200C, U+200D, U+2060, U+FEFF, soft hyphen …) between digits are
 *   ignored; groups of digits may be separated by up to 3 of: space,
 *   no-break or ideographic space, hyphens and dashes (`-`, `－`, `‐`, `—` …),
 *   brackets (`(`, `)`, `（`, `）`);
 * - a number is a run of such groups: a mobile number (11 digits `1[3-9]…`,
 *   optionally after `86`, `0086` or `0`), an ID number (18 digits, the last
 *   may be `X`, or 15 digits; the first is not 0), a landline (area code
 *   `0` + 2–3 digits, then 7–8 digits not starting with 0); within a run of several
 *   groups every group has at least 3 digits (an ID's last group at least 2,
 *   a country code `86` its own), so dates (`2024-03-05`), amounts
 *   (`1,234.50`) and short numbers never match;
 * - a number glued to ASCII letters (`LD-2024-0012`, a case or device id) is
 *   an identifier: only a group that is by itself a whole mobile or ID number
 *   is masked in it (`TEL13812345678`), and nothing in a word whose letters
 *   are all hex digits or glued to hex letters (a UUID or a hash);
 * - an e-mail address is a local part of `[A-Za-z0-9._%+-]` before `@` or
 *   `＠`, and a domain of at least two labels after it.
 *
 * @since 0.1.0
 */
import type { Position } from "./GeoJson.js"
import { limits } from "./Text.js"

// -----------------------------------------------------------------------------
// character classes
// -----------------------------------------------------------------------------

const isAsciiDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isWideDigit = (c: number): boolean => c >= 0xff10 && c <= 0xff19
const isDigit = (c: number): boolean => isAsciiDigit(c) || isWideDigit(c)
const digitChar = (c: number): string => String.fromCharCode(isWideDigit(c) ? c - 0xff10 + 0x30 : c)
const isAsciiLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
const isX = (c: number): boolean => c === 0x58 || c === 0x78
const isHexLetter = (c: number): boolean => (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)

/** Invisible characters that may sit between digits and are ignored there. */
const isTransparent = (c: number): boolean =>
  c === 0x200b ||
  c === 0x200c ||
  c === 0x200d ||
  c === 0x2060 ||
  c === 0xfeff ||
  c === 0x00ad ||
  c === 0x180e ||
  (c >= 0x2061 && c <= 0x2064)

/** Characters that may separate the groups of digits of one number. */
const isSeparator = (c: number): boolean =>
  c === 0x20 ||
  c === 0xa0 ||
  c === 0x3000 ||
  c === 0x2d ||
  c === 0xff0d ||
  (c >= 0x2010 && c <= 0x2015) ||
  c === 0x2212 ||
  c === 0x28 ||
  c === 0x29 ||
  c === 0xff08 ||
  c === 0xff09

/** Characters of an identifier-like word (letters glue digits into an identifier). */
const isWordChar = (c: number): boolean =>
  isDigit(c) || isAsciiLetter(c) || c === 0x5f || c === 0x2d || isTransparent(c)

const isLocalChar = (c: number): boolean =>
  isAsciiDigit(c) || isAsciiLetter(c) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d
const isLabelChar = (c: number): boolean => isAsciiDigit(c) || isAsciiLetter(c) || c === 0x2d
const isAt = (c: number): boolean => c === 0x40 || c === 0xff20
const isDot = (c: number): boolean => c === 0x2e || c === 0xff0e

/** The most digits a masked number has (an 18-digit ID number). */
const MAX_DIGITS = 18
/** The most visible separators between two groups of one number. */
const MAX_SEPARATORS = 3

// -----------------------------------------------------------------------------
// e-mail addresses
// -----------------------------------------------------------------------------

/**
 * Masks the local part of every e-mail address. Each character is read at
 * most once backwards (a local part stops at the previous `@` or match) and
 * once forwards (a domain stops at the next `@`): linear time.
 */
const scrubEmails = (text: string): string => {
  const n = text.length
  const out: Array<string> = []
  let cursor = 0
  let k = 0
  while (k < n) {
    if (!isAt(text.charCodeAt(k))) {
      k++
      continue
    }
    let s = k
    while (s > cursor && isLocalChar(text.charCodeAt(s - 1))) s--
    let e = k + 1
    let labels = 0
    let domainEnd = k + 1
    for (;;) {
      const start = e
      while (e < n && isLabelChar(text.charCodeAt(e))) e++
      if (e === start) break
      labels++
      domainEnd = e
      if (e + 1 < n && isDot(text.charCodeAt(e)) && isLabelChar(text.charCodeAt(e + 1))) e++
      else break
    }
    if (s < k && labels >= 2) {
      out.push(text.slice(cursor, s), "***", text.slice(k, domainEnd))
      cursor = domainEnd
      k = domainEnd
    } else k++
  }
  if (cursor === 0) return text
  out.push(text.slice(cursor))
  return out.join("")
}

// -----------------------------------------------------------------------------
// numbers
// -----------------------------------------------------------------------------

interface Group {
  /** Index of the first digit. */
  readonly start: number
  /** Index after the last digit (or the `X` that ends an ID number). */
  readonly end: number
  /** The digits, ASCII (`X` for a final check character), at most MAX_DIGITS + 1 kept. */
  readonly digits: string
  /** How many digits the group has. */
  readonly size: number
  /**
   * The word the group is part of: `"none"` — no ASCII letters; `"named"` —
   * letters other than hex digits (`TEL13812345678`, `LD-2024-0012`): an
   * identifier in which only a whole mobile or ID number is masked; `"hex"` —
   * hex letters only (a UUID, a hash): an identifier, never masked.
   */
  readonly identifier: WordKind
  /** The letters glued to the group itself (its run of letters and digits, not across `-`). */
  readonly glued: WordKind
}

type WordKind = "none" | "named" | "hex"

interface Rule {
  /** Digits kept at the start. */
  readonly head: number
  /** Digits kept at the end. */
  readonly tail: number
}

const MOBILE = /^1[3-9]\d{9}$/
const MOBILE_PREFIXES = ["", "0", "86", "086", "0086"] as const
const ID18 = /^[1-9]\d{16}[\dX]$/
const ID15 = /^[1-9]\d{14}$/
const SUBSCRIBER = /^[1-9]\d{6,7}$/

/** Whether the groups `from..to` each have at least `min` digits. */
const sizesAtLeast = (groups: ReadonlyArray<Group>, from: number, to: number, min: number): boolean => {
  for (let g = from; g <= to; g++) if ((groups[g]?.size ?? 0) < min) return false
  return true
}

/** What number the groups `a..b` form, if any: the digits to keep. Groups hold at most 18 digits together. */
const classify = (groups: ReadonlyArray<Group>, a: number, b: number, digits: string): Rule | undefined => {
  const single = a === b
  const first = groups[a]
  const last = groups[b]
  if (first === undefined || last === undefined) return undefined
  if (first.identifier === "hex" || first.glued === "hex") return undefined
  if (!single) {
    for (let g = a; g <= b; g++) if (groups[g]?.identifier !== "none") return undefined
  }
  // mobile, optionally after a country or trunk prefix (not in an identifier: only a whole 11-digit number there)
  for (const prefix of first.identifier === "none" ? MOBILE_PREFIXES : MOBILE_PREFIXES.slice(0, 1)) {
    if (digits.length !== prefix.length + 11 || !digits.startsWith(prefix)) continue
    if (!MOBILE.test(digits.slice(prefix.length))) continue
    if (single) return { head: prefix.length + 3, tail: 4 }
    if (
      first.size === prefix.length && prefix.length > 0
        ? sizesAtLeast(groups, a + 1, b, 3)
        : sizesAtLeast(groups, a, b, 3)
    )
      return { head: prefix.length + 3, tail: 4 }
  }
  // ID number
  if (ID18.test(digits) || ID15.test(digits)) {
    if (single || (sizesAtLeast(groups, a, b - 1, 3) && last.size >= 2)) return { head: 4, tail: 4 }
  }
  if (first.identifier !== "none") return undefined
  // landline: area code, then the subscriber number
  if (single) {
    const area = /^0[12]/.test(digits) ? 3 : 4
    if (digits.startsWith("0") && SUBSCRIBER.test(digits.slice(area))) return { head: area, tail: 0 }
    return undefined
  }
  if (
    /^0\d{2,3}$/.test(first.digits) &&
    SUBSCRIBER.test(digits.slice(first.size)) &&
    sizesAtLeast(groups, a + 1, b, 3)
  )
    return { head: first.size, tail: 0 }
  // from abroad: `+86 871 6512 3456` — the country code, the area code without its 0, the number
  const area = groups[a + 1]
  if (
    first.digits === "86" &&
    area !== undefined &&
    b >= a + 2 &&
    /^[1-9]\d{1,2}$/.test(area.digits) &&
    SUBSCRIBER.test(digits.slice(2 + area.size)) &&
    sizesAtLeast(groups, a + 2, b, 3)
  )
    return { head: 2 + area.size, tail: 0 }
  return undefined
}

const scrubNumbers = (text: string): string => {
  const n = text.length
  const out: Array<string> = []
  let cursor = 0

  /** An `X` ending a number (after its last digit, maybe past zero-width characters): not a letter. */
  const endsNumber = (k: number, afterDigit: boolean): boolean =>
    afterDigit && isX(text.charCodeAt(k)) && (k + 1 >= n || !isWordChar(text.charCodeAt(k + 1)))
  /** The kind of the span of `member` characters around `p`, scanning each span once (positions only grow). */
  const spanKind = (member: (c: number) => boolean) => {
    let spanStart = -1
    let spanEnd = -1
    let kind: WordKind = "none"
    return (p: number): WordKind => {
      if (p >= spanStart && p < spanEnd) return kind
      let s = p
      while (s > 0 && member(text.charCodeAt(s - 1))) s--
      let e = s
      let letter = false
      let named = false
      let afterDigit = false
      while (e < n && member(text.charCodeAt(e))) {
        const c = text.charCodeAt(e)
        if (isAsciiLetter(c) && !endsNumber(e, afterDigit)) {
          letter = true
          if (!isHexLetter(c)) named = true
        }
        if (!isTransparent(c)) afterDigit = isDigit(c)
        e++
      }
      spanStart = s
      spanEnd = e
      kind = named ? "named" : letter ? "hex" : "none"
      return kind
    }
  }
  const kindOfWord = spanKind(isWordChar)
  const kindOfGlued = spanKind((c) => c !== 0x2d && isWordChar(c))

  // the chain being read: where each group starts and ends and how many digits it has (reused;
  // `count` groups are current)
  const starts: Array<number> = []
  const ends: Array<number> = []
  const sizes: Array<number> = []
  let count = 0
  const addGroup = (start: number, end: number, size: number): void => {
    starts[count] = start
    ends[count] = end
    sizes[count] = size
    count++
  }

  /** Reads the chain of groups starting at the digit at `i` into starts/ends/sizes; returns where it ends. */
  const readChain = (i: number): number => {
    count = 0
    let pos = i
    for (;;) {
      const start = pos
      let size = 0
      let end = pos
      while (pos < n) {
        const c = text.charCodeAt(pos)
        if (isDigit(c)) {
          size++
          pos++
          end = pos
        } else if (isTransparent(c)) {
          let j = pos
          while (j < n && isTransparent(text.charCodeAt(j))) j++
          if (j < n && isDigit(text.charCodeAt(j))) pos = j
          else break
        } else break
      }
      pos = end
      let x = pos
      while (x < n && isTransparent(text.charCodeAt(x))) x++
      if (x < n && endsNumber(x, true)) {
        addGroup(start, x + 1, size + 1)
        return x + 1
      }
      addGroup(start, end, size)
      let j = pos
      let separators = 0
      while (j < n && separators <= MAX_SEPARATORS) {
        const c = text.charCodeAt(j)
        if (isTransparent(c)) j++
        else if (isSeparator(c)) {
          separators++
          j++
        } else break
      }
      if (separators === 0 || separators > MAX_SEPARATORS || j >= n || !isDigit(text.charCodeAt(j)))
        return end
      pos = j
    }
  }

  /** The group read at index `k` of the chain, with its digits (at most MAX_DIGITS + 1) and its word. */
  const groupAt = (k: number): Group => {
    const start = starts[k] ?? 0
    const end = ends[k] ?? start
    const size = sizes[k] ?? 0
    let digits = ""
    for (let q = start; q < end && digits.length <= MAX_DIGITS; q++) {
      const c = text.charCodeAt(q)
      if (isDigit(c)) digits += digitChar(c)
      else if (isX(c)) digits += "X"
    }
    return { start, end, digits, size, identifier: kindOfWord(start), glued: kindOfGlued(start) }
  }

  const emitMasked = (from: number, to: number, digitCount: number, rule: Rule): void => {
    let piece = text.slice(cursor, from)
    let index = 0
    let run = from
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k)
      if (isDigit(c) || (k === to - 1 && isX(c))) {
        if (index >= rule.head && index < digitCount - rule.tail) {
          piece += `${text.slice(run, k)}*`
          run = k + 1
        }
        index++
      }
    }
    out.push(piece + text.slice(run, to))
    cursor = to
  }

  let i = 0
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i++
      continue
    }
    const chainEnd = readChain(i)
    let total = 0
    for (let k = 0; k < count; k++) total += sizes[k] ?? 0
    // a chain of fewer than 10 digits holds no number (the common case: dates, amounts, counts)
    const groups: Array<Group> = []
    if (total >= 10) for (let k = 0; k < count; k++) groups.push(groupAt(k))
    let a = 0
    while (a < groups.length) {
      let digits = ""
      let best: { readonly b: number; readonly rule: Rule; readonly count: number } | undefined
      for (let b = a; b < groups.length; b++) {
        const g = groups[b]
        if (g === undefined || digits.length + g.size > MAX_DIGITS) break
        // within a number of several groups only its last group (or a leading `0` / `86`, or the area
        // code after `86`) has under 3 digits
        const previous = groups[b - 1]
        if (b > a && previous !== undefined && previous.size < 3) {
          const prefix = b - 1 === a && (previous.digits === "0" || previous.digits === "86")
          const areaAfter86 = b - 1 === a + 1 && groups[a]?.digits === "86"
          if (!prefix && !areaAfter86) break
        }
        digits += g.digits
        if (digits.length < 10 || (digits.length > 15 && digits.length !== 18)) continue
        const rule = classify(groups, a, b, digits)
        if (rule !== undefined) best = { b, rule, count: digits.length }
      }
      const from = groups[a]
      const to = best === undefined ? undefined : groups[best.b]
      if (best !== undefined && from !== undefined && to !== undefined) {
        emitMasked(from.start, to.end, best.count, best.rule)
        a = best.b + 1
      } else a++
    }
    i = chainEnd
  }
  if (cursor === 0) return text
  out.push(text.slice(cursor))
  return out.join("")
}

/**
 * 脱敏 — masks what looks like personal data in a free text before it is
 * shown to someone who may not read it: mobile numbers (`138****5678`), ID
 * numbers (`5301**********1234`), landline numbers (`0871-********`) and
 * e-mail addresses (`***@qq.com`), in the forms described in the module's
 * documentation. Linear time in the text's length; text without such data is
 * returned unchanged.
 *
 * @since 0.1.0
 * @category scrubbing
 */
export const scrub = (text: string): string => scrubNumbers(scrubEmails(text))

/** Characters that never belong to a number, an e-mail address or an identifier. */
const isHardBoundary = (c: number): boolean =>
  !(isWordChar(c) || isSeparator(c) || isAt(c) || isDot(c) || isLocalChar(c) || isTransparent(c))

/**
 * 公开文本 — a free text as it may be published: scrubbed, and at most `max`
 * characters. A longer text is cut at `max` and the word, number or address
 * running across the cut is dropped whole (a cut number would no longer be
 * recognised) before it is scrubbed, then `…` marks the cut. Time is linear
 * in `max`, not in the text's length.
 *
 * @since 0.1.0
 * @category scrubbing
 */
export const publicText = (text: string, max: number): string => {
  if (text.length <= max) {
    const scrubbed = scrub(text)
    if (scrubbed.length <= max) return scrubbed
  }
  if (max <= 0) return ""
  const cut = text.slice(0, max - 1)
  let end = cut.length
  while (end > 0 && !isHardBoundary(cut.charCodeAt(end - 1))) end--
  // masking an e-mail address may lengthen the text: cutting scrubbed text only removes masked parts
  return `${scrub(cut.slice(0, end)).slice(0, max - 1)}…`
}

// -----------------------------------------------------------------------------
// publication of a location
// -----------------------------------------------------------------------------

/**
 * 公开策略 — what is published of where a case happened, for reports whose
 * reporter did not opt in to exact publication:
 *
 * - `position`: `"coarse"` — snapped to a grid of `coarseMeters` (nearby
 *   reports share a point); `"exact"` — as reported; `"none"` — not published;
 * - `address`: `"coarse"` — without room, household, unit or floor
 *   (`coarsenAddress`); `"full"` — as written (scrubbed); `"none"`;
 * - `coarseMeters` — the grid's cell size (default 100).
 *
 * A report whose reporter opted in (`publishExact`) is published with its
 * exact position and full (scrubbed) address, unless the policy says `"none"`.
 *
 * @since 0.1.0
 * @category publication
 */
export interface PublicationPolicy {
  readonly position: "coarse" | "exact" | "none"
  readonly address: "coarse" | "full" | "none"
  readonly coarseMeters?: number
}

/**
 * 默认公开策略 — coarse position (100 m) and coarse address.
 *
 * @since 0.1.0
 * @category publication
 */
export const defaultPolicy: PublicationPolicy = { position: "coarse", address: "coarse", coarseMeters: 100 }

/** Metres per degree of latitude (and of longitude at the equator), on a sphere of the WGS 84 equatorial radius. */
const METERS_PER_DEGREE = (Math.PI * 6_378_137) / 180

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6

/**
 * 位置模糊化 — snaps a `[lon, lat]` position to the centre of its cell in a
 * grid of about `meters` × `meters`: rows of `meters` of latitude, each row
 * cut into cells of `meters` of longitude at the row's central latitude.
 * Deterministic; every point of a cell gives the same point, within
 * `meters · √2 / 2` of the original (away from the poles). An altitude is
 * dropped. Coordinates are rounded to 6 decimals (about 0.1 m).
 *
 * @since 0.1.0
 * @category publication
 */
export const coarsenPosition = (position: Position, meters: number): Position => {
  const size = Number.isFinite(meters) && meters > 0 ? meters : 100
  const [lon, lat] = position
  const latStep = size / METERS_PER_DEGREE
  const row = Math.floor(lat / latStep)
  const centerLat = Math.max(-90, Math.min(90, (row + 0.5) * latStep))
  const cos = Math.max(Math.cos((centerLat * Math.PI) / 180), 1e-6)
  const lonStep = Math.min(360, size / (METERS_PER_DEGREE * cos))
  const column = Math.floor(lon / lonStep)
  const centerLon = Math.max(-180, Math.min(180, (column + 0.5) * lonStep))
  return [round6(centerLon), round6(centerLat)]
}

const CN_NUMBER = "[0-9０-９一二三四五六七八九十百零〇两A-Za-z]+"
/** Where the detail below a building starts: unit, room, household, floor, `2-501`. */
const DETAIL = new RegExp(
  `(?:${CN_NUMBER}(?:单元|室|房|户|层|楼(?!号|栋))|[0-9]+[-－][0-9]+|[0-9]{3,}$)`,
  "u"
)
/** A building: `3栋`, `5号楼`, `2幢`, `A座`. */
const BUILDING = new RegExp(`${CN_NUMBER}(?:栋|幢|号楼|座)`, "u")
/** A compound followed by a house or room number: `翠湖小区101号`. */
const COMPOUND_NUMBER =
  /(?:小区|花园|苑|村|院|公寓|家园|山庄|大院|社区|新村|里|弄|巷)(?=[0-9０-９一二三四五六七八九十]+号(?!楼|院))/u

/**
 * 地址模糊化 — an address without what identifies a household: unit
 * (`单元`), room (`室`, `房`), household (`户`), floor (`层`, `3楼`), a
 * `2-501` style room and a house number inside a compound are dropped; the
 * street, community, compound and building stay (`…3栋2单元501室` → `…3栋`,
 * `…5号楼1单元302` → `…5号楼`, `翠湖小区101号` → `翠湖小区`). An address
 * longer than `Text.limits.address` (200) is cut there first.
 *
 * @since 0.1.0
 * @category publication
 */
export const coarsenAddress = (written: string): string => {
  const address = written.length > limits.address ? written.slice(0, limits.address) : written
  let cut = address.length
  const building = BUILDING.exec(address)
  if (building !== null) cut = building.index + building[0].length
  const detail = DETAIL.exec(address.slice(0, cut))
  if (detail !== null) cut = Math.min(cut, detail.index)
  const compound = COMPOUND_NUMBER.exec(address.slice(0, cut))
  if (compound !== null) cut = Math.min(cut, compound.index + compound[0].length)
  return address
    .slice(0, cut)
    .replace(/[\s,，、;；:：#\-－()（）]+$/u, "")
    .trim()
}

/**
 * 公开地点 — what may be published of where a case happened, under the
 * policy: the position (exact, coarsened or none) and the address (full,
 * coarsened or none; always scrubbed). `publishExact` — the reporter opted in
 * to exact publication — publishes the exact position and full address
 * unless the policy withholds them (`"none"`).
 *
 * @since 0.1.0
 * @category publication
 */
export const publish = (
  policy: PublicationPolicy,
  location: { readonly position?: Position | undefined; readonly address?: string | undefined },
  publishExact: boolean
): { readonly position: Position | null; readonly address: string | null } => {
  const meters = policy.coarseMeters ?? 100
  const position =
    location.position === undefined || policy.position === "none"
      ? null
      : publishExact || policy.position === "exact"
        ? location.position
        : coarsenPosition(location.position, meters)
  const address =
    location.address === undefined || policy.address === "none"
      ? null
      : publishExact || policy.address === "full"
        ? publicText(location.address, limits.address)
        : scrub(coarsenAddress(location.address))
  return { position, address: address === null || address.length === 0 ? null : address }
}
