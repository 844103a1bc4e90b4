/**
 * 恶意输入 Open311 — hostile-input fuzzing of the Open311 GeoReport v2 routes
 * (issue 6 "Bad input"): generated malformed and hostile requests sent as raw
 * HTTP (`fetch`, and a socket for what `fetch` will not send) to the whole app
 * (`Server.layer` with `Open311.layer` mounted at `/open311/v2`, api keys in
 * the SQL key store) on 127.0.0.1 — `discovery`, `services`, `services/{code}`,
 * `POST requests`, `GET requests`, `requests/{id}`, `tokens/{token}` and
 * `servicerequestupdates`, each as `.json`, as `.xml` and without an
 * extension, with wrong methods, hostile ids, filters and forms, wrong content
 * types, oversized bodies, invalid percent-encoding and invalid UTF-8, odd
 * `attribute[` keys, injection strings, out-of-range coordinates and dates,
 * missing, invalid and revoked api keys. On SQLite and PostgreSQL:
 *
 * - no response is a 5xx;
 * - every request built to be refused is a 4xx whose body is the Open311 error
 *   format in the format asked for (`[{"code","description"}]`, validated with
 *   the contract's JSON Schema, or `<errors><error><code>…`), and writes
 *   nothing: the row count of every table is the same before and after;
 * - every XML response is well-formed (a strict parser) and carries the same
 *   data as the JSON response to the same request, so no hostile string is
 *   echoed unescaped;
 * - hostile but well-formed reports are stored as text and published
 *   escaped, without the reporter's personal data; every table remains;
 * - fields over the core's limits (`Text`: description 4,000, address 200,
 *   names 100, phones), with control characters, or a `publish_exact` that is
 *   not a boolean are refused (400 naming the field) and nothing is stored;
 * - adversarial descriptions of 1 MB stored by older versions (before the
 *   limits) are still answered, scrubbed and cut to 4,000 characters, in time
 *   (the old scrub took hours on them; the test would time out).
 */
import { createServer } from "node:http"
import * as CaseCategory from "@civicgrid/core/CaseCategory"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import * as Hierarchy from "@civicgrid/core/Hierarchy"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as PointLocation from "@civicgrid/core/PointLocation"
import * as Privacy from "@civicgrid/core/Privacy"
import * as Text from "@civicgrid/core/Text"
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlRepositories from "@civicgrid/sql/SqlRepositories"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Authorization from "../src/Authorization.js"
import * as Open311 from "../src/Open311.js"
import * as Server from "../src/Server.js"
import {
  B1,
  client,
  config,
  contractErrors,
  D_OTHER,
  type Dialect,
  dialects,
  grids,
  hierarchy,
  IN_C1,
  IN_C2,
  LAMP,
  NOWHERE,
  parseXml,
  type SchemaName,
  sameData,
  type XmlNode
} from "./Open311Fixtures.js"
import {
  enc,
  injections,
  invalidUtf8,
  type RawRequest,
  type RawResponse,
  rawEncoded,
  rowCounts,
  sendAll,
  sendBytes,
  serverPort,
  spliceBytes,
  statusOfRaw
} from "./support/Hostile.js"

// -----------------------------------------------------------------------------
// the app under test: the API and Open311, api keys in the SQL key store
// -----------------------------------------------------------------------------

/** A live key of the client. */
const KEY = "fuzz-open311-key-0001"
/** A key of the client, revoked. */
const REVOKED = "fuzz-open311-revoked-0001"
const JURISDICTION = config.jurisdiction.id ?? config.jurisdiction.unitId
const V2 = "/open311/v2"

const timeLimits = { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }

const seed = Effect.gen(function* () {
  const hierarchies = yield* HierarchyRepository
  yield* hierarchies.save(LevelScheme.FiveLevel, Hierarchy.units(hierarchy))
  yield* SqlApiKeys.registerOpen311(Redacted.make(KEY), client)
  const revoked = yield* SqlApiKeys.registerOpen311(Redacted.make(REVOKED), client)
  yield* SqlApiKeys.revoke(revoked.id)
}).pipe(Effect.orDie)

/** Open311 `ApiKeys` over the SQL key store. */
const layerApiKeys = Open311.layerApiKeysLookup(SqlApiKeys.open311Lookup)

const fuzzEnv = (dialect: Dialect) => {
  const migrated = Layer.effectDiscard(Migrations.run.pipe(Effect.orDie)).pipe(
    Layer.provideMerge(dialect.fresh())
  )
  // the case settings route points with the fixture's grids (kept in memory, not stored)
  const repositories = SqlRepositories.layer({
    timeLimits,
    cases: { grids: Effect.succeed({ grids, gridIndex: PointLocation.make(grids) }) }
  }).pipe(Layer.provideMerge(migrated))
  const seeded = Layer.effectDiscard(seed).pipe(Layer.provideMerge(repositories))
  return Server.layer().pipe(
    Layer.provide(Open311.layer(config)),
    Layer.provide(Authorization.layerMemory(new Map())),
    // the fuzz sends thousands of bad keys from one address: lift the failed-authentication limit
    Layer.provide(Authorization.layerRateLimit({ maxFailures: 1_000_000 })),
    Layer.provideMerge(layerApiKeys),
    Layer.provideMerge(seeded),
    Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })),
    Layer.orDie
  )
}

// -----------------------------------------------------------------------------
// hostile values
// -----------------------------------------------------------------------------

type Entries = ReadonlyArray<readonly [string, string]>

const injection = fc.constantFrom(...injections)
const nonBlank = (s: string): boolean => s.trim().length > 0

const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: injection },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.fullUnicodeString({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 2_000 }).map((n) => "A".repeat(n)) }
)

/** A hostile path segment or query value, encoded (some undecodable). */
const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileText.map(enc) },
  { weight: 2, arbitrary: fc.constantFrom(...rawEncoded) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 3_000 }).map((n) => "9".repeat(n)) }
)

const form = (entries: Entries): string =>
  new URLSearchParams(entries.map(([k, v]): [string, string] => [k, v])).toString()

const FORM = { "content-type": "application/x-www-form-urlencoded" }

/** A valid report of a 路灯 fault in 金沙 (by position). */
const report: Entries = [
  ["api_key", KEY],
  ["service_code", LAMP],
  ["lat", String(IN_C1.lat)],
  ["long", String(IN_C1.long)],
  ["attribute[lamp_fault]", "off"],
  ["description", "路灯不亮"]
]

const without = (entries: Entries, ...keys: ReadonlyArray<string>): Entries =>
  entries.filter(([k]) => !keys.includes(k))

/** Fields a form may repeat or add; hostile values earlier in a form are overridden by the report's. */
const noiseKeys = fc.constantFrom(
  "description",
  "address_string",
  "first_name",
  "last_name",
  "email",
  "phone",
  "device_id",
  "account_id",
  "zipcode",
  "attribute[facility_number]",
  "service_code",
  "lat",
  "long",
  "api_key",
  "__proto__",
  "constructor",
  "toString"
)
const noise: fc.Arbitrary<Entries> = fc.array(fc.tuple(noiseKeys, hostileText), { maxLength: 5 })

/**
 * What makes a report refused, applied after the noise and the report: a
 * field removed everywhere, or a bad value appended last (the last value of a
 * single-valued field wins), with the status when it is determined.
 */
interface Defect {
  readonly kind: string
  readonly apply: (entries: Entries) => Entries
  readonly status?: number
}

const badKeys: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    REVOKED,
    `${KEY}x`,
    KEY.toUpperCase(),
    KEY.slice(0, -1),
    `Bearer ${KEY}`,
    `${KEY}\u0000`,
    `${KEY},${KEY}`,
    "x".repeat(600)
  ),
  hostileText.filter((s) => nonBlank(s) && s.trim() !== KEY)
)

const nonNumbers = fc.constantFrom(
  "NaN",
  "Infinity",
  "-Infinity",
  "1e999",
  "-1e999",
  "0x19",
  "25,045",
  "25.045°",
  "二十五",
  "--25",
  "25.0.1",
  "[25]",
  "true",
  "null",
  "1/0"
)

const defects: fc.Arbitrary<Defect> = fc.oneof(
  fc.constant<Defect>({ kind: "api_key/missing", apply: (e) => without(e, "api_key"), status: 403 }),
  badKeys.map(
    (key): Defect => ({
      kind: "api_key/invalid-or-revoked",
      apply: (e) => [...without(e, "api_key"), ["api_key", key]],
      status: 403
    })
  ),
  badKeys.map(
    (key): Defect => ({
      kind: "api_key/repeated-last-invalid",
      apply: (e) => [...e, ["api_key", key]],
      status: 403
    })
  ),
  fc.constant<Defect>({ kind: "service_code/missing", apply: (e) => without(e, "service_code") }),
  fc
    .oneof(fc.constantFrom("", "BJ-9999", "BJ-01", "BJ", "SJ-04", `${LAMP}x`, `${LAMP},${LAMP}`), injection)
    .map(
      (code): Defect => ({
        kind: "service_code/unknown",
        apply: (e) => [...e, ["service_code", code]]
      })
    ),
  fc
    .tuple(
      fc.constantFrom("lat", "long"),
      fc.oneof(
        nonNumbers,
        fc.constantFrom("", "90.0001", "-90.0001", "180.0001", "-181", "1e5", "-1e3"),
        injection.filter((s) => Number.isNaN(Number(s)) || Math.abs(Number(s)) > 180)
      )
    )
    .map(
      ([field, value]): Defect => ({
        kind: "lat-long/bad-value",
        apply: (e) => [...e, [field, value]]
      })
    ),
  fc
    .tuple(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }))
    .filter(([lat, long]) => Math.abs(lat - 25.05) > 1 || Math.abs(long - 102.71) > 1)
    .map(
      ([lat, long]): Defect => ({
        kind: "lat-long/outside-every-grid",
        apply: (e) => [...without(e, "lat", "long"), ["lat", String(lat)], ["long", String(long)]]
      })
    ),
  fc.constant<Defect>({
    kind: "lat-long/nowhere",
    apply: (e) => [...without(e, "lat", "long"), ["lat", String(NOWHERE.lat)], ["long", String(NOWHERE.long)]]
  }),
  fc
    .constantFrom("lat", "long")
    .map((field): Defect => ({ kind: "lat-long/only-one", apply: (e) => without(e, field) })),
  fc.constant<Defect>({
    kind: "location/missing",
    apply: (e) => without(e, "lat", "long", "address_string", "address_id")
  }),
  injection.map(
    (address): Defect => ({
      kind: "address_string/not-locatable",
      apply: (e) => [
        ...without(e, "lat", "long", "address_string", "address_id"),
        ["address_string", address]
      ]
    })
  ),
  fc.integer({ min: 201, max: 3_000 }).map(
    (n): Defect => ({
      kind: "address_string/too-long",
      apply: (e) => [...e, ["address_string", "金沙小区1栋".repeat(Math.ceil(n / 6))]]
    })
  ),
  fc.oneof(injection, fc.constantFrom(D_OTHER, "no-such-unit", `${B1}x`)).map(
    (unit): Defect => ({
      kind: "address_id/unknown",
      apply: (e) => [...without(e, "lat", "long", "address_id"), ["address_id", unit]]
    })
  ),
  fc
    .integer({ min: 4_001, max: 20_000 })
    .map(
      (n): Defect => ({ kind: "description/too-long", apply: (e) => [...e, ["description", "灯".repeat(n)]] })
    ),
  fc.tuple(fc.constantFrom("\u0000", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\u009b"), hostileText).map(
    ([control, text]): Defect => ({
      kind: "description/control-characters",
      apply: (e) => [...e, ["description", `路灯${control}${text}`]],
      status: 400
    })
  ),
  fc.constantFrom("\n", "\r", "\u0000", "\u2028", "\t").map(
    (control): Defect => ({
      kind: "address_string/control-characters",
      apply: (e) => [...e, ["address_string", `金沙小区${control}1栋`]],
      status: 400
    })
  ),
  fc
    .oneof(
      injection,
      hostileText,
      fc.constantFrom("138-1234-567a", "电话", "1".repeat(33), "+", "++8613812345678")
    )
    .filter((p) => nonBlank(p) && !Text.isPhone(p.trim()))
    .map(
      (phone): Defect => ({ kind: "phone/not-a-phone", apply: (e) => [...e, ["phone", phone]], status: 400 })
    ),
  fc.tuple(fc.constantFrom("first_name", "last_name"), fc.integer({ min: 101, max: 200 })).map(
    ([field, n]): Defect => ({
      kind: "name/too-long",
      apply: (e) => [...e, [field, "张".repeat(n)]],
      status: 400
    })
  ),
  fc.oneof(fc.constantFrom("maybe", "2", "truee", "是", "on"), injection.filter(nonBlank)).map(
    (value): Defect => ({
      kind: "publish_exact/not-a-boolean",
      apply: (e) => [...e, ["publish_exact", value]],
      status: 400
    })
  ),
  fc
    .tuple(
      fc.constantFrom("first_name", "last_name", "email", "phone", "device_id", "account_id"),
      fc.integer({ min: 201, max: 5_000 })
    )
    .map(
      ([field, n]): Defect => ({ kind: "contact/too-long", apply: (e) => [...e, [field, "张".repeat(n)]] })
    ),
  fc
    .tuple(
      fc.constantFrom(
        "attribute[",
        "attribute]",
        "attribute[]",
        "attribute[][]",
        "attribute[a][b]",
        "attribute[[lamp_fault]]",
        "attribute[lamp_fault",
        "attribute[lamp_fault]]",
        "attribute[lamp_fault][][]",
        "attribute]lamp_fault[",
        "attribute",
        "attributes[lamp_fault]",
        "attribute_lamp_fault",
        "attribute%5Blamp_fault%5D",
        `attribute[${"x".repeat(101)}]`
      ),
      hostileText
    )
    .map(([key, value]): Defect => ({ kind: "attribute/odd-brackets", apply: (e) => [...e, [key, value]] })),
  fc.constant<Defect>({
    kind: "attribute/required-missing",
    apply: (e) => without(e, "attribute[lamp_fault]")
  }),
  fc.oneof(fc.constantFrom("", "exploded", "OFF", "off,on", "0", "不亮"), injection).map(
    (value): Defect => ({
      kind: "attribute/not-in-list",
      apply: (e) => [...without(e, "attribute[lamp_fault]"), ["attribute[lamp_fault]", value]]
    })
  ),
  fc.constant<Defect>({
    kind: "attribute/repeated-single-value",
    apply: (e) => [...e, ["attribute[lamp_fault]", "flickering"]]
  }),
  fc.constant<Defect>({
    kind: "attribute/list-for-single-value",
    apply: (e) => [...without(e, "attribute[lamp_fault]"), ["attribute[lamp_fault][]", "off"]]
  }),
  // an attribute the service does not list is kept, not refused (FixMyStreet sends its own): see 注入;
  // a media_url must be an http(s) URL (the core's Case.MediaUrl)
  injection.map(
    (value): Defect => ({
      kind: "media_url/not-a-url",
      apply: (e) => [...without(e, "media_url"), ["media_url", value]]
    })
  ),
  hostileText
    .filter((s) => nonBlank(s) && s.trim() !== JURISDICTION)
    .map(
      (id): Defect => ({
        kind: "jurisdiction_id/unknown",
        apply: (e) => [...e, ["jurisdiction_id", id]],
        status: 404
      })
    )
)

// -----------------------------------------------------------------------------
// requests
// -----------------------------------------------------------------------------

/**
 * A request before its extension: sent twice, as `<path>.json` and
 * `<path>.xml` (`pair`), or once as given (`bare`: the path ends as it ends).
 */
interface Template {
  readonly kind: string
  readonly method: string
  /** Under /open311/v2, already encoded, without the extension. */
  readonly path: string
  readonly query?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
  readonly ending: "pair" | "bare"
  /** Built to be refused: a 4xx that writes nothing. */
  readonly refused: boolean
  /** The status, where the request determines it. */
  readonly status?: number
  /** The contract of a 2xx JSON body. */
  readonly schema?: SchemaName
}

interface Fuzzed extends RawRequest {
  readonly template: Template
  /** Index of the template: the two requests of a pair share it. */
  readonly pair: number
}

const queryOf = (entries: Entries): string => (entries.length === 0 ? "" : `?${form(entries)}`)

const status = (defect: Defect): { readonly status?: number } =>
  defect.status === undefined ? {} : { status: defect.status }

/** `POST requests` with one defect or more, among hostile noise; the form body in several hostile shapes. */
const refusedReport: fc.Arbitrary<Template> = fc
  .tuple(
    noise,
    defects,
    fc.oneof(
      { weight: 6, arbitrary: fc.constant<"plain">("plain") },
      { weight: 1, arbitrary: fc.constant<"bad-percent">("bad-percent") },
      { weight: 1, arbitrary: fc.constant<"bad-utf8">("bad-utf8") }
    ),
    fc.constantFrom(...rawEncoded),
    fc.nat()
  )
  .map(([prefix, defect, shape, raw, n]): Template => {
    const head = form(prefix)
    const tail = form(defect.apply(report))
    const base = { method: "POST", path: "requests", ending: "pair" as const, headers: FORM, refused: true }
    if (shape === "plain") {
      return { ...base, kind: `post/${defect.kind}`, body: `${head}&${tail}`, ...status(defect) }
    }
    if (shape === "bad-percent") {
      // undecodable escapes in keys and values the report does not use
      return {
        ...base,
        kind: `post/bad-percent/${defect.kind}`,
        body: `${head}&${raw}=${raw}&x=${raw}&${tail}`,
        ...status(defect)
      }
    }
    // invalid UTF-8 inside a value the report overrides
    const bytes = invalidUtf8[n % invalidUtf8.length] ?? [0xff]
    const text = `${head}&description=ab`
    return {
      ...base,
      kind: `post/bad-utf8/${defect.kind}`,
      body: spliceBytes(`${text}cd&${tail}`, new TextEncoder().encode(text).length, bytes),
      ...status(defect)
    }
  })

const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY k SYSTEM "file:///etc/passwd">]><request><api_key>${KEY}</api_key><service_code>${LAMP}</service_code><lat>${IN_C1.lat}</lat><long>${IN_C1.long}</long><description>&k;</description></request>`

/**
 * A complete, valid report in a body that is not a form (or a form under
 * another content type): never read as a form — a 403 without a key in the
 * query, a 415 with one.
 */
const misTypedReport: fc.Arbitrary<Template> = fc
  .tuple(
    fc.constantFrom<readonly [string | undefined, "form" | "json" | "xml"]>(
      ["application/json", "form"],
      ["application/json", "json"],
      ["text/plain", "form"],
      ["text/plain;charset=UTF-8", "json"],
      ["application/xml", "xml"],
      ["text/xml", "xml"],
      ["multipart/form-data; boundary=zzz", "form"],
      ["application/octet-stream", "form"],
      ["application/x-www-form-urlencoded-x", "form"],
      ["form", "form"],
      ["; ;", "form"],
      [undefined, "form"]
    ),
    fc.boolean()
  )
  .map(([[contentType, shape], keyInQuery]): Template => {
    const text =
      shape === "form" ? form(report) : shape === "json" ? JSON.stringify(Object.fromEntries(report)) : xxe
    return {
      kind: `post/content-type/${contentType ?? "none"}/${shape}${keyInQuery ? "/key-in-query" : ""}`,
      method: "POST",
      path: "requests",
      ...(keyInQuery ? { query: queryOf([["api_key", KEY]]) } : {}),
      ...(contentType === undefined ? {} : { headers: { "content-type": contentType } }),
      // bytes: fetch adds no content type of its own
      body: contentType === undefined ? new TextEncoder().encode(text) : text,
      ending: "pair" as const,
      refused: true,
      status: keyInQuery ? 415 : 403
    }
  })

/** A valid report in the JSON a client might mistake for a form, under the form content type: no api_key is found. */
const jsonAsForm: Template = {
  kind: "post/json-under-form-content-type",
  method: "POST",
  path: "requests",
  headers: FORM,
  body: JSON.stringify(Object.fromEntries(report)),
  ending: "pair",
  refused: true,
  status: 403
}

/** Oversized bodies (≥ 1 MB, or just over the 256 KiB limit): a 413, refused unread. */
const hugeReport: fc.Arbitrary<Template> = fc
  .tuple(
    fc.constantFrom(300 * 1024, 1_048_576, 1_500_000),
    fc.constantFrom("description", "attribute[facility_number]", "x")
  )
  .map(([size, field]) => ({
    kind: `post/huge-body/${size}`,
    method: "POST",
    path: "requests",
    headers: FORM,
    body: `${form(report)}&${field}=${"y".repeat(size)}`,
    ending: "pair",
    refused: true,
    status: 413
  }))

const getRoutes: ReadonlyArray<readonly [string, SchemaName]> = [
  ["discovery", "discovery"],
  ["services", "services"],
  [`services/${LAMP}`, "service_definition"],
  ["requests", "requests"],
  ["servicerequestupdates", "servicerequestupdates"]
]

/**
 * Wrong methods, no extension, odd extensions — with a valid report as body
 * where one fits: a 404, nothing written. (`OPTIONS` is a CORS preflight,
 * answered 204: `Open311.test.ts`.)
 */
const wrongRoute: fc.Arbitrary<Template> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("PUT", "PATCH", "DELETE", "PROPFIND", "QUERY", "M-SEARCH"),
      fc.constantFrom(
        "requests",
        "discovery",
        "services",
        `services/${LAMP}`,
        "requests/x",
        "tokens/x",
        "servicerequestupdates"
      )
    )
    .map(([method, path]) => ({
      kind: `method/${method}`,
      method,
      path,
      headers: FORM,
      body: form(report),
      ending: "pair" as const,
      refused: true,
      status: 404
    })),
  fc.constantFrom("discovery", "services", `services/${LAMP}`, "requests/x", "tokens/x").map((path) => ({
    kind: "method/POST-on-a-read",
    method: "POST",
    path,
    headers: FORM,
    body: form(report),
    ending: "pair" as const,
    refused: true,
    status: 404
  })),
  fc
    .tuple(
      fc.constantFrom("GET", "POST"),
      fc.constantFrom(
        "requests",
        "discovery",
        "services",
        "servicerequestupdates",
        "requests.html",
        "requests.json.bak",
        "requests.json.xml",
        "requests.xml.json",
        "requests.",
        "requests..json",
        ".json",
        "requests.json/",
        "requests.json%00",
        "v3/requests.json",
        `services/${LAMP}`,
        "requests/x",
        "tokens/x",
        "tokens/.json",
        "requests/.xml",
        "services/.json"
      )
    )
    .map(([method, path]) => ({
      kind: `ending/${method}/${path}`,
      method,
      path,
      ...(method === "POST" ? { headers: FORM, body: form(report) } : {}),
      ending: "bare" as const,
      refused: true,
      status: 404
    }))
)

/** Ids, tokens and service codes nothing is stored under. */
const unknownResource: fc.Arbitrary<Template> = fc
  .tuple(fc.constantFrom("requests", "tokens", "services"), hostileSegment, fc.boolean())
  .map(([route, segment, jurisdiction]) => ({
    kind: `path/${route}`,
    method: "GET",
    path: `${route}/${segment}`,
    ...(jurisdiction ? { query: queryOf([["jurisdiction_id", JURISDICTION]]) } : {}),
    ending: "pair",
    refused: true
  }))

const day = 86_400_000
const iso = (millis: number): string => new Date(millis).toISOString()
/** 0000-01-01T00:00:00Z (2000 Gregorian years are 730 485 days). */
const YEAR_0 = Date.UTC(2000, 0, 1) - 730_485 * day
const YEAR_9999_END = Date.UTC(9999, 11, 31)

const badDate = fc.oneof(
  fc.constantFrom(
    "yesterday",
    "2024-13-01",
    "2024-02-30",
    "2023-02-29",
    "2024-00-10",
    "2024-03-04T25:00:00Z",
    "2024-03-04T09:60:00Z",
    "2024-03-04T09:00:60Z",
    "2024-03-04T09:00:00+15:00",
    "2024-03-04T09:00:00+08:60",
    "2024-03-04T09:00:00.1234567890Z",
    "20240304",
    "2024-3-4",
    "+002024-03-04",
    "-0001-01-01",
    "10000-01-01",
    "275760-09-13T00:00:00Z",
    "１９９９-01-01",
    "1e9",
    "1709510400000"
  ),
  injection.filter(nonBlank)
)

/** A valid start/end pair more than 90 days apart, or in the wrong order, anywhere in years 0000–9999. */
const badWindow = fc
  .tuple(
    fc.integer({ min: 0, max: (YEAR_9999_END - YEAR_0) / day - 100 }),
    fc.integer({ min: 0, max: day - 1 }),
    // seconds: more than 90 days later, or earlier
    fc.oneof(
      fc.integer({ min: 90 * 86_400 + 1, max: 40 * 365 * 86_400 }),
      fc.integer({ min: 1, max: 40 * 365 * 86_400 }).map((n) => -n)
    )
  )
  .map(([days, millis, span]): Entries => {
    const start = YEAR_0 + days * day + millis
    return [
      ["start_date", iso(start)],
      ["end_date", iso(Math.min(YEAR_9999_END, start + span * 1_000))]
    ]
  })

const minors = new Set(CaseCategory.minors(config.catalogue).map((m) => m.id as string))

interface BadFilter {
  readonly kind: string
  readonly entries: Entries
  readonly status?: number
}

/** Filters both `GET requests` and `servicerequestupdates` refuse (the first value of a repeated one counts). */
const sharedFilterDefects: fc.Arbitrary<BadFilter> = fc.oneof(
  fc.tuple(fc.constantFrom("start_date", "end_date"), badDate).map(([field, value]) => ({
    kind: `${field}/malformed`,
    entries: [[field, value]] as Entries,
    status: 400
  })),
  badWindow.map((entries) => ({ kind: "window/over-90-days-or-reversed", entries, status: 400 })),
  fc
    .oneof(
      fc.constantFrom(",", " , ,", ",,,,"),
      // more ids than one answer may hold (maxResults, 1,000 by default)
      fc
        .integer({ min: 1_001, max: 1_200 })
        .map((n) => Array.from({ length: n }, (_, k) => `id${k}`).join(",")),
      fc.integer({ min: 201, max: 3_000 }).map((n) => `x${"9".repeat(n)}`)
    )
    .map((value) => ({
      kind: "service_request_id/malformed",
      entries: [["service_request_id", value]] as Entries,
      status: 400
    })),
  hostileText
    .filter((s) => nonBlank(s) && s.trim() !== JURISDICTION)
    .map((value) => ({
      kind: "jurisdiction_id/unknown",
      entries: [["jurisdiction_id", value]] as Entries,
      status: 404
    }))
)

/** Filters only `GET requests` has (`servicerequestupdates` takes ids or a window), refused there. */
const requestsFilterDefects: fc.Arbitrary<BadFilter> = fc.oneof(
  fc
    .oneof(fc.constantFrom("pending", "OPEN,foo", "open;closed", "opened", "0", "closed,,x"), injection)
    .filter((v) =>
      v
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .some((s) => s.length > 0 && s !== "open" && s !== "closed")
    )
    .map((value) => ({ kind: "status/unknown", entries: [["status", value]] as Entries, status: 400 })),
  fc
    .oneof(fc.constantFrom("BJ-9999", `${LAMP},BJ-9999`, "BJ-01", "bj-0112"), injection)
    .filter((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .some((s) => s.length > 0 && !minors.has(s))
    )
    .map((value) => ({
      kind: "service_code/unknown",
      entries: [["service_code", value]] as Entries,
      status: 400
    }))
)

/** Harmless filters, and unknown or hostile parameters, that may follow a defect. */
const filterNoise: fc.Arbitrary<Entries> = fc.array(
  fc.oneof(
    fc.constantFrom<readonly [string, string]>(
      ["status", "open"],
      ["service_code", LAMP],
      ["start_date", iso(Date.now() - 10 * day)],
      ["page", "2"],
      ["format", "xml"],
      ["callback", "alert"]
    ),
    fc.tuple(
      fc.constantFrom("q", "__proto__", "limit", "lat", "long", "radius", "updated_after"),
      hostileText
    )
  ),
  { maxLength: 3 }
)

const refusedRead: fc.Arbitrary<Template> = fc
  .tuple(
    fc.oneof(
      fc.tuple(fc.constant("requests"), fc.oneof(sharedFilterDefects, requestsFilterDefects)),
      fc.tuple(fc.constant("servicerequestupdates"), sharedFilterDefects)
    ),
    filterNoise
  )
  .map(([[path, defect], rest]) => ({
    kind: `get/${path}/${defect.kind}`,
    method: "GET",
    path,
    query: queryOf([...defect.entries, ...rest]),
    ending: "pair",
    refused: true,
    ...(defect.status === undefined ? {} : { status: defect.status })
  }))

/** Any route with a wrong jurisdiction_id: a 404. */
const wrongJurisdiction: fc.Arbitrary<Template> = fc
  .tuple(
    fc.constantFrom(
      "discovery",
      "services",
      `services/${LAMP}`,
      "requests/x",
      "tokens/x",
      "requests",
      "servicerequestupdates"
    ),
    hostileText.filter((s) => nonBlank(s) && s.trim() !== JURISDICTION)
  )
  .map(([path, id]) => ({
    kind: `jurisdiction/${path}`,
    method: "GET",
    path,
    query: queryOf([["jurisdiction_id", id]]),
    ending: "pair",
    refused: true,
    status: 404
  }))

/** Reads with junk: answered (2xx, by the contract) or refused, never a 5xx. */
const junkRead = (ids: ReadonlyArray<string>): fc.Arbitrary<Template> =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...getRoutes), filterNoise).map(([[path, schema], rest]) => ({
      kind: `read/${path}`,
      method: "GET",
      path,
      query: queryOf(rest),
      ending: "pair" as const,
      refused: false,
      schema
    })),
    fc
      .tuple(
        fc.constantFrom("requests", "servicerequestupdates"),
        fc.subarray([...ids, "nope", "a\u0000b", "' OR '1'='1", "<x>"], { minLength: 1 }),
        filterNoise
      )
      .map(([path, list, rest]) => ({
        kind: `read/${path}/ids`,
        method: "GET",
        path,
        query: queryOf([["service_request_id", list.join(",")], ...rest]),
        ending: "pair" as const,
        refused: false,
        schema: path === "requests" ? ("requests" as const) : ("servicerequestupdates" as const)
      })),
    fc.tuple(fc.constantFrom(...ids), filterNoise).map(([id, rest]) => ({
      kind: "read/requests/{id}",
      method: "GET",
      path: `requests/${enc(id)}`,
      query: queryOf(rest),
      ending: "pair" as const,
      refused: false,
      schema: "requests" as const
    })),
    fc.constantFrom(...getRoutes).map(([path]) => ({
      kind: `read/HEAD/${path}`,
      method: "HEAD",
      path,
      ending: "pair" as const,
      refused: false
    }))
  )

const refusedTemplate = (ids: ReadonlyArray<string>): fc.Arbitrary<Template> =>
  fc.oneof(
    { weight: 12, arbitrary: refusedReport },
    { weight: 2, arbitrary: misTypedReport },
    { weight: 1, arbitrary: fc.constant(jsonAsForm) },
    { weight: 1, arbitrary: hugeReport },
    { weight: 3, arbitrary: wrongRoute },
    { weight: 3, arbitrary: unknownResource },
    { weight: 5, arbitrary: refusedRead },
    { weight: 1, arbitrary: wrongJurisdiction },
    { weight: 3, arbitrary: junkRead(ids) }
  )

const expand = (templates: ReadonlyArray<Template>): Array<Fuzzed> =>
  templates.flatMap((template, pair) => {
    const endings = template.ending === "pair" ? [".json", ".xml"] : [""]
    return endings.map(
      (ending): Fuzzed => ({
        template,
        pair,
        method: template.method,
        url: `${V2}/${template.path}${ending}${template.query ?? ""}`,
        ...(template.headers === undefined ? {} : { headers: template.headers }),
        ...(template.body === undefined ? {} : { body: template.body })
      })
    )
  })

// -----------------------------------------------------------------------------
// checking the answers
// -----------------------------------------------------------------------------

interface Outcome {
  readonly request: Fuzzed
  readonly response: RawResponse
}

/** The format a request asks for: its path's ending (JSON by default). */
const formatOf = (url: string): "json" | "xml" =>
  (url.split(/[?;#]/)[0] ?? "").endsWith(".xml") ? "xml" : "json"

// XML 1.0 Char excludes C0 controls but tab / LF / CR, lone surrogates and U+FFFE / U+FFFF
const NOT_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: exactly the characters XML 1.0 forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** A JSON value with the characters XML cannot carry taken out of its strings: what the XML document must hold. */
const asXmlCarries = (value: unknown): unknown => {
  if (typeof value === "string") return value.replace(NOT_XML_CHAR, "")
  if (Array.isArray(value)) return value.map(asXmlCarries)
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asXmlCarries(v)]))
  }
  return value
}

const readXml = (text: string): XmlNode | string => {
  try {
    return parseXml(text)
  } catch (error) {
    return `malformed XML: ${String(error)}`
  }
}

const readJson = (text: string): { readonly value: unknown } | string => {
  try {
    return { value: JSON.parse(text) }
  } catch (error) {
    return `malformed JSON: ${String(error)}`
  }
}

const describeOutcome = (o: Outcome): string =>
  `${o.response.status} [${o.request.template.kind}] ${o.request.method} ${o.request.url.slice(0, 120)} → ${o.response.text.slice(0, 160)}`

/** Node's HTTP parser answers a request line over 16 KiB with a bare 431 before any handler runs. */
const NODE_431 = 431

/** Everything wrong with one answer (empty when it is right). */
const problemsOf = async (o: Outcome): Promise<Array<string>> => {
  const { template } = o.request
  const { status, headers, text } = o.response
  const problems: Array<string> = []
  const say = (what: string) => problems.push(`${what}: ${describeOutcome(o)}`)
  if (status < 0) return [`not answered: ${describeOutcome(o)}`]
  if (status >= 500) say("5xx")
  if (template.refused && (status < 400 || status >= 500)) say("not refused")
  if (template.status !== undefined && status !== template.status && status !== NODE_431) {
    say(`expected ${template.status}`)
  }
  if (Object.keys(headers).some((h) => h.toLowerCase().startsWith("x-injected"))) say("injected header")
  if (o.request.method === "HEAD" || status === NODE_431) return problems
  const format = formatOf(o.request.url)
  const contentType = headers["content-type"] ?? ""
  if (!contentType.startsWith(format === "json" ? "application/json" : "text/xml")) {
    say(`content type "${contentType}", expected ${format}`)
    return problems
  }
  if (format === "xml") {
    for (const raw of ["<!DOCTYPE", "<!ENTITY", "<script", "<![CDATA[", "<img", "<?xml-stylesheet"]) {
      if (text.includes(raw)) say(`unescaped ${raw} in XML`)
    }
    const xml = readXml(text)
    if (typeof xml === "string") {
      say(xml)
      return problems
    }
    if (status >= 400) {
      const codes = xml.children.map((e) => e.children.find((c) => c.name === "code")?.text)
      const descriptions = xml.children.map(
        (e) => e.children.find((c) => c.name === "description")?.text ?? ""
      )
      if (
        xml.name !== "errors" ||
        xml.children.length === 0 ||
        xml.children.some((e) => e.name !== "error") ||
        codes.some((c) => c !== String(status)) ||
        descriptions.some((d) => d.length === 0)
      ) {
        say("not an Open311 XML error document")
      }
    }
    return problems
  }
  const json = readJson(text)
  if (typeof json === "string") {
    say(json)
    return problems
  }
  if (status >= 400) {
    const errors = await contractErrors("errors", json.value)
    if (errors.length > 0) say(`not an Open311 error array (${errors.join("; ")})`)
    else if (
      Array.isArray(json.value) &&
      json.value.some((e: { readonly code?: unknown }) => e.code !== status)
    ) {
      say("error codes differ from the HTTP status")
    }
  } else if (template.schema !== undefined) {
    const errors = await contractErrors(template.schema, json.value)
    if (errors.length > 0) say(`breaks the ${template.schema} contract (${errors.join("; ")})`)
  }
  return problems
}

/** The two answers of a pair: same status, and the XML carries the JSON's data (escaped, not echoed raw). */
const pairProblems = (json: Outcome, xml: Outcome): Array<string> => {
  if (
    json.request.method === "HEAD" ||
    json.response.status === NODE_431 ||
    xml.response.status === NODE_431
  ) {
    return []
  }
  if (json.response.status !== xml.response.status) {
    return [`.json ${json.response.status} ≠ .xml ${xml.response.status}: ${describeOutcome(json)}`]
  }
  const value = readJson(json.response.text)
  const node = readXml(xml.response.text)
  if (typeof value === "string" || typeof node === "string") return [] // reported by problemsOf
  const difference = sameData(node, asXmlCarries(value.value))
  return difference === undefined ? [] : [`XML differs from JSON (${difference}): ${describeOutcome(xml)}`]
}

const checkAll = async (outcomes: ReadonlyArray<Outcome>): Promise<Array<string>> => {
  const problems: Array<string> = []
  for (const o of outcomes) problems.push(...(await problemsOf(o)))
  const pairs = new Map<number, Array<Outcome>>()
  for (const o of outcomes) pairs.set(o.request.pair, [...(pairs.get(o.request.pair) ?? []), o])
  for (const [, [json, xml]] of pairs) {
    if (json !== undefined && xml !== undefined) problems.push(...pairProblems(json, xml))
  }
  return problems
}

// -----------------------------------------------------------------------------
// the tests
// -----------------------------------------------------------------------------

const baseOf = Effect.map(serverPort, (port) => `http://127.0.0.1:${port}`)

const post = (
  base: string,
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = FORM
) =>
  Effect.promise(() => sendAll(base, [{ method: "POST", url: `${V2}/${path}`, headers, body }])).pipe(
    Effect.map((outcomes) => outcomes[0]?.response ?? { status: -1, headers: {}, text: "" })
  )

const get = (base: string, path: string) =>
  Effect.promise(() => sendAll(base, [{ method: "GET", url: `${V2}/${path}` }])).pipe(
    Effect.map((outcomes) => outcomes[0]?.response ?? { status: -1, headers: {}, text: "" })
  )

const idOf = (response: RawResponse): string => {
  const parsed = readJson(response.text)
  const first: unknown =
    typeof parsed === "string" || !Array.isArray(parsed.value) ? undefined : parsed.value[0]
  return typeof first === "object" && first !== null && "service_request_id" in first
    ? String(first.service_request_id)
    : ""
}

/** Sends requests built to be refused as `.json` and `.xml`; every answer is checked. */
const refusedBatch = (base: string, templates: ReadonlyArray<Template>) =>
  Effect.gen(function* () {
    const requests = expand(templates)
    const before = yield* rowCounts
    const outcomes = yield* Effect.promise(() => sendAll(base, requests))
    const after = yield* rowCounts
    const problems = yield* Effect.promise(() => checkAll(outcomes))
    expect(problems.slice(0, 10)).toEqual([])
    expect(after).toEqual(before)
    return outcomes
  })

const REFUSED_TEMPLATES = 480
const HOSTILE_REPORTS = 60

/** The last value of a form field as the server reads it: decoded, trimmed. */
const lastValue = (body: string, field: string): string =>
  new URLSearchParams(body).getAll(field).at(-1)?.trim() ?? ""

/** A well-formed report carrying hostile text everywhere free text goes, and the reporter's personal data. */
interface HostileReport {
  readonly body: string | Uint8Array
  readonly format: "json" | "xml"
  /** The description and address as they must be stored (exact unless invalid bytes were spliced in). */
  readonly description: string
  readonly address: string
  readonly spliced: boolean
  /** Personal data that must never be published. */
  readonly secrets: ReadonlyArray<string>
}

const hostileReportParts = fc.record({
  descriptions: fc.array(hostileText, { minLength: 1, maxLength: 3 }),
  address: injection,
  facility: hostileText,
  name: injection,
  mediaUrl: injection,
  inC2: fc.boolean(),
  format: fc.constantFrom<"json" | "xml">("json", "xml"),
  badBytes: fc.option(fc.nat(), { freq: 4, nil: undefined })
})

type HostileParts = typeof hostileReportParts extends fc.Arbitrary<infer A> ? A : never

/** Without the characters the core's text rule refuses (a multi-line field keeps tab, LF and CR). */
const withoutControls = (text: string, multiline: boolean): string =>
  Array.from(text)
    .filter((ch) => {
      const c = ch.charCodeAt(0)
      if (multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) return true
      return !(c < 0x20 || (c >= 0x7f && c <= 0x9f) || (!multiline && (c === 0x2028 || c === 0x2029)))
    })
    .join("")

const hostileReport = (parts: HostileParts, k: number): HostileReport => {
  const at = parts.inC2 ? IN_C2 : IN_C1
  const secrets = [
    `秘名${k}甲`,
    `fz${k}.secret@example.org`,
    `+86 139-${String(k).padStart(4, "0")}-7${String(k).padStart(3, "0")}`
  ]
  const [name = "", email = "", phone = ""] = secrets
  // hostile, but within the core's text rule (a control character is a 400: see the refused forms)
  const descriptions = parts.descriptions.map((d, i) =>
    i === parts.descriptions.length - 1 ? `${withoutControls(d, true)} #${k}` : withoutControls(d, true)
  )
  const entries: Entries = [
    ["api_key", KEY],
    ["service_code", LAMP],
    ["lat", String(at.lat)],
    ["long", String(at.long)],
    ["attribute[lamp_fault]", "flickering"],
    ["attribute[facility_number]", withoutControls(parts.facility, false)],
    ["address_string", `${withoutControls(parts.address, false).slice(0, 150)} 路${k}号`],
    ["first_name", `${withoutControls(parts.name, false).slice(0, 90)}${name}`],
    ["last_name", "王"],
    ["email", email],
    ["phone", phone],
    // a well-formed URL carrying the injection text, and an attribute the service does not list
    [
      "media_url",
      `https://media.example/p/${Array.from(
        new TextEncoder().encode(parts.mediaUrl),
        (b) => `%${b.toString(16).padStart(2, "0")}`
      )
        .join("")
        .slice(0, 1_800)}.jpeg`
    ],
    [`attribute[client_${k}]`, withoutControls(parts.facility, false)],
    ...descriptions.map((d): readonly [string, string] => ["description", d])
  ]
  const text = form(entries)
  const description = lastValue(text, "description")
  const address = lastValue(text, "address_string")
  if (parts.badBytes === undefined) {
    return { body: text, format: parts.format, description, address, spliced: false, secrets }
  }
  // invalid UTF-8 at the start of the last description's value
  const cut = new TextEncoder().encode(
    text.slice(0, text.lastIndexOf("description=") + "description=".length)
  ).length
  const bytes = invalidUtf8[parts.badBytes % invalidUtf8.length] ?? [0xff]
  return {
    body: spliceBytes(text, cut, bytes),
    format: parts.format,
    description,
    address,
    spliced: true,
    secrets
  }
}

const secretsIn = (text: string, secrets: ReadonlyArray<string>): ReadonlyArray<string> =>
  secrets.filter((secret) => text.includes(secret))

for (const dialect of dialects) {
  layer(fuzzEnv(dialect), { excludeTestServices: true, timeout: "60 seconds" })(
    `Open311 hostile input on ${dialect.name}`,
    (it) => {
      it.effect(
        "恶意请求: generated malformed and hostile requests at every Open311 route — no 5xx; every one built to be refused is a 4xx Open311 error in the asked format and writes nothing; XML is well-formed and carries the JSON's data",
        () =>
          Effect.gen(function* () {
            const base = yield* baseOf
            // real requests, so that reads have something to list (one with hostile text)
            const ids: Array<string> = []
            for (const extra of [
              [],
              [["description", "<script>alert(1)</script> ]]> &amp; \t"]],
              [
                ["lat", String(IN_C2.lat)],
                ["long", String(IN_C2.long)]
              ]
            ] as const) {
              const created = yield* post(
                base,
                "requests.json",
                form([...without(report, ...extra.map(([k]) => k)), ...extra])
              )
              expect(created.status).toBe(201)
              ids.push(idOf(created))
            }
            const templates = fc.sample(refusedTemplate(ids), { numRuns: REFUSED_TEMPLATES, seed: 311_006 })
            const outcomes = yield* refusedBatch(base, templates)
            expect(outcomes.length).toBeGreaterThanOrEqual(REFUSED_TEMPLATES * 1.8)
            // every family of hostile input was generated and answered
            const families = new Set(
              outcomes.map((o) => o.request.template.kind.split("/").slice(0, 2).join("/"))
            )
            for (const family of [
              "post/api_key",
              "post/service_code",
              "post/lat-long",
              "post/attribute",
              "post/description",
              "post/phone",
              "post/name",
              "post/publish_exact",
              "post/bad-percent",
              "post/bad-utf8",
              "post/content-type",
              "post/huge-body",
              "method/PUT",
              "path/requests",
              "path/tokens",
              "path/services",
              "get/requests",
              "get/servicerequestupdates",
              "read/requests"
            ]) {
              expect([family, families.has(family)]).toEqual([family, true])
            }
          }),
        { timeout: 30_000 }
      )

      it.effect(
        "注入: well-formed reports with injection text, invalid UTF-8 and repeated keys are stored as text, published escaped and without the reporter's personal data; every table remains",
        () =>
          Effect.gen(function* () {
            const base = yield* baseOf
            const reports = fc
              .sample(hostileReportParts, { numRuns: HOSTILE_REPORTS, seed: 311_007 })
              .map((parts, k) => hostileReport(parts, k))
            const before = yield* rowCounts
            const created = yield* Effect.promise(() =>
              sendAll(
                base,
                reports.map((r) => ({
                  method: "POST",
                  url: `${V2}/requests.${r.format}`,
                  headers: FORM,
                  body: r.body
                }))
              )
            )
            const after = yield* rowCounts
            expect(
              created
                .filter((o) => o.response.status !== 201)
                .map((o) => `${o.response.status} ${o.response.text.slice(0, 200)}`)
            ).toEqual([])
            expect(Object.keys(after)).toEqual(Object.keys(before))
            expect(after["cg_cases"]).toBe((before["cg_cases"] ?? 0) + reports.length)
            expect(after["cg_idempotency"]).toBe((before["cg_idempotency"] ?? 0) + reports.length)

            const ids = created.map((o) => {
              if (o.request.url.endsWith(".json")) return idOf(o.response)
              const xml = readXml(o.response.text)
              return typeof xml === "string"
                ? ""
                : (xml.children[0]?.children.find((c) => c.name === "service_request_id")?.text ?? "")
            })
            const cases = yield* CaseRepository
            for (const [k, r] of reports.entries()) {
              const id = ids[k] ?? ""
              expect(id).not.toBe("")
              const reported = (yield* cases.events(id)).find((e) => e._tag === "Reported")
              // stored as the text sent: the last value of a repeated field, trimmed
              if (r.spliced) {
                expect(reported?.description.startsWith("\ufffd")).toBe(true)
              } else {
                expect([k, reported?.description]).toEqual([k, r.description])
              }
              expect([k, reported?.location.address]).toEqual([k, r.address])
            }

            // published: every request as JSON and XML (the XML carrying the same, escaped), lists and updates
            const reads: Array<Template> = [
              ...ids.map(
                (id): Template => ({
                  kind: "read/hostile/{id}",
                  method: "GET",
                  path: `requests/${enc(id)}`,
                  ending: "pair",
                  refused: false,
                  schema: "requests"
                })
              ),
              {
                kind: "read/hostile/list",
                method: "GET",
                path: "requests",
                ending: "pair",
                refused: false,
                schema: "requests"
              },
              {
                kind: "read/hostile/updates",
                method: "GET",
                path: "servicerequestupdates",
                query: queryOf([["service_request_id", ids.join(",")]]),
                ending: "pair",
                refused: false,
                schema: "servicerequestupdates"
              }
            ]
            const outcomes = yield* Effect.promise(() => sendAll(base, expand(reads)))
            expect((yield* Effect.promise(() => checkAll(outcomes))).slice(0, 10)).toEqual([])
            for (const [k, r] of reports.entries()) {
              const json = outcomes.find((o) => o.request.url === `${V2}/requests/${enc(ids[k] ?? "")}.json`)
              const parsed = readJson(json?.response.text ?? "")
              const shown: unknown =
                typeof parsed === "string" || !Array.isArray(parsed.value) ? undefined : parsed.value[0]
              if (!r.spliced)
                expect([k, shown]).toMatchObject([k, { description: Open311.scrub(r.description) }])
            }
            const leaks = outcomes.flatMap((o) =>
              reports.flatMap((r) =>
                secretsIn(o.response.text, r.secrets).map(
                  (secret) => `${secret} in ${o.request.url.slice(0, 80)}`
                )
              )
            )
            expect(leaks.slice(0, 10)).toEqual([])
            for (const key of ["first_name", "last_name", "email", "phone", "contact"]) {
              expect(
                outcomes.filter(
                  (o) => o.response.text.includes(`"${key}"`) || o.response.text.includes(`<${key}>`)
                ).length
              ).toBe(0)
            }
          }),
        { timeout: 30_000 }
      )

      it.effect(
        "regression: adversarial descriptions of 1 MB stored by older versions froze requests/{id}, requests.json and updates (the old scrub backtracked quadratically: 80,000 characters took ~28 s, 64 MB over 10 minutes); now answered, scrubbed and cut to 4,000 characters",
        () =>
          Effect.gen(function* () {
            const base = yield* baseOf
            const sql = yield* SqlClient.SqlClient
            const MB = 1 << 20
            const units = [
              "a",
              "a.",
              "1",
              "1-",
              "0871-",
              "wang.li.qq.com ",
              "13812345678，",
              "a@",
              "１\u200B"
            ]
            const stored: Array<{ readonly id: string; readonly description: string }> = []
            for (const unit of units) {
              const created = yield* post(base, "requests.json", form(report))
              expect(created.status).toBe(201)
              const id = idOf(created)
              // what an older version stored: the same event, with a description of 1 MB
              const rows = yield* sql<{ readonly payload: string }>`
                SELECT payload FROM cg_case_events WHERE case_id = ${id} AND tag = 'Reported'`
              const payload: unknown = JSON.parse(rows[0]?.payload ?? "{}")
              const description = unit.repeat(Math.ceil(MB / unit.length)).trim()
              expect(typeof payload === "object" && payload !== null && "description" in payload).toBe(true)
              yield* sql`UPDATE cg_case_events SET payload = ${JSON.stringify({ ...Object(payload), description })}
                WHERE case_id = ${id} AND tag = 'Reported'`
              stored.push({ id, description })
            }
            for (const { id, description } of stored) {
              const json = yield* get(base, `requests/${enc(id)}.json`)
              expect([id, json.status]).toEqual([id, 200])
              const parsed = readJson(json.text)
              const shown: unknown =
                typeof parsed === "string" || !Array.isArray(parsed.value) ? undefined : parsed.value[0]
              const published = Privacy.publicText(description, Text.limits.description)
              expect(published.length).toBeLessThanOrEqual(Text.limits.description)
              expect([id, shown]).toMatchObject([id, { description: published }])
              const xml = yield* get(base, `requests/${enc(id)}.xml`)
              expect([id, xml.status]).toEqual([id, 200])
              expect(json.text).not.toContain("1234-5678")
            }
            const ids = stored.map((s) => s.id).join(",")
            for (const path of [
              `requests.json?service_request_id=${ids}`,
              `requests.xml?service_request_id=${ids}`,
              "requests.json",
              `servicerequestupdates.json?service_request_id=${ids}`
            ]) {
              const reply = yield* get(base, path)
              expect([path, reply.status]).toEqual([path, 200])
              expect(reply.text.length).toBeLessThan(
                stored.length * 2 * Text.limits.description * 4 + 200_000
              )
            }
          }).pipe(Effect.orDie),
        { timeout: 60_000 }
      )

      it.effect(
        "regression: a NUL in a request id, a token or an id list was a 500 on PostgreSQL (the database refuses NUL in text); now not found",
        () =>
          Effect.gen(function* () {
            const base = yield* baseOf
            const before = yield* rowCounts
            for (const format of ["json", "xml"] as const) {
              for (const path of ["requests/a%00b", "requests/%00", "tokens/a%00b", "tokens/%00"]) {
                const reply = yield* get(base, `${path}.${format}`)
                expect([path, reply.status]).toEqual([path, 404])
              }
              for (const path of ["requests", "servicerequestupdates"]) {
                const reply = yield* get(base, `${path}.${format}?service_request_id=a%00b,%00`)
                expect([path, reply.status]).toEqual([path, 200])
              }
            }
            const listed = yield* get(base, "requests.json?service_request_id=a%00b,%00")
            expect(JSON.parse(listed.text)).toEqual([])
            expect(yield* rowCounts).toEqual(before)
          })
      )

      it.effect(
        "regression: an undecodable path (%ZZ, %FF, a truncated sequence) or a method the router does not know got the server's bare empty 404; now an Open311 error in the asked format",
        () =>
          Effect.gen(function* () {
            const base = yield* baseOf
            const outcomes = yield* Effect.promise(() =>
              sendAll(base, [
                { method: "GET", url: `${V2}/requests/%E0%A4%A.json` },
                { method: "GET", url: `${V2}/requests/%ZZ.xml` },
                { method: "GET", url: `${V2}/tokens/%FF.xml?jurisdiction_id=x` },
                { method: "POST", url: `${V2}/requests%C0.json`, headers: FORM, body: form(report) },
                { method: "QUERY", url: `${V2}/requests.xml` },
                { method: "GET", url: `${V2}/requests/.xml` }
              ])
            )
            expect(outcomes.map((o) => o.response.status)).toEqual([400, 400, 400, 400, 404, 404])
            for (const o of outcomes) {
              const format = formatOf(o.request.url)
              expect([o.request.url, o.response.headers["content-type"]?.split(";")[0]]).toEqual([
                o.request.url,
                format === "json" ? "application/json" : "text/xml"
              ])
              if (format === "json")
                expect(
                  yield* Effect.promise(() => contractErrors("errors", JSON.parse(o.response.text)))
                ).toEqual([])
              else
                expect(parseXml(o.response.text)).toMatchObject({
                  name: "errors",
                  children: [{ name: "error" }]
                })
            }
            // outside the mount the server's own answer stays
            const elsewhere = yield* Effect.promise(() =>
              sendAll(base, [{ method: "GET", url: "/open311/v3/%ZZ.json" }])
            )
            expect(elsewhere[0]?.response.status).toBe(404)
            expect(elsewhere[0]?.response.text).toBe("")
          })
      )

      it.effect(
        "regression: a form sent under another content type (or none) was read as a form and stored; now a 415 (403 without a key in the query) and nothing is written",
        () =>
          Effect.gen(function* () {
            const base = yield* baseOf
            const before = yield* rowCounts
            const asJson = yield* post(base, `requests.json?api_key=${KEY}`, form(report), {
              "content-type": "application/json"
            })
            expect(asJson.status).toBe(415)
            expect(JSON.parse(asJson.text)).toMatchObject([
              { code: 415, description: expect.stringMatching(/^body:/) }
            ])
            const untyped = yield* post(base, "requests.xml", new TextEncoder().encode(form(report)), {})
            expect(untyped.status).toBe(403)
            const multipart = yield* post(base, `requests.xml?api_key=${KEY}`, form(report), {
              "content-type": "multipart/form-data; boundary=x"
            })
            expect(multipart.status).toBe(415)
            expect(parseXml(multipart.text)).toMatchObject({
              name: "errors",
              children: [{ name: "error", children: [{ name: "code", text: "415" }, {}] }]
            })
            expect(yield* rowCounts).toEqual(before)
            // the same form, typed as a form (parameters may be given), is a report
            const typed = yield* post(base, "requests.json", form(report), {
              "content-type": "Application/X-WWW-Form-URLEncoded; charset=UTF-8"
            })
            expect(typed.status).toBe(201)
          })
      )

      it.effect(
        "regression: a body over 256 KiB reset the connection (no answer at all); now a 413 error array, unread",
        () =>
          Effect.gen(function* () {
            const base = yield* baseOf
            const before = yield* rowCounts
            for (const format of ["json", "xml"] as const) {
              const huge = yield* post(
                base,
                `requests.${format}`,
                `${form(report)}&description=${"x".repeat(1_048_576)}`
              )
              expect(huge.status).toBe(413)
              if (format === "json") expect(JSON.parse(huge.text)).toMatchObject([{ code: 413 }])
              else expect(parseXml(huge.text)).toMatchObject({ name: "errors" })
            }
            expect(yield* rowCounts).toEqual(before)
          })
      )

      it.effect(
        "regression: discovery echoed any Host header into its url; now only a well-formed host (raw requests fetch would not send; Node itself refuses raw bytes in the request line)",
        () =>
          Effect.gen(function* () {
            const port = yield* serverPort
            const raw = (head: Uint8Array | string) =>
              Effect.promise(() =>
                sendBytes(port, typeof head === "string" ? new TextEncoder().encode(head) : head)
              )
            const urlOf = (reply: string): string | undefined => {
              const document = parseXml(reply.slice(reply.indexOf("\r\n\r\n") + 4))
              const endpoint = document.children.find((c) => c.name === "endpoints")?.children[0]
              return endpoint?.children.find((c) => c.name === "url")?.text
            }
            for (const host of [
              'evil.example"><x>',
              "evil.example/phish?",
              "a b",
              "&amp;",
              `${"h".repeat(300)}.example`
            ]) {
              const reply = yield* raw(
                `GET ${V2}/discovery.xml HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`
              )
              expect([host, statusOfRaw(reply)]).toEqual([host, 200])
              expect([host, urlOf(reply)]).toEqual([host, V2])
            }
            const good = yield* raw(
              `GET ${V2}/discovery.xml HTTP/1.1\r\nHost: civic.example:8080\r\nConnection: close\r\n\r\n`
            )
            expect(urlOf(good)).toBe(`http://civic.example:8080${V2}`)
            // raw invalid UTF-8 in the request line never reaches a handler: Node's parser answers 400
            const before = yield* rowCounts
            const bytes = new Uint8Array([
              ...new TextEncoder().encode(`POST ${V2}/requests`),
              0xff,
              0xc3,
              0x28,
              ...new TextEncoder().encode(
                `.json HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form(report).length}\r\nConnection: close\r\n\r\n${form(report)}`
              )
            ])
            expect(statusOfRaw(yield* raw(bytes))).toBe(400)
            expect(yield* rowCounts).toEqual(before)
          })
      )

      it.effect(
        "regression: years 0000–0099 were read as 1900–1999 (Date.UTC), so a window from 0099 to 2000 passed as 31 days and 0000-02-29 was refused",
        () =>
          Effect.gen(function* () {
            const base = yield* baseOf
            const short = yield* get(
              base,
              "requests.json?start_date=0099-12-01T00:00:00Z&end_date=0100-01-01T00:00:00Z"
            )
            expect(short.status).toBe(200)
            const leap = yield* get(
              base,
              "servicerequestupdates.xml?start_date=0000-02-29&end_date=0000-03-01"
            )
            expect(leap.status).toBe(200)
            for (const year of fc.sample(fc.integer({ min: 0, max: 99 }), { numRuns: 20, seed: 99 })) {
              const yyyy = String(year).padStart(4, "0")
              const wide = yield* get(
                base,
                `requests.json?start_date=${yyyy}-12-01T00:00:00Z&end_date=2000-01-01T00:00:00Z`
              )
              expect([yyyy, wide.status]).toEqual([yyyy, 400])
              expect(JSON.parse(wide.text)).toMatchObject([
                { description: expect.stringMatching(/^end_date:/) }
              ])
            }
          })
      )
    }
  )
}
