// The replication health of this node's subtree, for an operator at a glance: every log the node
// holds (GET /v1/logs) nested by division code, each with its size, its newest cosignature (the
// parent's filing receipt) and that cosignature's age by the node's clock (GET /metrics), the
// entries a child announced that are not held yet, and equivocation alarms (GET /v1/evidence).
// Shown as the node reports it: the browser does not verify these cosignatures.
import {el, beijing} from './dom.js';
import {fromBase64} from './verify.js';

// metricSeries reads `name{origin="…"} value` lines of the Prometheus text.
function metricSeries(text, name) {
  const out = new Map();
  const re = new RegExp(`^${name}\\{origin="([^"]*)"\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) out.set(m[1], Number(m[2]));
  return out;
}

// cosignatureOf reads the cosigner and time of a cosignature line (not verified here).
function cosignatureOf(line) {
  const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)/.exec(line);
  if (!m) return null;
  try {
    const blob = fromBase64(m[2]);
    if (blob.length !== 76) return null;
    return {name: m[1], time: Number(new DataView(blob.buffer, blob.byteOffset + 4, 8).getBigUint64(0))};
  } catch {
    return null;
  }
}

function codeOf(origin) {
  const code = origin.slice(origin.lastIndexOf('/') + 1);
  return /^\d+$/.test(code) ? code : '';
}

// nest arranges logs by division code: each under the longest other code that is its prefix, the
// provinces (and anything without a parent here) under the root log.
export function nest(logs) {
  const byCode = new Map(logs.map((l) => [codeOf(l.origin), {...l, children: []}]));
  const roots = [];
  for (const [code, node] of byCode) {
    let parent = null;
    for (let n = code.length - 1; n > 0 && code !== ''; --n)
      if (byCode.has(code.slice(0, n)) && code.slice(0, n) !== code) {
        parent = byCode.get(code.slice(0, n));
        break;
      }
    if (!parent && code !== '' && byCode.has('')) parent = byCode.get('');
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list) => {
    list.sort((a, b) => a.origin.localeCompare(b.origin));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

function age(seconds) {
  if (seconds === undefined) return null;
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

function item(node, ctx) {
  const cosignatures = node.cosignatures.map(cosignatureOf).filter(Boolean).sort((a, b) => b.time - a.time);
  const newest = cosignatures[0];
  const lag = ctx.lag.get(node.origin) ?? 0;
  const alarms = ctx.evidence.filter((e) => e.origin === node.origin);
  const state = node.frozen || alarms.length ? 'alarm' : lag > 0 ? 'behind' : newest || node.origin === ctx.rootOrigin || node.origin === ctx.self ? 'ok' : 'uncosigned';
  const badge = {alarm: ['分叉告警·已冻结', 'EQUIVOCATION · frozen'], behind: [`滞后 ${lag} 条`, `${lag} entries behind`],
                 ok: ['正常', 'ok'], uncosigned: ['未副署', 'not cosigned']}[state];
  const li = el('li', {'data-origin': node.origin, 'data-state': state, class: `log ${state}`},
                el('span', {class: 'badge'}, badge), ' ', el('strong', {}, node.origin),
                node.origin === ctx.self ? el('span', {class: 'self'}, ['（本节点）', ' (this node)']) : '',
                ' ', el('span', {class: 'size'}, [`${node.size} 条`, `${node.size} entries`]), ' · ',
                newest ? el('span', {class: 'cosigned'}, [`${newest.name} 副署于 ${beijing(newest.time)}（${age(ctx.age.get(node.origin)) ?? '—'} 前）`,
                                                          `cosigned by ${newest.name} at ${beijing(newest.time)} (${age(ctx.age.get(node.origin)) ?? '—'} ago)`])
                       : node.origin === ctx.rootOrigin ? el('span', {class: 'cosigned'}, ['根日志，无上级副署', 'the root log: no parent cosigns it'])
                       : el('span', {class: 'cosigned none'}, ['无副署', 'no cosignature']),
                cosignatures.length > 1 ? el('span', {class: 'cosigners'}, [`，共 ${cosignatures.length} 个副署`, `, ${cosignatures.length} cosignatures in all`]) : '');
  for (const a of alarms) li.append(el('div', {class: 'alarm-detail'}, el('code', {}, `${beijing(a.detected_at)}: ${a.detail}`)));
  if (node.children.length) li.append(el('ul', {}, ...node.children.map((c) => item(c, ctx))));
  return li;
}

export async function showReplication() {
  const tree = document.getElementById('replication-tree');
  tree.dataset.state = 'loading';
  try {
    const [health, logs, evidence, metrics] = await Promise.all([
      fetch('/v1/health').then((r) => r.json()), fetch('/v1/logs').then((r) => r.json()),
      fetch('/v1/evidence').then((r) => r.json()), fetch('/metrics').then((r) => r.text())]);
    const ctx = {self: health.origin, rootOrigin: logs.logs.find((l) => codeOf(l.origin) === '')?.origin,
                 evidence: evidence.equivocations, lag: metricSeries(metrics, 'hreg_child_lag_entries'),
                 age: metricSeries(metrics, 'hreg_cosignature_age_seconds')};
    const parent = health.parent;
    document.getElementById('health-summary').replaceChildren(el('p', {class: health.equivocations ? 'failed' : 'ok'},
      [`本节点 ${health.origin}：持有 ${health.logs} 个日志，${health.equivocations} 条分叉证据；上级 ${parent ? `${parent.origin}${parent.connected ? ' 已连接' : ' 未连接'}` : '无（根节点）'}。`,
       `This node, ${health.origin}: ${health.logs} logs held, ${health.equivocations} equivocation records; parent ${parent ? `${parent.origin}, ${parent.connected ? 'connected' : 'NOT connected'}` : 'none (the root)'}.`]));
    tree.replaceChildren(...nest(logs.logs).map((n) => item(n, ctx)));
    tree.dataset.state = 'shown';
  } catch (e) {
    tree.replaceChildren(el('li', {class: 'failed'}, [`无法取得复制状态：${e.message}`, `No replication state: ${e.message}`]));
    tree.dataset.state = 'failed';
  }
}
