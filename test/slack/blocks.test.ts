import { describe, expect, it } from 'vitest';
import { caseMessage } from '../../adapters/slack/blocks.ts';
import type { DeskCaseView } from '../../src/core/types.ts';

const base: DeskCaseView = {
  code: 'TL-7KQ2-M9XD',
  category: 'tip',
  priority: 'normal',
  urgent: false,
  status: 'new',
  language: 'zh-CN',
  languageName: 'Chinese (Simplified)',
  children: [7],
  reasons: ['lang:zh-CN', 'child:#7'],
  reporter: 'Reporter 4F2A',
  claimedBy: null,
  createdAt: '2026-11-26T10:00:00Z',
  text: '我在火车站看到7号孩子 <script> & friends',
  followUps: 0,
  photos: 1,
  contact: null,
  incomplete: false,
  reporterReachable: true,
  candidates: [],
  similar: null,
  candidateLines: [],
  contactDetailsInText: [],
};

describe('a case in Block Kit', () => {
  it('shows code, category, language with its name, child and why, pseudonym, text, and actions', () => {
    const m = caseMessage(base);
    const json = JSON.stringify(m);
    for (const s of ['TL-7KQ2-M9XD', 'Tip', 'Chinese (Simplified) (zh-CN)', '#7', 'child:#7', 'Reporter 4F2A', '我在火车站看到7号孩子', 'anonymous']) {
      expect(json).toContain(s);
    }
    expect(json).toContain('&lt;script&gt; &amp; friends');
    expect(json).not.toContain('<script>');
    expect(json).not.toContain('<!here>');
    const actions = m.blocks.find((b) => b.type === 'actions') as unknown as { elements: { action_id: string; value: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['claim', 'reply', 'escalate', 'close', 'spam']);
    expect(actions.elements.every((e) => e.value === 'TL-7KQ2-M9XD')).toBe(true);
  });

  it('urgent cases call <!here> and lead with the alarm', () => {
    const m = caseMessage({ ...base, urgent: true, priority: 'urgent', reasons: ['urgent:sale-imminent:今晚要卖'] });
    expect(m.text.startsWith('<!here>')).toBe(true);
    expect(JSON.stringify(m.blocks[0])).toContain('URGENT');
  });

  it('contact details appear only when shared; claimed and closed cases show it', () => {
    expect(JSON.stringify(caseMessage({ ...base, contact: '13912345678' }))).toContain('contact shared: 13912345678');
    const claimed = caseMessage({ ...base, status: 'claimed', claimedBy: 'slack:U123' });
    expect(JSON.stringify(claimed)).toContain('claimed by slack:U123');
    expect(JSON.stringify(claimed)).toContain('"action_id":"unclaim"');
    expect(caseMessage({ ...base, status: 'closed' }).blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('shows the likely children with reasons and the count of similar reports, escaped', () => {
    const m = caseMessage({
      ...base,
      candidates: [
        { number: 7, score: 0.96, confidence: 'strong', sources: ['photo', 'named'], reasons: ['photo:strong:d=4', 'named:#7'] },
        { number: 3, score: 0.4, confidence: 'possible', sources: ['photo'], reasons: ['photo:possible:d=14'] },
      ],
      candidateLines: ['#7 strong (0.96) — photo:strong:d=4, named:#7', '#3 possible (0.40) — <photo>:possible:d=14'],
      similar: { count: 14, first: 'TL-AAAA-BBBB', isFirst: false, others: ['TL-CCCC-DDDD'] },
      similarLine: '14 similar reports (first TL-AAAA-BBBB; also TL-CCCC-DDDD, …)',
    });
    const json = JSON.stringify(m);
    expect(json).toContain('#7 strong (0.96) — photo:strong:d=4, named:#7');
    expect(json).toContain('never tell the reporter');
    expect(json).toContain('&lt;photo&gt;');
    expect(json).toContain('14 similar reports (first TL-AAAA-BBBB');
    expect(JSON.stringify(caseMessage({ ...base, contactDetailsInText: ['phone', 'wechat'] }))).toContain('contains phone, wechat — not given through the consent step');
    // Nothing about candidates when there are none.
    expect(JSON.stringify(caseMessage(base))).not.toContain('Possible children');
  });
});
