/**
 * 组织 — the organisation of the principal's jurisdiction as the organisation endpoints answer it:
 *
 * - 组织指标 (`GET /organisation/indicators`, today, `period` the latest quarter): 治理理事会覆盖率 and members
 *   per council, 小区管理 (arranged share, 兜底 share, counts by mode), 软弱涣散 of the quarter (the count
 *   against the target 0, "已清零" when met, else the flagged organisations by name), 党员占比 by post kind
 *   (the kind named by the server in Chinese or English), bodies by kind and each community by name with
 *   its pattern (一委一站 / 两委一站 / 两委两站); each
 *   ratio as "37/51 72.5%" with numerator and denominator on hover ("无数据" without a denominator); when
 *   only this endpoint fails, the section says why and the rest of the page stays;
 * - 组织机构 (`GET /bodies`): each body with its kind and unit, and its post records (`GET /posts` without a
 *   day: the appointment history, ended terms marked) — each holder by the name the API gives
 *   (`holderName`: masked unless the principal may read staff data; the id when the person is not
 *   stored), 兼任 and 派出单位;
 * - 党组织 (`GET /party-organisations`): each party body with its committee (post and holder name) and its
 *   members held today by name (组织关系 and 报到 counted apart);
 * - 配备检查 (`GET /staffing/check`): every violation of the organisation rules, each naming its rule in
 *   Chinese (English with the switch), and the membership (双报到) and appraisal-record checks.
 *
 * - 干部考核（绿橙红） (`GET /appraisals`, the latest appraisal of each cadre): the cadres by unit, each with
 *   the posts held, the current light — a coloured dot always with its name (绿灯/橙灯/红灯) and the score —
 *   how it changed from the appraisal before, and the history as small coloured dots, each carrying its
 *   light's letter and, on hover, the period and the score; names as the server gives them (masked unless
 *   the principal may read personal data).
 *
 * - 小区党组织组建 (`GET /compound-foundings`): each founding as the five steps 找党员 → 转关系 → 建组织 →
 *   配班子 → 履承诺, those done ticked with the days the answer carries (first, last, founded), the next step;
 * - 评选表彰 (`GET /awards`): each round with quota, places taken and notice period, its nominees by the
 *   names the endpoint gives (masked unless the principal may read personal data), their state, notice
 *   window and the day awarded. Each of these two sections, like the indicators, says why when only its
 *   endpoint fails.
 *
 * A server without an organisation store answers 503 `OrganizationUnavailable`: then the page says so and
 * shows nothing else.
 */
import type * as Award from "@civicgrid/core/Award"
import * as Body from "@civicgrid/core/Body"
import * as CompoundPartyFounding from "@civicgrid/core/CompoundPartyFounding"
import * as OrganizationRules from "@civicgrid/core/OrganizationRules"
import * as Period from "@civicgrid/core/Period"
import * as Post from "@civicgrid/core/Post"
import * as Ratio from "@civicgrid/core/Ratio"
import * as Score from "@civicgrid/core/Score"
import type * as Api from "@civicgrid/http/Api"
import * as DateTime from "effect/DateTime"
import { useEffect, useState } from "preact/hooks"
import { call, type Outcome } from "./api.js"
import { lang, t } from "./i18n.js"
import type { Session } from "./session.js"

type Bodies = ReadonlyArray<Body.Body>
type Posts = ReadonlyArray<typeof Api.PostView.Type>
type PartyOrganisations = ReadonlyArray<typeof Api.PartyOrganisationView.Type>
type Check = typeof Api.OrganizationCheck.Type
type Appraisals = typeof Api.AppraisalsView.Type
type Indicators = typeof Api.OrganizationIndicatorsView.Type
type WeakAndLax = typeof Api.WeakAndLaxView.Type
type Foundings = ReadonlyArray<typeof Api.FoundingView.Type>
type Rounds = ReadonlyArray<typeof Api.RoundView.Type>

interface Data {
  readonly bodies: Bodies
  readonly posts: Posts
  readonly party: PartyOrganisations
  readonly check: Check
  readonly appraisals: Outcome<Appraisals>
  readonly indicators: Outcome<Indicators>
  readonly foundings: Outcome<Foundings>
  readonly awards: Outcome<Rounds>
}

/** The latest quarter: the one of today at +08:00 (`2026-Q4`), the period asked of 软弱涣散. */
export const latestQuarter = (): string => Period.label(Period.periodOf(DateTime.unsafeNow(), "quarter"))

/** A server message ("中文 — English [rule]") in the language shown. */
export const messageIn = (message: string): string => {
  const cut = message.indexOf(" — ")
  if (cut < 0) return message
  return lang() === "zh" ? message.slice(0, cut) : message.slice(cut + 3)
}

/** The name of a body kind, of a post kind (the id when the default tables do not know it). */
const bodyKindName = (kind: string): string => {
  const found = Body.defaultKinds.find((k) => k.id === kind)
  return found === undefined ? kind : t(found.zh, found.en)
}
const postKindName = (kind: string): string => {
  const found = Post.defaultKinds.find((k) => k.id === kind)
  return found === undefined ? kind : t(found.zh, found.en)
}

/** The Chinese (or English) name of an organisation rule. */
export const ruleName = (rule: OrganizationRules.RuleName): string => {
  const label = OrganizationRules.ruleLabels[rule]
  return t(label.zh, label.en)
}

const membershipRuleNames: Readonly<Record<string, readonly [string, string]>> = {
  "several-relations": ["组织关系唯一", "one relation at a time"],
  "reported-without-home": ["报到注明原单位党组织", "a report names the home organisation"],
  "report-to-home": ["不向本支部报到", "no report to the own branch"],
  "term-reversed": ["起止日期", "term dates"]
}
const appraisalRuleNames: Readonly<Record<string, readonly [string, string]>> = {
  duplicate: ["每期一条考核记录", "one appraisal per period"],
  "score-range": ["得分 0–100", "score within 0–100"]
}
const named = (table: Readonly<Record<string, readonly [string, string]>>, rule: string): string => {
  const found = table[rule]
  return found === undefined ? rule : t(found[0], found[1])
}

const Unavailable = () => (
  <section class="card" data-testid="org-unavailable">
    <h2>{t("组织与岗位", "Organisation")}</h2>
    <p class="hint">
      {t("本服务器未配置组织与岗位。", "This server keeps no organisation data (bodies and posts).")}
    </p>
  </section>
)

/** A holder as the API names them (masked or in full); the id when the person is not stored. */
const holderOf = (p: { readonly holder: string; readonly holderName: string | null }): string =>
  p.holderName ?? p.holder

/** A ratio as "37/51 72.5%" ("0/0 无数据" without a denominator), its counts on hover and in data attributes. */
const RatioValue = ({ ratio, id }: { readonly ratio: Ratio.Ratio; readonly id: string }) => (
  <span
    class="nowrap"
    data-testid="org-ind"
    data-key={id}
    data-numerator={ratio.numerator}
    data-denominator={ratio.denominator}
    title={`${ratio.numerator} / ${ratio.denominator}`}
  >
    {ratio.numerator}/{ratio.denominator} {Ratio.format(ratio, { noData: t("无数据", "no data") })}
  </span>
)

/** A mean per item as "14/2 7.0" ("0/0 无数据" without items), its counts on hover and in data attributes. */
const MeanValue = ({ ratio, id }: { readonly ratio: Ratio.Ratio; readonly id: string }) => (
  <span
    class="nowrap"
    data-testid="org-ind"
    data-key={id}
    data-numerator={ratio.numerator}
    data-denominator={ratio.denominator}
    title={`${ratio.numerator} / ${ratio.denominator}`}
  >
    {ratio.numerator}/{ratio.denominator}{" "}
    {ratio.denominator === 0 ? t("无数据", "no data") : (ratio.numerator / ratio.denominator).toFixed(1)}
  </span>
)

/** A count, with its key in a data attribute. */
const CountValue = ({ count, id }: { readonly count: number; readonly id: string }) => (
  <b data-testid="org-ind-count" data-key={id}>
    {count}
  </b>
)

const patternNames: Readonly<Record<string, readonly [string, string]>> = {
  一委一站: ["一委一站", "one committee, one station"],
  两委一站: ["两委一站", "two committees, one station"],
  两委两站: ["两委两站", "two committees, two stations"],
  other: ["其他", "other"]
}

/**
 * 软弱涣散 — the flagged party organisations of the latest quarter against the target (0, 清零): "已清零"
 * when met, else the flagged organisations by name.
 */
const WeakAndLaxBlock = ({ weakAndLax }: { readonly weakAndLax: WeakAndLax | null }) =>
  weakAndLax === null ? null : (
    <div
      class="weak-and-lax"
      data-testid="org-weak-and-lax"
      data-period={weakAndLax.period}
      data-count={weakAndLax.count}
      data-target={weakAndLax.target}
      data-met={String(weakAndLax.met)}
    >
      <h3>
        {t("软弱涣散基层党组织", "Weak and lax party organisations")}{" "}
        <span class="hint">{weakAndLax.period}</span>
      </h3>
      <p>
        {t("数量", "Count")} <b data-testid="org-weak-and-lax-count">{weakAndLax.count}</b> ·{" "}
        {t("目标", "Target")} <b data-testid="org-weak-and-lax-target">{weakAndLax.target}</b> ·{" "}
        {weakAndLax.met ? (
          <span class="ok" data-testid="org-weak-and-lax-met">
            {t("已清零", "Cleared (target met)")}
          </span>
        ) : (
          <span class="error" data-testid="org-weak-and-lax-unmet">
            {t("未清零", "Not cleared")}
          </span>
        )}
      </p>
      {weakAndLax.flagged.length > 0 && (
        <ul class="inline" data-testid="org-weak-and-lax-flagged">
          {weakAndLax.flagged.map((f) => (
            <li key={f.bodyId} data-testid="org-weak-and-lax-body" data-body-id={f.bodyId}>
              {f.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  )

/** 组织指标 — the jurisdiction's organisation indicators today (`GET /organisation/indicators`). */
const IndicatorsSection = ({ indicators }: { readonly indicators: Outcome<Indicators> }) => {
  if (!indicators.ok)
    return (
      <section class="card" data-testid="org-indicators">
        <h2>{t("组织指标", "Organisation indicators")}</h2>
        <p class="error" data-testid="org-indicators-error">
          {messageIn(indicators.error.message)}
        </p>
      </section>
    )
  const ind = indicators.value
  const cm = ind.compoundManagement
  const modes: ReadonlyArray<readonly [string, number, string, string]> = [
    ["professional", cm.professional, "专业物业", "professional"],
    ["selfManaged", cm.selfManaged, "自治管理", "self-managed"],
    ["takenOver", cm.takenOver, "兜底管理", "taken over"],
    ["unmanaged", cm.unmanaged, "无人管理", "unmanaged"],
    ["unrecorded", cm.unrecorded, "未登记", "not recorded"]
  ]
  return (
    <section class="card" data-testid="org-indicators" data-day={ind.day} data-within={ind.within}>
      <h2>
        {t("组织指标", "Organisation indicators")} <span class="hint">{ind.day}</span>
      </h2>
      <table class="grid indicators">
        <tbody>
          <tr>
            <th>{t("治理理事会覆盖率", "Governance council coverage")}</th>
            <td>
              <RatioValue ratio={ind.councilCoverage} id="councilCoverage" />
            </td>
            <th>{t("理事会平均成员", "Members per council")}</th>
            <td>
              <MeanValue ratio={ind.councilMembers} id="councilMembers" />
            </td>
          </tr>
          <tr>
            <th>{t("小区管理覆盖率", "Compounds with management")}</th>
            <td>
              <RatioValue ratio={cm.arranged} id="compoundManagement.arranged" />
            </td>
            <th>{t("兜底管理占比", "Taken over (of unmanaged)")}</th>
            <td>
              <RatioValue ratio={cm.takenOverShare} id="compoundManagement.takenOverShare" />
            </td>
          </tr>
        </tbody>
      </table>
      <ul class="inline" data-testid="org-ind-compounds">
        {modes.map(([key, count, zh, en]) => (
          <li key={key}>
            {t(zh, en)}: <CountValue count={count} id={`compoundManagement.${key}`} />
          </li>
        ))}
      </ul>
      <WeakAndLaxBlock weakAndLax={ind.weakAndLax} />
      <h3>{t("党员占比（按岗位）", "Party members by post")}</h3>
      {ind.partyShareByPost.length === 0 ? (
        <p class="hint">{t("暂无岗位", "No posts")}</p>
      ) : (
        <table class="grid compact">
          <tbody>
            {ind.partyShareByPost.map((p) => (
              <tr key={p.kind}>
                <th>{t(p.name, p.en)}</th>
                <td>
                  <RatioValue ratio={p.share} id={`partyShareByPost.${p.kind}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t("组织机构（按类别）", "Bodies by kind")}</h3>
      {ind.bodiesByKind.length === 0 ? (
        <p class="hint">{t("暂无组织机构", "No bodies")}</p>
      ) : (
        <table class="grid compact">
          <tbody>
            {ind.bodiesByKind.map((b) => (
              <tr key={b.kind}>
                <th>{t(b.name, b.en)}</th>
                <td>
                  <CountValue count={b.count} id={`bodiesByKind.${b.kind}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t("社区组织模式", "Community patterns")}</h3>
      {ind.patterns.length === 0 ? (
        <p class="hint">{t("辖区内无社区", "No communities")}</p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("社区", "Community")}</th>
              <th>{t("模式", "Pattern")}</th>
              <th>{t("委员会", "Committees")}</th>
              <th>{t("工作站", "Stations")}</th>
            </tr>
          </thead>
          <tbody>
            {ind.patterns.map((p) => (
              <tr
                key={p.unitId}
                data-testid="org-ind-pattern"
                data-unit-id={p.unitId}
                data-name={p.name}
                data-pattern={p.pattern}
                data-committees={p.committees}
                data-stations={p.stations}
              >
                <td data-testid="org-ind-pattern-name" title={p.unitId}>
                  {p.name}
                </td>
                <td>{named(patternNames, p.pattern)}</td>
                <td>{p.committees}</td>
                <td>{p.stations}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

const BodiesSection = ({ bodies, posts }: { readonly bodies: Bodies; readonly posts: Posts }) => {
  const nameOf = new Map(bodies.map((b) => [b.id as string, b.name]))
  return (
    <section class="card" data-testid="org-bodies">
      <h2>
        {t("组织机构与岗位", "Bodies and posts")} <span class="hint">{bodies.length}</span>
      </h2>
      {bodies.length === 0 ? (
        <p class="hint" data-testid="org-bodies-empty">
          {t("辖区内尚无组织机构。", "No bodies in this jurisdiction yet.")}
        </p>
      ) : (
        bodies.map((body) => {
          const own = posts.filter((p) => p.bodyId === body.id)
          return (
            <div class="org-body" key={body.id} data-testid="org-body" data-body-id={body.id}>
              <h3>
                <span data-testid="org-body-name">{body.name}</span>{" "}
                <span class="hint">
                  {bodyKindName(body.kind)} · {body.unitId}
                  {body.until === undefined ? "" : ` · ${t("至", "until")} ${body.until}`}
                </span>
              </h3>
              {own.length === 0 ? (
                <p class="hint">{t("暂无任职记录", "No post records")}</p>
              ) : (
                <table class="grid">
                  <thead>
                    <tr>
                      <th>{t("岗位", "Post")}</th>
                      <th>{t("任职人", "Holder")}</th>
                      <th>{t("任期", "Term")}</th>
                      <th>{t("兼任", "Concurrent")}</th>
                      <th>{t("派出单位", "Seconded from")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {own.map((p) => (
                      <tr
                        key={p.id}
                        data-testid="org-post"
                        data-post-id={p.id}
                        class={p.until === undefined ? "" : "ended"}
                      >
                        <td>
                          {postKindName(p.kind)}
                          {p.gridId === undefined ? "" : ` (${p.gridId})`}
                        </td>
                        <td data-testid="org-post-holder" data-holder-id={p.holder} title={p.holder}>
                          {holderOf(p)}
                        </td>
                        <td>
                          {p.since} – {p.until ?? t("至今", "now")}
                        </td>
                        <td>{p.concurrent ? t("是", "yes") : ""}</td>
                        <td>
                          {p.affiliation === undefined ? "" : (nameOf.get(p.affiliation) ?? p.affiliation)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )
        })
      )}
    </section>
  )
}

const PartySection = ({ party }: { readonly party: PartyOrganisations }) => (
  <section class="card" data-testid="org-party">
    <h2>
      {t("党组织", "Party organisations")} <span class="hint">{party.length}</span>
    </h2>
    {party.length === 0 ? (
      <p class="hint" data-testid="org-party-empty">
        {t("辖区内尚无党组织。", "No party organisations in this jurisdiction yet.")}
      </p>
    ) : (
      <table class="grid">
        <thead>
          <tr>
            <th>{t("党组织", "Organisation")}</th>
            <th>{t("类别", "Kind")}</th>
            <th>{t("班子成员", "Committee")}</th>
            <th>{t("党员", "Members")}</th>
            <th>{t("其中组织关系", "Relations")}</th>
            <th>{t("其中报到", "Reported")}</th>
            <th>{t("党员名单", "Member names")}</th>
          </tr>
        </thead>
        <tbody>
          {party.map((p) => (
            <tr
              key={p.body.id}
              data-testid="party-org"
              data-body-id={p.body.id}
              data-committee={p.posts.length}
              data-members={p.members.length}
            >
              <td>{p.body.name}</td>
              <td>{bodyKindName(p.body.kind)}</td>
              <td data-testid="party-org-committee">
                {p.posts.map((post) => (
                  <span
                    class="nowrap"
                    key={post.id}
                    data-testid="party-org-post"
                    data-post-id={post.id}
                    data-holder-id={post.holder}
                    title={post.holder}
                  >
                    {postKindName(post.kind)} <b data-testid="party-org-holder">{holderOf(post)}</b>{" "}
                  </span>
                ))}
              </td>
              <td data-testid="party-org-members">{p.members.length}</td>
              <td>{p.members.filter((m) => m.kind === "relation").length}</td>
              <td>{p.members.filter((m) => m.kind === "reported").length}</td>
              <td class="hint" data-testid="party-org-member-names">
                {p.members.map((m) => m.name ?? m.personId).join("、")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
)

const CheckSection = ({ check }: { readonly check: Check }) => {
  const total = check.violations.length + check.memberships.length + check.appraisals.length
  return (
    <section class="card" data-testid="org-check" data-day={check.day} data-total={total}>
      <h2>
        {t("配备检查", "Staffing check")} <span class="hint">{check.day}</span>
      </h2>
      {total === 0 ? (
        <p class="ok" data-testid="org-check-clean">
          {t("未发现违反组织配置规则的情况。", "No organisation rule is broken.")}
        </p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("规则", "Rule")}</th>
              <th>{t("单元", "Unit")}</th>
              <th>{t("说明", "What is wrong")}</th>
            </tr>
          </thead>
          <tbody>
            {check.violations.map((v, i) => (
              <tr
                key={`o${i}`}
                data-testid="org-violation"
                data-rule={v.rule}
                data-problem={v.problem}
                data-message={v.message}
              >
                <td data-testid="org-violation-rule">{ruleName(v.rule)}</td>
                <td>{v.unitId ?? ""}</td>
                <td>{messageIn(v.message)}</td>
              </tr>
            ))}
            {check.memberships.map((v, i) => (
              <tr
                key={`m${i}`}
                data-testid="org-violation"
                data-rule={`membership/${v.rule}`}
                data-message={v.message}
              >
                <td data-testid="org-violation-rule">
                  {t("党员关系", "Membership")}：{named(membershipRuleNames, v.rule)}
                </td>
                <td />
                <td>{messageIn(v.message)}</td>
              </tr>
            ))}
            {check.appraisals.map((v, i) => (
              <tr
                key={`a${i}`}
                data-testid="org-violation"
                data-rule={`appraisal/${v.rule}`}
                data-message={v.message}
              >
                <td data-testid="org-violation-rule">
                  {t("干部考核记录", "Appraisal records")}：{named(appraisalRuleNames, v.rule)}
                </td>
                <td />
                <td>{messageIn(v.message)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

const lightEn: Readonly<Record<Score.Light, string>> = { green: "green", orange: "orange", red: "red" }

/** The name of a light: 绿灯, 橙灯, 红灯 (green, orange, red). */
export const appraisalLightName = (light: Score.Light): string =>
  t(`${Score.lightNames[light]}灯`, lightEn[light])

/** The light's one-letter mark inside a dot (绿 / G …): colour is never the only signal. */
const lightMark = (light: Score.Light): string =>
  t(Score.lightNames[light], lightEn[light].slice(0, 1).toUpperCase())

const changeNames: Readonly<Record<string, readonly [string, string]>> = {
  first: ["首次考核", "first appraisal"],
  better: ["↑ 好转", "↑ better"],
  same: ["→ 持平", "→ same"],
  worse: ["↓ 下滑", "↓ worse"]
}

const postKindOf = (p: { readonly kindZh: string; readonly kindEn: string; readonly bodyName: string }) =>
  `${t(p.kindZh, p.kindEn)} · ${p.bodyName}`

/** 干部考核（绿橙红） — the cadres' lights by unit with their history (`GET /appraisals`). */
const AppraisalsSection = ({ appraisals }: { readonly appraisals: Outcome<Appraisals> }) => {
  if (!appraisals.ok)
    return (
      <section class="card" data-testid="org-appraisals">
        <h2>{t("干部考核（绿橙红）", "Cadre appraisals (green, orange, red)")}</h2>
        <p class="error" data-testid="org-appraisals-error">
          {messageIn(appraisals.error.message)}
        </p>
      </section>
    )
  const { cadres, lights, namesMasked } = appraisals.value
  const units: Array<{
    readonly unitId: string
    readonly unitName: string
    rows: Array<(typeof cadres)[number]>
  }> = []
  for (const cadre of cadres) {
    const last = units[units.length - 1]
    if (last !== undefined && last.unitId === cadre.unitId) last.rows.push(cadre)
    else units.push({ unitId: cadre.unitId, unitName: cadre.unitName, rows: [cadre] })
  }
  return (
    <section
      class="card"
      data-testid="org-appraisals"
      data-green={lights.green}
      data-orange={lights.orange}
      data-red={lights.red}
    >
      <h2>
        {t("干部考核（绿橙红）", "Cadre appraisals (green, orange, red)")}{" "}
        <span class="hint">{cadres.length}</span>
      </h2>
      {cadres.length === 0 ? (
        <p class="hint" data-testid="org-appraisals-empty">
          {t("辖区内尚无干部考核记录。", "No cadre appraisals in this jurisdiction yet.")}
        </p>
      ) : (
        <>
          <ul class="inline" data-testid="org-appraisal-counts">
            {Score.Light.literals.map((light) => (
              <li key={light}>
                <span class={`dot score-${light}`} /> {appraisalLightName(light)}:{" "}
                <b data-testid={`org-appraisals-${light}`}>{lights[light]}</b>
              </li>
            ))}
          </ul>
          <table class="grid">
            <thead>
              <tr>
                <th>{t("干部", "Cadre")}</th>
                <th>{t("当前亮灯", "Current light")}</th>
                <th>{t("变化", "Change")}</th>
                <th>{t("历次考核", "History")}</th>
                <th>{t("岗位", "Posts")}</th>
              </tr>
            </thead>
            {units.map((unit) => (
              <tbody key={unit.unitId} data-testid="org-appraisal-unit" data-unit-id={unit.unitId}>
                <tr class="group">
                  <th colSpan={5}>{unit.unitName}</th>
                </tr>
                {unit.rows.map((cadre) => (
                  <tr
                    key={cadre.cadreId}
                    data-testid="org-appraisal"
                    data-cadre-id={cadre.cadreId}
                    data-light={cadre.current.light}
                    data-period={cadre.current.label}
                    data-score={cadre.current.score}
                    data-history={cadre.history.map((h) => h.light).join(",")}
                  >
                    <td data-testid="org-appraisal-name">{cadre.name ?? cadre.cadreId}</td>
                    <td class="nowrap" data-testid="org-appraisal-light">
                      <span class={`dot score-${cadre.current.light}`} />{" "}
                      {appraisalLightName(cadre.current.light)}{" "}
                      <span class="hint">
                        {cadre.current.score} · {cadre.current.label}
                      </span>
                    </td>
                    <td class="nowrap">{named(changeNames, cadre.current.change)}</td>
                    <td>
                      <span class="history" data-testid="org-appraisal-history">
                        {cadre.history.map((h) => (
                          <span
                            key={h.label}
                            class={`mark score-${h.light}`}
                            title={`${h.label}: ${h.score} ${appraisalLightName(h.light)}`}
                            role="img"
                            aria-label={`${h.label} ${appraisalLightName(h.light)} ${h.score}`}
                          >
                            {lightMark(h.light)}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td class="posts hint">{cadre.posts.map(postKindOf).join("；")}</td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
          {namesMasked && (
            <p class="hint" data-testid="org-appraisals-masked">
              {t("姓名已脱敏（无个人信息查看权限）。", "Names are masked (no right to read personal data).")}
            </p>
          )}
        </>
      )}
    </section>
  )
}

const stepEn: Readonly<Record<CompoundPartyFounding.Step, string>> = {
  "find-members": "find members",
  "transfer-relations": "transfer relations",
  establish: "establish",
  "staff-committee": "staff the committee",
  pledge: "pledge"
}

/** A founding step's name: 找党员 … 履承诺 (find members … pledge). */
export const stepName = (step: CompoundPartyFounding.Step): string =>
  t(CompoundPartyFounding.stepNames[step], stepEn[step])

/**
 * The day a step done is known by (the view carries the founding's first, last and founding days): the
 * first step its start, the last step done its last day, 履承诺 the day founded; otherwise none.
 */
const stepDay = (f: typeof Api.FoundingView.Type, step: CompoundPartyFounding.Step): string | null => {
  const at = f.done.indexOf(step)
  if (at < 0) return null
  if (step === "pledge" && f.foundedOn !== null) return f.foundedOn
  if (at === f.done.length - 1) return f.lastOn
  if (at === 0) return f.since
  return null
}

/** A section whose endpoint failed: its heading and why. */
const Failed = ({
  id,
  title,
  message
}: {
  readonly id: string
  readonly title: string
  readonly message: string
}) => (
  <section class="card" data-testid={id}>
    <h2>{title}</h2>
    <p class="error" data-testid={`${id}-error`}>
      {messageIn(message)}
    </p>
  </section>
)

/** 小区党组织组建 — each compound's founding as five steps, those done with their days (`GET /compound-foundings`). */
const FoundingsSection = ({ foundings }: { readonly foundings: Outcome<Foundings> }) => {
  const title = t("小区党组织组建", "Compound party organisations founded")
  if (!foundings.ok) return <Failed id="org-foundings" title={title} message={foundings.error.message} />
  const list = foundings.value
  return (
    <section class="card" data-testid="org-foundings">
      <h2>
        {title} <span class="hint">{list.length}</span>
      </h2>
      {list.length === 0 ? (
        <p class="hint" data-testid="org-foundings-empty">
          {t("辖区内尚无小区党组织组建记录。", "No compound party founding in this jurisdiction yet.")}
        </p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>{t("小区", "Compound")}</th>
              <th>{t("组建进度", "Progress")}</th>
              <th>{t("状态", "State")}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((f) => (
              <tr
                key={f.compoundId}
                data-testid="org-founding"
                data-compound-id={f.compoundId}
                data-done={f.done.join(",")}
                data-next={f.next ?? ""}
                data-founded={String(f.founded)}
                data-since={f.since}
                data-last-on={f.lastOn}
                data-founded-on={f.foundedOn ?? ""}
              >
                <td>
                  {f.compoundId}
                  <div class="hint">{f.communityId}</div>
                </td>
                <td>
                  <ol class="steps" data-testid="org-founding-steps">
                    {CompoundPartyFounding.steps.map((step) => {
                      const done = f.done.includes(step)
                      const day = stepDay(f, step)
                      return (
                        <li
                          key={step}
                          class={done ? "done" : f.next === step ? "next" : ""}
                          data-testid="org-founding-step"
                          data-step={step}
                          data-state={done ? "done" : f.next === step ? "next" : "todo"}
                          data-day={day ?? ""}
                        >
                          {done ? "✓ " : ""}
                          {stepName(step)}
                          {day === null ? "" : <span class="hint"> {day}</span>}
                        </li>
                      )
                    })}
                  </ol>
                </td>
                <td class="nowrap" data-testid="org-founding-state">
                  {f.founded
                    ? `${t("已组建", "Founded")} ${f.foundedOn ?? ""}`
                    : `${t("下一步", "Next")}: ${f.next === null ? "" : stepName(f.next)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

const nomineeStatusNames: Readonly<Record<Award.NomineeStatus, readonly [string, string]>> = {
  nominated: ["已推荐", "nominated"],
  "on-notice": ["公示中", "on public notice"],
  awarded: ["已表彰", "awarded"],
  withdrawn: ["已撤回", "withdrawn"]
}

/** 评选表彰 — the award rounds with their nominees (names as the endpoint gives them), quota and state (`GET /awards`). */
const AwardsSection = ({ awards }: { readonly awards: Outcome<Rounds> }) => {
  const title = t("评选表彰", "Award rounds")
  if (!awards.ok) return <Failed id="org-awards" title={title} message={awards.error.message} />
  const rounds = awards.value
  return (
    <section class="card" data-testid="org-awards">
      <h2>
        {title} <span class="hint">{rounds.length}</span>
      </h2>
      {rounds.length === 0 ? (
        <p class="hint" data-testid="org-awards-empty">
          {t("辖区内尚无评选。", "No award rounds in this jurisdiction yet.")}
        </p>
      ) : (
        rounds.map((r) => (
          <div
            class="org-body"
            key={r.roundId}
            data-testid="org-award"
            data-round-id={r.roundId}
            data-quota={r.quota}
            data-places-taken={r.placesTaken}
            data-notice-days={r.noticeDays}
          >
            <h3>
              <span data-testid="org-award-name">{r.name}</span>{" "}
              <span class="hint">
                {r.unitId} · {t("名额", "Quota")} {r.placesTaken}/{r.quota} · {t("公示期", "Notice")}{" "}
                {r.noticeDays} {t("天", "days")}
              </span>
            </h3>
            {r.nominees.length === 0 ? (
              <p class="hint">{t("尚无推荐人选", "No nominees yet")}</p>
            ) : (
              <table class="grid">
                <thead>
                  <tr>
                    <th>{t("候选人", "Nominee")}</th>
                    <th>{t("状态", "State")}</th>
                    <th>{t("推荐日期", "Nominated")}</th>
                    <th>{t("公示期", "Notice window")}</th>
                    <th>{t("表彰日期", "Awarded")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.nominees.map((n) => (
                    <tr
                      key={n.id}
                      data-testid="org-nominee"
                      data-person-id={n.id}
                      data-status={n.status}
                      data-notice-from={n.noticeFrom ?? ""}
                      data-notice-ends={n.noticeEnds ?? ""}
                      data-awarded-on={n.awardedOn ?? ""}
                    >
                      <td data-testid="org-nominee-name" title={n.id}>
                        {n.name ?? n.id}
                      </td>
                      <td data-testid="org-nominee-status">{named(nomineeStatusNames, n.status)}</td>
                      <td>{n.nominatedOn}</td>
                      <td>{n.noticeFrom === null ? "" : `${n.noticeFrom} – ${n.noticeEnds ?? ""}`}</td>
                      <td>{n.awardedOn ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        ))
      )}
    </section>
  )
}

/** 组织 — the page (see the module notes). */
export const Organization = ({ session }: { readonly session: Session }) => {
  const [data, setData] = useState<Outcome<Data> | null>(null)
  useEffect(() => {
    let live = true
    void Promise.all([
      call(session.token, (c) => c.organization.bodies({ urlParams: {} })),
      call(session.token, (c) => c.organization.posts({ urlParams: {} })),
      call(session.token, (c) => c.organization.partyOrganisations({ urlParams: {} })),
      call(session.token, (c) => c.organization.staffingCheck({ urlParams: {} })),
      call(session.token, (c) => c.organization.appraisals({ urlParams: {} })),
      call(session.token, (c) => c.organization.indicators({ urlParams: { period: latestQuarter() } })),
      call(session.token, (c) => c.organization.foundings({ urlParams: {} })),
      call(session.token, (c) => c.organization.awards({ urlParams: {} }))
    ]).then(([bodies, posts, party, check, appraisals, indicators, foundings, awards]) => {
      if (!live) return
      if (!bodies.ok) setData(bodies)
      else if (!posts.ok) setData(posts)
      else if (!party.ok) setData(party)
      else if (!check.ok) setData(check)
      else
        setData({
          ok: true,
          value: {
            bodies: bodies.value,
            posts: posts.value,
            party: party.value,
            check: check.value,
            appraisals,
            indicators,
            foundings,
            awards
          }
        })
    })
    return () => {
      live = false
    }
  }, [session.token])
  if (data === null) return <p>{t("加载中…", "Loading…")}</p>
  if (!data.ok)
    return data.error.tag === "OrganizationUnavailable" ? (
      <Unavailable />
    ) : (
      <section class="card" data-testid="org-error">
        <h2>{t("组织与岗位", "Organisation")}</h2>
        <p class="error">{messageIn(data.error.message)}</p>
      </section>
    )
  return (
    <div data-testid="org-page">
      <IndicatorsSection indicators={data.value.indicators} />
      <BodiesSection bodies={data.value.bodies} posts={data.value.posts} />
      <PartySection party={data.value.party} />
      <FoundingsSection foundings={data.value.foundings} />
      <AwardsSection awards={data.value.awards} />
      <AppraisalsSection appraisals={data.value.appraisals} />
      <CheckSection check={data.value.check} />
    </div>
  )
}
