import { PostRow } from './posts.repository';

/** A post as the repositories hand it out, for unit tests: ann's, at 1,000 × its id, unless `fields` say otherwise. */
export function postRow(id: number, fields: Partial<PostRow> = {}): PostRow {
  return {
    id,
    username: 'ann',
    message: `post ${id}`,
    created_at: 1_000 * id,
    edited_at: null,
    repost_of: null,
    in_reply_to: null,
    likes: 0,
    reposts: 0,
    replies: 0,
    ...fields,
  };
}
