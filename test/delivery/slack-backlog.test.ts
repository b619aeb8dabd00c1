/**
 * The Slack desk under faults, against the real server and a local Slack fake that enforces
 * per-channel posting and answers outages, 429s with Retry-After, 5xx and channel errors:
 * intake and reporters' replies go on while Slack is down, the backlog is reported and then
 * drains in order at Slack's pace without a single 429; Retry-After is honoured exactly; a
 * permanent error is a dead letter an operator can see and send again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { runCli, startServer, WebClient, type RunningServer } from '../helpers/server.ts';
import { startSlackFake, type SlackCall, type SlackFake } from '../helpers/slack-fake.ts';

const SECRET = 'test-signing-secret-0123456789abcdef';
const CODE_RE = /TL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

let slack: SlackFake;
let server: RunningServer;

beforeAll(async () => {
  slack = await startSlackFake({ perChannelPerSecond: 5 });
  server = await startServer({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      SLACK_CHANNEL: 'C0QUEUE',
      SLACK_URGENT_CHANNEL: 'C0URGENT',
      SLACK_CASEWORKERS: 'U0CASE1',
      // Scaled up from Slack's 1 a second so the test stays short; the fake enforces 5.
      SLACK_RATE_PER_CHANNEL: '4',
      SLACK_RATE_PER_METHOD: 'chat.update=600/min',
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await slack?.stop();
});

async function tip(text: string): Promise<string> {
  const client = new WebClient(server.url);
  await client.session('en');
  const entries = await client.say({ text }, { until: (fresh) => fresh.some((e) => !!e.caseCode) });
  return entries.find((e) => e.caseCode)!.caseCode!;
}

const topLevelPosts = (calls: SlackCall[]) => calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200 && !c.args.thread_ts);
const codeOf = (c: SlackCall) => CODE_RE.exec(String(c.args.text))?.[0];
const health = async () => (await (await fetch(new URL('/healthz', server.url))).json()) as Record<string, any>;

describe('Slack down for a while', () => {
  it('intake and replies go on, the backlog is reported, then it drains in order at Slack’s pace', async () => {
    slack.setDown(true);
    const codes: string[] = [];
    for (let i = 0; i < 14; i++) codes.push(await tip(`I saw the child from poster ${i + 1} at the east bus station with a man, around noon`));
    expect(new Set(codes).size).toBe(14);

    const h = await eventually(async () => {
      const b = await health();
      return b.outbox?.paused?.slack ? b : undefined;
    }, 10_000, 'the slack channel to be paused');
    expect(h.status).toBe('ok');
    expect(h.outbox.channels.slack.pending).toBeGreaterThanOrEqual(14);
    expect(h.outbox.paused.slack.reason).toMatch(/slack/);
    expect(h.outbox.channels.webchat?.pending ?? 0).toBe(0);

    const doctor = await runCli(['doctor'], { ...server.env, PORT: String(server.port) });
    expect(doctor.stdout).toMatch(/outbox\s+\d+ waiting — .*slack (1[4-9]|[2-9]\d)/);
    expect(doctor.stdout).toMatch(/delivery\s+slack paused for \d+s more/);
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    expect(metrics).toMatch(/^tipline_outbox_messages\{state="pending",channel="slack"\} (1[4-9]|[2-9]\d)$/m);
    expect(metrics).toMatch(/^tipline_outbox_oldest_pending_seconds\{channel="slack"\} [1-9][\d.]*$/m);

    const downCalls = slack.calls.length;
    slack.setDown(false);
    await eventually(() => codes.every((code) => topLevelPosts(slack.calls).some((c) => codeOf(c) === code)), 30_000, 'every case on the desk');
    // Outage probing, not hammering: a handful of calls while it was down.
    expect(downCalls).toBeLessThan(64 + 10);

    const posts = topLevelPosts(slack.calls).filter((c) => codes.includes(codeOf(c)!));
    // Each case posted once, in the order the cases came in.
    expect(posts.map(codeOf)).toEqual(codes);
    // At Slack's pace: never more than SLACK_RATE_PER_CHANNEL posts to the channel in a second, no 429.
    const times = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0QUEUE' && c.status === 200).map((c) => c.at);
    for (let i = 4; i < times.length; i++) expect(times[i]! - times[i - 4]!).toBeGreaterThanOrEqual(990);
    expect(slack.rejected429).toBe(0);
    await eventually(async () => ((await health()).outbox.channels.slack?.pending ?? 0) === 0, 20_000, 'the slack backlog to empty');
  });
});

describe('Slack refusing', () => {
  it('a 429 with Retry-After is waited out exactly, with no other Slack call in the wait', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    const from = slack.calls.length;
    const code = await tip('A woman with a small boy who looks like number 4, at the pharmacy on Elm street');
    await eventually(() => topLevelPosts(slack.calls.slice(from)).some((c) => codeOf(c) === code), 15_000, 'the case on the desk');
    const calls = slack.calls.slice(from);
    const refused = calls.findIndex((c) => c.status === 429);
    expect(refused).toBeGreaterThanOrEqual(0);
    const next = calls[refused + 1]!;
    expect(next.at - calls[refused]!.at).toBeGreaterThanOrEqual(2000);
    expect(codeOf(next)).toBe(code);
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    expect(metrics).toMatch(/^tipline_rate_limited_total\{platform="slack"\} 1$/m);
    expect(metrics).toMatch(/^tipline_sends_total\{channel="slack",result="rate_limited"\} 1$/m);
  });

  it('5xx twice, then it goes: retried with backoff, counted', async () => {
    slack.failNext('chat.postMessage', { status: 500, times: 2 });
    const from = slack.calls.length;
    const code = await tip('Number 9 was with an old man on the train to Kunming this morning, carriage 6');
    await eventually(() => topLevelPosts(slack.calls.slice(from)).some((c) => codeOf(c) === code), 15_000, 'the case on the desk');
    const tries = slack.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
    expect(tries.map((c) => c.status)).toEqual([500, 500, 200]);
    // Exponential: the second wait is longer than the first.
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThan(tries[1]!.at - tries[0]!.at);
  });

  it('channel_not_found is a dead letter with the reason, shown by `outbox` and on the case; `outbox retry` sends it', async () => {
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    const code = await tip('I think the girl in photo 2 lives near my village, with a family who bought her');
    const dead = await eventually(async () => {
      const r = await runCli(['outbox', '--json'], server.env);
      const items = JSON.parse(r.stdout) as Array<{ id: number; caseCode: string; lastError: string; destination: string; channel: string }>;
      return items.find((i) => i.caseCode === code);
    }, 15_000, 'the dead letter');
    expect(dead).toMatchObject({ destination: 'desk', channel: 'slack', lastError: 'slack: channel_not_found' });
    const human = await runCli(['outbox'], server.env);
    expect(human.stdout).toContain(`#${dead.id}  dead`);
    const show = await runCli(['show', code], server.env);
    expect(show.stdout).toContain(`FAILED outbox #${dead.id} to slack: slack: channel_not_found (npx tipline outbox retry ${dead.id})`);

    const from = slack.calls.length;
    const retry = await runCli(['outbox', 'retry', String(dead.id), '--as', 'ops'], server.env);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toMatch(/^1 message queued again/);
    await eventually(() => topLevelPosts(slack.calls.slice(from)).some((c) => codeOf(c) === code), 15_000, 'the case on the desk after retry');
    const after = JSON.parse((await runCli(['outbox', '--json'], server.env)).stdout) as Array<{ id: number }>;
    expect(after.some((i) => i.id === dead.id)).toBe(false);
    const history = JSON.parse((await runCli(['show', code, '--json'], server.env)).stdout) as { history: Array<{ actor: string; action: string }> };
    expect(history.history).toContainEqual(expect.objectContaining({ actor: 'cli:ops', action: 'outbox.retried' }));
  });

  it('a token problem (invalid_auth) is waited out, not a dead letter; a case message deleted in Slack is posted again', async () => {
    slack.failNext('chat.postMessage', { error: 'invalid_auth' });
    const from = slack.calls.length;
    const code = await tip('Number 11 is with a woman selling flowers at the Jianshui old town gate, every evening');
    await eventually(() => topLevelPosts(slack.calls.slice(from)).some((c) => codeOf(c) === code), 15_000, 'the case on the desk');
    const dead = JSON.parse((await runCli(['outbox', '--json'], server.env)).stdout) as Array<{ caseCode: string }>;
    expect(dead.some((d) => d.caseCode === code)).toBe(false);

    // A caseworker deleted the case's message; the next redraw finds it gone and posts it anew.
    slack.failNext('chat.update', { error: 'message_not_found' });
    const before = topLevelPosts(slack.calls).filter((c) => codeOf(c) === code).length;
    const claim = await runCli(['claim', code, '--as', 'ops'], server.env);
    expect(claim.code).toBe(0);
    await eventually(() => topLevelPosts(slack.calls).filter((c) => codeOf(c) === code).length === before + 1, 15_000, 'the case posted again');
  });

  it('`outbox drop` and `outbox retry` refuse what makes no sense, with one line', async () => {
    const r1 = await runCli(['outbox', 'retry'], server.env);
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toMatch(/give outbox ids/);
    const r2 = await runCli(['outbox', 'drop', '999999'], server.env);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toMatch(/no outbox message #999999/);
    const r3 = await runCli(['outbox', 'retry', 'abc'], server.env);
    expect(r3.stderr).toMatch(/"abc" is not an outbox id/);
  });
});
