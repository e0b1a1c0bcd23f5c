/**
 * The benchmark's floor: the same public-timeline page from the same database, read by the
 * same repository and shaped by the same view code, but served by bare node:http with no
 * framework at all. What the real service costs beyond this is the price of NestJS,
 * Fastify, validation, logging and the rest of the request path.
 */
import { createServer } from 'node:http';
import { openDatabase } from '@app/database';
import { TIMELINES_MIGRATIONS } from '../apps/timelines/src/database/timelines.migrations';
import { SqlitePostsRepository } from '../apps/timelines/src/posts/sqlite-posts.repository';
import { toPostList } from '../apps/timelines/src/posts/post-page';

const db = openDatabase(process.env.DATABASE_PATH ?? 'var/db/timelines.db', TIMELINES_MIGRATIONS);
const posts = new SqlitePostsRepository(db);
const name = process.env.SERVICE_NAME ?? 'floor';

createServer((request, response) => {
  const path = (request.url ?? '/').split('?', 1)[0];
  if (path === '/timelines/public') {
    const page = { limit: 20, cursor: undefined, path };
    const body = JSON.stringify(toPostList(posts.publicTimeline(null, page.limit + 1), page));
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'X-Served-By': name });
    response.end(body);
  } else if (path === '/health/ready' || path === '/health') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end('{"status":"ok"}');
  } else {
    response.writeHead(404, { 'Content-Type': 'application/problem+json' });
    response.end('{"type":"about:blank","title":"Not Found","status":404}');
  }
}).listen(Number(process.env.PORT ?? 5100), process.env.HOST ?? '127.0.0.1');
