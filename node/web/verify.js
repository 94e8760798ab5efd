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
//       signature verifies over "hreg/decision/v1\n" || canonical(Decision), and is in a log on the
//       subject's path (the root log, or one whose code its home code starts with);
//   (d) the bundle lists every entry about the subject that its extracts hold, and only those;
//   (e) completeness (docs/formats.md, "Subject maps"): each checkpoint's hreg-map/v1 line commits
//       to the log's subject map; each extract's two map proofs lead to that root, and its entries
//       about the subject and its authority records, chained in index order, give exactly the count
//       and chain proven; and the bundle holds an extract of the root log and of every log a charter
//       in it charters for a division on the subject's path (its home code and the codes it starts
//       with);
//   cosignature lines are checked under the cosigners' chartered keys, for "as of" and to say whose
//   witness each log's completeness rests on.
import {parseEntry, signingMessage, replayStages, isAuthorityKind, homeCode} from './records.js';

const enc = new TextEncoder();

export class Refused extends Error {
  constructor(check, detail) {
    super(detail);
    this.check = check;  // 'format' | 'checkpoint' | 'inclusion' | 'signature' | 'entry' | 'authority' | 'subject'
                         // | 'completeness'
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

// parseCheckpoint reads a checkpoint body (ending in "\n"): origin, size, root and the extension
// lines after them, as they are (mapRootOf reads hreg's one).
export function parseCheckpoint(text) {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '' || !/^(0|[1-9][0-9]*)$/.test(lines[1]))
    throw new Refused('checkpoint', 'not a checkpoint body');
  const root = fromBase64(lines[2]);
  if (root.length !== 32) throw new Refused('checkpoint', 'the checkpoint root is not 32 bytes');
  return {origin: lines[0], size: Number(lines[1]), root, extensions: lines.slice(3, -1), body: text};
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

// ---- subject maps (docs/formats.md, "Subject maps") ----

export const MAP_LINE = 'hreg-map/v1';
const ZERO = new Uint8Array(32);
const MAX_MAP_DEPTH = 256;

function toBase64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

// mapRootOf is the map root a checkpoint commits to: its one extension line, "hreg-map/v1 <base64
// 32-byte root>". A checkpoint without it, or with other extension lines, is refused.
export function mapRootOf(checkpoint) {
  const ext = checkpoint.extensions ?? [];
  if (ext.length === 0) throw new Refused('checkpoint', `it has no "${MAP_LINE} <root>" line: it commits to no subject map`);
  if (ext.length !== 1)
    throw new Refused('checkpoint', `it has ${ext.length} extension lines; one is expected, "${MAP_LINE} <root>"`);
  const m = /^hreg-map\/v1 ([A-Za-z0-9+/]+={0,2})$/.exec(ext[0]);
  if (!m) throw new Refused('checkpoint', `its extension line "${ext[0]}" is not "${MAP_LINE} <base64 root>"`);
  const root = fromBase64(m[1]);
  if (root.length !== 32 || toBase64(root) !== m[1])
    throw new Refused('checkpoint', `its map root "${m[1]}" is not the base64 of 32 bytes`);
  return root;
}

export async function subjectMapKey(subject) {
  return sha256(enc.encode(`subject\n${subject}`));
}

export async function authorityMapKey() {
  return sha256(enc.encode('authority\n'));
}

function u64be(n) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

// mapLeafHash: SHA-256(0x00 || key || count (u64 BE) || newest (u64 BE) || chain).
export async function mapLeafHash(key, count, newest, chain) {
  return sha256(concat(Uint8Array.of(0), key, u64be(count), u64be(newest), chain));
}

// chainOf: chain_0 = 32 zero bytes, chain_k = SHA-256(0x02 || chain_{k-1} || leaf_k), over RFC 9162
// leaf hashes in index order.
export async function chainOf(leafHashes) {
  let chain = ZERO;
  for (const leaf of leafHashes) chain = await sha256(concat(Uint8Array.of(2), chain, leaf));
  return chain;
}

// bitOf: bit `i` of a key, the most significant bit of byte 0 first.
function bitOf(key, i) {
  return (key[i >> 3] >> (7 - (i & 7))) & 1;
}

class MapProofError extends Error {}

function mapHash(text, what) {
  if (typeof text !== 'string' || !/^[0-9a-f]{64}$/.test(text)) throw new MapProofError(`${what} is not 64 hex digits`);
  return fromHex(text);
}

function mapCount(n, what) {
  if (!Number.isSafeInteger(n) || n < 0) throw new MapProofError(`${what} is not a whole number`);
  return n;
}

// readMapProof reads a MapProof object: {siblings: [64 hex, …] (root first, at most 256), leaf: null
// or {key, count, newest, chain}}.
function readMapProof(proof) {
  if (!proof || typeof proof !== 'object' || Array.isArray(proof)) throw new MapProofError('it is not an object');
  if (!Array.isArray(proof.siblings)) throw new MapProofError('it has no list of siblings');
  if (proof.siblings.length > MAX_MAP_DEPTH)
    throw new MapProofError(`it has ${proof.siblings.length} siblings, more than the key's ${MAX_MAP_DEPTH} bits`);
  const siblings = proof.siblings.map((h, i) => mapHash(h, `sibling ${i}`));
  if (!('leaf' in proof)) throw new MapProofError('it has no leaf (null for an empty end)');
  if (proof.leaf === null) return {siblings, leaf: null};
  const l = proof.leaf;
  if (typeof l !== 'object' || Array.isArray(l)) throw new MapProofError('its leaf is neither null nor an object');
  return {siblings, leaf: {key: mapHash(l.key, 'the leaf\'s key'), count: mapCount(l.count, 'the leaf\'s count'),
                           newest: mapCount(l.newest, 'the leaf\'s newest'), chain: mapHash(l.chain, 'the leaf\'s chain')}};
}

// originCode is the division code a log's origin ends in ("hreg.example/140902" -> "140902").
function originCode(origin) {
  return origin.slice(origin.lastIndexOf('/') + 1);
}

// provenMapValue checks `proof` for `key` against the map `root`: the terminal (the empty subtree, or
// a leaf) hashed up through the siblings, from the deepest to the root's children, must give the
// root. Returns what it proves of the key: {count, newest, chain}, or {count: 0, newest: 0, chain: 32
// zero bytes} when it proves the key absent. Throws MapProofError.
export async function provenMapValue(root, key, proofJson) {
  const {siblings, leaf} = readMapProof(proofJson);
  const depth = siblings.length;
  let node = ZERO;
  let value = {count: 0, newest: 0, chain: ZERO};
  if (leaf) {
    node = await mapLeafHash(leaf.key, leaf.count, leaf.newest, leaf.chain);
    if (equal(leaf.key, key)) {
      value = {count: leaf.count, newest: leaf.newest, chain: leaf.chain};
    } else {
      for (let i = 0; i < depth; ++i)
        if (bitOf(leaf.key, i) !== bitOf(key, i))
          throw new MapProofError(`its leaf is of another key (${hex(leaf.key).slice(0, 16)}…) that leaves the asked key's path at bit ${i}, above the leaf's depth ${depth}`);
    }
  }
  for (let i = depth - 1; i >= 0; --i)
    node = bitOf(key, i) === 0 ? await nodeHash(node, siblings[i]) : await nodeHash(siblings[i], node);
  if (!equal(node, root))
    throw new MapProofError(`it does not lead to the checkpoint's map root (reached ${hex(node).slice(0, 16)}…, map root ${hex(root).slice(0, 16)}…)`);
  return value;
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

export const BUNDLE_FORMAT = 'hreg-subject-bundle/v2';

async function check(bundle, root, report, passed) {
  if (!bundle || bundle.format !== BUNDLE_FORMAT || !Array.isArray(bundle.logs) || !Array.isArray(bundle.decisions))
    throw new Refused('format', `not an ${BUNDLE_FORMAT} answer`);
  const authority = new Authority(root);
  report.authority = authority;
  const listed = new Set(bundle.decisions.map((d) => `${d.origin}#${d.index}`));
  const about = new Map();  // "origin#index" -> parsed entry about the subject
  const done = new Set();
  const extracts = [];  // per verified extract: its log, checkpoint, map root, and the leaves the map chains
  const charters = [];  // every charter the bundle holds and admits: {code, origin, in}
  const home = homeCode(bundle.subject);
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
      let mapRoot;
      try {
        mapRoot = mapRootOf(cp);
      } catch (e) {
        throw new Refused(e.check ?? 'checkpoint', `the checkpoint of ${log.origin}: ${e.message}`);
      }
      passed('checkpoint', `${log.origin}: checkpoint of size ${cp.size} signed by ${log.origin === root.origin ? 'the trust root\'s' : 'its chartered'} key ${cp.keyHash}`);
      const held = {origin: log.origin, size: cp.size, root: hex(cp.root), cosigners: []};
      const extract = {log, held, mapRoot, subjectLeaves: [], authorityLeaves: []};
      if (!Array.isArray(log.entries)) throw new Refused('format', `the extract of ${log.origin} has no list of entries`);
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
        const leaf = await leafHash(bytes);
        const reached = await rootFromInclusion(leaf, e.index, cp.size, proof);
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
        const admitted = authority.admit(log.origin, parsed);
        if (!admitted)
          passed('authority', `${where} (${parsed.kind}) is not signed by ${log.origin}'s authority keys to their threshold: not admitted`);
        if (isAuthorityKind(parsed.kind)) extract.authorityLeaves.push({index: e.index, leaf});
        if (admitted && parsed.kind === 'charter' && parsed.record.code)
          charters.push({code: parsed.record.code, origin: parsed.record.origin, in: log.origin});
        if (parsed.subjects.includes(bundle.subject)) {
          const key = `${log.origin}#${e.index}`;
          if (home !== '' && log.origin !== root.origin && !home.startsWith(originCode(log.origin)))
            throw new Refused('authority', `${where} is about ${bundle.subject}, whose home is ${home}: ${log.origin} may decide only about its own division (out of jurisdiction)`);
          if (!listed.has(key))
            throw new Refused('subject', `${where} is about ${bundle.subject} but the bundle does not list it: the answer hides a decision`);
          about.set(key, {...parsed, log: log.origin, leafHash: hex(leaf)});
          extract.subjectLeaves.push({index: e.index, leaf});
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
      extracts.push(extract);
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
  await checkCompleteness(bundle, root, home, extracts, charters, passed);

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

// checkCompleteness (e): each extract holds all that its log's map says the log holds about the
// subject, and all its authority records; and no log that may hold an entry about the subject is
// missing from the bundle. Refuses 'completeness', naming the log.
async function checkCompleteness(bundle, root, home, extracts, charters, passed) {
  const subjectKey = await subjectMapKey(bundle.subject);
  const authorityKey = await authorityMapKey();
  for (const {log, held, mapRoot, subjectLeaves, authorityLeaves} of extracts) {
    const refuse = (detail) => {
      throw new Refused('completeness', `the record of ${log.origin} (checkpoint of size ${held.size}) is incomplete: ${detail}`);
    };
    const map = log.map;
    if (!map || typeof map !== 'object' || Array.isArray(map)) refuse('its extract carries no map proofs');
    for (const [name, key, leaves, what] of [['subject', subjectKey, subjectLeaves, `entries about ${bundle.subject}`],
                                             ['authority', authorityKey, authorityLeaves, 'authority records']]) {
      let proven;
      try {
        proven = await provenMapValue(mapRoot, key, map[name]);
      } catch (e) {
        if (!(e instanceof MapProofError)) throw e;
        refuse(`its map proof for the ${what} (map.${name}): ${e.message}`);
      }
      const sorted = [...leaves].sort((a, b) => a.index - b.index);
      const chain = await chainOf(sorted.map((l) => l.leaf));
      const newest = sorted.length > 0 ? sorted[sorted.length - 1].index : 0;
      if (proven.count !== sorted.length || !equal(proven.chain, chain))
        refuse(`its map proves ${proven.count} ${what} (chain ${hex(proven.chain).slice(0, 16)}…), the extract holds ${sorted.length} (chain ${hex(chain).slice(0, 16)}…): ${proven.count > sorted.length ? 'the answer leaves some out' : 'they are not the ones the log holds'}`);
      if (proven.newest !== newest)
        refuse(`its map names entry ${proven.newest} as the newest of the ${what}, the extract's newest is ${newest}`);
    }
    held.subjectEntries = subjectLeaves.length;
    held.authorityRecords = authorityLeaves.length;
  }
  const present = new Set(extracts.map((x) => x.log.origin));
  const required = [{origin: root.origin, why: 'the root log'}];
  for (const c of charters)
    if (home !== '' && home.startsWith(c.code))  // code is never empty (charters without one are left out)
      required.push({origin: c.origin, why: `chartered by ${c.in} for ${c.code}, on the path of ${bundle.subject}`});
  for (const r of required)
    if (!present.has(r.origin))
      throw new Refused('completeness', `the answer holds no extract of ${r.origin} (${r.why}): what that log holds about ${bundle.subject} is not shown`);
  for (const x of extracts) {
    const cosigned = x.held.cosigners.length ? `cosigned by ${x.held.cosigners.map((c) => c.name).join(', ')}`
                   : x.log.origin === root.origin ? 'the root log, which no parent cosigns' : 'not cosigned';
    passed('completeness', `${x.log.origin}: complete up to its checkpoint of size ${x.held.size} (${x.held.subjectEntries} entries about ${bundle.subject}, ${x.held.authorityRecords} authority records, as its subject map proves), ${cosigned}`);
  }
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

// checkPlaqueNumber checks that the subject of a verified bundle was given the plaque `number` by one
// of its proven decisions (a certification or a legacy import), as checkSubject's report lists them.
// The node resolved the number to the subject from its own index, unsigned; this is what keeps a node
// from answering a plaque number with another workshop's genuine record. Returns {ok, detail, current,
// plaque}: `current` false when a later proven decision gave the subject another plaque (`plaque`).
export function checkPlaqueNumber(number, report, subject) {
  const giving = report.decisions.filter((d) => (d.kind === 'certification' || d.kind === 'legacy-import') && d.record?.plaque);
  const naming = giving.filter((d) => d.record.plaque === number);
  if (naming.length === 0)
    return {ok: false, detail: giving.length > 0
      ? `the proven record of ${subject} gives it plaque ${giving.map((d) => d.record.plaque).join(', ')}, not ${number}: the node answered the plaque number with another workshop's record`
      : `no proven decision gives ${subject} a plaque, so not ${number}: the node answered the plaque number with another workshop's record`};
  const newest = giving[giving.length - 1];  // report.decisions are in time order
  const n = naming[naming.length - 1];
  const current = newest.record.plaque === number;
  return {ok: true, current, plaque: newest.record.plaque,
          detail: `${n.kind} entry ${n.index} of ${n.log} gives ${subject} plaque ${number}` +
                  (current ? '' : `; a later decision (entry ${newest.index} of ${newest.log}) gave it plaque ${newest.record.plaque}`)};
}
