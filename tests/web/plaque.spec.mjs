// The plaque check page (node/web/) in headless Chromium, against a running hreg-node.
//   node tests/web/plaque.spec.mjs API_PORT OUT_DIR
// Run by hreg-web-test (tests/web/plaque-page-test.cpp), which starts the Xinzhou chain of the demo
// federation and records, at the county (API_PORT), a workshop under joint review (140902001-W-0001,
// its application and preliminary review in the township's log, a finding in the county's) and a
// certified one (140902-W-0001, a legacy import), then, on 2026-04-03, the county's quarterly report of
// 2026Q1 (9 jobs, 6 for poverty-alleviated workers). Checks, in the browser: the C++ test vector of
// docs/formats.md "Entries"; both workshops verified with their status in Chinese and English; a plaque
// QR payload; each log's record said complete up to its checkpoint, with its cosigners; tampered
// answers refused, naming what failed (a decision left out of both its extract and the list, and a
// whole log left out, by the completeness check against the subject maps); a plaque number typed in
// (resolved by the node, then checked by the browser against the proven record), and another
// workshop's genuine bundle served for it refused; the route and age row, and the stale warning (an
// intercepted answer with `stale` and `cachedBy` set: the county answers from its own logs, fresh); the
// statistics chart and table; the replication tree. Screenshots go to OUT_DIR. Exits 0 when every
// check held, 1 otherwise.
import {chromium} from 'playwright-core';
import {readFileSync, mkdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const [port, outDir] = process.argv.slice(2);
if (!port || !outDir) {
  console.error('usage: node plaque.spec.mjs API_PORT OUT_DIR');
  process.exit(2);
}
mkdirSync(outDir, {recursive: true});
const base = `http://127.0.0.1:${port}`;
const here = dirname(fileURLToPath(import.meta.url));
const vector = Object.fromEntries(readFileSync(join(here, '../vectors/hreg-entry-example.txt'), 'utf8').split('\n')
  .filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));

const UNDER_REVIEW = '140902001-W-0001';
const CERTIFIED = '140902-W-0001';
const PLAQUE = '忻府非遗工坊-2026-001';
const TIMEOUT = 20000;

let failures = 0;
function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail && !ok ? `: ${detail}` : ''}`);
  if (!ok) ++failures;
}

const browser = await chromium.launch({executablePath: process.env.HREG_CHROMIUM ?? '/usr/bin/chromium',
                                       args: ['--no-sandbox']});
const context = await browser.newContext({viewport: {width: 1100, height: 900}, locale: 'zh-CN'});
const page = await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));

// verdictOf opens the page on `id` (or submits `typed`), waits until the check has ended and returns
// the verdict, the status and the failed checks.
async function verdictOf(id) {
  await page.goto(`${base}/plaque?id=${encodeURIComponent(id)}`);
  return settled();
}

async function settled() {
  await page.waitForSelector('#verdict[data-verdict="verified"], #verdict[data-verdict="refused"], #verdict[data-verdict="not-found"]',
                             {timeout: TIMEOUT});
  return page.evaluate(() => ({
    verdict: document.getElementById('verdict').dataset.verdict,
    text: document.getElementById('verdict').textContent,
    status: document.getElementById('status')?.textContent ?? '',
    summary: document.getElementById('summary').textContent,
    failed: [...document.querySelectorAll('#checks li.failed')].map((li) => ({check: li.dataset.check, text: li.textContent})),
    passed: [...document.querySelectorAll('#checks li.ok')].map((li) => li.dataset.check),
    history: document.querySelectorAll('#history tbody tr').length,
    notChecked: document.querySelectorAll('#not-checked li').length,
  }));
}

try {
  // 1. The C++ test vector (docs/formats.md, "Entries"), checked by the page's own modules in Chromium.
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]', {timeout: TIMEOUT});
  const v = await page.evaluate(async (vec) => {
    const {parseEntry, signingMessage} = await import('/web/records.js');
    const {hex, fromHex, leafHash, ed25519Verify, parseNote, parseCheckpoint} = await import('/web/verify.js');
    const e = parseEntry(fromHex(vec.entry));
    const message = signingMessage(e);
    const note = new TextDecoder().decode(fromHex(vec.cosigned_checkpoint_hex));
    return {
      signingMessage: hex(message) === vec.signing_message,
      leafHash: hex(await leafHash(fromHex(vec.entry))) === vec.leaf_hash,
      signature: e.signatures.length === 1 && hex(e.signatures[0].keyId) === vec.leader_key &&
                 await ed25519Verify(e.signatures[0].keyId, e.signatures[0].signature, message),
      wrongSignature: await ed25519Verify(e.signatures[0].keyId, e.signatures[0].signature, message.slice(1)),
      grant: `${e.kind} ${e.record.person} ${e.record.department} ${e.record.roles.join(',')} ${hex(e.record.key)} ${e.time} ${e.sequencedAt} ${e.origin}`,
      checkpoint: parseCheckpoint(parseNote(note).text).size,
    };
  }, vector);
  check(v.signingMessage, 'canonical(Decision) cut from the entry in JS is the C++ signing message');
  check(v.leafHash, 'the leaf hash computed with WebCrypto is the C++ one');
  check(v.signature && !v.wrongSignature, 'the leader\'s Ed25519 signature verifies in crypto.subtle, and not over other bytes');
  check(v.grant === `grant 张伟 culture reviewer ${vector.official_key} 1795392000 1795395600 hreg.example/140902`,
        'the grant record reads as the C++ wrote it', v.grant);
  check(v.checkpoint === 1, 'the worked checkpoint parses');

  // 2. A genuine answer: the workshop under joint review, verified, its status in both languages.
  let r = await verdictOf(UNDER_REVIEW);
  check(r.verdict === 'verified', 'the genuine bundle of 140902001-W-0001 is verified', r.text);
  check(r.text.includes('已核验') && r.text.includes('Verified'), 'the verdict is said in Chinese and English', r.text);
  check(r.status.includes('联合评审中') && r.status.includes('under joint review'), 'status: 联合评审中 · under joint review', r.status);
  for (const c of ['checkpoint', 'inclusion', 'signature', 'authority', 'subject', 'completeness'])
    check(r.passed.includes(c), `the page says it checked: ${c}`, r.passed.join(','));
  check(r.history === 3, 'the history shows the three decisions', String(r.history));
  check(r.text.includes('完整') && r.text.includes('complete up to each log\'s checkpoint'),
        'the verdict says, in Chinese and English, that the record is complete up to each log\'s checkpoint', r.text);
  const complete = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#complete li')].map((li) => [
    li.dataset.origin, {size: li.dataset.size, text: li.textContent}])));
  const townshipHeld = await (await fetch(`${base}/v1/log?origin=${encodeURIComponent('hreg.example/140902001')}`)).json();
  check(['hreg.example/root', 'hreg.example/14', 'hreg.example/1409', 'hreg.example/140902', 'hreg.example/140902001']
          .every((o) => complete[o]), 'the record is said complete for each log from the root to the township', JSON.stringify(complete));
  const townshipLine = complete['hreg.example/140902001'] ?? {size: '', text: ''};
  check(townshipLine.size === String(townshipHeld.size) && townshipLine.text.includes(`截至含 ${townshipHeld.size} 条记录的检查点完整`) &&
        townshipLine.text.includes(`complete up to its checkpoint of size ${townshipHeld.size}`),
        'the township\'s record is complete up to its checkpoint, its size said in both languages', JSON.stringify(townshipLine));
  check(/由 hreg\.example\/(140902|1409|14|root)/.test(townshipLine.text) && townshipLine.text.includes('副署') &&
        /cosigned by hreg\.example\/(140902|1409|14|root) at 2026-/.test(townshipLine.text),
        'and says who cosigned that checkpoint', townshipLine.text);
  check((complete['hreg.example/root']?.text ?? '').includes('the root log: no parent cosigns it'),
        'the root log is said to have no parent to cosign it', complete['hreg.example/root']?.text);
  check(r.notChecked >= 3, 'the page lists what it did not check');
  // How the answer came, said always, as the nodes on the route report it: the county made it itself.
  const how = await page.evaluate(() => ({
    route: document.getElementById('route')?.textContent ?? '', cached: document.getElementById('route')?.dataset.cached,
    age: document.getElementById('age')?.textContent ?? '', stale: document.getElementById('stale').hidden,
  }));
  check(how.route.includes('据途经节点所报') && how.route.includes('as the nodes on the route report it') &&
        how.route.includes('hreg.example/140902') && how.route.includes('not from a cache') && how.cached === 'false',
        'the route row names the node that answered, the route and that no cache served it, in both languages', how.route);
  check(/截至 2026-.*距今/.test(how.age) && /as of 2026-.* old by the answering node's clock/.test(how.age),
        'the age row says as of which cosigned time and how old, in both languages', how.age);
  check(await page.locator('#route').isVisible() && await page.locator('#age').isVisible() && how.stale,
        'the route and age rows are visible, and no stale warning', JSON.stringify(how));
  await page.locator('#check').screenshot({path: join(outDir, 'plaque-check.png')});
  await page.click('button[data-lang="en"]');
  check(await page.locator('#status span[lang="zh"]').isHidden() && await page.locator('#status span[lang="en"]').isVisible(),
        'the language switch shows English alone');
  await page.click('button[data-lang="both"]');

  // 3. The certified workshop, by its plaque's QR payload (docs/formats.md, "Plaque QR payload").
  r = await verdictOf(CERTIFIED);
  check(r.verdict === 'verified', 'the genuine bundle of 140902-W-0001 is verified', r.text);
  check(r.status.includes('已认定') && r.status.includes('certified'), 'status: 已认定 · certified', r.status);
  check(r.summary.includes('忻府非遗工坊-2026-001'), 'the plaque number is shown', r.summary);
  const county = await (await fetch(`${base}/v1/log?origin=${encodeURIComponent('hreg.example/140902')}`)).json();
  const payload = `hreg-plaque/v1\n${CERTIFIED}\ncertified\n${county.checkpoint}`;
  await page.goto(`${base}/`);
  await page.fill('#query', payload);
  await page.click('#check-button');
  r = await settled();
  check(r.verdict === 'verified' && r.passed.includes('plaque'), 'a pasted plaque payload is checked against the answer', JSON.stringify(r.failed));
  await page.fill('#query', payload.replace('\ncertified\n', '\nrectification\n'));
  await page.click('#check-button');
  r = await settled();
  check(r.summary.includes('out of date'), 'a plaque whose stage differs is called out of date', r.summary);
  await page.fill('#query', payload.replace(/ (\S)(\S+)\n$/, (m, a, rest) => ` ${a === 'A' ? 'B' : 'A'}${rest}\n`));
  await page.click('#check-button');
  r = await settled();
  check(r.failed.some((f) => f.check === 'plaque'), 'a plaque with a forged checkpoint signature is refused', JSON.stringify(r.failed));

  // 3b. The certified workshop by its plaque number: the node resolves it, the browser checks that the
  // proven record gives that number.
  await page.goto(`${base}/`);
  await page.fill('#query', PLAQUE);
  await page.click('#check-button');
  r = await settled();
  check(r.verdict === 'verified' && r.passed.includes('plaque-number'), 'a typed plaque number shows the verified record',
        `${r.text} ${JSON.stringify(r.failed)}`);
  check(r.summary.includes(CERTIFIED) && r.status.includes('已认定') && r.status.includes('certified'),
        'it is the certified workshop, its status in both languages', r.summary);
  const resolved = await page.locator('#resolved').textContent();
  check(resolved.includes(`节点将牌匾号 ${PLAQUE} 解析为 ${CERTIFIED}`) && resolved.includes(`resolved plaque number ${PLAQUE} to ${CERTIFIED}`),
        'the page says the node resolved the number, and that the browser checked it', resolved);
  check(page.url().endsWith(`/plaque?plaque=${encodeURIComponent(PLAQUE)}`), 'the address names the plaque number', page.url());
  await page.locator('#check').screenshot({path: join(outDir, 'plaque-number.png')});
  const errorsBefore = pageErrors.length;
  await page.fill('#query', '忻府非遗工坊-2099-999');
  await page.click('#check-button');
  r = await settled();
  // Chromium logs the 404 itself as a console error: expected here, and nothing else.
  pageErrors.push(...pageErrors.splice(errorsBefore).filter((m) => !m.includes('status of 404')));
  check(r.verdict === 'not-found' && r.text.includes('cannot resolve plaque number') && r.text.includes('hreg.example/root'),
        'a plaque number no record names: not found, naming the nodes that can resolve one', r.text);
  // A node answering the plaque number with another workshop's genuine bundle: every proof holds, but
  // the proven record does not give that number.
  await page.route('**/v1/subject?plaque=*', async (route) => {
    const response = await route.fetch({url: `${base}/v1/subject?id=${encodeURIComponent(UNDER_REVIEW)}`});
    const other = await response.json();
    other.resolvedFrom = {plaque: PLAQUE, subject: UNDER_REVIEW, origin: 'hreg.example/140902001', index: 0, decidedAt: 0, earlier: []};
    await route.fulfill({response, json: other});
  });
  await page.goto(`${base}/plaque?plaque=${encodeURIComponent(PLAQUE)}`);
  r = await settled();
  await page.unrouteAll();
  check(r.verdict === 'refused' && r.failed[0]?.check === 'plaque-number' && r.failed[0].text.includes(UNDER_REVIEW),
        'another workshop\'s genuine bundle for the plaque number is refused, naming the plaque number',
        `${r.text} ${JSON.stringify(r.failed)}`);
  check(!r.status, 'and no status is shown', r.status);
  await page.locator('#check').screenshot({path: join(outDir, 'plaque-number-refused.png')});

  // 3c. A stale answer from a cache: the county answers fresh from its own logs, so the test sets the
  // unsigned lookup fields itself; the bundle is untouched and still verifies.
  await page.route('**/v1/subject?*', async (route) => {
    const response = await route.fetch();
    const answer = await response.json();
    answer.route = ['hreg.example/140902', 'hreg.example/1409'];
    answer.cached = true;
    answer.cachedBy = 'hreg.example/1409';
    answer.stale = {lags: [{origin: 'hreg.example/140902001', held: 3, announced: 5, behind: 2, announcedAt: answer.answeredAt - 40,
                            secondsBehind: 40}],
                    detail: 'the parent could not confirm them: hreg.example/14 did not answer within 8500 ms (unavailable)'};
    await route.fulfill({response, json: answer});
  });
  r = await verdictOf(UNDER_REVIEW);
  await page.unrouteAll();
  const stale = await page.evaluate(() => ({hidden: document.getElementById('stale').hidden,
                                            text: document.getElementById('stale').textContent,
                                            route: document.getElementById('route')?.textContent ?? ''}));
  check(r.verdict === 'verified', 'a stale answer still verifies', r.text);
  check(!stale.hidden && await page.locator('#stale').isVisible() && stale.text.includes('注意') && stale.text.includes('Warning') &&
        stale.text.includes('hreg.example/140902001') && stale.text.includes('2 behind the 5 announced') &&
        stale.text.includes('did not answer within 8500 ms'),
        'the stale warning is visible, in both languages, with each lagging copy and why', JSON.stringify(stale));
  check(stale.route.includes('来自 hreg.example/1409 的缓存') && stale.route.includes('from the cache of hreg.example/1409') &&
        stale.route.includes('hreg.example/140902 → hreg.example/1409'),
        'the route row says which cache served it and the route', stale.route);
  await page.locator('#check').screenshot({path: join(outDir, 'plaque-stale.png')});

  // 4. Tampered answers, served through route interception: each refused, naming what failed.
  const tamper = async (name, change, expectCheck, expectText) => {
    await page.route('**/v1/subject?*', async (route) => {
      const response = await route.fetch();
      const bundle = await response.json();
      change(bundle);
      await route.fulfill({response, json: bundle});
    });
    r = await verdictOf(UNDER_REVIEW);
    await page.unrouteAll();
    const failed = r.failed[0] ?? {check: '', text: ''};
    check(r.verdict === 'refused' && r.text.includes('拒绝') && r.text.includes('Refused'), `${name}: refused`, r.text);
    check(failed.check === expectCheck && failed.text.includes(expectText), `${name}: the refusal names ${expectCheck}`,
          `${failed.check}: ${failed.text}`);
    check(!r.status, `${name}: no status is shown`, r.status);
    return r;
  };
  const township = (b) => b.logs.find((l) => l.origin === 'hreg.example/140902001');
  const listed = (b) => township(b).entries.find((e) => e.index === b.decisions.find((d) => d.origin === 'hreg.example/140902001').index);
  const flipByte = (base64, at) => {
    const bytes = Buffer.from(base64, 'base64');
    bytes[at(bytes.length)] ^= 0x20;
    return bytes.toString('base64');
  };
  const flipSubject = (base64) => {
    const bytes = Buffer.from(base64, 'base64');
    bytes[bytes.indexOf(UNDER_REVIEW) + 3] ^= 0x01;  // "140902001-…" becomes "140802001-…"
    return bytes.toString('base64');
  };
  await tamper('one byte of an entry', (b) => { listed(b).entry = flipSubject(listed(b).entry); },
               'inclusion', 'entry');
  await page.locator('#check').screenshot({path: join(outDir, 'plaque-refused.png')});
  await tamper('an official\'s signature', (b) => { listed(b).entry = flipByte(listed(b).entry, (n) => n - 10); },
               'inclusion', 'does not verify');
  await tamper('a proof hash', (b) => {
    const e = township(b).entries.find((x) => x.proof.length > 0);
    e.proof[0] = (e.proof[0][0] === '0' ? '1' : '0') + e.proof[0].slice(1);
  }, 'inclusion', 'does not lead to the checkpoint');
  await tamper('the checkpoint\'s signature', (b) => {
    township(b).checkpoint = township(b).checkpoint.replace(/ (\S)(\S{20})/, (m, a, rest) => ` ${a === 'A' ? 'B' : 'A'}${rest}`);
  }, 'checkpoint', 'hreg.example/140902001');
  await tamper('a hidden decision', (b) => { b.decisions = b.decisions.slice(1); }, 'subject', 'hides a decision');
  // A decision hidden from both the township's extract and the list (as a revocation could be): every
  // proof left holds, only the township's subject map says what is missing.
  await tamper('a decision left out of its extract and of the list', (b) => {
    const t = township(b);
    const hidden = Math.max(...b.decisions.filter((d) => d.origin === t.origin).map((d) => d.index));
    t.entries = t.entries.filter((e) => e.index !== hidden);
    b.decisions = b.decisions.filter((d) => !(d.origin === t.origin && d.index === hidden));
  }, 'completeness', 'hreg.example/140902001');
  await page.locator('#check').screenshot({path: join(outDir, 'plaque-incomplete.png')});
  await tamper('a whole log left out', (b) => {
    b.logs = b.logs.filter((l) => l.origin !== 'hreg.example/140902001');
    b.decisions = b.decisions.filter((d) => d.origin !== 'hreg.example/140902001');
  }, 'completeness', 'no extract of hreg.example/140902001');
  await tamper('a subject map proof', (b) => {
    const m = township(b).map.subject;
    if (m.siblings.length > 0) m.siblings[0] = (m.siblings[0][0] === '0' ? '1' : '0') + m.siblings[0].slice(1);
    else m.leaf = m.leaf ? null : {key: '00'.repeat(32), count: 1, newest: 0, chain: '00'.repeat(32)};
  }, 'completeness', 'hreg.example/140902001');

  // 5. The region's statistics: chart and table.
  await page.goto(`${base}/?region=140902&quarter=2026Q2#statistics`);
  await page.waitForSelector('#stats-out[data-state="shown"], #stats-out[data-state="failed"]', {timeout: TIMEOUT});
  const stats = await page.evaluate(() => ({
    state: document.getElementById('stats-out').dataset.state,
    bars: document.querySelectorAll('#stats-svg rect.bar-stage').length,
    jobs: document.querySelectorAll('#stats-svg rect.bar-jobs').length,
    row: Object.fromEntries([...document.querySelectorAll('#stats-table thead th')].map((th, i) => [
      th.querySelector('[lang="en"]').textContent,
      document.querySelectorAll('#stats-table tr[data-quarter="2026Q1"] td')[i]?.textContent])),
    head: document.querySelector('#stats-table thead')?.textContent ?? '',
  }));
  check(stats.state === 'shown', 'the statistics are shown');
  check(stats.bars >= 2 && stats.jobs === 4, 'the chart draws stages and jobs per quarter', JSON.stringify(stats));
  check(stats.head.includes('已认定') && stats.head.includes('Jobs') && stats.head.includes('联合评审中'),
        'the table heads are bilingual', stats.head);
  // Jobs are the quarterly reports' (GET /v1/report sums them): the county's report of 2026Q1.
  check(stats.row['Certified'] === '1' && stats.row['certified, county'] === '1' && stats.row['under joint review'] === '1' &&
        stats.row['Jobs'] === '9' && stats.row['Poverty-alleviated jobs'] === '6' && stats.row['Report due'] === '2026-04-08',
        'the 2026Q1 row: one certified (county level), one under joint review, the county\'s report of 9 jobs, 6 for ' +
        'poverty-alleviated workers, due 2026-04-08',
        JSON.stringify(stats.row));
  await page.locator('#statistics').screenshot({path: join(outDir, 'statistics.png')});

  // 6. The replication tree of the county's subtree.
  await page.waitForSelector('#replication-tree[data-state="shown"], #replication-tree[data-state="failed"]', {timeout: TIMEOUT});
  const tree = await page.evaluate(() => ({
    state: document.getElementById('replication-tree').dataset.state,
    nested: !!document.querySelector('li[data-origin="hreg.example/root"] li[data-origin="hreg.example/14"] ' +
                                      'li[data-origin="hreg.example/1409"] li[data-origin="hreg.example/140902"] ' +
                                      'li[data-origin="hreg.example/140902001"]'),
    township: document.querySelector('li[data-origin="hreg.example/140902001"]')?.dataset.state,
    cosigned: document.querySelector('li[data-origin="hreg.example/140902001"] > .cosigned')?.textContent ?? '',
  }));
  check(tree.state === 'shown' && tree.nested, 'the logs are nested root > 14 > 1409 > 140902 > 140902001', JSON.stringify(tree));
  check(tree.township === 'ok' && /cosigned by hreg\.example\/(140902|1409|14|root) at 2026-/.test(tree.cosigned),
        'the township\'s log shows its newest cosignature (the county\'s or one above)', JSON.stringify(tree));
  await page.locator('#replication').screenshot({path: join(outDir, 'replication.png')});
  await page.screenshot({path: join(outDir, 'page.png'), fullPage: true});

  check(pageErrors.length === 0, 'no script errors on the page', pageErrors.join(' | '));
} catch (e) {
  check(false, 'the run ended early', e.stack);
} finally {
  await browser.close();
}
console.log(`screenshots: ${outDir}/plaque-check.png ${outDir}/plaque-number.png ${outDir}/plaque-number-refused.png ${outDir}/plaque-stale.png ${outDir}/plaque-refused.png ${outDir}/plaque-incomplete.png ${outDir}/statistics.png ${outDir}/replication.png ${outDir}/page.png`);
process.exit(failures === 0 ? 0 : 1);
