import { useState } from 'preact/hooks';
import type { PortalConfig } from '../../../shared/portal/contract.js';
import { signInLocally, startCognitoSignIn } from '../sign-in.js';
import { Bi, ErrorNote } from './common.js';

/** The sign-in screen: the local server's users to choose from, or the way to the user pool's managed login. */
export function SignInPage({ config, problem, onSignedIn }: { config: PortalConfig; problem: unknown; onSignedIn: () => void }) {
  const [error, setError] = useState<unknown>(problem);
  const run = (step: () => Promise<void>) => () => {
    setError(null);
    step().then(onSignedIn, setError);
  };
  return (
    <main id="main" class="sign-in">
      <h1>
        <Bi text={{ zh: '登录', en: 'Sign in' }} />
      </h1>
      {error !== null && <ErrorNote error={error} />}
      {config.signIn === 'local' ? (
        <>
          <p>
            <Bi text={{ zh: '本地演示：请选择一个用户', en: 'Local demonstration: choose a user' }} />
          </p>
          <ul class="users">
            {config.users.map((user) => (
              <li key={user.id}>
                <button type="button" data-testid={`sign-in-${user.id}`} onClick={run(() => signInLocally(user.id))}>
                  <strong>{user.id}</strong> <span class="muted" lang="en">{user.roles.join(', ')}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <button type="button" class="primary" onClick={run(() => startCognitoSignIn(config))}>
          <Bi text={{ zh: '使用统一身份登录', en: 'Sign in with your district account' }} />
        </button>
      )}
    </main>
  );
}
