/**
 * The shape rules: the core imports no platform SDK or transport; adapters reach the core only
 * through its public types; files stay small.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g), ...src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1]!,
  );
}

const PLATFORM = /^(grammy|telegraf|@slack\/|@grammyjs\/|playwright|node:http|node:https|http$|https$|express|fastify|ws$)/;

describe('architecture', () => {
  it('src/core imports no platform SDK, HTTP stack or adapter', () => {
    const offenders: string[] = [];
    for (const f of files(path.join(ROOT, 'src/core'))) {
      for (const spec of imports(f)) {
        if (PLATFORM.test(spec) || spec.includes('/adapters/')) offenders.push(`${path.relative(ROOT, f)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('adapters use only the core’s public types, never its internals or the store', () => {
    const allowed = ['src/core/types.ts', 'src/http/server.ts'];
    const offenders: string[] = [];
    for (const f of files(path.join(ROOT, 'adapters'))) {
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const target = path.relative(ROOT, path.resolve(path.dirname(f), spec));
        if (target.startsWith('adapters/')) continue;
        if (!allowed.includes(target)) offenders.push(`${path.relative(ROOT, f)} imports ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no source file grows past 600 lines (split by concern first)', () => {
    const big = [...files(path.join(ROOT, 'src')), ...files(path.join(ROOT, 'adapters'))]
      .map((f) => [path.relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 600);
    expect(big).toEqual([]);
  });
});
