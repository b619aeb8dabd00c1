/**
 * The Slack desk against our real HTTP endpoint: requests signed with the signing secret, and a
 * local fake of Slack's Web API. A web-chat tip appears as a case message; a caseworker's
 * `/tipline reply` reaches the reporter; strangers and forged requests change nothing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, WebClient, type RunningServer } from '../helpers/server.ts';
import { signSlack, startSlackFake, type SlackFake } from '../helpers/slack-fake.ts';

const SECRET = 'test-signing-secret-0123456789abcdef';

/** A 1x1 PNG carrying a tEXt "Author: Zhang San" chunk (metadata that must not reach Slack). */
const PNG_WITH_TEXT = (() => {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Author\0Zhang San', 'latin1')),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
})();
const CASEWORKER = 'U0CASE1';
const CODE_RE = /TL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

let slack: SlackFake;
let server: RunningServer;
let responseN = 0;

beforeAll(async () => {
  slack = await startSlackFake();
  server = await startServer({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      SLACK_CHANNEL: 'C0QUEUE',
      SLACK_URGENT_CHANNEL: 'C0URGENT',
      SLACK_CASEWORKERS: `${CASEWORKER},U0CASE2`,
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await slack?.stop();
});

/** Posts a signed slash command; returns the HTTP status and the response_url key to wait on. */
async function slash(user: string, text: string, opts: { timestamp?: number; secret?: string } = {}): Promise<{ status: number; key: string }> {
  const key = `/response/${++responseN}`;
  const body = new URLSearchParams({
    command: '/tipline',
    text,
    user_id: user,
    user_name: 'someone',
    team_id: 'T1',
    channel_id: 'C0QUEUE',
    trigger_id: `trig.${responseN}`,
    response_url: `${slack.url.replace(/\/api\/$/, '')}${key}`,
    api_app_id: 'A1',
    token: 'legacy',
  }).toString();
  const res = await fetch(new URL('/slack/events', server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...signSlack(opts.secret ?? SECRET, body, opts.timestamp) },
    body,
  });
  return { status: res.status, key };
}

async function tip(text: string): Promise<{ client: WebClient; code: string }> {
  const client = new WebClient(server.url);
  await client.session('en');
  const entries = await client.say({ text }, { until: (fresh) => fresh.some((e) => !!e.caseCode) });
  return { client, code: entries.find((e) => e.caseCode)!.caseCode! };
}

/** Posts an interactivity payload (button press, modal submission) signed as Slack does. */
async function postInteraction(payload: object): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return fetch(new URL('/slack/events', server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...signSlack(SECRET, body) },
    body,
  });
}

/** Posts a signed button press (interactivity payload) on a case message. */
async function press(user: string, actionId: string, code: string): Promise<{ status: number; key: string }> {
  const key = `/response/${++responseN}`;
  const payload = {
    type: 'block_actions',
    user: { id: user, username: 'someone', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `trig.${responseN}`,
    team: { id: 'T1', domain: 'test' },
    channel: { id: 'C0QUEUE', name: 'queue' },
    container: { type: 'message', message_ts: '1700000001.000100', channel_id: 'C0QUEUE' },
    message: { ts: '1700000001.000100', text: code },
    response_url: `${slack.url.replace(/\/api\/$/, '')}${key}`,
    actions: [{ type: 'button', action_id: actionId, block_id: `case:${code}`, value: code, action_ts: '1700000002.0001' }],
  };
  const res = await postInteraction(payload);
  return { status: res.status, key };
}

describe('the Slack desk over HTTP', () => {
  it('a web-chat tip appears as a case message in the queue channel', async () => {
    const { code } = await tip('I saw child 4 at the Kaiyuan bus station with an older woman this afternoon');
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code)));
    const post = calls.find((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code))!;
    expect(post.args.channel).toBe('C0QUEUE');
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain('#4');
    expect(blocks).toContain('Reporter ');
  });

  it('an urgent tip goes to the urgent channel with <!here>', async () => {
    const { code } = await tip('They are selling a baby tonight behind the Mengzi bus station, right now');
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code)));
    const post = calls.find((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code))!;
    expect(post.args.channel).toBe('C0URGENT');
    expect(String(post.args.text)).toContain('<!here>');
  });

  it('/tipline reply from a caseworker reaches the reporter, and the case message is updated', async () => {
    const { client, code } = await tip('The woman who sold child 9 lives near the Gejiu market, blue door');
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code)));
    const r = await slash(CASEWORKER, `reply ${code} Thank you. Which street is the blue door on?`);
    expect(r.status).toBe(200);
    const answer = await slack.waitForResponse((x) => String(x.text ?? '').includes('Reply queued'));
    expect(answer.response_type).toBe('ephemeral');
    await client.waitFor((entries) => entries.some((e) => e.from === 'caseworker' && e.text.includes('Which street')), 8000);
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.update' && JSON.stringify(x.args.blocks).includes(`slack:${CASEWORKER}`)));
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && x.args.thread_ts && String(x.args.text).includes('Which street')));
  });

  it('a case shows its likely children; /tipline child N lists the cases about that child', async () => {
    const { code } = await tip('I think I saw baby number 5 with a man at the Gejiu market this morning');
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code)));
    const blocks = JSON.stringify(calls.find((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code))!.args.blocks);
    expect(blocks).toContain('Possible children');
    expect(blocks).toMatch(/#5 likely \(0\.\d\d\) — named:#5/);
    await slash(CASEWORKER, 'child 5');
    const listed = await slack.waitForResponse((x) => String(x.text ?? '').includes('about #5'));
    expect(String(listed.text)).toContain(code);
    expect(String(listed.text)).toContain('via named');
  });

  it('a photo of a circulated child, cut from the poster, is matched: the case shows the child from the photo', async () => {
    const sharp = (await import('sharp')).default;
    // Child 7 as a reporter would forward it: cut from the police poster, re-compressed.
    const poster = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../data/catalogue/poster.jpg');
    const meta = await sharp(poster).metadata();
    const crop = await sharp(poster)
      .extract({ left: Math.round(meta.width! * 0.5), top: Math.round(meta.height! * 0.4), width: Math.round(meta.width! * 0.25), height: Math.round(meta.height! * 0.3) })
      .jpeg({ quality: 60 })
      .toBuffer();
    const client = new WebClient(server.url);
    await client.session('en');
    await client.photo(crop, 'image/jpeg');
    const entries = await client.say({ text: 'Is this the child from the poster? I saw him today' }, { until: (fresh) => fresh.some((e) => !!e.caseCode) });
    const code = entries.find((e) => e.caseCode)!.caseCode!;
    const calls = await slack.waitFor((c) =>
      c.some((x) => (x.method === 'chat.postMessage' || x.method === 'chat.update') && String(x.args.text).includes(code) && JSON.stringify(x.args.blocks).includes('photo')),
    );
    const last = calls.filter((x) => String(x.args.text).includes(code)).at(-1)!;
    expect(JSON.stringify(last.args.blocks)).toMatch(/#7 (strong|likely) \(0\.\d\d\) — photo/);
  });

  it('queue, show and help answer ephemerally', async () => {
    await slash(CASEWORKER, 'queue');
    await slack.waitForResponse((x) => CODE_RE.test(String(x.text ?? '')));
    await slash(CASEWORKER, 'help');
    await slack.waitForResponse((x) => String(x.text ?? '').includes('/tipline reply CODE text'));
  });

  it('a stranger is told so and nothing changes', async () => {
    const { code } = await tip('I saw child 2 near the river in Jianshui');
    const r = await slash('U0STRANGER', `claim ${code}`);
    expect(r.status).toBe(200);
    await slack.waitForResponse((x) => String(x.text ?? '').includes('Only the tip line'));
    const show = await slash(CASEWORKER, `show ${code}`);
    expect(show.status).toBe(200);
    const shown = await slack.waitForResponse((x) => String(x.text ?? '').includes(code) && Array.isArray(x.blocks));
    expect(JSON.stringify(shown.blocks)).toContain('unclaimed');
  });

  it('Claim and Escalate buttons act as the caseworker who pressed them; a stranger’s press changes nothing', async () => {
    const { code } = await tip('I saw child 6 at a noodle shop near Kaiyuan station yesterday evening');
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code)));
    const refused = await press('U0STRANGER', 'claim', code);
    expect(refused.status).toBe(200);
    await slack.waitForResponse((x) => String(x.text ?? '').includes('Only the tip line'));
    expect((await press(CASEWORKER, 'claim', code)).status).toBe(200);
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.update' && JSON.stringify(x.args.blocks).includes(`claimed by slack:${CASEWORKER}`) && JSON.stringify(x.args.blocks).includes(code)));
    expect((await press('U0CASE2', 'escalate', code)).status).toBe(200);
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.update' && String(x.args.text).includes(code) && String(x.args.text).includes('URGENT')));
  });

  it('a caseworker writing in a case thread adds an internal note: kept, never sent, not echoed', async () => {
    const { client, code } = await tip('I think child 10 is being kept in a flat above the Hekou pharmacy');
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code)));
    const post = calls.find((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code))!;
    const event = {
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: `Ev${Date.now()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel: post.result!.channel, user: CASEWORKER, text: 'Called Hekou police, they will visit', thread_ts: post.result!.ts, ts: `${Date.now() / 1000}` },
    };
    const body = JSON.stringify(event);
    const res = await fetch(new URL('/slack/events', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signSlack(SECRET, body) },
      body,
    });
    expect(res.status).toBe(200);
    const { runCli } = await import('../helpers/server.ts');
    const until = Date.now() + 8000;
    let shown = '';
    while (Date.now() < until) {
      shown = (await runCli(['show', code], server.env)).stdout;
      if (shown.includes('Called Hekou police')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(shown).toMatch(/NOTE slack:U0CASE1/);
    const history = await client.history(0);
    expect(history.some((e) => e.text.includes('Called Hekou police'))).toBe(false);
    await new Promise((r) => setTimeout(r, 600));
    expect(slack.calls.filter((x) => x.method === 'chat.postMessage' && String(x.args.text).includes('Called Hekou police'))).toHaveLength(0);
  });

  it('Reply opens a modal with templates in the reporter’s language; the chosen template reaches a Chinese reporter in Chinese', async () => {
    const client = new WebClient(server.url);
    await client.session('zh-CN');
    const entries = await client.say({ text: '我昨天在河口火车站看到一个很像3号的孩子' }, { until: (fresh) => fresh.some((e) => !!e.caseCode) });
    const code = entries.find((e) => e.caseCode)!.caseCode!;
    expect((await press(CASEWORKER, 'reply', code)).status).toBe(200);
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'views.open' && JSON.stringify(x.args.view).includes(code)));
    const opened = JSON.stringify(calls.find((x) => x.method === 'views.open' && JSON.stringify(x.args.view).includes(code))!.args.view);
    expect(opened).toContain('Chinese (Simplified)');
    expect(opened).toContain('请问您具体是在哪里'); // where_when, in the reporter's language
    expect(opened).toContain('Where exactly'); // and in English for the caseworker
    const payload = {
      type: 'view_submission',
      team: { id: 'T1', domain: 'test' },
      user: { id: CASEWORKER, username: 'cw', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: `trig.${++responseN}`,
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: 'reply_modal',
        private_metadata: code,
        hash: 'h1',
        state: { values: { template: { choice: { type: 'static_select', selected_option: { value: 'where_when' } } }, text: { reply: { type: 'plain_text_input', value: null } } } },
      },
    };
    const res = await postInteraction(payload);
    expect(res.status).toBe(200);
    await client.waitFor((all) => all.some((e) => e.from === 'caseworker' && e.text.includes('请问您具体是在哪里')), 8000);
  });

  it('App Home shows the caseworker’s own cases and the unclaimed queue', async () => {
    const { code } = await tip('I saw child 11 with a man at the Wenshan market this morning');
    await slash(CASEWORKER, `claim ${code}`);
    await slack.waitForResponse((x) => String(x.text ?? '').includes('is yours'));
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: `EvHome${Date.now()}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: CASEWORKER, channel: 'D1', tab: 'home' },
    });
    const res = await fetch(new URL('/slack/events', server.url), { method: 'POST', headers: { 'Content-Type': 'application/json', ...signSlack(SECRET, body) }, body });
    expect(res.status).toBe(200);
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'views.publish' && x.args.user_id === CASEWORKER));
    const home = JSON.stringify(calls.filter((x) => x.method === 'views.publish').at(-1)!.args.view);
    expect(home.indexOf('My cases')).toBeLessThan(home.indexOf(code));
    expect(home).toContain('Unclaimed');
  });

  it('an event Slack redelivers (same event_id, X-Slack-Retry-Num) is handled once', async () => {
    const { code } = await tip('The seller of child 5 drives a grey van, plate starts with 云G');
    const calls = await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code)));
    const post = calls.find((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code))!;
    const eventBody = (id: string, text: string) =>
      JSON.stringify({
        type: 'event_callback',
        team_id: 'T1',
        api_app_id: 'A1',
        event_id: id,
        event_time: Math.floor(Date.now() / 1000),
        event: { type: 'message', channel: post.result!.channel, user: CASEWORKER, text, thread_ts: post.result!.ts, ts: `${Date.now() / 1000}` },
      });
    let body = eventBody(`EvDup${Date.now()}`, 'Plate noted, passed on');
    // The first delivery, then Slack's retries all at once.
    const deliver = (retry?: string) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json', ...signSlack(SECRET, body) };
      if (retry) headers['X-Slack-Retry-Num'] = retry;
      return fetch(new URL('/slack/events', server.url), { method: 'POST', headers, body });
    };
    const { runCli } = await import('../helpers/server.ts');
    const notes = async () => (await runCli(['show', code], server.env)).stdout.split('Plate noted, passed on').length - 1;
    // Answered only once handled: when Slack has its 200, the note is stored.
    expect((await deliver()).status).toBe(200);
    expect(await notes()).toBe(1);
    const answers = await Promise.all([deliver('1'), deliver('2'), deliver('3')]);
    for (const r of answers) expect(r.status).toBe(200);
    expect(await notes()).toBe(1);
    // A delivery and its retries arriving together are handled once too.
    body = eventBody(`EvDup2${Date.now()}`, 'Second plate seen too');
    await Promise.all([deliver(), deliver('1'), deliver('2')]);
    expect((await runCli(['show', code], server.env)).stdout.split('Second plate seen too').length - 1).toBe(1);
  });

  it('a reporter’s photo is uploaded to the case thread, without its metadata', async () => {
    const { client, code } = await tip('I saw child 1 at the Hekou border gate, photo below');
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code)));
    const before = slack.uploads.length;
    await client.photo(PNG_WITH_TEXT, 'image/png');
    await slack.waitFor((c) => c.some((x) => x.method === 'files.completeUploadExternal' && JSON.stringify(x.args).includes(code)));
    expect(slack.uploads.length).toBe(before + 1);
    const uploaded = slack.uploads.at(-1)!;
    // The upload body may be multipart: the PNG is inside it.
    expect(uploaded.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(uploaded.toString('latin1')).not.toContain('Zhang San');
  });

  it('Close asks for a reason; the case message shows it closed and the reporter is told in their language', async () => {
    const client = new WebClient(server.url);
    await client.session('zh-CN');
    const entries = await client.say({ text: '我在文山见过一个很像8号的孩子，在一家小卖部门口' }, { until: (f) => f.some((e) => !!e.caseCode) });
    const code = entries.find((e) => e.caseCode)!.caseCode!;
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && String(x.args.text).includes(code)));
    expect((await press(CASEWORKER, 'close', code)).status).toBe(200);
    await slack.waitFor((c) => c.some((x) => x.method === 'views.open' && JSON.stringify(x.args.view).includes('close_modal') && JSON.stringify(x.args.view).includes(code)));
    const payload = {
      type: 'view_submission',
      team: { id: 'T1', domain: 'test' },
      user: { id: CASEWORKER, username: 'cw', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: `trig.${++responseN}`,
      view: { id: 'V2', type: 'modal', callback_id: 'close_modal', private_metadata: code, hash: 'h2', state: { values: { reason: { reason: { type: 'plain_text_input', value: 'not the same child (police checked)' } } } } },
    };
    const res = await postInteraction(payload);
    expect(res.status).toBe(200);
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.update' && String(x.args.text).includes(code) && JSON.stringify(x.args.blocks).includes('closed')));
    await client.waitFor((all) => all.some((e) => e.text.includes(`${code}已结案`)), 8000);
    const { runCli } = await import('../helpers/server.ts');
    const shown = (await runCli(['show', code], server.env)).stdout;
    expect(shown).toContain('not the same child (police checked)');
    expect(shown).toMatch(/slack:U0CASE1 case\.closed/);
  });

  it('forged, stale and future-dated requests are 401 and change nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await slash(CASEWORKER, 'queue', { secret: 'wrong-secret' })).status).toBe(401);
    expect((await slash(CASEWORKER, 'queue', { timestamp: now - 400 })).status).toBe(401);
    expect((await slash(CASEWORKER, 'queue', { timestamp: now + 400 })).status).toBe(401);
    const unsigned = await fetch(new URL('/slack/events', server.url), { method: 'POST', body: 'command=/tipline&text=queue' });
    expect(unsigned.status).toBe(401);
  });
});
