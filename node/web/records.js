// The entries of an hreg log as the page reads them: Entry, SignedDecision, Decision, Header, the
// Body union and the fields of the records the page shows or checks. Layouts as
// `capnp compile -ocapnp protocol/schema/entry.capnp` prints them (byte offsets into the data
// section, pointer indexes); protocol/schema/*.capnp is the source. Also the workshop lifecycle's
// transition table (ledger/rules/lifecycle.h), replayed without its guards, and the names of stages
// and record kinds in Chinese and English.
import {Message} from './capnp.js';

export const DECISION_CONTEXT = new TextEncoder().encode('hreg/decision/v1\n');

// KINDS: the Body union's members, by discriminant (entry.capnp), kebab-case as `hreg` names them.
export const KINDS = [
  'trust-root', 'charter', 'charter-revocation', 'grant', 'grant-revocation', 'preliminary-review',
  'joint-review-finding', 'policy', 'application', 'site-inspection', 'joint-review-result', 'recommendation',
  'expert-pool', 'panel-draw', 'recusal', 'expert-score', 'panel-conclusion', 'notice', 'objection',
  'objection-resolution', 'certification', 'confirmation', 'evaluation', 'rectification-order',
  'rectification-result', 'revocation-proposal', 'appeal', 'appeal-decision', 'revocation', 'cancellation',
  'legacy-import', 'quarterly-report', 'craftsman-application', 'craftsman-certification', 'craftsman-evaluation',
  'craftsman-promotion', 'craftsman-exit',
];

export const KIND_NAMES = {
  'trust-root': ['信任根', 'trust root'], 'charter': ['特许', 'charter'],
  'charter-revocation': ['撤销特许', 'charter revocation'], 'grant': ['授权', 'grant'],
  'grant-revocation': ['撤销授权', 'grant revocation'], 'policy': ['政策', 'policy'],
  'application': ['申请', 'application'], 'preliminary-review': ['乡镇初审', 'preliminary review'],
  'site-inspection': ['实地调查核实', 'site inspection'], 'joint-review-finding': ['联合评审意见', 'joint review finding'],
  'joint-review-result': ['联合评审结果', 'joint review result'], 'recommendation': ['推荐', 'recommendation'],
  'expert-pool': ['专家库', 'expert pool'], 'panel-draw': ['随机抽取专家', 'panel draw'], 'recusal': ['回避', 'recusal'],
  'expert-score': ['独立打分', 'expert score'], 'panel-conclusion': ['集中合议', 'panel conclusion'],
  'notice': ['公示', 'notice'], 'objection': ['异议', 'objection'],
  'objection-resolution': ['异议核查意见', 'objection resolution'], 'certification': ['认定授牌', 'certification'],
  'confirmation': ['信息更新', 'confirmation'], 'evaluation': ['绩效评估', 'evaluation'],
  'rectification-order': ['限期整改', 'rectification order'], 'rectification-result': ['整改验收', 'rectification result'],
  'revocation-proposal': ['拟撤销命名', 'revocation proposal'], 'appeal': ['申诉', 'appeal'],
  'appeal-decision': ['申诉复核意见', 'appeal decision'], 'revocation': ['撤销命名', 'revocation'],
  'cancellation': ['自动取消资格', 'cancellation'], 'legacy-import': ['纳入（非遗扶贫就业工坊）', 'legacy import'],
  'quarterly-report': ['季报', 'quarterly report'], 'craftsman-application': ['乡村工匠推荐申报', 'craftsman application'],
  'craftsman-certification': ['乡村工匠认定', 'craftsman certification'],
  'craftsman-evaluation': ['乡村工匠监测评估', 'craftsman evaluation'],
  'craftsman-promotion': ['评优晋级', 'craftsman promotion'], 'craftsman-exit': ['清理退出', 'craftsman exit'],
};

export const STAGE_NAMES = {
  'none': ['无记录', 'nothing recorded'], 'applied': ['已申请', 'applied'],
  'preliminary-passed': ['乡镇初审通过', 'preliminary review passed'],
  'preliminary-rejected': ['乡镇初审未通过', 'preliminary review rejected'],
  'joint-review': ['联合评审中', 'under joint review'], 'joint-passed': ['联合评审通过', 'joint review passed'],
  'joint-rejected': ['联合评审未通过', 'joint review rejected'], 'on-notice': ['公示中', 'on public notice'],
  'objection-open': ['异议核查中', 'objection under verification'], 'objection-upheld': ['异议成立', 'objection upheld'],
  'certified': ['已认定', 'certified'], 'rectification': ['限期整改中', 'in rectification'],
  'revocation-proposed': ['拟撤销命名', 'revocation proposed'], 'appealed': ['申诉复核中', 'appeal under review'],
  'appeal-rejected': ['申诉未获支持', 'appeal rejected'], 'revoked': ['已撤销命名', 'revoked'],
  'cancelled': ['已取消资格', 'cancelled'],
};

export const LEVEL_NAMES = [['国家级', 'national'], ['省级', 'province'], ['市级', 'prefecture'], ['县级', 'county'],
                            ['乡镇级', 'township']];

// Records whose `subject` is pointer 0 (registry.capnp); notice and panel draw hold `subjects` there.
const SUBJECT_AT_0 = new Set([5, 6, 8, 9, 10, 11, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 32,
                              33, 34, 35, 36]);
const SUBJECTS_AT_0 = new Set([13, 17]);

// AUTHORITY_KINDS: the records a verifier needs to judge the others, which a log's subject map
// chains under its authority key (docs/formats.md, "Subject maps"; rules::isAuthorityRecord).
const AUTHORITY_KINDS = new Set(['trust-root', 'charter', 'charter-revocation', 'grant', 'grant-revocation', 'policy']);

export function isAuthorityKind(kind) {
  return AUTHORITY_KINDS.has(kind);
}

// homeCode is the division code an identifier names ("140902001-W-0001" -> "140902001"), or "" when
// it does not have the form <code>-<W|C>-<serial> with a code of 2, 4, 6 or 9 digits
// (rules::homeCode).
export function homeCode(subject) {
  const m = /^([0-9]+)-[WC]-/.exec(subject ?? '');
  return m && [2, 4, 6, 9].includes(m[1].length) ? m[1] : '';
}

// parseEntry reads canonical Entry bytes. Throws MalformedEntry on bytes it cannot read.
export function parseEntry(bytes) {
  const m = new Message(bytes);
  const entry = m.root();                         // Entry: 2 data words, 1 pointer
  const signed = entry.struct(0);                 // SignedDecision: decision, signatures
  if (!signed) throw new Error('an entry without its signed decision');
  const decision = signed.struct(0);              // Decision: header, body
  const header = decision.struct(0);              // Header: origin ptr0, time bits[0,64)
  const body = decision.struct(1);                // Body: tag bits[0,16), ptr0
  const which = body.u16(0);
  const record = body.struct(0);
  const out = {
    index: entry.u64(0),
    sequencedAt: entry.i64(8),
    origin: header.text(0),
    time: header.i64(0),
    which,
    kind: KINDS[which] ?? `kind-${which}`,
    signatures: signed.structs(1).map((s) => ({keyId: s.data(0), signature: s.data(1)})),
    decisionBytes: decision.canonical(),
    subjects: [],
    record: {},
  };
  if (record) {
    if (SUBJECT_AT_0.has(which) && record.text(0)) out.subjects = [record.text(0)];
    if (SUBJECTS_AT_0.has(which)) out.subjects = record.texts(0);
    out.record = readRecord(which, record);
  }
  return out;
}

// signingMessage is what officials sign: "hreg/decision/v1\n" || canonical(Decision).
export function signingMessage(parsed) {
  const out = new Uint8Array(DECISION_CONTEXT.length + parsed.decisionBytes.length);
  out.set(DECISION_CONTEXT);
  out.set(parsed.decisionBytes, DECISION_CONTEXT.length);
  return out;
}

const PASS = 0;

function facts(f) {
  if (!f) return {};
  return {name: f.text(0), address: f.text(1), employees: f.u32(12), povertyAlleviated: f.u32(16)};
}

function readRecord(which, r) {
  switch (KINDS[which]) {
    case 'trust-root':
      return {version: r.u32(0), keys: r.datas(0), threshold: r.u8(4), origin: r.text(1), checkpointKey: r.data(2)};
    case 'charter':
      return {code: r.text(0), level: r.u16(0), name: r.text(1), origin: r.text(2), checkpointKey: r.data(3),
              authorityKeys: r.datas(4), threshold: r.u8(2), validFrom: r.i64(8), validUntil: r.i64(16)};
    case 'charter-revocation':
      return {code: r.text(0), effective: r.i64(0), reason: r.text(1)};
    case 'grant':
      return {person: r.text(0), department: r.text(1), roles: r.texts(2), key: r.data(3), validFrom: r.i64(0),
              validUntil: r.i64(8)};
    case 'grant-revocation':
      return {key: r.data(0), effective: r.i64(0), reason: r.text(1)};
    case 'application':
      return {level: r.u16(0), facts: facts(r.struct(1))};
    case 'preliminary-review':
      return {pass: r.u16(0) === PASS, notes: r.text(1)};
    case 'joint-review-finding':
      return {department: r.text(1), pass: r.u16(0) === PASS, notes: r.text(2)};
    case 'joint-review-result':
      return {pass: r.u16(0) === PASS, notes: r.text(2)};
    case 'evaluation':
      return {pass: r.u16(16) === PASS, grade: r.text(2)};
    case 'rectification-result':
      return {pass: r.u16(8) === PASS, notes: r.text(2)};
    case 'objection-resolution':
      return {pass: r.bool(0), notes: r.text(2)};
    case 'appeal-decision':
      return {pass: r.bool(0), notes: r.text(2)};
    case 'certification':
      return {level: r.u16(0), name: r.text(1), plaque: r.text(2), url: r.text(5)};
    case 'confirmation':
      return {year: r.u16(0), facts: facts(r.struct(2))};
    case 'legacy-import':
      return {level: r.u16(0), formerName: r.text(1), decision: r.text(3), facts: facts(r.struct(4)), plaque: r.text(6)};
    case 'revocation':
      return {ground: r.u8(0), url: r.text(3)};
    case 'revocation-proposal':
      return {ground: r.u8(0), notes: r.text(2)};
    case 'rectification-order':
      return {deadline: r.i64(0), notes: r.text(2)};
    default:
      return {};
  }
}

// TRANSITIONS: the workshop lifecycle (ledger/rules/lifecycle.h), [from, kind, when, to]; when is
// 'any', 'pass' or 'reject'. The guards (deadlines, working days, the joint review's departments, the
// re-application ban) are not replayed here.
const TRANSITIONS = [
  ['none', 'application', 'any', 'applied'], ['none', 'legacy-import', 'any', 'certified'],
  ['preliminary-rejected', 'application', 'any', 'applied'], ['joint-rejected', 'application', 'any', 'applied'],
  ['objection-upheld', 'application', 'any', 'applied'], ['cancelled', 'application', 'any', 'applied'],
  ['revoked', 'application', 'any', 'applied'],
  ['applied', 'preliminary-review', 'pass', 'preliminary-passed'],
  ['applied', 'preliminary-review', 'reject', 'preliminary-rejected'],
  ['preliminary-passed', 'site-inspection', 'any', 'preliminary-passed'],
  ['preliminary-passed', 'joint-review-finding', 'any', 'joint-review'],
  ['joint-review', 'site-inspection', 'any', 'joint-review'], ['joint-review', 'joint-review-finding', 'any', 'joint-review'],
  ['joint-review', 'joint-review-result', 'pass', 'joint-passed'],
  ['joint-review', 'joint-review-result', 'reject', 'joint-rejected'], ['joint-passed', 'notice', 'any', 'on-notice'],
  ['on-notice', 'objection', 'any', 'objection-open'], ['objection-open', 'objection', 'any', 'objection-open'],
  ['objection-open', 'objection-resolution', 'pass', 'objection-upheld'],
  ['objection-open', 'objection-resolution', 'reject', 'on-notice'], ['on-notice', 'certification', 'any', 'certified'],
  ['certified', 'confirmation', 'any', 'certified'], ['certified', 'evaluation', 'any', 'certified'],
  ['certified', 'rectification-order', 'any', 'rectification'], ['rectification', 'confirmation', 'any', 'rectification'],
  ['rectification', 'rectification-result', 'pass', 'certified'],
  ['rectification', 'rectification-result', 'reject', 'rectification'],
  ['certified', 'revocation-proposal', 'any', 'revocation-proposed'],
  ['rectification', 'revocation-proposal', 'any', 'revocation-proposed'],
  ['revocation-proposed', 'appeal', 'any', 'appealed'], ['revocation-proposed', 'revocation', 'any', 'revoked'],
  ['appealed', 'appeal-decision', 'pass', 'certified'], ['appealed', 'appeal-decision', 'reject', 'appeal-rejected'],
  ['appeal-rejected', 'revocation', 'any', 'revoked'], ['certified', 'cancellation', 'any', 'cancelled'],
  ['rectification', 'cancellation', 'any', 'cancelled'],
];

// Acts that need no transition of their own (a panel's work, reports): they leave the stage as it is.
const NEUTRAL = new Set(['panel-draw', 'recusal', 'expert-score', 'panel-conclusion', 'recommendation',
                         'quarterly-report']);

// replayStages runs the decisions (in time order) through the transition table: the stage each
// reaches, or {refused} naming the first decision no row admits.
export function replayStages(decisions) {
  let stage = 'none';
  const steps = [];
  for (const d of decisions) {
    if (NEUTRAL.has(d.kind)) {
      steps.push({decision: d, from: stage, to: stage});
      continue;
    }
    const outcome = d.record.pass === undefined ? null : d.record.pass ? 'pass' : 'reject';
    const row = TRANSITIONS.find(([from, kind, when]) => from === stage && kind === d.kind &&
                                                          (when === 'any' || when === outcome));
    if (!row) return {stage, steps, refused: {decision: d, from: stage}};
    steps.push({decision: d, from: stage, to: row[3]});
    stage = row[3];
  }
  return {stage, steps};
}
