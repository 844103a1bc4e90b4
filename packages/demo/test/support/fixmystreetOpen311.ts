/**
 * FixMyStreet's Open311 client, ported to TypeScript for contract tests: the
 * parts of mysociety/fixmystreet that talk to an Open311 endpoint and decide
 * what a report looks like afterwards, each function citing the Perl sub it
 * mirrors (paths relative to the fixmystreet repository). Nothing here is
 * civicgrid code: it is how the other side reads us.
 *
 * - `perllib/Open311.pm` — the HTTP client: `_request` (form bodies through
 *   `HTTP::Request::Common::POST`, query strings through `URI->query_form`,
 *   `jurisdiction_id` on every call, `api_key` on every POST),
 *   `_get_xml_object` (XML::Simple with `ForceArray` / `GroupTags`,
 *   `SuppressEmpty => undef`), `_populate_service_request_params`,
 *   `_populate_service_request_update_params`, `split_name`, `map_state`.
 * - `perllib/Open311/GetServiceRequests.pm` `create_problems` — which fetched
 *   requests FixMyStreet skips.
 * - `perllib/Open311/GetServiceRequestUpdates.pm` / `UpdatesBase.pm` —
 *   `parse_dates`, `check_date`, `_process_update`: how fetched updates change
 *   a report's state.
 * - `perllib/FixMyStreet/DB/ResultSet/State.pm` (`_hardcoded_states`),
 *   `db/schema.sql` (`INSERT INTO state`), `perllib/FixMyStreet/DB/Result/Problem.pm`
 *   (`all_states`, `fixed_states`, `hidden_states`, `visible_states`) — the
 *   state table.
 */

// -----------------------------------------------------------------------------
// dates — DateTime::Format::W3CDTF
// -----------------------------------------------------------------------------

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/**
 * `DateTime::Format::W3CDTF->format_datetime` of a UTC `DateTime` with
 * nanosecond 0 (`DateTime->now()` is whole seconds): `2026-03-02T01:00:00Z`.
 */
export const w3cdtf = (millis: number): string => {
  const d = new Date(Math.floor(millis / 1000) * 1000)
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`
  )
}

const W3C = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/

/**
 * `DateTime::Format::W3CDTF->parse_datetime` (which `die`s on anything else:
 * FixMyStreet's `eval` then skips the request or update). A date-time without
 * a zone is "floating" there and read in FixMyStreet's own time zone — a
 * different instant on every installation — so this port refuses it: the
 * contract is that every date-time carries its offset.
 */
export const parseW3cdtf = (text: string | undefined): number | undefined => {
  const m = W3C.exec(text ?? "")
  if (m === null || m[8] === undefined) return undefined
  const n = (i: number): number => Number(m[i] ?? "0")
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  const local = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), fraction)
  if (m[8] === "Z") return local
  const sign = m[8].startsWith("-") ? -1 : 1
  const [hh, mm] = m[8].slice(1).split(":").map(Number)
  return local - sign * ((hh ?? 0) * 60 + (mm ?? 0)) * 60_000
}

// -----------------------------------------------------------------------------
// requests — LWP / URI
// -----------------------------------------------------------------------------

/** The parameters of one call, in order; a key may repeat (`URI->query_form` with an array value). */
export type Params = ReadonlyArray<readonly [string, string]>

/**
 * `URI->query_form` (URI::_query): `;/?:@&=+,$[]%` escaped, space as `+`,
 * wide characters UTF-8 encoded, the unreserved `A-Za-z0-9-_.!~*'()` kept —
 * which is exactly `encodeURIComponent` with `%20` as `+`. The body of
 * `HTTP::Request::Common::POST $uri, \%params` is the same string, sent as
 * `application/x-www-form-urlencoded`.
 */
export const queryForm = (params: Params): string =>
  params
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k).replace(/%20/g, "+")}=${encodeURIComponent(v).replace(/%20/g, "+")}`
    )
    .join("&")

/** The `User-Agent` LWP::UserAgent sends. */
export const userAgent = "libwww-perl/6.72"

/** How `Open311->new(...)` is configured for a body (`endpoint`, `jurisdiction`, `api_key`, `extended_statuses`). */
export interface Open311Config {
  /** The body's endpoint, ending in `/` (FixMyStreet appends `services.xml` etc. to its path). */
  readonly endpoint: string
  readonly jurisdiction: string
  readonly apiKey: string
  /** `send_extended_statuses` of the body (default 0 in `Open311.pm`). */
  readonly extendedStatuses: boolean
}

/** `Open311.pm` `has endpoints`: the default paths. */
export const endpoints = {
  services: "services.xml",
  requests: "requests.xml",
  service_request_updates: "servicerequestupdates.xml",
  update: "servicerequestupdates.xml"
} as const

/**
 * `Open311.pm` `_request`: `jurisdiction_id` added to every call (when the
 * body has one) and `api_key` to every POST; a GET puts the parameters in the
 * query, a POST in a form body. Returns the path (relative to the server) and
 * the form body for a POST.
 */
export const request = (
  config: Open311Config,
  method: "GET" | "POST",
  path: string,
  params: Params
): { readonly url: string; readonly body: string | undefined } => {
  const base = new URL(config.endpoint)
  const all: Array<readonly [string, string]> = [...params]
  if (config.jurisdiction !== "") all.push(["jurisdiction_id", config.jurisdiction])
  if (method === "POST" && config.apiKey !== "") all.push(["api_key", config.apiKey])
  const url = `${base.pathname}${path}`
  return method === "GET"
    ? { url: all.length === 0 ? url : `${url}?${queryForm(all)}`, body: undefined }
    : { url, body: queryForm(all) }
}

// -----------------------------------------------------------------------------
// responses — XML::Simple
// -----------------------------------------------------------------------------

/** What XML::Simple makes of an element: text, `undef` (empty), a hash, or a list. */
export type XmlValue = string | undefined | ReadonlyArray<XmlValue> | { readonly [key: string]: XmlValue }

/** An XML::Simple hash. */
export type XmlHash = { readonly [key: string]: XmlValue }

/** `Open311.pm` `_get_xml_object`: the group tags (also the `ForceArray` names). */
const groupTags: Readonly<Record<string, string>> = {
  services: "service",
  attributes: "attribute",
  values: "value",
  service_requests: "request",
  errors: "error",
  service_request_updates: "request_update"
}
const forceArray = new Set(Object.values(groupTags))

interface Node {
  readonly name: string
  readonly children: Array<Node>
  text: string
}

const entities: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }

const decode = (text: string): string =>
  text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith("#x")
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith("#")
        ? String.fromCodePoint(Number.parseInt(e.slice(1), 10))
        : (entities[e] ?? "")
  )

/** A strict reader of the XML subset Open311 uses (elements and text; no attributes, CDATA or DTD). */
const parseTree = (xml: string): Node => {
  const text = xml.replace(/^\uFEFF/, "").replace(/^<\?xml[^?]*\?>/, "")
  const token = /<\/([A-Za-z_][\w.-]*)\s*>|<([A-Za-z_][\w.-]*)\s*(\/?)>|([^<]+)/gy
  const stack: Array<Node> = []
  let root: Node | undefined
  let m: RegExpExecArray | null
  let at = 0
  for (;;) {
    token.lastIndex = at
    m = token.exec(text)
    if (m === null) break
    at = token.lastIndex
    const [, close, open, selfClosing, chars] = m
    if (open !== undefined) {
      const node: Node = { name: open, children: [], text: "" }
      const parent = stack[stack.length - 1]
      if (parent === undefined) {
        if (root !== undefined) throw new Error("XML: more than one root element")
        root = node
      } else parent.children.push(node)
      if (selfClosing !== "/") stack.push(node)
    } else if (close !== undefined) {
      const node = stack.pop()
      if (node?.name !== close) throw new Error(`XML: </${close}> does not close <${node?.name ?? ""}>`)
    } else if (chars !== undefined) {
      const parent = stack[stack.length - 1]
      if (parent === undefined) {
        if (chars.trim() !== "") throw new Error("XML: text outside the root element")
      } else parent.text += decode(chars)
    }
  }
  if (at !== text.length) throw new Error(`XML: cannot read at offset ${at}: ${text.slice(at, at + 40)}`)
  if (root === undefined || stack.length > 0) throw new Error("XML: no complete root element")
  return root
}

const simplify = (node: Node): XmlValue => {
  if (node.children.length === 0) return node.text.length === 0 ? undefined : node.text // SuppressEmpty => undef
  const hash: Record<string, XmlValue> = {}
  const lists = new Map<string, Array<XmlValue>>()
  for (const child of node.children) {
    let value = simplify(child)
    // GroupTags: <attributes><attribute/>…</attributes> becomes attributes => [ … ]
    const grouped = groupTags[child.name]
    if (
      grouped !== undefined &&
      child.children.length > 0 &&
      child.children.every((c) => c.name === grouped)
    ) {
      value = child.children.map(simplify)
    }
    const list = lists.get(child.name)
    if (list !== undefined) list.push(value)
    else if (child.name in hash || forceArray.has(child.name)) {
      const started = child.name in hash ? [hash[child.name], value] : [value]
      lists.set(child.name, started)
    } else hash[child.name] = value
  }
  for (const [name, list] of lists) hash[name] = list
  return hash
}

/**
 * `Open311.pm` `_get_xml_object`: `XML::Simple->new(ForceArray => [service,
 * attribute, value, request, error, request_update], KeyAttr => {}, GroupTags
 * => …, SuppressEmpty => undef)->parse_string($xml)` — the root element
 * dropped (`KeepRoot` 0), `undef` (here `undefined`) when the XML does not parse.
 */
export const xmlObject = (xml: string): XmlHash | undefined => {
  try {
    const value = simplify(parseTree(xml))
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as XmlHash) : {}
  } catch {
    return undefined
  }
}

/** The list under `key` (ForceArray made it one), or none. */
export const listOf = (obj: XmlHash | undefined, key: string): ReadonlyArray<XmlHash> => {
  const v = obj?.[key]
  return Array.isArray(v)
    ? v.filter((x): x is XmlHash => typeof x === "object" && x !== null && !Array.isArray(x))
    : []
}

/** A scalar field (`undefined` for an empty element, a hash or a list — `ref` in Perl). */
export const scalar = (obj: XmlHash | undefined, key: string): string | undefined => {
  const v = obj?.[key]
  return typeof v === "string" ? v : undefined
}

/** Perl truthiness of a scalar: `undef`, `""` and `"0"` are false. */
export const truthy = (v: string | undefined): v is string => v !== undefined && v !== "" && v !== "0"

// -----------------------------------------------------------------------------
// what FixMyStreet posts
// -----------------------------------------------------------------------------

/** `Open311.pm` `split_name`: `/(\w+)(?:\.?\s+(.+))?/`. */
export const splitName = (name: string): readonly [string, string] => {
  const m = /([\p{L}\p{N}_]+)(?:\.?\s+(.+))?/u.exec(name)
  return [m?.[1] ?? "", m?.[2] ?? ""]
}

/** A FixMyStreet report being sent (`$problem`, `$extra` of `send_service_request`). */
export interface Problem {
  readonly id: number
  readonly title: string
  readonly detail: string
  readonly name: string
  readonly email: string
  /** Where the pin is, or none when the reporter gave a postcode / place only (`used_map` false). */
  readonly position?: { readonly lat: number; readonly lon: number }
  /** `$problem->postcode`: what was typed instead of a pin. */
  readonly postcode?: string
  /** `$extra->{image_url}`. */
  readonly imageUrl?: string
  /** `$extra->{url}`: the report's page. */
  readonly url: string
  /** `$problem->get_extra_fields`: the category's questions and the cobrand's `open311_extra_data`. */
  readonly extraFields: ReadonlyArray<readonly [string, string]>
}

/** `Utils::truncate_coordinate`: six decimal places. */
export const truncateCoordinate = (x: number): string => (Math.round(x * 1e6) / 1e6).toFixed(6)

/**
 * `Open311.pm` `_populate_service_request_params` with the defaults of
 * `Open311->new` (`extended_description` 1, `send_notpinpointed` 0) and
 * `_generate_service_request_description`'s UK layout (a UK cobrand sends
 * `easting`): a report with a pin sends `lat` / `long`; one without (a body
 * whose cobrand sets `always_send_latlong` 0, the reporter typed a place)
 * sends `address_string`.
 */
export const serviceRequestParams = (problem: Problem, serviceCode: string): Params => {
  const [first, last] = splitName(problem.name)
  const description = `title: ${problem.title}\n\ndetail: ${problem.detail}\n\nurl: ${problem.url}\n\nSubmitted via FixMyStreet\n`
  const params: Array<readonly [string, string]> = [
    ["description", description],
    ["service_code", serviceCode],
    ["first_name", first],
    ["last_name", last],
    ["email", problem.email]
  ]
  if (problem.position !== undefined) {
    params.push(
      ["lat", truncateCoordinate(problem.position.lat)],
      ["long", truncateCoordinate(problem.position.lon)]
    )
  } else {
    params.push(["address_string", problem.postcode ?? ""])
  }
  if (problem.imageUrl !== undefined) params.push(["media_url", problem.imageUrl])
  for (const [name, value] of problem.extraFields)
    params.push([`attribute[${name.replace(/^fms_extra_/, "")}]`, value])
  return params
}

/** A comment made on FixMyStreet, being sent (`$comment` of `post_service_request_update`). */
export interface Comment {
  readonly id: number
  readonly text: string
  readonly name: string
  readonly email: string
  /** `$comment->confirmed`. */
  readonly confirmed: number
  /** The report's `external_id`: the endpoint's `service_request_id`. */
  readonly serviceRequestId: string
  /** `$comment->problem_state || $comment->problem->state`. */
  readonly problemState: string
  readonly photoUrl?: string
}

/**
 * `Open311.pm` `_populate_service_request_update_params`: `status` OPEN /
 * CLOSED (or, with `extended_statuses`, the extended status of the report's
 * state), the names split (`last_name` `-` when missing), `update_id` the
 * comment's id, `media_url` the photo.
 */
export const serviceRequestUpdateParams = (config: Open311Config, comment: Comment): Params => {
  let [first, last] = splitName(comment.name)
  if (last === "") last = "-"
  const state = comment.problemState
  let status = "OPEN"
  if (config.extendedStatuses) {
    if (fixedStates.has(state)) status = "FIXED"
    else if (state === "in progress") status = "IN_PROGRESS"
    else if (state === "action scheduled" || state === "planned") status = "ACTION_SCHEDULED"
    else if (state === "investigating") status = "INVESTIGATING"
    else if (state === "duplicate") status = "DUPLICATE"
    else if (state === "not responsible") status = "NOT_COUNCILS_RESPONSIBILITY"
    else if (state === "unable to fix") status = "NO_FURTHER_ACTION"
    else if (state === "internal referral") status = "INTERNAL_REFERRAL"
  } else if (!openStates.has(state)) status = "CLOSED"
  const params: Array<readonly [string, string]> = [
    ["updated_datetime", w3cdtf(comment.confirmed)],
    ["service_request_id", comment.serviceRequestId],
    ["status", status],
    ["description", comment.text],
    ["last_name", last],
    ["first_name", first],
    ["email", comment.email],
    ["update_id", String(comment.id)]
  ]
  if (comment.photoUrl !== undefined) params.push(["media_url", comment.photoUrl])
  return params
}

// -----------------------------------------------------------------------------
// the state table
// -----------------------------------------------------------------------------

/**
 * FixMyStreet's states by type: `_hardcoded_states` (`confirmed` open,
 * `closed` closed), the rows `db/schema.sql` inserts into `state`, and the
 * fixed states `Problem.pm` `all_states` / `fixed_states` add.
 */
export const openStates: ReadonlySet<string> = new Set([
  "confirmed",
  "investigating",
  "in progress",
  "planned",
  "action scheduled"
])
export const closedStates: ReadonlySet<string> = new Set([
  "closed",
  "unable to fix",
  "not responsible",
  "duplicate",
  "internal referral"
])
export const fixedStates: ReadonlySet<string> = new Set(["fixed", "fixed - council", "fixed - user"])
/** `Problem.pm` `visible_states`: every state but `hidden`, `partial`, `unconfirmed`. */
export const visibleStates: ReadonlySet<string> = new Set([...openStates, ...closedStates, ...fixedStates])

/** The type of a state in FixMyStreet's table, or none for a state it does not know. */
export const stateType = (state: string): "open" | "closed" | "fixed" | undefined =>
  openStates.has(state)
    ? "open"
    : closedStates.has(state)
      ? "closed"
      : fixedStates.has(state)
        ? "fixed"
        : undefined

/** `Open311.pm` `map_state`. */
export const mapState = (config: Open311Config, incoming: string): string => {
  const state = incoming.toLowerCase().replace(/_/g, " ")
  const map: Readonly<Record<string, string>> = {
    fixed: "fixed - council",
    "not councils responsibility": "not responsible",
    "no further action": "unable to fix",
    open: "confirmed",
    closed: config.extendedStatuses ? "closed" : "fixed - council"
  }
  return map[state] ?? state
}

// -----------------------------------------------------------------------------
// fetching requests — GetServiceRequests.pm
// -----------------------------------------------------------------------------

/** `GetServiceRequests.pm` `create_problems`: the window when `fetch_all_problems` is off (the last hour). */
export const fetchProblemsWindow = (now: number): readonly [string, string] => [
  w3cdtf(now - 3_600_000),
  w3cdtf(now)
]

/**
 * Why `create_problems` would not create a report from a fetched request
 * (none: it would). The area check (`FixMyStreet::MapIt::call('point', …)`
 * against the body's areas) needs MapIt: the caller checks the position
 * against the district instead.
 */
export const skipReason = (
  request: XmlHash,
  window: readonly [string, string] | undefined
): string | undefined => {
  if (
    !truthy(scalar(request, "service_request_id")) ||
    !truthy(scalar(request, "lat")) ||
    !truthy(scalar(request, "long"))
  )
    return "missing one of id, lat or long"
  const updated = parseW3cdtf(scalar(request, "updated_datetime"))
  if (updated === undefined) return "bad update time"
  const u = w3cdtf(updated)
  if (window !== undefined && (u < window[0] || u > window[1]))
    return `invalid time: ${u} either less than ${window[0]} or greater than ${window[1]}`
  return undefined
}

// -----------------------------------------------------------------------------
// fetching updates — GetServiceRequestUpdates.pm / UpdatesBase.pm
// -----------------------------------------------------------------------------

/** `GetServiceRequestUpdates.pm` `parse_dates`: the last two hours, in UTC. */
export const fetchUpdatesWindow = (now: number): readonly [string, string] => [
  w3cdtf(now - 7_200_000),
  w3cdtf(now)
]

/** `Open311.pm` `get_service_request_updates`: the parameters (`api_key` even on this GET). */
export const updatesParams = (config: Open311Config, window: readonly [string, string]): Params => [
  ["api_key", config.apiKey],
  ["start_date", window[0]],
  ["end_date", window[1]]
]

/** A comment FixMyStreet created from a fetched update. */
export interface FetchedComment {
  readonly externalId: string
  readonly created: number
  readonly text: string
  readonly problemState: string | undefined
  readonly hidden: boolean
}

/** A FixMyStreet report sent over Open311, as far as fetched updates change it. */
export interface Report {
  readonly externalId: string
  state: string
  lastupdate: number
  readonly whensent: number
  readonly comments: Array<FetchedComment>
}

/** A report just sent: `confirmed`, sent at `whensent`. */
export const sentReport = (externalId: string, whensent: number): Report => ({
  externalId,
  state: "confirmed",
  lastupdate: whensent,
  whensent,
  comments: []
})

/**
 * `GetServiceRequestUpdates.pm` `process_body` + `UpdatesBase.pm`
 * `check_date`, `find_problem`, `_process_update`: every fetched update with
 * an `update_id`, a parseable `updated_datetime` inside the window, for a
 * known report and not seen before becomes a comment; its mapped status
 * becomes the report's state when FixMyStreet shows that state, the report is
 * not moving between fixed states, and the update is not older than the last
 * one. Returns the comments created.
 */
export const processUpdates = (
  config: Open311Config,
  updates: ReadonlyArray<XmlHash>,
  window: readonly [string, string],
  reports: ReadonlyMap<string, Report>
): ReadonlyArray<FetchedComment> => {
  const created: Array<FetchedComment> = []
  for (const update of updates) {
    const updateId = scalar(update, "update_id")
    if (updateId === undefined) continue
    const time = parseW3cdtf(scalar(update, "updated_datetime"))
    if (time === undefined) continue
    const u = w3cdtf(time)
    if (u < window[0] || u > window[1]) continue
    const p = reports.get(scalar(update, "service_request_id") ?? "")
    if (p === undefined) continue
    if (p.comments.some((c) => c.externalId === updateId)) continue
    const state = mapState(config, scalar(update, "status") ?? "")
    const oldState = p.state
    // an update is never earlier than when the report was sent
    const commentTime = time <= p.whensent ? p.whensent + 1000 : time
    let problemState: string | undefined
    if (visibleStates.has(state) && !(fixedStates.has(p.state) && fixedStates.has(state))) {
      problemState = state
      if (p.state !== state && (commentTime >= p.lastupdate || p.comments.length === 0)) p.state = state
    }
    const text = scalar(update, "description") ?? ""
    const latest = [...p.comments].reverse().find((c) => !c.hidden)
    const textChange = text !== "" && (latest === undefined || latest.text !== text)
    const stateChange = problemState !== undefined && state !== oldState
    const comment: FetchedComment = {
      externalId: updateId,
      created: commentTime,
      text,
      problemState,
      hidden: !(textChange || stateChange)
    }
    if (commentTime > p.lastupdate) p.lastupdate = commentTime
    p.comments.push(comment)
    created.push(comment)
  }
  return created
}
