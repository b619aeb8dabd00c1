/**
 * `/tipline …` parsed into one caseworker command. Pure: the Slack adapter answers the result
 * ephemerally; the same names as the CLI (`queue`, `show`, `claim`, `reply`, `close`, `stats`, `help`).
 */

export type SlashCommand =
  | { kind: 'queue' }
  | { kind: 'child'; number: number }
  | { kind: 'stats' }
  | { kind: 'help' }
  | { kind: 'show'; code: string }
  | { kind: 'claim'; code: string }
  | { kind: 'reply'; code: string; text: string }
  | { kind: 'close'; code: string; reason?: string }
  | { kind: 'invalid'; problem: string };

/** Usage lines shown by `/tipline help` and after a mistake. */
export const SLASH_USAGE = [
  '/tipline queue — open cases, most urgent first',
  '/tipline child N — the cases about catalogue child #N (named, photo or description)',
  '/tipline show CODE — one case',
  '/tipline claim CODE — take a case',
  '/tipline reply CODE text — reply to the reporter (sent in their channel)',
  '/tipline close CODE [reason] — close a case',
  '/tipline stats — figures',
  '/tipline help — this list',
];

const CODE_LIKE = /^(?:T[L1I][-\s]?)?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$/i;

/** Parses the text after `/tipline`. Codes are returned as typed; the core normalises them. */
export function parseSlashCommand(text: string): SlashCommand {
  const trimmed = text.trim();
  const [verbRaw = '', ...rest] = trimmed.split(/\s+/);
  const verb = verbRaw.toLowerCase();
  const code = rest[0];
  const after = trimmed.slice(trimmed.indexOf(verbRaw) + verbRaw.length).trim();
  const tail = code ? after.slice(after.indexOf(code) + code.length).trim() : '';
  const needCode = (): string | undefined => (code && CODE_LIKE.test(code) ? code : undefined);
  switch (verb) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'queue':
    case 'cases':
      return { kind: 'queue' };
    case 'stats':
      return { kind: 'stats' };
    case 'child': {
      const digits = (code ?? '').replace(/^#/, '');
      const n = /^\d{1,5}$/.test(digits) ? Number(digits) : NaN;
      if (!code || !Number.isInteger(n) || n < 1) return { kind: 'invalid', problem: 'child needs a catalogue number, like 7' };
      return { kind: 'child', number: n };
    }
    case 'show':
    case 'claim': {
      const c = needCode();
      if (!c) return { kind: 'invalid', problem: `${verb} needs a case code, like TL-7KQ2-M9XD` };
      return { kind: verb, code: c };
    }
    case 'reply': {
      const c = needCode();
      if (!c) return { kind: 'invalid', problem: 'reply needs a case code, like TL-7KQ2-M9XD, then the text' };
      if (!tail) return { kind: 'invalid', problem: 'reply needs the text to send after the case code' };
      return { kind: 'reply', code: c, text: tail };
    }
    case 'close': {
      const c = needCode();
      if (!c) return { kind: 'invalid', problem: 'close needs a case code, like TL-7KQ2-M9XD' };
      return tail ? { kind: 'close', code: c, reason: tail } : { kind: 'close', code: c };
    }
    default:
      return { kind: 'invalid', problem: `unknown subcommand "${verbRaw.slice(0, 30)}"` };
  }
}
