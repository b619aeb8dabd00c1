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

const translators = new Map<string, TFunction>();

/**
 * A translator fixed to one locale and namespace: made once per pair, and remembering what it
 * rendered. i18next copies all its options on every call (several microseconds each, and a
 * reply has up to seven strings); the resources are loaded once and never change, so the same
 * key with the same plain parameters always renders the same string.
 */
export function translator(locale: SupportedLocale, ns: (typeof NAMESPACES)[number] = 'bot'): TFunction {
  const id = `${locale}\u0000${ns}`;
  let t = translators.get(id);
  if (!t) {
    t = remembering(getI18n().getFixedT(locale, ns));
    translators.set(id, t);
  }
  return t;
}

/** Most strings remembered per translator; past it the memory starts again (case codes churn). */
const REMEMBERED = 2000;

function remembering(t: TFunction): TFunction {
  const seen = new Map<string, string>();
  const call = t as unknown as (...args: unknown[]) => unknown;
  const wrapped = (key: unknown, options?: unknown, ...rest: unknown[]): unknown => {
    const id = typeof key === 'string' && rest.length === 0 ? memoKey(key, options) : undefined;
    if (id === undefined) return call(key, options, ...rest);
    const hit = seen.get(id);
    if (hit !== undefined) return hit;
    const out = call(key, options);
    // Only strings are remembered: an object (returnObjects) may be changed by its caller.
    if (typeof out === 'string') {
      if (seen.size >= REMEMBERED) seen.clear();
      seen.set(id, out);
    }
    return out;
  };
  return Object.assign(wrapped, t) as unknown as TFunction;
}

/**
 * A key for a call whose options are all short plain values under known names (a case code, a
 * number); undefined for anything else — a reporter's own words are never kept here.
 */
/** Parameters that are never a reporter's words (a case code, the emergency number, a count). */
const PLAIN_PARAMS = new Set(['code', 'emergency', 'count', 'max', 'maxMb', 'minutes', 'n', 'number', 'photos', 'defaultValue', 'lng', 'ns']);

function memoKey(key: string, options: unknown): string | undefined {
  if (options === undefined) return key;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return undefined;
  let id = key;
  for (const [k, v] of Object.entries(options)) {
    const type = typeof v;
    // Anything else (`text`, `link`, and whatever a template adds) may carry what a reporter typed.
    if (!PLAIN_PARAMS.has(k)) return undefined;
    if (type === 'string' ? (v as string).length > 64 : type !== 'number' && type !== 'boolean' && type !== 'undefined') return undefined;
    id += `\u0000${k}=${type === 'undefined' ? 'u' : JSON.stringify(v)}`;
  }
  return id;
}
