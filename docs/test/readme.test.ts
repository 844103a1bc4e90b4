/**
 * The README's first screen and its tables stay true: the three commands
 * exist as root scripts, `.ci/run` runs exactly the README's test command,
 * every package and example it lists exists, and every example's run command
 * names a workspace with a `start` script, a README and tests.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"

const root = join(import.meta.dirname, "..", "..")
const readme = readFileSync(join(root, "README.md"), "utf8")
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  readonly scripts: Record<string, string>
}

interface Workspace {
  readonly dir: string
  readonly name: string
  readonly scripts: Record<string, string>
}

const workspaces: ReadonlyArray<Workspace> = ["packages", "examples"].flatMap((group) =>
  readdirSync(join(root, group))
    .filter((dir) => existsSync(join(root, group, dir, "package.json")))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(root, group, dir, "package.json"), "utf8")) as {
        readonly name: string
        readonly scripts?: Record<string, string>
      }
      return { dir: `${group}/${dir}`, name: pkg.name, scripts: pkg.scripts ?? {} }
    })
)

describe("README", () => {
  it("the first screen's commands are root scripts, and .ci/run runs exactly its test command", () => {
    const firstScreen = readme.split("\n").slice(0, 24).join("\n")
    for (const command of ["npm install", "npm test", "npm start"]) expect(firstScreen).toContain(command)
    expect(rootPackage.scripts["test"]).toBeDefined()
    expect(rootPackage.scripts["start"]).toBeDefined()
    const ci = readFileSync(join(root, ".ci", "run"), "utf8")
    expect(ci).toMatch(/^\s*npm test\b/m)
  })

  it("every package and example it links exists, and every workspace is listed", () => {
    const linked = [...readme.matchAll(/\]\(((?:packages|examples)\/[\w-]+)\)/g)].map((m) => m[1])
    for (const dir of linked) expect(existsSync(join(root, dir ?? "", "package.json")), dir).toBe(true)
    for (const workspace of workspaces) expect(linked, workspace.dir).toContain(workspace.dir)
  })

  it("every example's run command names a workspace with a start script, a README and tests", () => {
    const commands = [...readme.matchAll(/npm start -w (@civicgrid\/[\w-]+)/g)].map((m) => m[1])
    expect(commands.length).toBeGreaterThanOrEqual(4)
    for (const name of commands) {
      const workspace = workspaces.find((w) => w.name === name)
      expect(workspace, name).toBeDefined()
      if (workspace === undefined) continue
      expect(workspace.scripts["start"], name).toBeDefined()
      expect(existsSync(join(root, workspace.dir, "README.md")), name).toBe(true)
      expect(existsSync(join(root, workspace.dir, "test")), name).toBe(true)
    }
    // `npm start` itself runs the street-office example
    expect(rootPackage.scripts["start"]).toContain("@civicgrid/example-street-office")
  })
})
