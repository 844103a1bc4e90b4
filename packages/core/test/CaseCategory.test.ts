import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Case from "../src/Case.js"
import * as CaseCategory from "../src/CaseCategory.js"
import * as Tier from "../src/Tier.js"

type Category = CaseCategory.Category
type Family = CaseCategory.CategoryFamily

const { Standard, WithCommunityGovernance, standardRows, communityGovernanceRows } = CaseCategory

const violationsOf = <A>(
  result: Either.Either<A, CaseCategory.InvalidCatalogue>
): ReadonlyArray<CaseCategory.CatalogueViolation> =>
  Either.match(result, { onLeft: (e) => e.violations, onRight: () => [] })

const attributeViolationsOf = <A>(
  result: Either.Either<A, CaseCategory.InvalidAttributes>
): ReadonlyArray<CaseCategory.AttributeViolation> =>
  Either.match(result, { onLeft: (e) => e.violations, onRight: () => [] })

const pad = (n: number): string => String(n).padStart(2, "0")

const minorById = (catalogue: CaseCategory.Catalogue, id: string): CaseCategory.MinorClass =>
  Option.getOrThrowWith(CaseCategory.getMinor(catalogue, id), () => new Error(`no minor ${id}`))

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/**
 * Generated catalogues keep the two families' major codes apart (部件 01–39,
 * 事件 50–89) and minor suffixes in 01–79, so the codes 40–49 / 90–99 and
 * suffixes 80–99 are free for injected rows and a family flip never makes a
 * code clash of its own.
 */
const majorCodeRange: Readonly<Record<Family, readonly [number, number]>> = {
  component: [1, 39],
  event: [50, 89]
}

interface Generated {
  readonly majors: ReadonlyArray<CaseCategory.MajorClass>
  readonly minors: ReadonlyArray<CaseCategory.MinorClass>
}

const familyRows = (family: Family): fc.Arbitrary<Generated> => {
  const [lo, hi] = majorCodeRange[family]
  return fc
    .uniqueArray(
      fc.tuple(
        fc.integer({ min: lo, max: hi }),
        fc.uniqueArray(fc.integer({ min: 1, max: 79 }), { maxLength: 5 })
      ),
      { minLength: 1, maxLength: 4, selector: ([code]) => code }
    )
    .map((spec) => {
      const majors = spec.map(([code]) =>
        CaseCategory.major({ family, code: pad(code), name: `${family}大类${pad(code)}` })
      )
      const minors = spec.flatMap(([code, suffixes]) =>
        suffixes.map((s) =>
          CaseCategory.minor({
            family,
            code: `${pad(code)}${pad(s)}`,
            name: `小类${pad(code)}${pad(s)}`,
            majorId: CaseCategory.idOf(family, pad(code))
          })
        )
      )
      return { majors, minors }
    })
}

const validRows: fc.Arbitrary<ReadonlyArray<Category>> = fc
  .tuple(familyRows("component"), familyRows("event"))
  .chain(([c, e]) => {
    const rows: ReadonlyArray<Category> = [...c.majors, ...c.minors, ...e.majors, ...e.minors]
    return fc.shuffledSubarray([...rows], { minLength: rows.length, maxLength: rows.length })
  })

/** A valid base catalogue and a valid extension of it: majors and minors split between them. */
const baseAndExtension: fc.Arbitrary<{
  readonly base: ReadonlyArray<Category>
  readonly extension: ReadonlyArray<Category>
}> = validRows.chain((rows) => {
  const majors = rows.filter(CaseCategory.isMajor)
  return fc
    .tuple(
      fc.array(fc.boolean(), { minLength: majors.length, maxLength: majors.length }),
      fc.array(fc.boolean(), { minLength: rows.length, maxLength: rows.length })
    )
    .map(([majorInBase, rowInBase]) => {
      const baseMajors = new Set(majors.filter((_, i) => majorInBase[i]).map((m) => m.id))
      const inBase = (row: Category, i: number): boolean =>
        row._tag === "MajorClass"
          ? baseMajors.has(row.id)
          : baseMajors.has(row.majorId) && rowInBase[i] === true
      return {
        base: rows.filter((row, i) => inBase(row, i)),
        extension: rows.filter((row, i) => !inBase(row, i))
      }
    })
})

type InjectionKind = "duplicate-id" | "orphan-minor" | "family-mismatch"

interface Injection {
  readonly kind: InjectionKind
  /** Which existing row (index modulo the row count) the injection leans on. */
  readonly pick: number
  readonly asMajor: boolean
}

const injection: fc.Arbitrary<Injection> = fc.record({
  kind: fc.constantFrom<InjectionKind>("duplicate-id", "orphan-minor", "family-mismatch"),
  pick: fc.nat(),
  asMajor: fc.boolean()
})

const other = (family: Family): Family => (family === "component" ? "event" : "component")

/** Builds the row an injection adds; the i-th injection uses suffix / spare major code 80+i / 40+i. */
const inject = (
  rows: ReadonlyArray<Category>,
  inj: Injection,
  i: number
): { readonly row: Category; readonly expected: { readonly rule: InjectionKind; readonly id: string } } => {
  const majors = rows.filter(CaseCategory.isMajor)
  const target = rows[inj.pick % rows.length]
  const parent = majors[inj.pick % majors.length]
  if (target === undefined || parent === undefined) throw new Error("generated catalogues are never empty")
  switch (inj.kind) {
    case "duplicate-id": {
      const row: Category = inj.asMajor
        ? CaseCategory.major({
            family: parent.family,
            code: pad((parent.family === "component" ? 40 : 90) + i),
            name: `注入大类${i}`,
            id: target.id
          })
        : CaseCategory.minor({
            family: parent.family,
            code: `${parent.code}${pad(80 + i)}`,
            name: `注入小类${i}`,
            majorId: parent.id,
            id: target.id
          })
      return { row, expected: { rule: "duplicate-id", id: target.id } }
    }
    case "orphan-minor": {
      const id = `ORPHAN-${i}`
      const row = CaseCategory.minor({
        family: parent.family,
        code: `${pad((parent.family === "component" ? 40 : 90) + i)}${pad(80 + i)}`,
        name: `孤儿小类${i}`,
        majorId: `MISSING-${i}`,
        id
      })
      return { row, expected: { rule: "orphan-minor", id } }
    }
    case "family-mismatch": {
      const id = `MISMATCH-${i}`
      const row = CaseCategory.minor({
        family: other(parent.family),
        code: `${parent.code}${pad(80 + i)}`,
        name: `错族小类${i}`,
        majorId: parent.id,
        id
      })
      return { row, expected: { rule: "family-mismatch", id } }
    }
  }
}

// Attribute definitions and values ------------------------------------------------

const datatype = fc.constantFrom<CaseCategory.AttributeDatatype>(
  "string",
  "number",
  "datetime",
  "text",
  "singlevaluelist",
  "multivaluelist"
)

const attributeDef: fc.Arbitrary<CaseCategory.Attribute> = fc
  .record({
    code: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
    datatype,
    required: fc.boolean(),
    order: fc.nat({ max: 20 }),
    keys: fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 5 })
  })
  .map(({ code, datatype, required, order, keys }) =>
    CaseCategory.attribute({
      code,
      datatype,
      required,
      order,
      description: `属性 ${code}`,
      ...(CaseCategory.isListDatatype(datatype)
        ? { values: keys.map((k): readonly [string, string] => [k, `选项${k}`]) }
        : {})
    })
  )

const categoryWithAttributes: fc.Arbitrary<CaseCategory.MinorClass> = fc
  .uniqueArray(attributeDef, { maxLength: 8, selector: (a) => a.code })
  .map((attributes) =>
    CaseCategory.minor({ family: "event", code: "0101", name: "测试小类", majorId: "SJ-01", attributes })
  )

const keysOf = (attr: CaseCategory.Attribute): ReadonlyArray<string> => (attr.values ?? []).map((v) => v.key)

/** A value of the attribute's datatype, as a report would send it. */
const goodValue = (attr: CaseCategory.Attribute): fc.Arbitrary<unknown> => {
  switch (attr.datatype) {
    case "string":
    case "text":
      return fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0)
    case "number":
      return fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer().map((n) => String(n))
      )
    case "datetime":
      return fc.oneof(
        fc
          .date({
            min: new Date("1970-01-01T00:00:00Z"),
            max: new Date("2099-12-31T00:00:00Z"),
            noInvalidDate: true
          })
          .map((d) => d.toISOString()),
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2099-12-31T00:00:00Z"),
          noInvalidDate: true
        })
      )
    case "singlevaluelist":
      return fc.constantFrom(...keysOf(attr))
    case "multivaluelist":
      return fc.subarray([...keysOf(attr)], { minLength: 1 })
  }
}

type Corruption = "missing-required" | "wrong-type" | "not-in-list"

/** A value that breaks the attribute in the given way. */
const badValue = (attr: CaseCategory.Attribute, corruption: Corruption): fc.Arbitrary<unknown> => {
  switch (corruption) {
    case "missing-required":
      return fc.constantFrom(undefined, null, "", "   ", [])
    case "not-in-list":
      return attr.datatype === "multivaluelist"
        ? fc.constant([...keysOf(attr).slice(0, 1), "NOT-A-KEY"])
        : fc.constant("NOT-A-KEY")
    case "wrong-type":
      switch (attr.datatype) {
        case "string":
        case "text":
          return fc.oneof(fc.integer(), fc.boolean(), fc.constant({ x: 1 }))
        case "number":
          return fc.oneof(fc.boolean(), fc.constant("十二"), fc.constant(Number.NaN), fc.constant({}))
        case "datetime":
          return fc.oneof(fc.boolean(), fc.constant("2024-02-30"), fc.constant("明天上午"), fc.integer())
        case "singlevaluelist":
          return fc.oneof(fc.boolean(), fc.constant({ key: "x" }))
        case "multivaluelist":
          return fc.oneof(fc.boolean(), fc.constant([true]), fc.constant({}))
      }
  }
}

const corruptionsFor = (attr: CaseCategory.Attribute): ReadonlyArray<Corruption> => [
  ...(attr.required ? (["missing-required"] as const) : []),
  "wrong-type",
  ...(CaseCategory.isListDatatype(attr.datatype) ? (["not-in-list"] as const) : [])
]

interface Report {
  readonly category: CaseCategory.MinorClass
  readonly values: Record<string, unknown>
  /** Attribute code → the rule its corruption breaks. */
  readonly corrupted: ReadonlyMap<string, CaseCategory.AttributeRule>
}

interface Field {
  readonly attr: CaseCategory.Attribute
  readonly value: unknown
  readonly corruption: Corruption | undefined
}

/** A category, a report that fills it correctly, then corrupts some fields and adds unknown ones. */
const report = (corrupt: boolean): fc.Arbitrary<Report> =>
  categoryWithAttributes.chain((category) => {
    const perAttribute = category.attributes.map(
      (attr): fc.Arbitrary<Field> =>
        fc
          .tuple(
            goodValue(attr),
            attr.required ? fc.constant(true) : fc.boolean(),
            corrupt
              ? fc.option(fc.constantFrom(...corruptionsFor(attr)), { nil: undefined })
              : fc.constant(undefined)
          )
          .chain(
            ([good, present, corruption]): fc.Arbitrary<Field> =>
              corruption === undefined
                ? fc.constant({ attr, value: present ? good : undefined, corruption })
                : badValue(attr, corruption).map((value) => ({ attr, value, corruption }))
          )
    )
    const unknown = corrupt
      ? fc.uniqueArray(fc.stringMatching(/^X[A-Z]{1,4}$/), { maxLength: 3 })
      : fc.constant([])
    const allFields = perAttribute.reduce<fc.Arbitrary<ReadonlyArray<Field>>>(
      (acc, arb) => fc.tuple(acc, arb).map(([xs, x]) => [...xs, x]),
      fc.constant([])
    )
    return fc.tuple(allFields, unknown).map(([fields, extra]) => {
      const values: Record<string, unknown> = {}
      const corrupted = new Map<string, CaseCategory.AttributeRule>()
      for (const { attr, value, corruption } of fields) {
        if (value !== undefined || corruption !== undefined) values[attr.code] = value
        if (corruption !== undefined) corrupted.set(attr.code, corruption)
      }
      for (const key of extra) {
        values[key] = "多余"
        corrupted.set(key, "unknown-attribute")
      }
      return { category, values, corrupted }
    })
  })

// ---------------------------------------------------------------------------
// Default catalogue
// ---------------------------------------------------------------------------

describe("CaseCategory — the default catalogue (GB/T 30428.2 / CJ/T 214)", () => {
  it("部件六大类: the component family has the six standard major classes, codes 01–06", () => {
    expect(CaseCategory.majors(Standard, "component").map((m) => [m.code, m.name])).toEqual([
      ["01", "公用设施"],
      ["02", "道路交通"],
      ["03", "市容环境"],
      ["04", "园林绿化"],
      ["05", "房屋土地"],
      ["06", "其他设施"]
    ])
  })

  it("事件五大类: the event family has the five standard major classes, codes 01–05", () => {
    expect(CaseCategory.majors(Standard, "event").map((m) => [m.code, m.name])).toEqual([
      ["01", "市容环境"],
      ["02", "宣传广告"],
      ["03", "施工管理"],
      ["04", "突发事件"],
      ["05", "街面秩序"]
    ])
  })

  it("the default rows form a valid tree, alone and with the community-governance extension", () => {
    expect(violationsOf(CaseCategory.make(standardRows))).toEqual([])
    expect(violationsOf(CaseCategory.extend(Standard, communityGovernanceRows))).toEqual([])
    expect(violationsOf(CaseCategory.make([...standardRows, ...communityGovernanceRows]))).toEqual([])
  })

  it("ids are unique, codes unique within a family, and every id follows the BJ-/SJ- scheme", () => {
    for (const catalogue of [Standard, WithCommunityGovernance]) {
      const ids = catalogue.categories.map((c) => c.id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const family of CaseCategory.families) {
        const codes = CaseCategory.inFamily(catalogue, family).map((c) => c.code)
        expect(new Set(codes).size).toBe(codes.length)
      }
      for (const c of catalogue.categories) expect(c.id).toBe(CaseCategory.idOf(c.family, c.code))
    }
    expect(CaseCategory.get(Standard, "BJ-0101").pipe(Option.map((c) => c.name))).toEqual(
      Option.some("上水井盖")
    )
    expect(CaseCategory.get(Standard, "SJ-0101").pipe(Option.map((c) => c.name))).toEqual(
      Option.some("私搭乱建")
    )
  })

  it("every major class has minor classes, and common ones are there", () => {
    for (const m of CaseCategory.majors(WithCommunityGovernance)) {
      expect(CaseCategory.minorsOf(WithCommunityGovernance, m.id).length).toBeGreaterThan(0)
    }
    const names = (majorId: string) => CaseCategory.minorsOf(Standard, majorId).map((m) => m.name)
    expect(names("BJ-01")).toEqual(
      expect.arrayContaining(["上水井盖", "污水井盖", "雨水箅子", "路灯", "消防栓"])
    )
    expect(names("SJ-01")).toEqual(expect.arrayContaining(["暴露垃圾", "积存垃圾渣土", "道路不洁"]))
    expect(names("SJ-05")).toEqual(expect.arrayContaining(["无照经营游商", "占道经营"]))
  })

  it("三级闭环: every 突发事件 minor starts above the community; 燃气管道破裂 at the district", () => {
    const emergencies = CaseCategory.minorsOf(Standard, "SJ-04")
    expect(emergencies.length).toBeGreaterThan(0)
    for (const m of emergencies) {
      expect(Tier.rank(CaseCategory.startTierOf(m))).toBeGreaterThan(Tier.rank("community"))
      expect(CaseCategory.urgencyOf(m)).not.toBe("normal")
    }
    const gas = minorById(Standard, "SJ-0403")
    expect([gas.name, CaseCategory.startTierOf(gas), CaseCategory.urgencyOf(gas), gas.departmentId]).toEqual([
      "燃气管道破裂",
      "district",
      "critical",
      "gas"
    ])
  })

  it("社区自循环: an ordinary minor starts at the community with normal urgency", () => {
    const litter = minorById(Standard, "SJ-0102")
    expect(litter.name).toBe("暴露垃圾")
    expect(CaseCategory.startTierOf(litter)).toBe("community")
    expect(CaseCategory.urgencyOf(litter)).toBe("normal")
  })

  it("社区治理扩展: disputes, petitions, property management and elderly care are event classes 21–25", () => {
    expect(CaseCategory.majors(WithCommunityGovernance, "event").map((m) => m.name)).toEqual([
      "市容环境",
      "宣传广告",
      "施工管理",
      "突发事件",
      "街面秩序",
      "矛盾纠纷",
      "信访事项",
      "物业管理",
      "养老服务",
      "儿童关爱"
    ])
    expect(CaseCategory.path(WithCommunityGovernance, "SJ-2201")).toEqual(
      Option.some(["信访事项", "信访代办"])
    )
    expect(CaseCategory.get(Standard, "SJ-21")).toEqual(Option.none())
  })
})

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

describe("CaseCategory — queries", () => {
  it("path gives 大类/小类 names; majorOf and minorsOf walk the tree", () => {
    expect(CaseCategory.path(Standard, "BJ-0101")).toEqual(Option.some(["公用设施", "上水井盖"]))
    expect(CaseCategory.path(Standard, "SJ-05")).toEqual(Option.some(["街面秩序"]))
    expect(CaseCategory.path(Standard, "nope")).toEqual(Option.none())
    expect(CaseCategory.majorOf(Standard, "SJ-0501").pipe(Option.map((m) => m.name))).toEqual(
      Option.some("街面秩序")
    )
    expect(CaseCategory.majorOf(Standard, "SJ-05")).toEqual(Option.none())
    expect(CaseCategory.minorsOf(Standard, "BJ-0101")).toEqual([])
  })

  it("getMinor / getMajor tell the levels apart", () => {
    expect(Option.isSome(CaseCategory.getMinor(Standard, "BJ-0112"))).toBe(true)
    expect(Option.isNone(CaseCategory.getMinor(Standard, "BJ-01"))).toBe(true)
    expect(Option.isSome(CaseCategory.getMajor(Standard, "BJ-01"))).toBe(true)
    expect(Option.isNone(CaseCategory.getMajor(Standard, "BJ-0112"))).toBe(true)
  })

  it("families partition the catalogue; majors and minors partition it too", () => {
    const all = Standard.categories.length
    expect(
      CaseCategory.inFamily(Standard, "component").length + CaseCategory.inFamily(Standard, "event").length
    ).toBe(all)
    expect(CaseCategory.majors(Standard).length + CaseCategory.minors(Standard).length).toBe(all)
    expect(CaseCategory.minors(Standard, "event").every((m) => m.family === "event")).toBe(true)
  })

  it("search by name: exact name first, then prefix, then substring, then keyword", () => {
    const names = CaseCategory.search(Standard, "井盖").map((c) => c.name)
    expect(names).toEqual(
      expect.arrayContaining([
        "上水井盖",
        "污水井盖",
        "雨水井盖",
        "电力井盖",
        "燃气井盖",
        "热力井盖",
        "无主井盖"
      ])
    )
    expect(names.every((n) => n.includes("井盖"))).toBe(true)
    const road = CaseCategory.search(Standard, "市容环境").map((c) => c.id)
    expect(road.slice(0, 2)).toEqual(["BJ-03", "SJ-01"])
    expect(CaseCategory.search(Standard, "游商").map((c) => c.id)[0]).toBe("SJ-0501")
    expect(CaseCategory.search(Standard, "红绿灯").map((c) => c.name)).toEqual(["交通信号灯"])
    expect(CaseCategory.search(Standard, "  ")).toEqual([])
  })
})

// ---------------------------------------------------------------------------
// Building and extending catalogues
// ---------------------------------------------------------------------------

describe("CaseCategory — make and extend validate the tree", () => {
  it.prop(
    "一小类一大类: every minor of a valid catalogue has exactly one major class, of its own family",
    [validRows],
    ([rows]) => {
      const catalogue = Either.getOrThrowWith(CaseCategory.make(rows), (e) => e)
      const majors = CaseCategory.majors(catalogue)
      for (const m of CaseCategory.minors(catalogue)) {
        const parents = majors.filter((p) => p.id === m.majorId)
        expect(parents.length).toBe(1)
        expect(parents[0]?.family).toBe(m.family)
        expect(CaseCategory.majorOf(catalogue, m)).toEqual(Option.some(parents[0]))
        expect(CaseCategory.minorsOf(catalogue, m.majorId)).toContainEqual(m)
      }
      const hung = majors.reduce((n, p) => n + CaseCategory.minorsOf(catalogue, p.id).length, 0)
      expect(hung).toBe(CaseCategory.minors(catalogue).length)
      expect(catalogue.categories.length).toBe(rows.length)
    }
  )

  it.prop(
    "catalogue order is deterministic: the same rows in any order give the same catalogue",
    [validRows],
    ([rows]) => {
      const a = Either.getOrThrowWith(CaseCategory.make(rows), (e) => e)
      const b = Either.getOrThrowWith(CaseCategory.make([...rows].reverse()), (e) => e)
      expect(b.categories).toEqual(a.categories)
    }
  )

  it.prop(
    "扩展: extending a valid catalogue validates, or reports every injected duplicate id, orphan minor and family mismatch — and only those",
    [baseAndExtension, fc.array(injection, { maxLength: 8 })],
    ([{ base, extension }, injections]) => {
      const catalogue = Either.getOrThrowWith(CaseCategory.make(base), (e) => e)
      const all = [...base, ...extension]
      const injected = injections.map((inj, i) => inject(all, inj, i))
      const result = CaseCategory.extend(catalogue, [...extension, ...injected.map((x) => x.row)])
      if (injected.length === 0) {
        const extended = Either.getOrThrowWith(result, (e) => e)
        expect(extended.categories.length).toBe(all.length)
        for (const row of all) expect(CaseCategory.get(extended, row.id)).toEqual(Option.some(row))
        return
      }
      const violations = violationsOf(result)
      expect(violations.length).toBeGreaterThan(0)
      for (const { expected } of injected) {
        expect(violations).toContainEqual(
          expect.objectContaining({ rule: expected.rule, categoryId: expected.id })
        )
      }
      const named = new Set(injected.map((x) => x.expected.id))
      for (const v of violations) expect(named.has(v.categoryId)).toBe(true)
    },
    { fastCheck: { numRuns: 150 } }
  )

  it("reports every violation at once, each naming the category and the rule", () => {
    const rows: ReadonlyArray<Category> = [
      CaseCategory.major({ family: "component", code: "01", name: "公用设施" }),
      CaseCategory.major({ family: "event", code: "04", name: "突发事件" }),
      CaseCategory.major({ family: "event", code: "4", name: "坏代码", id: "SJ-bad" }),
      CaseCategory.minor({ family: "component", code: "0101", name: "上水井盖", majorId: "BJ-01" }),
      CaseCategory.minor({ family: "component", code: "0102", name: "上水井盖", majorId: "BJ-01" }),
      CaseCategory.minor({
        family: "component",
        code: "0101",
        name: "重复代码",
        majorId: "BJ-01",
        id: "BJ-x"
      }),
      CaseCategory.minor({ family: "event", code: "0101", name: "错族", majorId: "BJ-01", id: "SJ-0101" }),
      CaseCategory.minor({ family: "event", code: "0901", name: "孤儿", majorId: "SJ-09" }),
      CaseCategory.minor({ family: "event", code: "0402", name: "挂小类", majorId: "SJ-0901" }),
      CaseCategory.minor({ family: "event", code: "0501", name: "错前缀", majorId: "SJ-04" }),
      CaseCategory.minor({ family: "event", code: "0403", name: "火灾", majorId: "SJ-04", id: "BJ-01" }),
      CaseCategory.minor({
        family: "event",
        code: "0404",
        name: "属性问题",
        majorId: "SJ-04",
        attributes: [
          CaseCategory.attribute({ code: "a", datatype: "string", description: "甲", order: 1 }),
          CaseCategory.attribute({ code: "a", datatype: "number", description: "甲二", order: 2 }),
          CaseCategory.attribute({ code: "b", datatype: "singlevaluelist", description: "乙", order: 3 }),
          CaseCategory.attribute({
            code: "c",
            datatype: "text",
            description: "丙",
            order: 4,
            values: [["x", "叉"]]
          }),
          CaseCategory.attribute({
            code: "d",
            datatype: "multivaluelist",
            description: "丁",
            order: 5,
            values: [
              ["x", "叉"],
              ["x", "又叉"]
            ]
          })
        ]
      })
    ]
    const found = violationsOf(CaseCategory.make(rows)).map((v) => [v.categoryId, v.rule, v.attribute ?? ""])
    expect(found).toEqual([
      ["BJ-01", "duplicate-id", ""],
      ["BJ-0102", "duplicate-name", ""],
      ["BJ-x", "duplicate-code", ""],
      ["SJ-0101", "family-mismatch", ""],
      ["SJ-0402", "parent-not-major", ""],
      ["SJ-0404", "duplicate-attribute", "a"],
      ["SJ-0404", "duplicate-value", "d"],
      ["SJ-0404", "list-without-values", "b"],
      ["SJ-0404", "values-on-non-list", "c"],
      ["SJ-0501", "code-prefix", ""],
      ["SJ-0901", "orphan-minor", ""],
      ["SJ-bad", "code-format", ""]
    ])
    const error = Either.flip(CaseCategory.make(rows)).pipe(Either.getOrThrow)
    expect(error._tag).toBe("InvalidCatalogue")
    expect(error.message).toContain("孤儿")
  })

  it("extend reports an added row that clashes with the catalogue", () => {
    const clash = CaseCategory.minor({
      family: "component",
      code: "0101",
      name: "另一个井盖",
      majorId: "BJ-01",
      id: "X"
    })
    expect(violationsOf(CaseCategory.extend(Standard, [clash])).map((v) => [v.categoryId, v.rule])).toEqual([
      ["X", "duplicate-code"]
    ])
    const added = CaseCategory.minor({
      family: "component",
      code: "0199",
      name: "智能井盖",
      majorId: "BJ-01"
    })
    const extended = Either.getOrThrowWith(CaseCategory.extend(Standard, [added]), (e) => e)
    expect(CaseCategory.minorsOf(extended, "BJ-01").at(-1)?.name).toBe("智能井盖")
  })

  it("rows decode from JSON with the Category schema (attributes default to none)", () => {
    const decoded = Schema.decodeUnknownSync(Schema.Array(CaseCategory.Category))([
      { _tag: "MajorClass", id: "SJ-31", family: "event", code: "31", name: "安全生产" },
      { _tag: "MinorClass", id: "SJ-3101", family: "event", code: "3101", name: "消防隐患", majorId: "SJ-31" }
    ])
    const catalogue = Either.getOrThrowWith(CaseCategory.extend(Standard, decoded), (e) => e)
    expect(CaseCategory.getMinor(catalogue, "SJ-3101").pipe(Option.map((m) => m.attributes))).toEqual(
      Option.some([])
    )
  })
})

// ---------------------------------------------------------------------------
// Attribute values
// ---------------------------------------------------------------------------

describe("CaseCategory — validateAttributes", () => {
  it.prop(
    "a report filled to the definitions is accepted, every given field typed",
    [report(false)],
    ([r]) => {
      const ok = Either.getOrThrowWith(CaseCategory.validateAttributes(r.category, r.values), (e) => e)
      const given = Object.keys(r.values).filter((k) => r.values[k] !== undefined)
      expect(Object.keys(ok).sort()).toEqual(given.sort())
      for (const attr of r.category.attributes) {
        const v = ok[attr.code]
        if (v === undefined) continue
        if (attr.datatype === "number") expect(typeof v).toBe("number")
        else if (attr.datatype === "multivaluelist") expect(Array.isArray(v)).toBe(true)
        else expect(typeof v).toBe("string")
      }
    }
  )

  it.prop(
    "each corrupted field is reported once with its rule, and no other field",
    [report(true)],
    ([r]) => {
      const violations = attributeViolationsOf(CaseCategory.validateAttributes(r.category, r.values))
      const reported = new Map(violations.map((v) => [v.attribute, v.rule]))
      expect(violations.length).toBe(reported.size)
      expect(reported).toEqual(r.corrupted)
    }
  )

  it("道路积水: a numeric string is a number; a missing required field, a bad key and an unknown field are all named", () => {
    const flood = minorById(Standard, "SJ-0406")
    expect(CaseCategory.validateAttributes(flood, { casualties: "none", depth_cm: " 15 " })).toEqual(
      Either.right({ casualties: "none", depth_cm: 15 })
    )
    const bad = attributeViolationsOf(
      CaseCategory.validateAttributes(flood, {
        depth_cm: "很深",
        occurred_at: "2024-13-01",
        reporter_phone: "138"
      })
    ).map((v) => [v.attribute, v.rule])
    expect(bad).toEqual([
      ["casualties", "missing-required"],
      ["depth_cm", "wrong-type"],
      ["occurred_at", "wrong-type"],
      ["reporter_phone", "unknown-attribute"]
    ])
    expect(
      attributeViolationsOf(CaseCategory.validateAttributes(flood, { casualties: "maybe" })).map(
        (v) => v.rule
      )
    ).toEqual(["not-in-list"])
  })

  it("a multi-value list takes a list or a single key; a Date becomes ISO 8601", () => {
    const vendor = minorById(Standard, "SJ-0501")
    expect(CaseCategory.validateAttributes(vendor, { goods: "produce" })).toEqual(
      Either.right({ goods: ["produce"] })
    )
    expect(CaseCategory.validateAttributes(vendor, { goods: ["snacks", "snacks", "other"] })).toEqual(
      Either.right({ goods: ["snacks", "other"] })
    )
    const fire = minorById(Standard, "SJ-0409")
    expect(
      CaseCategory.validateAttributes(fire, {
        casualties: "none",
        occurred_at: new Date("2024-05-01T00:30:00Z")
      })
    ).toEqual(Either.right({ casualties: "none", occurred_at: "2024-05-01T00:30:00.000Z" }))
  })
})

describe("CaseCategory — validateAttributes with unknown codes kept (options.unknown: keep)", () => {
  /** Sets a field as an own property (a code such as `__proto__` included). */
  const put = (record: Record<string, unknown>, key: string, value: unknown): void => {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
  }
  const unknownCode = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.constantFrom("__proto__", "constructor", "toString", "a\nb", "x".repeat(65), " padded ", "")
  )
  const unknownValue = fc.oneof(
    fc.anything(),
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      "x".repeat(2001),
      "  ",
      "NUL\u0000",
      true,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      [],
      [""]
    ),
    fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer()), { maxLength: 60 })
  )
  /** A report of the generator above plus unknown codes with any values (never a category's own code). */
  const withUnknowns = (corrupt: boolean) =>
    fc
      .tuple(report(corrupt), fc.array(fc.tuple(unknownCode, unknownValue), { maxLength: 60 }))
      .map(([r, extra]) => {
        const codes = new Set(r.category.attributes.map((a) => a.code))
        const values: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(r.values)) if (!k.startsWith("X")) put(values, k, v)
        for (const [k, v] of extra) if (!codes.has(k)) put(values, k, v)
        const known = new Map([...r.corrupted].filter(([, rule]) => rule !== "unknown-attribute"))
        return { category: r.category, values, known }
      })
  const isAttributes = Schema.is(Case.Attributes)

  it.prop(
    "unknown codes never cause a refusal; what is kept is valid Case.Attributes; known values are typed as without unknowns",
    [withUnknowns(false)],
    ([r]) => {
      const kept = Either.getOrThrowWith(
        CaseCategory.validateAttributes(r.category, r.values, { unknown: "keep" }),
        (e) => e
      )
      expect(isAttributes(kept)).toBe(true)
      const own: Record<string, unknown> = {}
      for (const a of r.category.attributes)
        if (Object.hasOwn(r.values, a.code)) own[a.code] = r.values[a.code]
      const alone = Either.getOrThrowWith(CaseCategory.validateAttributes(r.category, own), (e) => e)
      for (const [code, value] of Object.entries(alone)) expect(kept[code]).toEqual(value)
      // every kept code was sent
      for (const code of Object.keys(kept)) expect(Object.hasOwn(r.values, code)).toBe(true)
      // and the default still refuses unknown codes
      const sentUnknown = Object.keys(r.values).some(
        (k) => r.values[k] !== undefined && !r.category.attributes.some((a) => a.code === k)
      )
      expect(Either.isLeft(CaseCategory.validateAttributes(r.category, r.values))).toBe(sentUnknown)
    }
  )

  it.prop(
    "an invalid value of a known attribute is still refused, with its rule, whatever unknown codes come along",
    [withUnknowns(true)],
    ([r]) => {
      const result = CaseCategory.validateAttributes(r.category, r.values, { unknown: "keep" })
      const violations = attributeViolationsOf(result)
      expect(new Map(violations.map((v) => [v.attribute, v.rule]))).toEqual(r.known)
      expect(violations.every((v) => v.rule !== "unknown-attribute")).toBe(true)
    }
  )

  it("keeps texts, numbers and lists of names; drops what Case.Attributes cannot hold", () => {
    const flood = minorById(Standard, "SJ-0406")
    const values: Record<string, unknown> = {
      casualties: "none",
      fms_id: " 12345 ",
      count: 3,
      tags: ["a", 2],
      flag: true,
      nested: { a: 1 },
      blank: "  ",
      huge: "x".repeat(2001),
      "bad\ncode": "v",
      [`${"k".repeat(65)}`]: "v"
    }
    put(values, "__proto__", "kept as an own field")
    const kept = Either.getOrThrowWith(
      CaseCategory.validateAttributes(flood, values, { unknown: "keep" }),
      (e) => e
    )
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype)
    expect({ ...kept }).toEqual({
      casualties: "none",
      fms_id: "12345",
      count: 3,
      tags: ["a", "2"],
      ["__proto__"]: "kept as an own field"
    })
    expect(Object.keys(kept).sort()).toEqual(["__proto__", "casualties", "count", "fms_id", "tags"])
    // a bad value of a known attribute is refused, an unknown code is not
    expect(
      attributeViolationsOf(
        CaseCategory.validateAttributes(flood, { depth_cm: "很深", extra: "x" }, { unknown: "keep" })
      ).map((v) => [v.attribute, v.rule])
    ).toEqual([
      ["casualties", "missing-required"],
      ["depth_cm", "wrong-type"]
    ])
  })

  it("keeps at most 50 attributes in all: the category's own first, then unknown codes in code order", () => {
    const flood = minorById(Standard, "SJ-0406")
    const values: Record<string, unknown> = { casualties: "none" }
    for (let i = 0; i < 60; i++) values[`u${String(i).padStart(2, "0")}`] = i
    const kept = Either.getOrThrowWith(
      CaseCategory.validateAttributes(flood, values, { unknown: "keep" }),
      (e) => e
    )
    expect(Object.keys(kept).length).toBe(Case.maxAttributes)
    expect(kept.casualties).toBe("none")
    expect(kept.u48).toBe(48)
    expect(kept.u49).toBeUndefined()
  })
})

// ---------------------------------------------------------------------------
// Open311
// ---------------------------------------------------------------------------

describe("CaseCategory — Open311 projection", () => {
  const definitionCategory: fc.Arbitrary<CaseCategory.MinorClass> = categoryWithAttributes

  it.prop(
    "the service keeps code and name; the definition keeps every attribute and its values",
    [validRows, definitionCategory],
    ([rows, withAttributes]) => {
      const catalogue = Either.getOrThrowWith(CaseCategory.make(rows), (e) => e)
      const services = CaseCategory.toOpen311Services(catalogue)
      expect(services.map((s) => [s.service_code, s.service_name])).toEqual(
        CaseCategory.minors(catalogue).map((m) => [m.id, m.name])
      )
      for (const s of services) expect(Schema.is(CaseCategory.Open311Service)(s)).toBe(true)

      const service = CaseCategory.toOpen311Service(catalogue, withAttributes)
      expect([service.service_code, service.service_name, service.metadata, service.type]).toEqual([
        withAttributes.id,
        withAttributes.name,
        withAttributes.attributes.length > 0,
        "realtime"
      ])
      const definition = CaseCategory.toOpen311Definition(withAttributes)
      expect(Schema.is(CaseCategory.Open311ServiceDefinition)(definition)).toBe(true)
      expect(definition.service_code).toBe(withAttributes.id)
      expect(definition.attributes.length).toBe(withAttributes.attributes.length)
      expect(definition.attributes.map((a) => a.code).sort()).toEqual(
        withAttributes.attributes.map((a) => a.code).sort()
      )
      for (const a of definition.attributes) {
        const source = withAttributes.attributes.find((x) => x.code === a.code)
        expect(a.values.length).toBe(source?.values?.length ?? 0)
        expect([a.datatype, a.required, a.order]).toEqual([source?.datatype, source?.required, source?.order])
      }
      const orders = definition.attributes.map((a) => a.order)
      expect(orders).toEqual([...orders].sort((x, y) => x - y))
    }
  )

  it("路灯 as an Open311 service and service definition", () => {
    const lamp = minorById(Standard, "BJ-0112")
    expect(CaseCategory.toOpen311Service(Standard, lamp)).toEqual({
      service_code: "BJ-0112",
      service_name: "路灯",
      description: "路灯",
      metadata: true,
      type: "realtime",
      keywords: "灯,照明",
      group: "部件/公用设施"
    })
    const definition = CaseCategory.toOpen311Definition(lamp)
    expect(definition.attributes.map((a) => [a.code, a.datatype, a.required, a.order, a.variable])).toEqual([
      ["lamp_fault", "singlevaluelist", true, 1, true],
      ["facility_number", "string", false, 2, true]
    ])
    expect(definition.attributes[0]?.values[0]).toEqual({ key: "off", name: "不亮" })
    expect(definition.attributes[1]?.values).toEqual([])
    expect(definition.attributes[1]?.datatype_description).toBeNull()
  })

  it("every minor of the default catalogues projects to a schema-valid service and definition", () => {
    const services = CaseCategory.toOpen311Services(WithCommunityGovernance)
    expect(services.length).toBe(CaseCategory.minors(WithCommunityGovernance).length)
    expect(new Set(services.map((s) => s.service_code)).size).toBe(services.length)
    for (const m of CaseCategory.minors(WithCommunityGovernance)) {
      expect(Schema.is(CaseCategory.Open311ServiceDefinition)(CaseCategory.toOpen311Definition(m))).toBe(true)
    }
    expect(services.find((s) => s.service_code === "SJ-0101")?.group).toBe("事件/市容环境")
  })
})
