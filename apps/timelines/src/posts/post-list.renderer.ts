import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import fastJson from 'fast-json-stringify';
import { flattened, JSON_CONTENT_TYPE, setLinkHeader } from '@app/common';
import { POST_SCHEMA } from './post.schema';
import { toPostView } from './post.view';
import { PostRow } from './posts.repository';
import { PostRowPage } from './post-page';

// The schema is declared `as const` (for the OpenAPI types); the compiler takes a mutable list.
const stringifyPost = fastJson({ ...POST_SCHEMA, required: [...POST_SCHEMA.required] });

/**
 * Native pages of posts as their JSON answer, each post's JSON made once per row. The SQLite
 * store shares a row (never modified) between every page that shows it until the post changes
 * (a write to it gives a new row), so most posts of a home page are already rendered when a
 * page is read again after other posts were written; on PostgreSQL rows are new on every read.
 * Serialising whole pages through the schema made about 20 KB of short-lived strings for a
 * 4.4 KB page (docs/performance.md).
 */
@Injectable()
export class PostListRenderer {
  private readonly rendered = new WeakMap<PostRow, string>();

  /** The page's JSON (the schema's PostList), with its `next` link also as the `Link` header. */
  reply(reply: FastifyReply, page: PostRowPage): string {
    setLinkHeader(reply, page);
    reply.type(JSON_CONTENT_TYPE);
    return this.json(page);
  }

  json({ rows, next }: PostRowPage): string {
    return `{"posts":[${rows.map((row) => this.post(row)).join(',')}],"next":${JSON.stringify(next)}}`;
  }

  private post(row: PostRow): string {
    const known = this.rendered.get(row);
    if (known !== undefined) return known;
    const json = flattened(stringifyPost(toPostView(row)));
    this.rendered.set(row, json);
    return json;
  }
}
