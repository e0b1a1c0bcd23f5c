import { Stats, TrendingPost } from './activity.service';
import { DASHBOARD_CSS } from './dashboard-sign-in.view';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Posts per minute as server-drawn SVG bars, the last hour left to right. */
function chart(perMinute: Array<{ minute: number; posts: number }>): string {
  const width = 720;
  const height = 160;
  const barWidth = width / perMinute.length;
  const max = Math.max(1, ...perMinute.map((m) => m.posts));
  const bars = perMinute
    .map((m, i) => {
      const h = Math.round((m.posts / max) * (height - 20));
      const label = `${new Date(m.minute * 60_000).toISOString().slice(11, 16)} UTC: ${m.posts} posts`;
      return `<rect x="${(i * barWidth).toFixed(1)}" y="${height - h}" width="${(barWidth - 2).toFixed(1)}" height="${h}" fill="#3b82f6"><title>${label}</title></rect>`;
    })
    .join('');
  return `<svg role="img" aria-label="posts per minute, last hour" viewBox="0 0 ${width} ${height + 20}" width="${width}" height="${height + 20}">
  <line x1="0" y1="${height}" x2="${width}" y2="${height}" stroke="#999"/>${bars}
  <text x="0" y="${height + 16}" font-size="12" fill="#555">60 min ago</text>
  <text x="${width}" y="${height + 16}" font-size="12" fill="#555" text-anchor="end">now (peak ${max}/min)</text>
</svg>`;
}

/** The dashboard's figures: a page with no script and no asset from elsewhere (the sign-in page loads it every two seconds). */
export function renderDashboard(stats: Stats, trending: TrendingPost[], perMinute: Array<{ minute: number; posts: number }>): string {
  const totals = (['users', 'posts', 'likes', 'follows'] as const)
    .map((name) => `<div class="total" data-total="${name}"><span>${stats[name].toLocaleString('en')}</span>${name}</div>`)
    .join('');
  const rows = trending
    .map(
      (p) =>
        `<tr><td>${p.score}</td><td>@${escape(p.username)}</td><td>${escape(p.message)}</td><td>${p.likes}</td><td>${p.reposts}</td><td>${p.replies}</td></tr>`,
    )
    .join('');
  const active = stats.activeUsers.map((u) => `<li>@${escape(u.username)}: ${u.posts}</li>`).join('');
  const lag = (ms: number | null) => (ms === null ? 'unknown' : `${ms} ms`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>microblog monitor</title>
<meta http-equiv="refresh" content="10">
<style>
${DASHBOARD_CSS}
</style></head><body>
<h1>microblog monitor</h1>
<small>built from events only; lag: users ${lag(stats.lag.users)}, timelines ${lag(stats.lag.timelines)}; refreshes by itself</small>
<div class="totals">${totals}</div>
<h2>Posts per minute, last hour</h2>
${chart(perMinute)}
<h2>Trending (last hour)</h2>
<table><thead><tr><th>score</th><th>author</th><th>post</th><th>likes</th><th>reposts</th><th>replies</th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">nothing yet</td></tr>'}</tbody></table>
<h2>Most active in the last 24 hours</h2>
<ol>${active || '<li>nobody yet</li>'}</ol>
</body></html>`;
}
