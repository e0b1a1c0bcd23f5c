import { Cursor, parsePageRequest, toPage } from './pagination';
import { ProblemException } from './problem';

describe('pagination', () => {
  it('reads limit and cursor, with a default limit of 20', () => {
    expect(parsePageRequest({}, '/p')).toEqual({ limit: 20, cursor: undefined, path: '/p' });
    expect(parsePageRequest({ limit: '100', cursor: 'abc' }, '/p')).toEqual({ limit: 100, cursor: 'abc', path: '/p' });
  });

  it.each([{ limit: '0' }, { limit: '101' }, { limit: '' }, { limit: '1e1' }, { limit: ['1', '2'] }, { cursor: '' }, { cursor: 'a b' }])(
    'refuses %j with 400',
    (query) => {
      expect(() => parsePageRequest(query, '/p')).toThrow(ProblemException);
    },
  );

  it('round-trips cursors and refuses ones of the wrong shape', () => {
    const cursor = Cursor.encode([1700000000000, 42]);
    expect(cursor).toBe('WzE3MDAwMDAwMDAwMDAsNDJd'); // base64url of "[1700000000000,42]", written out, not computed by the code under test
    expect(Cursor.decode(cursor, ['number', 'number'])).toEqual([1700000000000, 42]);
    expect(() => Cursor.decode(cursor, ['string'])).toThrow(ProblemException);
    expect(() => Cursor.decode(Cursor.encode(['x', 1]), ['number', 'number'])).toThrow(ProblemException);
    expect(() => Cursor.decode('not-json', ['string'])).toThrow(ProblemException);
  });

  it('makes a next link only when a further row exists, keeping the limit', () => {
    const request = { limit: 2, cursor: undefined, path: '/things' };
    const full = toPage(
      [1, 2, 3],
      request,
      (n) => n * 10,
      (n) => [n],
    );
    expect(full.items).toEqual([10, 20]);
    expect(full.next).toBe('/things?limit=2&cursor=WzJd'); // WzJd is base64url of "[2]": the last item's key
    expect(
      toPage(
        [1, 2],
        request,
        (n) => n,
        (n) => [n],
      ).next,
    ).toBeNull();
  });
});
