import { describe, expect, it } from 'vitest';
import { parseSlashCommand } from '../../adapters/slack/commands.ts';

describe('/tipline subcommands', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['queue', { kind: 'queue' }],
    ['  STATS ', { kind: 'stats' }],
    ['show TL-7KQ2-M9XD', { kind: 'show', code: 'TL-7KQ2-M9XD' }],
    ['claim tl7kq2m9xd', { kind: 'claim', code: 'tl7kq2m9xd' }],
    ['reply TL-7KQ2-M9XD 谢谢您，我们已转交警方。', { kind: 'reply', code: 'TL-7KQ2-M9XD', text: '谢谢您，我们已转交警方。' }],
    ['reply TL-7KQ2-M9XD   Thank you,  we will call you.', { kind: 'reply', code: 'TL-7KQ2-M9XD', text: 'Thank you,  we will call you.' }],
    ['close TL-7KQ2-M9XD passed to police', { kind: 'close', code: 'TL-7KQ2-M9XD', reason: 'passed to police' }],
    ['close TL-7KQ2-M9XD', { kind: 'close', code: 'TL-7KQ2-M9XD' }],
  ])('%j', (text, expected) => {
    expect(parseSlashCommand(text)).toEqual(expected);
  });

  it.each(['show', 'claim nonsense!', 'reply TL-7KQ2-M9XD', 'reply hello there', 'close', 'frobnicate TL-7KQ2-M9XD'])(
    '%j is refused with a reason',
    (text) => {
      const r = parseSlashCommand(text);
      expect(r.kind).toBe('invalid');
      expect((r as { problem: string }).problem.length).toBeGreaterThan(5);
    },
  );
});
