import type Redis from 'ioredis';

/**
 * A stream and the history it holds. Each producer's database has an incarnation (its
 * event_log); the relay keeps it in `<stream>:incarnation` and in every entry it adds, so a
 * consumer can tell events of one database from those of the database that stood in its
 * place before (rebuilt, replaced, restored from a backup) and never mixes the two.
 */
export const incarnationKey = (stream: string) => `${stream}:incarnation`;

export interface StreamEntry {
  id: number;
  type: string;
  occurredAt: string;
  data: string;
  /** Absent in entries written before histories were kept. */
  incarnation: string | undefined;
}

export interface StreamHead {
  /** Whose history the stream holds; null before the first publish (or in a stream of an older version). */
  incarnation: string | null;
  newest: StreamEntry | null;
}

export function toStreamEntry(id: string, fields: string[]): StreamEntry {
  const values: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) values[fields[i]] = fields[i + 1];
  return { id: Number(id.split('-')[0]), type: values.type, occurredAt: values.occurredAt, data: values.data ?? '{}', incarnation: values.incarnation };
}

/** Whether the stream holds `incarnation`'s history, or none yet (a relay of that history may publish to it). */
export function isHistoryOf(head: StreamHead, incarnation: string): boolean {
  return head.incarnation === incarnation || (head.incarnation === null && head.newest === null);
}

/** The stream's incarnation and newest entry, read in one round trip. */
export async function streamHead(redis: Redis, stream: string): Promise<StreamHead> {
  const results = (await redis.pipeline().get(incarnationKey(stream)).xrevrange(stream, '+', '-', 'COUNT', 1).exec()) ?? [];
  for (const [error] of results) if (error) throw error;
  const incarnation = results[0][1] as string | null;
  const newest = results[1][1] as Array<[string, string[]]>;
  return { incarnation, newest: newest.length > 0 ? toStreamEntry(newest[0][0], newest[0][1]) : null };
}

/**
 * KEYS: stream, incarnation key. ARGV: the publisher's incarnation, then id, type,
 * occurredAt, data of each event in id order. Adds the events whose ids are above the
 * stream's newest (another replica may have added some) and returns the
 * stream's newest id; -1, adding nothing, when the stream holds another history.
 */
export const PUBLISH_SCRIPT = `
local owner = redis.call('GET', KEYS[2])
if owner ~= ARGV[1] then
  if owner or redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
  redis.call('SET', KEYS[2], ARGV[1])
end
local last = 0
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #newest > 0 then last = tonumber(string.match(newest[1][1], '^(%d+)')) end
for i = 2, #ARGV, 4 do
  local id = tonumber(ARGV[i])
  if id > last then
    redis.call('XADD', KEYS[1], ARGV[i] .. '-0', 'type', ARGV[i + 1], 'occurredAt', ARGV[i + 2], 'data', ARGV[i + 3], 'incarnation', ARGV[1])
    last = id
  end
end
return last
`;

/**
 * KEYS: stream, incarnation key. ARGV: the incarnation the stream was seen holding ('' for
 * none), the publisher's. Empties the stream and gives it to the publisher's history, unless
 * it changed hands since it was seen; 1 when it did so.
 */
export const REPLACE_SCRIPT = `
local owner = redis.call('GET', KEYS[2]) or ''
if owner ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;
