import { Statement } from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { Sqlite } from '@app/database';
import { PostRow } from './posts.repository';

/** A page of posts by some authors, below a cursor: the query's parameters. */
export interface AuthorsPageQuery {
  /** The authors, as a JSON array of usernames. */
  authors: string;
  createdAt: number;
  id: number;
  limit: number;
}

interface KnownPage {
  rows: PostRow[];
  /** The largest post id the database held when `rows` were read. */
  seenUpTo: number;
}

/** How many rows (a page counts its rows, and 1) the known pages may hold. */
const KNOWN_ROWS = 20_000;

/**
 * A page that many posts behind is computed afresh: the range walk costs about a microsecond a
 * post, the page's own query well under a millisecond. Without this bound, after a burst of
 * posts (the benchmark's compose scenario: 40,000 in 12 s) every known page's first refresh
 * walked all of them, and a mixed workload's p99 went from 40 to 240 ms for its first seconds.
 */
export const MAX_CATCH_UP_POSTS = 1_000;

/**
 * The pages of authors' posts this replica has read, brought up to date instead of computed
 * again when the database has changed. posts.id is AUTOINCREMENT and SQLite has one writer,
 * so every post committed since a page was read has a larger id than any the page could see:
 * one range of the primary key finds them (a few rows, against the home query's walk through
 * the newest posts, about 10 times longer), and what can change of the page's own posts
 * (counters, an edit, a deletion) is read again by id. A page that lost a post is computed afresh
 * (the post after it is unknown). Rows are shared: callers must not modify them.
 */
export class SqliteKnownPages {
  private readonly newestId: Statement<[], number>;
  private readonly postedSince: Statement<AuthorsPageQuery & { seen: number; newest: number }, PostRow>;
  /** Of each post by id, what can change: [id, likes, reposts, replies, edited_at] (raw rows: 3 times cheaper than whole posts). */
  private readonly changeable: Statement<[string], unknown>;
  private readonly byId: Statement<[number], PostRow>;
  private readonly pages: LRUCache<string, KnownPage>;

  /**
   * `keepPages: false` computes every page: the known pages are a memory of answers like the
   * store's remembered ones, and follow its switch (the benchmark's in-process timings turn both
   * off to measure the queries).
   */
  constructor(
    private readonly db: Sqlite,
    columns: string,
    private readonly keepPages = true,
  ) {
    this.newestId = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM posts').pluck();
    // NOT INDEXED: the primary key's range, never an author index walked through all of their posts.
    this.postedSince = db.prepare(
      `SELECT ${columns} FROM posts p NOT INDEXED
       WHERE p.id > @seen AND p.id <= @newest AND p.in_reply_to IS NULL
         AND (p.created_at, p.id) < (@createdAt, @id)
         AND p.username IN (SELECT value FROM json_each(@authors))`,
    );
    this.changeable = db
      .prepare<[string], unknown>('SELECT p.id, p.likes, p.reposts, p.replies, p.edited_at FROM posts p WHERE p.id IN (SELECT value FROM json_each(?))')
      .raw();
    this.byId = db.prepare(`SELECT ${columns} FROM posts p WHERE p.id = ?`);
    this.pages = new LRUCache({ maxSize: KNOWN_ROWS, sizeCalculation: ({ rows }) => rows.length + 1 });
  }

  /** The page `key` names: the known one brought up to date, or `compute()`'s. */
  page(key: string, query: AuthorsPageQuery, compute: () => PostRow[]): PostRow[] {
    // Rows read inside a transaction may yet be rolled back, and their ids given out again.
    if (this.db.inTransaction || !this.keepPages) return compute();
    const newest = this.newestId.get() ?? 0;
    const known = this.pages.get(key);
    const rows = (known && this.updated(known, query, newest)) ?? compute();
    this.pages.set(key, { rows, seenUpTo: newest });
    return rows;
  }

  private updated(known: KnownPage, query: AuthorsPageQuery, newest: number): PostRow[] | null {
    const current = this.current(known.rows);
    if (!current) return null;
    // Counters and edits never move a post: the page keeps its order until a post is added.
    if (newest <= known.seenUpTo) return current;
    if (newest - known.seenUpTo > MAX_CATCH_UP_POSTS) return null;
    const onPage = new Set(current.map((row) => row.id));
    // A post committed while the page was computed is on it and in this range too.
    const posted = this.postedSince.all({ ...query, seen: known.seenUpTo, newest }).filter((row) => !onPage.has(row.id));
    return sortedNewestFirst([...current, ...posted]).slice(0, query.limit);
  }

  private current(rows: PostRow[]): PostRow[] | null {
    if (rows.length === 0) return [];
    const changeable = this.changeable.all(JSON.stringify(rows.map((row) => row.id))) as Changeable[];
    return currentRows(rows, changeable, (id) => this.byId.get(id));
  }
}

type Changeable = [id: number, likes: number, reposts: number, replies: number, editedAt: number | null];

/**
 * The page's posts as they are now: unchanged ones as they were (shared, not copied), new
 * counters on a copy, an edited post read again whole; null when one was deleted.
 */
function currentRows(rows: PostRow[], changeable: Changeable[], byId: (id: number) => PostRow | undefined): PostRow[] | null {
  if (changeable.length < rows.length) return null;
  const now = new Map(changeable.map((state) => [state[0], state]));
  const current: PostRow[] = [];
  for (const row of rows) {
    const [, likes, reposts, replies, editedAt] = now.get(row.id)!;
    if (editedAt !== row.edited_at) {
      const edited = byId(row.id);
      if (!edited) return null;
      current.push(edited);
    } else if (likes !== row.likes || reposts !== row.reposts || replies !== row.replies) {
      current.push({ ...row, likes, reposts, replies });
    } else {
      current.push(row);
    }
  }
  return current;
}

function sortedNewestFirst(rows: PostRow[]): PostRow[] {
  return rows.sort((a, b) => b.created_at - a.created_at || b.id - a.id);
}
