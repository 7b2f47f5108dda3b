// Drives the server's own GraphiQL page in the system's headless Chromium, as a person would:
// the page renders, its schema introspection passes the query limits (the docs explorer shows
// the root types), and a query typed into the editor and run with the execute button shows its
// data in the result pane. No request may leave the machine (the assets are served by the
// server itself). Every wait has a deadline; on failure it prints the reason and the evidence
// (console, network, page text, a screenshot) and exits 1.
//
// usage: node graphiql-check.mjs --url http://127.0.0.1:PORT/graphql --out DIR [--chromium PATH]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    out: { type: 'string', default: 'target/browser-check' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
    // Per-step deadline: generous, since a cold 2-core machine can be slow, yet bounded.
    'step-timeout-ms': { type: 'string', default: '45000' },
    // Slows the page's CPU N times (DevTools throttling), to try the waits as a slow machine would.
    'cpu-throttle': { type: 'string', default: process.env.BROWSER_CHECK_CPU_THROTTLE || '1' },
  },
});
if (!args.url) {
  console.error('usage: node graphiql-check.mjs --url http://127.0.0.1:PORT/graphql --out DIR');
  process.exit(2);
}
const STEP_MS = Number(args['step-timeout-ms']);
const QUERY = '{ offers(first: 2) { totalCount edges { node { title } } } }';
const pageUrl = new URL(args.url);
mkdirSync(args.out, { recursive: true });
const screenshotPath = join(args.out, 'graphiql.png');

// Evidence gathered along the way, printed when a step fails.
const consoleLines = [];
const externalRequests = [];
const failedRequests = [];
const exchanges = []; // POST /graphql: { operation, status, body }
let step = 'starting';

class CheckFailed extends Error {}
const fail = (reason) => {
  throw new CheckFailed(reason);
};
const log = (line) => console.log(`   ${line}`);
const clip = (text, max) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/**
 * Polls `probe` (async, returns a truthy value when done) until `ms` have passed; on timeout,
 * fails with `what` and what `detail()` says of the last state seen.
 */
async function waitFor(what, ms, probe, detail = () => '') {
  const deadline = Date.now() + ms;
  let lastError = '';
  for (;;) {
    try {
      const done = await probe();
      if (done) return done;
      lastError = '';
    } catch (error) {
      lastError = error.message;
    }
    if (Date.now() > deadline) {
      const seen = lastError || detail();
      fail(`${what} (waited ${ms / 1000} s${seen ? `; ${seen}` : ''})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The text of the CodeMirror editor inside `selector`, as the page shows it. */
const editorText = (page, selector) =>
  page.$eval(selector, (element) => {
    const cm = element.querySelector('.CodeMirror');
    // CodeMirror 5 hangs its instance on its element; the lines are the fallback.
    if (cm && cm.CodeMirror) return cm.CodeMirror.getValue();
    return element.innerText;
  });

async function run(browser) {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.setDefaultNavigationTimeout(STEP_MS);
  await page.setViewport({ width: 1400, height: 900 });
  if (Number(args['cpu-throttle']) > 1) await page.emulateCPUThrottling(Number(args['cpu-throttle']));

  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:', 'about:'].includes(url.protocol) && url.host !== pageUrl.host) {
      externalRequests.push(request.url());
    }
  });
  page.on('requestfailed', (request) =>
    failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
  );
  page.on('response', async (response) => {
    const request = response.request();
    if (response.status() >= 400) {
      failedRequests.push(`${request.method()} ${response.url()}: HTTP ${response.status()}`);
    }
    if (request.method() !== 'POST' || !response.url().startsWith(args.url)) return;
    let operation = 'query';
    try {
      const sent = JSON.parse(request.postData() || '{}');
      operation = sent.operationName || (sent.query || '').replace(/\s+/g, ' ').slice(0, 60);
    } catch {
      // Not JSON: keep the default label.
    }
    const entry = { operation, status: response.status(), body: null };
    exchanges.push(entry);
    try {
      entry.body = await response.text();
    } catch (error) {
      entry.body = `(body unavailable: ${error.message})`;
    }
  });

  step = 'opening the page';
  const response = await page.goto(args.url, { waitUntil: 'domcontentloaded' });
  if (!response || response.status() !== 200) fail(`GET ${args.url} answered ${response?.status()}`);

  step = 'waiting for GraphiQL to render';
  try {
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror');
  } catch {
    fail('GraphiQL did not render (no editor in the page: assets missing or a script error?)');
  }
  log('GraphiQL rendered');

  step = 'waiting for the schema introspection';
  const introspection = await waitFor('GraphiQL sent no schema introspection', STEP_MS, () =>
    exchanges.find((exchange) => exchange.operation === 'IntrospectionQuery' && exchange.body !== null),
  );
  let introspected;
  try {
    introspected = JSON.parse(introspection.body);
  } catch {
    fail(`the introspection answer is not JSON (HTTP ${introspection.status})`);
  }
  if (introspection.status !== 200 || introspected.errors || !introspected.data?.__schema) {
    fail(`the schema introspection was refused (HTTP ${introspection.status}): ${clip(introspection.body, 600)}`);
  }
  const typeCount = introspected.data.__schema.types.length;
  log(`introspection answered: ${typeCount} types`);

  step = 'opening the documentation explorer';
  await page.click('button[aria-label="Show Documentation Explorer"]');
  const rootType = introspected.data.__schema.queryType.name;
  let docs = '';
  await waitFor(
    `the documentation explorer does not show the root type ${rootType}`,
    STEP_MS,
    async () => {
      docs = await page.$eval('.graphiql-doc-explorer', (element) => element.innerText);
      return docs.includes('Root Types') && docs.includes(rootType);
    },
    () => `it shows ${JSON.stringify(clip(docs, 300))}`,
  );
  log(`documentation explorer shows the root type ${rootType}`);

  step = 'typing the query';
  // Focus the editor and select its text through CodeMirror itself (a click lands wherever the
  // layout puts it), then type over the selection: the text arrives as keyboard input.
  await page.$eval('.graphiql-query-editor .CodeMirror', (element) => {
    element.CodeMirror.focus();
    element.CodeMirror.execCommand('selectAll');
  });
  await page.keyboard.sendCharacter(QUERY);
  let inEditor = '';
  await waitFor(
    'the query editor does not hold the typed query',
    STEP_MS,
    async () => {
      inEditor = await editorText(page, '.graphiql-query-editor');
      return inEditor.trim() === QUERY;
    },
    () => `the editor holds ${JSON.stringify(clip(inEditor, 300))}`,
  );
  // GraphiQL takes an edit in 100 ms later (debounced): until then the execute button would
  // still send the old operation name. Its handler saves the query in local storage first.
  await waitFor('GraphiQL did not take in the typed query', STEP_MS, () =>
    page.evaluate((query) => localStorage.getItem('graphiql:query')?.trim() === query, QUERY),
  );
  log(`typed ${inEditor.trim()}`);

  step = 'running the query';
  const before = exchanges.length;
  await page.click('.graphiql-execute-button');
  let pane = '';
  const result = await waitFor(
    'the result pane shows no totalCount',
    STEP_MS,
    async () => {
      pane = await editorText(page, '.graphiql-response');
      return /"totalCount":\s*\d+/.test(pane) && pane;
    },
    () => `the result pane holds ${JSON.stringify(clip(pane, 400))}`,
  );
  const sent = exchanges.slice(before).find((exchange) => exchange.operation !== 'IntrospectionQuery');
  let shown;
  try {
    shown = JSON.parse(result);
  } catch {
    fail(`the result pane does not hold JSON: ${clip(result, 600)}`);
  }
  if (shown.errors) fail(`the query answered errors: ${clip(result, 600)}`);
  const total = shown.data.offers.totalCount;
  const titles = shown.data.offers.edges.map((edge) => edge.node.title);
  if (!(total > 0) || titles.length !== Math.min(2, total)) {
    fail(`unexpected data in the result pane: ${clip(result, 600)}`);
  }
  log(`result pane: totalCount ${total}, titles ${JSON.stringify(titles)} (HTTP ${sent?.status ?? '?'})`);

  step = 'checking that nothing left the machine';
  if (externalRequests.length > 0) {
    fail(`the page asked for addresses other than the server: ${externalRequests.slice(0, 5).join(', ')}`);
  }
  await page.screenshot({ path: screenshotPath });
  log(`screenshot: ${screenshotPath}`);
  return page;
}

async function printEvidence(browser, reason) {
  console.log(`browser check FAILED while ${step}: ${reason}`);
  console.log(`-- browser console (${consoleLines.length} messages, last 30):`);
  for (const line of consoleLines.slice(-30)) console.log(`   ${clip(line, 400)}`);
  console.log(`-- failed requests (${failedRequests.length}):`);
  for (const line of failedRequests.slice(-10)) console.log(`   ${line}`);
  if (externalRequests.length > 0) {
    console.log(`-- requests to other hosts (${externalRequests.length}):`);
    for (const line of externalRequests.slice(0, 10)) console.log(`   ${line}`);
  }
  console.log(`-- GraphQL exchanges (${exchanges.length}):`);
  for (const exchange of exchanges) {
    console.log(`   ${exchange.operation} -> HTTP ${exchange.status}: ${clip(exchange.body ?? '(pending)', 300)}`);
  }
  const page = browser && (await browser.pages().catch(() => [])).at(-1);
  if (!page) {
    console.log('-- no page to show');
    return;
  }
  const withDeadline = (promise) =>
    Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 10000))]);
  try {
    const text = await withDeadline(page.evaluate(() => document.body?.innerText ?? '(no body)'));
    console.log('-- page text (first 1500 chars):');
    console.log(clip(text, 1500).replace(/^/gm, '   '));
    const html = await withDeadline(page.evaluate(() => document.documentElement.outerHTML));
    const domPath = join(args.out, 'graphiql.html');
    writeFileSync(domPath, html);
    console.log(`-- DOM (first 800 chars; whole page in ${domPath}):`);
    console.log(clip(html, 800).replace(/^/gm, '   '));
  } catch (error) {
    console.log(`-- page text unavailable: ${error.message}`);
  }
  try {
    await withDeadline(page.screenshot({ path: screenshotPath }));
    console.log(`-- screenshot: ${screenshotPath}`);
  } catch (error) {
    console.log(`-- screenshot unavailable: ${error.message}`);
  }
}

let browser;
let status = 0;
try {
  step = `starting ${args.chromium}`;
  browser = await puppeteer.launch({
    executablePath: args.chromium,
    headless: true,
    timeout: STEP_MS,
    protocolTimeout: STEP_MS,
    // As root in a container there is no sandbox to use; the other flags keep Chromium from
    // reaching for a network that is not there (update checks, sync, field trials).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  log(`browser: ${await browser.version()}`);
  await run(browser);
  console.log('== browser check passed: GraphiQL renders offline, introspects the schema and runs a query');
} catch (error) {
  status = 1;
  await printEvidence(browser, error instanceof CheckFailed ? error.message : error.stack || String(error));
} finally {
  if (browser) await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
}
process.exit(status);
