/**
 * The trained urgency model: committed, deterministic, only ever adds urgency, never on its own
 * (it weighs only what the word lists half-saw), never against a calm or past marker.
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/core/triage/index.ts';
import { committedModel, features, parseModel, serializeModel, urgentProbability } from '../../src/core/triage/urgency-model.ts';

describe('urgency model', () => {
  it('is committed, loads, and survives a round trip', () => {
    const m = committedModel();
    expect(m).not.toBeNull();
    // Chosen by the training rule (out-of-fold precision >= 0.8, best F2, scanned down to 0.05), not
    // by hand. It has moved between 0.12 and 0.53 as rows were added, so the gate in `index.ts`
    // (never alone, a child beside a bare "now", nothing pointing away) carries the precision.
    expect(m!.threshold).toBeGreaterThanOrEqual(0.05);
    expect(m!.threshold).toBeLessThan(0.9);
    expect(m!.trainedOn).toMatch(/train\.jsonl/);
    // heldout-2 … -4 joined training once they had been scored blind.
    expect(m!.trainedOn).toMatch(/heldout-4/);
    // heldout-5 joined once scored blind; heldout-6 is being written blind and must never be trained on.
    expect(m!.trainedOn).toMatch(/heldout-5/);
    expect(m!.trainedOn).not.toMatch(/heldout-6/);
    const again = parseModel(serializeModel(m!))!;
    expect(urgentProbability(again, '他们今晚要把孩子带走')).toBeCloseTo(urgentProbability(m!, '他们今晚要把孩子带走'), 6);
    expect(parseModel('{"buckets":3}')).toBeUndefined();
    expect(parseModel('not json')).toBeUndefined();
  });

  it('features are deterministic and bounded for hostile input', () => {
    expect(features('They are selling the baby tonight')).toEqual(features('They are selling the baby tonight'));
    for (const t of ['', '\u0000', '🙂'.repeat(10_000), 'a'.repeat(100_000)]) expect(() => features(t)).not.toThrow();
    expect(features('x'.repeat(100_000)).length).toBeLessThan(10);
  });

  it('never makes urgent what has no urgency word at all, nor what points away from now', () => {
    for (const t of ['no', '2', '不用了', 'hope baby #4 gets better soon 🙏', '希望3号宝宝早日回家', 'I may have seen him at a market', '谢谢你们', 'Is my baby in danger now?', '孩子现在没有危险，已经安全了', 'I saw a baby being sold last year']) {
      expect(triage(t).urgent, t).toBe(false);
    }
  });

  it('rules still decide without it (training reads the rules alone)', () => {
    const t = 'They are selling a baby tonight behind the bus station';
    expect(triage(t, { urgencyModel: false }).urgent).toBe(true);
    expect(triage(t).urgent).toBe(true);
  });
});
