/**
 * One-line JSON logs to stderr. Callers pass facts, never secrets or reporter identities;
 * keys that look secret are masked anyway as a second line of defence.
 */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEY = /token|secret|password|authorization|cookie|session|sender|conversationRef/i;

function write(level: string, msg: string, fields?: Record<string, unknown>): void {
  const safe: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields ?? {})) safe[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...safe }) + '\n');
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
