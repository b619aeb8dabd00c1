/**
 * End to end, as a reporter and a caseworker would use it: the real server (`npm start`'s
 * entry point) on a temp database, the real page in headless Chromium, and the real
 * caseworker CLI. A tip goes in through buttons and typing; its case code is shown; the
 * caseworker's reply appears live; a reload keeps everything; Chinese stays Chinese.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { CASE_CODE_RE, listCases, PNG_1x1, ROOT, runCli, startServer, tempDir, type RunningServer } from '../helpers/server.ts';

type Strings = Record<string, unknown>;
const bundles = new Map<string, Strings>();
function bundle(locale: string, ns: 'bot' | 'webchat'): Strings {
  const key = `${locale}/${ns}`;
  if (!bundles.has(key)) bundles.set(key, JSON.parse(readFileSync(path.join(ROOT, 'locales', locale, `${ns}.json`), 'utf8')) as Strings);
  return bundles.get(key)!;
}
/** A translation, from the product's own locale files. */
function tr(locale: string, key: string, ns: 'bot' | 'webchat' = 'bot'): string {
  let v: unknown = bundle(locale, ns);
  for (const part of key.split('.')) v = (v as Strings)[part];
  if (typeof v !== 'string') throw new Error(`no string ${locale}/${ns}:${key}`);
  return v;
}
/** The fixed part of a translation before its first placeholder: what a page must show. */
const stem = (s: string) => s.split('{{')[0]!.trim();

/** Three or more English words in a row: an English string leaking into a Chinese page. */
const ENGLISH_RUN = /[A-Za-z]{2,}(?:[\s,.'’-]+[A-Za-z]{2,}){2,}/;
/** Case codes (TL-KQ7M-XDPA) are identifiers, not English: taken out before the check. */
const CODE_IN_TEXT = /TL-[0-9A-Z]{4}-[0-9A-Z]{4}/g;

let server: RunningServer;
let browser: Browser;
const shotsDir = tempDir('tipline-shots-');

beforeAll(async () => {
  // Assigned one by one, so afterAll can stop whichever started if the other failed.
  const launching = launchBrowser().then((b) => (browser = b));
  const starting = startServer().then((s) => (server = s));
  const results = await Promise.allSettled([launching, starting]);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  rmSync(shotsDir, { recursive: true, force: true });
});

const msgs = (page: Page) => page.locator('[data-testid=msg]');
const botMsg = (page: Page, text: string) => page.locator('[data-testid=msg][data-from=bot]', { hasText: text }).last();

/** Waits for a bot message containing `text`. */
async function expectBot(page: Page, text: string, timeout = 10_000): Promise<void> {
  await botMsg(page, text).waitFor({ state: 'visible', timeout });
}

/** Clicks the live button `id` (only the newest bot message's buttons are enabled). */
async function press(page: Page, id: string): Promise<void> {
  const btn = page.locator(`[data-testid=choice][data-choice-id="${id}"]:enabled`).last();
  await btn.waitFor({ state: 'visible', timeout: 10_000 });
  await btn.click();
}

async function type(page: Page, text: string, how: 'enter' | 'button'): Promise<void> {
  const box = page.getByTestId('composer');
  await box.fill(text);
  if (how === 'enter') await box.press('Enter');
  else await page.getByTestId('send').click();
  await page.locator('[data-testid=msg][data-from=reporter]', { hasText: text }).last().waitFor({ timeout: 10_000 });
}

async function newPage(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 420, height: 860 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { jsErrors?: string[] }).jsErrors = errors;
  await page.goto(server.url);
  return { context, page };
}

/**
 * The tip flow through the page: menu:tip → "7" → details → (photo) → done → contact:no →
 * confirm:send. Returns the case code the page shows.
 */
async function tipFlow(page: Page, locale: string, details: string, opts: { photo?: boolean } = {}): Promise<string> {
  await expectBot(page, tr(locale, 'greeting'));
  await expectBot(page, tr(locale, 'menu.prompt'));
  await press(page, 'menu:tip');
  await expectBot(page, tr(locale, 'tip.ask_child'));
  await type(page, '7', 'enter');
  await expectBot(page, tr(locale, 'tip.ask_details'));
  await type(page, details, 'button');
  await expectBot(page, tr(locale, 'tip.ask_photos'));
  if (opts.photo) {
    const before = await page.locator('[data-testid=msg][data-from=bot]').count();
    await page.getByTestId('photo-input').setInputFiles({ name: 'seen.png', mimeType: 'image/png', buffer: PNG_1x1 });
    await expectBot(page, stem(tr(locale, 'photos.received')));
    // The reporter's own photo bubble, and the photos question asked again after the receipt.
    await page.locator('[data-testid=msg][data-from=reporter] .photo-sent').first().waitFor();
    await expect.poll(() => page.locator('[data-testid=msg][data-from=bot]').count()).toBeGreaterThanOrEqual(before + 2);
  }
  await press(page, 'done');
  await expectBot(page, tr(locale, 'contact.ask'));
  await press(page, 'contact:no');
  await expectBot(page, tr(locale, 'confirm.anonymous'));
  await press(page, 'confirm:send');
  await expectBot(page, stem(tr(locale, 'tip.submitted')));
  const codeEl = page.getByTestId('case-code').first();
  await codeEl.waitFor({ state: 'visible' });
  const code = (await codeEl.textContent())!.trim();
  expect(code).toMatch(CASE_CODE_RE);
  // The code the page shows is the one the bot told in the conversation.
  await expect.poll(() => botMsg(page, stem(tr(locale, 'tip.submitted'))).textContent()).toContain(code);
  return code;
}

/** Sends a caseworker reply with the CLI and waits for it on the open page (no reload). */
async function caseworkerReply(page: Page, code: string, text: string): Promise<void> {
  const r = await runCli(['reply', code, text], server.env);
  expect(r.code, r.stderr).toBe(0);
  await page.locator('[data-testid=msg][data-from=caseworker]', { hasText: text }).waitFor({ state: 'visible', timeout: 10_000 });
}

async function snapshot(page: Page): Promise<{ seq: string; from: string; text: string }[]> {
  return msgs(page).evaluateAll((rows) =>
    rows.map((r) => ({
      seq: (r as HTMLElement).dataset.seq ?? '',
      from: (r as HTMLElement).dataset.from ?? '',
      text: (r.querySelector('.bubble .text')?.textContent ?? '') + (r.querySelector('.photo-sent') ? '[photo]' : ''),
    })),
  );
}

async function sessionCookie(context: BrowserContext) {
  const c = (await context.cookies()).find((x) => x.name === 'tl_session');
  expect(c, 'the page has a session cookie').toBeDefined();
  expect(c!.httpOnly).toBe(true);
  expect(c!.sameSite).toBe('Strict');
  // Never readable by page scripts.
  return c!.value;
}

describe('web chat in a real browser', () => {
  let zhCode = '';
  let zhCookie = '';
  const zhDetails = '昨天下午三点在火车站东门看到一个男人抱着照片上的孩子';
  const zhReply = '谢谢您的线索，我们正在核实。';

  it('a Chinese reporter sends a tip with a photo, gets a code, a live reply, and keeps it all after reload', async () => {
    const { context, page } = await newPage('zh-CN');
    try {
      // The page chrome is Chinese from the first paint of the session.
      await expect.poll(() => page.getByTestId('send').textContent()).toBe(tr('zh-CN', 'send', 'webchat'));
      await expect.poll(() => page.getByTestId('language').inputValue()).toBe('zh-CN');

      zhCode = await tipFlow(page, 'zh-CN', zhDetails, { photo: true });
      zhCookie = await sessionCookie(context);
      expect(await page.evaluate(() => document.cookie)).not.toContain('tl_session');

      // The caseworker sees it in the queue…
      const cases = await listCases(server.env);
      const mine = cases.find((c) => c.code === zhCode);
      expect(mine, JSON.stringify(cases)).toBeDefined();
      expect(mine!.category).toBe('tip');

      // …answers from the CLI, and the reply appears live, in the open page.
      const before = await msgs(page).count();
      await caseworkerReply(page, zhCode, zhReply);
      expect(await msgs(page).count()).toBeGreaterThan(before);
      await page.screenshot({ path: path.join(shotsDir, 'zh-CN.png'), fullPage: true });

      // No English in what the bot said to a Chinese reporter.
      const botTexts = await page.locator('[data-testid=msg][data-from=bot] .text, [data-testid=msg][data-from=caseworker] .text').allTextContents();
      expect(botTexts.length).toBeGreaterThan(8);
      for (const t of botTexts) {
        expect(t.replace(CODE_IN_TEXT, ''), `English in a Chinese conversation: ${t}`).not.toMatch(ENGLISH_RUN);
      }

      // A reload shows the same conversation, once, and the code.
      const seen = await snapshot(page);
      await page.reload();
      await page.locator('[data-testid=msg][data-from=caseworker]', { hasText: zhReply }).waitFor();
      await expect.poll(async () => (await snapshot(page)).length).toBe(seen.length);
      expect(await snapshot(page)).toEqual(seen);
      await expect.poll(() => page.getByTestId('case-code').allTextContents()).toContain(zhCode);

      // Switching the language with the select changes the page and the bot's language.
      await page.getByTestId('language').selectOption('en');
      await expect.poll(() => page.getByTestId('send').textContent()).toBe(tr('en', 'send', 'webchat'));
      await expect.poll(() => page.locator('h1').textContent()).toBe(tr('en', 'title', 'webchat'));
      await expectBot(page, tr('en', 'language.set'));
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
      expect((page as Page & { jsErrors?: string[] }).jsErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an English reporter in another browser profile has their own conversation and code', async () => {
    const { context, page } = await newPage('en-US');
    try {
      await expect.poll(() => page.getByTestId('send').textContent()).toBe(tr('en', 'send', 'webchat'));
      const details = 'I saw a woman carrying the child from photo seven at the bus station on Monday';
      const code = await tipFlow(page, 'en', details);
      expect(code).not.toBe(zhCode);
      expect(await sessionCookie(context)).not.toBe(zhCookie);

      // Nothing of the other profile's conversation is visible here.
      const all = (await msgs(page).allTextContents()).join('\n');
      if (zhCode) {
        expect(all).not.toContain(zhCode);
        expect(await page.getByTestId('case-code').allTextContents()).not.toContain(zhCode);
      }
      expect(all).not.toContain(zhDetails);
      expect(all).not.toContain(zhReply);
      expect(await page.locator('[data-testid=msg] .photo-sent').count()).toBe(0);

      const cases = await listCases(server.env);
      expect(cases.map((c) => c.code)).toEqual(expect.arrayContaining(zhCode ? [code, zhCode] : [code]));

      const reply = 'Thank you, a caseworker is looking into this now.';
      await caseworkerReply(page, code, reply);
      // English bot text, so the English page chrome labels the caseworker.
      await expect
        .poll(() => page.locator('[data-testid=msg][data-from=caseworker] .who').last().textContent())
        .toBe(tr('en', 'caseworker', 'webchat'));
      await page.screenshot({ path: path.join(shotsDir, 'en.png'), fullPage: true });

      await page.reload();
      await page.locator('[data-testid=msg][data-from=caseworker]', { hasText: reply }).waitFor();
      expect(await page.getByTestId('case-code').allTextContents()).toContain(code);
      const after = (await msgs(page).allTextContents()).join('\n');
      expect(after).toContain(details);
      expect(after).not.toContain(zhDetails);
      expect((page as Page & { jsErrors?: string[] }).jsErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('when the live stream is refused (a crowded address, a proxy), the page polls and the reporter still gets every answer', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    try {
      await context.route('**/api/events*', (route) => route.fulfill({ status: 429, contentType: 'application/json', body: '{"error":"rate_limited"}' }));
      const page = await context.newPage();
      await page.goto(server.url);
      await expectBot(page, tr('en', 'menu.prompt'));
      const details = 'Saw the baby from photo 9 with two men at the Mengzi bus station this morning';
      await type(page, details, 'button');
      await expect.poll(async () => (await page.getByTestId('case-code').allTextContents()).length).toBeGreaterThan(0);
      const code = (await page.getByTestId('case-code').first().textContent())!.trim();
      expect(code).toMatch(CASE_CODE_RE);
      await caseworkerReply(page, code, 'Thank you, we are checking the station.');
    } finally {
      await context.close();
    }
  });

  it('"forget this conversation" leaves no trace on a shared phone; the case stays with the caseworkers', async () => {
    const { context, page } = await newPage('zh-CN');
    try {
      await expectBot(page, tr('zh-CN', 'menu.prompt'));
      const details = '我在蒙自汽车站见过照片里的孩子，和两个男人在一起';
      await type(page, details, 'button');
      await expect.poll(async () => (await page.getByTestId('case-code').allTextContents()).length).toBeGreaterThan(0);
      const code = (await page.getByTestId('case-code').first().textContent())!.trim();
      page.on('dialog', (d) => void d.accept().catch(() => {}));
      // The page reloads itself after forgetting: wait for that navigation, then for the new greeting.
      await Promise.all([page.waitForEvent('framenavigated', { timeout: 15_000 }), page.getByTestId('forget').click()]);
      await page.waitForLoadState('load');
      await expectBot(page, tr('zh-CN', 'menu.prompt'), 15_000);
      const all = (await msgs(page).allTextContents()).join('\n');
      expect(all).not.toContain(details);
      expect(await page.getByTestId('case-code').allTextContents()).not.toContain(code);
      expect(await page.evaluate(() => localStorage.getItem('tipline.caseCodes'))).toBeNull();
      expect((await listCases(server.env)).map((c) => c.code)).toContain(code);
    } finally {
      await context.close();
    }
  });
});
