/**
 * `node dist/scripts/bench/password-cost.js [users]`: what one password check costs, and
 * what importing `users` users (default 10,000) with their follows costs, on this machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from '../apps/users/src/credentials/password-hasher';
import { entryPoint } from '@app/topology';

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 10_000);
  const hash = await hashPassword('correct horse battery staple');
  const samples: number[] = [];
  for (let i = 0; i < 40; i++) {
    const started = performance.now();
    await verifyPassword('correct horse battery staple', hash);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `one password check (scrypt ln=${SCRYPT_PARAMS.logN}, r=${SCRYPT_PARAMS.r}, p=${SCRYPT_PARAMS.p}): median ${samples[20].toFixed(1)} ms, p90 ${samples[36].toFixed(1)} ms`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'password-cost-'));
  const userRows = Array.from({ length: users }, (_, i) => `${i + 1},user_${i + 1},bio,user_${i + 1}@example.com,password_${i + 1}`);
  writeFileSync(join(dir, 'users.csv'), `id,username,bio,email,password\n${userRows.join('\n')}\n`);
  const follows = Array.from({ length: users * 5 }, (_, n) => {
    const i = Math.floor(n / 5) + 1;
    const j = ((i + ((n % 5) + 1) * 37) % users) + 1;
    return `${n + 1},user_${i},user_${j === i ? (j % users) + 1 : j}`;
  });
  writeFileSync(join(dir, 'followers.csv'), `id,username,friend_username\n${follows.join('\n')}\n`);
  const started = performance.now();
  execFileSync(process.execPath, [entryPoint('init-db'), '--only', 'users', '--data', dir, '--users-db', join(dir, 'users.db')], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `import of ${users.toLocaleString('en')} users and ${follows.length.toLocaleString('en')} follows: ${seconds.toFixed(1)} s (${((seconds / users) * 10_000).toFixed(0)} s per 10,000 users)`,
  );
  rmSync(dir, { recursive: true, force: true });
}

void main();
