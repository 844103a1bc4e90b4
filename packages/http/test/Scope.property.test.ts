/**
 * 辖区可见性 over HTTP, with generated hierarchies and principals: a principal
 * never sees — by id or in a list — a case outside its subtree, and sees every
 * case inside it (domain brief §6).
 */
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
        "a principal sees exactly the cases within its subtree (GET by id and list), the rest are 404",
        [
          Trees.shape,
          fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
          fc.array(fc.tuple(fc.constantFrom(...roles), fc.nat()), { minLength: 1, maxLength: 4 })
        ],
        ([shape, casePicks, principalPicks]) =>
          Effect.gen(function* () {
            const prefix = `r${run++}-`
            const tree = Trees.build(prefix, shape)
            yield* Effect.flatMap(HierarchyRepository, (repo) =>
              repo.save(LevelScheme.FiveLevel, tree.rows)
            ).pipe(Effect.orDie)
            const root = tree.rows[0]
            if (root === undefined) return
            const reporter = yield* login(principal(`${prefix}admin`, "admin", root.id))
            const cases: Array<{ readonly id: string; readonly unit: string }> = []
            for (const pick of casePicks) {
              const unit = tree.placeable[pick % tree.placeable.length]
              if (unit === undefined) continue
              const created = yield* reporter.client.cases.report({ payload: reportAt(unit), headers: {} })
              cases.push({ id: created.caseId, unit })
            }
            const runIds = new Set(cases.map((c) => c.id))
            for (const [k, [role, pick]] of principalPicks.entries()) {
              const unit = tree.rows[pick % tree.rows.length]
              if (unit === undefined) continue
              const who = yield* login(
                principal(`${prefix}p${k}`, role, unit.id, role === "department" ? "dept-x" : undefined)
              )
              const expected = new Set(
                cases.filter((c) => Trees.below(tree, c.unit, unit.id)).map((c) => c.id)
              )
              for (const c of cases) {
                const got = yield* Effect.either(
                  who.client.cases.get({ path: { caseId: c.id }, urlParams: {} })
                )
                if (expected.has(c.id)) expect(got._tag).toBe("Right")
                else expect(got._tag === "Left" && got.left._tag).toBe("NotFound")
              }
              const page = yield* who.client.cases.list({ urlParams: { limit: 500 } })
              const listed = page.items.map((i) => i.caseId)
              for (const id of listed) expect(expected.has(id)).toBe(true)
              expect(new Set(listed.filter((id) => runIds.has(id)))).toEqual(expected)
            }
          }),
        { fastCheck: { numRuns: 6 } }
      )
    }
  )
}
