/**
 * The benchmark's floor, defined once: what answering the contract's public page costs with
 * nothing but node:http and better-sqlite3. One indexed query over the posts table and its
 * stored counters, the page built by hand (20 posts, every field, ISO times, `next` and
 * `Link`), no framework, no project code. The service is measured against it, behind the
 * same HAProxy, in the same run.
 */
import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import { FLOOR_PAGE_SQL } from './floor-page';

interface Row {
  id: number;
  username: string;
  message: string;
  created_at: number;
  edited_at: number | null;
  repost_of: number | null;
  in_reply_to: number | null;
  likes: number;
  reposts: number;
  replies: number;
}

const LIMIT = 20;
const db = new Database(process.env.DATABASE_PATH ?? 'var/db/timelines.db', { readonly: true });
const page = db.prepare<[number], Row>(FLOOR_PAGE_SQL);
const name = process.env.SERVICE_NAME ?? 'floor';

createServer((request, response) => {
  const path = (request.url ?? '/').split('?', 1)[0];
  if (path === '/timelines/public') {
    const rows = page.all(LIMIT + 1);
    const shown = rows.slice(0, LIMIT);
    const last = shown[shown.length - 1];
    const next =
      rows.length > LIMIT ? `/timelines/public?limit=${LIMIT}&cursor=${Buffer.from(JSON.stringify([last.created_at, last.id])).toString('base64url')}` : null;
    const body = JSON.stringify({
      posts: shown.map((row) => ({
        id: row.id,
        username: row.username,
        message: row.message,
        timestamp: new Date(row.created_at).toISOString(),
        repost: row.repost_of === null ? null : `/posts/${row.repost_of}`,
        inReplyTo: row.in_reply_to,
        likes: row.likes,
        reposts: row.reposts,
        replies: row.replies,
        editedAt: row.edited_at === null ? null : new Date(row.edited_at).toISOString(),
        url: `/posts/${row.id}`,
      })),
      next,
    });
    const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'X-Served-By': name };
    if (next) headers.Link = `<${next}>; rel="next"`;
    response.writeHead(200, headers);
    response.end(body);
  } else if (path === '/health/ready' || path === '/health') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end('{"status":"ok"}');
  } else {
    response.writeHead(404, { 'Content-Type': 'application/problem+json' });
    response.end('{"type":"about:blank","title":"Not Found","status":404}');
  }
}).listen(Number(process.env.PORT ?? 5100), process.env.HOST ?? '127.0.0.1');
