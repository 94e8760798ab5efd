// The public plaque check: asks this node for a subject's proof bundle (GET /v1/subject, by identifier
// or by plaque number), verifies it in the browser from the trust root the page was served with
// (verify.js), and shows the status and history in Chinese and English, with what was checked, what
// held, and what was not checked; and how the answer came (route, cache, age, stale copies), as the
// nodes on the route report it.
import {verifyBundle, checkPlaque, checkPlaqueNumber, trustRootFrom, keyHash, hex} from './verify.js';
import {STAGE_NAMES, KIND_NAMES, LEVEL_NAMES, homeCode} from './records.js';
import {showStatistics} from './statistics.js';
import {el, bi, beijing} from './dom.js';
import {showReplication} from './replication.js';

const $ = (id) => document.getElementById(id);

const CHECK_NAMES = {
  format: ['格式', 'format'], checkpoint: ['检查点签名', 'checkpoint signature'],
  inclusion: ['默克尔包含证明', 'Merkle inclusion proof'], signature: ['签名', 'signatures'],
  authority: ['授权', 'authority'], subject: ['完整列出', 'listed in full'], entry: ['条目', 'entry'],
  completeness: ['记录完整性', 'completeness'], plaque: ['牌匾二维码', 'plaque QR code'],
  'plaque-number': ['牌匾号', 'plaque number'],
};

const NOT_CHECKED = [
  ['签署部门与角色是否符合政策（哪一级、哪个部门、什么角色可签哪类决定）由节点判断，浏览器未复核。',
   'Whether the signers\' departments and roles satisfy the policy for each act (who may sign what, at which level) is judged by the node; your browser did not re-check it.'],
  ['生命周期的时限条件（公示期、异议期、申诉期等工作日计算）与时间带来的后果（如未按时信息更新而取消资格）未在浏览器中复核；状态是按记录的决定依次推演所得。',
   'The lifecycle\'s time conditions (notice, objection and appeal windows in working days) and consequences of time alone (e.g. cancellation after missed confirmations) were not re-checked in your browser: the stage is the recorded decisions replayed in order.'],
  ['记录的完整性只证明到答复中各日志的检查点为止：此后新增的决定不在其内；未经上级副署的检查点只是该机关自己的说法。',
   'Completeness is proven only up to each log\'s checkpoint in the answer: decisions added after it are not covered, and a checkpoint no parent has cosigned is only its own office\'s word.'],
  ['特许撤销与信任根轮换之后的密钥变化未处理。',
   'Charter revocations, and key changes after them, are not followed.'],
  ['按牌匾号查询时，浏览器核验了所答工坊经证明的认定记录载有该牌匾号，但未核验别处是否有更新的记录把同一牌匾号授予另一工坊（牌匾号由节点解析）。',
   'When you look up a plaque number, your browser checks that the proven record of the workshop answered gives that number; it cannot check that no newer record elsewhere gave the same number to another workshop (the node resolves the number).'],
  ['答复途径、缓存、新鲜度与副本滞后是途经节点的说法，未签名。',
   'The route, the cache, the age and stale copies are what the nodes on the route report; they are not signed.'],
];

function setLanguage(lang) {
  document.body.className = `lang-${lang}`;
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
}

// parseQuery reads what the visitor typed: an identifier (<division code>-W|C-<serial>), a plaque
// payload, or else a plaque number.
function parseQuery(text) {
  const t = text.replace(/\r\n/g, '\n').trim();
  if (t.startsWith('hreg-plaque/')) {
    const lines = t.split('\n');
    return {id: lines[1] ?? '', payload: `${t}\n`, plaque: null};
  }
  if (t === '' || homeCode(t) !== '') return {id: t, payload: null, plaque: null};
  return {id: null, payload: null, plaque: t};
}

// duration says how long `seconds` is, in Chinese and English.
function duration(seconds) {
  const s = Math.abs(seconds);
  const [n, zh, en] = s < 120 ? [s, '秒', 's'] : s < 7200 ? [Math.round(s / 60), '分钟', 'min']
    : s < 172800 ? [Math.round(s / 3600), '小时', 'h'] : [Math.round(s / 86400), '天', 'days'];
  return [`${seconds < 0 ? '-' : ''}${n} ${zh}`, `${seconds < 0 ? '-' : ''}${n} ${en}`];
}

function verdictBox(kind, zh, en) {
  const v = $('verdict');
  v.replaceChildren(bi(zh, en));
  v.dataset.verdict = kind;
  v.className = `verdict ${kind}`;
}

async function check(text) {
  const {id: typedId, payload, plaque} = parseQuery(text);
  $('result').hidden = false;
  for (const part of ['summary', 'checks', 'not-checked', 'stale']) $(part).replaceChildren();
  $('stale').hidden = true;
  $('history').tBodies[0].replaceChildren();
  if (!typedId && !plaque) return verdictBox('refused', '请输入工坊编号或牌匾号。', 'Type a workshop ID or a plaque number.');
  const asked = plaque ? ['牌匾号 ' + plaque, 'plaque number ' + plaque] : [typedId, typedId];
  const param = plaque ? `plaque=${encodeURIComponent(plaque)}` : `id=${encodeURIComponent(typedId)}`;
  verdictBox('checking', `正在查验 ${asked[0]} …`, `Checking ${asked[1]} …`);
  history.replaceState(null, '', `/plaque?${param}`);
  let answer;
  try {
    const r = await fetch(`/v1/subject?${param}`);
    answer = await r.json();
    if (!r.ok) {
      const detail = answer?.error?.detail ?? `HTTP ${r.status}`;
      if (plaque && r.status === 404 && !answer?.resolvedFrom)
        return verdictBox('not-found', `本节点无法解析牌匾号 ${plaque}：${detail}`, `This node cannot resolve plaque number ${plaque}: ${detail}`);
      return verdictBox('not-found', `本节点没有 ${asked[0]} 的记录：${detail}`, `This node holds no record of ${asked[1]}: ${detail}`);
    }
  } catch (e) {
    return verdictBox('refused', `无法取得答复：${e.message}`, `Could not get an answer: ${e.message}`);
  }
  const id = plaque ? String(answer.subject ?? '') : typedId;
  if (!window.crypto?.subtle)
    return verdictBox('refused', '此浏览器无法核验：页面须通过 HTTPS（或本机地址）打开。',
                      'This browser cannot verify: the page must be opened over HTTPS (or from this machine).');
  const report = await verifyBundle(answer, TRUST_ROOT);
  if (report.ok && payload) {
    const qr = await checkPlaque(payload, answer, report.authority);
    report.checks.push({check: 'plaque', ok: qr.ok, detail: qr.detail});
    if (!qr.ok) report.failure = {check: 'plaque', detail: qr.detail};
    report.plaqueStage = qr.stage;
  }
  // A plaque number: the node resolved it, unsigned; the proven record must give the subject that number.
  if (report.ok && plaque) {
    const number = checkPlaqueNumber(plaque, report, id);
    report.checks.push({check: 'plaque-number', ok: number.ok, detail: number.detail});
    if (!number.ok) report.failure = {check: 'plaque-number', detail: number.detail};
    report.plaqueNumber = {asked: plaque, ...number};
  }
  render(id, answer, report);
}

function render(id, answer, report) {
  for (const c of report.checks) {
    const [zh, en] = CHECK_NAMES[c.check] ?? [c.check, c.check];
    $('checks').append(el('li', {class: c.ok ? 'ok' : 'failed', 'data-check': c.check},
                          el('span', {class: 'mark'}, c.ok ? '✔' : '✘'), ' ', [zh, en], ': ', el('code', {}, c.detail)));
  }
  for (const [zh, en] of NOT_CHECKED) $('not-checked').append(el('li', {}, [zh, en]));
  if (!report.ok || report.failure) {
    const f = report.failure;
    const [zh, en] = CHECK_NAMES[f.check] ?? [f.check, f.check];
    verdictBox('refused', `拒绝：此答复未通过核验（${zh}）：${f.detail}。请勿相信其中的状态。`,
               `Refused: this answer failed verification (${en}): ${f.detail}. Do not trust the status it claims.`);
    return;
  }
  const stage = report.stage;
  const [stageZh, stageEn] = STAGE_NAMES[stage.stage] ?? [stage.stage, stage.stage];
  verdictBox('verified', `已核验：${id} 的 ${report.decisions.length} 项决定均经浏览器从信任根核验，记录截至各日志的检查点完整。`,
             `Verified: your browser checked all ${report.decisions.length} decisions about ${id} from the trust root, and that the record is complete up to each log's checkpoint.`);
  const facts = {};
  for (const d of report.decisions) {
    const r = d.record;
    if (r.facts?.name) facts.name = r.facts.name;
    if (r.name) facts.name = r.name;
    if (r.level !== undefined && LEVEL_NAMES[r.level]) facts.level = LEVEL_NAMES[r.level];
    if (r.plaque) facts.plaque = r.plaque;
  }
  const row = (dtZh, dtEn, dd, attrs = {}) => $('summary').append(el('dt', {}, [dtZh, dtEn]), el('dd', attrs, dd));
  row('编号', 'ID', id);
  row('名称', 'Name', facts.name ?? '—');
  row('状态', 'Status', stage.refused ? ['记录的决定顺序不被生命周期接受', 'the recorded decisions do not follow the lifecycle']
                                     : [stageZh, stageEn], {id: 'status', 'data-stage': stage.stage});
  if (facts.level) row('级别', 'Level', facts.level);
  row('牌匾号', 'Plaque', facts.plaque ?? '—');
  row('截至（上级副署时间）', 'As of (cosigned by a parent)', report.asOf ? beijing(report.asOf) : ['无副署', 'no cosignature']);
  row('记录完整', 'Complete up to', el('ul', {class: 'complete'}, ...report.logs.map((l) => completeUpTo(l, report))),
      {id: 'complete'});
  if (report.plaqueNumber) {
    const p = report.plaqueNumber;
    const earlier = answer.resolvedFrom?.earlier ?? [];
    const also = earlier.length === 0 ? ['', '']
      : [`；此号此前也曾授予 ${earlier.map((e) => e.subject).join('、')}，节点取最新一项`,
         `; the number was given earlier too, to ${earlier.map((e) => e.subject).join(', ')}: the node takes the newest`];
    row('按牌匾号查询', 'Looked up by plaque', [
      `节点将牌匾号 ${p.asked} 解析为 ${id}${also[0]}；浏览器已核验其认定记录载有此号` + (p.current ? '' : `（但此后已换发牌匾 ${p.plaque}）`),
      `this node resolved plaque number ${p.asked} to ${id}${also[1]}; your browser checked that its proven record gives that number` +
        (p.current ? '' : ` (but a later decision gave it plaque ${p.plaque})`)], {id: 'resolved', class: p.current ? '' : 'warning'});
  }
  row('答复节点', 'Answered by', `${answer.answeredBy} · ${beijing(answer.answeredAt)}`);
  showRoute(answer, report, row);
  if (report.plaqueStage && report.plaqueStage !== stage.stage)
    row('牌匾', 'Plaque code', [`牌匾上的状态（${report.plaqueStage}）已过时`, `the plaque's stage (${report.plaqueStage}) is out of date`],
        {class: 'warning'});
  const body = $('history').tBodies[0];
  for (const s of stage.steps) {
    const d = s.decision;
    const [kindZh, kindEn] = KIND_NAMES[d.kind] ?? [d.kind, d.kind];
    const signers = d.signers.map((g) => `${g.person} (${g.department})`).join(', ');
    const [toZh, toEn] = STAGE_NAMES[s.to] ?? [s.to, s.to];
    body.append(el('tr', {}, el('td', {}, beijing(d.time)), el('td', {}, [kindZh, kindEn]),
                   el('td', {}, `${d.log} #${d.index}`), el('td', {}, signers), el('td', {}, [toZh, toEn])));
  }
}

// showRoute says how the answer came, as the nodes on the route report it (unsigned, docs/protocol.md
// "Lookups across regions"): through which nodes, whether from a cache, how old, and any stale copy.
function showRoute(answer, report, row) {
  const route = Array.isArray(answer.route) && answer.route.length > 0 ? answer.route : [answer.answeredBy];
  const path = route.join(' → ');
  const cache = answer.cached && answer.cachedBy ? [`来自 ${answer.cachedBy} 的缓存`, `from the cache of ${answer.cachedBy}`]
    : ['非缓存，为本次查询生成', 'not from a cache: made for this lookup'];
  row('答复途径', 'Route', el('span', {}, [`据途经节点所报（未签名）：由 ${answer.answeredBy} 生成，经 ${path} 送达；${cache[0]}`,
                                          `as the nodes on the route report it (not signed): made by ${answer.answeredBy}, came ${path}; ${cache[1]}`]),
      {id: 'route', 'data-route': route.join(' '), 'data-cached': String(Boolean(answer.cached))});
  const now = Math.floor(Date.now() / 1000);
  const said = Number.isInteger(answer.asOf)
    ? (() => {
      const [zh, en] = duration(answer.ageSeconds ?? now - answer.asOf);
      return [`截至 ${beijing(answer.asOf)}（北京时间，上级对此工坊所在日志的最新副署），距今 ${zh}（据答复节点的时钟）`,
              `as of ${beijing(answer.asOf)} (Beijing; the newest cosignature by a parent on the logs holding its decisions), ${en} old by the answering node's clock`];
    })()
    : ['答复未说明截至时间：此工坊所在日志尚无上级副署', 'the answer gives no time it is as of: no parent has cosigned the logs holding its decisions'];
  const own = report.asOf ? duration(now - report.asOf) : null;
  row('新鲜度', 'Age', [said[0] + (own ? `；按本机时钟，浏览器核验的最新副署距今 ${own[0]}` : ''),
                       said[1] + (own ? `; by this device's clock, the newest cosignature your browser verified is ${own[1]} old` : '')],
      {id: 'age', 'data-age': String(answer.ageSeconds ?? '')});
  if (answer.stale) showStale(answer.stale);
}

// showStale warns that the answer was made from copies behind what a peer announced, with each one.
function showStale(stale) {
  const box = $('stale');
  const lags = Array.isArray(stale.lags) ? stale.lags : [];
  box.append(el('strong', {}, ['注意：此答复所据的副本落后于已通告的日志，可能缺少最新的决定（据答复节点所报）。',
                               'Warning: this answer was made from copies behind what was announced of their logs, and may lack the newest decisions (as the answering node reports it).']),
             el('ul', {}, ...lags.map((l) => {
               const ago = Number.isInteger(l.secondsBehind) ? duration(l.secondsBehind) : null;
               return el('li', {'data-origin': l.origin},
                         [`${l.origin}：持有 ${l.held} 条，落后已通告的 ${l.announced} 条 ${l.behind} 条${ago ? `（${ago[0]}前通告）` : ''}`,
                          `${l.origin}: holds ${l.held} entries, ${l.behind} behind the ${l.announced} announced${ago ? ` ${ago[1]} ago` : ''}`]);
             })),
             el('p', {}, ['原因：', 'Why: '], el('code', {}, String(stale.detail ?? ''))));
  box.hidden = false;
}

// completeUpTo says of one log that the record is complete up to its checkpoint, and whose
// cosignature witnesses that checkpoint (the cosigners verify.js checked under their chartered keys).
function completeUpTo(log, report) {
  const cosigners = [...log.cosigners].sort((a, b) => b.time - a.time);
  const names = cosigners.map((c) => `${c.name}（${beijing(c.time)}）`).join('、');
  const namesEn = cosigners.map((c) => `${c.name} at ${beijing(c.time)}`).join(', ');
  const by = cosigners.length ? [`，由 ${names} 副署`, `, cosigned by ${namesEn}`]
    : log.origin === TRUST_ROOT.origin ? ['，根日志，无上级副署', ', the root log: no parent cosigns it']
    : ['，无副署（仅该机关自己的检查点）', ', not cosigned (only its own office\'s checkpoint)'];
  const about = report.decisions.filter((d) => d.log === log.origin).length;
  return el('li', {'data-origin': log.origin, 'data-size': String(log.size)},
            el('strong', {}, log.origin), ' ',
            [`截至含 ${log.size} 条记录的检查点完整（本日志中关于此工坊的决定 ${about} 项）${by[0]}`,
             `complete up to its checkpoint of size ${log.size} (${about} decisions about this subject in it)${by[1]}`]);
}

async function showTrustRoot() {
  const facts = $('trust-root-facts');
  const hash = await keyHash(TRUST_ROOT.origin, 0x01, TRUST_ROOT.checkpointKey);
  const fingerprint = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(ROOT_JSON)))).slice(0, 32);
  for (const [zh, en, v] of [['根日志', 'root log', TRUST_ROOT.origin], ['检查点密钥', 'checkpoint key', `${TRUST_ROOT.origin}+${hash}`],
                             ['根密钥', 'root keys', `${TRUST_ROOT.keys.length}, threshold ${TRUST_ROOT.threshold}`],
                             ['指纹', 'fingerprint', fingerprint]])
    facts.append(el('dt', {}, [zh, en]), el('dd', {}, el('code', {}, v)));
}

const ROOT_JSON = document.getElementById('hreg-trust-root').textContent;
const TRUST_ROOT = trustRootFrom(JSON.parse(ROOT_JSON));

for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => setLanguage(b.dataset.lang));
setLanguage('both');
$('check-form').addEventListener('submit', (e) => {
  e.preventDefault();
  check($('query').value);
});
if (window.crypto?.subtle) showTrustRoot();
const params = new URLSearchParams(location.search);
const asked = params.get('id') ?? params.get('plaque');
if (asked) {
  $('query').value = asked;
  check(asked);
}
showStatistics();
showReplication();
document.body.dataset.ready = 'true';
