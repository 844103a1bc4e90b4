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
 * - `BENCH_ROUNDS` (default 3) interleaved rounds; per figure min / median / max; the server
 *   CPU per request (user + system from `/proc/<pid>/stat`) besides requests/s.
 * - Printed: requests/s (mean of the per-second samples), p50 and p99
 *   latency, errors (socket errors and timeouts) and non-2xx responses, and
 *   the ratio civicgrid/bare of requests/s and of p99.
 * - Everything runs on the workspace sources (`--conditions=@civicgrid/source`,
 *   as `index.ts` and the tests do), not on `dist/`.
 * - `BENCH_CPU_PROF=<dir>`: each server writes a V8 CPU profile into `<dir>`.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
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
import * as TimeLimit from "@civicgrid/core/TimeLimit"
import * as Unit from "@civicgrid/core/Unit"
import * as WorkingCalendar from "@civicgrid/core/WorkingCalendar"
import * as Migrations from "@civicgrid/sql/Migrations"
import * as SqlApiKeys from "@civicgrid/sql/SqlApiKeys"
import * as SqlCaseRepository from "@civicgrid/sql/SqlCaseRepository"
import * as SqlHierarchyRepository from "@civicgrid/sql/SqlHierarchyRepository"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import autocannon, { type Request, type Result } from "autocannon"
import Database from "better-sqlite3"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

export const CASES = 10_000
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
/** Interleaved rounds: each round runs every endpoint on every server once (min/median/max over rounds). */
const ROUNDS = positive("BENCH_ROUNDS", 3)

/** With a directory, each server writes a V8 CPU profile there when it stops (`node --cpu-prof`). */
const PROFILE_DIR = process.env["BENCH_CPU_PROF"]

/** The bearer key, issued by the SQL key store when the database is seeded. */
let TOKEN = ""
/** The bearer key issued when the database was seeded. */
export const token = (): string => TOKEN
export const DISTRICT = "bench-district"

// -----------------------------------------------------------------------------
// the database
// -----------------------------------------------------------------------------

const units: Array<Unit.Unit> = [
  Unit.make({ id: DISTRICT, parentId: null, level: "district", name: "盘龙区" })
]
export const communities: Array<Unit.UnitId> = []
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
export const categories = [CategoryId.make("SJ-0102"), CategoryId.make("SJ-0502")]
const urgencies: ReadonlyArray<Urgency> = ["normal", "urgent", "critical"]

export const caseIdOf = (i: number): string => `case-${String(i).padStart(7, "0")}`

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

export const seed = (filename: string) =>
  Effect.gen(function* () {
    yield* Migrations.run
    yield* Effect.flatMap(HierarchyRepository, (repo) => repo.save(LevelScheme.FiveLevel, units))
    const issued = yield* SqlApiKeys.issue({
      id: "bench-district-staff",
      role: "district-staff",
      unitId: DISTRICT
    })
    TOKEN = Redacted.value(issued.token)
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
      Layer.mergeAll(
        SqlCaseRepository.layer({
          timeLimits: { policy: TimeLimit.defaultPolicy, calendar: WorkingCalendar.china() }
        }),
        SqlHierarchyRepository.layer
      ).pipe(Layer.provideMerge(SqliteClient.layer({ filename })))
    ),
    Effect.orDie
  )

/** Folds the WAL into the file so a plain copy is the whole database. */
export const checkpoint = (filename: string): void => {
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

const authOf = () => ({ authorization: `Bearer ${TOKEN}` })

type Endpoint = "get" | "report"
const allKinds = ["bare", "floor-constant", "floor-sql", "civicgrid", "civicgrid-traced"] as const
type Kind = (typeof allKinds)[number]
/** `BENCH_KINDS=bare,civicgrid,…`: the servers to run (default all but `civicgrid-traced`). */
const KINDS: ReadonlyArray<Kind> = ((): ReadonlyArray<Kind> => {
  const asked = (process.env["BENCH_KINDS"] ?? "").split(",").filter((k) => k !== "")
  const chosen = allKinds.filter((k) => asked.includes(k))
  return chosen.length > 0 ? chosen : allKinds.filter((k) => k !== "civicgrid-traced")
})()

let rotation = 0
let keys = 0

const requestsOf = (endpoint: Endpoint): ReadonlyArray<Request> =>
  endpoint === "get"
    ? [
        {
          method: "GET",
          headers: authOf(),
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
                ...authOf(),
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
  /** Server CPU (user + system, from /proc) per answered request, µs. */
  readonly cpu: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly ok: number
  readonly errors: number
  readonly non2xx: number
}

/** The child's CPU time so far (user + system), in µs; clock ticks of 10 ms. */
const cpuOf = (pid: number | undefined): number => {
  if (pid === undefined) return 0
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

const figuresOf = (r: Result, cpu: number): Figures => ({
  cpu: cpu / Math.max(1, r.requests.total),
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
      ? await fetch(`http://127.0.0.1:${port}/cases/${caseIdOf(0)}`, { headers: authOf() })
      : await fetch(`http://127.0.0.1:${port}/cases`, {
          method: "POST",
          headers: {
            ...authOf(),
            "content-type": "application/json",
            "idempotency-key": `probe-${Date.now()}`
          },
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

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** min / median / max of one figure over the rounds. */
const spread = (xs: ReadonlyArray<number>, fmt: (n: number) => string): string =>
  `${fmt(Math.min(...xs))} / ${fmt(median(xs))} / ${fmt(Math.max(...xs))}`

const line = (label: string, fs: ReadonlyArray<Figures>): string =>
  `  ${label.padEnd(16)} req/s ${spread(
    fs.map((f) => f.rps),
    fmtInt
  ).padStart(24)}   CPU µs/req ${spread(
    fs.map((f) => f.cpu),
    fmtInt
  ).padStart(18)}   p99 ${fmtMs(median(fs.map((f) => f.p99)))}  2xx ${fmtInt(
    fs.reduce((n, f) => n + f.ok, 0)
  )}  errors ${fs.reduce((n, f) => n + f.errors, 0)}  non-2xx ${fs.reduce((n, f) => n + f.non2xx, 0)}`

const labels: Record<Kind, string> = {
  bare: "bare",
  "floor-constant": "floor-constant",
  "floor-sql": "floor-sql",
  civicgrid: "civicgrid",
  "civicgrid-traced": "civicgrid-traced"
}

const descriptions: Record<Kind, string> = {
  bare: "node:http + better-sqlite3 prepared statements, the same database work by hand",
  "floor-constant": "HttpApi (2 endpoints) on NodeHttpServer answering a constant",
  "floor-sql": "the same HttpApi doing the bare server's SQL statements through SqliteClient",
  civicgrid:
    "Server.layer + request log + SqlRepositories (time limits) + SQL key store (npm start's configuration)",
  "civicgrid-traced": "the same with a tracer configured (spans recorded in memory)"
}

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
        `${CONNECTIONS} connections, ${WARMUP} s warm-up (first round) + ${DURATION} s per run, ${ROUNDS} interleaved rounds, 127.0.0.1 only; ` +
        `load average before ${loadavg()
          .map((x) => x.toFixed(2))
          .join(" ")}`
    )
    const kinds = KINDS
    for (const kind of kinds) console.log(`  ${labels[kind].padEnd(16)} ${descriptions[kind]}`)

    const figures: Record<Endpoint, Record<Kind, Array<Figures>>> = {
      get: { bare: [], "floor-constant": [], "floor-sql": [], civicgrid: [], "civicgrid-traced": [] },
      report: { bare: [], "floor-constant": [], "floor-sql": [], civicgrid: [], "civicgrid-traced": [] }
    }
    const files = Object.fromEntries(kinds.map((kind) => [kind, join(dir, `${kind}.sqlite`)])) as Record<
      Kind,
      string
    >
    const before: Partial<Record<Kind, number>> = {}
    const running: Partial<Record<Kind, Running>> = {}
    try {
      for (const kind of kinds) {
        copyFileSync(seeded, files[kind])
        before[kind] = countCases(files[kind])
        running[kind] = await startServer(kind, files[kind])
      }
      // all servers are up (an idle one costs nothing); per round and endpoint the servers run
      // back to back, so a change in the machine's load hits all alike
      for (let round = 0; round < ROUNDS; round++) {
        for (const endpoint of ["get", "report"] as const) {
          for (const kind of kinds) {
            const server = running[kind]
            if (server === undefined) throw new Error(`${kind} server not running`)
            if (round === 0) {
              const status = await probe(server.port, endpoint)
              if (status < 200 || status > 299)
                throw new Error(`${kind} ${endpoint}: probe answered ${status}`)
              await load(server.port, endpoint, WARMUP)
            }
            const cpu0 = cpuOf(server.child.pid)
            const result = await load(server.port, endpoint, DURATION)
            figures[endpoint][kind].push(figuresOf(result, cpuOf(server.child.pid) - cpu0))
          }
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
      const f = figures[endpoint]
      console.log(`\n${titles[endpoint]}  (min / median / max over ${ROUNDS} rounds)`)
      for (const kind of kinds) console.log(line(labels[kind], f[kind]))
      const rps = (kind: Kind) => (f[kind].length === 0 ? Number.NaN : median(f[kind].map((x) => x.rps)))
      const cpu = (kind: Kind) => median(f[kind].map((x) => x.cpu))
      const ratios = kinds
        .filter((kind) => kind !== "civicgrid")
        .map(
          (kind) =>
            `vs ${labels[kind]} ${(rps("civicgrid") / rps(kind)).toFixed(2)}× req/s, ${(cpu("civicgrid") / Math.max(cpu(kind), 1)).toFixed(2)}× CPU`
        )
      console.log(`  civicgrid (medians): ${ratios.join("; ")}`)
      summary.push(
        `${endpoint === "get" ? "GET /cases/{id}" : "POST /cases"}: civicgrid ${fmtInt(rps("civicgrid"))} req/s ${fmtInt(cpu("civicgrid"))} µs CPU/req; bare ${fmtInt(rps("bare"))} req/s ${fmtInt(cpu("bare"))} µs; floor-sql ${fmtInt(rps("floor-sql"))} req/s ${fmtInt(cpu("floor-sql"))} µs; floor-constant ${fmtInt(rps("floor-constant"))} req/s ${fmtInt(cpu("floor-constant"))} µs; ratio ${(rps("civicgrid") / rps("bare")).toFixed(2)}× bare`
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
