// Runs before `npm start`: installs the npm packages and builds, but only when needed.
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const run = (command) => execSync(command, { cwd: root, stdio: 'inherit' });

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'test') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

if (!existsSync(join(root, 'node_modules', '.bin', 'nest'))) {
  console.error('installing npm packages (first start)');
  run('npm install --no-audit --no-fund');
}
const stamp = join(root, 'dist', 'scripts', 'scripts', 'start.js');
const sources = Math.max(...['apps', 'libs', 'scripts', 'bench'].map((dir) => (existsSync(join(root, dir)) ? newestSource(join(root, dir)) : 0)));
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  console.error('building');
  run('npm run build');
}
