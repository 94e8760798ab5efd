// A small reader of canonical Cap'n Proto messages (one segment, no segment table), enough for the
// entries of an hreg log (docs/formats.md, "Entries"): structs, lists, text and data, bounds-checked.
// It also cuts a struct's subtree out of a message: canonical encoding lays a struct and everything
// it points to out contiguously, in pre-order, so canonical(X) for a struct X inside an entry is a
// root pointer (offset 0, X's data and pointer sizes) followed by X's subtree bytes, copied.
// Far pointers and capabilities never occur in canonical single-segment messages: refused.

export class MalformedEntry extends Error {}

const WORD = 8;

function fail(what) {
  throw new MalformedEntry(what);
}

// Message holds the bytes of one canonical message and reads pointers in it.
export class Message {
  constructor(bytes) {
    if (!(bytes instanceof Uint8Array)) fail('not bytes');
    if (bytes.length < WORD || bytes.length % WORD !== 0) fail(`a message of ${bytes.length} bytes is not whole words`);
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  root() {
    const s = this.structAt(0);
    if (!s) fail('the root pointer is null');
    return s;
  }

  // pointer decodes the pointer word at byte offset `at`: null, or its kind and target.
  pointer(at) {
    if (at + WORD > this.bytes.length) fail(`a pointer at byte ${at} lies past the end`);
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    if (lo === 0 && hi === 0) return null;
    const kind = lo & 3;
    const offset = lo >> 2;  // signed 30-bit word offset from the end of the pointer
    const target = at + WORD + offset * WORD;
    if (kind === 0) return {kind: 'struct', target, dataWords: hi & 0xffff, ptrCount: hi >>> 16};
    if (kind === 1) return {kind: 'list', target, elementSize: hi & 7, count: hi >>> 3};
    fail(kind === 2 ? 'a far pointer (not a canonical one-segment message)' : 'a capability pointer');
  }

  within(start, length, what) {
    if (start < 0 || start + length > this.bytes.length) fail(`${what} lies outside the message`);
  }

  structAt(at) {
    const p = this.pointer(at);
    if (!p) return null;
    if (p.kind !== 'struct') fail(`a struct was expected at byte ${at}`);
    return new Struct(this, p.target, p.dataWords, p.ptrCount);
  }

  listAt(at) {
    const p = this.pointer(at);
    if (!p) return null;
    if (p.kind !== 'list') fail(`a list was expected at byte ${at}`);
    if (p.elementSize === 7) {
      this.within(p.target, WORD, 'a composite list tag');
      const tag = this.pointer(p.target);
      if (!tag || tag.kind !== 'struct') fail('a composite list without its tag word');
      const count = (tag.target - p.target - WORD) / WORD;  // the tag's offset field is the element count
      const stride = (tag.dataWords + tag.ptrCount) * WORD;
      if (count * stride !== p.count * WORD) fail('a composite list whose tag disagrees with its size');
      this.within(p.target + WORD, p.count * WORD, 'a composite list');
      return {composite: true, start: p.target, count, dataWords: tag.dataWords, ptrCount: tag.ptrCount,
              end: p.target + WORD + p.count * WORD,
              element: (i) => new Struct(this, p.target + WORD + i * stride, tag.dataWords, tag.ptrCount)};
    }
    const bits = [0, 1, 8, 16, 32, 64, 64][p.elementSize];
    const length = Math.ceil((p.count * bits) / 8);
    const padded = Math.ceil(length / WORD) * WORD;
    this.within(p.target, padded, 'a list');
    return {composite: false, start: p.target, count: p.count, elementSize: p.elementSize, end: p.target + padded};
  }
}

// Struct is one struct in a message: its data section and its pointers.
export class Struct {
  constructor(message, start, dataWords, ptrCount) {
    message.within(start, (dataWords + ptrCount) * WORD, 'a struct');
    this.m = message;
    this.start = start;
    this.dataWords = dataWords;
    this.ptrCount = ptrCount;
  }

  get ptrStart() {
    return this.start + this.dataWords * WORD;
  }

  // Data fields past the data section read as 0 (truncated zero fields in canonical form).
  u8(byte) {
    return byte < this.dataWords * WORD ? this.m.view.getUint8(this.start + byte) : 0;
  }
  u16(byte) {
    return byte + 2 <= this.dataWords * WORD ? this.m.view.getUint16(this.start + byte, true) : 0;
  }
  u32(byte) {
    return byte + 4 <= this.dataWords * WORD ? this.m.view.getUint32(this.start + byte, true) : 0;
  }
  bool(bit) {
    return ((this.u8(bit >> 3) >> (bit & 7)) & 1) === 1;
  }
  // i64 / u64: as Numbers (times and indexes stay far below 2^53; larger values are refused).
  i64(byte) {
    if (byte + 8 > this.dataWords * WORD) return 0;
    const v = this.m.view.getBigInt64(this.start + byte, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) fail('a 64-bit field out of range');
    return Number(v);
  }
  u64(byte) {
    if (byte + 8 > this.dataWords * WORD) return 0;
    const v = this.m.view.getBigUint64(this.start + byte, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('a 64-bit field out of range');
    return Number(v);
  }

  pointerAt(i) {
    return i < this.ptrCount ? this.ptrStart + i * WORD : null;
  }
  struct(i) {
    const at = this.pointerAt(i);
    return at === null ? null : this.m.structAt(at);
  }
  list(i) {
    const at = this.pointerAt(i);
    return at === null ? null : this.m.listAt(at);
  }
  data(i) {
    const at = this.pointerAt(i);
    return at === null ? new Uint8Array(0) : dataAt(this.m, at);
  }
  text(i) {
    const at = this.pointerAt(i);
    return at === null ? '' : textAt(this.m, at);
  }
  structs(i) {
    const l = this.list(i);
    if (!l) return [];
    if (!l.composite) fail('a list of structs that is not composite');
    return Array.from({length: l.count}, (_, k) => l.element(k));
  }
  // texts / datas: a List(Text) or List(Data).
  texts(i) {
    return this.pointerList(i, (at) => textAt(this.m, at));
  }
  datas(i) {
    return this.pointerList(i, (at) => dataAt(this.m, at));
  }
  pointerList(i, read) {
    const l = this.list(i);
    if (!l) return [];
    if (l.composite || l.elementSize !== 6) fail('a list of pointers was expected');
    return Array.from({length: l.count}, (_, k) => read(l.start + k * WORD));
  }

  // end is the byte after the last byte of this struct's subtree (the struct and all it points to).
  end() {
    let end = this.start + (this.dataWords + this.ptrCount) * WORD;
    for (let i = 0; i < this.ptrCount; ++i) end = Math.max(end, subtreeEnd(this.m, this.ptrStart + i * WORD));
    return end;
  }

  // canonical is canonical(this struct) as its own message: a root pointer and the subtree's bytes.
  // Requires the message to be canonical (its subtrees contiguous and in pre-order); the caller
  // checks what it hashes or verifies, so a non-canonical message only fails those checks.
  canonical() {
    const body = this.m.bytes.subarray(this.start, this.end());
    const out = new Uint8Array(WORD + body.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, 0, true);  // struct pointer, offset 0
    view.setUint32(4, this.dataWords | (this.ptrCount << 16), true);
    out.set(body, WORD);
    return out;
  }
}

function dataAt(m, at) {
  const l = m.listAt(at);
  if (!l) return new Uint8Array(0);
  if (l.composite || l.elementSize !== 2) fail('a Data field that is not a byte list');
  return m.bytes.subarray(l.start, l.start + l.count);
}

function textAt(m, at) {
  const l = m.listAt(at);
  if (!l) return '';
  if (l.composite || l.elementSize !== 2 || l.count < 1) fail('a Text field that is not a byte list');
  if (m.bytes[l.start + l.count - 1] !== 0) fail('a Text field without its NUL');
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(m.bytes.subarray(l.start, l.start + l.count - 1));
  } catch {
    fail('a Text field that is not UTF-8');
  }
}

function subtreeEnd(m, at) {
  const p = m.pointer(at);
  if (!p) return 0;
  if (p.kind === 'struct') return new Struct(m, p.target, p.dataWords, p.ptrCount).end();
  const l = m.listAt(at);
  let end = l.end;
  if (l.composite) {
    for (let k = 0; k < l.count; ++k) end = Math.max(end, l.element(k).end());
  } else if (l.elementSize === 6) {
    for (let k = 0; k < l.count; ++k) end = Math.max(end, subtreeEnd(m, l.start + k * WORD));
  }
  return end;
}
