/** Every migration, one file per version. Append; never edit a released one. */
import type { Db } from '../db.ts';
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-desk.ts';
import { migration0003 } from './0003-delivery.ts';
import { migration0004 } from './0004-scale.ts';
import { migration0005 } from './0005-triage.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005];
