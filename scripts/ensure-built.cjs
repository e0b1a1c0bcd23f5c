// Runs before `npm start` and `npm test`, with nothing but Node: makes sure HAProxy (and for
// the tests docker-compose and PostgreSQL) and the npm packages are installed and (unless --no-build) that dist/ is built from the sources.
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const run = (command, env = process.env) => execSync(command, { cwd: root, stdio: 'inherit', env });

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

function has(command) {
  try {
    execSync(`command -v ${command} || test -x /usr/sbin/${command}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
}

// The tests also check the compose file with Debian's docker-compose; as root it is
// installed along with HAProxy, so `sudo npm start` leaves nothing for `npm test` to add.
const isRoot = process.getuid && process.getuid() === 0;
// Redis is the event bus; `npm start` runs Debian's redis-server unless REDIS_URL names one.
// The tests also scrape with Prometheus and render /docs in headless Chromium.
// The tests run the users service on PostgreSQL too (npm run test:postgres), on a throwaway
// cluster of Debian's postgresql.
const forTests = process.argv.includes('--tests') || isRoot;
const wanted = ['haproxy', 'redis-server', ...(forTests ? ['docker-compose', 'prometheus', 'chromium'] : [])];
const missing = wanted.filter((command) => !has(command));
if (forTests && !existsSync('/usr/lib/postgresql')) missing.push('postgresql');
// The tests run the documents' httpie examples too (scripts/test/docs-commands.e2e-spec.ts).
if (forTests && !has('http')) missing.push('httpie');
if (missing.length > 0) {
  if (!isRoot || !existsSync('/etc/debian_version')) {
    console.error(`${missing.join(' and ')} not installed. Install, then run this again:\n  sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.error(`${missing.join(' and ')} not installed: installing with apt-get`);
  run('apt-get update -qq');
  run(`apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
}

if (!existsSync(join(root, 'node_modules', '.bin', 'nest'))) {
  console.error('installing npm packages (first run)');
  // Errors only: on Node 20 npm warns EBADENGINE for packages that declare Node 22 (see
  // docs/operations.md), and those lines buried "microblog is up".
  run('npm install --no-audit --no-fund --loglevel=error');
}

if (!process.argv.includes('--no-build')) {
  const built = join(root, 'dist', 'scripts', 'scripts', 'start.js');
  const sources = Math.max(...['apps', 'libs', 'scripts', 'bench'].map((dir) => (existsSync(join(root, dir)) ? newestSource(join(root, dir)) : 0)));
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    console.error('building');
    run('npm run build');
  }
}
