import { PostRow } from './posts.repository';

export interface PostView {
  id: number;
  username: string;
  message: string;
  timestamp: string;
  repost: string | null;
  inReplyTo: number | null;
  likes: number;
  reposts: number;
  replies: number;
  editedAt: string | null;
  url: string;
}

export interface PostList {
  posts: PostView[];
  next: string | null;
}

export function toPostView(row: PostRow): PostView {
  return {
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
  };
}
