import { Sqlite, SqliteStore } from '@app/database';
import { SqlitePostsRepository } from './sqlite-posts.repository';

/**
 * The steps of every read query of the posts repository that walk the whole posts table
 * (`SCAN posts`) instead of an index range: there should be none, whatever the table's size.
 */
export function fullTableScans(db: Sqlite): string[] {
  type Member = { source?: unknown; reader?: boolean };
  const members = (holder: object) => Object.entries(holder as Record<string, Member>);
  const repository = members(new SqlitePostsRepository(new SqliteStore(db)));
  // The repository's statements, and those of the helpers it holds (known pages).
  const statements = repository.flatMap(([name, member]) =>
    member && typeof member === 'object' && !('source' in member) && !Array.isArray(member)
      ? members(member).map(([inner, statement]): [string, Member] => [`${name}.${inner}`, statement])
      : [[name, member] as [string, Member]],
  );
  const scans: string[] = [];
  for (const [name, statement] of statements) {
    if (typeof statement?.source !== 'string' || !statement.reader) continue;
    // Parameters as literals: the plan does not depend on their values.
    const sql = statement.source.replace(/@\w+|\?/g, '1');
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>;
    for (const { detail } of plan) {
      if (/^SCAN (posts|p|x|c)\b/.test(detail) && !/USING (COVERING )?INDEX/.test(detail)) scans.push(`${name}: ${detail}`);
    }
  }
  return scans;
}
