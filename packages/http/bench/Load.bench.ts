/**
 * 负载 — HTTP load on the civicgrid server against a bare `node:http` server
 * doing the same database work, in the same run (issue 6 "Tests and
 * benchmarks": `GET /cases/{id}` and `POST` report, requests per second and
 * p99 latency, and the ratio).
 *
 * - One SQLite FILE database in a temp dir: migrated (`Migrations.run`), a
 *   small hierarchy saved (`HierarchyRepository.save`: a district, 2 streets,
 *   8 communities, a compound in each), and 10,000 reported cases appended
 *   through `SqlCaseRepository.appendAll` (batches of 1,000). The WAL is
 *   checkpointed and the file copied, so each server gets an identical copy
 *   (the POST runs of one do not grow the other's tables).
 * - Each server runs in its own child process (`bench/server.ts`), autocannon
 *   in this process: on a 2-core machine the server and the load generator
 *   get a core each, so the figures are the server's and not the generator's.
 *   (a) civicgrid: `Server.layer()` + `SqlRepositories.layer()` + `NodeHttpServer` + `SqliteClient`, the
 *   in-memory `TokenVerifier` with one district-staff token; (b) bare:
 *   `node:http` + `better-sqlite3` prepared statements (see `server.ts`).
 * - Both servers run at once; per endpoint, bare then civicgrid back to back
 *   (so a change in the machine's load hits both alike): a warm-up run
 *   (discarded), then a timed run of
 *   `BENCH_DURATION` seconds (default 10) with `BENCH_CONNECTIONS` connections
 *   (default 10), only against 127.0.0.1. `GET /cases/{id}` rotates over the
 *   10,000 seeded ids; `POST /cases` sends a report with a unique
 *   `Idempotency-Key` per request.
 * - Printed: requests/s (mean of the per-second samples), p50 and p99
 *   latency, errors (socket errors and timeouts) and non-2xx responses, and
 *   the ratio civicgrid/bare of requests/s and of p99.
 * - Everything runs on the workspace sources (`--conditions=@civicgrid/source`,
 *   as `index.ts` and the tests do), not on `dist/`.
 * - `BENCH_CPU_PROF=<dir>`: each server writes a V8 CPU profile into `<dir>`.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { copyFileSync, mkdtempSync, rmSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { type Actor, ActorId } from "@civicgrid/core/Actor"
import * as Case from "@civicgrid/core/Case"
import { CategoryId, type Urgency } from "@civicgrid/core/CaseCategory"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import { CaseRepository } from "@civicgrid/core/CaseRepository"
import { HierarchyRepository } from "@civicgrid/core/HierarchyRepository"
import * as LevelScheme from "@civicgrid/core/LevelScheme"
import * as Unit from "@civicgrid/core/Unit"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlCaseRepository from "@civicgrid/sql/SqlCaseRepository"
import * as SqlHierarchyRepository from "@civicgrid/sql/SqlHierarchyRepository"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import autocannon, { type Request, type Result } from "autocannon"
import Database from "better-sqlite3"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"

const CASES = 10_000
const BATCH = 1_000
const MINUTE = 60_000
const T0 = Date.UTC(2025, 0, 2, 0, 0)

const positive = (name: string, fallback: number): number => {
  const raw = Number(process.env[name])
  return Number.isFinite(raw) && raw > 0 ? raw : fallback
}
const DURATION = positive("BENCH_DURATION", 10)
const WARMUP = positive("BENCH_WARMUP", 3)
const CONNECTIONS = positive("BENCH_CONNECTIONS", 10)

/** With a directory, each server writes a V8 CPU profile there when it stops (`node --cpu-prof`). */
const PROFILE_DIR = process.env["BENCH_CPU_PROF"]

const TOKEN = "bench-token-district-staff"
const DISTRICT = "bench-district"

// -----------------------------------------------------------------------------
// the database
// -----------------------------------------------------------------------------

const units: Array<Unit.Unit> = [
  Unit.make({ id: DISTRICT, parentId: null, level: "district", name: "盘龙区" })
]
const communities: Array<Unit.UnitId> = []
for (let s = 0; s < 2; s++) {
  const street = `bench-s${s}`
  units.push(Unit.make({ id: street, parentId: DISTRICT, level: "street", name: `街道${s}` }))
  for (let c = 0; c < 4; c++) {
    const community = `${street}-c${c}`
    units.push(Unit.make({ id: community, parentId: street, level: "community", name: `社区${s}-${c}` }))
    units.push(
      Unit.make({ id: `${community}-k0`, parentId: community, level: "compound", name: `小区${s}-${c}` })
    )
    communities.push(Unit.UnitId.make(community))
  }
}
// 暴露垃圾 and 占道经营 of the standard catalogue (reports are placed with it)
const categories = [CategoryId.make("SJ-0102"), CategoryId.make("SJ-0502")]
const urgencies: ReadonlyArray<Urgency> = ["normal", "urgent", "critical"]

const caseIdOf = (i: number): string => `case-${String(i).padStart(7, "0")}`

/** The `Reported` event of seeded case `i` (decided by the core, as the API would). */
const reported = (i: number): ReadonlyArray<CaseEvent> => {
  const community = communities[i % communities.length] ?? Unit.UnitId.make(DISTRICT)
  const actor: Actor = { id: ActorId.make(`gw-${community}`), role: "grid-worker", unitId: community }
  return Either.getOrThrow(
    Case.decide(
      {
        _tag: "Report",
        caseId: Case.CaseId.make(caseIdOf(i)),
        actor,
        at: DateTime.unsafeMake(T0 + Math.floor((i * 360 * 24 * 60) / CASES) * MINUTE),
        source: "patrol",
        categoryId: categories[i % categories.length] ?? CategoryId.make("SJ-0102"),
        urgency: urgencies[i % urgencies.length] ?? "normal",
        description: "楼道堆放杂物",
        location: { unitId: community },
        communityId: community,
        tier: "community",
        ownerUnitId: community,
        anonymous: false,
        contact: { name: "张三", phone: "13812341234" },
        attributes: {}
      },
      Case.initial
    )
  )
}

const seed = (filename: string) =>
  Effect.gen(function* () {
    yield* Migrations.run
    yield* Effect.flatMap(HierarchyRepository, (repo) => repo.save(LevelScheme.FiveLevel, units))
    const repo = yield* CaseRepository
    for (let k = 0; k < CASES; k += BATCH) {
      const batch = []
      for (let i = k; i < Math.min(CASES, k + BATCH); i++) {
        batch.push({ caseId: Case.CaseId.make(caseIdOf(i)), expectedVersion: 0, events: reported(i) })
      }
      yield* repo.appendAll(batch)
    }
  }).pipe(
    Effect.provide(
      Layer.mergeAll(SqlCaseRepository.layer(), SqlHierarchyRepository.layer).pipe(
        Layer.provideMerge(SqliteClient.layer({ filename }))
      )
    ),
    Effect.orDie
  )

/** Folds the WAL into the file so a plain copy is the whole database. */
const checkpoint = (filename: string): void => {
  const db = new Database(filename)
  db.pragma("wal_checkpoint(TRUNCATE)")
  db.close()
}

const countCases = (filename: string): number => {
  const db = new Database(filename)
  const row = db.prepare("SELECT COUNT(*) AS n FROM cg_cases").get()
  db.close()
  return Number(row?.["n"] ?? 0)
}

// -----------------------------------------------------------------------------
// the servers (child processes)
// -----------------------------------------------------------------------------

interface Running {
  readonly child: ChildProcess
  readonly port: number
}

const serverScript = join(dirname(fileURLToPath(import.meta.url)), "server.ts")

const startServer = (kind: Kind, filename: string): Promise<Running> =>
  new Promise((resolve, reject) => {
    const profile = PROFILE_DIR === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`]
    const child = spawn(
      process.execPath,
      [
        ...profile,
        "--conditions=@civicgrid/source",
        "--import",
        "tsx",
        serverScript,
        kind,
        filename,
        TOKEN,
        DISTRICT
      ],
      {
        stdio: ["ignore", "pipe", "inherit"]
      }
    )
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`${kind} server did not start within 60 s`))
    }, 60_000)
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`${kind} server exited with ${String(code)} before listening`))
    })
    if (child.stdout === null) return reject(new Error("no stdout"))
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /^listening (\d+)$/.exec(line)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        child.removeAllListeners("exit")
        resolve({ child, port: Number(match[1]) })
      } else {
        // anything else the server prints (Effect's logger writes to stdout)
        process.stderr.write(`  [${kind} server] ${line}\n`)
      }
    })
  })

const stopServer = (running: Running): Promise<void> =>
  new Promise((resolve) => {
    if (running.child.exitCode !== null) return resolve()
    const timer = setTimeout(() => running.child.kill("SIGKILL"), 5_000)
    running.child.once("exit", () => {
      clearTimeout(timer)
      resolve()
    })
    running.child.kill("SIGTERM")
  })

// -----------------------------------------------------------------------------
// the load
// -----------------------------------------------------------------------------

const auth = { authorization: `Bearer ${TOKEN}` }

type Endpoint = "get" | "report"
type Kind = "bare" | "civicgrid"

let rotation = 0
let keys = 0

const requestsOf = (endpoint: Endpoint): ReadonlyArray<Request> =>
  endpoint === "get"
    ? [
        {
          method: "GET",
          headers: auth,
          setupRequest: (request) => {
            const i = rotation++ % CASES
            return { ...request, path: `/cases/${caseIdOf(i)}` }
          }
        }
      ]
    : [
        {
          method: "POST",
          path: "/cases",
          setupRequest: (request) => {
            const n = keys++
            const community = communities[n % communities.length] ?? DISTRICT
            return {
              ...request,
              headers: {
                ...auth,
                "content-type": "application/json",
                "idempotency-key": `bench-${process.pid}-${n}`
              },
              body: JSON.stringify({
                categoryId: categories[n % categories.length],
                urgency: "normal",
                description: "金沙苑 3 栋旁垃圾堆放",
                location: { unitId: community },
                contact: { name: "李四", phone: "13900001111" }
              })
            }
          }
        }
      ]

const load = (port: number, endpoint: Endpoint, seconds: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: requestsOf(endpoint)
  })

interface Figures {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly ok: number
  readonly errors: number
  readonly non2xx: number
}

const figuresOf = (r: Result): Figures => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  ok: r["2xx"],
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx
})

/** One probe before the load: the server answers the endpoint with a 2xx (else the figures would be of errors). */
const probe = async (port: number, endpoint: Endpoint): Promise<number> => {
  const response =
    endpoint === "get"
      ? await fetch(`http://127.0.0.1:${port}/cases/${caseIdOf(0)}`, { headers: auth })
      : await fetch(`http://127.0.0.1:${port}/cases`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json", "idempotency-key": `probe-${Date.now()}` },
          body: JSON.stringify({
            categoryId: categories[0],
            urgency: "normal",
            description: "probe",
            location: { unitId: communities[0] }
          })
        })
  await response.arrayBuffer()
  return response.status
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString("en-US")
const fmtMs = (n: number): string => `${n.toFixed(1)} ms`

const line = (label: string, f: Figures): string =>
  `  ${label.padEnd(58)} ${`${fmtInt(f.rps)} req/s`.padStart(13)}  p50 ${fmtMs(f.p50).padStart(9)}  p99 ${fmtMs(f.p99).padStart(9)}  2xx ${fmtInt(f.ok).padStart(7)}  errors ${f.errors}  non-2xx ${f.non2xx}`

const labels = {
  bare: "bare node:http + better-sqlite3",
  civicgrid: "Server.layer + SqlRepositories + NodeHttpServer + SqliteClient"
} as const

const titles: Record<Endpoint, string> = {
  get: `GET /cases/{id} — ${fmtInt(CASES)} cases, ids rotating`,
  report: "POST /cases (report) — a unique Idempotency-Key per request"
}

/** Summary lines for the runner. */
export const summary: Array<string> = []

export default async () => {
  const dir = mkdtempSync(join(tmpdir(), "civicgrid-http-bench-"))
  try {
    const seeded = join(dir, "seed.sqlite")
    const started = performance.now()
    await Effect.runPromise(seed(seeded))
    checkpoint(seeded)
    console.log(
      `\nHTTP load — seeded ${fmtInt(CASES)} cases in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
        `autocannon in this process, each server in its own child process (${cpus().length} cores); ` +
        `${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per run, 127.0.0.1 only; ` +
        `load average before ${loadavg()
          .map((x) => x.toFixed(2))
          .join(" ")}`
    )

    const kinds = ["bare", "civicgrid"] as const
    const figures: Record<Endpoint, Partial<Record<Kind, Figures>>> = { get: {}, report: {} }
    const files = { bare: join(dir, "bare.sqlite"), civicgrid: join(dir, "civicgrid.sqlite") }
    const before: Partial<Record<Kind, number>> = {}
    const running: Partial<Record<Kind, Running>> = {}
    try {
      for (const kind of kinds) {
        copyFileSync(seeded, files[kind])
        before[kind] = countCases(files[kind])
        running[kind] = await startServer(kind, files[kind])
      }
      // both servers are up (the idle one costs nothing); each endpoint's pair of
      // runs is back to back, so a change in the machine's load hits both alike
      for (const endpoint of ["get", "report"] as const) {
        for (const kind of kinds) {
          const port = running[kind]?.port
          if (port === undefined) throw new Error(`${kind} server not running`)
          const status = await probe(port, endpoint)
          if (status < 200 || status > 299) throw new Error(`${kind} ${endpoint}: probe answered ${status}`)
          await load(port, endpoint, WARMUP)
          figures[endpoint][kind] = figuresOf(await load(port, endpoint, DURATION))
        }
      }
    } finally {
      for (const kind of kinds) {
        const r = running[kind]
        if (r !== undefined) await stopServer(r)
      }
    }
    for (const kind of kinds) {
      const written = countCases(files[kind]) - (before[kind] ?? 0)
      console.log(`  (${labels[kind]}: ${fmtInt(written)} cases written, probe and warm-up included)`)
    }

    for (const endpoint of ["get", "report"] as const) {
      const { bare, civicgrid } = figures[endpoint]
      if (bare === undefined || civicgrid === undefined) continue
      const ratio = civicgrid.rps / bare.rps
      console.log(`\n${titles[endpoint]}`)
      console.log(line(`baseline  ${labels.bare}`, bare))
      console.log(line(`civicgrid ${labels.civicgrid}`, civicgrid))
      console.log(
        `  ratio     civicgrid/bare requests/s ${ratio.toFixed(2)}× ` +
          `(${ratio >= 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`}); ` +
          `p99 ${(civicgrid.p99 / Math.max(bare.p99, 0.001)).toFixed(2)}× the bare p99`
      )
      summary.push(
        `${endpoint === "get" ? "GET /cases/{id}" : "POST /cases"}: civicgrid ${fmtInt(civicgrid.rps)} req/s p99 ${fmtMs(civicgrid.p99)}, bare ${fmtInt(bare.rps)} req/s p99 ${fmtMs(bare.p99)}, ratio ${ratio.toFixed(2)}×`
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
