/**
 * 接口参考 — the HTTP API reference: the OpenAPI document of
 * `@civicgrid/http/Api` (`OpenApi.fromApi(Api)`, written with sorted keys as
 * `http/openapi.json`) and a page listing every endpoint with its method,
 * path, summary, parameters, request body, responses and error statuses,
 * plus the module index of `@civicgrid/http`.
 *
 * @since 0.1.0
 */
import { Api } from "@civicgrid/http/Api"
import * as OpenApi from "@effect/platform/OpenApi"
import { code, document, notice, stableJson, table } from "../internal/markdown.js"
import { indexTable } from "./DomainReference.js"
import * as Files from "./Files.js"
import type { ModuleDoc } from "./SourceDoc.js"

/**
 * The OpenAPI document path.
 *
 * @since 0.1.0
 * @category constants
 */
export const openApiPath = "http/openapi.json"

/**
 * The endpoint reference page path.
 *
 * @since 0.1.0
 * @category constants
 */
export const page = "http/README.md"

/**
 * The OpenAPI document of the civicgrid HTTP API.
 *
 * @since 0.1.0
 * @category constructors
 */
export const spec = (): OpenApi.OpenAPISpec => OpenApi.fromApi(Api)

const methods: ReadonlyArray<OpenApi.OpenAPISpecMethodName> = [
  "get",
  "post",
  "put",
  "patch",
  "delete",
  "head",
  "options",
  "trace"
]

/**
 * 端点 — one operation of the document.
 *
 * @since 0.1.0
 * @category models
 */
export interface Endpoint {
  readonly method: OpenApi.OpenAPISpecMethodName
  readonly path: string
  readonly operation: OpenApi.OpenAPISpecOperation
}

/**
 * Every operation of a document, in document order (paths, then methods).
 *
 * @since 0.1.0
 * @category getters
 */
export const endpoints = (document: OpenApi.OpenAPISpec): ReadonlyArray<Endpoint> =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    methods.flatMap((method): ReadonlyArray<Endpoint> => {
      const operation = item[method]
      return operation === undefined ? [] : [{ method, path, operation }]
    })
  )

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * A short name for a JSON schema: the referenced component, `A | B` for a
 * union, `Array<A>`, an inline object's title or its fields, or its type.
 *
 * @since 0.1.0
 * @category utils
 */
export const schemaName = (schema: unknown): string => {
  if (!isRecord(schema)) return "any"
  const ref = schema.$ref
  if (typeof ref === "string") return ref.replace(/^#\/components\/schemas\//, "")
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const members = schema[key]
    if (Array.isArray(members)) return members.map(schemaName).join(key === "allOf" ? " & " : " | ")
  }
  if (schema.type === "array") return `Array<${schemaName(schema.items)}>`
  if (typeof schema.title === "string" && schema.type === "object") return `object (${schema.title})`
  if (schema.type === "object" && isRecord(schema.properties)) {
    const required = Array.isArray(schema.required) ? schema.required : []
    const fields = Object.keys(schema.properties).map((k) => (required.includes(k) ? k : `${k}?`))
    return `{ ${fields.join(", ")} }`
  }
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ")
  if (typeof schema.type === "string") return schema.type
  return "any"
}

const contentOf = (
  content: OpenApi.OpenApiSpecContent | undefined
): ReadonlyArray<readonly [string, OpenApi.OpenApiSpecMediaType]> =>
  content === undefined
    ? []
    : Object.entries(content).flatMap(([type, media]) =>
        media === undefined ? [] : [[type, media] as const]
      )

const bodyText = (operation: OpenApi.OpenAPISpecOperation): string =>
  contentOf(operation.requestBody?.content)
    .map(([type, media]) => `${code(schemaName(media.schema))} (${type})`)
    .join(", ")

const responseRows = (operation: OpenApi.OpenAPISpecOperation): ReadonlyArray<ReadonlyArray<string>> =>
  Object.entries(operation.responses).map(([status, response]) => [
    status,
    response.description,
    contentOf(response.content)
      .map(([, media]) => code(schemaName(media.schema)))
      .join(", ") || "—"
  ])

/**
 * The statuses of an operation's error responses (4xx, 5xx).
 *
 * @since 0.1.0
 * @category getters
 */
export const errorStatuses = (operation: OpenApi.OpenAPISpecOperation): ReadonlyArray<string> =>
  Object.keys(operation.responses).filter((s) => Number(s) >= 400)

const endpointTitle = (e: Endpoint): string => `${e.method.toUpperCase()} ${e.path}`

const renderEndpoint = (e: Endpoint): string => {
  const op = e.operation
  const parts: Array<string> = [
    `### ${endpointTitle(e)}`,
    op.summary ?? "",
    op.description ?? "",
    `operation ${code(op.operationId)}${
      op.security.length > 0
        ? ` · security ${op.security
            .flatMap((s) => Object.keys(s))
            .map(code)
            .join(", ")}`
        : ""
    }`
  ]
  if (op.parameters.length > 0) {
    parts.push(
      table(
        ["parameter", "in", "required", "schema", "description"],
        op.parameters.map((p) => [
          code(p.name),
          p.in,
          p.required ? "yes" : "no",
          code(schemaName(p.schema)),
          p.description ?? ""
        ])
      )
    )
  }
  const body = bodyText(op)
  if (body.length > 0) parts.push(`Request body: ${body}`)
  parts.push(table(["status", "description", "schema"], responseRows(op)))
  return parts.filter((p) => p.length > 0).join("\n\n")
}

/**
 * The endpoint reference page.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderPage = (document_: OpenApi.OpenAPISpec, modules: ReadonlyArray<ModuleDoc>): string => {
  const all = endpoints(document_)
  const tags = document_.tags.map((t) => t.name)
  const untagged = all.filter((e) => !e.operation.tags.some((t) => tags.includes(t)))
  const httpModules = modules.filter((m) => m.packageName === "@civicgrid/http")
  const schemas = Object.entries(document_.components.schemas)
  return document([
    `# HTTP API reference 接口参考`,
    notice,
    `${document_.info.title} ${document_.info.version}. ${document_.info.description ?? ""}`,
    `The OpenAPI ${document_.openapi} document is [openapi.json](openapi.json) (\`OpenApi.fromApi(Api)\` of ` +
      "`@civicgrid/http/Api`, keys sorted); a running server also serves it at `/openapi.json` and Swagger UI " +
      "at `/docs`. The Open311 GeoReport v2 endpoints are a separate router: see [open311-status.md](open311-status.md).",
    "## Endpoints",
    table(
      ["method", "path", "operation", "summary", "errors"],
      all.map((e) => [
        e.method.toUpperCase(),
        code(e.path),
        code(e.operation.operationId),
        e.operation.summary ?? "",
        errorStatuses(e.operation).join(", ")
      ])
    ),
    ...document_.tags.map((tag) =>
      [
        `## ${tag.name}`,
        tag.description ?? "",
        ...all.filter((e) => e.operation.tags.includes(tag.name)).map(renderEndpoint)
      ]
        .filter((s) => s.length > 0)
        .join("\n\n")
    ),
    untagged.length === 0 ? "" : ["## Other endpoints", ...untagged.map(renderEndpoint)].join("\n\n"),
    "## Security schemes",
    table(
      ["name", "type", "scheme"],
      Object.entries(document_.components.securitySchemes).map(([name, s]) => [
        code(name),
        s.type,
        s.type === "http" ? s.scheme : `${s.name} in ${s.in}`
      ])
    ),
    "## Schemas",
    `${schemas.length} component schemas of the document.`,
    table(
      ["schema", "title", "description"],
      schemas.map(([name, s]) => [
        code(name),
        isRecord(s) && typeof s.title === "string" ? s.title : "",
        isRecord(s) && typeof s.description === "string" ? s.description : ""
      ])
    ),
    "## Modules of `@civicgrid/http`",
    httpModules.length === 0 ? "" : indexTable(httpModules, page)
  ])
}

/**
 * `http/openapi.json` and `http/README.md`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (
  modules: ReadonlyArray<ModuleDoc>,
  document_: OpenApi.OpenAPISpec = spec()
): Files.Files =>
  Files.make([
    [openApiPath, stableJson(document_)],
    [page, renderPage(document_, modules)]
  ])
