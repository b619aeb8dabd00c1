/**
 * `npx tipline <command>`: the operator and caseworker CLI. It opens the same SQLite file as
 * the running server (WAL lets both work at once); replies it queues are sent by the server.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import os from 'node:os';
import { ConfigError, loadConfig, withDotEnv, type Config } from '../config.ts';
import { CaseworkError } from '../core/casework.ts';
import { StoreError } from '../store/index.ts';
import { COMMANDS, UsageError, type CliContext, type Command } from './commands.ts';

function usage(): string {
  const lines = ['Usage: npx tipline <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.usage.padEnd(44)} ${c.summary}`);
  lines.push('', 'Run `npx tipline <command> --help` for a command\'s options.', 'Configuration: the same environment / .env as `npm start` (TIPLINE_DB, TIPLINE_SECRET, …).');
  return lines.join('\n');
}

function commandHelp(c: Command): string {
  const lines = [`Usage: npx tipline ${c.usage}`, '', c.summary];
  if (c.help) lines.push('', c.help);
  const opts = Object.entries(c.options ?? {});
  if (opts.length) {
    lines.push('', 'Options:');
    for (const [name, o] of opts) lines.push(`  --${name}${o.type === 'string' ? ' VALUE' : ''}`.padEnd(26) + (o.description ?? ''));
  }
  lines.push('  --help'.padEnd(26) + 'show this help');
  return lines.join('\n');
}

/** The actor recorded in the audit log: `cli:<name>` from --as, TIPLINE_CASEWORKER or the OS user. */
function actorName(as: string | undefined): string {
  const name = as ?? process.env.TIPLINE_CASEWORKER ?? safeUser();
  return `cli:${name.replace(/[^\p{L}\p{N}._@-]/gu, '').slice(0, 64) || 'unknown'}`;
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function runCli(argv: string[], io: { out: (s: string) => void; err: (s: string) => void; stdin: NodeJS.ReadableStream }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 1;
  }
  const cmd = COMMANDS.find((c) => c.name === name || (c.name.includes(' ') && `${name} ${rest[0]}` === c.name));
  if (!cmd) {
    io.err(`tipline: unknown command "${name}". Run npx tipline --help`);
    return 1;
  }
  const args = cmd.name.includes(' ') ? rest.slice(1) : rest;
  let parsed;
  try {
    const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' }, as: { type: 'string' } };
    for (const [k, o] of Object.entries(cmd.options ?? {})) options[k] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`tipline ${cmd.name}: ${(err as Error).message.split('\n')[0]}`);
    return 1;
  }
  if (parsed.values.help) {
    io.out(commandHelp(cmd));
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(withDotEnv(process.env));
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`tipline: configuration error: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const ctx: CliContext = {
    config,
    values: parsed.values as Record<string, string | boolean | string[] | undefined>,
    positionals: parsed.positionals,
    actor: actorName(parsed.values.as as string | undefined),
    out: io.out,
    err: io.err,
    stdin: io.stdin,
  };
  try {
    return (await cmd.run(ctx)) ?? 0;
  } catch (err) {
    if (err instanceof CaseworkError) io.err(`tipline ${cmd.name}: ${err.code}: ${err.message}`);
    else if (err instanceof UsageError) io.err(`tipline ${cmd.name}: ${err.message}\n${commandHelp(cmd).split('\n')[0]}`);
    else if (err instanceof StoreError) io.err(`tipline ${cmd.name}: TIPLINE_DB: ${err.message}`);
    else io.err(`tipline ${cmd.name}: ${(err as Error).message}`);
    return 1;
  }
}

// Run when executed as the bin (not when imported by tests).
if (process.argv[1] && /tipline(\.js)?$|cli[\\/]main\.ts$/.test(process.argv[1])) {
  // `npx tipline triage < big.txt | head` closes our stdout early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const code = await runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s + '\n'),
    err: (s) => process.stderr.write(s + '\n'),
    stdin: process.stdin,
  });
  process.exitCode = code;
}
