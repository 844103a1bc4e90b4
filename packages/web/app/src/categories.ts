/**
 * 案件分类 — the names of the categories (小类), read once from the server's catalogue as its Open311
 * discovery publishes it (`GET /open311/v2/services.json`: `service_code` is the category code): the
 * HTTP API itself has no read of the catalogue.
 */
import { useEffect, useState } from "preact/hooks"

export type CategoryNames = ReadonlyMap<string, string>

let loading: Promise<CategoryNames> | undefined

const load = (): Promise<CategoryNames> => {
  loading ??= fetch("/open311/v2/services.json")
    .then((response) => (response.ok ? (response.json() as Promise<unknown>) : []))
    .then((services) => {
      const names = new Map<string, string>()
      if (Array.isArray(services))
        for (const s of services as ReadonlyArray<Record<string, unknown>>)
          if (typeof s["service_code"] === "string" && typeof s["service_name"] === "string")
            names.set(s["service_code"], s["service_name"])
      return names
    })
    .catch(() => {
      // without the catalogue the codes are shown; a later page tries again
      loading = undefined
      return new Map<string, string>()
    })
  return loading
}

/** The category names (empty until loaded, or when the catalogue cannot be read). */
export const useCategoryNames = (): CategoryNames => {
  const [names, setNames] = useState<CategoryNames>(() => new Map())
  useEffect(() => {
    let live = true
    void load().then((found) => {
      if (live) setNames(found)
    })
    return () => {
      live = false
    }
  }, [])
  return names
}

/** A category's name, or its code when the catalogue does not name it. */
export const categoryName = (names: CategoryNames, code: string): string => names.get(code) ?? code
