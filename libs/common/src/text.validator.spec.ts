import { codePointLength, textProblem } from './text.validator';

describe('textProblem', () => {
  const message = { min: 1, max: 280, notBlank: true };

  it('counts Unicode code points, not UTF-16 units', () => {
    expect(codePointLength('😀😀')).toBe(2);
    expect(textProblem('message', '😀'.repeat(280), message)).toBeNull();
    expect(textProblem('message', '😀'.repeat(281), message)).toBe('message must be 1 to 280 characters');
  });

  it('refuses NUL and unpaired surrogates', () => {
    expect(textProblem('message', 'a\u0000b', message)).toMatch(/NUL/);
    expect(textProblem('message', 'a\ud83d', message)).toMatch(/surrogate/);
    expect(textProblem('message', '\ude00a', message)).toMatch(/surrogate/);
  });

  it('refuses text made only of Unicode white space when asked to', () => {
    for (const blank of [' ', '\t\n', '\u3000', '\u00a0\u2003', '\u0085']) {
      expect(textProblem('message', blank, message)).toBe('message must not be only white space');
    }
    expect(textProblem('bio', '   ', { min: 0, max: 160 })).toBeNull();
    expect(textProblem('message', ' a ', message)).toBeNull();
  });

  it('refuses what is not a string', () => {
    expect(textProblem('message', 42, message)).toBe('message must be a string');
    expect(textProblem('message', undefined, message)).toBe('message must be a string');
  });
});
