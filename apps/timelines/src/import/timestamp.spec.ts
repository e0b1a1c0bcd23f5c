import { parseTimestamp } from './timestamp';

describe('parseTimestamp', () => {
  it.each([
    ['2021-10-12 22:58:57', '2021-10-12T22:58:57.000Z'],
    ['2021-10-12 22:58:57.123456', '2021-10-12T22:58:57.123Z'],
    ['2021-10-12T22:58:57Z', '2021-10-12T22:58:57.000Z'],
    ['2021-10-12T22:58:57.5+02:00', '2021-10-12T20:58:57.500Z'],
    ['2021-10-12T22:58-0130', '2021-10-13T00:28:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(new Date(parseTimestamp(text)!).toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', '2021-13-01 00:00:00', '2021-02-30 00:00:00', '2021-10-12 25:00:00', '2021-10-12', '12/10/2021 10:00'])('refuses %j', (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });
});

describe('parseTimestamp calendar', () => {
  it('knows leap years', () => {
    expect(parseTimestamp('2024-02-29 00:00:00')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseTimestamp('2023-02-29 00:00:00')).toBeNull();
    expect(parseTimestamp('1900-02-29 00:00:00')).toBeNull();
    expect(parseTimestamp('2000-02-29 00:00:00')).toBe(Date.parse('2000-02-29T00:00:00Z'));
    expect(parseTimestamp('2021-04-31 00:00:00')).toBeNull();
  });
});
