import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import { layerTestServer } from "../access-and-privacy/over-http.js"
import { rows } from "../access-and-privacy/principals.js"

// A raw client, as any HTTP caller sees the server: status, Retry-After, and the JSON error body.
const send = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(HttpClient.execute(HttpClientRequest.bearerToken(request, "t-zhao")), (response) =>
    Effect.map(response.json, (body) => ({ status: response.status, body }))
  )
const report = (fields: Record<string, unknown>, headers: Record<string, string> = {}) =>
  send(
    HttpClientRequest.post("/cases").pipe(
      HttpClientRequest.setHeaders(headers),
      HttpClientRequest.bodyUnsafeJson({
        categoryId: "SJ-0113", // 垃圾满溢
        urgency: "normal",
        description: "垃圾桶满溢",
        location: { unitId: "jinsha-yuan-3" },
        ...fields
      })
    )
  )

export const errorBodies = Effect.gen(function* () {
  yield* Effect.flatMap(HierarchyRepository, (repo) => repo.save(LevelScheme.FiveLevel, rows))
  return {
    // every field is bounded: a description of at most 4,000 characters
    tooLong: yield* report({ description: "满".repeat(4001) }),
    // → 400 { _tag: "HttpApiDecodeError", field: "description", rule: "max-length",
    //         message: "请求无效 invalid request — description: 超过 4000 个字符 must be at most 4000 characters
    //                   (rule max-length)", issues: [{ field, rule, message }, …] } — every bad field
    control: yield* report({ description: "垃圾桶\u0000满溢" }),
    // → 400 { field: "description", rule: "no-control-characters", … }
    phone: yield* report({ contact: { name: "赵小明", phone: "call me" } }),
    // → 400 { field: "contact.phone", rule: "phone-format", … }
    date: yield* send(HttpClientRequest.get("/cases?reportedFrom=2025-02-30")),
    // → 400 { field: "reportedFrom", rule: "valid-date", … }: 30 February does not exist
    malformed: yield* send(
      HttpClientRequest.post("/cases").pipe(HttpClientRequest.bodyText("{ not json", "application/json"))
    ),
    // → 400 { _tag: "InvalidRequest", field: "body", rule: "malformed-json", … }
    tooLarge: yield* report({ description: "x".repeat(300 * 1024) }),
    // → 413 { _tag: "BodyTooLarge", field: "body", rule: "body-too-large", maxBytes: 262144, … }
    first: yield* report({}, { "idempotency-key": "app-7f3a" }),
    // → 201 { caseId: "…", replayed: false, … }
    again: yield* report({}, { "idempotency-key": "app-7f3a" }),
    // → 201 { caseId: the same, replayed: true }: a retried request makes no second case
    other: yield* report({ description: "另一件事" }, { "idempotency-key": "app-7f3a" })
    // → 422 { _tag: "Refused", rule: "idempotency-key-reused", … }: another report needs another key
  }
}).pipe(Effect.provide(layerTestServer))
