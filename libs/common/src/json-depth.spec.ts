import { nestsDeeperThan } from './json-depth';

describe('nestsDeeperThan', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('allows nesting up to the limit and refuses one level more', () => {
    expect(nestsDeeperThan(nested(32))).toBe(false);
    expect(nestsDeeperThan(nested(33))).toBe(true);
    expect(nestsDeeperThan('{"a":'.repeat(10_000))).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1,{"c":2}]}}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":[1,{"c":2}]}}', 3)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ message: '[[[[{{{{'.repeat(10) }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ message: 'say \\"[[[[' + '['.repeat(40) }), 1)).toBe(false);
    expect(nestsDeeperThan('{"m":"\\\\"}', 1)).toBe(false);
  });
});
