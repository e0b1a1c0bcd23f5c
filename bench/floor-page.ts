/** The floor's one query, the public page's posts (`LIMIT ?`): run by bench/floor-server.ts, and timed in-process by the bench. */
export const FLOOR_PAGE_SQL = `SELECT id, username, message, created_at, edited_at, repost_of, in_reply_to, likes, reposts, replies
   FROM posts INDEXED BY posts_public_timeline WHERE in_reply_to IS NULL
   ORDER BY created_at DESC, id DESC LIMIT ?`;
