/**
 * The built files of the web app in memory: read once at start, gzipped on
 * first request when compressible.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative, sep } from "node:path"

export interface Asset {
  readonly body: Uint8Array
  readonly type: string
  readonly immutable: boolean
  gzip: Uint8Array | undefined
}

export const compressible = (type: string) => /^(text\/|application\/json|image\/svg)/.test(type)

/** Every file under `dir`, by its URL path under `basePath`. */
export const load = (
  dir: string,
  basePath: string,
  contentType: (path: string) => string
): ReadonlyMap<string, Asset> => {
  const out = new Map<string, Asset>()
  if (!existsSync(dir)) return out
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) {
        const url = `${basePath}/${relative(dir, path).split(sep).join("/")}`
        out.set(url, {
          body: readFileSync(path),
          type: contentType(path),
          immutable: url.startsWith(`${basePath}/assets/`),
          gzip: undefined
        })
      }
    }
  }
  walk(dir)
  return out
}

/** A URL path decoded, or as it is when its escapes are malformed (`%E0%A4%A`): no request fails on it. */
export const decoded = (path: string): string => {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}
