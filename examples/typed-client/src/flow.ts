/**
 * 案件闭环（客户端） — one case walked through the six-step closed loop over HTTP with
 * the typed client derived from the contract (`HttpApiClient.make(Api)`): 采集上报
 * → 立案 → 指挥派遣 → 处理反馈 → 任务核查 → 考核评价, each step acted by the role
 * the core's rules require, each step printed.
 *
 * Along the way it shows the API's typed errors, caught by tag with
 * `Effect.catchTags` — no status codes, no JSON parsing:
 *
 * - the report is sent twice with the same `Idempotency-Key`: the second
 *   answer is the same case (`replayed`), not a new one;
 * - the dispatch is first sent with a stale `expectedVersion` (the version read
 *   before the acceptance): `Conflict` (409) carries the case's current
 *   version, and the client retries with it;
 * - the department tries to verify its own work: `Refused` (422) names the
 *   rule (only the owning tier's staff verifies);
 * - a resident asks for the case they did not report: `NotFound` (404), the
 *   same answer as for an id that does not exist.
 *
 * `run` needs only an `HttpClient` and the tokens, so the tests run it against
 * an in-process server and `main.ts` against `npm start`'s street-office
 * server.
 *
 * @since 0.1.0
 */

import { DepartmentId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId } from "@civicgrid/core/CaseCategory"
import { type Unit, UnitId } from "@civicgrid/core/Unit"
import { Api, type ApiClient, type ReportBody } from "@civicgrid/http/Api"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

// -----------------------------------------------------------------------------
// configuration
// -----------------------------------------------------------------------------

/**
 * 令牌 — the bearer tokens of the four roles the loop needs: the reporter (a
 * grid worker, a resident …), the community staff (立案, 派遣, 核查, 回访),
 * the department the case is dispatched to (处置), and a resident who did not
 * report the case.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tokens {
  readonly reporter: string
  readonly communityStaff: string
  readonly department: string
  readonly resident: string
}

/**
 * The demo tokens the street-office server (`npm start`) prints.
 *
 * @since 0.1.0
 * @category constants
 */
export const demoTokens: Tokens = {
  reporter: "demo-grid-worker",
  communityStaff: "demo-community-staff",
  department: "demo-department",
  resident: "demo-resident"
}

/**
 * 环境变量 — the tokens from the environment: `CIVICGRID_TOKEN` (the
 * reporter), `CIVICGRID_STAFF_TOKEN`, `CIVICGRID_DEPARTMENT_TOKEN`,
 * `CIVICGRID_RESIDENT_TOKEN`; each defaults to its demo token.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tokensFromEnv = (env: Readonly<Record<string, string | undefined>>): Tokens => ({
  reporter: env["CIVICGRID_TOKEN"] || demoTokens.reporter,
  communityStaff: env["CIVICGRID_STAFF_TOKEN"] || demoTokens.communityStaff,
  department: env["CIVICGRID_DEPARTMENT_TOKEN"] || demoTokens.department,
  resident: env["CIVICGRID_RESIDENT_TOKEN"] || demoTokens.resident
})

/**
 * Options of the loop: the tokens, the report's `Idempotency-Key`, the 小类
 * (default `BJ-0102` 污水井盖) and the department it is dispatched to
 * (default `drainage` 排水, the demo department's), the server's base URL
 * (default: the `HttpClient`'s own), the location (default: found from the
 * reporter's and the staff's units) and where the step lines go (default
 * `console.log`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly tokens: Tokens
  readonly idempotencyKey: string
  readonly categoryId?: string
  readonly departmentId?: string
  readonly baseUrl?: string | URL
  readonly locationUnitId?: string
  readonly log?: (line: string) => void
}

// -----------------------------------------------------------------------------
// clients
// -----------------------------------------------------------------------------

/**
 * 类型化客户端 — the client of the `Api` contract acting with a bearer token.
 *
 * @since 0.1.0
 * @category constructors
 */
export const client = (
  token: string,
  baseUrl?: string | URL
): Effect.Effect<ApiClient, never, HttpClient.HttpClient> =>
  HttpApiClient.make(Api, {
    transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(token)),
    ...(baseUrl === undefined ? {} : { baseUrl })
  })

/**
 * @since 0.1.0
 * @category models
 */
export type Client = Effect.Effect.Success<ReturnType<typeof client>>

// -----------------------------------------------------------------------------
// the loop
// -----------------------------------------------------------------------------

/**
 * 无处上报 — no unit is visible to both the reporter and the community staff
 * (the tokens belong to different communities).
 *
 * @since 0.1.0
 * @category errors
 */
export class NoCommonLocation extends Schema.TaggedError<NoCommonLocation>()("NoCommonLocation", {
  message: Schema.String
}) {}

/**
 * 步骤 — one step the loop ran: its name, the case's version and status after it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Step {
  readonly step: string
  readonly version: number
  readonly status: Case.Status
}

/**
 * 冲突 — the stale version sent and the current version the server answered with.
 *
 * @since 0.1.0
 * @category models
 */
export interface Conflicted {
  readonly expectedVersion: number
  readonly currentVersion: number
}

/**
 * 结果 — what the loop did: the case, where it was reported, every step, the
 * replayed report, the conflict it recovered from, the refusal it met, whether
 * the resident was told `NotFound`, and the case's final status and history.
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  readonly caseId: string
  readonly locationUnitId: string
  readonly steps: ReadonlyArray<Step>
  readonly replay: { readonly caseId: string; readonly replayed: boolean; readonly version: number }
  readonly conflict: Option.Option<Conflicted>
  readonly refusal: Option.Option<{ readonly command: string; readonly rule: string }>
  readonly hiddenFromResident: boolean
  readonly finalStatus: Case.Status
  readonly history: ReadonlyArray<string>
}

const status = (s: Case.Status): string => `${Case.statusNames[s]} ${s}`

/** The location: a building (else the deepest unit) both the reporter and the staff see. */
const findLocation = (reporter: Client, staff: Client) =>
  Effect.gen(function* () {
    const staffUnits = yield* staff.hierarchy.units()
    // a resident has no jurisdiction (NotFound): a resident may report anywhere
    const reporterUnits = yield* reporter.hierarchy.units().pipe(
      Effect.map(Option.some),
      Effect.catchTag("NotFound", () => Effect.succeed(Option.none<ReadonlyArray<Unit>>()))
    )
    const seen = Option.match(reporterUnits, {
      onNone: () => staffUnits,
      onSome: (units) => {
        const ids = new Set(units.map((u) => u.id))
        return staffUnits.filter((u) => ids.has(u.id))
      }
    })
    const pick =
      seen.find((u) => u.level === "building") ?? seen.find((u) => u.level === "compound") ?? seen[0]
    if (pick === undefined) {
      return yield* new NoCommonLocation({
        message:
          "无共同辖区 the reporter and the community staff see no common unit: use tokens of the same community"
      })
    }
    return pick
  })

/**
 * 走完闭环 — reports a case and walks it through the loop (see the module
 * note); fails on anything not part of the demonstration (an unknown token
 * is `Unauthorized`, a server that cannot be reached an `HttpClientError`).
 *
 * @since 0.1.0
 * @category program
 */
export const run = (options: Options) =>
  Effect.gen(function* () {
    const log = options.log ?? ((line: string) => console.log(line))
    const { tokens, baseUrl } = options
    const reporter = yield* client(tokens.reporter, baseUrl)
    const staff = yield* client(tokens.communityStaff, baseUrl)
    const department = yield* client(tokens.department, baseUrl)
    const resident = yield* client(tokens.resident, baseUrl)
    const departmentId = DepartmentId.make(options.departmentId ?? "drainage")
    const steps: Array<Step> = []
    const record = (step: string, result: { readonly version: number; readonly status: Case.Status }) => {
      steps.push({ step, version: result.version, status: result.status })
      log(`   → v${result.version} ${status(result.status)}`)
    }

    // where: a unit both the reporter and the community staff see
    const locationUnitId =
      options.locationUnitId ??
      (yield* findLocation(reporter, staff).pipe(
        Effect.tap((unit) =>
          Effect.sync(() => log(`上报地点 location: ${unit.name} (${unit.id}, ${unit.level})`))
        )
      )).id

    // ① 采集上报 — with an Idempotency-Key; sent twice, it gives one case
    const headers = { "idempotency-key": options.idempotencyKey }
    const payload: ReportBody = {
      categoryId: CategoryId.make(options.categoryId ?? "BJ-0102"),
      urgency: "normal",
      description: "小区门口污水井盖破损，存在安全隐患 (typed-client example)",
      location: { unitId: UnitId.make(locationUnitId) }
    }
    log(`① 采集上报 report — POST /cases, Idempotency-Key: ${options.idempotencyKey}`)
    const reported = yield* reporter.cases.report({ headers, payload })
    const caseId = reported.caseId
    const path = { caseId }
    log(`   → case ${caseId}`)
    record("report", reported)
    const replay = yield* reporter.cases.report({ headers, payload })
    log(
      `   重复上报 the same key again → ${replay.caseId === caseId ? "the same case" : "ANOTHER case"} ${replay.caseId}, replayed=${replay.replayed}, v${replay.version}`
    )

    // ② 立案 — the community staff accepts the version it read
    log(`② 立案 accept — community staff, expectedVersion ${reported.version}`)
    const accepted = yield* staff.cases.accept({ path, payload: { expectedVersion: reported.version } })
    record("accept", accepted)

    // ③ 指挥派遣 — first with the version read before the acceptance: 409, then with the current one
    const target = { _tag: "Department", departmentId } as const
    log(`③ 指挥派遣 dispatch to department ${departmentId} — expectedVersion ${reported.version} (stale)`)
    const { dispatched, conflict } = yield* staff.cases
      .dispatch({ path, payload: { target, expectedVersion: reported.version } })
      .pipe(
        Effect.map((dispatched) => ({ dispatched, conflict: Option.none<Conflicted>() })),
        Effect.catchTags({
          Conflict: (e) => {
            log(`   ✗ 409 Conflict: the case is at version ${e.currentVersion} — retrying with it`)
            return staff.cases
              .dispatch({ path, payload: { target, expectedVersion: e.currentVersion } })
              .pipe(
                Effect.map((dispatched) => ({
                  dispatched,
                  conflict: Option.some<Conflicted>({
                    expectedVersion: e.expectedVersion,
                    currentVersion: e.currentVersion
                  })
                }))
              )
          }
        })
      )
    record("dispatch", dispatched)

    // ④ 处理反馈 — the department handles it
    log(`④ 处理反馈 handle — department ${departmentId}, with evidence`)
    const handled = yield* department.cases.handle({
      path,
      payload: {
        result: "已更换井盖并设置警示标志",
        evidence: [`photo://${caseId}/before.jpg`, `photo://${caseId}/after.jpg`],
        expectedVersion: dispatched.version
      }
    })
    record("handle", handled)

    // the department may not verify its own work: 422 names the rule
    log("   the department tries to verify its own work")
    const refusal = yield* department.cases.verify({ path, payload: { outcome: "pass" } }).pipe(
      Effect.map(() => Option.none<{ readonly command: string; readonly rule: string }>()),
      Effect.catchTags({
        Refused: (e) =>
          Effect.sync(() => {
            log(`   ✗ 422 Refused [${e.rule}]: ${e.violations.map((v) => v.message).join("; ")}`)
            return Option.some({ command: e.command, rule: e.rule })
          })
      })
    )

    // ⑤ 任务核查 → 结案归档 — the community staff verifies on site; a pass closes the case
    log("⑤ 任务核查 verify — community staff, on site: pass (closes the case)")
    const verified = yield* staff.cases.verify({
      path,
      payload: { outcome: "pass", expectedVersion: handled.version }
    })
    record("verify", verified)

    // ⑥ 考核评价 — the return visit
    log("⑥ 考核评价 evaluate — return visit: 满意 satisfied")
    const evaluated = yield* staff.cases.evaluate({
      path,
      payload: { rating: "satisfied", expectedVersion: verified.version }
    })
    record("evaluate", evaluated)

    // a resident who did not report it cannot see it — the same 404 as an unknown id
    log(`   a resident asks for case ${caseId}`)
    const hiddenFromResident = yield* resident.cases.get({ path, urlParams: {} }).pipe(
      Effect.tap(() => Effect.sync(() => log("   → 200: visible — this resident reported the case"))),
      Effect.as(false),
      Effect.catchTags({
        NotFound: (e) =>
          Effect.sync(() => {
            log(`   ✗ 404 NotFound: ${e.message}`)
            return true
          })
      })
    )

    const view = yield* staff.cases.get({ path, urlParams: {} })
    const history = (yield* staff.cases.events({ path })).map((e) => e._tag)
    log(`历史 history (v${view.summary.version}): ${history.join(" → ")}`)
    log(`结果 result: case ${caseId} ${status(view.summary.status)}`)
    const outcome: Outcome = {
      caseId,
      locationUnitId,
      steps,
      replay: { caseId: replay.caseId, replayed: replay.replayed, version: replay.version },
      conflict,
      refusal,
      hiddenFromResident,
      finalStatus: view.summary.status,
      history
    }
    return outcome
  })

/**
 * 失败说明 — a readable line for any failure of `run`.
 *
 * @since 0.1.0
 * @category program
 */
export const describeFailure = (error: { readonly _tag: string; readonly message: string }): string => {
  switch (error._tag) {
    case "Unauthorized":
      return `401 未认证 Unauthorized: a token was not accepted (${error.message})`
    case "RequestError":
      return `无法连接 cannot reach the server: ${error.message} — start it with \`npm start\` (street-office) or set CIVICGRID_API_URL`
    default:
      return `${error._tag}: ${error.message}`
  }
}
