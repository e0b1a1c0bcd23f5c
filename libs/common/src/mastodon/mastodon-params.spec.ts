import { listParam, mastodonParams, textParam } from './mastodon-params';
import { idRange, mastodonLink } from './mastodon-page';

describe("Mastodon's parameters", () => {
  it('gathers key[]= arrays under the bare key, a single value as a one-item list', () => {
    const params = mastodonParams({ 'id[]': ['1', '2'], 'one[]': '7', limit: '5' });
    expect(listParam(params, 'id')).toEqual(['1', '2']);
    expect(listParam(params, 'one')).toEqual(['7']);
    expect(textParam(params, 'limit')).toBe('5');
    expect(textParam(mastodonParams({ empty: '' }), 'empty')).toBeUndefined();
  });

  it('clamps the limit as Mastodon does and refuses an id that is not one', () => {
    expect(idRange({ limit: '500' }).limit).toBe(40);
    expect(idRange({ limit: '0' }).limit).toBe(1);
    expect(idRange({}).limit).toBe(20);
    expect(() => idRange({ max_id: 'abc' })).toThrow('max_id must be an id');
  });

  it('links the next page below the last id and the previous above the first, none for an empty page', () => {
    expect(mastodonLink('http://x', '/api/v1/a', [9, 5], 2)).toBe(
      '<http://x/api/v1/a?limit=2&max_id=5>; rel="next", <http://x/api/v1/a?limit=2&min_id=9>; rel="prev"',
    );
    expect(mastodonLink('http://x', '/api/v1/a', [], 2)).toBeUndefined();
  });
});
