#!/usr/bin/env node
// Peer measurement for hreg's replication benchmark (docs/performance.md):
// how fast does Hypercore copy a whole signed append-only log from one
// on-disk core to another over a real loopback TCP connection?
//
//   node replicate.mjs [--blocks N] [--size S] [--batch B] [--timeout SECONDS] [--in-process]
//
// The writer runs in a child process of its own (as a real peer would), the
// reader in this one; --in-process runs both on this process's one event loop.
// Prints one JSON line on stdout; anything else goes to stderr.
// Exits 1 (with a message on stderr) on any failure, 2 on bad arguments.

import crypto from 'node:crypto'
import { fork } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import Hypercore from 'hypercore'

const require = createRequire(import.meta.url)
const HYPERCORE_VERSION = require('hypercore/package.json').version
const WRITER_ROLE = '--writer-role' // internal: argv[2] of the forked writer

function usage (msg) {
  if (msg) console.error(`replicate.mjs: ${msg}`)
  console.error('usage: node replicate.mjs [--blocks N] [--size BYTES] [--batch B] [--timeout SECONDS] [--in-process]')
  process.exit(2)
}

function parseArgs (argv) {
  const opts = { blocks: 200000, size: 600, batch: 1000, timeout: 600, inProcess: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-h' || arg === '--help') usage()
    if (arg === '--in-process') { opts.inProcess = true; continue }
    const name = arg.replace(/^--/, '')
    if (!arg.startsWith('--') || !(name in opts)) usage(`unknown argument ${arg}`)
    const value = Number(argv[++i])
    if (!Number.isSafeInteger(value) || value <= 0) usage(`--${name} needs a positive integer`)
    opts[name] = value
  }
  return opts
}

const now = () => process.hrtime.bigint()

// Rejects after `seconds`, so a stalled replication fails instead of hanging.
function deadline (seconds, what) {
  let timer
  const promise = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${seconds} s`)), seconds * 1000)
  })
  return { promise, cancel: () => clearTimeout(timer) }
}

// ---------------------------------------------------------------------------
// Writer: a fresh core (new Ed25519 key pair) in `dir`, filled with `blocks`
// random blocks, then served on an ephemeral 127.0.0.1 port.
async function startWriter ({ dir, blocks, size, batch }) {
  const core = new Hypercore(dir)
  await core.ready()

  // Append in batches of `batch` blocks: one append call = one storage write
  // and one Ed25519 signature over the new Merkle tree root. Only the append
  // calls are timed, not the generation of the random content.
  let appendNs = 0n
  for (let done = 0; done < blocks; done += batch) {
    const n = Math.min(batch, blocks - done)
    const buf = crypto.randomBytes(n * size)
    const list = []
    for (let j = 0; j < n; j++) list.push(buf.subarray(j * size, (j + 1) * size))
    const t = now()
    await core.append(list)
    appendNs += now() - t
  }
  if (core.length !== blocks) throw new Error(`writer has ${core.length} blocks, expected ${blocks}`)

  // Each connection gets its own replication stream (Noise-encrypted,
  // multiplexed); keepAlive is off so no timers linger once the copy is done.
  const conns = new Set()
  let closing = false
  const server = net.createServer((conn) => {
    conns.add(conn)
    conn.on('close', () => conns.delete(conn))
    const stream = core.replicate(false, { keepAlive: false })
    const onError = (err) => { if (!closing) console.error(`replicate.mjs: writer stream error: ${err.message}`) }
    conn.on('error', onError)
    stream.on('error', onError)
    conn.pipe(stream).pipe(conn)
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })

  return {
    key: core.key,
    port: server.address().port,
    appendSeconds: Number(appendNs) / 1e9,
    treeHash: () => core.treeHash(),
    get: (i) => core.get(i, { wait: false }),
    async close () {
      closing = true
      for (const conn of conns) conn.destroy()
      await new Promise((resolve) => server.close(() => resolve()))
      await core.close()
    }
  }
}

// Child-process side: start the writer, report key/port over IPC, answer the
// parent's check requests, and close when told to.
async function writerChild () {
  const writer = await startWriter(JSON.parse(process.argv[3]))
  process.on('message', async (msg) => {
    try {
      if (msg.op === 'check') {
        const blocks = await Promise.all(msg.indices.map((i) => writer.get(i)))
        process.send({ op: 'check', treeHash: (await writer.treeHash()).toString('hex'), blocks: blocks.map((b) => b && b.toString('hex')) })
      } else if (msg.op === 'close') {
        await writer.close()
        process.disconnect()
      }
    } catch (err) {
      console.error(`replicate.mjs: writer failed: ${err.stack || err}`)
      process.exit(1)
    }
  })
  process.send({ op: 'ready', key: writer.key.toString('hex'), port: writer.port, appendSeconds: writer.appendSeconds })
}

// Parent-side handle on a forked writer, with the same shape as startWriter's.
async function forkWriter (opts) {
  const child = fork(fileURLToPath(import.meta.url), [WRITER_ROLE, JSON.stringify(opts)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let exited = false
  const waiters = []
  const fail = (err) => { while (waiters.length) waiters.shift().reject(err) }
  child.on('message', (msg) => { if (waiters.length) waiters.shift().resolve(msg) })
  child.on('error', fail)
  child.on('exit', (code, signal) => {
    exited = true
    fail(new Error(`writer process exited early (code ${code}, signal ${signal})`))
  })
  const next = () => new Promise((resolve, reject) => waiters.push({ resolve, reject }))
  const request = (msg) => { const p = next(); child.send(msg); return p }

  const ready = await next()
  return {
    key: Buffer.from(ready.key, 'hex'),
    port: ready.port,
    appendSeconds: ready.appendSeconds,
    check: async (indices) => {
      const r = await request({ op: 'check', indices })
      return { treeHash: Buffer.from(r.treeHash, 'hex'), blocks: r.blocks.map((h) => h && Buffer.from(h, 'hex')) }
    },
    async close () {
      if (exited) return
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.send({ op: 'close' })
      await gone
    },
    kill: () => { if (!exited) child.kill() }
  }
}

// ---------------------------------------------------------------------------
async function main () {
  const { blocks, size, batch, timeout, inProcess } = parseArgs(process.argv.slice(2))
  const writerDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hreg-hc-writer-'))
  const readerDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hreg-hc-reader-'))
  let writer = null
  let reader = null
  let socket = null

  try {
    const writerOpts = { dir: writerDir, blocks, size, batch }
    if (inProcess) {
      const w = await startWriter(writerOpts)
      writer = { ...w, check: async (indices) => ({ treeHash: await w.treeHash(), blocks: await Promise.all(indices.map(w.get)) }) }
    } else {
      writer = await forkWriter(writerOpts)
    }

    // Reader: an empty core in another directory that knows only the key.
    reader = new Hypercore(readerDir, writer.key)
    await reader.ready()

    // --- Timed region: connect, download every block, stored and verified. ---
    let finished = false // errors from tearing the streams down afterwards are expected
    const limit = deadline(timeout, 'replication')
    const t0 = now()
    const streamFailed = new Promise((resolve, reject) => {
      const onError = (err) => { if (!finished) reject(err) }
      socket = net.connect(writer.port, '127.0.0.1')
      socket.on('error', onError)
      const stream = reader.replicate(true, { keepAlive: false })
      stream.on('error', onError)
      socket.pipe(stream).pipe(socket)
    })
    // The range resolves once every block in it has been received, checked
    // against the writer's signed Merkle tree, and flushed to the reader's
    // storage (the bitfield is only updated after the storage flush).
    const range = reader.download({ start: 0, end: blocks })
    try {
      await Promise.race([range.done(), limit.promise, streamFailed])
    } finally {
      limit.cancel()
    }
    const seconds = Number(now() - t0) / 1e9
    finished = true

    // --- Untimed checks that the copy is complete and identical. ---
    if (reader.contiguousLength !== blocks) {
      throw new Error(`reader holds ${reader.contiguousLength} contiguous blocks, expected ${blocks}`)
    }
    if (reader.byteLength !== blocks * size) {
      throw new Error(`reader byteLength ${reader.byteLength}, expected ${blocks * size}`)
    }
    const indices = [0, Math.floor(blocks / 2), blocks - 1]
    const expected = await writer.check(indices)
    if (!expected.treeHash.equals(await reader.treeHash())) {
      throw new Error('reader Merkle tree hash differs from the writer\'s')
    }
    for (let k = 0; k < indices.length; k++) {
      const got = await reader.get(indices[k], { wait: false })
      if (!got || !expected.blocks[k] || !got.equals(expected.blocks[k])) {
        throw new Error(`block ${indices[k]} differs between writer and reader`)
      }
    }

    const round = (x, d) => Number(x.toFixed(d))
    console.log(JSON.stringify({
      system: 'hypercore',
      version: HYPERCORE_VERSION,
      blocks,
      block_bytes: size,
      seconds: round(seconds, 3),
      blocks_per_second: Math.round(blocks / seconds),
      mb_per_second: round((blocks * size) / 1e6 / seconds, 2), // MB = 10^6 bytes of block payload
      append_blocks_per_second: Math.round(blocks / writer.appendSeconds),
      append_batch: batch,
      writer: inProcess ? 'same-process' : 'child-process'
    }))
  } finally {
    // Tear down in order: connection, cores, then the directories.
    if (socket) socket.destroy()
    if (reader) await reader.close().catch(() => {})
    if (writer) await writer.close().catch(() => writer.kill && writer.kill())
    await fs.rm(writerDir, { recursive: true, force: true })
    await fs.rm(readerDir, { recursive: true, force: true })
  }
}

if (process.argv[2] === WRITER_ROLE) {
  writerChild().catch((err) => {
    console.error(`replicate.mjs: writer failed: ${err.stack || err}`)
    process.exit(1)
  })
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(`replicate.mjs: hypercore replication benchmark failed: ${err && err.stack ? err.stack : err}`)
      process.exit(1)
    }
  )
}
