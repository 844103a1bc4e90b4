import { describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Mask from "../src/Mask.js"

const mobile = fc
  .tuple(fc.constantFrom("13", "15", "17", "18", "19"), fc.stringMatching(/^[0-9]{9}$/))
  .map(([a, b]) => `${a}${b}`)

describe("Mask", () => {
  it("手机号脱敏: 13812341234 → 138****1234", () => {
    expect(Mask.phone("13812341234")).toBe("138****1234")
    expect(Mask.phone("+8613812341234")).toBe("+86*******1234")
    expect(Mask.phone("1234567")).toBe("*******")
    expect(Mask.phone("")).toBe("")
  })

  it("姓名脱敏: the first character stays", () => {
    expect(Mask.name("张三丰")).toBe("张**")
    expect(Mask.name("李")).toBe("*")
    expect(Mask.name("𠀀二")).toBe("𠀀*")
  })

  it("contact masks the fields present, adds none", () => {
    expect(Mask.contact({ phone: "13812341234" })).toEqual({ phone: "138****1234" })
    expect(Mask.contact({ name: "王五" })).toEqual({ name: "王*" })
    expect(Mask.contact({})).toEqual({})
  })

  it.prop("a masked mobile keeps 3 + 4 digits and hides the 4 between", [mobile], ([phone]) => {
    const masked = Mask.phone(phone)
    expect(masked).toHaveLength(11)
    expect(masked.slice(0, 3)).toBe(phone.slice(0, 3))
    expect(masked.slice(3, 7)).toBe("****")
    expect(masked.slice(7)).toBe(phone.slice(7))
  })

  it.prop(
    "masking keeps the length in code points and is idempotent",
    [fc.string({ unit: "grapheme" })],
    ([s]) => {
      for (const f of [Mask.phone, Mask.name]) {
        expect(Array.from(f(s))).toHaveLength(Array.from(s).length)
        expect(f(f(s))).toBe(f(s))
      }
    }
  )
})
