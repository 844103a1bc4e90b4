/**
 * The typed client of the civicgrid HTTP API, derived from its contract (`HttpApiClient.make(Api)`) over
 * the browser's fetch. Every call answers an `Outcome`: the value, or an error a person can read.
 */
import { Api, type ApiClient } from "@civicgrid/http/Api"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"

export type { ApiClient }

/** An error as the screens show it: its tag, the rule broken (when named), the message and every violation. */
export interface UiError {
  readonly tag: string
  readonly rule: string | undefined
  readonly message: string
  readonly violations: ReadonlyArray<{ readonly rule: string; readonly message: string }>
  /** For a refused command: the command (`Accept` …) and the case's status then. */
  readonly command: string | undefined
  readonly status: string | undefined
  /** For a `NotFound`: the id it names. */
  readonly id: string | undefined
}

export type Outcome<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly error: UiError }

const clients = new Map<string, Promise<ApiClient>>()

/** The client for a bearer token (one per token); `null`: without a token, for the public endpoints (公示牌). */
export const clientFor = (token: string | null): Promise<ApiClient> => {
  const key = token ?? ""
  let found = clients.get(key)
  if (found === undefined) {
    found = Effect.runPromise(
      HttpApiClient.make(Api, {
        baseUrl: window.location.origin,
        ...(token === null
          ? {}
          : { transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(token)) })
      }).pipe(Effect.provide(FetchHttpClient.layer))
    ) as Promise<ApiClient>
    clients.set(key, found)
  }
  return found
}

const str = (value: unknown, key: string): string | undefined => {
  if (typeof value !== "object" || value === null || !(key in value)) return undefined
  const found: unknown = (value as Record<string, unknown>)[key]
  return typeof found === "string" ? found : undefined
}

/** Any failure of a call, as a `UiError`. */
export const toUiError = (error: unknown): UiError => {
  const tag = str(error, "_tag") ?? "Error"
  const list: unknown =
    typeof error === "object" && error !== null && "violations" in error
      ? (error as { readonly violations: unknown }).violations
      : undefined
  const violations = Array.isArray(list)
    ? list.map((v: unknown) => ({ rule: str(v, "rule") ?? "", message: str(v, "message") ?? "" }))
    : []
  return {
    tag,
    rule: str(error, "rule"),
    message: str(error, "message") ?? String(error),
    violations,
    command: str(error, "command"),
    status: str(error, "status"),
    id: str(error, "id")
  }
}

/** Runs a call of the client for `token` (`null`: without a token). */
export const call = async <A, E>(
  token: string | null,
  f: (client: ApiClient) => Effect.Effect<A, E>
): Promise<Outcome<A>> => {
  const client = await clientFor(token)
  const result = await Effect.runPromise(Effect.either(f(client)))
  return Either.isRight(result)
    ? { ok: true, value: result.right }
    : { ok: false, error: toUiError(result.left) }
}
