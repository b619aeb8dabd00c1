/**
 * The locales the product speaks, and how any language tag maps onto one of them.
 * Adding a language: add `locales/<tag>/*.json` (complete), then add the tag here.
 */

/** Locales with complete translations, in menu order. */
export const SUPPORTED_LOCALES = ['zh-CN', 'zh-TW', 'en'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** Each locale's name in its own language, for language menus. */
export const LOCALE_NAMES: Record<SupportedLocale, string> = {
  'zh-CN': '简体中文',
  'zh-TW': '繁體中文',
  en: 'English',
};

/**
 * Maps a BCP 47 tag (`zh`, `zh-Hant-HK`, `en-GB`, `EN`) to a supported locale,
 * or `undefined` when the product does not speak it.
 */
export function resolveSupportedLocale(tag: string | undefined | null): SupportedLocale | undefined {
  if (!tag) return undefined;
  const t = tag.trim().replace(/_/g, '-').toLowerCase();
  if (t === '') return undefined;
  const [lang, ...rest] = t.split('-');
  if (lang === 'zh') {
    if (rest.includes('hans')) return 'zh-CN';
    if (rest.includes('hant') || rest.some((r) => r === 'tw' || r === 'hk' || r === 'mo')) return 'zh-TW';
    return 'zh-CN';
  }
  if (lang === 'en') return 'en';
  return undefined;
}

/** True when `tag` names one of the supported locales exactly. */
export function isSupportedLocale(tag: string): tag is SupportedLocale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(tag);
}

/** Language names in English, for caseworkers (any BCP 47 tag triage may report). */
const ENGLISH_NAMES: Record<string, string> = {
  'zh-CN': 'Chinese (Simplified)',
  'zh-TW': 'Chinese (Traditional)',
  en: 'English',
  vi: 'Vietnamese',
  th: 'Thai',
  ru: 'Russian',
  ar: 'Arabic',
  ko: 'Korean',
  ja: 'Japanese',
  und: 'unknown',
};

/** "Chinese (Simplified)" for `zh-CN`; the tag itself when we have no name for it. */
export function languageNameInEnglish(tag: string): string {
  return ENGLISH_NAMES[tag] ?? tag;
}
