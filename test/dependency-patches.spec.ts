import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** Runs `body` as a module in a fresh Node process at the project's root; its output, parsed. */
function inFreshNode(body: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', body], { cwd: ROOT, encoding: 'utf8' }));
}

/** Counts, in `built`, the date formatters the code after it builds. */
const countingIntl = `
  let built = 0;
  const DateTimeFormat = Intl.DateTimeFormat;
  Intl.DateTimeFormat = function (...args) { built++; return new DateTimeFormat(...args); };
`;

// patches/@nestjs+common+*.patch, applied by npm install's postinstall (docs/performance.md,
// "Where a replica's memory goes"): the first Intl object of a process reads about 5 MB of ICU's data.
describe("the patch to NestJS's loggers", () => {
  it('builds no date formatter when @nestjs/common is imported', () => {
    expect(inFreshNode(countingIntl + `await import('@nestjs/common'); console.log(JSON.stringify({ built }));`)).toEqual({ built: 0 });
  });

  it('still stamps a console log line with the date, building the formatter once, on first use', () => {
    const result = inFreshNode(
      countingIntl +
        `
      const { ConsoleLogger } = await import('@nestjs/common');
      const logger = new ConsoleLogger();
      const stamps = [logger.getTimestamp(), logger.getTimestamp()];
      console.log(JSON.stringify({ built, stamps, expected: new Intl.DateTimeFormat(undefined, {
        year: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', day: '2-digit', month: '2-digit',
      }).format(Date.now()) }));
    `,
    ) as { built: number; stamps: string[]; expected: string };
    expect(result.built).toBe(1); // counted before the test builds its own
    expect(result.stamps[0]).toMatch(/\d{2}\/\d{2}\/\d{4}, \d{1,2}:\d{2}:\d{2}/);
    expect(result.stamps[0].slice(0, 10)).toBe(result.expected.slice(0, 10));
  });
});

// patches/class-validator+*.patch: libphonenumber-js's metadata is 1.6 MB of every service's
// heap, and no DTO of this project validates a phone number.
describe("the patch to class-validator's phone number check", () => {
  it('loads libphonenumber-js only when a phone number is checked, and still checks it', () => {
    const result = inFreshNode(`
      import { createRequire } from 'node:module';
      const require = createRequire(process.cwd() + '/');
      const loaded = () => Object.keys(require.cache).some((file) => file.includes('/libphonenumber-js/'));
      const { isPhoneNumber } = require('class-validator');
      const before = loaded();
      const checks = [isPhoneNumber('+41 44 668 18 00'), isPhoneNumber('+41 12'), isPhoneNumber('044 668 18 00', 'CH'), isPhoneNumber('+41 44 668 18 00', 'DE')];
      console.log(JSON.stringify({ before, after: loaded(), checks }));
    `);
    expect(result).toEqual({ before: false, after: true, checks: [true, false, true, false] });
  });
});
