/**
 * docs/guides/bring-your-own-district.md — a district that is not the demo
 * (锦溪区: the six-level scheme, grid polygons in GCJ-02, staff sheets with
 * full-width digits, stray spaces, blank rows and a 填表人 footer), built
 * entirely through the guide's own commands, run as a user runs them (the
 * `civicgrid` executable, a child process, in a fresh directory):
 * `civicgrid template` → the templates filled in with the guide's example
 * files → `civicgrid import` → `civicgrid keys issue` → `civicgrid serve`
 * (never seeded) → the guide's `curl` calls, made with `fetch`: a report by
 * GPS position is placed in its grid and owned by its community.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Crs from "@civicgrid/core/Crs"
import * as Csv from "@civicgrid/ledger/Csv"
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import ExcelJS from "exceljs"

// the `civicgrid` executable of the installed @civicgrid/cli (the workspace's, or a consumer app's tarball)
const bin = join(
  dirname(createRequire(import.meta.url).resolve("@civicgrid/cli/package.json")),
  "bin",
  "civicgrid.js"
)
const guidePath = fileURLToPath(new URL("../guides/bring-your-own-district.md", import.meta.url))
const filesDir = fileURLToPath(new URL("../guides/snippets/bring-your-own-district/", import.meta.url))
const guide = readFileSync(guidePath, "utf8")

const fence = "`".repeat(3)

/** The fenced blocks of a language in the guide, in order. */
const blocks = (lang: string): ReadonlyArray<string> =>
  [...guide.matchAll(new RegExp(`^${fence}${lang}\\n([\\s\\S]*?)^${fence}`, "gm"))].map((m) => m[1] ?? "")

/** A shell line split into words: double quotes group, `$NAME` is replaced from `vars`. */
const words = (line: string, vars: Readonly<Record<string, string>>): ReadonlyArray<string> =>
  [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) =>
    (m[1] ?? m[2] ?? "").replace(/\$([A-Z_]+)/g, (_, name: string) => vars[name] ?? `$${name}`)
  )

/** Which example file fills which template. */
const fills: Readonly<Record<string, string>> = {
  "行政单元.xlsx": "units.csv",
  "楼栋.xlsx": "buildings.csv",
  "网格员.xlsx": "staff.csv",
  "任职.xlsx": "assignments.csv",
  "职能部门.xlsx": "departments.csv"
}

/** Writes the example file's rows (header excluded, blank and footer rows kept) into the template's data sheet. */
const fillTemplate = async (xlsx: string, csvFile: string): Promise<void> => {
  const rows = Either.getOrThrow(Csv.parseRows(readFileSync(join(filesDir, csvFile))))
  const book = new ExcelJS.Workbook()
  await book.xlsx.readFile(xlsx)
  const data = book.worksheets.filter((s) => s.state === "visible" && s.name !== "填表说明")
  expect(data.map((s) => s.name)).toHaveLength(1)
  const sheet = data[0]
  if (sheet === undefined) throw new Error(`no data sheet in ${xlsx}`)
  const header = rows[0]?.cells.map(String)
  expect(
    (sheet.getRow(1).values as ReadonlyArray<unknown>).slice(1, (header?.length ?? 0) + 1).map(String)
  ).toEqual(header)
  rows.slice(1).forEach((row, i) => {
    row.cells.forEach((cell, j) => {
      if (cell !== null && cell !== "") sheet.getCell(i + 2, j + 1).value = String(cell)
    })
  })
  await book.xlsx.writeFile(xlsx)
}

interface Run {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

const run = (args: ReadonlyArray<string>, cwd: string): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: childEnv })
    let out = ""
    let err = ""
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c
    })
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      err += c
    })
    child.once("exit", (code) => resolve({ code, out, err }))
  })

const childEnv = { ...process.env, CIVICGRID_DATABASE_URL: "", CIVICGRID_TOKEN_SECRET: "", NO_COLOR: "1" }

const serve = (args: ReadonlyArray<string>, cwd: string): Promise<{ child: ChildProcess; base: string }> =>
  new Promise((resolve, reject) => {
    const port = args.indexOf("--port")
    const child = spawn(process.execPath, [bin, ...args.map((a, i) => (i === port + 1 ? "0" : a))], {
      cwd,
      env: childEnv
    })
    let out = ""
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c
      const m = /listening on\s+(http:\/\/\S+)\n/.exec(out)
      if (m?.[1] !== undefined) resolve({ child, base: m[1] })
    })
    child.once("exit", (code) => reject(new Error(`serve exited (${code}):\n${out}`)))
  })

/** A guide's `curl` line as a fetch against the test's server. */
const curl = async (
  line: ReadonlyArray<string>,
  base: string
): Promise<{ status: number; body: unknown }> => {
  let method = "GET"
  let url = ""
  const headers = new Headers()
  const form = new URLSearchParams()
  for (let i = 1; i < line.length; i++) {
    const w = line[i] ?? ""
    if (w === "-s") continue
    if (w === "-X") method = line[++i] ?? method
    else if (w === "-H") {
      const [name, ...value] = (line[++i] ?? "").split(":")
      headers.set(name ?? "", value.join(":").trim())
    } else if (w === "--data-urlencode") {
      const [name, ...value] = (line[++i] ?? "").split("=")
      form.append(name ?? "", value.join("="))
    } else url = w.replace("http://127.0.0.1:8080", base)
  }
  const response = await fetch(url, method === "GET" ? { headers } : { method, headers, body: form })
  return { status: response.status, body: await response.json() }
}

const dir = mkdtempSync(join(tmpdir(), "civicgrid-byod-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("bring your own district 导入自己的辖区 — the guide's commands, run as written", () => {
  it("the guide's CSV blocks are the example files, verbatim", () => {
    const files = readdirSync(filesDir).map((f) => readFileSync(join(filesDir, f), "utf8"))
    const csv = blocks("csv")
    expect(csv.length).toBe(2)
    for (const block of csv) expect(files).toContain(block)
  })

  it("template → filled in → import → keys → serve (no seed) → a report by GPS position is routed to its grid's community", async () => {
    for (const f of readdirSync(filesDir)) copyFileSync(join(filesDir, f), join(dir, f))
    const vars: Record<string, string> = {}
    const outputs: Array<string> = []
    let server: { child: ChildProcess; base: string } | undefined
    const answers: Array<{ status: number; body: unknown }> = []
    try {
      for (const block of blocks("sh")) {
        for (const line of block.split("\n").filter((l) => l.trim() !== "")) {
          const [command, ...args] = words(line, vars)
          if (command === "curl") {
            if (server === undefined) throw new Error("curl before serve")
            answers.push(await curl(words(line, vars), server.base))
            continue
          }
          expect(command).toBe("civicgrid")
          if (args[0] === "serve") {
            server = await serve(args, dir)
            continue
          }
          const result = await run(args, dir)
          expect(result.code, `${line}\n${result.out}\n${result.err}`).toBe(0)
          outputs.push(result.out)
          if (args[0] === "template") {
            const out = args[args.indexOf("--out") + 1] ?? ""
            const source = fills[out]
            if (source === undefined) throw new Error(`no example file for ${out}`)
            await fillTemplate(join(dir, out), source)
          }
          if (args[0] === "keys") {
            const key = /^(cg_\S+)$/m.exec(result.out)?.[1]
            if (key === undefined) throw new Error(`no key in\n${result.out}`)
            vars[args.includes("open311") ? "API_KEY" : "TOKEN"] = key
          }
        }
      }
      const text = outputs.join("\n")
      // the scheme found from the levels; the spreadsheet habits read, not refused
      expect(text).toContain("六级 (six-level)")
      // (a blank row of a workbook is no row at all: only the footer is reported)
      expect(text).toContain("第 7 行 表尾 (footer)「填表人：王芳　审核人：李强」")
      expect(text).toContain("第 6 行 表尾 (footer)「填表人：王芳」")
      expect(text).toMatch(/4 个坐标转换为 WGS-84/)
      expect(text).toMatch(/imported 3 网格 grids/)
      expect(text).toMatch(/imported 3 \S+ staff/)

      // the report: placed by its point, owned by 柳岸社区
      const [created, located] = answers
      expect(created?.status).toBe(201)
      const id = (created?.body as ReadonlyArray<{ service_request_id: string }> | undefined)?.[0]
        ?.service_request_id
      expect(located).toMatchObject({
        status: 200,
        body: {
          placedBy: "position",
          grid: { id: "jx-yl-la-g2", name: "柳岸第二网格" },
          communityId: "jx-yl-la"
        }
      })
      if (server === undefined || id === undefined) throw new Error("no server or no request id")
      const published = await fetch(`${server.base}/open311/v2/requests/${id}.json`).then((r) => r.json())
      expect(published).toMatchObject([
        { service_request_id: id, agency_responsible: "柳岸社区", status: "open", jurisdiction_id: "jx" }
      ])
      // the district's own Open311 identity: its root unit, not the demo's
      const discovery = await fetch(`${server.base}/open311/v2/discovery.json`).then((r) => r.json())
      expect(discovery).toMatchObject({ contact: "锦溪区" })
      const stored = await fetch(`${server.base}/cases/${id}`, {
        headers: { authorization: `Bearer ${vars.TOKEN}` }
      }).then((r) => r.json())
      expect(stored).toMatchObject({
        summary: { ownerUnitId: "jx-yl-la", communityId: "jx-yl-la", tier: "community" }
      })

      // the GCJ-02 point of the guide is the WGS-84 point reported, within a metre
      const [lon = Number.NaN, lat = Number.NaN] = Crs.toWgs84("GCJ02")([104.0675, 30.6445])
      expect(Math.abs(lon - 104.064995)).toBeLessThan(1e-5)
      expect(Math.abs(lat - 30.646927)).toBeLessThan(1e-5)
    } finally {
      server?.child.kill("SIGTERM")
    }
  }, 300_000)
})
