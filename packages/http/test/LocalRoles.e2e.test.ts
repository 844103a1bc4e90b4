/**
 * 本地角色 over HTTP, on SQLite and PostgreSQL: a key issued for a local role
 * of the role table (信访代办员, by its Chinese name) is stored with it in the
 * SQL key store and authenticates to a principal with the rights of the role
 * it acts as (a grid worker) and its local role set; a case it reports records
 * the local role with the actor in the history, and `GET /me` names it. An
 * unknown role is refused naming the field and the rule; a stored key whose
 * local role the server's table does not hold does not verify (401).
 */
import * as RoleTable from "@civicgrid/core/RoleTable"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Authorization from "../src/Authorization.js"
import * as Principal from "../src/Principal.js"
import * as Server from "../src/Server.js"
import { B1, C1, clientFor, type Dialect, dialects, raw, reportAt, seedDemo } from "./support/Harness.js"

/** The API over a fresh database, bearer tokens checked against the SQL key store, with a role table. */
const envOf = (dialect: Dialect, roleTable?: RoleTable.RoleTable) => {
  const migrated = Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh())
  )
  const repositories = SqlRepositories.layer().pipe(Layer.provideMerge(migrated))
  const tables = roleTable === undefined ? Layer.empty : Server.layerRoleTable(roleTable)
  return Layer.effectDiscard(seedDemo).pipe(
    Layer.provideMerge(
      Server.layer(roleTable === undefined ? {} : { roleTable }).pipe(
        Layer.provide(Authorization.layerLookup(SqlApiKeys.bearerLookup).pipe(Layer.provide(tables))),
        Layer.provideMerge(repositories),
        Layer.provideMerge(NodeHttpServer.layerTest)
      )
    ),
    Layer.orDie
  )
}

/** Issues a key as `civicgrid keys issue` does: the principal checked first, then stored. */
const issueFor = (data: { readonly id: string; readonly role: string; readonly unitId: string }) =>
  Effect.gen(function* () {
    const principal = yield* Principal.validate(data)
    const issued = yield* SqlApiKeys.issue({
      id: principal.id,
      role: principal.role,
      unitId: principal.unitId,
      ...(principal.localRole === undefined ? {} : { localRole: principal.localRole })
    })
    return Redacted.value(issued.token)
  })

for (const dialect of dialects) {
  layer(envOf(dialect), { excludeTestServices: true, timeout: "60 seconds" })(
    `local roles on ${dialect.name}`,
    (it) => {
      it.effect(
        "a key for 信访代办员 acts as community staff; the history's actor carries the local role; /me names it",
        () =>
          Effect.gen(function* () {
            const token = yield* issueFor({ id: "pa-li", role: "信访代办员", unitId: C1 })
            const agent = yield* clientFor(token)
            const me = yield* agent.session.me()
            expect([me.role, me.localRole]).toEqual([
              "community-staff",
              { id: "petition-agent", zh: "信访代办员", en: "petition agent" }
            ])
            const reported = yield* agent.cases.report({
              payload: reportAt(B1, { source: "petition" }),
              headers: {}
            })
            const history = yield* agent.cases.events({ path: { caseId: reported.caseId } })
            expect(history[0]?.actor).toEqual({
              id: "pa-li",
              role: "community-staff",
              unitId: C1,
              localRole: "petition-agent"
            })
            // a built-in role's key records none
            const worker = yield* clientFor(yield* issueFor({ id: "gw-wang", role: "网格员", unitId: C1 }))
            expect((yield* worker.session.me()).localRole).toBeNull()
            const own = yield* worker.cases.report({ payload: reportAt(B1), headers: {} })
            const ownHistory = yield* worker.cases.events({ path: { caseId: own.caseId } })
            expect(ownHistory[0]?.actor && "localRole" in ownHistory[0].actor).toBe(false)
          }).pipe(Effect.orDie)
      )

      it.effect("an unknown role is refused naming the field and the rule; nothing is issued", () =>
        Effect.gen(function* () {
          const refused = yield* Effect.either(issueFor({ id: "x", role: "信访代表", unitId: C1 }))
          expect(Either.isLeft(refused)).toBe(true)
          if (Either.isLeft(refused)) {
            expect(refused.left._tag).toBe("PrincipalInvalid")
            expect(refused.left.message).toContain("role")
            expect(refused.left.message).toContain('未知角色 unknown role "信访代表"')
          }
          expect(
            (yield* SqlApiKeys.list).some((k) => k.principal._tag === "Some" && k.principal.value.id === "x")
          ).toBe(false)
        }).pipe(Effect.orDie)
      )
    }
  )

  layer(envOf(dialect, RoleTable.defaults), { excludeTestServices: true, timeout: "60 seconds" })(
    `local roles on ${dialect.name}, a server whose table lacks them`,
    (it) => {
      it.effect("a stored key for a local role the table does not hold does not verify (401)", () =>
        Effect.gen(function* () {
          const token = yield* issueFor({ id: "pa-zhou", role: "信访代办员", unitId: C1 })
          const me = yield* raw("GET", "/me", token)
          expect(me.status).toBe(401)
        }).pipe(Effect.orDie)
      )
    }
  )
}
