/**
 * The build of 指挥调度中心: Preact (esbuild's automatic JSX runtime), the civicgrid contract from its
 * TypeScript sources (the "@civicgrid/source" condition), into ../dist/app under the base path /app/.
 */
import { fileURLToPath } from "node:url"
import { defaultClientConditions, defineConfig } from "vite"

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/app/",
  logLevel: "warn",
  resolve: { conditions: ["@civicgrid/source", ...defaultClientConditions] },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: fileURLToPath(new URL("../dist/app", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // the map's chunk (ECharts) is loaded on the map page only
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false
  }
})
