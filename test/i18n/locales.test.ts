/**
 * Every locale has every key with the same placeholders, and no Chinese string carries an
 * untranslated English sentence.
 */
import { describe, expect, it } from 'vitest';
import { readLocaleResources, SUPPORTED_LOCALES, translator } from '../../src/i18n/index.ts';
import { englishRuns } from '../helpers/core.ts';

type Tree = Record<string, unknown>;
const flatten = (o: Tree, pre = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(o).flatMap(([k, v]) =>
      v && typeof v === 'object' ? Object.entries(flatten(v as Tree, `${pre}${k}.`)) : [[`${pre}${k}`, String(v)]],
    ),
  );
const placeholders = (s: string) => [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

const resources = readLocaleResources();
const flat: Record<string, Record<string, string>> = {};
for (const [lng, namespaces] of Object.entries(resources)) {
  flat[lng] = {};
  for (const [ns, tree] of Object.entries(namespaces)) {
    for (const [k, v] of Object.entries(flatten(tree as Tree))) flat[lng]![`${ns}:${k}`] = v;
  }
}
const allKeys = [...new Set(Object.values(flat).flatMap((m) => Object.keys(m)))].sort();

describe('locales', () => {
  it('every supported locale has a folder, and every folder is supported', () => {
    expect(Object.keys(resources).sort()).toEqual([...SUPPORTED_LOCALES].sort());
  });

  it.each(Object.keys(flat))('%s has every key any locale has', (lng) => {
    const missing = allKeys.filter((k) => !(k in flat[lng]!));
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(flat))('%s uses the same placeholders as English, and no empty strings', (lng) => {
    for (const key of allKeys) {
      const value = flat[lng]![key]!;
      expect(value.trim(), `${lng} ${key}`).not.toBe('');
      expect(placeholders(value), `${lng} ${key}`).toEqual(placeholders(flat.en![key]!));
    }
  });

  it.each(['zh-CN', 'zh-TW'])('%s has no English sentence in any string', (lng) => {
    const offenders = Object.entries(flat[lng]!)
      .map(([k, v]) => [k, englishRuns(v)] as const)
      .filter(([, runs]) => runs.length > 0);
    expect(offenders).toEqual([]);
  });

  it.each(['zh-CN', 'zh-TW'])('%s strings differ from the English ones (not copied)', (lng) => {
    const same = allKeys.filter((k) => flat[lng]![k] === flat.en![k] && /[A-Za-z]{4,}/.test(flat.en![k]!));
    expect(same).toEqual([]);
  });

  it('translators resolve keys with interpolation', () => {
    expect(translator('zh-CN')('privacy', { emergency: '110' })).toContain('110');
    expect(translator('en')('tip.submitted', { code: 'TL-7KQ2-M9XD' })).toContain('TL-7KQ2-M9XD');
    expect(translator('zh-TW', 'templates')('thanks.text')).toMatch(/感謝/);
  });
});
