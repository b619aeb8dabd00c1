/**
 * Which circulated children a family's description could be, best first, each with short
 * reasons, so a caseworker knows which DNA comparison to ask for first. The inquirer never
 * sees this.
 *
 * Evidence is added up in points and turned into a 0..1 score: a matching mark is the
 * strongest, then a birth month within a few months, then the place; a sex mismatch all but
 * rules a child out, and a child found before it was lost is impossible. Pure: no I/O, the
 * clock is `now`.
 */
import { Lexicon, clauseSpans, foldText, nearLocations, readMarks, stripAccents, type Mark, type MarkReading } from './marks.ts';
import {
  comparePlaces,
  findAges,
  findDates,
  findPlaces,
  formatMonth,
  monthIndex,
  resolveDate,
  type DateMention,
  type MonthRange,
  type Place,
  type PlaceRelation,
} from './when-where.ts';

/** What a parent or relative told the bot about their missing child. */
export interface FamilyInquiry {
  sex?: 'boy' | 'girl';
  /** Free-text answers as typed. */
  dob?: string;
  lost?: string;
  marks?: string;
  /** Everything else the inquirer wrote (may also mention dates, places, marks). */
  text?: string;
  /** A child number the inquirer named, if any (a hint, never proof). */
  named?: number | null;
}

/** The catalogue's facts about one circulated child (see `CatalogueChild`). */
export interface CatalogueFacts {
  number: number;
  sex?: string;
  estimatedBirth?: string;
  foundDate?: string;
  foundPlace?: string;
  marks?: string;
}

/** One child the inquiry could be. */
export interface FamilyCandidate {
  number: number;
  /** 0..1 */
  score: number;
  /** Short machine-readable reasons, positive and negative, e.g.
   *  "sex:boy", "sex-mismatch", "birth:2013-01~2013-01", "birth-far:14mo", "lost-before-found:2013-02<2013-06-28",
   *  "lost-after-found", "place:same-prefecture:Honghe", "mark:birthmark@shoulder", "mark-missing:eye", "named:#7" */
  reasons: string[];
}

/** How many candidates are returned when no limit is given. */
export const DEFAULT_FAMILY_LIMIT = 5;
/** Candidates scoring below this are left out. */
export const FAMILY_SCORE_FLOOR = 0.25;

/** Points for each piece of evidence. Score = 1 − e^(−points / SCALE). */
const POINTS = {
  scale: 3,
  sex: 0.5,
  sexMismatch: -6,
  named: 1.5,
  birth: [2.5, 2.5, 1.8, 1.0] as readonly number[], // by months apart: 0, 1, 2, 3
  birthNear: 0.3, // 4–6 months apart
  birthFar: -0.5, // 7–11
  birthYearOff: -1.0, // a year or more
  /** A year-wide birth ("2013", "1岁") says less, either way. */
  vagueBirth: 0.4,
  lostBeforeFound: 0.3,
  lostBeforeBirth: -2,
  place: { 'same-city': 0.6, 'same-prefecture': 0.45, 'same-province': 0.3, neighbouring: 0.1, 'same-country': 0, far: -0.1 } as Record<PlaceRelation, number>,
  markMissing: -0.8,
  markUnmentioned: -0.3,
  markDenied: -1.0,
  marksCap: 6,
} as const;

/** How distinctive a kind of mark is: an extra toe narrows more than a hair whorl. */
const KIND_WEIGHT: Readonly<Record<string, number>> = {
  birthmark: 1, mole: 0.9, scar: 0.9, burn: 1, eye: 1.1, 'hair-whorl': 0.6, 'extra-digit': 1.2, 'cleft-lip': 1.2,
  deformity: 0.9, hearing: 0.9, heart: 0.9, 'ear-tag': 1.1, hernia: 0.7, dimple: 0.6, mark: 0.7,
};
/** Kinds a parent and a record may call one thing by two names. */
const SIMILAR_KINDS: ReadonlyArray<readonly [string, string]> = [
  ['birthmark', 'mole'], ['birthmark', 'mark'], ['mole', 'mark'], ['scar', 'mark'], ['burn', 'mark'], ['scar', 'burn'],
  ['extra-digit', 'deformity'], ['cleft-lip', 'deformity'], ['ear-tag', 'deformity'], ['birthmark', 'burn'],
];
/** Marks present from birth and visible, which a parent would know and a record would not miss. */
const CONGENITAL = new Set(['birthmark', 'extra-digit', 'cleft-lip', 'ear-tag', 'eye']);

/**
 * Ranks the catalogue children an inquiry could be, best first (ties by number), at most
 * `limit` (default {@link DEFAULT_FAMILY_LIMIT}). Only children with some positive evidence
 * and a score of at least {@link FAMILY_SCORE_FLOOR} are returned; a sex mismatch ranks last,
 * a child found before it was lost is left out. Pure; never throws.
 */
export function matchFamilyInquiry(inquiry: FamilyInquiry, catalogue: readonly CatalogueFacts[], now: Date, limit?: number): FamilyCandidate[] {
  try {
    const max = typeof limit === 'number' && Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : DEFAULT_FAMILY_LIMIT;
    const clock = now instanceof Date && Number.isFinite(now.getTime()) ? now : undefined;
    const facts = readInquiry(inquiry ?? {}, clock);
    const ranked: Array<FamilyCandidate & { mismatch: boolean }> = [];
    const seen = new Set<number>();
    for (const child of Array.isArray(catalogue) ? catalogue : []) {
      if (!child || !Number.isSafeInteger(child.number) || seen.has(child.number)) continue;
      seen.add(child.number);
      const c = scoreChild(facts, child);
      if (c) ranked.push(c);
    }
    ranked.sort((a, b) => Number(a.mismatch) - Number(b.mismatch) || b.score - a.score || a.number - b.number);
    return ranked.slice(0, max).map(({ number, score, reasons }) => ({ number, score, reasons }));
  } catch {
    // A matcher that throws would lose the inquiry's case; no ranking is the safe failure.
    return [];
  }
}

// ───────────────────────────────────────────── reading the inquiry

interface When extends MonthRange {
  label: string;
  day?: number;
}

interface InquiryFacts {
  /** As answered, or else as written ("我儿子", "my daughter", "con trai"). */
  sex?: 'boy' | 'girl';
  birth?: When;
  lost?: When;
  places: Place[];
  marks: MarkReading;
  named?: number;
}

const BIRTH_WORDS_RE = /出生|生于|生的|生日|出世|生下|born|birth|dob|d\.o\.b|ngày sinh|sinh|เกิด|မွေး/u;
const LOST_WORDS_RE =
  /丢|走失|失踪|被拐|拐走|被偷|偷走|抱走|不见|失散|被人带走|lost|missing|taken|stolen|abducted|disappeared|kidnapped|mất tích|bắt cóc|bị lạc|thất lạc|bị mất|bị bắt|หาย|ลักพา|ถูกลัก|ถูกขโมย|ပျောက်|ခိုး|ပြန်ပေး/u;

const SEX_LEX = new Lexicon({
  boy: [
    '儿子', '男孩', '男宝', '男婴', '男娃', '(?:my|our|his|her|the) son', 'boys?', 'baby boy', 'con trai', 'bé trai', 'cháu trai', 'ลูกชาย', 'เด็กผู้ชาย',
    'เด็กชาย', 'သားလေး', 'ကျွန်(?:မ|တော့်)\\s?သား', 'လသား', 'နှစ်သား', 'ယောက်ျားလေး',
  ],
  girl: [
    '女儿', '女孩', '女宝', '女婴', '女娃', 'daughters?', 'girls?', 'baby girl', 'con gái', 'bé gái', 'cháu gái', 'ลูกสาว',
    'เด็กผู้หญิง', 'เด็กหญิง', 'သမီး', 'မိန်းကလေး',
  ],
});

/** "boy", "male", "男", "儿子"… as typed by an inquirer or stored in the catalogue. */
function normaliseSex(value: unknown): 'boy' | 'girl' | undefined {
  if (typeof value !== 'string') return undefined;
  const t = foldText(value).trim();
  if (/^(?:boy|male|m|son|男|男孩|儿子|男宝)$/.test(t)) return 'boy';
  if (/^(?:girl|female|f|daughter|女|女孩|女儿|女宝)$/.test(t)) return 'girl';
  return undefined;
}

/** What the inquiry says; without a valid clock, dates are left out (relative ones cannot be placed). */
function readInquiry(q: FamilyInquiry, now: Date | undefined): InquiryFacts {
  const fields = {
    dob: foldText(q.dob),
    lost: foldText(q.lost),
    marks: foldText(q.marks),
    text: foldText(q.text),
  };
  const facts: InquiryFacts = { places: [], marks: { present: [], denied: [], none: false } };
  facts.sex = normaliseSex(q.sex);
  if (!facts.sex) {
    const all = `${fields.dob}\n${fields.lost}\n${fields.text}`;
    const said = new Set(SEX_LEX.find(all, stripAccents(all)).map((h) => h.id));
    if (said.size === 1) facts.sex = [...said][0] as 'boy' | 'girl';
  }
  if (typeof q.named === 'number' && Number.isSafeInteger(q.named)) facts.named = q.named;
  if (now) readWhen(fields, now, facts);
  for (const f of [fields.lost, fields.text, fields.dob]) {
    for (const p of findPlaces(f)) if (!facts.places.some((x) => x.id === p.id)) facts.places.push(p);
  }
  // Marks come from the marks answer first, then from whatever else they wrote ("左肩有胎记" in passing).
  const fromMarks = readMarks(typeof q.marks === 'string' ? q.marks : '');
  const fromText = readMarks([q.text, q.dob, q.lost].filter((x) => typeof x === 'string').join('\n'));
  facts.marks = {
    present: [...fromMarks.present, ...fromText.present.filter((m) => !fromMarks.present.some((x) => x.kind === m.kind && x.location === m.location))],
    denied: [...new Set([...fromMarks.denied, ...fromText.denied])],
    none: fromMarks.none && !fromMarks.present.length,
  };
  return facts;
}

type Role = 'birth' | 'lost' | undefined;

/** Dates and ages, each taken as the birth or the loss by the words of its clause, else by its field. */
function readWhen(fields: Record<'dob' | 'lost' | 'marks' | 'text', string>, now: Date, facts: InquiryFacts): void {
  const nowIdx = monthIndex(now.getUTCFullYear(), now.getUTCMonth() + 1);
  const births: DateMention[] = [];
  const losses: DateMention[] = [];
  const ages: Array<{ months: number; spread: number; now: boolean }> = [];
  for (const [name, folded] of Object.entries(fields)) {
    if (!folded || name === 'marks') continue;
    const fallback: Role = name === 'dob' ? 'birth' : name === 'lost' ? 'lost' : undefined;
    const spans = clauseSpans(folded);
    const roles = new Map<number, Role>();
    const roleAt = (at: number): Role => {
      const i = spans.findIndex(([a, b]) => at >= a && at < b);
      if (!roles.has(i)) {
        const clause = i < 0 ? folded : folded.slice(spans[i]![0], spans[i]![1]);
        const birth = BIRTH_WORDS_RE.test(clause);
        const lost = LOST_WORDS_RE.test(clause);
        roles.set(i, birth && !lost ? 'birth' : lost && !birth ? 'lost' : fallback);
      }
      return roles.get(i);
    };
    for (const d of findDates(folded, now)) {
      const role = roleAt(d.at);
      if (role === 'birth') births.push(d);
      else if (role === 'lost') losses.push(d);
    }
    ages.push(...findAges(folded));
  }
  // Dates with their year first; a month alone is placed by the other date ("2013年1月出生，2月丢的").
  const birthDated = births.find((d) => d.year !== undefined);
  const lostDated = losses.find((d) => d.year !== undefined);
  let birth = birthDated ? resolveDate(birthDated, { notAfter: nowIdx }) : undefined;
  let lost = lostDated ? resolveDate(lostDated, { after: birth?.lo, notAfter: nowIdx }) : undefined;
  if (!birth && lost && births[0]) birth = resolveDate(births[0], { notAfter: lost.hi });
  if (!lost && birth && losses[0]) lost = resolveDate(losses[0], { after: birth.lo, notAfter: nowIdx });
  if (lost) facts.lost = when(lost, lostDated ?? losses[0]);
  if (birth) facts.birth = when(birth);
  // An age gives the birth when no date did: "3个月大" lost in 2013-02 was born about 2012-11.
  const age = ages[0];
  if (!facts.birth && age) {
    const ref = age.now ? { lo: nowIdx, hi: nowIdx } : facts.lost;
    if (ref) facts.birth = when({ lo: Math.round(ref.lo - age.months - age.spread), hi: Math.round(ref.hi - age.months + age.spread) });
  }
}

/** A range with its label; the day of a single-month `d` is kept (a loss on 06-29 is after a find on 06-28). */
function when(r: MonthRange, d?: DateMention): When {
  const w: When = { lo: r.lo, hi: r.hi, label: rangeLabel(r) };
  if (d?.day !== undefined && r.lo === r.hi) {
    w.day = d.day;
    w.label += `-${String(d.day).padStart(2, '0')}`;
  }
  return w;
}

function rangeLabel(r: MonthRange): string {
  if (r.hi - r.lo <= 2) return formatMonth(Math.round((r.lo + r.hi) / 2));
  if (r.lo % 12 === 0 && r.hi === r.lo + 11) return String(r.lo / 12);
  return `${formatMonth(r.lo)}..${formatMonth(r.hi)}`;
}

// ───────────────────────────────────────────── the catalogue side

interface ChildFacts {
  sex?: 'boy' | 'girl';
  birth?: MonthRange & { label: string };
  found?: { month: number; day?: number; label: string };
  place?: Place;
  marks: MarkReading;
}

/** Catalogue records are few and rarely change: read each once. */
const CHILD_CACHE = new Map<string, ChildFacts>();
const CHILD_CACHE_MAX = 2000;

function readChild(c: CatalogueFacts): ChildFacts {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const key = [c.sex, c.estimatedBirth, c.foundDate, c.foundPlace, c.marks].map(str).join('\u0001');
  const cached = CHILD_CACHE.get(key);
  if (cached) return cached;
  const facts: ChildFacts = { marks: readMarks(str(c.marks)) };
  const sex = normaliseSex(c.sex);
  if (sex) facts.sex = sex;
  const b = /^\s*(\d{4})(?:-(\d{1,2}))?/.exec(str(c.estimatedBirth));
  if (b) {
    const y = Number(b[1]);
    const m = b[2] ? Number(b[2]) : undefined;
    if (m !== undefined && m >= 1 && m <= 12) facts.birth = { lo: monthIndex(y, m), hi: monthIndex(y, m), label: formatMonth(monthIndex(y, m)) };
    else facts.birth = { lo: monthIndex(y, 1), hi: monthIndex(y, 12), label: String(y) };
  }
  const f = /^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?/.exec(str(c.foundDate));
  if (f && Number(f[2]) >= 1 && Number(f[2]) <= 12) {
    facts.found = { month: monthIndex(Number(f[1]), Number(f[2])), label: str(c.foundDate).trim().slice(0, 10) };
    if (f[3]) facts.found.day = Number(f[3]);
  }
  const place = findPlaces(foldText(str(c.foundPlace)))[0];
  if (place) facts.place = place;
  if (CHILD_CACHE.size >= CHILD_CACHE_MAX) CHILD_CACHE.clear();
  CHILD_CACHE.set(key, facts);
  return facts;
}

// ───────────────────────────────────────────── scoring one child

function scoreChild(q: InquiryFacts, child: CatalogueFacts): (FamilyCandidate & { mismatch: boolean }) | undefined {
  const c = readChild(child);
  const reasons: string[] = [];
  let points = 0;
  let positive = false;
  const add = (p: number, reason: string, evidence = true) => {
    points += p;
    reasons.push(reason);
    if (p > 0 && evidence) positive = true;
  };

  if (q.named !== undefined && q.named === child.number) add(POINTS.named, `named:#${child.number}`);

  let mismatch = false;
  if (q.sex && c.sex) {
    if (q.sex === c.sex) add(POINTS.sex, `sex:${q.sex}`, false);
    else {
      mismatch = true;
      add(POINTS.sexMismatch, 'sex-mismatch');
    }
  }

  if (q.birth && c.birth) {
    const apart = Math.max(0, c.birth.lo - q.birth.hi, q.birth.lo - c.birth.hi);
    const vague = q.birth.hi - q.birth.lo > 3 || c.birth.hi - c.birth.lo > 3;
    const scale = (p: number) => (vague ? p * POINTS.vagueBirth : p);
    const close = POINTS.birth[apart];
    if (close !== undefined) add(scale(close), `birth:${q.birth.label}~${c.birth.label}`);
    else if (apart <= 6) add(scale(POINTS.birthNear), `birth-near:${apart}mo`);
    else if (apart < 12) add(scale(POINTS.birthFar), `birth-far:${apart}mo`);
    else add(scale(POINTS.birthYearOff), `birth-far:${apart}mo`);
  }

  if (q.lost && c.found) {
    const after = q.lost.lo > c.found.month || (q.lost.lo === c.found.month && q.lost.hi === q.lost.lo && q.lost.day !== undefined && c.found.day !== undefined && q.lost.day > c.found.day);
    // Found before it was lost: not this child.
    if (after) return undefined;
    if (c.found.month - q.lost.hi <= 24) add(POINTS.lostBeforeFound, `lost-before-found:${q.lost.label}<${c.found.label}`, false);
  }
  if (q.lost && c.birth && q.lost.hi < c.birth.lo - 2) add(POINTS.lostBeforeBirth, `lost-before-birth:${q.lost.label}<${c.birth.label}`);

  if (c.place && q.places.length) {
    const best = q.places
      .map((p) => comparePlaces(p, c.place!))
      .sort((a, b) => POINTS.place[b.relation] - POINTS.place[a.relation])[0]!;
    if (best.relation === 'far') add(POINTS.place.far, `place-far:${best.region}`);
    else if (best.relation !== 'same-country') add(POINTS.place[best.relation], `place:${best.relation}:${best.region}`);
  }

  const marks = compareMarks(q.marks, c.marks);
  for (const [p, reason] of marks) add(p, reason, p > 0);

  if (mismatch) positive = positive && points > 0;
  const score = points > 0 ? Math.round((1 - Math.exp(-points / POINTS.scale)) * 1000) / 1000 : 0;
  if (!positive || score < FAMILY_SCORE_FLOOR) return undefined;
  return { number: child.number, score, reasons, mismatch };
}

/** Points and reasons from the marks: each the inquirer described against the record's. */
function compareMarks(q: MarkReading, c: MarkReading): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const recordHasMarks = c.present.length > 0;
  let gained = 0;
  const matched = new Set<Mark>();
  for (const m of q.present) {
    let best: { p: number; reason: string; with: Mark } | undefined;
    for (const r of c.present) {
      const found = markPoints(m, r);
      if (found && (!best || found.p > best.p)) best = { ...found, with: r };
    }
    if (best) {
      const p = Math.max(0, Math.min(best.p, POINTS.marksCap - gained));
      gained += p;
      matched.add(best.with);
      out.push([p, best.reason]);
    } else if (recordHasMarks) out.push([POINTS.markMissing * (KIND_WEIGHT[m.kind] ?? 1), `mark-missing:${m.kind}`]);
  }
  if (q.present.length && !recordHasMarks && c.none) out.push([0, 'marks-none-noted']);
  for (const r of c.present) {
    if (matched.has(r) || !CONGENITAL.has(r.kind)) continue;
    // Said to be absent; or, less surely, not mentioned by someone who described other marks.
    if (q.denied.includes(r.kind)) out.push([POINTS.markDenied, `mark-denied:${r.kind}`]);
    else if (q.none) out.push([POINTS.markDenied * 0.6, `mark-denied:${r.kind}`]);
    else if (q.present.length) out.push([POINTS.markUnmentioned, `mark-unmentioned:${r.kind}`]);
  }
  return out;
}

/** How well one described mark matches one recorded mark, or undefined for unrelated kinds. */
function markPoints(m: Mark, r: Mark): { p: number; reason: string } | undefined {
  const same = m.kind === r.kind;
  if (!same && !SIMILAR_KINDS.some(([a, b]) => (a === m.kind && b === r.kind) || (a === r.kind && b === m.kind))) return undefined;
  const kind = same ? m.kind : `${m.kind}~${r.kind}`;
  const weight = (same ? 1 : 0.45) * Math.max(KIND_WEIGHT[m.kind] ?? 1, KIND_WEIGHT[r.kind] ?? 1) * (same ? 1 : 0.9);
  const prefix = same ? 'mark' : 'mark-similar';
  if (!m.location || !r.location) return { p: 2.6 * weight, reason: `${prefix}:${kind}` };
  if (m.location === r.location) {
    const at = `${prefix}:${kind}@${m.location}`;
    if (m.side && r.side && m.side !== r.side) return { p: 2.0 * weight, reason: `mark-side-differs:${kind}@${m.location}` };
    if (m.side && r.side) return { p: 4.0 * weight, reason: `${at}/${m.side}` };
    return { p: 3.5 * weight, reason: at };
  }
  if (nearLocations(m.location, r.location)) return { p: 2.4 * weight, reason: `mark-near:${kind}@${m.location}~${r.location}` };
  return { p: 1.0 * weight, reason: `mark-elsewhere:${kind}@${m.location}~${r.location}` };
}
