/**
 * @civicgrid/http — the civicgrid SDK over HTTP (`@effect/platform` HttpApi).
 *
 * @since 0.1.0
 */

/**
 * 基础数据管理接口实现 — the `admin` handlers (units, buildings, grids, staff, departments).
 *
 * @since 0.1.0
 */
export * as AdminHandlers from "./AdminHandlers.js"

/**
 * 接口契约 — the HttpApi contract (OpenAPI, typed clients).
 *
 * @since 0.1.0
 */
export * as Api from "./Api.js"

/**
 * 身份认证 — bearer tokens to principals (pluggable verifier).
 *
 * @since 0.1.0
 */
export * as Authorization from "./Authorization.js"

/**
 * 请求体检查 — refuses multipart and too-deep JSON bodies with a 400.
 *
 * @since 0.1.0
 */
export * as BodyGuard from "./BodyGuard.js"

/**
 * 案件接口实现 — the `cases` handlers.
 *
 * @since 0.1.0
 */
export * as CasesHandlers from "./CasesHandlers.js"
/**
 * 议事协商处理器 — proposals, commands, meetings, ballots, resolutions and the public publications.
 *
 * @since 0.1.0
 */
export * as DeliberationHandlers from "./DeliberationHandlers.js"

/**
 * 错误响应 — every error of the JSON API answers with a JSON body
 * `{ _tag, message, field?, rule? }` (bilingual, naming the field and rule).
 *
 * @since 0.1.0
 */
export * as ErrorBody from "./ErrorBody.js"

/**
 * 组织体系与网格接口实现 — the `hierarchy` and `grids` handlers.
 *
 * @since 0.1.0
 */
export * as HierarchyHandlers from "./HierarchyHandlers.js"

/**
 * 清单接口实现 — the `lists` handlers.
 *
 * @since 0.1.0
 */
export * as ListsHandlers from "./ListsHandlers.js"
/**
 * 一张图接口实现 — the `map` handler: open cases with their positions in one request.
 *
 * @since 0.1.0
 */
export * as MapHandlers from "./MapHandlers.js"

/**
 * 脱敏 — masking personal data.
 *
 * @since 0.1.0
 */
export * as Mask from "./Mask.js"
/**
 * 考核指标与满意度接口实现 — the `metrics` and `surveys` handlers (pluggable indicator source).
 *
 * @since 0.1.0
 */
export * as MetricsHandlers from "./MetricsHandlers.js"

/**
 * Open311 GeoReport v2 — the citizen-request endpoints under `/open311/v2`.
 *
 * @since 0.1.0
 */
export * as Open311 from "./Open311.js"

/**
 * Open311 XML — the XML encoding of GeoReport v2 responses.
 *
 * @since 0.1.0
 */
export * as Open311Xml from "./Open311Xml.js"

/**
 * 组织与岗位接口实现 — the `organization` handlers (bodies, posts and their history, party organisations with members, the organisation rules checked) and the public `directory` (a building's 公示牌, masked).
 *
 * @since 0.1.0
 */
export * as OrganizationHandlers from "./OrganizationHandlers.js"

/**
 * 联户走访接口实现 — the `people` handlers: households, key-group members (PIPL: granted, masked, logged), the access log, visits due and recorded, proxy services.
 *
 * @since 0.1.0
 */
export * as PeopleHandlers from "./PeopleHandlers.js"

/**
 * 访问主体 — principals, scope and the principal → actor mapping.
 *
 * @since 0.1.0
 */
export * as Principal from "./Principal.js"
/**
 * 服务 — the API as a Layer to serve (OpenAPI, Swagger UI).
 *
 * @since 0.1.0
 */
export * as Server from "./Server.js"
/**
 * 会话接口实现 — the `session` handlers: who am I (`/me`) and board changes as server-sent events.
 *
 * @since 0.1.0
 */
export * as SessionHandlers from "./SessionHandlers.js"

/**
 * 签名回调 — signed webhooks: the event-delivery subscriber and `verify` for receivers.
 *
 * @since 0.1.0
 */
export * as Webhook from "./Webhook.js"
