// Draws the soak's samples as an SVG (three panels: throughput, latency, RSS) and turns it
// into a PNG with Debian's Chromium through playwright-core, which the dashboard tests
// already use. No charting dependency.
import { existsSync, writeFileSync } from 'node:fs';

const W = 1000;
const PANEL_H = 230;
const PAD = { left: 70, right: 20, top: 36, bottom: 34 };

const esc = (s) => String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v);
}

/** One panel: series = [{ label, color, values: (number|null)[] }] against times (seconds). */
function panel(y0, title, unit, times, series) {
  const all = series.flatMap((s) => s.values).filter((v) => typeof v === 'number');
  const max = niceMax(Math.max(...all, 0) * 1.05);
  const tMax = Math.max(times.at(-1) ?? 1, 1);
  const iw = W - PAD.left - PAD.right;
  const ih = PANEL_H - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + (t / tMax) * iw;
  const y = (v) => y0 + PAD.top + ih - (v / max) * ih;
  const out = [`<text x="${PAD.left}" y="${y0 + 22}" font-size="15" font-weight="600">${esc(title)}</text>`];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e3e3"/>`);
    out.push(
      `<text x="${PAD.left - 8}" y="${y(v) + 4}" font-size="11" text-anchor="end">${esc(Math.round(v * 10) / 10)}${k === 4 ? ` ${esc(unit)}` : ''}</text>`,
    );
  }
  for (let k = 0; k <= 6; k++) {
    const t = (tMax * k) / 6;
    out.push(`<text x="${x(t)}" y="${y0 + PANEL_H - 12}" font-size="11" text-anchor="${k === 6 ? 'end' : 'middle'}">${(t / 60).toFixed(1)} min</text>`);
  }
  let lx = W - PAD.right;
  for (const s of [...series].reverse()) {
    const pts = s.values.map((v, i) => (typeof v === 'number' ? `${x(times[i]).toFixed(1)},${y(v).toFixed(1)}` : null)).filter(Boolean);
    if (pts.length) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.8" points="${pts.join(' ')}"/>`);
    lx -= 28 + s.label.length * 7.5;
    out.push(
      `<rect x="${lx}" y="${y0 + 12}" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="${y0 + 21}" font-size="12">${esc(s.label)}</text>`,
    );
  }
  return out.join('\n');
}

export function soakSvg(result) {
  const s = result.samples;
  const times = s.map((x) => x.t);
  const h = PANEL_H * 3 + 40;
  const head = `${result.settings.rate} events/s to ${result.settings.endpoints} endpoints (${result.settings.failingEndpoints} failing), ${result.settings.store}, ${result.settings.minutes} min`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" font-family="sans-serif">`,
    `<rect width="${W}" height="${h}" fill="white"/>`,
    `<text x="${W / 2}" y="24" font-size="16" text-anchor="middle">Hookline soak: ${esc(head)}</text>`,
    panel(40, 'Throughput', '/s', times, [
      { label: 'offered', color: '#999', values: s.map((x) => x.offeredPerSec) },
      { label: 'accepted', color: '#1f77b4', values: s.map((x) => x.acceptedPerSec) },
      { label: 'delivered', color: '#2ca02c', values: s.map((x) => x.deliveredPerSec) },
    ]),
    panel(40 + PANEL_H, 'Latency, publish call to receiver (healthy endpoints)', 'ms', times, [
      { label: 'p50', color: '#1f77b4', values: s.map((x) => x.p50Ms) },
      { label: 'p99', color: '#d62728', values: s.map((x) => x.p99Ms) },
    ]),
    panel(40 + 2 * PANEL_H, 'Hookline RSS', 'MB', times, [{ label: 'RSS', color: '#9467bd', values: s.map((x) => x.rssMB) }]),
    '</svg>',
  ].join('\n');
}

/** Writes `svgPath`, then `pngPath` when Chromium is there; returns what was written. */
export async function writeSoakChart(result, svgPath, pngPath) {
  const svg = soakSvg(result);
  writeFileSync(svgPath, svg);
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) return { svg: svgPath, png: null, note: `no PNG: ${chromium} is missing (apt-get install chromium)` };
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({
    executablePath: chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: W, height: PANEL_H * 3 + 40 } });
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: pngPath });
  } finally {
    await browser.close();
  }
  return { svg: svgPath, png: pngPath };
}
