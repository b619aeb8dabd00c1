/**
 * Simulated web-chat reporters for the ingest and latency benchmarks: each reporter runs a few
 * sessions of what people really do — start, pick a flow from the menu, answer its questions,
 * send free text, follow up, check a case, switch language, send spam or something urgent — and
 * reporters are interleaved as they would be on a busy day.
 */
import { randomBytes } from 'node:crypto';
import type { InboundMessage } from '../src/core/types.ts';
import { followUpText, pick, spamText, tipText, urgentText } from './common.ts';

/** One thing a reporter does; `ownCode` asks for one of their case codes (known only at run time). */
export type Step = { text: string } | { action: string } | { command: string; args?: string } | { ownCode: true };

type Session = (random: () => number) => Step[];

const text = (t: string): Step => ({ text: t });
const action = (a: string): Step => ({ action: a });
const command = (c: string, args?: string): Step => (args ? { command: c, args } : { command: c });

const SESSIONS: { weight: number; run: Session }[] = [
  // Free text straight away (a case at once), then follow-ups that join it.
  { weight: 26, run: (r) => [text(tipText(r)), ...Array.from({ length: Math.floor(r() * 3) }, () => text(followUpText(r)))] },
  // Greeting, the tip flow from the menu, typed answers and buttons.
  {
    weight: 12,
    run: (r) => [
      text(pick(r, ['你好', 'hello', '您好', 'hi'])),
      action('menu:tip'),
      text(String(1 + Math.floor(r() * 40))),
      text(tipText(r)),
      r() < 0.5 ? action('done') : text('完成'),
      action('contact:no'),
      action('confirm:send'),
    ],
  },
  // A poster's QR code: /start child_N, details, contact with consent.
  {
    weight: 14,
    run: (r) => [
      command('start', `child_${1 + Math.floor(r() * 40)}`),
      text(tipText(r)),
      action('done'),
      action('contact:yes'),
      text(`我的电话 139${String(Math.floor(r() * 1e8)).padStart(8, '0')}`),
      action('confirm:send'),
    ],
  },
  // A family looking for their child.
  {
    weight: 10,
    run: (r) => [
      command('start'),
      action('menu:family'),
      r() < 0.5 ? action('sex:boy') : text('女孩'),
      text(`${2008 + Math.floor(r() * 12)}年${1 + Math.floor(r() * 12)}月`),
      text('在市场走失，当时穿蓝色衣服'),
      text('左肩有胎记'),
      action('rel:mother'),
      action('child:unsure'),
      action('done'),
      action('contact:no'),
      action('confirm:send'),
    ],
  },
  // Adoption: the lawful route, and a note.
  { weight: 5, run: () => [command('start'), action('menu:adoption'), action('adoption:note'), text('我想领养一个孩子，请问怎么办理')] },
  // Checking a case: their own, or a mistyped code.
  {
    weight: 10,
    run: (r) => [action('menu:status'), r() < 0.7 ? { ownCode: true } : text(`TL-${randomBytes(2).toString('hex').toUpperCase()}-ZZ9${Math.floor(r() * 10)}`)],
  },
  // Language switch, then English.
  { weight: 5, run: (r) => [action('menu:language'), action('lang:en'), text(tipText(r))] },
  // Danger in the middle of a flow, then leaving it half-way.
  { weight: 6, run: (r) => [action('menu:tip'), text(urgentText(r)), text(tipText(r)), text('菜单')] },
  // Spam.
  { weight: 5, run: (r) => [text(spamText(r)), text(spamText(r))] },
  // Starts a tip, names a child, writes, and goes back to the menu (an incomplete case).
  { weight: 7, run: (r) => [action('menu:tip'), text(`#${1 + Math.floor(r() * 40)}`), text(tipText(r)), command('menu')] },
];
const TOTAL_WEIGHT = SESSIONS.reduce((s, x) => s + x.weight, 0);

function session(random: () => number): Step[] {
  let w = random() * TOTAL_WEIGHT;
  for (const s of SESSIONS) {
    w -= s.weight;
    if (w < 0) return s.run(random);
  }
  return SESSIONS[0]!.run(random);
}

export interface SimReporter {
  token: string;
  localeHint: string;
  steps: Step[];
  next: number;
  codes: string[];
}

/** `reporters` reporters sharing `messages` messages (as evenly as possible). */
export function makeReporters(messages: number, reporters: number, random: () => number): SimReporter[] {
  const out: SimReporter[] = [];
  for (let i = 0; i < reporters; i++) {
    const quota = Math.floor(messages / reporters) + (i < messages % reporters ? 1 : 0);
    const steps: Step[] = [];
    while (steps.length < quota) steps.push(...session(random));
    steps.length = quota;
    const h = random();
    out.push({
      token: randomBytes(32).toString('base64url'),
      localeHint: h < 0.6 ? 'zh-CN' : h < 0.75 ? 'zh-TW' : 'en-US',
      steps,
      next: 0,
      codes: [],
    });
  }
  return out;
}

/**
 * The order messages arrive in: up to `window` reporters are mid-conversation at once, each
 * writing when it likes; a reporter who is done makes room for the next. Each reporter is
 * yielded once per step (the caller takes the step with {@link nextMessage}).
 */
export function* interleave(all: SimReporter[], window: number, random: () => number): Generator<SimReporter> {
  const active: { r: SimReporter; left: number }[] = [];
  let nextIn = 0;
  for (;;) {
    while (active.length < window && nextIn < all.length) {
      const r = all[nextIn++]!;
      if (r.steps.length > 0) active.push({ r, left: r.steps.length });
    }
    if (active.length === 0) return;
    const i = Math.floor(random() * active.length);
    const a = active[i]!;
    yield a.r;
    if (--a.left <= 0) {
      active[i] = active[active.length - 1]!;
      active.pop();
    }
  }
}

let counter = 0;

/** The reporter's next message, as the web chat adapter would hand it to the core. */
export function nextMessage(r: SimReporter): InboundMessage {
  const step = r.steps[r.next++]!;
  const msg: InboundMessage = {
    channel: 'webchat',
    senderRef: r.token,
    conversationRef: r.token,
    platformMessageId: `bench-${process.pid}-${++counter}`,
    localeHint: r.localeHint,
    receivedAt: new Date(),
  };
  if ('text' in step) msg.text = step.text;
  else if ('action' in step) msg.action = step.action;
  else if ('command' in step) msg.command = { name: step.command, args: step.args ?? '' };
  else msg.text = r.codes.at(-1) ?? 'TL-0000-0000';
  return msg;
}
