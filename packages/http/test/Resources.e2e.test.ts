/**
 * 资源清单 over HTTP: the resources serving units within the principal's
 * jurisdiction; anything else is 404 like an unknown id; a person provider's
 * name is masked.
 */
import { ListRepository } from "@civicgrid/core/ListRepository"
import * as ResourceList from "@civicgrid/core/ResourceList"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { C1, C3, D, dialects, env, K1, login, principal, raw, S1, S2, seedDemo } from "./support/Harness.js"

const seedResources = Effect.flatMap(ListRepository, (lists) =>
  lists.putResources([
    ResourceList.make({
      id: "r-room",
      name: "党群服务中心活动室",
      kind: "venue",
      tags: ["场地"],
      scope: [C1],
      capacity: 3,
      provider: { kind: "co-building-unit", name: "金沙社区党委" }
    }),
    ResourceList.make({
      id: "r-repair",
      name: "家电维修",
      kind: "skill",
      tags: ["维修"],
      scope: [K1],
      capacity: 2,
      provider: { kind: "party-member", name: "张三丰", partyMemberClass: "core" }
    }),
    ResourceList.make({
      id: "r-nanhua",
      name: "南华志愿服务",
      kind: "service",
      tags: ["助老"],
      scope: [C3],
      capacity: 5,
      provider: { kind: "volunteer", name: "李四" }
    }),
    ResourceList.make({
      id: "r-district",
      name: "区级应急物资",
      kind: "funds",
      tags: ["应急"],
      scope: [D],
      capacity: 1,
      provider: { kind: "social-organization", name: "盘龙区红十字会" }
    })
  ])
).pipe(Effect.orDie)

for (const dialect of dialects) {
  const TestEnv = Layer.effectDiscard(Effect.zipRight(seedDemo, seedResources)).pipe(
    Layer.provideMerge(env(dialect))
  )
  layer(TestEnv, { excludeTestServices: true, timeout: "60 seconds" })(
    `resources on ${dialect.name}`,
    (it) => {
      it.effect("资源清单: a principal reads the resources of its jurisdiction; the rest is 404", () =>
        Effect.gen(function* () {
          const street = yield* login(principal("ss-res", "street-staff", S1))
          const other = yield* login(principal("ss-res-2", "street-staff", S2))
          const nanhua = yield* login(principal("cs-res", "community-staff", C3))
          const district = yield* login(principal("ds-res", "district-staff", D))
          const resident = yield* login(principal("res-res", "resident", C1))

          const ids = (rs: ReadonlyArray<{ readonly id: string }>) => rs.map((r) => r.id)
          expect(ids(yield* street.client.lists.resources({ urlParams: {} }))).toEqual(["r-repair", "r-room"])
          expect(ids(yield* other.client.lists.resources({ urlParams: {} }))).toEqual(["r-nanhua"])
          expect(ids(yield* district.client.lists.resources({ urlParams: {} }))).toEqual([
            "r-district",
            "r-nanhua",
            "r-repair",
            "r-room"
          ])
          expect(ids(yield* street.client.lists.resources({ urlParams: { within: K1 } }))).toEqual([
            "r-repair"
          ])
          // serving 金沙苑: scoped to it or above it (金沙), within the street
          expect(ids(yield* street.client.lists.resources({ urlParams: { serving: K1 } }))).toEqual([
            "r-repair",
            "r-room"
          ])

          expect((yield* street.client.lists.resource({ path: { resourceId: "r-room" } })).name).toBe(
            "党群服务中心活动室"
          )
          for (const [who, id] of [
            [street, "r-nanhua"],
            [street, "r-district"],
            [nanhua, "r-room"],
            [street, "r-none"]
          ] as const) {
            const hidden = yield* Effect.flip(who.client.lists.resource({ path: { resourceId: id } }))
            expect(hidden._tag).toBe("NotFound")
          }
          for (const params of [{ within: C3 }, { serving: C3 }]) {
            const hidden = yield* Effect.flip(street.client.lists.resources({ urlParams: params }))
            expect(hidden._tag).toBe("NotFound")
          }
          expect((yield* Effect.flip(resident.client.lists.resources({ urlParams: {} })))._tag).toBe(
            "NotFound"
          )
        })
      )

      it.effect("资源提供方: a person's name is masked, an organisation's kept; bad input is 400", () =>
        Effect.gen(function* () {
          const street = yield* login(principal("ss-res-mask", "street-staff", S1))
          const district = yield* login(principal("ds-res-mask", "district-staff", D))
          expect(
            (yield* street.client.lists.resource({ path: { resourceId: "r-repair" } })).provider
          ).toEqual({
            kind: "party-member",
            name: "张**",
            partyMemberClass: "core"
          })
          const all = yield* district.client.lists.resources({ urlParams: {} })
          expect(all.map((r) => r.provider.name)).toEqual(["盘龙区红十字会", "李*", "张**", "金沙社区党委"])
          const text = (yield* raw("GET", "/lists/resources", district.token)).text
          expect(text).not.toContain("张三丰")
          expect(text).not.toContain("李四")

          const bad = yield* raw("GET", "/lists/resources?within=a%00b", street.token)
          expect(bad.status).toBe(400)
          expect(JSON.parse(bad.text).field).toBe("within")
        })
      )
    }
  )
}
