/**
 * The spam score: advertising words and links, contact ids beside advertising, the form of a
 * message (repeats, capitals, symbols), gibberish (keyboard mashing, random letters, one
 * character or emoji over and over) and abuse aimed at the service. Pure; the engine
 * (`index.ts`) hands in the keyword hits it found.
 *
 * Abuse only counts when the message carries no information: an angry tip ("these
 * traffickers are bastards, I saw them at 7号") is a tip, not spam.
 */

import { toSimplified } from './language.ts';
import { SPAM_SIGNALS, type RulePattern } from './rules.ts';

/** One keyword hit: the rule and the text it matched. */
export interface SpamHit {
  pattern: RulePattern;
  label: string;
}

/** What the engine knows about a message when it scores spam. */
export interface SpamInput {
  /** The prepared (NFKC, digit-folded) text. */
  text: string;
  /** Advertising words found. */
  ads: readonly SpamHit[];
  /** Insults and curses found. */
  abuse: readonly SpamHit[];
  /** Words that aim a message at the service (`you`, `你们`, `police`). */
  targets: readonly SpamHit[];
  hasLink: boolean;
  /** A WeChat id, QQ number or phone number is given (ads give one to be contacted). */
  hasContact: boolean;
  /** The message names a child and clearly is a tip or a family inquiry. */
  genuine: boolean;
  /**
   * The message carries information (a keyword vote of weight ≥ 3, a child number, a case
   * code, or urgency): gibberish and abuse then never make it spam.
   */
  informative: boolean;
  /** Any keyword of any category or of urgency matched (random Han characters match none). */
  anyKeyword: boolean;
}

/** The score (0..1) and the reasons behind it (empty when the score is 0). */
export interface SpamVerdict {
  score: number;
  reasons: string[];
}

/** Most keyword reasons given per signal. */
const MAX_REASONS = 3;

// ───────────────────────────────────────────── form

/** Characters counted in one pass for the spam signals of form. */
interface FormStats {
  /** Longest run of one repeated character (UTF-16 unit). */
  longestRun: number;
  latin: number;
  upper: number;
  visible: number;
  symbols: number;
}

/** True for a UTF-16 unit that is punctuation, a symbol or part of an emoji. */
function isSymbolUnit(c: number): boolean {
  if (c < 0x80) {
    return !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
  }
  return (
    (c >= 0xa1 && c <= 0xbf) ||
    c === 0xd7 ||
    c === 0xf7 ||
    (c >= 0x2010 && c <= 0x2bff) ||
    (c >= 0x3000 && c <= 0x303f) ||
    (c >= 0xd83c && c <= 0xd83e) || // high surrogates of emoji
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff01 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65)
  );
}

function formStats(text: string): FormStats {
  const stats: FormStats = { longestRun: 0, latin: 0, upper: 0, visible: 0, symbols: 0 };
  let run = 0;
  let prev = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    run = c === prev ? run + 1 : 1;
    prev = c;
    if (run > stats.longestRun) stats.longestRun = run;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3000) continue;
    stats.visible++;
    if (c >= 0x41 && c <= 0x5a) {
      stats.latin++;
      stats.upper++;
    } else if (c >= 0x61 && c <= 0x7a) {
      stats.latin++;
    } else if (isSymbolUnit(c)) {
      // an emoji is two units, the low one is not counted
      stats.symbols++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      stats.visible--;
    }
  }
  return stats;
}

// ───────────────────────────────────────────── gibberish

/** Keyboard rows (QWERTY and the Thai Kedmanee layout): a run along one is mashing. */
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'ๅ/-ภถุึคตจขช', 'ๆไำพะัีรนยบลฃ', 'ฟหกดเ้่าสวง', 'ผปแอิืทมใฝ'];
/** Every run of four keys along a row, forwards and backwards. */
const KEY_RUNS: ReadonlySet<string> = new Set(
  KEYBOARD_ROWS.flatMap((row) => {
    const keys = [...row];
    const out: string[] = [];
    for (let i = 0; i + 4 <= keys.length; i++) {
      const run = keys.slice(i, i + 4);
      out.push(run.join(''), [...run].reverse().join(''));
    }
    return out;
  }),
);
const HOME_ROW_RE = /^[asdfghjkl]{6,}$/;
const NO_VOWEL_RE = /^[^aeiouy]{4,}$/;
/** Real tokens without vowels. */
const VOWELLESS_WORDS = new Set(['http', 'https', 'html', 'cctv', 'hmmm', 'psst', 'shhh', 'pfft', 'brrr', 'grrr', 'zzzz', 'xxxx', 'mmmm', 'nnnn', 'whts', 'thnx', 'thks', 'txt', 'pdf']);
/** A syllable repeated for laughter, not mashing (`hahaha`, `hihihi`, `wkwkwk`). */
const LAUGH_RE = /^(?:h[aeiou]|[aeiou]h|ja|ka|xi|lo|la|wk|ke|he)$/;
const REPEATED_UNIT_RE = /^(.{2,4})\1+$/;

/** Counts four-key runs along a keyboard row in a string of one script. */
function keyRunChars(word: string): number {
  const chars = [...word];
  let covered = 0;
  let until = -1;
  for (let i = 0; i + 4 <= chars.length; i++) {
    if (!KEY_RUNS.has(chars.slice(i, i + 4).join(''))) continue;
    covered += Math.min(4, i + 4 - Math.max(i, until));
    until = i + 4;
  }
  return covered;
}

/** True when a Latin token looks mashed or random rather than a word in any language. */
function isGibberishToken(token: string): boolean {
  if (token.length < 4) return false;
  const unit = REPEATED_UNIT_RE.exec(token)?.[1];
  if (unit && token.length >= 6) return !LAUGH_RE.test(unit);
  if (keyRunChars(token) >= Math.min(5, token.length)) return true;
  if (HOME_ROW_RE.test(token)) return true;
  return NO_VOWEL_RE.test(token) && !VOWELLESS_WORDS.has(token);
}

const LATIN_TOKEN_RE = /[a-z]+/g;
const THAI_RUN_RE = /[\u0e00-\u0e7f/-]+/g;
const HAN_RE = /\p{Script=Han}/gu;
const HAN_CHAR_RE = /\p{Script=Han}/u;
const LETTER_RE = /\p{L}/gu;
const PICTO_RE = /\p{Extended_Pictographic}/gu;
const NOT_EMOJI_RE = /[^\p{Extended_Pictographic}\u200d\ufe0f\u20e3\u{1f3fb}-\u{1f3ff}\s]/u;

/** Emoji only, eight or more: a row of 🔥 or 😂 says nothing. */
const EMOJI_FLOOD = 8;
/** One letter repeated this often, and nothing else, is noise (`啊啊啊啊啊啊啊啊`, `kkkkkkkk`). */
const ONE_LETTER_FLOOD = 8;

/** Common two-character words: a long Han run with almost none of them is random characters. */
const HAN_WORDS: ReadonlySet<string> = new Set(
  (
    '我们 你们 他们 她们 孩子 小孩 宝宝 婴儿 看到 看见 知道 现在 今天 明天 昨天 时候 什么 怎么 这个 那个 一个 没有 可以 ' +
    '已经 还是 就是 不是 如果 因为 所以 但是 然后 自己 妈妈 爸爸 儿子 女儿 家里 村里 邻居 警察 照片 新闻 谢谢 希望 觉得 ' +
    '地方 电话 消息 朋友 老婆 老公 一起 问题 事情 早日 回家 心里 难受 可怜 真的 好像 很像 出来 起来 东西 时间 喜欢 里面 ' +
    '这里 那里 哪里 这样 那样 一样 多少 一下 一直 应该 需要 帮忙 帮助 告诉 发现 认识 以前 以后 之前 之后 年前 一次 ' +
    '这些 那些 大家 我家 他家 她家 人家 火车 车站 医院 学校 公安 派出 报警 举报 线索 领养 收养 寻找 丢失 走失 被拐 买卖 ' +
    '不能 不会 不要 不用 这种 那种 发生 有人 两个 还没 为什么 可能 一定 事情 生气 心疼 难过 伤心 系统 时间 浪费 社会 国家 ' +
    '政府 法律 父母 家长 小时 晚上 早上 中午 下午 上午 感觉 相信 担心 害怕 支持 加油 平安 健康 团聚 幸福 孩子们 回来 出去 ' +
    // Cantonese and Hokkien: written Chinese too, not random characters.
    '而家 宜家 佢哋 唔系 唔好 喺度 边度 乜嘢 睇到 睇见 细路 我哋 你哋 点解 几时 囡仔 阮厝'
  ).split(' '),
);
const HAN_SOUP_MIN = 12;
/**
 * Characters real Chinese sentences are full of (particles, pronouns, negation, copula). Random
 * characters typed by mashing the keyboard through an IME (阿斯顿发送到发斯蒂芬…) have almost none.
 */
const HAN_FUNCTION_CHARS: ReadonlySet<string> = new Set([...'的了吗呢吧啊呀我你他她们是不没在有这那就都也还很要会说个么么嘛哦' + '嘅咗唔佢喺嘢冇啲咁噉哋嚟乜系咩嗰' + '阮佇攏拢咧伊']);
/** Fewer function characters than this share of the Han run, and almost no common words: soup. */
const HAN_SOUP_FUNCTION_SHARE = 0.06;
/** Symbols only (no letters, no digits), at least this long and of several kinds: keyboard noise. */
const SYMBOL_NOISE_MIN = 8;

/** Gibberish of one kind, with its reason; score 0 when the text reads as language. */
function gibberish(text: string, anyKeyword: boolean): { score: number; reason: string } {
  const lower = text.toLowerCase();
  const letters = lower.match(LETTER_RE)?.length ?? 0;
  // Emoji flood.
  const pictos = text.match(PICTO_RE)?.length ?? 0;
  if (pictos >= EMOJI_FLOOD && !NOT_EMOJI_RE.test(text)) return { score: 0.8, reason: 'spam:gibberish:emoji' };
  if (letters === 0) {
    // No letters at all: punctuation banged out ("!!!!!@@@@####$$$$") or one digit held down
    // ("1111111111111111") says nothing. Phone numbers and dates vary their digits.
    const compactNoLetters = text.replace(/\s+/g, '');
    if (compactNoLetters.length >= SYMBOL_NOISE_MIN && /^[\p{P}\p{S}]+$/u.test(compactNoLetters) && new Set(compactNoLetters).size >= 3) {
      return { score: 0.8, reason: 'spam:gibberish:symbols' };
    }
    if (compactNoLetters.length >= ONE_LETTER_FLOOD && /^(\d)\1+$/.test(compactNoLetters)) return { score: 0.8, reason: 'spam:gibberish:repeated' };
    return { score: 0, reason: '' };
  }
  // One letter over and over.
  const compact = lower.replace(/[\s\p{P}\p{S}]+/gu, '');
  if (compact.length >= ONE_LETTER_FLOOD && new Set(compact).size === 1) return { score: 0.8, reason: 'spam:gibberish:repeated' };
  // Latin mashing: most Latin letters in mashed tokens, and they are most of the letters.
  let latin = 0;
  let mashed = 0;
  for (const token of lower.match(LATIN_TOKEN_RE) ?? []) {
    latin += token.length;
    if (isGibberishToken(token)) mashed += token.length;
  }
  if (mashed >= 6 && mashed >= latin * 0.6 && mashed >= letters * 0.6) return { score: 0.8, reason: 'spam:gibberish:keyboard' };
  // Thai keyboard mashing.
  let thai = 0;
  let thaiRuns = 0;
  for (const run of text.match(THAI_RUN_RE) ?? []) {
    thai += run.length;
    thaiRuns += keyRunChars(run);
  }
  if (thaiRuns >= 8 && thaiRuns >= thai * 0.5) return { score: 0.8, reason: 'spam:gibberish:keyboard' };
  // Random Han characters: a long run in which almost no neighbours form a common word.
  const han = text.match(HAN_RE)?.length ?? 0;
  if (!anyKeyword && han >= HAN_SOUP_MIN && han >= letters * 0.8) {
    // Compared in simplified form, so traditional text reads as words too (看過 = 看过).
    const chars = [...toSimplified(text)].filter((c) => HAN_CHAR_RE.test(c));
    let words = 0;
    let functions = 0;
    for (let i = 0; i < chars.length; i++) {
      if (HAN_FUNCTION_CHARS.has(chars[i]!)) functions++;
      if (i + 1 < chars.length && HAN_WORDS.has(chars[i]! + chars[i + 1]!)) words++;
    }
    // No common word at all, or hardly a particle and at most one word (an IME mash hits 地方).
    if (words === 0 || (functions < chars.length * HAN_SOUP_FUNCTION_SHARE && words <= 1)) {
      return { score: 0.75, reason: 'spam:gibberish:han' };
    }
  }
  return { score: 0, reason: '' };
}

// ───────────────────────────────────────────── the score

/** Scores one message for spam. See the module comment for the signals. */
export function spamVerdict(input: SpamInput): SpamVerdict {
  const { text, hasLink } = input;
  const reasons: string[] = [];
  let ads = 0;
  for (const hit of input.ads) ads += hit.pattern.weight;
  ads = Math.min(ads, 1);
  let form = 0;
  const stats = formStats(text);
  if (stats.longestRun >= 10) {
    form += SPAM_SIGNALS.repeated;
    reasons.push('spam:repeated');
  }
  if (stats.latin >= 12 && stats.upper / stats.latin >= 0.8) {
    form += SPAM_SIGNALS.shouting + (hasLink ? SPAM_SIGNALS.shoutingWithLink : 0);
    reasons.push(hasLink ? 'spam:shouting+link' : 'spam:shouting');
  }
  if (stats.visible >= 15 && stats.symbols / stats.visible > 0.5) {
    form += SPAM_SIGNALS.symbols;
    reasons.push('spam:symbols');
  }
  let score = ads + Math.min(form, SPAM_SIGNALS.formCap) + (hasLink ? SPAM_SIGNALS.link : 0);
  if (hasLink && ads >= SPAM_SIGNALS.promoWithLinkMin) {
    score = Math.max(score, SPAM_SIGNALS.linkWithPromo);
    reasons.unshift('spam:link+promo');
  } else if (hasLink) {
    reasons.unshift('spam:link');
  }
  // "加微信 …, 日赚500": an id to write to beside advertising is how ads without links work.
  if (input.hasContact && ads >= SPAM_SIGNALS.promoWithContactMin && !input.informative) {
    score = Math.max(score, SPAM_SIGNALS.linkWithPromo);
    reasons.unshift('spam:contact+promo');
  }
  for (const hit of input.ads.slice(0, MAX_REASONS)) reasons.push(`spam:ad:${hit.label}`);

  if (!input.informative) {
    const g = gibberish(text, input.anyKeyword);
    if (g.score > 0) {
      score = Math.max(score, g.score);
      reasons.unshift(g.reason);
    }
    let abuse = 0;
    for (const hit of input.abuse) abuse += hit.pattern.weight;
    if (abuse > 0) {
      if (input.targets.length > 0) abuse += SPAM_SIGNALS.abuseAimed;
      score = Math.max(score, Math.min(1, abuse + ads));
      for (const hit of input.abuse.slice(0, MAX_REASONS)) reasons.push(`spam:abuse:${hit.label}`);
    }
  }
  if (input.genuine && score > 0) score -= SPAM_SIGNALS.genuineDiscount;
  score = Math.round(Math.min(1, Math.max(0, score)) * 100) / 100;
  return { score, reasons: score > 0 ? reasons : [] };
}
