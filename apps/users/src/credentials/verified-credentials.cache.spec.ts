import { VerifiedCredentialsCache } from './verified-credentials.cache';

describe('VerifiedCredentialsCache', () => {
  it('remembers exact credentials (name in any case), and forgets a user at once', () => {
    const cache = new VerifiedCredentialsCache();
    const steve = { id: 2, username: 'steve' };
    cache.remember('steve', 'password3', steve);
    cache.remember('chris', 'password2', { id: 1, username: 'chris' });
    expect(cache.get('STEVE', 'password3')).toEqual(steve);
    expect(cache.get('steve', 'password4')).toBeUndefined();
    expect(cache.get('steve', 'Password3')).toBeUndefined();
    cache.forget(2);
    expect(cache.get('steve', 'password3')).toBeUndefined();
    expect(cache.get('chris', 'password2')).toEqual({ id: 1, username: 'chris' });
  });
});
