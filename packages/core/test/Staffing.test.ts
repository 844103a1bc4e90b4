import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Building } from "../src/Building.js"
import { type Grid, GridId, type GridKind } from "../src/Grid.js"
import * as Staffing from "../src/Staffing.js"
import { UnitId } from "../src/Unit.js"

// -----------------------------------------------------------------------------
// helpers
// -----------------------------------------------------------------------------

const trusted = { disableValidation: true }
const gid = (id: string): GridId => GridId.make(id, trusted)
const uid = (id: string): UnitId => UnitId.make(id, trusted)

const grid = (
  id: string,
  communityId: string,
  buildingIds: ReadonlyArray<string>,
  kind: GridKind = "basic"
): Grid => ({
  id: gid(id),
  name: `网格 ${id}`,
  kind,
  communityId: uid(communityId),
  buildingIds: buildingIds.map(uid)
})

const building = (id: string, communityId: string): Building => ({
  id: uid(id),
  name: `${id} 号楼`,
  communityId: uid(communityId),
  households: 24
})

const person = (id: string, partyMember = false): Staffing.Person =>
  Staffing.makePerson({ id, name: `人员${id}`, partyMember })

const location = (streetId: string, districtId: string): Staffing.GridLocation => ({
  streetId: uid(streetId),
  districtId: uid(districtId)
})

/** A violation as plain data plus its message, for equality checks. */
const plain = (vs: ReadonlyArray<Staffing.StaffingViolation>) => vs.map((v) => ({ ...v, message: v.message }))

const subjectOf = (v: Staffing.StaffingViolation): string => {
  switch (v._tag) {
    case "GridStaffingViolation":
      return `grid:${v.gridId}`
    case "PersonStaffingViolation":
      return `person:${v.personId}`
    case "AssignmentViolation":
      return `person:${v.assignment.personId}`
  }
}

const shuffle = <A>(xs: ReadonlyArray<A>, keys: ReadonlyArray<number>): Array<A> =>
  xs
    .map((x, i) => [keys[i % Math.max(1, keys.length)] ?? 0, i, x] as const)
    .sort((a, b) => a[0] - b[0] || b[1] - a[1])
    .map(([, , x]) => x)

// -----------------------------------------------------------------------------
// generators
// -----------------------------------------------------------------------------

/** Communities 0–5; streets s0 (c0, c1), s1 (c2, c3), s2 (c4, c5); districts d0 (s0, s1), d1 (s2). */
const streetOf = (community: number): string => `s${Math.floor(community / 2)}`
const districtOf = (community: number): string => (community < 4 ? "d0" : "d1")

interface World {
  readonly grids: ReadonlyArray<Grid>
  readonly buildings: ReadonlyArray<Building>
  readonly locations: ReadonlyMap<GridId, Staffing.GridLocation>
}

const arbWorld: fc.Arbitrary<World> = fc
  .array(
    fc.record({
      community: fc.integer({ min: 0, max: 5 }),
      basic: fc.boolean(),
      buildings: fc.integer({ min: 0, max: 3 })
    }),
    { minLength: 1, maxLength: 8 }
  )
  .map((rows) => {
    const grids = rows.map((row, i) =>
      grid(
        `g${i}`,
        `c${row.community}`,
        Array.from({ length: row.buildings }, (_, k) => `b${i}-${k}`),
        // the first grid is always basic, so every world has one
        i === 0 || row.basic ? "basic" : "dedicated"
      )
    )
    const buildings = grids.flatMap((g) => g.buildingIds.map((b) => building(b, g.communityId)))
    const locations = new Map(
      rows.map(
        (row, i) => [gid(`g${i}`), location(streetOf(row.community), districtOf(row.community))] as const
      )
    )
    return { grids, buildings, locations }
  })

interface Config {
  readonly maxGrids: number
  readonly chunk: number
  readonly min: number
  readonly extra: Option.Option<number>
  readonly n: number
}

const arbConfig: fc.Arbitrary<Config> = fc.record({
  maxGrids: fc.integer({ min: 1, max: 4 }),
  chunk: fc.integer({ min: 1, max: 4 }),
  min: fc.integer({ min: 0, max: 3 }),
  extra: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }).map(Option.fromNullable),
  n: fc.integer({ min: 0, max: 3 })
})

const policiesOf = (cfg: Config): Staffing.PolicySet => ({
  oneWorkerPerGrid: Staffing.OneWorkerPerGrid.make({}),
  oneProfessionalManyGrids: Staffing.OneProfessionalManyGrids.make({ maxGrids: cfg.maxGrids }),
  manyPartTimersPerGrid: Option.match(cfg.extra, {
    onNone: () => Staffing.ManyPartTimersPerGrid.make({ min: cfg.min }),
    onSome: (extra) => Staffing.ManyPartTimersPerGrid.make({ min: cfg.min, max: cfg.min + extra })
  }),
  template: Staffing.Template.make({ n: cfg.n })
})

const chunks = <A>(xs: ReadonlyArray<A>, size: number): Array<Array<A>> => {
  const out: Array<Array<A>> = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}

const groupBy = <A>(xs: ReadonlyArray<A>, key: (a: A) => string): Array<readonly [string, Array<A>]> => {
  const m = new Map<string, Array<A>>()
  for (const x of xs) {
    const k = key(x)
    const list = m.get(k)
    if (list === undefined) m.set(k, [x])
    else list.push(x)
  }
  return Array.from(m)
}

/** A staffing built to satisfy every policy of `policiesOf(cfg)`. */
const satisfying = (world: World, cfg: Config): Staffing.StaffingInput => {
  const people: Array<Staffing.Person> = []
  const assignments: Array<Staffing.Assignment> = []
  const basic = world.grids.filter((g) => g.kind === "basic")
  const size = Math.min(cfg.chunk, cfg.maxGrids)
  const loc = (g: Grid): Staffing.GridLocation => world.locations.get(g.id) ?? location("?", "?")

  // 专职网格员: one per basic grid; a worker covers up to `size` grids of one community
  for (const [community, gs] of groupBy(basic, (g) => g.communityId))
    chunks(gs, size).forEach((chunk, j) => {
      const id = `ft-${community}-${j}`
      people.push(person(id, j % 2 === 0))
      for (const g of chunk) assignments.push(Staffing.assign(id, "full-time-worker", { grid: g.id }))
    })
  // 区级巡查员 and 街道监督员: one per grid, each covering up to `size` grids of their unit
  const levels = [
    { role: "inspector" as const, unitOf: (g: Grid) => loc(g).districtId },
    { role: "supervisor" as const, unitOf: (g: Grid) => loc(g).streetId }
  ]
  for (const { role, unitOf } of levels)
    for (const [unit, gs] of groupBy(basic, unitOf))
      chunks(gs, size).forEach((chunk, j) => {
        const id = `${role}-${unit}-${j}`
        people.push(person(id))
        assignments.push(Staffing.assign(id, role, { unit }))
        for (const g of chunk) assignments.push(Staffing.assign(id, role, { grid: g.id }))
      })
  for (const g of basic) {
    // 兼职网格员: between min and max
    const partTimers = Option.match(cfg.extra, { onNone: () => cfg.min + 1, onSome: (e) => cfg.min + e })
    for (let j = 0; j < partTimers; j++) {
      const id = `pt-${g.id}-${j}`
      people.push(person(id))
      assignments.push(Staffing.assign(id, "part-time-worker", { grid: g.id }))
    }
    // n: volunteers and building leaders
    for (let j = 0; j < cfg.n; j++) {
      const id = `n-${g.id}-${j}`
      people.push(person(id, j % 3 !== 0))
      const b = g.buildingIds[j]
      assignments.push(
        b === undefined
          ? Staffing.assign(id, "volunteer", { grid: g.id })
          : Staffing.assign(id, "building-leader", { building: b })
      )
    }
  }
  return { grids: world.grids, buildings: world.buildings, people, assignments, locate: world.locations }
}

/** Arbitrary staffing with intact references: any role, any target, repeats allowed. */
const arbMessy = arbWorld.chain((world) => {
  const units = ["s0", "s1", "s2", "d0", "d1"]
  const buildingIds = world.buildings.map((b) => b.id)
  // biased towards grid targets and grid roles, so that limits and counts are often hit
  const target = fc.oneof(
    { arbitrary: fc.constantFrom(...world.grids.map((g) => ({ grid: g.id }))), weight: 6 },
    { arbitrary: fc.constantFrom(...units.map((u) => ({ unit: u }))), weight: 1 },
    ...(buildingIds.length === 0
      ? []
      : [{ arbitrary: fc.constantFrom(...buildingIds.map((b) => ({ building: b }))), weight: 2 }])
  )
  const role = fc.oneof(
    {
      arbitrary: fc.constantFrom<Staffing.Role>("full-time-worker", "inspector", "supervisor", "police"),
      weight: 3
    },
    { arbitrary: fc.constantFrom(...Staffing.roles), weight: 2 }
  )
  return fc
    .record({
      people: fc.array(
        fc.record({
          party: fc.boolean(),
          klass: fc.option(fc.constantFrom("core" as const, "elderly" as const), { nil: undefined })
        }),
        { minLength: 1, maxLength: 6 }
      ),
      raw: fc.array(fc.record({ who: fc.nat(), role, target }), { maxLength: 40, size: "medium" })
    })
    .map(({ people, raw }): Staffing.StaffingInput & { readonly world: World } => ({
      world,
      grids: world.grids,
      buildings: world.buildings,
      locate: world.locations,
      people: people.map((p, i) =>
        Staffing.makePerson(
          p.klass === undefined
            ? { id: `p${i}`, name: `人员${i}`, partyMember: p.party }
            : { id: `p${i}`, name: `人员${i}`, partyMember: p.party, partyMemberClass: p.klass }
        )
      ),
      assignments: raw.map((a) => Staffing.assign(`p${a.who % people.length}`, a.role, a.target))
    }))
})

// -----------------------------------------------------------------------------
// properties
// -----------------------------------------------------------------------------

describe("Staffing — properties", () => {
  it.prop(
    "a staffing built to satisfy 一格一员, 一员多格, 一格多员 and 1+1+1+n has no violation of any of them",
    [arbWorld, arbConfig],
    ([world, cfg]) => {
      const input = satisfying(world, cfg)
      const set = policiesOf(cfg)
      expect(plain(Staffing.check(set, input))).toEqual([])
      for (const key of Object.keys(set) as Array<keyof Staffing.PolicySet>)
        expect(Staffing.check({ [key]: set[key] }, input)).toEqual([])
      expect(Either.isRight(Staffing.validate(set, input))).toBe(true)
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.prop(
    "一格一员: removing or duplicating the full-time worker of a grid yields exactly that grid's one-worker violation",
    [arbWorld, arbConfig, fc.nat(), fc.boolean()],
    ([world, cfg, pick, remove]) => {
      const input = satisfying(world, cfg)
      const basic = world.grids.filter((g) => g.kind === "basic")
      const target = basic[pick % basic.length]
      if (target === undefined) return
      const isWorker = (a: Staffing.Assignment) =>
        a.role === "full-time-worker" && a.target._tag === "Grid" && a.target.gridId === target.id
      const changed: Staffing.StaffingInput = remove
        ? { ...input, assignments: input.assignments.filter((a) => !isWorker(a)) }
        : {
            ...input,
            people: [...input.people, person("second-worker")],
            assignments: [
              ...input.assignments,
              Staffing.assign("second-worker", "full-time-worker", { grid: target.id })
            ]
          }
      const only = Staffing.check({ oneWorkerPerGrid: Staffing.OneWorkerPerGrid.make({}) }, changed)
      expect(only).toHaveLength(1)
      const [v] = only
      expect(v?._tag).toBe("GridStaffingViolation")
      if (v?._tag !== "GridStaffingViolation") return
      expect(v.policy).toBe("one-worker-per-grid")
      expect(v.gridId).toBe(target.id)
      expect(v.rule).toBe(remove ? "missing" : "surplus")
      expect(v.personIds).toHaveLength(remove ? 0 : 2)
      // under the full set, only that grid's worker count is wrong: 一格一员 and 1+1+1+n's grid worker
      const all = Staffing.check(policiesOf(cfg), changed)
      expect(all.map((x) => [x.policy, subjectOf(x), x.rule])).toEqual([
        ["one-worker-per-grid", `grid:${target.id}`, remove ? "missing" : "surplus"],
        ["1+1+1+n", `grid:${target.id}`, remove ? "missing" : "surplus"]
      ])
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.prop(
    "every violation names an existing grid or person",
    [arbMessy],
    ([input]) => {
      const grids = new Set<string>(input.grids.map((g) => g.id))
      const people = new Set<string>(input.people.map((p) => p.id))
      for (const v of Staffing.check(Staffing.allPolicies, input)) {
        const subject = subjectOf(v)
        const [kind, id] = [subject.slice(0, subject.indexOf(":")), subject.slice(subject.indexOf(":") + 1)]
        expect(kind === "grid" ? grids.has(id) : people.has(id)).toBe(true)
        if (v._tag === "PersonStaffingViolation") for (const g of v.gridIds) expect(grids.has(g)).toBe(true)
        if (v._tag === "GridStaffingViolation") for (const p of v.personIds) expect(people.has(p)).toBe(true)
        expect(v.message.length).toBeGreaterThan(0)
      }
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.prop(
    "the check is deterministic: shuffled grids, people and assignments give the same violations",
    [arbMessy, fc.array(fc.nat(), { minLength: 1, maxLength: 50 })],
    ([input, keys]) => {
      const shuffled: Staffing.StaffingInput = {
        ...input,
        grids: shuffle(input.grids, keys),
        people: shuffle(input.people, keys.slice(1)),
        assignments: shuffle(input.assignments, [...keys].reverse())
      }
      expect(plain(Staffing.check(Staffing.allPolicies, shuffled))).toEqual(
        plain(Staffing.check(Staffing.allPolicies, input))
      )
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.prop(
    "一员多格: over-limit violations occur exactly for the people covering more grids than the limit",
    [arbMessy, fc.integer({ min: 1, max: 4 })],
    ([input, maxGrids]) => {
      const cfg = Staffing.OneProfessionalManyGrids.make({ maxGrids })
      // model: distinct grids per person over grid assignments in the professional roles
      const covered = new Map<string, Set<string>>()
      for (const a of input.assignments)
        if (cfg.roles.includes(a.role) && a.target._tag === "Grid") {
          const set = covered.get(a.personId) ?? new Set()
          set.add(a.target.gridId)
          covered.set(a.personId, set)
        }
      const expected = Array.from(covered)
        .filter(([, gs]) => gs.size > maxGrids)
        .map(([p]) => p)
        .sort()
      const overLimit = Staffing.check({ oneProfessionalManyGrids: cfg }, input).flatMap((v) =>
        v._tag === "PersonStaffingViolation" && v.rule === "over-limit" ? [v] : []
      )
      expect(overLimit.map((v) => v.personId)).toEqual(expected)
      for (const v of overLimit) {
        expect(v.gridIds.length).toBeGreaterThan(maxGrids)
        expect(v.limit).toBe(maxGrids)
      }
    },
    { fastCheck: { numRuns: 100 } }
  )

  it.prop(
    "楼栋长: the party-member share is partyMembers / leaders over distinct leaders, and none for zero leaders",
    [
      fc.integer({ min: 0, max: 10 }),
      fc.array(fc.boolean(), { maxLength: 10 }),
      fc.array(fc.record({ who: fc.nat(), where: fc.nat(), leader: fc.boolean() }), { maxLength: 30 })
    ],
    ([buildingCount, party, raw]) => {
      const buildings = Array.from({ length: buildingCount }, (_, i) => building(`b${i}`, "c0"))
      const people = party.map((p, i) => person(`p${i}`, p))
      // some assignments point at unknown people or buildings, some are volunteers
      const assignments = raw.map((a) =>
        Staffing.assign(`p${a.who % 12}`, a.leader ? "building-leader" : "volunteer", {
          building: `b${a.where % 12}`
        })
      )
      const report = Staffing.buildingLeaderReport(buildings, people, assignments)
      const leaders = new Set(
        assignments
          .filter(
            (a) =>
              a.role === "building-leader" &&
              a.target._tag === "Building" &&
              Number(a.target.buildingId.slice(1)) < buildingCount &&
              Number(a.personId.slice(1)) < people.length
          )
          .map((a) => a.personId)
      )
      const partyMembers = Array.from(leaders).filter((p) => party[Number(p.slice(1))] === true).length
      expect(report.leaders).toBe(leaders.size)
      expect(report.partyMembers).toBe(partyMembers)
      expect(report.partyShare.numerator).toBe(partyMembers)
      expect(report.partyShare.denominator).toBe(leaders.size)
      expect(report.partyShare.rate).toEqual(
        leaders.size === 0 ? Option.none() : Option.some(partyMembers / leaders.size)
      )
    }
  )
})

// -----------------------------------------------------------------------------
// examples: seeds
// -----------------------------------------------------------------------------

describe("Staffing — seed 001: the 1+1+1+n unit-grid force", () => {
  // A small street 拓东街道 (s1) of district 盘龙区 (d1): two communities, three grids.
  const grids = [grid("g1", "c1", ["b1", "b2"]), grid("g2", "c1", ["b3"]), grid("g3", "c2", ["b4"])]
  const locate = new Map(grids.map((g) => [g.id, location("s1", "d1")] as const))
  const people = [
    person("inspector"),
    person("supervisor"),
    person("w1", true),
    person("w2"),
    person("w3", true),
    person("v1"),
    person("bl2", true),
    person("bl4", true)
  ]
  const assignments = [
    // 区级巡查员 of d1 and 街道监督员 of s1, each covering the street's three grids (一员多格)
    Staffing.assign("inspector", "inspector", { unit: "d1" }),
    Staffing.assign("supervisor", "supervisor", { unit: "s1" }),
    ...grids.flatMap((g) => [
      Staffing.assign("inspector", "inspector", { grid: g.id }),
      Staffing.assign("supervisor", "supervisor", { grid: g.id })
    ]),
    // 社区网格员: one per grid (一格一员)
    Staffing.assign("w1", "full-time-worker", { grid: "g1" }),
    Staffing.assign("w2", "full-time-worker", { grid: "g2" }),
    Staffing.assign("w3", "full-time-worker", { grid: "g3" }),
    // n: a volunteer and building leaders
    Staffing.assign("v1", "volunteer", { grid: "g1" }),
    Staffing.assign("bl2", "building-leader", { building: "b3" }),
    Staffing.assign("bl4", "building-leader", { building: "b4" })
  ]
  const template: Staffing.PolicySet = { template: Staffing.Template.make({}) }
  const input: Staffing.StaffingInput = { grids, people, assignments, locate }

  it("1+1+1+n: each grid has one district inspector, one street supervisor, one grid worker and n ≥ 1", () => {
    expect(Staffing.check(template, input)).toEqual([])
  })

  it("seed 001's principle: 专职一格一员, 专业一员多格, 兼职一格多员 (its part-time force being the n)", () => {
    const seed001: Staffing.PolicySet = {
      oneWorkerPerGrid: Staffing.OneWorkerPerGrid.make({}),
      oneProfessionalManyGrids: Staffing.OneProfessionalManyGrids.make({}),
      manyPartTimersPerGrid: Staffing.ManyPartTimersPerGrid.make({ roles: ["volunteer", "building-leader"] }),
      template: Staffing.Template.make({})
    }
    expect(Staffing.check(seed001, input)).toEqual([])
    // with the default 一格多员 (兼职网格员), this street has none
    expect(Staffing.check(Staffing.allPolicies, input).map((v) => [v.policy, subjectOf(v), v.rule])).toEqual([
      ["many-part-timers-per-grid", "grid:g1", "too-few"],
      ["many-part-timers-per-grid", "grid:g2", "too-few"],
      ["many-part-timers-per-grid", "grid:g3", "too-few"]
    ])
  })

  it("1+1+1+n: a supervisor from another street is out of jurisdiction", () => {
    const other = { ...input, locate: new Map([...locate, [gid("g3"), location("s9", "d1")] as const]) }
    const vs = Staffing.check(template, other)
    expect(vs).toHaveLength(1)
    const [v] = vs
    expect(v?._tag === "GridStaffingViolation" && [v.rule, v.gridId, v.personIds, v.unitId]).toEqual([
      "out-of-jurisdiction",
      "g3",
      ["supervisor"],
      "s9"
    ])
    expect(v?.message).toContain("1+1+1+n")
    expect(v?.message).toContain("街道 s9")
  })

  it("1+1+1+n: n is configurable; with n = 2 the grids with one volunteer or building leader fall short", () => {
    const vs = Staffing.check({ template: Staffing.Template.make({ n: 2 }) }, input)
    expect(vs.map((v) => [subjectOf(v), v.rule])).toEqual([
      ["grid:g1", "too-few"],
      ["grid:g2", "too-few"],
      ["grid:g3", "too-few"]
    ])
    expect(vs[0]?.message).toBe(
      "1+1+1+n: 网格 g1 仅有 1 名志愿者/楼栋长 (v1)，至少 2 名 — grid g1 has only 1 volunteer/building leader (v1); at least 2 required"
    )
  })

  it("1+1+1+n: a grid whose street and district are unknown is reported, and a missing inspector is named", () => {
    const vs = Staffing.check(template, {
      ...input,
      locate: (g: GridId) => (g === "g2" ? Option.none() : Option.fromNullable(locate.get(g))),
      assignments: assignments.filter(
        (a) => !(a.role === "inspector" && a.target._tag === "Grid" && a.target.gridId === "g1")
      )
    })
    expect(vs.map((v) => [subjectOf(v), v.rule, v._tag === "GridStaffingViolation" ? v.roles : []])).toEqual([
      ["grid:g1", "missing", ["inspector"]],
      ["grid:g2", "unlocated", ["inspector", "supervisor"]]
    ])
    expect(vs[0]?.message).toBe(
      "1+1+1+n: 网格 g1 缺巡查员，应为 1 名 — grid g1 has no inspector; exactly 1 required"
    )
  })

  it("网格力量统计: headcount per role, a building leader counting for the grid of their building", () => {
    const summary = Staffing.gridSummary(grids, assignments)
    expect(summary.map((s) => s.gridId)).toEqual(["g1", "g2", "g3"])
    expect(summary[1]?.byRole).toEqual({
      "grid-leader": 0,
      "full-time-worker": 1,
      "part-time-worker": 0,
      instructor: 0,
      inspector: 1,
      supervisor: 1,
      police: 0,
      "building-leader": 1,
      volunteer: 0
    })
    expect(summary.map((s) => s.total)).toEqual([4, 4, 4])
  })
})

describe("Staffing — seed 000: 441 building leaders, party members over 80%", () => {
  // "选配441名楼道长，其中党员占比80%以上" (党员优先、全面覆盖). The seed gives no exact count of
  // party members; 353 is the least whole number above 80% of 441 (0.8 × 441 = 352.8).
  const buildings = Array.from({ length: 441 }, (_, i) => building(`b${i}`, "c"))
  const people = buildings.map((_, i) => person(`l${i}`, i < 353))
  const assignments = buildings.map((b, i) => Staffing.assign(`l${i}`, "building-leader", { building: b.id }))

  it("楼栋长: 441 leaders, party-member share above 80%, every building covered", () => {
    const report = Staffing.buildingLeaderReport(buildings, people, assignments)
    expect(report.leaders).toBe(441)
    expect(report.partyMembers).toBe(353)
    expect(report.partyShare.numerator).toBe(353)
    expect(report.partyShare.denominator).toBe(441)
    const rate = Option.getOrElse(report.partyShare.rate, () => 0)
    expect(rate).toBeGreaterThan(0.8)
    expect((rate * 100).toFixed(1)).toBe("80.0")
    expect(report.withoutLeader).toEqual([])
    expect(report.withSeveralLeaders).toEqual([])
  })

  it("楼栋长: 352 party members would not be above 80%", () => {
    const fewer = buildings.map((_, i) => person(`l${i}`, i < 352))
    const rate = Staffing.buildingLeaderReport(buildings, fewer, assignments).partyShare.rate
    expect(Option.getOrElse(rate, () => 1)).toBeLessThan(0.8)
  })

  it("楼栋长: no leaders gives no rate (none, never 0% or 100%); uncovered and doubly led buildings are listed", () => {
    const empty = Staffing.buildingLeaderReport(buildings.slice(0, 2), people, [])
    expect(empty.partyShare).toEqual({ numerator: 0, denominator: 0, rate: Option.none() })
    expect(empty.withoutLeader).toEqual(["b0", "b1"])
    const doubled = Staffing.buildingLeaderReport(buildings.slice(0, 3), people, [
      Staffing.assign("l2", "building-leader", { building: "b1" }),
      Staffing.assign("l1", "building-leader", { building: "b1" }),
      Staffing.assign("l1", "building-leader", { building: "b2" })
    ])
    expect(doubled.leaders).toBe(2)
    expect(doubled.withoutLeader).toEqual(["b0"])
    expect(doubled.withSeveralLeaders).toEqual([{ buildingId: "b1", personIds: ["l1", "l2"] }])
  })
})

// -----------------------------------------------------------------------------
// examples: rules
// -----------------------------------------------------------------------------

describe("Staffing — rules", () => {
  const grids = [
    grid("g1", "c1", ["b1"]),
    grid("g2", "c1", []),
    grid("g3", "c2", []),
    grid("school", "c1", [], "dedicated")
  ]
  const one: Staffing.PolicySet = { oneWorkerPerGrid: Staffing.OneWorkerPerGrid.make({}) }

  it("一格一员: a basic grid with two full-time workers is a violation; a dedicated grid is not checked", () => {
    const vs = Staffing.check(one, {
      grids,
      people: [person("a"), person("b"), person("c"), person("d")],
      assignments: [
        Staffing.assign("a", "full-time-worker", { grid: "g1" }),
        Staffing.assign("b", "full-time-worker", { grid: "g1" }),
        Staffing.assign("c", "full-time-worker", { grid: "g2" }),
        Staffing.assign("d", "full-time-worker", { grid: "g3" })
      ]
    })
    expect(vs.map((v) => [subjectOf(v), v.rule])).toEqual([["grid:g1", "surplus"]])
    expect(vs[0]?.message).toBe(
      "一格一员 (one full-time worker per grid): 网格 g1 有 2 名专职网格员 (a, b)，应为 1 名 — grid g1 has 2 full-time grid worker (a, b); exactly 1 required"
    )
  })

  it("一员多格: a professional over the limit of 3 grids (default, local practice) is named with the grids", () => {
    const many = [...grids, grid("g4", "c2", [])]
    const vs = Staffing.check(
      { oneProfessionalManyGrids: Staffing.OneProfessionalManyGrids.make({}) },
      {
        grids: many,
        people: [person("cop")],
        assignments: ["g1", "g2", "g3", "g4"].map((g) => Staffing.assign("cop", "police", { grid: g }))
      }
    )
    expect(vs).toHaveLength(1)
    const [v] = vs
    expect(
      v?._tag === "PersonStaffingViolation" && [v.rule, v.personId, v.gridIds, v.limit, v.roles]
    ).toEqual(["over-limit", "cop", ["g1", "g2", "g3", "g4"], 3, ["police"]])
  })

  it("一员多格: a full-time worker spread over grids of two communities is reported unless allowed", () => {
    const input: Staffing.StaffingInput = {
      grids,
      people: [person("w")],
      assignments: [
        Staffing.assign("w", "full-time-worker", { grid: "g1" }),
        Staffing.assign("w", "full-time-worker", { grid: "g3" })
      ]
    }
    const vs = Staffing.check({ oneProfessionalManyGrids: Staffing.OneProfessionalManyGrids.make({}) }, input)
    expect(vs).toHaveLength(1)
    const [v] = vs
    expect(v?._tag === "PersonStaffingViolation" && [v.rule, v.gridIds, v.communityIds]).toEqual([
      "cross-community",
      ["g1", "g3"],
      ["c1", "c2"]
    ])
    expect(
      Staffing.check(
        { oneProfessionalManyGrids: Staffing.OneProfessionalManyGrids.make({ allowCrossCommunity: true }) },
        input
      )
    ).toEqual([])
  })

  it("一格多员: too few part-timers below the minimum, too many above the optional maximum", () => {
    const input: Staffing.StaffingInput = {
      grids,
      people: ["a", "b", "c"].map((id) => person(id)),
      assignments: [
        Staffing.assign("a", "part-time-worker", { grid: "g1" }),
        Staffing.assign("b", "part-time-worker", { grid: "g1" }),
        Staffing.assign("c", "part-time-worker", { grid: "g1" }),
        Staffing.assign("a", "part-time-worker", { grid: "g2" })
      ]
    }
    const vs = Staffing.check(
      { manyPartTimersPerGrid: Staffing.ManyPartTimersPerGrid.make({ min: 1, max: 2 }) },
      input
    )
    expect(vs.map((v) => [subjectOf(v), v.rule])).toEqual([
      ["grid:g1", "too-many"],
      ["grid:g3", "too-few"]
    ])
    expect(vs[1]?.message).toBe(
      "一格多员 (several part-timers per grid): 网格 g3 缺兼职网格员，应为 1–2 名 — grid g3 has no part-time grid worker; 1–2 required"
    )
  })

  it("integrity: unknown person, grid and building, duplicates and wrong targets are all reported", () => {
    const vs = Staffing.checkIntegrity({
      grids: [...grids, grid("g1", "c9", [])],
      people: [
        person("a"),
        person("a"),
        Staffing.makePerson({ id: "b", name: "乙", partyMember: false, partyMemberClass: "core" })
      ],
      assignments: [
        Staffing.assign("ghost", "volunteer", { grid: "g1" }),
        Staffing.assign("a", "full-time-worker", { grid: "nowhere" }),
        Staffing.assign("a", "building-leader", { building: "b404" }),
        Staffing.assign("a", "full-time-worker", { grid: "g2" }),
        Staffing.assign("a", "full-time-worker", { grid: "g2" }),
        Staffing.assign("a", "building-leader", { grid: "g2" })
      ]
    })
    expect(vs.map((v) => [v._tag, subjectOf(v), v.rule])).toEqual([
      ["GridStaffingViolation", "grid:g1", "duplicate-grid"],
      ["PersonStaffingViolation", "person:a", "duplicate-person"],
      ["PersonStaffingViolation", "person:b", "class-without-membership"],
      ["AssignmentViolation", "person:ghost", "unknown-person"],
      ["AssignmentViolation", "person:a", "unknown-grid"],
      ["AssignmentViolation", "person:a", "unknown-building"],
      ["AssignmentViolation", "person:a", "duplicate-assignment"],
      ["AssignmentViolation", "person:a", "role-target"]
    ])
    expect(vs.every((v) => v.policy === "integrity")).toBe(true)
    expect(vs.at(-1)?.message).toBe(
      "任职数据完整性 (assignment integrity): 楼栋长不能任职于网格 g2 — a building leader cannot be assigned to a grid (allowed: Building)"
    )
  })

  it("integrity: a repeated assignment counts once for the policies", () => {
    const vs = Staffing.check(one, {
      grids: [grid("g1", "c1", [])],
      people: [person("a")],
      assignments: [
        Staffing.assign("a", "full-time-worker", { grid: "g1" }),
        Staffing.assign("a", "full-time-worker", { grid: "g1" })
      ]
    })
    expect(vs.map((v) => [v.policy, v.rule])).toEqual([["integrity", "duplicate-assignment"]])
  })

  it("validate: Left with every violation, Right with the input", () => {
    const input: Staffing.StaffingInput = { grids: [grid("g1", "c1", [])], people: [], assignments: [] }
    const left = Staffing.validate(one, input)
    expect(Either.isLeft(left) && left.left.violations.map((v) => v.rule)).toEqual(["missing"])
    expect(Staffing.validate({}, input)).toEqual(Either.right(input))
  })

  it("policy sets decode from configuration, filling the defaults", () => {
    const set = Schema.decodeUnknownSync(Staffing.PolicySet)({
      oneProfessionalManyGrids: { maxGrids: 5 },
      template: {}
    })
    expect(set.oneWorkerPerGrid).toBeUndefined()
    expect(set.oneProfessionalManyGrids?.maxGrids).toBe(5)
    expect(set.oneProfessionalManyGrids?.allowCrossCommunity).toBe(false)
    expect(set.template).toEqual({
      n: 1,
      gridWorkerRoles: ["full-time-worker"],
      nRoles: ["volunteer", "building-leader"],
      gridKinds: ["basic"]
    })
    expect(Staffing.roleNames["building-leader"].zh).toBe("楼栋长")
  })
})
