/**
 * Polls `probe` until it gives something truthy (and returns it), or fails after `ms` naming
 * `what`. For conditions reached by other processes and timers (servers, emulators, the
 * dispatcher), where a synchronous wait would not see them.
 */
export async function eventually<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 10_000,
  what = 'a condition',
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
