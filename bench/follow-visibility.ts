import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { entryPoint } from '@app/topology';

/**
 * How long events take under load, measured from outside: a follow until the followed
 * author's post shows in the follower's home timeline (the contract allows 2 s), a like until
 * the monitor counts it (nothing else likes during the bench's scenarios); and the lag the
 * monitor reports.
 */

const PASSWORD = 'follow-probe-password';
const READER = 'probe_reader';
const author = (i: number) => `probe_author_${i}`;
const basic = (username: string) => `Basic ${Buffer.from(`${username}:${PASSWORD}`).toString('base64')}`;

export interface Probes {
  authors: Array<{ username: string; postId: number }>;
  /** The reader's Bearer token (the home timeline needs no call to users with it). */
  readerToken: string;
}

async function call(base: string, method: string, path: string, authorization?: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(authorization ? { Authorization: authorization } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

async function register(base: string, username: string): Promise<void> {
  await call(base, 'POST', '/users', undefined, { username, email: `${username}@probe.example`, password: PASSWORD });
}

/**
 * A reader (made admin with the users command line, to read /monitor/stats) and `count`
 * authors with one post each, none followed yet.
 */
export async function prepareProbes(base: string, usersDatabaseArgs: string[], count: number): Promise<Probes> {
  await register(base, READER);
  execFileSync(process.execPath, [entryPoint('users-cli'), 'grant-admin', READER, ...usersDatabaseArgs], { stdio: 'ignore' });
  const authors: Probes['authors'] = [];
  for (let i = 0; i < count; i++) {
    await register(base, author(i));
    const post = (await (await call(base, 'POST', '/posts', basic(author(i)), { message: `probe post ${i}` })).json()) as { id: number };
    authors.push({ username: author(i), postId: post.id });
  }
  const token = (await (await call(base, 'POST', '/auth/token', basic(READER))).json()) as { access_token: string };
  const readerToken = `Bearer ${token.access_token}`;
  // The grant reaches the monitor as an event.
  await timeUntil(
    'the monitor seeing the probe reader as admin',
    async () => (await fetch(`${base}/monitor/stats`, { headers: { Authorization: readerToken } })).ok,
  );
  return { authors, readerToken };
}

export interface Visibility {
  /** Per follow: ms from the follow's answer until the author's post was in the home timeline. */
  followMs: number[];
  /** Per like: ms from the like's answer until the monitor's like count had it. */
  monitorMs: number[];
  /** The lag the monitor reports behind the slower of its two streams, sampled every 250 ms. */
  monitorLagMs: number[];
}

/** Polls `read` every 20 ms until it holds; the ms it took. */
async function timeUntil(what: string, read: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await read())) {
    if (performance.now() - started > 30_000) throw new Error(`${what} never happened`);
    await sleep(20);
  }
  return performance.now() - started;
}

/** Follows one probe author after another and likes its post, and samples the monitor's reported lag, until `until` settles. */
export async function visibilityDuring(base: string, probes: Probes, until: Promise<unknown>): Promise<Visibility> {
  let done = false;
  void until.then(
    () => (done = true),
    () => (done = true),
  );
  const result: Visibility = { followMs: [], monitorMs: [], monitorLagMs: [] };
  const home = async () =>
    ((await (await call(base, 'GET', '/timelines/home?limit=5', probes.readerToken)).json()) as { posts: Array<{ id: number }> }).posts.map((post) => post.id);
  const stats = async () =>
    (await (await call(base, 'GET', '/monitor/stats', probes.readerToken)).json()) as { likes: number; lag: { users: number; timelines: number } };
  const follows = (async () => {
    for (const { username, postId } of probes.authors) {
      if (done) break;
      await call(base, 'POST', `/users/${username}/follow`, probes.readerToken);
      result.followMs.push(await timeUntil(`the follow of ${username} in home`, async () => (await home()).includes(postId)));
      const likes = (await stats()).likes;
      await call(base, 'POST', `/posts/${postId}/like`, probes.readerToken);
      result.monitorMs.push(await timeUntil(`the like of post ${postId} in the monitor`, async () => (await stats()).likes > likes));
      await sleep(100);
    }
  })();
  const lag = (async () => {
    while (!done) {
      const { lag } = await stats();
      result.monitorLagMs.push(Math.max(lag.users, lag.timelines));
      await sleep(250);
    }
  })();
  await Promise.all([follows, lag, until]);
  return result;
}

/** The nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
