/**
 * 接口文档 — the OpenAPI document derived from the `Api` contract documents
 * every query parameter of every endpoint (a parameter schema with an
 * `identifier` annotation once made `@effect/platform` drop them all).
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as OpenApi from "@effect/platform/OpenApi"
import { describe, expect, it } from "@effect/vitest"
import * as Option from "effect/Option"
import type * as SchemaAST from "effect/SchemaAST"
import { Api } from "../src/Api.js"

/** The property names of a struct-like AST (through refinements, transformations and annotations). */
const propertyNames = (ast: SchemaAST.AST): ReadonlyArray<string> => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast.propertySignatures.map((p) => String(p.name))
    case "Refinement":
      return propertyNames(ast.from)
    case "Transformation":
      return propertyNames(ast.from)
    default:
      return []
  }
}

const document = OpenApi.fromApi(Api)

const endpoints: Array<{
  readonly method: string
  readonly path: string
  readonly params: ReadonlyArray<string>
}> = []
HttpApi.reflect(Api, {
  onGroup: () => {},
  onEndpoint: ({ endpoint }) => {
    const params = Option.match(endpoint.urlParamsSchema, {
      onNone: () => [],
      onSome: (schema) => propertyNames(schema.ast)
    })
    endpoints.push({
      method: endpoint.method.toLowerCase(),
      path: endpoint.path.replace(/:(\w+)/g, "{$1}"),
      params
    })
  }
})

describe("OpenAPI document", () => {
  it("lists the query parameters of every endpoint of the contract", () => {
    const withParams = endpoints.filter((e) => e.params.length > 0)
    expect(withParams.map((e) => e.path)).toContain("/cases")
    expect(withParams.map((e) => e.path)).toContain("/metrics/indicators")
    for (const endpoint of withParams) {
      const operation = (
        document.paths[endpoint.path] as
          | Record<string, { parameters?: Array<{ name: string; in: string }> }>
          | undefined
      )?.[endpoint.method]
      const documented = (operation?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name)
      expect({ endpoint: `${endpoint.method} ${endpoint.path}`, params: [...documented].sort() }).toEqual({
        endpoint: `${endpoint.method} ${endpoint.path}`,
        params: [...endpoint.params].sort()
      })
    }
  })
})
