import { describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Privacy from "../src/Privacy.js"

// ---------------------------------------------------------------------------
// generators of personal data in the forms people write it

const digit = fc.integer({ min: 0, max: 9 }).map(String)
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((ds) => ds.join(""))

/** 11-digit mobile numbers 1[3-9]xxxxxxxxx. */
const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9))
  .map(([second, rest]) => `1${second}${rest}`)

/** 18-digit (last may be X) and 15-digit ID numbers. */
const idNumber = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 8 }), digits(16), fc.oneof(digit, fc.constant("X")))
    .map(([a, b, c]) => `${a}${b}${c}`),
  fc.tuple(fc.integer({ min: 1, max: 8 }), digits(14)).map(([a, b]) => `${a}${b}`)
)

/** Landlines: area code (010, 02x or 0xxx) and a 7–8 digit number. */
const landline = fc
  .tuple(
    fc.oneof(
      fc.constant("010"),
      fc.integer({ min: 0, max: 9 }).map((d) => `02${d}`),
      fc.tuple(fc.integer({ min: 3, max: 9 }), digits(2)).map(([a, b]) => `0${a}${b}`)
    ),
    fc.integer({ min: 2, max: 9 }),
    fc.oneof(digits(6), digits(7))
  )
  .map(([area, first, rest]) => ({ area, subscriber: `${first}${rest}` }))

const ZERO_WIDTH = ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF"] as const
const toWide = (s: string): string =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0x30 + 0xff10))

/** Sprinkles zero-width characters between digits (at positions chosen by the seeds). */
const sprinkle = (s: string, seeds: ReadonlyArray<number>): string => {
  let out = ""
  for (let i = 0; i < s.length; i++) {
    out += s[i] ?? ""
    const seed = seeds[i % Math.max(1, seeds.length)] ?? 0
    if (i < s.length - 1 && seed % 3 === 0) out += ZERO_WIDTH[seed % ZERO_WIDTH.length]
  }
  return out
}

/** A written form of a number: plain, full-width, with zero-width characters. */
const glyphs = (s: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(s, fc.constantFrom("plain", "wide", "zero-width", "wide+zero-width"), fc.array(fc.nat(30)))
    .map(([text, how, seeds]) =>
      how === "plain"
        ? text
        : how === "wide"
          ? toWide(text)
          : how === "zero-width"
            ? sprinkle(text, seeds)
            : sprinkle(toWide(text), seeds)
    )

const mobileForms = (m: string): ReadonlyArray<string> => [
  m,
  `+86${m}`,
  `+86 ${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`,
  `+86-${m}`,
  `0086 ${m}`,
  `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`,
  `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`,
  `${m.slice(0, 3)} - ${m.slice(3, 7)} - ${m.slice(7)}`,
  `(${m.slice(0, 3)})${m.slice(3)}`
]

const idForms = (id: string): ReadonlyArray<string> =>
  id.length === 18
    ? [
        id,
        `${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8, 12)} ${id.slice(12, 16)} ${id.slice(16)}`,
        `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`,
        `${id.slice(0, 6)}-${id.slice(6, 14)}-${id.slice(14)}`
      ]
    : [id, `${id.slice(0, 6)} ${id.slice(6, 12)} ${id.slice(12)}`]

const landlineForms = (l: { readonly area: string; readonly subscriber: string }): ReadonlyArray<string> => [
  `${l.area}${l.subscriber}`,
  `${l.area}-${l.subscriber}`,
  `${l.area} ${l.subscriber}`,
  `(${l.area})${l.subscriber}`,
  `（${l.area}）${l.subscriber}`,
  `${l.area}-${l.subscriber.slice(0, 4)} ${l.subscriber.slice(4)}`,
  `+86 ${l.area.slice(1)} ${l.subscriber}`,
  `+86-${l.area.slice(1)}-${l.subscriber.slice(0, 4)}-${l.subscriber.slice(4)}`
]

/** A number in one of its written forms, with its significant digits (the ones that must not survive). */
const written = (
  core: fc.Arbitrary<{ readonly secret: string; readonly forms: ReadonlyArray<string> }>
): fc.Arbitrary<{ readonly secret: string; readonly text: string }> =>
  core.chain(({ secret, forms }) => glyphs(fc.constantFrom(...forms)).map((text) => ({ secret, text })))

const pii = fc.oneof(
  written(mobile.map((m) => ({ secret: m, forms: mobileForms(m) }))),
  written(idNumber.map((id) => ({ secret: id, forms: idForms(id) }))),
  written(landline.map((l) => ({ secret: l.subscriber, forms: landlineForms(l) })))
)

/** Random Chinese and ASCII text around (it may hold digits, but never glued to the number). */
const filler = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "请联系",
        "电话",
        "业主",
        "反映",
        "楼道",
        "垃圾",
        "路灯不亮",
        "谢谢",
        "张先生",
        "。",
        "，"
      ),
      fc.string({ maxLength: 8 }),
      fc.integer({ min: 0, max: 99 }).map(String)
    ),
    { maxLength: 6 }
  )
  .map((parts) => parts.join(""))

const boundary = fc.constantFrom("，", "：", "。", "电话", "、", "手机号：", "\n", "; ")

/** Normalises the output for the check: full-width digits to ASCII, separators and zero-width characters out. */
const digitRuns = (text: string): ReadonlyArray<string> =>
  text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF|[ \-()（）]/g, "")
    .split(/[^0-9Xx]+/)

const survives = (secret: string, output: string): boolean => {
  const runs = digitRuns(output)
  for (let i = 0; i + 7 <= secret.length; i++) {
    const piece = secret.slice(i, i + 7)
    if (runs.some((r) => r.includes(piece))) return true
  }
  return false
}

// e-mail addresses
const localPart = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{2,10}$/),
    fc.option(fc.stringMatching(/^[._+-][a-z0-9]{1,6}$/), { nil: undefined })
  )
  .map(([a, b]) => `${a}${b ?? ""}`)
const domain = fc.constantFrom("qq.com", "163.com", "gov.cn", "mail.km.gov.cn", "example.org")
const email = fc
  .tuple(localPart, fc.constantFrom("@", "＠"), domain)
  .map(([local, at, d]) => ({ local, text: `${local}${at}${d}` }))

describe("Privacy.scrub 脱敏", () => {
  it("masks mobile, ID, landline numbers and e-mail addresses, keeping enough to recognise them", () => {
    expect(Privacy.scrub("请联系13812341234")).toBe("请联系138****1234")
    expect(Privacy.scrub("身份证 530102199001011234")).toBe("身份证 5301**********1234")
    expect(Privacy.scrub("座机 0871-63123456")).toBe("座机 0871-********")
    expect(Privacy.scrub("mail wang.li@qq.com")).toBe("mail ***@qq.com")
  })

  it("covers the written forms of finding 3", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["+8613812345678", "+86138****5678"],
      ["+86 138 1234 5678", "+86 138 **** 5678"],
      ["138-1234-5678", "138-****-5678"],
      ["138 1234 5678", "138 **** 5678"],
      ["１３８１２３４５６７８", "１３８****５６７８"],
      ["138\u200B1234\u200C5678", "138\u200B****\u200C5678"],
      ["1\u20603812\u200D345678\uFEFF", "1\u206038**\u200D**5678\uFEFF"],
      ["530102199001011234", "5301**********1234"],
      ["11010119900101123X", "1101**********123X"],
      ["110101900101123", "1101*******1123"],
      ["5301 0219 9001 0112 34", "5301 **** **** **12 34"],
      ["(0871)65123456", "(0871)********"],
      ["0871 65123456", "0871 ********"],
      ["0871-65123456", "0871-********"],
      ["010-62345678", "010-********"],
      ["+86 871 6512 3456", "+86 871 **** ****"],
      ["+86-10-6234-5678", "+86-10-****-****"],
      ["wang.li＠qq.com", "***＠qq.com"],
      ["TEL13812345678", "TEL138****5678"]
    ]
    for (const [input, output] of cases) expect([input, Privacy.scrub(input)]).toEqual([input, output])
  })

  it("leaves identifiers, dates, amounts and short numbers alone", () => {
    for (const text of [
      "路灯编号 LD-2024-0012 不亮",
      "2024-03-05 2024年3月5日 20240305 2024/03/05",
      "金额 1,234.50元，共 3 人，09:30 到场",
      "案件 2024-00001 与 o311-6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c",
      "o311-00000000-0000-1000-be8d-b13000000000 d14000000000",
      "金沙苑 3 栋 2 单元 501 室"
    ]) {
      expect(Privacy.scrub(text)).toBe(text)
    }
  })

  it.prop(
    "phones, ID numbers and landlines in any written form never survive",
    [pii, filler, filler, boundary, boundary],
    ([p, before, after, b1, b2]) => {
      const text = `${before}${b1}${p.text}${b2}${after}`
      const out = Privacy.scrub(text)
      expect(survives(p.secret, out), JSON.stringify({ text, out })).toBe(false)
    }
  )

  it.prop(
    "e-mail addresses never keep their local part",
    [email, filler, filler, boundary, boundary],
    ([e, before, after, b1, b2]) => {
      const out = Privacy.scrub(`${before}${b1}${e.text}${b2}${after}`)
      expect(out.includes(`${e.local}@`) || out.includes(`${e.local}＠`), out).toBe(false)
      expect(out).toContain("***")
    }
  )

  /** Ordinary text: dates, amounts, case ids, times, short numbers, in Chinese and ASCII. */
  const ordinaryItem = fc.oneof(
    fc
      .tuple(
        fc.integer({ min: 1990, max: 2035 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 })
      )
      .chain(([y, m, d]) => {
        const mm = String(m).padStart(2, "0")
        const dd = String(d).padStart(2, "0")
        return fc.constantFrom(
          `${y}-${mm}-${dd}`,
          `${y}年${m}月${d}日`,
          `${y}${mm}${dd}`,
          `${y}/${mm}/${dd}`,
          `${y}.${mm}.${dd}`
        )
      }),
    fc
      .tuple(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 99 }))
      .map(([yuan, fen]) => `${yuan.toLocaleString("en-US")}.${String(fen).padStart(2, "0")}元`),
    fc
      .tuple(fc.integer({ min: 2000, max: 2035 }), fc.integer({ min: 1, max: 99_999 }))
      .map(([y, n]) => `${y}-${String(n).padStart(5, "0")}`),
    fc.uuid().map((u) => `o311-${u}`),
    fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`),
    fc.integer({ min: 0, max: 999_999 }).map(String),
    fc.constantFrom("LD-2024-0012", "3栋2单元", "第12网格", "SJ-0102")
  )
  const glue = fc.constantFrom("，", "。", " 于 ", "：", "、", "路灯", " at ", "共")

  it.prop(
    "ordinary text comes out unchanged",
    [fc.array(fc.tuple(ordinaryItem, glue), { maxLength: 8 })],
    ([items]) => {
      const text = items.map(([item, g]) => `${item}${g}`).join("")
      expect(Privacy.scrub(text)).toBe(text)
    }
  )

  describe("1 MB of adversarial text per pattern is scrubbed correctly", () => {
    const MB = 1 << 20
    /** `unit` repeated to about 1 MB (whole units only). */
    const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length))
    /** Compares without printing megabytes: the first differing index, or -1. */
    const firstDifference = (a: string, b: string): number => {
      if (a === b) return -1
      let i = 0
      while (i < a.length && i < b.length && a[i] === b[i]) i++
      return i
    }
    const same = (unit: string, expected: (text: string) => string = (t) => t) => {
      const text = fill(unit)
      const out = Privacy.scrub(text)
      const want = expected(text)
      const at = firstDifference(out, want)
      expect(
        at,
        `${JSON.stringify(unit)}: differs at ${at}: ${JSON.stringify(out.slice(Math.max(0, at - 20), at + 20))}`
      ).toBe(-1)
    }

    it("e-mail pattern: no @ (the old pattern's quadratic case), dots, local-part characters", () => {
      for (const unit of ["a", "a.", "a-", "a+", "a.b-c_d%", "wang.li.qq.com "]) same(unit)
    })
    it("e-mail pattern: @ everywhere, domains of dots, addresses back to back, full-width ＠", () => {
      same("a@")
      same("@a.")
      same("u@qq.com ", (t) => t.replaceAll("u@", "***@"))
      same("a＠b.cn ", (t) => t.replaceAll("a＠", "***＠"))
      const longDomain = `x@${"b.".repeat(MB / 2)}c`
      expect(Privacy.scrub(longDomain) === `***@${longDomain.slice(2)}`).toBe(true)
    })
    it("number patterns: a 1 MB digit run, `1-`, `1 `, `12 `, `0871-` repeated, zero-width and full-width digits", () => {
      for (const unit of ["1", "1-", "1 ", "12 ", "0871-", "1\u200B", "\u200B", "１", "1(", "-", " "])
        same(unit)
    })
    it("number patterns: phones, IDs and landlines back to back are each masked", () => {
      same("13812345678，", (t) => t.replaceAll("13812345678", "138****5678"))
      same("138-1234-5678，", (t) => t.replaceAll("138-1234-5678", "138-****-5678"))
      same("530102199001011234;", (t) => t.replaceAll("530102199001011234", "5301**********1234"))
      same("(0871)65123456、", (t) => t.replaceAll("(0871)65123456", "(0871)********"))
    })
  })
})

describe("Privacy.publicText 公开文本", () => {
  it("cuts a long text at a boundary, never publishing a fragment of a number", () => {
    const text = `${"反映情况。".repeat(10)}电话13812345678`
    for (let max = 1; max <= text.length + 2; max++) {
      const out = Privacy.publicText(text, max)
      expect(out.length).toBeLessThanOrEqual(max)
      expect(survives("13812345678", out)).toBe(false)
      expect(out.includes("1381234")).toBe(false)
    }
    expect(Privacy.publicText("电话13812345678", 100)).toBe("电话138****5678")
  })

  it.prop(
    "is at most max characters and never publishes a phone, ID or landline, cut or whole",
    [pii, filler, filler, boundary, boundary, fc.integer({ min: 1, max: 80 })],
    ([p, before, after, b1, b2, max]) => {
      const text = `${before}${b1}${p.text}${b2}${after}`
      const out = Privacy.publicText(text, max)
      expect(out.length).toBeLessThanOrEqual(max)
      expect(survives(p.secret, out), JSON.stringify({ text, max, out })).toBe(false)
    }
  )

  it("an e-mail address masked longer than the limit is cut, not published longer", () => {
    expect(Privacy.publicText("a@b.cn", 6)).toBe("…")
    expect(Privacy.publicText("邮箱 a@b.cn", 8).length).toBeLessThanOrEqual(8)
    expect(Privacy.publicText("邮箱 a@b.cn", 100)).toBe("邮箱 ***@b.cn")
  })

  it("answers in time linear in max, not in the text (1 MB of digits)", () => {
    expect(Privacy.publicText("1".repeat(1 << 20), 4000)).toBe("…")
  })
})
