import { toAccount } from './account.view';
import { StatusFacts, toStatus } from './status.view';

const account = toAccount({ id: 7, username: 'ann', bio: '', createdAt: '2026-01-01T00:00:00.000Z', followers: 1, following: 2 }, 'https://m.example');
const facts = (overrides: Partial<StatusFacts> = {}): StatusFacts => ({
  id: 42,
  text: 'a < b\nsecond',
  createdAt: Date.UTC(2026, 0, 2),
  editedAt: null,
  account,
  inReplyToId: null,
  inReplyToAccountId: null,
  reblogs: 3,
  favourites: 4,
  replies: 5,
  viewer: null,
  ...overrides,
});

describe('toStatus', () => {
  it('shows a post as Mastodon does: escaped HTML, string ids, its URL under the author', () => {
    const status = toStatus(facts({ inReplyToId: 41, inReplyToAccountId: 8, editedAt: Date.UTC(2026, 0, 3) }));
    expect(status).toMatchObject({
      id: '42',
      url: 'https://m.example/@ann/42',
      uri: 'https://m.example/@ann/42',
      content: '<p>a &lt; b<br>second</p>',
      created_at: '2026-01-02T00:00:00.000Z',
      edited_at: '2026-01-03T00:00:00.000Z',
      in_reply_to_id: '41',
      in_reply_to_account_id: '8',
      reblogs_count: 3,
      favourites_count: 4,
      replies_count: 5,
      reblog: null,
    });
    expect('favourited' in status).toBe(false);
  });

  it('gives a reblog its own id, no content or counts of its own, and the original inside', () => {
    const original = toStatus(facts({ viewer: { favourited: true, reblogged: true } }));
    const reblog = toStatus(facts({ id: 43, viewer: { favourited: true, reblogged: true } }), original);
    expect(reblog).toMatchObject({ id: '43', content: '', reblogs_count: 0, favourites_count: 0, reblog: { id: '42', favourited: true, reblogged: true } });
  });

  it('says what the viewer did only for a signed-in viewer', () => {
    expect(toStatus(facts({ viewer: { favourited: false, reblogged: true } }))).toMatchObject({
      favourited: false,
      reblogged: true,
      muted: false,
      bookmarked: false,
    });
  });
});
