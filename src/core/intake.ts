/**
 * The core's small pure helpers for what comes in: attachment cleaning, how much text tells a
 * language, a case's category and the children it names.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/index.ts';
import type { CaseIntake } from './conversation/state.ts';
import { isUncleanableImage, stripImageMetadata } from './images.ts';
import { sniffImage } from './sanitize.ts';
import { LIMITS, type Category, type InboundAttachment, type InboundMessage, type PhotoMatcherPort, type TriageResult } from './types.ts';

/** Enough text to tell a language by: six Han characters, or three words of letters. */
export function isSubstantial(text: string): boolean {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  if (han >= 6) return true;
  return (text.match(/\p{L}{2,}/gu) ?? []).length >= 3 && han === 0;
}

/**
 * Checks each attachment and removes what could identify the reporter (GPS, device, owner)
 * before anything is stored. What cannot be made safe is refused, never stored as sent.
 */
export function cleanAttachments(attachments: InboundAttachment[]): { attachments: InboundAttachment[]; problem?: InboundMessage['problem'] } {
  const out: InboundAttachment[] = [];
  for (const a of attachments) {
    if (a.data.length > LIMITS.attachmentBytes) return { attachments: [], problem: 'attachment_too_large' };
    const mime = a.kind === 'image' ? sniffImage(a.data) : undefined;
    if (!mime) return { attachments: [], problem: 'attachment_not_image' };
    if (isUncleanableImage(mime)) return { attachments: [], problem: 'attachment_format' };
    const cleaned = stripImageMetadata(a.data, mime);
    if (!cleaned.ok) return { attachments: [], problem: 'attachment_not_image' };
    out.push({ ...a, mime, data: cleaned.data });
  }
  return { attachments: out };
}

/**
 * Compares each photo with the catalogue (an album's side by side; the matcher bounds how many
 * at once) and records the matches on it. Returns the problem when one must be refused; a photo
 * the matcher could not handle is kept without matches — a tip is never lost to the matcher.
 */
export async function matchPhotos(matcher: PhotoMatcherPort, attachments: InboundAttachment[]): Promise<InboundMessage['problem'] | undefined> {
  const results = await Promise.all(attachments.map((att) => (att.kind === 'image' ? matcher.match(att.data) : undefined)));
  let refused: InboundMessage['problem'] | undefined;
  results.forEach((result, i) => {
    if (!result) return;
    if (result.ok) attachments[i]!.photoMatches = result.matches;
    else if ('refused' in result) refused ??= result.refused;
  });
  return refused;
}

export function saveAttachment(store: Store, att: InboundAttachment, reporterId: number, caseId: number | null, nowIso: string): number {
  return store.cases.addAttachment({
    reporterId,
    caseId,
    kind: att.kind,
    mime: att.mime,
    data: att.data,
    sha256: createHash('sha256').update(att.data).digest('hex'),
    photoMatches: att.photoMatches ? JSON.stringify(att.photoMatches) : null,
    now: nowIso,
  });
}

export function caseCategory(intake: CaseIntake, triage: TriageResult): Category {
  // An adoption note that turns out to be news about a child (or urgent) is that, not adoption.
  if (intake.flow === 'adoption' && (triage.urgent || triage.category === 'tip' || triage.category === 'family')) {
    return triage.category === 'family' ? 'family' : 'tip';
  }
  if (intake.flow !== 'free') return intake.flow;
  if (triage.category === 'status') return 'other';
  return triage.category;
}

export function mergeChildren(named: number | null | undefined, others: number[]): number[] {
  const out: number[] = [];
  if (typeof named === 'number') out.push(named);
  for (const n of others) if (!out.includes(n)) out.push(n);
  return out;
}
