// A Bot API stand-in for the `drain` benchmark, in its own process (as Telegram is): at most
// GLOBAL sendMessage in any second, PER_CHAT per chat; beyond, 429 with retry_after 1.
// Prints its port; GET /stats answers {ok, rejected}.
import http from 'node:http';

const GLOBAL = Number(process.env.GLOBAL);
const PER_CHAT = Number(process.env.PER_CHAT);
const recent = [];
const byChat = new Map();
let ok = 0;
let rejected = 0;
let rejectedGlobal = 0;
let messageId = 0;
const count = (log, now) => {
  while (log.length && now - log[0] >= 1000) log.shift();
  return log.length;
};
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/stats') return res.end(JSON.stringify({ ok, rejected, rejectedGlobal }));
    const method = (req.url ?? '').split('/').pop().split('?')[0];
    if (method === 'getMe') return res.end(JSON.stringify({ ok: true, result: { id: 123456, is_bot: true, first_name: 'Bench', username: 'bench_bot' } }));
    if (method !== 'sendMessage') return res.end(JSON.stringify({ ok: true, result: true }));
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    const now = Date.now();
    const chat = String(body.chat_id);
    let chatLog = byChat.get(chat);
    if (!chatLog) byChat.set(chat, (chatLog = []));
    const overGlobal = count(recent, now) >= GLOBAL;
    if (overGlobal || count(chatLog, now) >= PER_CHAT) {
      rejected++;
      if (overGlobal) rejectedGlobal++;
      res.statusCode = 429;
      return res.end(JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }));
    }
    recent.push(now);
    chatLog.push(now);
    ok++;
    res.end(JSON.stringify({ ok: true, result: { message_id: ++messageId, date: Math.floor(now / 1000), chat: { id: Number(chat), type: 'private' }, text: body.text } }));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
