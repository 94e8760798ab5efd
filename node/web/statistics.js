// A region's statistics per quarter (GET /v1/report?quarter=…&region=…): subjects by stage as
// stacked bars, jobs and poverty-alleviated jobs as paired bars, in one inline SVG drawn here, and
// the same figures as a table. The node's own count: no proof (docs/protocol.md, "Local API").
import {el, bi} from './dom.js';
import {STAGE_NAMES, LEVEL_NAMES} from './records.js';

const SVG = 'http://www.w3.org/2000/svg';
const STAGE_COLOURS = {
  'applied': '#9ecae1', 'preliminary-passed': '#6baed6', 'preliminary-rejected': '#bdbdbd', 'joint-review': '#4292c6',
  'joint-passed': '#2171b5', 'joint-rejected': '#969696', 'on-notice': '#fdae6b', 'objection-open': '#fd8d3c',
  'objection-upheld': '#d94801', 'certified': '#31a354', 'rectification': '#e6550d', 'revocation-proposed': '#de2d26',
  'appealed': '#fb6a4a', 'appeal-rejected': '#a50f15', 'revoked': '#67000d', 'cancelled': '#525252',
};

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// quartersUpTo: `n` quarters ending with "2026Q4", oldest first.
export function quartersUpTo(last, n) {
  const m = /^(\d{4})Q([1-4])$/.exec(last);
  if (!m) return [];
  let year = Number(m[1]);
  let q = Number(m[2]);
  const out = [];
  for (let i = 0; i < n; ++i) {
    out.unshift(`${year}Q${q}`);
    if (--q === 0) {
      q = 4;
      --year;
    }
  }
  return out;
}

function currentQuarter() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  return `${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

async function fetchReports(region, quarters) {
  return Promise.all(quarters.map(async (q) => {
    const r = await fetch(`/v1/report?quarter=${q}&region=${encodeURIComponent(region)}`);
    const body = await r.json();
    if (!r.ok) throw new Error(body?.error?.detail ?? `HTTP ${r.status}`);
    return quarterFigures(body);
  }));
}

// quarterFigures: what the chart and table draw of one quarter's report — the workshops as of the
// quarter's end, and the jobs its quarterly reports give for the whole region.
function quarterFigures(report) {
  const quarter = report.quarters?.[0] ?? {};
  const total = quarter.total ?? {};
  return {
    quarter: report.period,
    byStage: report.workshops?.byStage ?? {},
    certified: report.workshops?.certified ?? 0,
    certifiedByLevel: report.workshops?.certifiedByLevel ?? {},
    jobs: total.jobs ?? 0,
    povertyAlleviatedJobs: total.povertyAlleviatedWorkers ?? 0,
    reportDue: quarter.reportDue,
  };
}

function drawChart(reports) {
  const stages = Object.keys(STAGE_COLOURS).filter((s) => reports.some((r) => r.byStage[s]));
  const width = 720;
  const height = 300;
  const top = 30;
  const bottom = 250;
  const left = 40;
  const slot = (width - left - 20) / Math.max(1, reports.length);
  const counts = reports.map((r) => Object.values(r.byStage).reduce((a, b) => a + b, 0));
  const jobs = reports.flatMap((r) => [r.jobs, r.povertyAlleviatedJobs]);
  const maxCount = Math.max(1, ...counts);
  const maxJobs = Math.max(1, ...jobs);
  const chart = svg('svg', {viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', id: 'stats-svg',
                            'aria-label': 'subjects by stage, jobs and poverty-alleviated jobs per quarter'});
  chart.append(svg('line', {x1: left, y1: bottom, x2: width - 10, y2: bottom, stroke: '#333'}));
  chart.append(svg('text', {x: left, y: 16, class: 'axis'}, '工坊数（按阶段） subjects by stage ▮   就业 jobs ▯ / 脱贫人口就业 poverty-alleviated ▯'));
  reports.forEach((r, i) => {
    const x0 = left + i * slot + 8;
    const w = (slot - 24) / 3;
    let y = bottom;
    for (const s of stages) {
      const n = r.byStage[s] ?? 0;
      if (!n) continue;
      const h = ((bottom - top) * n) / maxCount;
      y -= h;
      const bar = svg('rect', {x: x0, y, width: w, height: h, fill: STAGE_COLOURS[s], class: 'bar-stage', 'data-stage': s});
      bar.append(svg('title', {}, `${r.quarter} ${STAGE_NAMES[s]?.[0] ?? s} ${STAGE_NAMES[s]?.[1] ?? s}: ${n}`));
      chart.append(bar);
    }
    chart.append(svg('text', {x: x0 + w / 2, y: y - 4, 'text-anchor': 'middle', class: 'value'}, counts[i]));
    [[r.jobs, '#756bb1', 'jobs'], [r.povertyAlleviatedJobs, '#bcbddc', 'poverty-alleviated']].forEach(([v, fill, what], k) => {
      const h = ((bottom - top) * v) / maxJobs;
      const x = x0 + w * (k + 1) + 2;
      const bar = svg('rect', {x, y: bottom - h, width: w - 2, height: h, fill, class: `bar-${what}`});
      bar.append(svg('title', {}, `${r.quarter} ${what}: ${v}`));
      chart.append(bar, svg('text', {x: x + w / 2, y: bottom - h - 4, 'text-anchor': 'middle', class: 'value'}, v));
    });
    chart.append(svg('text', {x: x0 + (slot - 24) / 2, y: bottom + 18, 'text-anchor': 'middle', class: 'axis'}, r.quarter));
  });
  let lx = left;
  for (const s of stages) {
    chart.append(svg('rect', {x: lx, y: bottom + 30, width: 10, height: 10, fill: STAGE_COLOURS[s]}));
    const label = `${STAGE_NAMES[s]?.[0] ?? s} ${STAGE_NAMES[s]?.[1] ?? ''}`;
    chart.append(svg('text', {x: lx + 14, y: bottom + 39, class: 'legend'}, label));
    lx += 24 + label.length * 6.5;
  }
  return chart;
}

function drawTable(reports) {
  const stages = Object.keys(STAGE_COLOURS).filter((s) => reports.some((r) => r.byStage[s]));
  const levels = LEVEL_NAMES.map(([, en]) => en).filter((l) => reports.some((r) => r.certifiedByLevel[l]));
  const head = el('tr', {}, el('th', {}, ['季度', 'Quarter']),
                  ...stages.map((s) => el('th', {}, STAGE_NAMES[s] ?? [s, s])),
                  el('th', {}, ['已认定', 'Certified']),
                  ...levels.map((l) => el('th', {}, [`${LEVEL_NAMES.find(([, en]) => en === l)[0]}认定`, `certified, ${l}`])),
                  el('th', {}, ['带动就业', 'Jobs']), el('th', {}, ['脱贫人口就业', 'Poverty-alleviated jobs']),
                  el('th', {}, ['季报截止', 'Report due']));
  const rows = reports.map((r) => el('tr', {'data-quarter': r.quarter}, el('td', {}, r.quarter),
                                     ...stages.map((s) => el('td', {}, String(r.byStage[s] ?? 0))),
                                     el('td', {}, String(r.certified)),
                                     ...levels.map((l) => el('td', {}, String(r.certifiedByLevel[l] ?? 0))),
                                     el('td', {}, String(r.jobs)), el('td', {}, String(r.povertyAlleviatedJobs)),
                                     el('td', {}, r.reportDue ?? '—')));
  return [el('thead', {}, head), el('tbody', {}, ...rows)];
}

export async function showStatistics() {
  const params = new URLSearchParams(location.search);
  const form = document.getElementById('stats-form');
  document.getElementById('region').value = params.get('region') ?? '';
  document.getElementById('quarter').value = params.get('quarter') ?? currentQuarter();
  const run = async () => {
    const out = document.getElementById('stats-out');
    const quarters = quartersUpTo(document.getElementById('quarter').value.trim(),
                                  Math.min(12, Math.max(1, Number(document.getElementById('quarters').value) || 4)));
    out.hidden = false;
    out.dataset.state = 'loading';
    try {
      if (quarters.length === 0) throw new Error('quarter: write it as 2026Q4');
      const reports = await fetchReports(document.getElementById('region').value.trim(), quarters);
      document.getElementById('stats-chart').replaceChildren(drawChart(reports));
      document.getElementById('stats-table').replaceChildren(...drawTable(reports));
      out.dataset.state = 'shown';
    } catch (e) {
      document.getElementById('stats-chart').replaceChildren(el('p', {class: 'failed'}, bi(`无法取得统计：${e.message}`, `No statistics: ${e.message}`)));
      document.getElementById('stats-table').replaceChildren();
      out.dataset.state = 'failed';
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  await run();
}
