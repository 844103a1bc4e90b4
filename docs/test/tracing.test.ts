/**
 * docs/guides/postgresql.md "Tracing" — the spans of a request served by the
 * civicgrid API reach an OpenTelemetry exporter (`@effect/opentelemetry`):
 * the server's `http.server GET` span, and the SQL statements it ran nested
 * in the same trace.
 */

import { describe, expect, it } from "@effect/vitest"
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Tracing from "../guides/snippets/postgresql/tracing.js"

/** Keeps its spans when the tracer provider shuts down with the server (the SDK's one forgets them). */
class KeepingExporter extends InMemorySpanExporter {
  override shutdown(): Promise<void> {
    return Promise.resolve()
  }
}

describe("tracing", () => {
  it.effect(
    "a request's spans are exported: http.server GET, with the sql.execute spans of the statements it ran in its trace",
    () =>
      Effect.gen(function* () {
        const exporter = new KeepingExporter()
        const status = yield* Tracing.tracedRequest(exporter).pipe(Effect.orDie)
        expect(status).toBe(200)
        const spans = exporter.getFinishedSpans()
        const server = spans.find((s) => s.name === "http.server GET")
        expect(server).toBeDefined()
        const traceId = server?.spanContext().traceId
        const inTrace = spans.filter((s) => s.spanContext().traceId === traceId).map((s) => s.name)
        expect(inTrace).toContain("sql.execute")
        expect(server?.resource.attributes["service.name"]).toBe("civicgrid-street-office")
      })
  )

  it("the OTLP layer is a Layer to provide the same way (not run: it needs a collector)", () => {
    expect(Tracing.layerOtlp).toBeDefined()
  })
})
