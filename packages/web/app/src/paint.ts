/** Paint marks for measurements (`npm run bench:overview`): when a piece of the overview became visible. */
import { useEffect } from "preact/hooks"

/**
 * Marks a paint (`performance.mark(name)`, once per page) when `ready`: effects run after the browser
 * painted, so the mark is when the data became visible.
 */
export const usePaintMark = (name: string, ready: boolean): void => {
  useEffect(() => {
    if (ready && performance.getEntriesByName(name, "mark").length === 0) performance.mark(name)
  }, [name, ready])
}
