/** The dashboard's look, shared by the page a browser opens and the figures it loads into it. */
export const DASHBOARD_CSS = `body{font-family:system-ui,sans-serif;margin:2rem;color:#111;max-width:980px}
.totals{display:flex;gap:1rem;margin:1rem 0}.total{border:1px solid #ddd;border-radius:8px;padding:.8rem 1.2rem;color:#555}
.total span{display:block;font-size:2rem;color:#111;font-weight:600}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.35rem .5rem;text-align:left}
small{color:#666}form{display:grid;gap:.6rem;max-width:20rem}label{display:grid;gap:.2rem}
input,button{font:inherit;padding:.4rem .6rem}#message{color:#b91c1c}[hidden]{display:none}`;

/** Only this origin's script and requests; no inline script. */
export const SIGN_IN_PAGE_POLICY =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'; base-uri 'none'";

/**
 * What a browser gets at /monitor/dashboard without credentials: a sign-in form. Its script
 * (/monitor/dashboard.js) gets a token from POST /auth/token, keeps it for the browser tab's
 * session, and loads the figures every two seconds.
 */
export const SIGN_IN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>microblog monitor</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${DASHBOARD_CSS}</style>
<script src="/monitor/dashboard.js" defer></script>
</head><body>
<main id="sign-in-view">
<h1>microblog monitor</h1>
<p>The monitor's figures are for admins. Sign in with your microblog account.</p>
<form id="sign-in">
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
</main>
<p id="message" role="alert"></p>
<div id="dashboard" hidden></div>
<p id="session" hidden><span id="who"></span> <button id="sign-out" type="button">Sign out</button></p>
</body></html>`;

/** The sign-in page's script: plain browser JavaScript, served as a file (the page's policy allows no inline script). */
export const DASHBOARD_SCRIPT = `'use strict';
(() => {
  const KEY = 'microblog-monitor';
  const $ = (id) => document.getElementById(id);
  let timer;
  const session = () => JSON.parse(sessionStorage.getItem(KEY) || 'null');
  const say = (text) => { $('message').textContent = text; };
  const show = (signedIn) => {
    $('sign-in-view').hidden = signedIn;
    $('session').hidden = !signedIn;
    $('dashboard').hidden = !signedIn;
  };
  const signOut = (text) => {
    clearTimeout(timer);
    sessionStorage.removeItem(KEY);
    $('dashboard').replaceChildren();
    show(false);
    say(text || '');
  };
  const basic = (username, password) => 'Basic ' + btoa(String.fromCharCode(...new TextEncoder().encode(username + ':' + password)));
  async function refresh() {
    const current = session();
    if (!current) return signOut();
    let response;
    try {
      response = await fetch('/monitor/dashboard', { headers: { Authorization: 'Bearer ' + current.token, 'X-Requested-With': 'XMLHttpRequest' } });
    } catch {
      say('The monitor cannot be reached; trying again.');
      timer = setTimeout(refresh, 2000);
      return;
    }
    if (response.status === 401) return signOut('Your session has ended: sign in again.');
    if (response.status === 403) return signOut('You are signed in as ' + current.username + ', who is not an admin: the monitor\\u2019s figures are for admins.');
    if (!response.ok) {
      say('The monitor answered ' + response.status + '; trying again.');
    } else {
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      $('dashboard').replaceChildren(...page.body.childNodes);
      $('who').textContent = 'Signed in as ' + current.username + '.';
      show(true);
      say('');
    }
    timer = setTimeout(refresh, 2000);
  }
  async function signIn(event) {
    event.preventDefault();
    const form = event.target;
    const username = form.username.value;
    say('');
    // X-Requested-With: a wrong password gets a 401 the browser leaves to this page (no password dialog).
    const response = await fetch('/auth/token', { method: 'POST', headers: { Authorization: basic(username, form.password.value), 'X-Requested-With': 'XMLHttpRequest' } });
    form.password.value = '';
    if (response.status === 401) return say('The username or password is wrong.');
    if (response.status === 429) return say('Too many failed sign-ins: try again later.');
    if (!response.ok) return say('Signing in failed (' + response.status + ').');
    sessionStorage.setItem(KEY, JSON.stringify({ username, token: (await response.json()).access_token }));
    await refresh();
  }
  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut());
    if (session()) refresh();
  });
})();
`;
