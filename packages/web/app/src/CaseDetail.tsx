/** 案件详情 — a case: its light and deadline, its history as a timeline, and the forms of the next commands. */
import { DepartmentId } from "@civicgrid/core/Actor"
import type { CaseEvent } from "@civicgrid/core/CaseEvent"
import { UnitId } from "@civicgrid/core/Unit"
import type { CaseView, CommandResult } from "@civicgrid/http/Api"
import type * as Effect from "effect/Effect"
import { useEffect, useState } from "preact/hooks"
import { type ApiClient, call, type Outcome, type UiError } from "./api.js"
import { categoryName, useCategoryNames } from "./categories.js"
import {
  chineseOf,
  countdown,
  eventName,
  formatTime,
  lightName,
  refusalText,
  roleName,
  statusName,
  t,
  tierName
} from "./i18n.js"
import { navigate } from "./route.js"
import { millis, type Session } from "./session.js"

type Command =
  | "accept"
  | "reject"
  | "void"
  | "dispatch"
  | "handle"
  | "verify"
  | "evaluate"
  | "supervise"
  | "comment"

const commandNames: Record<Command, readonly [string, string]> = {
  accept: ["立案", "Accept"],
  reject: ["不予立案", "Reject"],
  void: ["作废", "Void"],
  dispatch: ["指挥派遣", "Dispatch"],
  handle: ["处理反馈", "Handle"],
  verify: ["任务核查", "Verify"],
  evaluate: ["回访评价", "Evaluate"],
  supervise: ["督办/催办", "Supervise"],
  comment: ["评论", "Comment"]
}
const commands = Object.keys(commandNames) as ReadonlyArray<Command>

/** The commands that fit a status (the others may still be tried: the server names the rule it breaks). */
const suggested = (status: string): ReadonlyArray<Command> => {
  switch (status) {
    case "reported":
      return ["accept", "reject"]
    case "accepted":
      return ["dispatch"]
    case "dispatched":
    case "rework":
      return ["handle"]
    case "handled":
      return ["verify"]
    case "closed":
      return ["evaluate"]
    default:
      return []
  }
}

interface Fields {
  note: string
  target: string
  evidence: string
  outcome: "pass" | "fail"
  rating: "satisfied" | "basically-satisfied" | "dissatisfied" | "unreachable" | "refused"
  visibility: "public" | "internal"
  level: "urge" | "supervise"
  reason: "duplicate" | "invalid" | "not-ours"
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")

const note = (f: Fields) => (f.note.trim() === "" ? {} : { note: f.note.trim() })

const send = (
  client: ApiClient,
  command: Command,
  caseId: string,
  expectedVersion: number,
  f: Fields
): Effect.Effect<CommandResult, unknown> => {
  const path = { caseId }
  switch (command) {
    case "accept":
      return client.cases.accept({ path, payload: { ...note(f), expectedVersion } })
    case "reject":
      return client.cases.reject({ path, payload: { reason: f.note.trim(), expectedVersion } })
    case "void":
      return client.cases.void({ path, payload: { reason: f.reason, note: f.note.trim(), expectedVersion } })
    case "supervise":
      return client.cases.supervise({
        path,
        payload: { level: f.level, note: f.note.trim(), expectedVersion }
      })
    case "dispatch": {
      const [kind, id] = f.target.split(":")
      const target =
        kind === "unit"
          ? { _tag: "Unit" as const, unitId: UnitId.make(id ?? "") }
          : { _tag: "Department" as const, departmentId: DepartmentId.make(id ?? "") }
      return client.cases.dispatch({ path, payload: { target, ...note(f), expectedVersion } })
    }
    case "handle":
      return client.cases.handle({
        path,
        payload: { result: f.note.trim(), evidence: lines(f.evidence), expectedVersion }
      })
    case "verify":
      return client.cases.verify({ path, payload: { outcome: f.outcome, ...note(f), expectedVersion } })
    case "evaluate":
      return client.cases.evaluate({ path, payload: { rating: f.rating, ...note(f), expectedVersion } })
    case "comment":
      return client.cases.comment({
        path,
        payload: { text: f.note.trim(), visibility: f.visibility, expectedVersion }
      })
  }
}

const Refusal = ({ error }: { readonly error: UiError }) => (
  <div class="refusal" role="alert" data-testid="refusal">
    <b>
      {error.tag === "Refused"
        ? t("指令被拒", "Command refused")
        : error.tag === "Conflict"
          ? t("案件已被他人更新，请刷新后重试", "Someone acted first: reload and try again")
          : t("操作失败", "Failed")}
    </b>
    {error.violations.length > 0 ? (
      <ul>
        {error.violations.map((v) => (
          <li key={v.rule + v.message}>
            {refusalText(v, error.command, error.status)} <code>{v.rule}</code>
          </li>
        ))}
      </ul>
    ) : (
      <p>{t(chineseOf(error.message), error.message)}</p>
    )}
  </div>
)

const CommandForm = ({
  session,
  view,
  departments,
  onDone
}: {
  readonly session: Session
  readonly view: CaseView
  readonly departments: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly onDone: (message: string) => void
}) => {
  const summary = view.summary
  const first = suggested(summary.status)[0] ?? "comment"
  const [command, setCommand] = useState<Command>(first)
  const [fields, setFields] = useState<Fields>({
    note: "",
    target: departments[0] === undefined ? `unit:${summary.communityId}` : `department:${departments[0].id}`,
    evidence: "",
    outcome: "pass",
    rating: "satisfied",
    visibility: "internal",
    level: "supervise",
    reason: "duplicate"
  })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<UiError | null>(null)
  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => setFields({ ...fields, [key]: value })
  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    const result = await call(session.token, (c) => send(c, command, summary.caseId, summary.version, fields))
    setBusy(false)
    if (result.ok)
      onDone(`${t(commandNames[command][0], commandNames[command][1])}: ${statusName(result.value.status)}`)
    else setError(result.error)
  }
  const needsText =
    command === "reject" ||
    command === "handle" ||
    command === "comment" ||
    command === "supervise" ||
    command === "void"
  return (
    <form class="card command" onSubmit={submit} data-testid="command-form">
      <h3>{t("办理", "Act")}</h3>
      <div class="suggested">
        {suggested(summary.status).map((c) => (
          <button
            type="button"
            key={c}
            class={c === command ? "chip active" : "chip"}
            onClick={() => setCommand(c)}
          >
            {t(commandNames[c][0], commandNames[c][1])}
          </button>
        ))}
      </div>
      <label>
        {t("指令", "Command")}
        <select name="command" value={command} onChange={(e) => setCommand(e.currentTarget.value as Command)}>
          {commands.map((c) => (
            <option key={c} value={c}>
              {t(commandNames[c][0], commandNames[c][1])}
            </option>
          ))}
        </select>
      </label>
      {command === "dispatch" && (
        <label>
          {t("派遣对象", "Dispatch to")}
          <select name="target" value={fields.target} onChange={(e) => set("target", e.currentTarget.value)}>
            {departments.map((d) => (
              <option key={d.id} value={`department:${d.id}`}>
                {t("部门", "department")} {d.name}
              </option>
            ))}
            <option value={`unit:${summary.communityId}`}>
              {t("社区", "community")} {summary.communityId}
            </option>
          </select>
        </label>
      )}
      {command === "verify" && (
        <label>
          {t("核查结果", "Outcome")}
          <select
            name="outcome"
            value={fields.outcome}
            onChange={(e) => set("outcome", e.currentTarget.value as Fields["outcome"])}
          >
            <option value="pass">{t("通过", "pass")}</option>
            <option value="fail">{t("不通过（返工）", "fail (rework)")}</option>
          </select>
        </label>
      )}
      {command === "evaluate" && (
        <label>
          {t("回访结果", "Rating")}
          <select
            name="rating"
            value={fields.rating}
            onChange={(e) => set("rating", e.currentTarget.value as Fields["rating"])}
          >
            <option value="satisfied">{t("满意", "satisfied")}</option>
            <option value="basically-satisfied">{t("基本满意", "basically satisfied")}</option>
            <option value="dissatisfied">{t("不满意", "dissatisfied")}</option>
            <option value="unreachable">{t("无法联系", "unreachable")}</option>
            <option value="refused">{t("拒绝评价", "refused")}</option>
          </select>
        </label>
      )}
      {command === "supervise" && (
        <label>
          {t("级别", "Level")}
          <select
            name="level"
            value={fields.level}
            onChange={(e) => set("level", e.currentTarget.value as Fields["level"])}
          >
            <option value="supervise">{t("督办", "supervise")}</option>
            <option value="urge">{t("催办", "urge")}</option>
          </select>
        </label>
      )}
      {command === "void" && (
        <label>
          {t("作废原因", "Reason")}
          <select
            name="reason"
            value={fields.reason}
            onChange={(e) => set("reason", e.currentTarget.value as Fields["reason"])}
          >
            <option value="duplicate">{t("重复上报", "duplicate")}</option>
            <option value="invalid">{t("无效信息", "invalid")}</option>
            <option value="not-ours">{t("非本辖区职责", "not ours")}</option>
          </select>
        </label>
      )}
      {command === "comment" && (
        <label>
          {t("可见性", "Visibility")}
          <select
            name="visibility"
            value={fields.visibility}
            onChange={(e) => set("visibility", e.currentTarget.value as Fields["visibility"])}
          >
            <option value="internal">{t("内部", "internal")}</option>
            <option value="public">{t("公开", "public")}</option>
          </select>
        </label>
      )}
      <label>
        {command === "reject"
          ? t("理由", "Reason")
          : command === "supervise"
            ? t("督办意见", "What is asked for")
            : command === "void"
              ? t("说明", "Note")
              : command === "handle"
                ? t("处置结果", "Result")
                : command === "comment"
                  ? t("内容", "Text")
                  : t("备注（可选）", "Note (optional)")}
        <textarea
          name="note"
          value={fields.note}
          onInput={(e) => set("note", e.currentTarget.value)}
          required={needsText}
        />
      </label>
      {command === "handle" && (
        <label>
          {t("证据（每行一个链接）", "Evidence (one link a line)")}
          <textarea
            name="evidence"
            value={fields.evidence}
            onInput={(e) => set("evidence", e.currentTarget.value)}
          />
        </label>
      )}
      <button type="submit" disabled={busy} data-testid="submit-command">
        {busy ? t("提交中…", "Sending…") : t("提交", "Submit")}
      </button>
      {error !== null && <Refusal error={error} />}
    </form>
  )
}

const Timeline = ({ events }: { readonly events: ReadonlyArray<CaseEvent> }) => (
  <ol class="timeline" data-testid="timeline">
    {events.map((e) => (
      <li key={e.sequence} data-testid="event">
        <span class="when">{formatTime(millis(e.at))}</span>
        <b>{eventName(e._tag)}</b>
        <span class="actor">
          {roleName(e.actor.role)} {e.actor.id}
        </span>
      </li>
    ))}
  </ol>
)

interface Loaded {
  readonly view: CaseView
  readonly events: ReadonlyArray<CaseEvent>
}

export const CaseDetail = ({ session, caseId }: { readonly session: Session; readonly caseId: string }) => {
  const [loaded, setLoaded] = useState<Outcome<Loaded> | null>(null)
  const [departments, setDepartments] = useState<
    ReadonlyArray<{ readonly id: string; readonly name: string }>
  >([])
  const [done, setDone] = useState<string | null>(null)
  const categories = useCategoryNames()
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    void Promise.all([
      call(session.token, (c) => c.cases.get({ path: { caseId }, urlParams: {} })),
      call(session.token, (c) => c.cases.events({ path: { caseId } }))
    ]).then(([view, events]) =>
      setLoaded(
        view.ok && events.ok
          ? { ok: true, value: { view: view.value, events: events.value } }
          : view.ok
            ? (events as Outcome<Loaded>)
            : (view as Outcome<Loaded>)
      )
    )
  }, [session.token, caseId, generation])
  useEffect(() => {
    if (session.unitId === null) return
    void call(session.token, (c) => c.hierarchy.departments()).then((r) => {
      if (r.ok) setDepartments(r.value.map((d) => ({ id: d.id, name: d.name })))
    })
  }, [session.token, session.unitId])
  if (loaded === null) return <p>{t("加载中…", "Loading…")}</p>
  if (!loaded.ok) return <p class="error">{loaded.error.message}</p>
  const { view, events } = loaded.value
  const s = view.summary
  const now = Date.now()
  const light =
    s.deadline === null || s.redAt === null || s.yellowAt === null
      ? null
      : now >= millis(s.redAt)
        ? "red"
        : now >= millis(s.yellowAt)
          ? "yellow"
          : "green"
  return (
    <div class="page detail" data-testid="case-detail">
      <p>
        <a
          href="/app/workbench"
          onClick={(e) => {
            e.preventDefault()
            navigate({ page: "workbench" })
          }}
        >
          ← {t("返回待办", "Back to the workbench")}
        </a>
      </p>
      <section class="card">
        <h2>
          {light !== null && <span class={`dot ${light}`} />} {t("案件", "Case")} {s.caseId}
        </h2>
        <dl class="facts">
          <dt>{t("状态", "Status")}</dt>
          <dd data-testid="case-status">{statusName(s.status)}</dd>
          <dt>{t("类别", "Category")}</dt>
          <dd data-testid="case-category" title={s.categoryId}>
            {categoryName(categories, s.categoryId)}
          </dd>
          <dt>{t("层级", "Tier")}</dt>
          <dd>{tierName(s.tier)}</dd>
          <dt>{t("计时灯", "Light")}</dt>
          <dd>{lightName(light)}</dd>
          <dt>{t("时限", "Deadline")}</dt>
          <dd data-testid="countdown">
            {s.deadline === null
              ? "—"
              : `${formatTime(millis(s.deadline))}（${countdown(millis(s.deadline) - now)}）`}
          </dd>
          <dt>{t("督办次数", "Supervisions")}</dt>
          <dd data-testid="case-supervisions">{s.supervisions}</dd>
        </dl>
        {done !== null && (
          <p class="ok" role="status" data-testid="command-done">
            {t("已执行", "Done")} — {done}
          </p>
        )}
      </section>
      <div class="columns">
        <section class="card">
          <h3>{t("办理经过", "History")}</h3>
          <Timeline events={events} />
        </section>
        {(session.unitId !== null || session.handler) && (
          <CommandForm
            key={`${s.caseId}:${s.version}`}
            session={session}
            view={view}
            departments={departments}
            onDone={(message) => {
              setDone(message)
              setGeneration(generation + 1)
            }}
          />
        )}
      </div>
    </div>
  )
}
