/**
 * One-line JSON logs to stderr. Callers pass facts, never secrets or reporter identities;
 * keys that look secret are masked anyway as a second line of defence.
 */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

import { redactPii } from './core/triage/redact.ts';

/** Contact details and identity numbers masked (links are kept: operators need addresses). */
const redactContacts = (text: string): string => redactPii(text, { keep: ['url'] });

const SECRET_KEY = /token|secret|password|authorization|cookie|session|sender|conversationRef/i;

/** Strings anywhere in a logged value (nested objects, arrays) with contact details masked. */
function maskDeep(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return redactContacts(v);
  if (depth > 4 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => maskDeep(x, depth + 1));
  if (v instanceof Error) return redactContacts(v.message);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : maskDeep(x, depth + 1);
  return out;
}

/**
 * Masks secrets by key and contact details by content: an error message that quotes a
 * reporter's text (a phone number, an ID number, an e-mail, a WeChat id) must not put it on disk.
 */
export function safeFields(msg: string, fields?: Record<string, unknown>): { msg: string; fields: Record<string, unknown> } {
  const safe: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields ?? {})) safe[k] = SECRET_KEY.test(k) ? '[redacted]' : maskDeep(v, 0);
  return { msg: redactContacts(msg), fields: safe };
}

function write(level: string, msg: string, fields?: Record<string, unknown>): void {
  const safe = safeFields(msg, fields);
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, msg: safe.msg, ...safe.fields }) + '\n');
}

export const consoleLogger: Logger = {
  info: (m, f) => write('info', m, f),
  warn: (m, f) => write('warn', m, f),
  error: (m, f) => write('error', m, f),
};

/** A logger that keeps lines in memory (tests) or drops them. */
export function memoryLogger(): Logger & { lines: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const push = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(fields ? { level, msg, fields } : { level, msg });
  };
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}
