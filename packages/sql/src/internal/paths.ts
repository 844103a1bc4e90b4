/**
 * Materialised paths of units: `/<root>/<child>/…/<unit>/`, each segment the
 * unit id with `%` and `/` percent-encoded (`%25`, `%2F`), so a segment never
 * holds a `/` and the encoding is injective. Then unit X lies within unit Y
 * exactly when path(Y) is a prefix of path(X), and the subtree of Y is the
 * range `path >= p AND path < p'` where p' is p with its final `/` replaced by
 * `0` (the character after `/`): exact for any id, in binary (SQLite) and "C"
 * (PostgreSQL) collation, with no sentinel like `'\uffff'` (which sorts below
 * characters outside the BMP).
 *
 * @since 0.1.0
 */
import { pathSegment } from "@civicgrid/core/CaseRepository"

/**
 * Encodes a unit id as a path segment — the same encoding the case store uses
 * (`CaseRepository.pathSegment`), so case paths and unit paths agree.
 *
 * @since 0.1.0
 * @category internal
 */
export const segment: (id: string) => string = pathSegment

/**
 * Decodes a path segment back to the unit id.
 *
 * @since 0.1.0
 * @category internal
 */
export const unsegment = (s: string): string => s.replace(/%2F/g, "/").replace(/%25/g, "%")

/**
 * The path of a unit under a parent path (`null` for the root).
 *
 * @since 0.1.0
 * @category internal
 */
export const childPath = (parentPath: string | null, id: string): string =>
  `${parentPath ?? "/"}${segment(id)}/`

/**
 * The exclusive upper bound of a subtree's path range.
 *
 * @since 0.1.0
 * @category internal
 */
export const upperBound = (path: string): string => `${path.slice(0, -1)}0`

/**
 * The ids on a path, root first (the unit's ancestors and itself).
 *
 * @since 0.1.0
 * @category internal
 */
export const idsOnPath = (path: string): ReadonlyArray<string> =>
  path
    .split("/")
    .filter((s) => s.length > 0)
    .map(unsegment)

/**
 * The length of a string in characters (code points), as SQL's `length` and
 * `substr` count them on both databases.
 *
 * @since 0.1.0
 * @category internal
 */
export const sqlLength = (s: string): number => Array.from(s).length
