/** A small SVG bar chart of requests/s and p99 latency per scenario, for docs/benchmarks.md. */
interface ChartRow {
  scenario: string;
  rps: number;
  p99: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function renderChart(rows: ChartRow[]): string {
  const label = 300;
  const bar = 260;
  const gap = 40;
  const height = 26;
  const top = 40;
  const width = label + 2 * bar + gap + 120;
  const maxRps = Math.max(...rows.map((r) => r.rps), 1);
  const maxP99 = Math.max(...rows.map((r) => r.p99), 1);
  const lines = rows.map((r, i) => {
    const y = top + i * height;
    const rpsWidth = (r.rps / maxRps) * bar;
    const p99Width = (r.p99 / maxP99) * bar;
    const x2 = label + bar + gap;
    return [
      `<text x="${label - 8}" y="${y + 15}" text-anchor="end">${escape(r.scenario)}</text>`,
      `<rect x="${label}" y="${y + 3}" width="${rpsWidth.toFixed(1)}" height="16" fill="#3b7dd8"/>`,
      `<text x="${label + rpsWidth + 4}" y="${y + 15}">${r.rps.toLocaleString('en')}</text>`,
      `<rect x="${x2}" y="${y + 3}" width="${p99Width.toFixed(1)}" height="16" fill="#d8833b"/>`,
      `<text x="${x2 + p99Width + 4}" y="${y + 15}">${r.p99} ms</text>`,
    ].join('');
  });
  const total = top + rows.length * height + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${label}" y="22" font-weight="bold">requests/s</text>`,
    `<text x="${label + bar + gap}" y="22" font-weight="bold">p99 latency</text>`,
    ...lines,
    '</svg>',
    '',
  ].join('\n');
}
