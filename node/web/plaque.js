// The public plaque check: asks this node for a subject's proof bundle (GET /v1/subject), verifies
// it in the browser from the trust root the page was served with (verify.js), and shows the status
// and history in Chinese and English, with what was checked, what held, and what was not checked.
import {verifyBundle, checkPlaque, trustRootFrom, keyHash, hex} from './verify.js';
import {STAGE_NAMES, KIND_NAMES, LEVEL_NAMES} from './records.js';
import {showStatistics} from './statistics.js';
import {el, bi, beijing} from './dom.js';
import {showReplication} from './replication.js';

const $ = (id) => document.getElementById(id);

const CHECK_NAMES = {
  format: ['格式', 'format'], checkpoint: ['检查点签名', 'checkpoint signature'],
  inclusion: ['默克尔包含证明', 'Merkle inclusion proof'], signature: ['签名', 'signatures'],
  authority: ['授权', 'authority'], subject: ['完整列出', 'listed in full'], entry: ['条目', 'entry'],
  completeness: ['记录完整性', 'completeness'], plaque: ['牌匾二维码', 'plaque QR code'],
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
];

function setLanguage(lang) {
  document.body.className = `lang-${lang}`;
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
}

// parseQuery reads what the visitor typed: an identifier, or a plaque payload.
function parseQuery(text) {
  const t = text.replace(/\r\n/g, '\n').trim();
  if (t.startsWith('hreg-plaque/')) {
    const lines = t.split('\n');
    return {id: lines[1] ?? '', payload: `${t}\n`};
  }
  return {id: t, payload: null};
}

function verdictBox(kind, zh, en) {
  const v = $('verdict');
  v.replaceChildren(bi(zh, en));
  v.dataset.verdict = kind;
  v.className = `verdict ${kind}`;
}

async function check(text) {
  const {id, payload} = parseQuery(text);
  $('result').hidden = false;
  for (const part of ['summary', 'checks', 'not-checked']) $(part).replaceChildren();
  $('history').tBodies[0].replaceChildren();
  if (!id) return verdictBox('refused', '请输入工坊编号。', 'Type a workshop ID.');
  verdictBox('checking', `正在查验 ${id} …`, `Checking ${id} …`);
  history.replaceState(null, '', `/plaque?id=${encodeURIComponent(id)}`);
  let answer;
  try {
    const r = await fetch(`/v1/subject?id=${encodeURIComponent(id)}`);
    answer = await r.json();
    if (!r.ok) {
      const detail = answer?.error?.detail ?? `HTTP ${r.status}`;
      return verdictBox('not-found', `本节点没有 ${id} 的记录：${detail}`, `This node holds no record of ${id}: ${detail}`);
    }
  } catch (e) {
    return verdictBox('refused', `无法取得答复：${e.message}`, `Could not get an answer: ${e.message}`);
  }
  if (!window.crypto?.subtle)
    return verdictBox('refused', '此浏览器无法核验：页面须通过 HTTPS（或本机地址）打开。',
                      'This browser cannot verify: the page must be opened over HTTPS (or from this machine).');
  const report = await verifyBundle(answer, TRUST_ROOT);
  if (report.ok && payload) {
    const plaque = await checkPlaque(payload, answer, report.authority);
    report.checks.push({check: 'plaque', ok: plaque.ok, detail: plaque.detail});
    if (!plaque.ok) report.failure = {check: 'plaque', detail: plaque.detail};
    report.plaqueStage = plaque.stage;
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
  row('答复节点', 'Answered by', `${answer.answeredBy} · ${beijing(answer.answeredAt)}`);
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
const asked = new URLSearchParams(location.search).get('id');
if (asked) {
  $('query').value = asked;
  check(asked);
}
showStatistics();
showReplication();
document.body.dataset.ready = 'true';
