import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { MESSAGE_RULES, textProblem, usernameProblem } from '@app/common';
import { eachCsvRow, importErrorAt, progress, RowProblem } from '@app/csv-import';
import { Sqlite } from '@app/database';
import { parseTimestamp } from './timestamp';

/** `repost` may be an id, a path (/posts/3) or a URL (http://host/posts/3). */
const REPOST_REFERENCE = /^(?:(?:https?:\/\/[^/\s]+)?\/posts\/)?(\d+)\/?$/;

interface Reference {
  target: number;
  record: number;
}

export interface PostsImportResult {
  posts: number;
  likes: number;
}

/**
 * Imports posts.csv (`id,username,message,timestamp,repost`, and optionally `in_reply_to`)
 * and, when given and present, likes.csv (`post_id,username`). Authors need no account in
 * the users database: the two services keep separate databases. The caller wraps this in
 * one transaction; a bad row throws an ImportError naming its file and line.
 */
export async function importPosts(db: Sqlite, postsCsv: string, likesCsv?: string): Promise<PostsImportResult> {
  const insert = db.prepare('INSERT INTO posts (id, username, message, created_at, repost_of, in_reply_to) VALUES (?, ?, ?, ?, ?, ?)');
  const ids = new Set<number>();
  const reposts = new Map<number, Reference>();
  const replies: Reference[] = [];
  const report = progress('posts');

  const count = await eachCsvRow(postsCsv, ['id', 'username', 'message', 'timestamp', 'repost'], (fields, record) => {
    const id = Number(fields.id);
    if (!/^\d+$/.test(fields.id) || !Number.isSafeInteger(id) || id < 1) throw new RowProblem(`id "${fields.id}" is not a positive integer`);
    if (ids.has(id)) throw new RowProblem(`id ${id} appears twice`);
    const invalidName = usernameProblem(fields.username);
    if (invalidName) throw new RowProblem(`${invalidName} (got "${fields.username}")`);
    const createdAt = parseTimestamp(fields.timestamp);
    if (createdAt === null) {
      throw new RowProblem(`timestamp "${fields.timestamp}" is neither YYYY-MM-DD HH:MM:SS[.ffffff] nor ISO 8601`);
    }
    let repostOf: number | null = null;
    if (fields.repost !== '') {
      const match = REPOST_REFERENCE.exec(fields.repost.trim());
      if (!match) throw new RowProblem(`repost "${fields.repost}" is not a post id, path or URL`);
      repostOf = Number(match[1]);
      reposts.set(id, { target: repostOf, record });
    }
    const replyField = fields.in_reply_to ?? '';
    let inReplyTo: number | null = null;
    if (replyField !== '') {
      if (!/^\d+$/.test(replyField)) throw new RowProblem(`in_reply_to "${replyField}" is not a post id`);
      inReplyTo = Number(replyField);
      replies.push({ target: inReplyTo, record });
    }
    // A repost may leave its message empty: it copies the original's below.
    if (!(repostOf !== null && fields.message === '')) {
      const problem = textProblem('message', fields.message, MESSAGE_RULES);
      if (problem) throw new RowProblem(problem);
    }
    insert.run(id, fields.username, fields.message, createdAt, repostOf, inReplyTo);
    ids.add(id);
    report(ids.size);
  });

  const file = basename(postsCsv);
  for (const { target, record } of [...reposts.values(), ...replies]) {
    if (!ids.has(target)) throw await importErrorAt(postsCsv, new RowProblem(`post ${target} does not exist in ${file}`), record);
  }
  const problem = pointRepostsAtOriginals(db, reposts);
  if (problem) throw await importErrorAt(postsCsv, problem, 0);
  const likes = likesCsv && existsSync(likesCsv) ? await importLikes(db, likesCsv, ids) : 0;
  return { posts: count, likes };
}

/** A repost of a repost points to the original; a repost with no message copies it. */
function pointRepostsAtOriginals(db: Sqlite, reposts: Map<number, Reference>): RowProblem | null {
  const retarget = db.prepare('UPDATE posts SET repost_of = ? WHERE id = ?');
  for (const [id, reference] of reposts) {
    let root = reference.target;
    const seen = new Set([id]);
    while (reposts.has(root)) {
      if (seen.has(root)) return new RowProblem(`repost ${id} is part of a repost cycle`, reference.record);
      seen.add(root);
      root = reposts.get(root)!.target;
    }
    if (root !== reference.target) retarget.run(root, id);
  }
  db.exec(`UPDATE posts SET message = (SELECT o.message FROM posts o WHERE o.id = posts.repost_of)
           WHERE repost_of IS NOT NULL AND message = ''`);
  const duplicate = db
    .prepare(
      `SELECT MAX(id) AS id FROM posts WHERE repost_of IS NOT NULL
       GROUP BY repost_of, lower(username) HAVING COUNT(*) > 1 LIMIT 1`,
    )
    .get() as { id: number } | undefined;
  if (!duplicate) return null;
  return new RowProblem(`post ${duplicate.id} reposts a post its author already reposted`, reposts.get(duplicate.id)?.record);
}

async function importLikes(db: Sqlite, likesCsv: string, ids: Set<number>): Promise<number> {
  const insert = db.prepare('INSERT OR IGNORE INTO likes (post_id, username, created_at) VALUES (?, ?, ?)');
  const now = Date.now();
  return eachCsvRow(likesCsv, ['post_id', 'username'], (fields) => {
    const postId = Number(fields.post_id);
    if (!ids.has(postId)) throw new RowProblem(`post "${fields.post_id}" does not exist`);
    const invalidName = usernameProblem(fields.username);
    if (invalidName) throw new RowProblem(`${invalidName} (got "${fields.username}")`);
    insert.run(postId, fields.username, now);
  });
}
