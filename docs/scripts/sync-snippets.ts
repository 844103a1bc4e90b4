/**
 * 同步代码片段 — rewrites every marked TypeScript block of the guides from its
 * file under `docs/guides/snippets/` (see `snippets.ts`).
 *
 *     npx tsx docs/scripts/sync-snippets.ts          # rewrite the stale blocks
 *     npx tsx docs/scripts/sync-snippets.ts --check  # only report; exit 1 when a block is stale
 *
 * Exits 1 on a problem it cannot fix (a missing snippet file, unpaired
 * markers, a `ts` block outside markers) and names each one.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { fromRoot, markdownFiles, renderFile, snippetNames } from "./snippets.js"

const checkOnly = process.argv.includes("--check")
let failed = false
const embedded = new Set<string>()

for (const path of markdownFiles()) {
  const rendered = renderFile(path)
  for (const block of rendered.blocks) embedded.add(block.name)
  for (const p of rendered.problems) {
    failed = true
    process.stderr.write(`${p.file}:${p.line}: ${p.message}\n`)
  }
  const stale = rendered.blocks.filter((b) => b.stale)
  if (stale.length === 0) continue
  if (checkOnly) {
    failed = true
    for (const b of stale)
      process.stderr.write(`${fromRoot(path)}:${b.line}: ${b.name} differs from its file\n`)
  } else if (rendered.text !== readFileSync(path, "utf8")) {
    writeFileSync(path, rendered.text)
    process.stdout.write(`${fromRoot(path)}: rewrote ${stale.map((b) => b.name).join(", ")}\n`)
  }
}

for (const name of snippetNames()) {
  if (!embedded.has(name)) {
    failed = true
    process.stderr.write(
      `docs/guides/snippets/${name}: embedded in no guide (add <!-- snippet: ${name} --> to one)\n`
    )
  }
}

if (failed) process.exit(1)
