/**
 * A case as one Slack message in Block Kit: what a caseworker needs to decide, and the buttons
 * to act. Pure. Shows the pseudonym, never a platform identity; contact only if shared.
 */
import type { DeskCaseView } from '../../src/core/types.ts';

type Block = { type: string; [key: string]: unknown };

/** Slack's mrkdwn needs &, < and > escaped in anything a reporter wrote. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const CATEGORY_LABEL: Record<string, string> = {
  tip: 'Tip',
  family: 'Family inquiry',
  adoption: 'Adoption',
  status: 'Status',
  other: 'Other',
  spam: 'Spam',
};

/** The message text (notification fallback) and blocks for a case. */
export function caseMessage(c: DeskCaseView): { text: string; blocks: Block[] } {
  const urgentPrefix = c.urgent ? '<!here> :rotating_light: URGENT ' : '';
  const title = `${urgentPrefix}${CATEGORY_LABEL[c.category] ?? c.category} ${c.code}`;
  const children = c.children.length ? c.children.map((n) => `#${n}`).join(', ') : 'none named';
  const childReasons = c.reasons.filter((r) => r.startsWith('child') || r.startsWith('urgent')).join(', ');
  const status =
    c.status === 'closed' ? ':white_check_mark: closed' : c.claimedBy ? `:bust_in_silhouette: claimed by ${c.claimedBy}` : ':new: unclaimed';
  const fields = [
    `*Language*\n${escapeMrkdwn(c.languageName)} (${c.language})`,
    `*Child*\n${children}${childReasons ? `\n_${escapeMrkdwn(childReasons)}_` : ''}`,
    `*Reporter*\n${escapeMrkdwn(c.reporter)}${c.reporterReachable ? '' : ' — unreachable'}`,
    `*Status*\n${status}`,
  ];
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: `${c.urgent ? '🚨 URGENT · ' : ''}${CATEGORY_LABEL[c.category] ?? c.category} · ${c.code}`.slice(0, 150) } },
    ...(c.urgent ? [{ type: 'section', text: { type: 'mrkdwn', text: '<!here> A child may be in danger now.' } }] : []),
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
    { type: 'section', text: { type: 'mrkdwn', text: `>${escapeMrkdwn(c.text || '(no text)').slice(0, 2800).replace(/\n/g, '\n>')}` } },
    ...triageBlocks(c),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: [
            `${c.photos} photo${c.photos === 1 ? '' : 's'}`,
            `${c.followUps} follow-up${c.followUps === 1 ? '' : 's'}`,
            c.contact ? `contact shared: ${escapeMrkdwn(c.contact)}` : 'anonymous',
            c.incomplete ? 'intake not finished' : '',
            `opened ${c.createdAt}`,
          ]
            .filter(Boolean)
            .join(' · '),
        },
      ],
    },
  ];
  if (c.status !== 'closed') {
    blocks.push({
      type: 'actions',
      block_id: `case:${c.code}`,
      elements: [
        { type: 'button', action_id: c.claimedBy ? 'unclaim' : 'claim', value: c.code, text: { type: 'plain_text', text: c.claimedBy ? 'Unclaim' : 'Claim' } },
        { type: 'button', action_id: 'reply', value: c.code, style: 'primary', text: { type: 'plain_text', text: 'Reply' } },
        ...(c.urgent ? [] : [{ type: 'button', action_id: 'escalate', value: c.code, text: { type: 'plain_text', text: 'Escalate' } }]),
        { type: 'button', action_id: 'close', value: c.code, text: { type: 'plain_text', text: 'Close' } },
        { type: 'button', action_id: 'spam', value: c.code, style: 'danger', text: { type: 'plain_text', text: 'Spam' } },
      ],
    });
  }
  return { text: title, blocks };
}

/** Candidates (which circulated child, and why) and the group of similar reports. */
function triageBlocks(c: DeskCaseView): Block[] {
  const lines: string[] = [];
  if (c.candidateLines.length) {
    lines.push('*Possible children* (for caseworkers only — never tell the reporter)');
    for (const line of c.candidateLines.slice(0, 3)) lines.push(`• ${escapeMrkdwn(line)}`);
  }
  if (c.similarLine) lines.push(`:repeat: *${escapeMrkdwn(c.similarLine)}*`);
  if (c.contactDetailsInText.length) {
    lines.push(`:warning: The text contains ${c.contactDetailsInText.join(', ')} — not given through the consent step: check whose it is before using it.`);
  }
  return lines.length ? [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 2900) } }] : [];
}
