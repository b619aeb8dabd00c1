/**
 * `npm start`: validates configuration, starts the tip line, and shuts down cleanly on
 * SIGINT/SIGTERM. A configuration problem prints one line naming the variable and exits 2.
 */
import { startApp } from './app.ts';
import { ConfigError, loadConfig, withDotEnv } from './config.ts';
import { consoleLogger } from './log.ts';
import { StoreError } from './store/index.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(withDotEnv(process.env));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tipline: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let app;
  try {
    app = await startApp(config);
  } catch (err) {
    const message = err instanceof StoreError ? `TIPLINE_DB: ${err.message}` : (err as Error).message;
    // One line: a library's stack trace or a token never reaches the operator's terminal.
    process.stderr.write(`tipline: cannot start: ${message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `Tip line running. Web chat: ${app.url}  Queue: ${config.dbPath}\n` +
      (config.telegram
        ? `Telegram: on, through ${config.telegram.library} (${config.telegram.webhookUrl ? 'webhook' : 'long polling'})\n`
        : '') +
      `Caseworkers: npx tipline cases | show CODE | reply CODE "text"   (Ctrl+C stops)\n`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    consoleLogger.info('stopping', { signal });
    app
      .stop()
      .then(() => process.exit(0))
      .catch((err) => {
        consoleLogger.error('stop failed', { error: (err as Error).message });
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`tipline: ${(err as Error).message}\n`);
  process.exit(1);
});
