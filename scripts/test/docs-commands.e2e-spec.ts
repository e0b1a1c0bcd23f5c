import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestTopology } from '@app/testing';
import { entryPoint, ROOT, Topology } from '@app/topology';

/** The documents whose shell examples a reader copies: every one must run as written. */
const DOCUMENTS = ['README.md', 'docs/usage.md'];
/** Lines that start or test the system itself (the test runs its own). */
const NOT_EXAMPLES = /^(sudo )?npm (start|test)\b|^HTTP_PORT=/;

/** The examples of each document, in order: the lines of its ```sh blocks, comments left out. */
function examples(document: string): string[] {
  const text = readFileSync(join(ROOT, document), 'utf8');
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```/gm)]
    .flatMap((block) => block[1].split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !NOT_EXAMPLES.test(line));
}

/**
 * Runs a document's examples in order against a fresh system with the seed data, through its
 * HAProxy: curl fails on an HTTP error (--fail-with-body), httpie too (--check-status), and
 * `npm run users -- …` is the users CLI on the system's database. Port 80 and localhost become
 * the test system's port.
 */
function run(lines: string[], topology: Topology): { status: number | null; output: string } {
  const port = new URL(topology.baseUrl).port;
  const script = [
    'set -euo pipefail',
    'curl() { command curl --fail-with-body "$@"; }',
    'http() { command http --check-status "$@"; }',
    `npm() { [ "$1 $2 $3" = "run users --" ] && shift 3 && node ${entryPoint('users-cli')} "$@" ${topology.usersDatabaseArgs.join(' ')}; }`,
    ...lines.map(
      (line) =>
        `echo "\\$ ${line.replace(/["$`\\]/g, '\\$&')}" >&2\n${line.replace(/\blocalhost\b/g, `127.0.0.1:${port}`).replace(/(^|\s|')(:80)(?=[/'\s]|$)/g, `$1:${port}`)}`,
    ),
  ].join('\n');
  const result = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stderr}\n${result.stdout}`.slice(-4000) };
}

describe("the documents' shell examples run as written", () => {
  for (const document of DOCUMENTS) {
    // The httpie and curl halves of each pair do the same thing: each half runs on a system of its own.
    for (const tool of ['http', 'curl']) {
      it(`${document}: the ${tool} examples (and the lines both halves need)`, async () => {
        const lines = examples(document).filter((line) => line.startsWith(`${tool} `) || !/^(http|curl) /.test(line));
        expect(lines.some((line) => line.startsWith(`${tool} `))).toBe(true);
        const { topology, stop } = await startTestTopology({ replicas: 1 });
        try {
          const { status, output } = run(lines, topology);
          expect({ status, output }).toMatchObject({ status: 0 });
        } finally {
          await stop();
        }
      }, 180_000);
    }
  }
});
