import { parseScopes, scopeGrants, scopesAllow } from './oauth-scopes';

describe("Mastodon's OAuth scopes", () => {
  it('reads scopes separated by spaces, pluses or commas, each once', () => {
    expect(parseScopes('read write+follow,read')).toEqual(['read', 'write', 'follow']);
    expect(parseScopes(undefined)).toEqual([]);
  });

  it('lets a top-level scope grant its finer scopes, and follow the follow graph only', () => {
    expect(scopeGrants(['read'], 'read:accounts')).toBe(true);
    expect(scopeGrants(['read'], 'write:follows')).toBe(false);
    expect(scopeGrants(['follow'], 'write:follows')).toBe(true);
    expect(scopeGrants(['follow'], 'write:statuses')).toBe(false);
    expect(scopeGrants(['write:follows'], 'write')).toBe(false);
    expect(scopeGrants(['read:accounts'], 'read:accounts')).toBe(true);
  });

  it('opens a route to any token when it names no scope, otherwise to a token with one of them', () => {
    expect(scopesAllow(['profile'], [])).toBe(true);
    expect(scopesAllow(['profile'], ['read:accounts', 'profile'])).toBe(true);
    expect(scopesAllow(['read:statuses'], ['read:accounts', 'profile'])).toBe(false);
  });
});
