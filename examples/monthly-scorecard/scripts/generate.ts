/**
 * 生成示例数据 — writes the sample ledgers `data/units.csv` and
 * `data/cases-2025-10.csv` (deterministic: running it again writes the same
 * bytes; `test/sample.test.ts` checks the shipped files are exactly these).
 *
 * ```sh
 * npm run generate --workspace=@civicgrid/example-monthly-scorecard
 * ```
 *
 * @since 0.1.0
 */
import { writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as Either from "effect/Either"
import { sampleFiles } from "../src/sample.js"

const files = sampleFiles()
if (Either.isLeft(files)) {
  process.stderr.write(`示例数据生成失败 sample generation failed: ${files.left.message}\n`)
  process.exitCode = 1
} else {
  const dir = (name: string) => fileURLToPath(new URL(`../data/${name}`, import.meta.url))
  writeFileSync(dir("units.csv"), files.right.units, "utf8")
  writeFileSync(dir("cases-2025-10.csv"), files.right.cases, "utf8")
  process.stdout.write(`写入 wrote data/units.csv and data/cases-2025-10.csv\n`)
}
