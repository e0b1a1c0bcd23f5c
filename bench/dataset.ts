/**
 * Generates benchmark data sets as CSV files in the project's own format, to be imported
 * with the project's own init command.
 *
 * - `reed`: the real social graph socfb-Reed98 (962 people, 18,812 friendships, each a follow
 *   both ways: 37,624 follows), about ten posts per user, with reposts, comments and likes.
 * - `growth`: 2,000 authors and a given number of posts spread over them, for timing the
 *   home timeline of a reader who follows 1,000 of them as the table grows.
 */
import { createWriteStream, mkdirSync, readFileSync, WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

/** mulberry32: a small seeded generator, so every run builds the same data. */
export function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'the a timeline post reply like graph college friend coffee library thesis exam weekend music river rain code night morning'.split(' ');

function sentence(random: () => number): string {
  const length = 4 + Math.floor(random() * 14);
  return Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

function csv(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

class CsvFile {
  private readonly stream: WriteStream;
  constructor(path: string, header: string[]) {
    this.stream = createWriteStream(path);
    this.stream.write(header.join(',') + '\n');
  }
  async row(values: Array<string | number>): Promise<void> {
    if (!this.stream.write(values.map(csv).join(',') + '\n')) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

const START = Date.parse('2026-10-01T00:00:00Z');
const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

export const benchUsername = (i: number) => `username_${i}`;
export const benchPassword = (i: number) => `password_${i}`;

export interface ReedSummary {
  users: number;
  follows: number;
  posts: number;
  likes: number;
}

export async function generateReed(edgesPath: string, dir: string, postsPerUser = 10): Promise<ReedSummary> {
  mkdirSync(dir, { recursive: true });
  const random = randomGenerator(98);
  const edges = readFileSync(edgesPath, 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((pair) => pair.length === 2 && pair.every(Number.isInteger));
  const people = 1 + Math.max(...edges.flat());

  const users = new CsvFile(join(dir, 'users.csv'), ['id', 'username', 'bio', 'email', 'password']);
  for (let i = 0; i < people; i++) {
    await users.row([i + 1, benchUsername(i), `student ${i}`, `${benchUsername(i)}@reed.example`, benchPassword(i)]);
  }
  await users.close();

  const followers = new CsvFile(join(dir, 'followers.csv'), ['id', 'username', 'friend_username']);
  let follows = 0;
  for (const [a, b] of edges) {
    await followers.row([++follows, benchUsername(a), benchUsername(b)]);
    await followers.row([++follows, benchUsername(b), benchUsername(a)]);
  }
  await followers.close();

  const total = people * postsPerUser;
  const posts = new CsvFile(join(dir, 'posts.csv'), ['id', 'username', 'message', 'timestamp', 'repost', 'in_reply_to']);
  const originals: number[] = [];
  const reposted = new Set<string>();
  for (let id = 1; id <= total; id++) {
    const author = benchUsername(Math.floor(random() * people));
    const when = stamp(START + Math.floor((id / total) * 30 * 86_400_000));
    const roll = random();
    const original = originals[Math.floor(random() * originals.length)];
    // One repost per author and original, as the service allows.
    if (originals.length > 10 && roll < 0.1 && !reposted.has(`${author}/${original}`)) {
      reposted.add(`${author}/${original}`);
      await posts.row([id, author, '', when, original, '']);
    } else if (originals.length > 10 && roll < 0.25) {
      await posts.row([id, author, sentence(random), when, '', originals[Math.floor(random() * originals.length)]]);
    } else {
      await posts.row([id, author, sentence(random), when, '', '']);
      originals.push(id);
    }
  }
  await posts.close();

  const likes = new CsvFile(join(dir, 'likes.csv'), ['post_id', 'username']);
  let likeCount = 0;
  for (let i = 0; i < total * 3; i++) {
    await likes.row([1 + Math.floor(random() * total), benchUsername(Math.floor(random() * people))]);
    likeCount++;
  }
  await likes.close();
  return { users: people, follows, posts: total, likes: likeCount };
}

export const AUTHORS = 2000;
export const FOLLOWED = 1000;
export const growthAuthor = (i: number) => `author_${i}`;

/** posts.csv only: the growth scenario reads the timelines database directly. */
export async function generateGrowthPosts(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const random = randomGenerator(7);
  const posts = new CsvFile(join(dir, 'posts.csv'), ['id', 'username', 'message', 'timestamp', 'repost']);
  const span = 365 * 86_400_000;
  for (let id = 1; id <= count; id++) {
    const when = stamp(START + Math.floor((id / count) * span));
    await posts.row([id, growthAuthor(Math.floor(random() * AUTHORS)), sentence(random), when, '']);
  }
  await posts.close();
}
