import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import * as OtlpTracer from "@effect/opentelemetry/OtlpTracer"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { layerTestServer } from "../access-and-privacy/over-http.js"
import { rows } from "../access-and-privacy/principals.js"

// 链路追踪 — tracing needs no code in your app: the HTTP server opens a span per request
// (`http.server GET`), `@effect/sql` one per statement (`sql.execute`), the core and the stores their own
// (`CaseService.execute` …), all on Effect's tracer. Provide an OpenTelemetry tracer and they are
// exported, nested per request.

// To an OpenTelemetry collector (Jaeger, Tempo, SigNoz …) over OTLP/HTTP, without the OpenTelemetry SDK:
export const layerOtlp = OtlpTracer.layer({
  url: "http://127.0.0.1:4318/v1/traces",
  resource: { serviceName: "civicgrid-street-office" }
}).pipe(Layer.provide(FetchHttpClient.layer))

// Or through the OpenTelemetry SDK, with any of its span processors and exporters:
export const layerSdk = (exporter: SpanExporter) =>
  NodeSdk.layer(() => ({
    resource: { serviceName: "civicgrid-street-office" },
    spanProcessor: new SimpleSpanProcessor(exporter) // BatchSpanProcessor in production
  }))

// Provide it under the server (here the test server of access-and-privacy.md): every layer built over it,
// and every request served, is traced.
export const tracedRequest = (exporter: SpanExporter) =>
  Effect.gen(function* () {
    yield* Effect.flatMap(HierarchyRepository, (repo) => repo.save(LevelScheme.FiveLevel, rows))
    const http = yield* HttpClient.HttpClient
    const response = yield* http.get("/cases?limit=5", { headers: { authorization: "Bearer t-wang" } })
    return response.status // → 200; the exporter got `http.server GET`, the SQL statements nested under it
  }).pipe(Effect.scoped, Effect.provide(layerTestServer), Effect.provide(layerSdk(exporter)))
