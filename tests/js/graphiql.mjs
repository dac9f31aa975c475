// Quiver's GraphiQL page in a real browser (Debian's Chromium, driven by
// playwright-core):
// `node graphiql.mjs <endpoint url> <service token> <email> [<demo user>]`.
//
// Opens the page, waits for the editor, checks the headers editor holds the
// development token and the docs explorer shows the schema, runs a query and
// sees its result (the user <email>), then starts a subscription and sees an
// INSERT event arrive after a write. With a demo user, it then picks them in
// "Sign in as" and sees row rules apply (the users query counts only them),
// and picks the service role again and sees every user. Every request the
// page makes must go to the server itself. Prints one line per step; exits 1
// on the first failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [endpoint, token, email, demoUser] = process.argv.slice(2);
if (!endpoint || !token || !email) {
  console.error('usage: node graphiql.mjs <endpoint url> <service token> <email> [<demo user>]');
  process.exit(2);
}
const origin = new URL(endpoint).origin;
const wsOrigin = origin.replace(/^http/, 'ws');
const step = (what) => console.log(`step: ${what}`);

const profile = mkdtempSync(join(tmpdir(), 'quiver-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const elsewhere = [];
const problems = [];
let failed = false;
try {
  // Generous waits: the suite may share a small machine with many tests.
  context.setDefaultTimeout(60000);
  const page = context.pages()[0] ?? (await context.newPage());
  // Nothing may leave this server: record (and refuse) anything else.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  let subscribeSent;
  const subscribeFrame = new Promise((resolve) => (subscribeSent = resolve));
  page.on('websocket', (ws) => {
    if (!ws.url().startsWith(wsOrigin + '/')) elsewhere.push(ws.url());
    ws.on('framesent', (f) => {
      if (String(f.payload).includes('"subscribe"')) subscribeSent();
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));

  // Find a CodeMirror 5 editor by a CSS selector and read or set its text.
  const editorValue = (selector) =>
    page.evaluate((s) => document.querySelector(s)?.CodeMirror?.getValue() ?? null, selector);
  const setEditor = (selector, text) =>
    page.evaluate(([s, t]) => document.querySelector(s).CodeMirror.setValue(t), [selector, text]);
  const QUERY = '.graphiql-query-editor .CodeMirror';
  const RESULT = '.result-window .CodeMirror';
  const resultShows = (text, timeout) =>
    page.waitForFunction(
      ([s, t]) => (document.querySelector(s)?.CodeMirror?.getValue() ?? '').includes(t),
      [RESULT, text],
      { timeout }
    );

  await page.goto(endpoint, { waitUntil: 'load' });
  await page.waitForSelector(QUERY, { timeout: 60000 });
  step('the query editor is there');

  // The development token is in the headers editor.
  await page.getByRole('button', { name: 'Headers' }).click();
  await page.waitForFunction(() => {
    const editors = [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')];
    return editors.some((e) => (e.CodeMirror?.getValue() ?? '').includes('Bearer '));
  });
  step('the headers editor holds the development token');

  // The docs explorer shows the schema once it is fetched.
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await page.waitForSelector('.graphiql-doc-explorer >> text=QueryRoot', { timeout: 60000 });
  step('the docs explorer shows the schema');

  // A query and its result.
  await setEditor(QUERY, `{ users(filter: { email: { eq: "${email}" } }) { nodes { email } } }`);
  await page.click('.graphiql-execute-button');
  await resultShows(email, 60000).catch(async (e) => {
    throw new Error(`no query result: ${e.message}\nresult window: ${await editorValue(RESULT)}`);
  });
  step(`the query's result shows ${email}`);

  // A subscription, then writes until its first event arrives (the
  // subscription starts on the server a moment after the page sends it).
  await setEditor(QUERY, 'subscription { userChanged(events: [INSERT]) { event new { email } } }');
  await page.click('.graphiql-execute-button');
  await Promise.race([
    subscribeFrame,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no subscribe message was sent')), 60000)),
  ]);
  step('the subscription was sent over the WebSocket');
  let arrived = null;
  for (let n = 1; n <= 30 && !arrived; n++) {
    const written = `sub-${n}-${email}`;
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `mutation { createUser(input: { email: "${written}" }) { id } }` }),
    });
    const body = await res.json();
    if (body.errors) throw new Error(`write failed: ${JSON.stringify(body)}`);
    try {
      await resultShows(written, 1000);
      arrived = written;
    } catch {
      // not yet: write again
    }
  }
  const result = await editorValue(RESULT);
  if (!arrived || !result.includes('"INSERT"')) {
    throw new Error(`no subscription event arrived; result window: ${result}`);
  }
  step(`the subscription's event arrived: INSERT of ${arrived}`);

  if (demoUser) {
    const HEADERS = '.graphiql-editor-tool .CodeMirror';
    const headersText = () =>
      page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.CodeMirror?.getValue() ?? '').join('\n'), HEADERS);
    // Runs `{ users { totalCount } }` and waits for a count other than `previous`.
    const countUsers = async (previous) => {
      // A running subscription turns the execute button into a stop button.
      const stop = page.getByRole('button', { name: 'Stop query (Ctrl-Enter)' });
      if (await stop.count()) {
        await stop.click();
        await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).waitFor();
      }
      await setEditor(QUERY, '{ users { totalCount } }');
      await page.click('.graphiql-execute-button');
      const handle = await page
        .waitForFunction(
          ([s, p]) => {
            const m = /"totalCount": (\d+)\b/.exec(document.querySelector(s)?.CodeMirror?.getValue() ?? '');
            return m && Number(m[1]) !== p ? Number(m[1]) : null;
          },
          [RESULT, previous ?? -1],
          { timeout: 60000 }
        )
        .catch(async (e) => {
          throw new Error(`no users count: ${e.message}\nresult window: ${await editorValue(RESULT)}`);
        });
      return handle.jsonValue();
    };
    const signIn = page.getByLabel('Sign in as');
    if ((await signIn.inputValue()) !== 'service role') throw new Error(`signed in as ${await signIn.inputValue()} at first`);
    const everyone = await countUsers();
    if (!(everyone > 1)) throw new Error(`the service role sees ${everyone} users`);
    const before = await headersText();
    await signIn.selectOption(demoUser);
    await page.waitForFunction(
      ([s, b]) => {
        const text = [...document.querySelectorAll(s)].map((e) => e.CodeMirror?.getValue() ?? '').join('\n');
        return text !== b && text.includes('Bearer ');
      },
      [HEADERS, before]
    );
    step(`the headers editor holds ${demoUser}'s token`);
    const mine = await countUsers(everyone);
    if (mine !== 1) throw new Error(`${demoUser} sees ${mine} users, not only themselves`);
    step(`signed in as ${demoUser}: 1 of ${everyone} users`);
    if (process.env.GRAPHIQL_SCREENSHOT) await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT });
    await signIn.selectOption('service role');
    const again = await countUsers(mine);
    const devToken = await page.evaluate(() => document.getElementById('graphiql').dataset.token);
    if (again !== everyone || !(await headersText()).includes(`Bearer ${devToken}`)) {
      throw new Error(`back as the service role: ${again} users`);
    }
    step(`signed in as the service role again: ${again} users`);
  }
  if (!demoUser && process.env.GRAPHIQL_SCREENSHOT) await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT });

  if (elsewhere.length) throw new Error(`the page loaded from elsewhere: ${elsewhere.join(', ')}`);
  const csp = problems.filter((p) => /Content Security Policy/i.test(p));
  if (csp.length) throw new Error(`the page broke its Content-Security-Policy: ${csp.join('\n')}`);
  step('nothing was loaded from another host');
} catch (e) {
  failed = true;
  console.log(`FAILED: ${e.stack || e}`);
  const page = context.pages()[0];
  if (page) {
    console.log(`result window: ${await page.evaluate(() => document.querySelector('.result-window .CodeMirror')?.CodeMirror?.getValue()).catch(() => '?')}`);
    if (process.env.GRAPHIQL_SCREENSHOT) await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT }).catch(() => {});
  }
  if (problems.length) console.log(`browser console errors:\n${problems.join('\n')}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(failed ? 'graphiql: failed' : 'graphiql: ok');
process.exit(failed ? 1 : 0);
