/**
 * 冷启动与内存 — the street-office server's cold start and idle memory on a
 * seeded SQLite file (the demo seed), against a peer measured in the same run:
 * `node:http` + `better-sqlite3` (`peer.ts`: `/health` and a case read by
 * hand, as the `bare` server of the HTTP load benchmark does).
 *
 * Each round starts each server as a fresh child process, both the same way
 * (`node --import tsx`, TypeScript sources, as `npm start` runs), and times
 * from the spawn to the first 200 on `GET /health`, polled from the spawn
 * (civicgrid's port opens only once the app is ready). Then, after one second idle,
 * the process's resident memory (VmRSS). Rounds alternate the two; the
 * median, min and max of each and the ratios of the medians are printed.
 *
 * Run: `npm run bench:start -w @civicgrid/demo` (BENCH_ROUNDS, default 3;
 * CIVICGRID_BENCH_START_DB: a seeded file to reuse, else one is seeded
 * into a temporary directory first, untimed). `BENCH_START_BEFORE=<commit>`
 * adds a third bundled contender: the workspace sources as they were at that
 * commit (each `packages/` source read with `git show`, the dependencies as
 * installed now) — a before/after in one run, interleaved.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { request } from "node:http"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import * as Effect from "effect/Effect"
import * as DatabaseModule from "../src/Database.js"
import * as Seed from "../src/Seed.js"

const root = fileURLToPath(new URL("../../..", import.meta.url))
const example = join(root, "examples/street-office")
const here = fileURLToPath(new URL("..", import.meta.url))
const peerScript = join(here, "bench/peer.ts")
const rounds = Number(process.env["BENCH_ROUNDS"] ?? 3)

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const get = (port: number, path: string, token?: string): Promise<number | "refused"> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        timeout: 30_000,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` }
      },
      (res) => {
        res.resume()
        res.on("end", () => resolve(res.statusCode ?? 0))
      }
    )
    req.on("timeout", () => req.destroy(new Error(`${path}: no answer in 30 s`)))
    req.on("error", (e: NodeJS.ErrnoException) =>
      e.code === "ECONNREFUSED" ? resolve("refused") : reject(e)
    )
    req.end()
  })

const rssMb = (pid: number): number => {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  return Number(match?.[1] ?? 0) / 1024
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.on("exit", () => resolve())
    child.kill("SIGTERM")
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref()
  })

interface Sample {
  readonly startMs: number
  readonly rssMb: number
}

/** A server started as a child process, polled from the spawn until `GET /health` answers 200. */
const timed = async (
  name: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: Record<string, string>
): Promise<Sample> => {
  const port = await freePort()
  const t0 = performance.now()
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "inherit"]
  })
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`)
      const status = await get(port, "/health")
      if (status === 200) break
      if (status !== "refused") throw new Error(`${name}: first answer ${status}, not 200`)
      await sleep(2)
    }
    const startMs = performance.now() - t0
    await sleep(1_000)
    return { startMs, rssMb: rssMb(child.pid ?? 0) }
  } finally {
    await stop(child)
  }
}

/**
 * Both servers bundled into one ES module each (esbuild, TypeScript sources,
 * every dependency but the native ones inlined) under `build/bench-start`,
 * run by plain node: what a production build starts like.
 */
const bundle = async (
  before: string | undefined
): Promise<{ readonly civicgrid: string; readonly peer: string; readonly before?: string }> => {
  const esbuild = await import("esbuild")
  const out = join(here, "build/bench-start")
  const common = {
    bundle: true,
    platform: "node",
    format: "esm",
    conditions: ["@civicgrid/source"],
    external: ["better-sqlite3", "pg", "pg-native", "bufferutil", "utf-8-validate", "@effect/sql-pg"],
    logLevel: "error",
    // bundled CommonJS dependencies call require
    banner: {
      js: 'import { createRequire as __cgRequire } from "node:module"; const require = __cgRequire(import.meta.url);'
    }
  } as const
  const civicgrid = join(out, "street-office.mjs")
  const peer = join(out, "peer.mjs")
  await esbuild.build({ ...common, entryPoints: [join(example, "src/main.ts")], outfile: civicgrid })
  await esbuild.build({ ...common, entryPoints: [peerScript], outfile: peer })
  if (before === undefined) return { civicgrid, peer }
  // the workspace's TypeScript sources as they were at `before` (a file new since then: as it is now)
  const atCommit = join(out, "street-office-before.mjs")
  await esbuild.build({
    ...common,
    entryPoints: [join(example, "src/main.ts")],
    outfile: atCommit,
    plugins: [
      {
        name: "sources-at-commit",
        setup: (build) => {
          build.onLoad({ filter: /\/(packages|examples)\/[^/]+\/src\/.*\.ts$/ }, (args) => {
            const path = relative(root, args.path)
            try {
              const contents = execFileSync("git", ["show", `${before}:${path}`], {
                cwd: root,
                encoding: "utf8",
                stdio: ["ignore", "pipe", "ignore"]
              })
              return { contents, loader: "ts" }
            } catch {
              return undefined
            }
          })
        }
      }
    ]
  })
  return { civicgrid, peer, before: atCommit }
}

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

const line = (name: string, samples: ReadonlyArray<Sample>): string => {
  const starts = samples.map((s) => s.startMs)
  const rss = samples.map((s) => s.rssMb)
  return (
    `  ${name.padEnd(44)} start  median ${median(starts).toFixed(0).padStart(5)} ms ` +
    `(min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)})   ` +
    `idle RSS median ${median(rss).toFixed(0).padStart(4)} MB (min ${Math.min(...rss).toFixed(0)}, max ${Math.max(...rss).toFixed(0)})`
  )
}

const main = async (): Promise<void> => {
  const reused = process.env["CIVICGRID_BENCH_START_DB"]
  const dir = reused === undefined ? mkdtempSync(join(tmpdir(), "civicgrid-start-bench-")) : undefined
  const file = reused ?? join(dir ?? tmpdir(), "street-office.sqlite")
  try {
    if (reused === undefined || !existsSync(file)) {
      const t = performance.now()
      await Effect.runPromise(
        Seed.prepare({}).pipe(
          Effect.provide(Seed.layerStores),
          Effect.provide(DatabaseModule.layer(DatabaseModule.sqlite(file))),
          Effect.orDie
        )
      )
      process.stdout.write(
        `seeded the demo district into ${file} in ${(performance.now() - t).toFixed(0)} ms\n`
      )
    }
    const before = process.env["BENCH_START_BEFORE"]
    const bundles = await bundle(before)
    const contenders: ReadonlyArray<{
      readonly name: string
      readonly args: ReadonlyArray<string>
      readonly cwd: string
      readonly env: Record<string, string>
    }> = [
      {
        name: "civicgrid, npm start (tsx, TypeScript sources)",
        args: ["--import", "tsx", "--conditions=@civicgrid/source", "src/main.ts"],
        cwd: example,
        env: { CIVICGRID_DATABASE_URL: `sqlite:${file}` }
      },
      {
        name: "peer, tsx",
        args: ["--import", "tsx", peerScript, file],
        cwd: here,
        env: {}
      },
      {
        name: "civicgrid, bundled (esbuild, plain node)",
        args: [bundles.civicgrid],
        cwd: example,
        env: { CIVICGRID_DATABASE_URL: `sqlite:${file}` }
      },
      { name: "peer, bundled (esbuild, plain node)", args: [bundles.peer, file], cwd: here, env: {} },
      ...(bundles.before === undefined
        ? []
        : [
            {
              name: `civicgrid at ${before?.slice(0, 7)}, bundled`,
              args: [bundles.before],
              cwd: example,
              env: { CIVICGRID_DATABASE_URL: `sqlite:${file}` }
            }
          ])
    ]
    const samples = contenders.map(() => [] as Array<Sample>)
    for (let round = 0; round < rounds; round++) {
      for (const [i, c] of contenders.entries()) samples[i]?.push(await timed(c.name, c.args, c.cwd, c.env))
    }
    const ratio = (a: number, b: number, of: (s: Sample) => number) =>
      median((samples[a] ?? []).map(of)) / median((samples[b] ?? []).map(of))
    process.stdout.write(
      [
        "",
        `cold start to the first 200 (GET /health, polled from the spawn) and idle RSS, demo seed on SQLite, ${rounds} rounds (node ${process.version})`,
        ...contenders.map((c, i) => line(c.name, samples[i] ?? [])),
        `  ratio     tsx:     start ${ratio(0, 1, (s) => s.startMs).toFixed(2)}× the peer's; idle RSS ${ratio(0, 1, (s) => s.rssMb).toFixed(2)}× the peer's`,
        `  ratio     bundled: start ${ratio(2, 3, (s) => s.startMs).toFixed(2)}× the peer's; idle RSS ${ratio(2, 3, (s) => s.rssMb).toFixed(2)}× the peer's`,
        ...(bundles.before === undefined
          ? []
          : [
              `  ratio     bundled now / at ${before?.slice(0, 7)}: start ${ratio(2, 4, (s) => s.startMs).toFixed(2)}×; idle RSS ${ratio(2, 4, (s) => s.rssMb).toFixed(2)}×`
            ]),
        ""
      ].join("\n")
    )
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exitCode = 1
})
