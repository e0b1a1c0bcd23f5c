/** `node dist/scripts/bench/generate.js reed|growth OUT_DIR [posts]`: writes a data set's CSV files. */
import { generateGrowthPosts, generateReed } from './dataset';
import { join } from 'node:path';
import { ROOT } from '@app/topology';

async function main(): Promise<void> {
  const [kind, out, count] = process.argv.slice(2);
  if (kind === 'reed' && out) {
    console.log(await generateReed(join(ROOT, 'bench/datasets/socfb-Reed98.edges'), out));
  } else if (kind === 'growth' && out) {
    await generateGrowthPosts(out, Number(count ?? 1_000_000));
  } else {
    console.error('usage: generate.js reed|growth OUT_DIR [posts]');
    process.exit(2);
  }
}

void main();
