/**
 * 辖区可见性 over HTTP, with generated hierarchies, cases and principals: a
 * principal sees — by id and in every page of a list — exactly the cases of its
 * subtree, plus (department) those dispatched to its department, plus
 * (resident) its own reports; everything else is 404 (domain brief §6).
 */
import { DepartmentId } from "@civicgrid/core/Actor"
import { DepartmentRepository } from "@civicgrid/core/DepartmentRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import { dialects, env, login, principal, reportAt } from "./support/Harness.js"
import * as Trees from "./support/Trees.js"

const roles = [
  "grid-worker",
  "community-staff",
  "street-staff",
  "district-staff",
  "department",
  "admin"
] as const

let run = 0

for (const dialect of dialects) {
  layer(env(dialect), { excludeTestServices: true, timeout: "60 seconds" })(
    `scope on ${dialect.name}`,
    (it) => {
      it.effect.prop(
        "a principal sees exactly its subtree, plus (department) what is dispatched to it, plus (resident) its own reports — by id and in every list page; the rest are 404",
        [
          Trees.shape,
          // per case: where, who reports it (0 the admin, 1–2 a resident), whether it is dispatched (0 no, 1 dept-x, 2 dept-y)
          fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.nat({ max: 2 })), {
            minLength: 1,
            maxLength: 5
          }),
          fc.array(fc.tuple(fc.constantFrom(...roles), fc.nat(), fc.constantFrom("dept-x", "dept-y")), {
            minLength: 1,
            maxLength: 4
          }),
          fc.integer({ min: 1, max: 3 })
        ],
        ([shape, casePicks, principalPicks, pageSize]) =>
          Effect.gen(function* () {
            const prefix = `r${run++}-`
            const tree = Trees.build(prefix, shape)
            yield* Effect.flatMap(HierarchyRepository, (repo) =>
              repo.save(LevelScheme.FiveLevel, tree.rows)
            ).pipe(Effect.orDie)
            const root = tree.rows[0]
            if (root === undefined) return
            // the two departments serve the whole tree
            yield* Effect.flatMap(DepartmentRepository, (repo) =>
              repo.put(
                ["dept-x", "dept-y"].map((d) => ({
                  id: DepartmentId.make(d),
                  name: d,
                  nameEn: d,
                  jurisdiction: root.id
                }))
              )
            ).pipe(Effect.orDie)
            const admin = yield* login(principal(`${prefix}admin`, "admin", root.id))
            const residents = [1, 2].map((k) => principal(`${prefix}resident${k}`, "resident", root.id))
            const cases: Array<{
              readonly id: string
              readonly unit: string
              readonly reporter: string
              readonly department: string | undefined
            }> = []
            for (const [pick, reporterPick, dispatchPick] of casePicks) {
              const unit = tree.placeable[pick % tree.placeable.length]
              if (unit === undefined) continue
              const resident = residents[reporterPick - 1]
              const reporter = resident === undefined ? admin : yield* login(resident)
              // the admin reports at the district tier, so it may accept and dispatch the case itself
              const created = yield* reporter.client.cases.report({
                payload: reportAt(unit, resident === undefined ? { tier: "district" } : {}),
                headers: {}
              })
              const department =
                resident === undefined && dispatchPick > 0 ? `dept-${"xy"[dispatchPick - 1]}` : undefined
              if (department !== undefined) {
                const accepted = yield* admin.client.cases.accept({
                  path: { caseId: created.caseId },
                  payload: {}
                })
                yield* admin.client.cases.dispatch({
                  path: { caseId: created.caseId },
                  payload: {
                    target: { _tag: "Department", departmentId: DepartmentId.make(department) },
                    expectedVersion: accepted.version
                  }
                })
              }
              cases.push({ id: created.caseId, unit, reporter: reporter.principal.id, department })
            }
            const runIds = new Set(cases.map((c) => c.id))
            const leaf = tree.rows[tree.rows.length - 1] ?? root
            const who = [
              ...residents.map((r) => ({ principal: r })),
              // a department at a leaf unit: most dispatched cases lie outside its subtree
              ...["dept-x", "dept-y"].map((d) => ({
                principal: principal(`${prefix}${d}`, "department", leaf.id, d)
              })),
              ...principalPicks.flatMap(([role, pick, department], k) => {
                const unit = tree.rows[pick % tree.rows.length]
                return unit === undefined
                  ? []
                  : [
                      {
                        // a department is granted its unit's subtree on every other pick (issue 12 finding 9)
                        principal: principal(
                          `${prefix}p${k}`,
                          role,
                          unit.id,
                          role === "department" ? department : undefined,
                          role === "department" && k % 2 === 0 ? unit.id : undefined
                        )
                      }
                    ]
              })
            ]
            for (const { principal: p } of who) {
              const session = yield* login(p)
              const sees = (c: (typeof cases)[number]): boolean =>
                p.role === "resident"
                  ? c.reporter === p.id
                  : p.role === "department"
                    ? (p.grantedSubtree !== undefined && Trees.below(tree, c.unit, p.grantedSubtree)) ||
                      (c.department !== undefined && c.department === p.departmentId)
                    : Trees.below(tree, c.unit, p.unitId)
              const expected = new Set(cases.filter(sees).map((c) => c.id))
              for (const c of cases) {
                const got = yield* Effect.either(
                  session.client.cases.get({ path: { caseId: c.id }, urlParams: {} })
                )
                if (expected.has(c.id)) expect(got._tag).toBe("Right")
                else expect(got._tag === "Left" && got.left._tag).toBe("NotFound")
              }
              // every page, of a small size: each holds only visible cases and none is thinned away
              const listed: Array<string> = []
              let after: string | undefined
              for (;;) {
                const page = yield* session.client.cases.list({
                  urlParams: after === undefined ? { limit: pageSize } : { limit: pageSize, after }
                })
                listed.push(...page.items.map((i) => i.caseId))
                if (page.next === null) break
                expect(page.items.length).toBe(pageSize)
                after = page.next
              }
              for (const id of listed) expect(expected.has(id) || !runIds.has(id)).toBe(true)
              expect(new Set(listed.filter((id) => runIds.has(id)))).toEqual(expected)
              expect(new Set(listed).size).toBe(listed.length)
            }
          }),
        { fastCheck: { numRuns: 8 }, timeout: 60_000 }
      )
    }
  )
}
