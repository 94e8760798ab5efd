// The browser's own check of a subject bundle (docs/formats.md, "Subject bundles"), from the trust
// root alone, with WebCrypto (SHA-256, Ed25519): what rules::checkSubject checks, except the
// registry's signing rules and policy (which department and role may sign which act at which level),
// the lifecycle's guards and the consequences of time, which the page says it did not check.
//   (a) every entry's RFC 9162 inclusion proof leads to its log's checkpoint root;
//   (b) every checkpoint note is signed by its log's key: the root log's from the trust root, the
//       others' from charter entries in the bundle (each charter signed by its chartering log's
//       authority keys, to their threshold);
//   (c) every decision about the subject is signed by officials whose keys grant entries in the
//       same log admit at its time (each grant signed by the log's authority keys), and every
//       signature verifies over "hreg/decision/v1\n" || canonical(Decision);
//   (d) the bundle lists every entry about the subject that its extracts hold, and only those;
//   cosignature lines are checked under the cosigners' chartered keys, for "as of".
import {parseEntry, signingMessage, replayStages} from './records.js';

const enc = new TextEncoder();

export class Refused extends Error {
  constructor(check, detail) {
    super(detail);
    this.check = check;  // 'format' | 'checkpoint' | 'inclusion' | 'signature' | 'entry' | 'authority' | 'subject'
  }
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(text) {
  if (typeof text !== 'string' || !/^([0-9a-f]{2})*$/.test(text)) throw new Refused('format', `"${text}" is not hex`);
  return Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function fromBase64(text) {
  let raw;
  try {
    raw = atob(text);
  } catch {
    throw new Refused('format', 'a value that is not base64');
  }
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equal(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export async function ed25519Verify(publicKey, signature, message) {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = await crypto.subtle.importKey('raw', publicKey, {name: 'Ed25519'}, false, ['verify']);
  return crypto.subtle.verify({name: 'Ed25519'}, key, signature, message);
}

// ---- RFC 9162 §2.1 ----

export async function leafHash(entry) {
  return sha256(concat(Uint8Array.of(0), entry));
}

async function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}

// rootFromInclusion is RFC 9162 §2.1.3.2: the root the proof leads to, or null when the proof has
// the wrong length for (index, size).
export async function rootFromInclusion(leaf, index, size, proof) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// ---- C2SP signed-note, tlog-checkpoint, tlog-cosignature ----

const ED25519 = 0x01;
const COSIGNATURE_V1 = 0x04;

export async function keyHash(name, type, publicKey) {
  const h = await sha256(concat(enc.encode(name + '\n'), Uint8Array.of(type), publicKey));
  return hex(h.subarray(0, 4));
}

// parseNote splits a signed note into its text (ending in "\n") and signature lines.
export function parseNote(note) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Refused('checkpoint', 'not a signed note (no blank line before the signatures)');
  const text = note.slice(0, split + 1);
  const signatures = note.slice(split + 2).split('\n').filter((l) => l !== '').map(parseSignatureLine);
  return {text, signatures};
}

function parseSignatureLine(line) {
  const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
  if (!m) throw new Refused('checkpoint', `"${line}" is not a note signature line`);
  const blob = fromBase64(m[2]);
  if (blob.length < 5) throw new Refused('checkpoint', `the signature of ${m[1]} is too short`);
  return {name: m[1], hash: hex(blob.subarray(0, 4)), blob: blob.subarray(4)};
}

export function parseCheckpoint(text) {
  const lines = text.split('\n');
  if (lines.length < 4 || !/^(0|[1-9][0-9]*)$/.test(lines[1])) throw new Refused('checkpoint', 'not a checkpoint body');
  const root = fromBase64(lines[2]);
  if (root.length !== 32) throw new Refused('checkpoint', 'the checkpoint root is not 32 bytes');
  return {origin: lines[0], size: Number(lines[1]), root, body: text};
}

// verifyNote checks that some key of `keys` signed the note (and that none of them signed it
// wrongly): the checkpoint it holds.
async function verifyCheckpointNote(origin, note, keys) {
  const {text, signatures} = parseNote(note);
  let verified = null;
  for (const key of keys) {
    const h = await keyHash(origin, ED25519, key);
    for (const s of signatures) {
      if (s.name !== origin || s.hash !== h) continue;
      if (!(await ed25519Verify(key, s.blob, enc.encode(text))))
        throw new Refused('checkpoint', `the signature by ${origin}'s key (${h}) does not verify over the checkpoint`);
      verified = h;
    }
  }
  if (!verified) throw new Refused('checkpoint', `no signature by ${origin}'s chartered key on its checkpoint`);
  const checkpoint = parseCheckpoint(text);
  if (checkpoint.origin !== origin) throw new Refused('checkpoint', `the checkpoint given for ${origin} is of ${checkpoint.origin}`);
  return {...checkpoint, keyHash: verified};
}

// cosignatureTime: the time of a cosignature line verified under one of `keys`, or null.
async function cosignatureTime(line, body, keys) {
  let sig;
  try {
    sig = parseNote(`x\n\n${line.replace(/\n$/, '')}\n`).signatures[0];
  } catch {
    return null;
  }
  for (const key of keys) {
    if (sig.hash !== (await keyHash(sig.name, COSIGNATURE_V1, key)) || sig.blob.length !== 72) continue;
    const time = Number(new DataView(sig.blob.buffer, sig.blob.byteOffset, 8).getBigUint64(0));
    const message = enc.encode(`cosignature/v1\ntime ${time}\n${body}`);
    if (await ed25519Verify(key, sig.blob.subarray(8), message)) return {name: sig.name, time};
  }
  return null;
}

// ---- the bundle ----

// Authority is what the admitted authority records say: each log's checkpoint keys, authority keys
// and threshold, and its officials' grants.
class Authority {
  constructor(root) {
    this.root = root;
    this.checkpointKeys = new Map([[root.origin, [root.checkpointKey]]]);
    this.authority = new Map([[root.origin, {keys: root.keys, threshold: root.threshold}]]);
    this.grants = new Map();  // origin -> [{key, person, department, roles, validFrom, validUntil, revokedAt}]
  }

  // authoritySigned: the signers include `threshold` distinct authority keys of the log.
  authoritySigned(origin, entry) {
    const a = this.authority.get(origin);
    if (!a) return false;
    const signers = new Set(entry.signatures.map((s) => hex(s.keyId)));
    const count = a.keys.filter((k) => signers.has(hex(k))).length;
    return count >= Math.max(1, a.threshold);
  }

  admit(origin, entry) {
    const r = entry.record;
    switch (entry.kind) {
      case 'trust-root':
        if (origin !== this.root.origin || !this.authoritySigned(origin, entry)) return false;
        this.authority.set(origin, {keys: r.keys, threshold: r.threshold});
        this.checkpointKeys.get(origin).push(r.checkpointKey);
        return true;
      case 'charter':
        if (!this.authoritySigned(origin, entry)) return false;
        this.checkpointKeys.set(r.origin, [...(this.checkpointKeys.get(r.origin) ?? []), r.checkpointKey]);
        this.authority.set(r.origin, {keys: r.authorityKeys, threshold: r.threshold});
        return true;
      case 'grant':
        if (!this.authoritySigned(origin, entry)) return false;
        if (!this.grants.has(origin)) this.grants.set(origin, []);
        this.grants.get(origin).push({...r, keyHex: hex(r.key), revokedAt: null});
        return true;
      case 'grant-revocation':
        if (!this.authoritySigned(origin, entry)) return false;
        for (const g of this.grants.get(origin) ?? [])
          if (g.keyHex === hex(r.key) && (g.revokedAt === null || r.effective < g.revokedAt)) g.revokedAt = r.effective;
        return true;
      default:
        return true;
    }
  }

  // officialAt: the grant of `key` in the log that covers time `t`, or a reason it does not.
  officialAt(origin, key, t) {
    const grants = (this.grants.get(origin) ?? []).filter((g) => g.keyHex === hex(key));
    if (grants.length === 0) return {refused: `key ${hex(key).slice(0, 16)}… is granted by no grant entry of ${origin} in the bundle`};
    for (const g of grants) {
      if (t < g.validFrom || (g.validUntil !== 0 && t >= g.validUntil)) continue;
      if (g.revokedAt !== null && t >= g.revokedAt) continue;
      return {grant: g};
    }
    return {refused: `${grants[0].person}'s grant in ${origin} does not cover ${new Date(t * 1000).toISOString()} (expired or revoked)`};
  }
}

// trustRootFrom reads the trust root the page was served with.
export function trustRootFrom(json) {
  return {origin: json.origin, checkpointKey: fromHex(json.checkpointKey), keys: json.keys.map(fromHex),
          threshold: json.threshold, version: json.version};
}

// verifyBundle checks `bundle` (the parsed JSON) from `root`. It always returns a report: `ok`, the
// checks made (each {check, ok, detail}), and on refusal `failure` {check, detail}.
export async function verifyBundle(bundle, root) {
  const report = {ok: false, checks: [], failure: null, logs: [], decisions: [], stage: null, authority: null};
  const passed = (check, detail) => report.checks.push({check, ok: true, detail});
  try {
    await check(bundle, root, report, passed);
    report.ok = true;
  } catch (e) {
    const failure = e instanceof Refused ? {check: e.check, detail: e.message}
                                         : {check: 'entry', detail: `the bundle cannot be read: ${e.message}`};
    report.failure = failure;
    report.checks.push({...failure, ok: false});
  }
  return report;
}

async function check(bundle, root, report, passed) {
  if (!bundle || bundle.format !== 'hreg-subject-bundle/v1' || !Array.isArray(bundle.logs))
    throw new Refused('format', 'not an hreg-subject-bundle/v1 answer');
  const authority = new Authority(root);
  report.authority = authority;
  const listed = new Set(bundle.decisions.map((d) => `${d.origin}#${d.index}`));
  const about = new Map();  // "origin#index" -> parsed entry about the subject
  const done = new Set();
  let entries = 0;
  let signatures = 0;
  while (done.size < bundle.logs.length) {
    let progress = false;
    for (const [i, log] of bundle.logs.entries()) {
      if (done.has(i) || !authority.checkpointKeys.has(log.origin)) continue;
      const keys = authority.checkpointKeys.get(log.origin);
      let cp;
      try {
        cp = await verifyCheckpointNote(log.origin, log.checkpoint, keys);
      } catch (e) {
        throw new Refused(e.check ?? 'checkpoint', `the checkpoint of ${log.origin}: ${e.message}`);
      }
      passed('checkpoint', `${log.origin}: checkpoint of size ${cp.size} signed by ${log.origin === root.origin ? 'the trust root\'s' : 'its chartered'} key ${cp.keyHash}`);
      const held = {origin: log.origin, size: cp.size, root: hex(cp.root), cosigners: []};
      for (const e of log.entries) {
        const where = `entry ${e.index} of ${log.origin}`;
        const bytes = fromBase64(e.entry);
        let parsed;
        try {
          parsed = parseEntry(bytes);
        } catch (err) {
          throw new Refused('entry', `${where} cannot be read as a canonical entry: ${err.message}`);
        }
        const problems = [];
        if (parsed.index !== e.index) problems.push(['entry', `it says it is entry ${parsed.index}`]);
        const proof = e.proof.map((h) => fromHex(h));
        const reached = await rootFromInclusion(await leafHash(bytes), e.index, cp.size, proof);
        if (!reached) problems.push(['inclusion', `its inclusion proof has the wrong length for index ${e.index} in a tree of ${cp.size}`]);
        else if (!equal(reached, cp.root)) problems.push(['inclusion', `its inclusion proof does not lead to the checkpoint's root (reached ${hex(reached).slice(0, 16)}…, checkpoint ${hex(cp.root).slice(0, 16)}…)`]);
        if (parsed.origin !== log.origin) problems.push(['entry', `the decision names another log, ${parsed.origin}`]);
        if (parsed.signatures.length === 0) problems.push(['signature', 'it carries no signature']);
        const message = signingMessage(parsed);
        for (const [k, s] of parsed.signatures.entries()) {
          if (!(await ed25519Verify(s.keyId, s.signature, message)))
            problems.push(['signature', `signature ${k + 1} (key ${hex(s.keyId).slice(0, 16)}…) does not verify over "hreg/decision/v1\\n" || canonical(Decision)`]);
          ++signatures;
        }
        if (problems.length > 0) throw new Refused(problems[0][0], `${where}: ${problems.map((p) => p[1]).join('; ')}`);
        ++entries;
        if (!authority.admit(log.origin, parsed))
          passed('authority', `${where} (${parsed.kind}) is not signed by ${log.origin}'s authority keys to their threshold: not admitted`);
        if (parsed.subjects.includes(bundle.subject)) {
          const key = `${log.origin}#${e.index}`;
          if (!listed.has(key))
            throw new Refused('subject', `${where} is about ${bundle.subject} but the bundle does not list it: the answer hides a decision`);
          about.set(key, {...parsed, log: log.origin, leafHash: hex(await leafHash(bytes))});
        } else if (listed.has(`${log.origin}#${e.index}`)) {
          throw new Refused('subject', `${where} is listed as a decision about ${bundle.subject} but is not about it`);
        }
      }
      for (const line of bundle.logs[i].cosignatures ?? []) {
        const name = /^\u2014 (\S+) /.exec(line)?.[1];
        const c = name && (await cosignatureTime(line, cp.body, authority.checkpointKeys.get(name) ?? []));
        if (c) held.cosigners.push(c);
      }
      report.logs.push(held);
      done.add(i);
      progress = true;
    }
    if (!progress) {
      const missing = bundle.logs.filter((_, i) => !done.has(i)).map((l) => l.origin).join(', ');
      throw new Refused('checkpoint', `no charter in the bundle names the key of ${missing}: its checkpoints cannot be checked`);
    }
  }
  passed('inclusion', `${entries} entries: each one's inclusion proof leads to its log's checkpoint root`);
  passed('signature', `${signatures} signatures on those entries verify over "hreg/decision/v1\\n" || canonical(Decision)`);
  for (const d of bundle.decisions)
    if (!about.has(`${d.origin}#${d.index}`))
      throw new Refused('subject', `the bundle lists entry ${d.index} of ${d.origin} but holds no proven entry of it`);
  passed('subject', `the bundle lists all ${about.size} entries about ${bundle.subject} that its extracts hold`);

  // (c) officials: every signer of a decision about the subject is granted in that log at its time.
  const decisions = [...about.values()].sort((a, b) => a.time - b.time || a.index - b.index);
  for (const d of decisions) {
    d.signers = [];
    for (const s of d.signatures) {
      const o = authority.officialAt(d.log, s.keyId, d.time);
      if (o.refused) throw new Refused('authority', `entry ${d.index} of ${d.log} (${d.kind}): ${o.refused}`);
      d.signers.push(o.grant);
    }
  }
  passed('authority', `every signer of those ${decisions.length} decisions holds a grant of its office, signed by that office's authority keys, at the decision's time`);
  report.decisions = decisions;
  report.stage = replayStages(decisions);
  report.asOf = Math.max(0, ...report.logs.filter((l) => about.size === 0 || decisions.some((d) => d.log === l.origin))
                                        .flatMap((l) => l.cosigners.map((c) => c.time)));
}

// checkPlaque compares a plaque's QR payload (docs/formats.md, "Plaque QR payload") with a verified
// bundle, with the authority its check admitted (report.authority): the plaque's checkpoint must be
// signed by that log's key, and the bundle's checkpoint of
// the same log must be the same tree or a larger one. Returns {ok, detail, stale}.
export async function checkPlaque(payload, bundle, authority) {
  const lines = payload.split('\n');
  if (lines[0] !== 'hreg-plaque/v1') return {ok: false, detail: 'the plaque payload does not start with hreg-plaque/v1'};
  const [, subject, stage] = lines;
  const note = lines.slice(3).join('\n');
  if (subject !== bundle.subject) return {ok: false, detail: `the plaque is of ${subject}, the answer of ${bundle.subject}`};
  const origin = note.split('\n')[0];
  let cp;
  try {
    cp = await verifyCheckpointNote(origin, note, authority.checkpointKeys.get(origin) ?? []);
  } catch (e) {
    return {ok: false, detail: `the plaque's checkpoint: ${e.message}`};
  }
  const held = bundle.logs.find((l) => l.origin === origin);
  if (!held) return {ok: false, detail: `the answer holds no checkpoint of ${origin}`};
  const now = parseCheckpoint(parseNote(held.checkpoint).text);
  if (now.size === cp.size && !equal(now.root, cp.root))
    return {ok: false, detail: `two checkpoints of ${origin} of size ${cp.size} with different roots: evidence of equivocation`};
  if (now.size < cp.size)
    return {ok: true, stage, detail: `the plaque's checkpoint of ${origin} (size ${cp.size}) is newer than the answer's (size ${now.size}): this node is behind`};
  return {ok: true, stage, detail: now.size === cp.size ? `the plaque's checkpoint is the answer's (${origin}, size ${cp.size})`
    : `the plaque's checkpoint (${origin}, size ${cp.size}) is older than the answer's (size ${now.size}); that the newer tree contains it is not checked (no consistency proof is served)`};
}
