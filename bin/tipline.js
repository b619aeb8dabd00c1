#!/usr/bin/env node
// The operator and caseworker CLI (`npx tipline`). Runs the TypeScript sources through tsx,
// so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
