import { createHmac } from 'node:crypto';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '@app/topology';

/** What the compose and swarm suites share: image builds, and traffic through the published HAProxy port while the deployment changes. */

/** Behind a TLS-intercepting proxy, npm inside the image build needs its CA (see docker/build-ca). */
export function trustBuildCa(): void {
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  if (extraCa && existsSync(extraCa)) copyFileSync(extraCa, join(ROOT, 'docker/build-ca/extra.crt'));
}

/** An HS256 JWT signed with `secret`, as an attacker who read the secret would make it. */
export function forgeToken(secret: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ ...claims, iat: now, exp: now + 600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export const basicAuth = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** Polls `check` every 250 ms (errors count as not yet) and returns how long it took to hold. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      if (await check()) return Date.now() - started;
    } catch {
      // not answering yet
    }
    await sleep(250);
  }
  throw new Error(`not true within ${timeoutMs} ms`);
}

/** The replicas (HAProxy's X-Served-By) that answered `requests` reads of the public timeline. */
export async function servedBy(base: string, requests: number): Promise<Set<string>> {
  const names = new Set<string>();
  for (let i = 0; i < requests; i++) {
    const response = await fetch(`${base}/timelines/public?limit=1`);
    if (response.ok) names.add(response.headers.get('x-served-by') ?? '');
    await response.arrayBuffer();
  }
  return names;
}

export interface Traffic {
  reads: number;
  writes: number;
  /** Every answer that was not a success, or a request that got no answer. */
  failed: string[];
  /** The ids of the posts whose creation was acknowledged (201). */
  acknowledged: number[];
}

/**
 * Reads of the public timeline on `readers` loops, and posts on `writers` loops (with
 * `authorization`), until `until` settles.
 */
export async function trafficDuring(
  base: string,
  until: Promise<unknown>,
  { readers = 4, writers = 0, authorization = '' }: { readers?: number; writers?: number; authorization?: string } = {},
): Promise<Traffic> {
  const traffic: Traffic = { reads: 0, writes: 0, failed: [], acknowledged: [] };
  let done = false;
  void until.then(
    () => (done = true),
    () => (done = true),
  );
  const loop = async (request: () => Promise<void>) => {
    while (!done) {
      try {
        await request();
      } catch (error) {
        traffic.failed.push((error as Error).message);
      }
    }
  };
  const read = async () => {
    traffic.reads++;
    const response = await fetch(`${base}/timelines/public?limit=5`);
    await response.arrayBuffer();
    if (response.status !== 200) traffic.failed.push(`read: ${response.status} from ${response.headers.get('x-served-by')}`);
  };
  const write = async () => {
    traffic.writes++;
    const response = await fetch(`${base}/posts`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: `written during a change ${traffic.writes}` }),
    });
    const body = (await response.json().catch(() => ({}))) as { id?: number };
    if (response.status === 201 && typeof body.id === 'number') traffic.acknowledged.push(body.id);
    else traffic.failed.push(`write: ${response.status} from ${response.headers.get('x-served-by')}`);
  };
  await Promise.all([...Array.from({ length: readers }, () => loop(read)), ...Array.from({ length: writers }, () => loop(write))]);
  await until;
  return traffic;
}

/** The acknowledged posts that cannot be read back. */
export async function lostWrites(base: string, ids: number[]): Promise<number[]> {
  const lost: number[] = [];
  for (const id of ids) {
    const response = await fetch(`${base}/posts/${id}`);
    await response.arrayBuffer();
    if (response.status !== 200) lost.push(id);
  }
  return lost;
}
