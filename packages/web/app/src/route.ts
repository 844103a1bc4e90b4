/** Path routing under /app (the server answers index.html for every such path). */
import { useEffect, useState } from "preact/hooks"

export const base = "/app"

export type Route =
  | { readonly page: "overview" }
  | { readonly page: "workbench" }
  | { readonly page: "case"; readonly caseId: string }
  | { readonly page: "map" }
  | { readonly page: "wall" }
  | { readonly page: "organization" }
  | { readonly page: "deliberation" }
  | { readonly page: "directory"; readonly building: string }
  | { readonly page: "publications"; readonly unitId: string }
  | { readonly page: "award-notices"; readonly unitId: string }

export const parse = (pathname: string): Route => {
  const path = pathname.startsWith(base) ? pathname.slice(base.length) : pathname
  const found = /^\/cases\/([^/]+)\/?$/.exec(path)
  if (found?.[1] !== undefined) return { page: "case", caseId: decodeURIComponent(found[1]) }
  const board = /^\/directory\/([^/]+)\/?$/.exec(path)
  if (board?.[1] !== undefined) return { page: "directory", building: decodeURIComponent(board[1]) }
  const shown = /^\/publications\/([^/]+)\/?$/.exec(path)
  if (shown?.[1] !== undefined) return { page: "publications", unitId: decodeURIComponent(shown[1]) }
  const notice = /^\/award-notices\/([^/]+)\/?$/.exec(path)
  if (notice?.[1] !== undefined) return { page: "award-notices", unitId: decodeURIComponent(notice[1]) }
  if (path.startsWith("/organization")) return { page: "organization" }
  if (path.startsWith("/deliberation")) return { page: "deliberation" }
  if (path.startsWith("/workbench")) return { page: "workbench" }
  if (path.startsWith("/map")) return { page: "map" }
  if (path.startsWith("/wall")) return { page: "wall" }
  return { page: "overview" }
}

export const hrefOf = (route: Route): string => {
  switch (route.page) {
    case "overview":
      return `${base}/`
    case "workbench":
      return `${base}/workbench`
    case "map":
      return `${base}/map`
    case "wall":
      return `${base}/wall`
    case "case":
      return `${base}/cases/${encodeURIComponent(route.caseId)}`
    case "organization":
      return `${base}/organization`
    case "deliberation":
      return `${base}/deliberation`
    case "directory":
      return `${base}/directory/${encodeURIComponent(route.building)}`
    case "publications":
      return `${base}/publications/${encodeURIComponent(route.unitId)}`
    case "award-notices":
      return `${base}/award-notices/${encodeURIComponent(route.unitId)}`
  }
}

const listeners = new Set<() => void>()

export const navigate = (route: Route): void => {
  window.history.pushState(null, "", hrefOf(route))
  for (const l of listeners) l()
}

export const useRoute = (): Route => {
  const [route, setRoute] = useState<Route>(() => parse(window.location.pathname))
  useEffect(() => {
    const update = () => setRoute(parse(window.location.pathname))
    listeners.add(update)
    window.addEventListener("popstate", update)
    return () => {
      listeners.delete(update)
      window.removeEventListener("popstate", update)
    }
  }, [])
  return route
}
