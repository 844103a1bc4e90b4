/** 指挥调度中心 — the shell: sign in, the navigation, the language switch and the pages. */
import { lazy, Suspense } from "preact/compat"
import { useEffect, useState } from "preact/hooks"
import type { UiError } from "./api.js"
import { CaseDetail } from "./CaseDetail.js"
import { lang, roleName, setLang, t } from "./i18n.js"
import { Overview } from "./Overview.js"
import { hrefOf, navigate, type Route, useRoute } from "./route.js"
import { forget, type Session, signIn, storedToken } from "./session.js"
import { Wall } from "./Wall.js"
import { Workbench } from "./Workbench.js"

const MapView = lazy(() => import("./MapView.js").then((m) => ({ default: m.MapView })))
const Organization = lazy(() => import("./Organization.js").then((m) => ({ default: m.Organization })))
const DeliberationPage = lazy(() =>
  import("./Deliberation.js").then((m) => ({ default: m.DeliberationPage }))
)
const Directory = lazy(() => import("./Directory.js").then((m) => ({ default: m.Directory })))
const Publications = lazy(() => import("./Publications.js").then((m) => ({ default: m.Publications })))
const AwardNotices = lazy(() => import("./AwardNotices.js").then((m) => ({ default: m.AwardNotices })))

const SignIn = ({ onSession }: { readonly onSession: (session: Session) => void }) => {
  const [token, setToken] = useState("")
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<UiError | null>(null)
  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    const result = await signIn(token.trim())
    setBusy(false)
    if ("session" in result) onSession(result.session)
    else setError(result.error)
  }
  return (
    <form class="card signin" onSubmit={submit} data-testid="signin">
      <h2>{t("登录", "Sign in")}</h2>
      <label>
        {t("访问令牌", "Access token")}
        <input
          name="token"
          type="password"
          autoComplete="off"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          required
        />
      </label>
      <button type="submit" disabled={busy || token.trim() === ""}>
        {busy ? t("正在登录…", "Signing in…") : t("登录", "Sign in")}
      </button>
      {error !== null && (
        <p class="error" role="alert">
          {error.tag === "Unauthorized"
            ? t("令牌无效或已失效", "The token is not valid")
            : `${t("登录失败", "Sign-in failed")}: ${error.message}`}
        </p>
      )}
      <p class="hint">
        {t("令牌只保存在本标签页（sessionStorage）", "The token is kept in this tab only (sessionStorage)")}
      </p>
    </form>
  )
}

const NavLink = ({
  to,
  current,
  label
}: {
  readonly to: Route
  readonly current: Route
  readonly label: string
}) => (
  <a
    href={hrefOf(to)}
    class={current.page === to.page ? "active" : ""}
    onClick={(e) => {
      e.preventDefault()
      navigate(to)
    }}
  >
    {label}
  </a>
)

export const App = () => {
  const route = useRoute()
  const [, setLangState] = useState(lang())
  const [session, setSession] = useState<Session | null>(null)
  const [restoring, setRestoring] = useState(() => storedToken() !== null)
  useEffect(() => {
    const token = storedToken()
    if (token === null) return
    void signIn(token).then((result) => {
      if ("session" in result) setSession(result.session)
      else forget()
      setRestoring(false)
    })
  }, [])
  const switchLang = () => {
    const next = lang() === "zh" ? "en" : "zh"
    setLang(next)
    setLangState(next)
  }
  const signOut = () => {
    forget()
    setSession(null)
  }
  const resident = session?.role === "resident"
  const handler = session?.handler === true
  // 公示牌: public, without signing in (and without the shell)
  if (route.page === "directory")
    return (
      <Suspense fallback={<p>{t("加载中…", "Loading…")}</p>}>
        <Directory building={route.building} />
      </Suspense>
    )
  // 公开栏: public, without signing in (and without the shell)
  if (route.page === "publications")
    return (
      <Suspense fallback={<p>{t("加载中…", "Loading…")}</p>}>
        <Publications unitId={route.unitId} />
      </Suspense>
    )
  // 评优公示: public, without signing in (and without the shell)
  if (route.page === "award-notices")
    return (
      <Suspense fallback={<p>{t("加载中…", "Loading…")}</p>}>
        <AwardNotices unitId={route.unitId} />
      </Suspense>
    )
  // 大屏: the board alone, full screen (staff with a jurisdiction; others get the shell)
  if (session !== null && session.unitId !== null && route.page === "wall") return <Wall session={session} />
  return (
    <div class="shell">
      <header>
        <h1>{t("指挥调度中心", "Command & Dispatch Centre")}</h1>
        {session !== null && (
          <nav>
            {!resident && !handler && (
              <NavLink to={{ page: "overview" }} current={route} label={t("总览", "Overview")} />
            )}
            <NavLink
              to={{ page: "workbench" }}
              current={route}
              label={resident ? t("我的上报", "My reports") : t("待办", "Workbench")}
            />
            {!resident && !handler && (
              <NavLink to={{ page: "wall" }} current={route} label={t("大屏", "Wall")} />
            )}
            {!resident && !handler && (
              <NavLink to={{ page: "map" }} current={route} label={t("一张图", "Map")} />
            )}
            {!resident && !handler && (
              <NavLink to={{ page: "organization" }} current={route} label={t("组织", "Organisation")} />
            )}
            {!resident && !handler && (
              <NavLink to={{ page: "deliberation" }} current={route} label={t("议事协商", "Deliberation")} />
            )}
          </nav>
        )}
        <span class="spacer" />
        {session !== null && (
          <span class="who" data-testid="who" data-local-role={session.localRole?.id ?? ""}>
            {session.localRole !== null && (
              <span class="local-role" data-testid="who-local-role">
                {t(
                  `${session.localRole.zh}（${roleName(session.role)}）`,
                  `${session.localRole.en} (${roleName(session.role)})`
                )}{" "}
              </span>
            )}
            {resident
              ? t("居民（仅本人上报）", "resident (own reports only)")
              : handler
                ? `${session.unitName ?? ""} ${t("处置单位（派给本单位的案件）", "handler (cases dispatched to it)")}`
                : `${session.unitName ?? session.unitId}`}
          </span>
        )}
        <button type="button" class="link" onClick={switchLang} data-testid="lang">
          {lang() === "zh" ? "English" : "中文"}
        </button>
        {session !== null && (
          <button type="button" class="link" onClick={signOut} data-testid="signout">
            {t("退出", "Sign out")}
          </button>
        )}
      </header>
      <main>
        {session === null ? (
          restoring ? (
            <p>{t("加载中…", "Loading…")}</p>
          ) : (
            <SignIn onSession={setSession} />
          )
        ) : route.page === "case" ? (
          <CaseDetail session={session} caseId={route.caseId} />
        ) : route.page === "workbench" || resident || handler ? (
          <Workbench session={session} />
        ) : route.page === "organization" ? (
          <Suspense fallback={<p>{t("加载中…", "Loading…")}</p>}>
            <Organization session={session} />
          </Suspense>
        ) : route.page === "deliberation" ? (
          <Suspense fallback={<p>{t("加载中…", "Loading…")}</p>}>
            <DeliberationPage session={session} />
          </Suspense>
        ) : route.page === "map" ? (
          <Suspense fallback={<p>{t("加载地图…", "Loading the map…")}</p>}>
            <MapView session={session} />
          </Suspense>
        ) : (
          <Overview session={session} />
        )}
      </main>
    </div>
  )
}
