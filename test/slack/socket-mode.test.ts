/**
 * Socket Mode: no public address, the desk connects out to Slack. A local WebSocket server
 * stands in for Slack's (reached through apps.connections.open on the fake Web API); a slash
 * command envelope is acknowledged and answered, and cases are posted as in HTTP mode.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, WebClient, type RunningServer } from '../helpers/server.ts';
import { startSlackFake, type SlackFake } from '../helpers/slack-fake.ts';

const CASEWORKER = 'U0CASE1';
let wss: WebSocketServer;
let socket: WebSocket | undefined;
const received: Record<string, unknown>[] = [];
let slack: SlackFake;
let server: RunningServer;

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => received.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'local' }, connection_info: { app_id: 'A1' } }));
  });
  slack = await startSlackFake({ socketUrl: () => wsUrl });
  server = await startServer({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: 'xapp-1-test-token',
      SLACK_API_URL: slack.url,
      SLACK_CHANNEL: 'C0QUEUE',
      SLACK_CASEWORKERS: CASEWORKER,
    },
  });
});
afterAll(async () => {
  await server?.stop();
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
  await slack?.stop();
});

describe('Slack Socket Mode', () => {
  it('connects through apps.connections.open and answers /tipline over the socket', async () => {
    const until = Date.now() + 8000;
    while (!socket && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(socket, 'the desk connected to the local socket server').toBeDefined();
    socket!.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          command: '/tipline',
          text: 'help',
          user_id: CASEWORKER,
          team_id: 'T1',
          channel_id: 'C0QUEUE',
          api_app_id: 'A1',
          trigger_id: 't1',
          response_url: `${slack.url.replace(/\/api\/$/, '')}/response/socket-1`,
          token: 'legacy',
        },
      }),
    );
    const ackUntil = Date.now() + 8000;
    while (!received.some((m) => m.envelope_id === 'env-1') && Date.now() < ackUntil) await new Promise((r) => setTimeout(r, 50));
    expect(received.some((m) => m.envelope_id === 'env-1')).toBe(true);
    await slack.waitForResponse((x) => String(x.text ?? '').includes('/tipline reply CODE text'));
  });

  it('a web-chat tip is posted to the queue channel', async () => {
    const client = new WebClient(server.url);
    await client.session('en');
    const entries = await client.say({ text: 'I saw child 3 near the Mengzi railway station with two women' }, { until: (f) => f.some((e) => !!e.caseCode) });
    const code = entries.find((e) => e.caseCode)!.caseCode!;
    await slack.waitFor((c) => c.some((x) => x.method === 'chat.postMessage' && x.args.channel === 'C0QUEUE' && String(x.args.text).includes(code)));
  });
});
