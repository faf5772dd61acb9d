import { useEffect, useState } from 'preact/hooks';
import type { MeResponse, PortalConfig } from '../../../shared/portal/contract.js';
import { api, ApiError, portalConfig, session, whenSignedOut } from '../api.js';
import { logoutUrl, signInReturnOf } from '../lib/pkce.js';
import { hashOf, permittedRoute, routeOf, type Route } from '../lib/routes.js';
import { finishCognitoSignIn } from '../sign-in.js';
import { ClerkPage } from './ClerkPage.js';
import { Bi, ErrorNote, LOADING } from './common.js';
import { LeadersPage } from './LeadersPage.js';
import { MonthPage } from './MonthPage.js';
import { SignInPage } from './SignInPage.js';

type Phase =
  | { kind: 'starting' }
  | { kind: 'broken'; error: unknown }
  | { kind: 'signing_in'; config: PortalConfig; problem: unknown }
  | { kind: 'signed_in'; config: PortalConfig; me: MeResponse };

/** Signs the user in if need be, asks who they are, and keeps the hash route to what they may open. */
async function phaseOf(config: PortalConfig): Promise<Phase> {
  const returned = config.signIn === 'cognito' ? signInReturnOf(location.search) : null;
  try {
    if (returned && 'error' in returned) {
      history.replaceState(null, '', `${location.pathname}${location.hash}`);
      throw new ApiError(0, 'auth.sign_in_refused', `登录未完成：${returned.error} Sign-in did not complete: ${returned.error}`);
    }
    if (returned && config.signIn === 'cognito') await finishCognitoSignIn(config, returned);
    if (!session.token()) return { kind: 'signing_in', config, problem: null };
    return { kind: 'signed_in', config, me: await api<MeResponse>('me') };
  } catch (problem) {
    session.forget();
    return { kind: 'signing_in', config, problem };
  }
}

function useRoute(me: MeResponse | null): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const follow = () => setHash(location.hash);
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  const route = me ? permittedRoute(routeOf(hash), me) : routeOf(hash);
  useEffect(() => {
    if (me && hashOf(route) !== hash) history.replaceState(null, '', hashOf(route));
  }, [me, hash]);
  return route;
}

function Header({ me, onSignOut }: { me: MeResponse; onSignOut: () => void }) {
  return (
    <header class="top">
      <p class="brand">
        <Bi text={{ zh: '大足区部门月报', en: 'Department monthly reporting' }} />
      </p>
      <nav aria-label="页面 Pages">
        {me.snapshots && (
          <a href={hashOf({ page: 'leaders', period: null })}>
            <Bi text={{ zh: '月度进展', en: 'Progress' }} />
          </a>
        )}
        {me.departments.map((d) => (
          <a key={d.id} href={hashOf({ page: 'department', department: d.id })}>
            {d.zh}
          </a>
        ))}
      </nav>
      <p class="who">
        <span>{me.user}</span>
        <button type="button" onClick={onSignOut}>
          <Bi text={{ zh: '退出', en: 'Sign out' }} />
        </button>
      </p>
    </header>
  );
}

function Page({ me, route }: { me: MeResponse; route: Route }) {
  if (route.page === 'leaders') return <LeadersPage me={me} period={route.period} />;
  const department = route.page === 'department' || route.page === 'month' ? me.departments.find((d) => d.id === route.department) : undefined;
  if (department && route.page === 'month') return <MonthPage key={`${department.id} ${route.period}`} department={department} period={route.period} />;
  if (department) return <ClerkPage key={department.id} department={department} />;
  return (
    <main id="main">
      <p>
        <Bi text={{ zh: '您的账号尚未分配部门，请联系区改革办', en: 'Your account has no department yet: please ask the reform office' }} />
      </p>
    </main>
  );
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const start = () =>
    portalConfig().then(phaseOf, (error: unknown): Phase => ({ kind: 'broken', error })).then(setPhase);
  useEffect(() => {
    whenSignedOut(() => void start());
    void start();
  }, []);
  const route = useRoute(phase.kind === 'signed_in' ? phase.me : null);

  switch (phase.kind) {
    case 'starting':
      return <p class="muted"><Bi text={LOADING} /></p>;
    case 'broken':
      return <ErrorNote error={phase.error} />;
    case 'signing_in':
      return <SignInPage config={phase.config} problem={phase.problem} onSignedIn={() => void start()} />;
    case 'signed_in':
      return (
        <>
          <Header
            me={phase.me}
            onSignOut={() => {
              session.forget();
              // Otherwise the managed login's own session would sign the user straight back in.
              if (phase.config.signIn === 'cognito') location.assign(logoutUrl(phase.config));
              else setPhase({ kind: 'signing_in', config: phase.config, problem: null });
            }}
          />
          <Page me={phase.me} route={route} />
        </>
      );
  }
}
