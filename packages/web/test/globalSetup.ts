/**
 * Builds the web front end (vite) before the tests when `dist/app` is missing or older than its sources:
 * CI runs the tests before `npm run build`, and the browser test needs the built app.
 */
import { ensureApp } from "../scripts/ensure-app.mjs"

export default async function setup(): Promise<void> {
  await ensureApp()
}
