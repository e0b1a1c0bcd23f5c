import escapeHtml from 'escape-html';
import { AuthorizationRequest } from './oauth.service';

/** What each scope lets an app do, as the sign-in page tells a person. */
const SCOPE_MEANINGS: Record<string, string> = {
  read: 'read your account, the people you follow and your timelines',
  write: 'post, edit, delete, like and repost as you, and change your profile',
  follow: 'follow and unfollow people as you',
  push: 'receive notifications (not served here)',
  profile: 'see your profile only',
};

function meaningOf(scope: string): string {
  if (SCOPE_MEANINGS[scope]) return SCOPE_MEANINGS[scope];
  const [family, area] = scope.split(':');
  return `${family === 'read' ? 'read' : 'change'} your ${area ?? scope}`;
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; color: #1f2328; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; border-radius: 12px; padding: 2rem; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.3rem; margin-top: 0; }
  label { display: block; margin: 1rem 0 .3rem; font-weight: 600; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .6rem; border: 1px solid #c7ccd1; border-radius: 6px; font-size: 1rem; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { flex: 1; padding: .7rem; font-size: 1rem; border-radius: 6px; border: 1px solid #c7ccd1; background: #fff; cursor: pointer; }
  button.primary { background: #2b59c3; border-color: #2b59c3; color: #fff; }
  .error { background: #fdecea; color: #8a1c12; padding: .7rem; border-radius: 6px; }
  code { display: block; padding: .8rem; background: #f4f5f7; border-radius: 6px; word-break: break-all; font-size: 1rem; }
  ul { padding-left: 1.2rem; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · microblog</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

/** The sign-in form: who asks, for what, username and password, Authorize or Deny. */
export function signInPage(request: AuthorizationRequest, csrfToken: string, error?: string, username = ''): string {
  const hidden = {
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.scopes.join(' '),
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: request.codeChallengeMethod,
    _csrf: csrfToken,
  };
  const fields = Object.entries(hidden)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value!)}">`)
    .join('\n');
  const scopes = request.scopes.map((scope) => `<li><strong>${escapeHtml(scope)}</strong>: ${escapeHtml(meaningOf(scope))}</li>`).join('');
  return page(
    'Sign in',
    `<h1>Sign in to use <span id="app-name">${escapeHtml(request.app.name)}</span></h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<p>${escapeHtml(request.app.name)} asks to:</p>
<ul id="scopes">${scopes}</ul>
<form method="post" action="/oauth/authorize">
${fields}
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" value="${escapeHtml(username)}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<div class="actions">
<button type="submit" name="decision" value="deny">Deny</button>
<button type="submit" name="decision" value="authorize" class="primary">Authorize</button>
</div>
</form>`,
  );
}

/** Out of band: the code for the person to copy into the app. */
export function codePage(appName: string, code: string): string {
  return page(
    'Authorization code',
    `<h1>${escapeHtml(appName)} is authorized</h1><p>Copy this code into the app:</p><code id="code">${escapeHtml(code)}</code>`,
  );
}

export function deniedPage(appName: string): string {
  return page('Denied', `<h1>Access denied</h1><p id="denied">${escapeHtml(appName)} was not given access to your account.</p>`);
}

/** A link that cannot go back to any app: said on the page, never redirected. */
export function invalidRequestPage(message: string): string {
  return page('Cannot sign in', `<h1>This sign-in link cannot be used</h1><p class="error" role="alert" id="invalid">${escapeHtml(message)}</p>`);
}
