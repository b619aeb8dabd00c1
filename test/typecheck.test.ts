/** The strict TypeScript build is part of the suite: a type error fails `npm test`. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

it('tsc --noEmit passes under the strict tsconfig', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 200_000);
