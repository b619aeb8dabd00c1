/**
 * Every user-facing string goes through here. Translations live in `locales/<lng>/<ns>.json`
 * and are loaded synchronously at start-up into one i18next instance.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type TFunction } from 'i18next';
import { SUPPORTED_LOCALES, type SupportedLocale } from './locales.ts';

export { SUPPORTED_LOCALES, LOCALE_NAMES, resolveSupportedLocale, isSupportedLocale, languageNameInEnglish } from './locales.ts';
export type { SupportedLocale } from './locales.ts';

/** The folder holding `locales/<lng>/*.json`. */
export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../locales');

/** Namespaces: `bot` (conversation), `webchat` (page chrome), `templates` (caseworker replies). */
export const NAMESPACES = ['bot', 'webchat', 'templates'] as const;

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Reads every locale's JSON files. Exported for the completeness test. */
export function readLocaleResources(dir = LOCALES_DIR): Resources {
  const resources: Resources = {};
  for (const lng of readdirSync(dir)) {
    const lngDir = path.join(dir, lng);
    if (!existsSync(lngDir)) continue;
    resources[lng] = {};
    for (const file of readdirSync(lngDir).filter((f) => f.endsWith('.json'))) {
      resources[lng]![file.replace(/\.json$/, '')] = JSON.parse(readFileSync(path.join(lngDir, file), 'utf8'));
    }
  }
  return resources;
}

let instance: i18n | undefined;

/** The shared, initialised i18next instance (created on first use, synchronously). */
export function getI18n(): i18n {
  if (instance) return instance;
  const inst = i18next.createInstance();
  void inst.init({
    resources: readLocaleResources(),
    supportedLngs: [...SUPPORTED_LOCALES],
    fallbackLng: false,
    ns: [...NAMESPACES],
    defaultNS: 'bot',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instance = inst;
  return inst;
}

/** A translator fixed to one locale and namespace. */
export function translator(locale: SupportedLocale, ns: (typeof NAMESPACES)[number] = 'bot'): TFunction {
  return getI18n().getFixedT(locale, ns);
}
