import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** Runs the project's ESLint config once over snippets that pretend to live at the given paths. */
const LINT_SNIPPETS = `
const { ESLint } = await import('eslint');
const eslint = new ESLint({ cwd: process.cwd() });
const snippets = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const out = [];
for (const [path, code] of snippets) {
  const [result] = await eslint.lintText(code, { filePath: path });
  out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
}
console.log(JSON.stringify(out));
`;

function lint(snippets: Array<[path: string, code: string]>): string[][] {
  const result = spawnSync(process.execPath, ['--input-type=commonjs', '-e', `(async () => {${LINT_SNIPPETS}})()`], {
    cwd: ROOT,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as string[][];
}

describe('import boundaries (eslint no-restricted-imports)', () => {
  const [libsToApp, libsToScripts, libsToBench, usersToTimelines, timelinesToUsers, sameApp, scriptsToApp] = lint([
    ['libs/common/src/example.ts', "export { PostsService } from '../../../apps/timelines/src/posts/posts.service';\n"],
    ['libs/testing/src/example.ts', "export { x } from '../../../scripts/init-db';\n"],
    ['libs/testing/src/example.ts', "export { x } from '../../../bench/run';\n"],
    ['apps/users/src/users/example.ts', "export { PostsService } from '../../../timelines/src/posts/posts.service';\n"],
    ['apps/timelines/src/example.ts', "export { UsersService } from '../../users/src/users/users.service';\n"],
    ['apps/users/src/users/example.ts', "export { notFound } from '@app/common';\nexport { AuthService } from '../auth/auth.service';\n"],
    ['scripts/example.ts', "export { importUsers } from '../apps/users/src/import/users-importer';\n"],
  ]);

  it('refuse an import from libs/ into an app, scripts/ or bench/', () => {
    expect(libsToApp).toEqual([expect.stringContaining('libs/ must not import an app')]);
    expect(libsToScripts).toHaveLength(1);
    expect(libsToBench).toHaveLength(1);
  });

  it('refuse an import from one app into another', () => {
    expect(usersToTimelines).toEqual([expect.stringContaining('an app must not import another app')]);
    expect(timelinesToUsers).toHaveLength(1);
  });

  it('allow what the layout means: libs through @app/..., files of the same app by relative path, scripts using apps', () => {
    expect(sameApp).toEqual([]);
    expect(scriptsToApp).toEqual([]);
  });
});
