/**
 * Triage of a whole case, beyond one message: the catalogue children it may concern (named,
 * by photo, by a family's description) with reasons, the children it is listed under, and the
 * group of near-identical reports it belongs to. Runs inside the transaction that opens or
 * changes the case.
 */
import type { Store } from '../store/index.ts';
import type { CaseRecord } from '../store/cases.ts';
import type { CatalogueChild } from '../store/catalogue.ts';
import { rankCandidates, type PhotoMatch } from './candidates.ts';
import { signatureFromBuffer, signatureToBuffer, similarity, SIMILAR_AT, textSignature } from './similar.ts';
import { matchFamilyInquiry, type FamilyCandidate, type FamilyInquiry } from './triage/family-match.ts';
import type { Candidate, CandidateSource, TriageResult } from './types.ts';

/** How far back a new report looks for the same rumour. */
const SIMILAR_WINDOW_MS = 30 * 24 * 3600_000;

export class CaseTriage {
  readonly #store: Store;
  #catalogue: { revision: string; children: CatalogueChild[] } | undefined;

  constructor(store: Store) {
    this.#store = store;
  }

  /** The catalogue records, re-read whenever the catalogue changed (also from another process). */
  catalogue(): CatalogueChild[] {
    const revision = this.#store.catalogue.revision();
    if (this.#catalogue?.revision !== revision) this.#catalogue = { revision, children: this.#store.catalogue.all() };
    return this.#catalogue.children;
  }

  /**
   * Recomputes a case's candidates and child links after it opened or changed. Returns the
   * candidates (the caller stores them with its other changes).
   */
  candidatesFor(c: Pick<CaseRecord, 'id' | 'category' | 'children' | 'details'>, now: Date): Candidate[] {
    const catalogue = this.catalogue();
    const photos: PhotoMatch[][] = [];
    for (const json of this.#store.cases.photoMatches(c.id)) {
      try {
        photos.push(JSON.parse(json) as PhotoMatch[]);
      } catch {
        /* a damaged row: that photo gives no evidence */
      }
    }
    const named = c.details.childNamed;
    const attributes =
      c.category === 'family' && catalogue.length > 0
        ? plausible(matchFamilyInquiry(familyInquiryOf(c.details, typeof named === 'number' ? named : null, this.#reporterTexts(c.id)), catalogue, now))
        : [];
    const candidates = rankCandidates({
      named: c.children,
      photos,
      attributes,
      catalogue: this.#store.catalogue.numbers(),
    });
    const links = new Map<number, CandidateSource>();
    for (const n of c.children) links.set(n, 'named');
    for (const cand of candidates) if (!links.has(cand.number)) links.set(cand.number, cand.sources[0] ?? 'named');
    this.#store.links.setCaseChildren(
      c.id,
      [...links].map(([number, source]) => ({ number, source })),
    );
    return candidates;
  }

  /**
   * The candidates of one message on its own (what `npx tipline triage` shows): the numbers it
   * names, its photos' matches, and — for a family inquiry — how its description fits.
   */
  candidatesForMessage(triage: TriageResult, text: string, now: Date, photos: ReadonlyArray<readonly PhotoMatch[]> = []): Candidate[] {
    const catalogue = this.catalogue();
    const attributes =
      triage.category === 'family' && catalogue.length > 0 ? plausible(matchFamilyInquiry({ text, named: triage.children[0] ?? null }, catalogue, now)) : [];
    return rankCandidates({ named: triage.children, photos, attributes, catalogue: this.#store.catalogue.numbers() });
  }

  #reporterTexts(caseId: number): string[] {
    return this.#store.cases
      .messages(caseId)
      .filter((m) => m.author === 'reporter')
      .map((m) => m.text);
  }

  /**
   * Puts a newly opened case in the group of an earlier near-identical report (same words,
   * same children named), recording its signature for later ones. Returns the group's first
   * case id, or undefined when it stands alone.
   */
  cluster(c: Pick<CaseRecord, 'id' | 'children'>, text: string, nowIso: string): number | undefined {
    const sig = textSignature(text);
    if (!sig) return undefined;
    const since = new Date(Date.parse(nowIso) - SIMILAR_WINDOW_MS).toISOString();
    let best: { caseId: number; clusterId: number | null; score: number } | undefined;
    for (const cand of this.#store.links.similarCandidates(sig.bands, since)) {
      if (cand.caseId === c.id) continue;
      const score = similarity(sig.signature, signatureFromBuffer(cand.signature));
      if (score < SIMILAR_AT || (best && best.score >= score)) continue;
      // "I saw #7 at the market" and "I saw #8 at the market" are two reports, not one.
      const other = this.#store.cases.get(cand.caseId);
      if (!other || other.children.join() !== c.children.join()) continue;
      best = { caseId: cand.caseId, clusterId: cand.clusterId, score };
    }
    this.#store.links.addSignature(c.id, signatureToBuffer(sig.signature), sig.bands, nowIso);
    if (!best) return undefined;
    const head = best.clusterId ?? best.caseId;
    // Like the group's first report too, not only its latest: small edits must not chain a
    // group from one rumour to an unrelated one.
    if (head !== best.caseId) {
      const first = this.#store.links.signature(head);
      if (!first || similarity(sig.signature, signatureFromBuffer(first.signature)) < SIMILAR_AT) return undefined;
    }
    if (best.clusterId === null) this.#store.cases.update(best.caseId, { clusterId: head }, nowIso);
    return head;
  }
}

/**
 * The matcher ranks a child of the other sex last; a caseworker is not shown it at all (a
 * parent sure of their child's sex is not helped by a list of girls for a boy).
 */
function plausible(found: FamilyCandidate[]): FamilyCandidate[] {
  return found.filter((f) => !f.reasons.some((r) => r.startsWith('sex-mismatch')));
}

/** A family case's answers as the matcher reads them. */
export function familyInquiryOf(details: Record<string, unknown>, named: number | null, texts: readonly string[] = []): FamilyInquiry {
  const answers = (details.answers ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
  const inquiry: FamilyInquiry = { named };
  const sex = answers.sex;
  if (sex === 'boy' || sex === 'girl') inquiry.sex = sex;
  const dob = str(answers.dob);
  if (dob) inquiry.dob = dob;
  const lost = str(answers.lost);
  if (lost) inquiry.lost = lost;
  const marks = str(answers.marks);
  if (marks) inquiry.marks = marks;
  const text = [str(answers.sex_text), ...texts].filter((t): t is string => typeof t === 'string');
  if (text.length) inquiry.text = text.join('\n');
  return inquiry;
}
