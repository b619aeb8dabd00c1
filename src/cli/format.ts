/** Human-readable CLI output. Shows pseudonyms and case codes, never platform identities. */
import type { OutboxItem } from '../core/outbox-admin.ts';
import type { CaseDetail, CaseSummary, Casework } from '../core/casework.ts';
import { languageNameInEnglish } from '../i18n/index.ts';
import { describeCandidate, describeSimilar } from '../core/candidates.ts';

export function languageName(tag: string): string {
  return languageNameInEnglish(tag);
}

function age(iso: string): string {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export function formatQueue(cases: Array<CaseSummary & { childSource?: string }>, opts: { child?: number } = {}): string {
  if (cases.length === 0) return 'The queue is empty.';
  const rows = cases.map((c) => {
    const cand = opts.child !== undefined ? c.candidates.find((x) => x.number === opts.child) : undefined;
    return [
      c.code,
      c.urgent ? 'URGENT' : c.priority,
      c.category + (c.incomplete ? '*' : ''),
      c.status + (c.claimedBy ? `:${c.claimedBy.replace(/^cli:/, '')}` : ''),
      c.language,
      opts.child !== undefined
        ? `${c.childSource ?? '?'}${cand ? ` ${cand.confidence}` : ''}`
        : c.children.length
          ? c.children.map((n) => `#${n}`).join(',')
          : c.candidates[0]
            ? `#${c.candidates[0].number}?`
            : '-',
      c.similar ? `×${c.similar.count}` : '-',
      age(c.createdAt),
      c.preview.slice(0, 60),
    ];
  });
  const head = ['CODE', 'PRIORITY', 'CATEGORY', 'STATUS', 'LANG', opts.child !== undefined ? `#${opts.child} BY` : 'CHILD', 'SIMILAR', 'AGE', 'FIRST MESSAGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  const open = cases.filter((c) => c.status !== 'closed').length;
  return [line(head), ...rows.map(line), '', `${open} open, ${cases.filter((c) => c.urgent && c.status !== 'closed').length} urgent. (* = intake not finished)`].join('\n');
}

export function formatCaseDetail(c: CaseDetail): string {
  const out: string[] = [];
  out.push(`${c.code}  ${c.urgent ? 'URGENT ' : ''}${c.category}  ${c.status}${c.claimedBy ? ` (claimed by ${c.claimedBy})` : ''}`);
  out.push(`Reporter:   ${c.reporter}${c.reporterReachable ? '' : `  — UNREACHABLE: ${c.unreachableReason ?? 'unknown'}`}`);
  out.push(`Language:   ${languageName(c.language)} (${c.language}); replies go out in ${c.locale}`);
  out.push(`Children:   ${c.children.length ? c.children.map((n) => `#${n}`).join(', ') : 'none named'}`);
  if (c.reasons.length) out.push(`Triage:     ${c.reasons.join(', ')}`);
  if (c.candidates.length) {
    out.push('Candidates (caseworkers only — never tell the reporter):');
    for (const cand of c.candidates) out.push(`  ${describeCandidate(cand, 8)}`);
  }
  const similar = describeSimilar(c.similar);
  if (similar) out.push(`Similar:    ${similar}`);
  out.push(`Contact:    ${c.contact ?? 'not shared (anonymous)'}`);
  const answers = (c.details.answers ?? {}) as Record<string, string>;
  if (Object.keys(answers).length) {
    out.push('Details:');
    for (const [k, v] of Object.entries(answers)) out.push(`  ${k}: ${v}`);
  }
  if (c.incomplete) out.push('Note:       the reporter did not finish the intake');
  out.push(`Opened:     ${c.createdAt}   updated ${c.updatedAt}${c.closedAt ? `   closed ${c.closedAt}${c.closeReason ? ` (${c.closeReason})` : ''}` : ''}`);
  if (c.attachments.length) {
    out.push(`Photos:     ${c.attachments.length}`);
    for (const a of c.attachments) out.push(`  #${a.id} ${a.mime} ${Math.round(a.bytes / 1024)} KB sha256:${a.sha256.slice(0, 16)}`);
  }
  out.push(`Delivery:   ${c.delivery.sent} sent, ${c.delivery.pending} waiting, ${c.delivery.dead} failed`);
  for (const f of c.delivery.failed) out.push(`  FAILED outbox #${f.outboxId} to ${f.to}: ${f.reason ?? '?'} (npx tipline outbox retry ${f.outboxId})`);
  out.push('', 'Messages:');
  for (const m of c.messages) {
    const who = m.author === 'reporter' ? 'reporter' : m.author === 'note' ? `NOTE ${m.actor ?? ''}` : `${m.author} ${m.actor ?? ''}`;
    out.push(`  [${m.at}] ${who.trim()}${m.template ? ` (template ${m.template})` : ''}:`);
    for (const l of m.text.split('\n')) out.push(`    ${l}`);
  }
  out.push('', 'History:');
  for (const h of c.history) {
    const detail = Object.entries(h.detail)
      .filter(([, v]) => v !== null && v !== undefined && v !== false)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
    out.push(`  [${h.at}] ${h.actor} ${h.action}${detail ? ' ' + detail : ''}`);
  }
  return out.join('\n');
}

export function formatStats(s: ReturnType<Casework['stats']>): string {
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  return [
    `Cases:   ${s.cases.total} (${kv(s.cases.byStatus)})`,
    `By kind: ${kv(s.cases.byCategory)}`,
    `Urgent and open: ${s.cases.urgentOpen}`,
    `Outbox:  ${s.outbox.pending} waiting${s.outbox.oldestPendingAt ? ` (oldest ${s.outbox.oldestPendingAt})` : ''}, ${s.outbox.dead} failed`,
  ].join('\n');
}

/** The outbox rows an operator asked for, one line each. */
export function formatOutbox(items: OutboxItem[]): string {
  if (items.length === 0) return 'Nothing here.';
  return items
    .map((o) => {
      const to = o.destination === 'desk' ? o.channel : `reporter/${o.channel}`;
      const when = o.state === 'dead' ? `dead ${o.deadAt ?? ''}` : `next ${o.nextAttemptAt}`;
      const extra = [o.attempts ? `${o.attempts} attempts` : '', o.interrupted ? `${o.interrupted} interrupted` : ''].filter(Boolean).join(', ');
      return `#${o.id}  ${o.state.padEnd(7)} ${to.padEnd(17)} ${o.caseCode ?? '-'}  ${when}${extra ? ` (${extra})` : ''}\n      ${o.preview}${o.lastError ? `\n      last error: ${o.lastError}` : ''}`;
    })
    .join('\n');
}
