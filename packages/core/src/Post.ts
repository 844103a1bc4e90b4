/**
 * 岗位 — the posts of a body and the people who hold them: who holds which post
 * of which body, for which term (since … until), whether it is held
 * concurrently (兼任) and, for a member drawn from elsewhere (a 兼职委员 from a
 * department or a co-building unit, a 第一书记 from the street leadership), the
 * body the holder comes from (派出单位). A post record is one appointment; the
 * records of a body over time are its appointment history (任职记录).
 *
 * Post kinds are configuration ({@link PostKindTable}); the defaults are the
 * posts the field reports name: 书记, 第一书记, 副书记, 委员, 兼职委员, 主任, 副主任,
 * 站长, 理事长, 理事, 网格长, 法律顾问 (the Pingyi street report's 一村一顾问),
 * 调解员, 主任 of a 业委会, 楼栋长, 小组长.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { BodyId } from "./Body.js"
import { GridId } from "./Grid.js"
import { PersonId } from "./Staffing.js"
import * as Text from "./Text.js"
import { LocalDate } from "./WorkingCalendar.js"

/**
 * 岗位记录标识 — the identifier of one appointment (a post record).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PostId = Text.Id.pipe(
  Schema.brand("PostId"),
  Schema.annotations({ identifier: "PostId", title: "岗位记录标识 post id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type PostId = typeof PostId.Type

/**
 * 岗位类别标识 — the id of a post kind in a {@link PostKindTable}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PostKindId = Text.Id.pipe(
  Schema.brand("PostKindId"),
  Schema.annotations({ identifier: "PostKindId", title: "岗位类别 post kind id" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type PostKindId = typeof PostKindId.Type

/**
 * 岗位类别 — one kind of post: its id, names, and whether a body has at most one
 * holder of it at a time (`single`: 书记, 主任, 理事长 …).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PostKind = Schema.Struct({
  id: PostKindId,
  zh: Text.Name,
  en: Text.Name,
  /** 唯一 — at most one holder per body at a time. */
  single: Schema.Boolean
}).annotations({ identifier: "PostKind", title: "岗位类别 post kind" })

/**
 * @since 0.1.0
 * @category models
 */
export interface PostKind extends Schema.Schema.Type<typeof PostKind> {}

/**
 * 岗位类别表 — the configured post kinds.
 *
 * @since 0.1.0
 * @category models
 */
export type PostKindTable = ReadonlyArray<PostKind>

const id = (text: string): PostKindId => PostKindId.make(text, { disableValidation: true })

/**
 * The default post kind ids, as constants for code that names them.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds = {
  secretary: id("secretary"),
  firstSecretary: id("first-secretary"),
  deputySecretary: id("deputy-secretary"),
  member: id("member"),
  partTimeMember: id("part-time-member"),
  director: id("director"),
  deputyDirector: id("deputy-director"),
  stationHead: id("station-head"),
  chair: id("chair"),
  councilMember: id("council-member"),
  gridLeader: id("grid-leader"),
  legalAdviser: id("legal-adviser"),
  mediator: id("mediator"),
  buildingLeader: id("building-leader"),
  groupLeader: id("group-leader")
} as const

/**
 * The default post kinds.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultKinds: PostKindTable = [
  { id: kinds.secretary, zh: "书记", en: "secretary", single: true },
  { id: kinds.firstSecretary, zh: "第一书记", en: "first secretary", single: true },
  { id: kinds.deputySecretary, zh: "副书记", en: "deputy secretary", single: false },
  { id: kinds.member, zh: "委员", en: "committee member", single: false },
  { id: kinds.partTimeMember, zh: "兼职委员", en: "part-time committee member", single: false },
  { id: kinds.director, zh: "主任", en: "director", single: true },
  { id: kinds.deputyDirector, zh: "副主任", en: "deputy director", single: false },
  { id: kinds.stationHead, zh: "站长", en: "station head", single: true },
  { id: kinds.chair, zh: "理事长", en: "council chair", single: true },
  { id: kinds.councilMember, zh: "理事", en: "council member", single: false },
  { id: kinds.gridLeader, zh: "网格长", en: "grid leader", single: false },
  { id: kinds.legalAdviser, zh: "法律顾问", en: "legal adviser", single: false },
  { id: kinds.mediator, zh: "调解员", en: "mediator", single: false },
  { id: kinds.buildingLeader, zh: "楼栋长", en: "building leader", single: false },
  { id: kinds.groupLeader, zh: "居民小组长", en: "residents' group leader", single: false }
]

/**
 * Looks a post kind up in a table.
 *
 * @since 0.1.0
 * @category getters
 */
export const kindOf = (table: PostKindTable, kindId: PostKindId): Option.Option<PostKind> =>
  Option.fromNullable(table.find((k) => k.id === kindId))

/**
 * The Chinese and English names of a post kind (the id itself when the table
 * does not know it).
 *
 * @since 0.1.0
 * @category getters
 */
export const kindName = (
  table: PostKindTable,
  kindId: PostKindId
): { readonly zh: string; readonly en: string } =>
  Option.match(kindOf(table, kindId), {
    onNone: () => ({ zh: kindId, en: kindId }),
    onSome: (k) => ({ zh: k.zh, en: k.en })
  })

/**
 * 岗位 — one appointment: a person holds a post of a body from `since` to
 * `until` (inclusive; open when absent), possibly concurrently with another
 * post (兼任), for a grid (网格长), and coming from another body (派出单位).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Post = Schema.Struct({
  id: PostId,
  bodyId: BodyId,
  kind: PostKindId,
  /** 任职人 — the holder. */
  holder: PersonId,
  /** 任职起始 — the first day of the term. */
  since: LocalDate,
  /** 任职终止 — the last day of the term; absent while it lasts. */
  until: Schema.optionalWith(LocalDate, { exact: true }),
  /** 兼任 — held concurrently with another post. */
  concurrent: Schema.Boolean,
  /** 网格 — for a grid leader, the grid led. */
  gridId: Schema.optionalWith(GridId, { exact: true }),
  /** 派出单位 — the body the holder comes from (a department, a co-building unit, the street leadership). */
  affiliation: Schema.optionalWith(BodyId, { exact: true })
}).annotations({ identifier: "Post", title: "岗位 post" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Post extends Schema.Schema.Type<typeof Post> {}

/**
 * Builds a post record without validation (for trusted data and tests).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly id: string
  readonly bodyId: string
  readonly kind: string
  readonly holder: string
  readonly since: string
  readonly until?: string
  readonly concurrent?: boolean
  readonly gridId?: string
  readonly affiliation?: string
}): Post => {
  const o = { disableValidation: true }
  return {
    id: PostId.make(fields.id, o),
    bodyId: BodyId.make(fields.bodyId, o),
    kind: PostKindId.make(fields.kind, o),
    holder: PersonId.make(fields.holder, o),
    since: LocalDate.make(fields.since, o),
    ...(fields.until === undefined ? {} : { until: LocalDate.make(fields.until, o) }),
    concurrent: fields.concurrent ?? false,
    ...(fields.gridId === undefined ? {} : { gridId: GridId.make(fields.gridId, o) }),
    ...(fields.affiliation === undefined ? {} : { affiliation: BodyId.make(fields.affiliation, o) })
  }
}

/**
 * Whether a post is held on a day (`since` ≤ day ≤ `until`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const heldOn = (post: Post, day: LocalDate): boolean =>
  post.since <= day && (post.until === undefined || day <= post.until)

/**
 * Whether two terms share at least one day.
 *
 * @since 0.1.0
 * @category predicates
 */
export const overlaps = (a: Post, b: Post): boolean =>
  (a.until === undefined || b.since <= a.until) && (b.until === undefined || a.since <= b.until)

/**
 * The posts held on a day.
 *
 * @since 0.1.0
 * @category filtering
 */
export const activeOn = (posts: ReadonlyArray<Post>, day: LocalDate): ReadonlyArray<Post> =>
  posts.filter((p) => heldOn(p, day))

const byTerm = (a: Post, b: Post): number =>
  a.since < b.since ? -1 : a.since > b.since ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/**
 * 任职记录 — the appointment history of a person: their posts, oldest term first.
 *
 * @since 0.1.0
 * @category getters
 */
export const historyOfPerson = (posts: ReadonlyArray<Post>, personId: PersonId): ReadonlyArray<Post> =>
  posts.filter((p) => p.holder === personId).sort(byTerm)

/**
 * 任职记录 — the appointment history of one post of a body (e.g. the successive
 * 书记 of a branch), oldest term first.
 *
 * @since 0.1.0
 * @category getters
 */
export const historyOfPost = (
  posts: ReadonlyArray<Post>,
  bodyId: BodyId,
  kindId: PostKindId
): ReadonlyArray<Post> => posts.filter((p) => p.bodyId === bodyId && p.kind === kindId).sort(byTerm)

/**
 * The holders of a post of a body on a day (sorted, distinct).
 *
 * @since 0.1.0
 * @category getters
 */
export const holdersOn = (
  posts: ReadonlyArray<Post>,
  bodyId: BodyId,
  kindId: PostKindId,
  day: LocalDate
): ReadonlyArray<PersonId> =>
  [
    ...new Set(
      posts.filter((p) => p.bodyId === bodyId && p.kind === kindId && heldOn(p, day)).map((p) => p.holder)
    )
  ].sort()
