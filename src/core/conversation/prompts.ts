/**
 * What the conversation asks at each step, its buttons, and the small parsers for answers
 * typed instead of pressed. Pure: replies are translation keys, rendered later.
 */
import type { ChoiceSpec, Draft, Flow, Reply, Step } from './state.ts';

export const MENU_CHOICES: ChoiceSpec[] = [
  { id: 'menu:tip', key: 'menu.tip' },
  { id: 'menu:family', key: 'menu.family' },
  { id: 'menu:adoption', key: 'menu.adoption' },
  { id: 'menu:status', key: 'menu.status' },
  { id: 'menu:language', key: 'menu.language' },
];

export const SKIP: ChoiceSpec = { id: 'skip', key: 'choice.skip' };
export const DONE: ChoiceSpec = { id: 'done', key: 'choice.done' };
export const NOT_SURE: ChoiceSpec = { id: 'child:unsure', key: 'choice.not_sure' };
export const BACK_TO_MENU: ChoiceSpec = { id: 'menu', key: 'choice.menu' };

export const FAMILY_SEX = ['boy', 'girl', 'unknown'] as const;
export const FAMILY_RELATIONSHIP = ['mother', 'father', 'grandparent', 'relative', 'other'] as const;

/** The steps of each flow, in order. */
export const FLOW_STEPS: Record<Flow, Step[]> = {
  tip: ['tip.child', 'tip.details', 'tip.photos', 'tip.contact', 'tip.confirm'],
  family: [
    'family.sex',
    'family.dob',
    'family.lost',
    'family.marks',
    'family.relationship',
    'family.child',
    'family.photos',
    'family.contact',
    'family.confirm',
  ],
  adoption: ['adoption.offer', 'adoption.note'],
};

const reply = (key: string, params?: Reply['params'], extra: Partial<Reply> = {}): Reply =>
  params ? { key, params, ...extra } : { key, ...extra };

/** The question (with its buttons) for a step of a flow; menu and language are the engine's. */
export function promptFor(step: Step, d: Draft | undefined): Reply[] {
  switch (step) {
    case 'tip.child':
      return [reply('tip.ask_child', undefined, { choices: [NOT_SURE] })];
    case 'family.child':
      return [reply('family.ask_child', undefined, { choices: [NOT_SURE] })];
    case 'tip.details':
      return [reply('tip.ask_details')];
    case 'tip.photos':
      return [reply('tip.ask_photos', undefined, { choices: [DONE] })];
    case 'family.photos':
      return [reply('family.ask_photos', undefined, { choices: [DONE] })];
    case 'tip.contact':
    case 'family.contact':
      return [
        reply(step === 'tip.contact' ? 'contact.ask' : 'family.ask_contact', undefined, {
          choices: [
            { id: 'contact:yes', key: 'contact.yes' },
            { id: 'contact:no', key: 'contact.no' },
          ],
        }),
      ];
    case 'tip.contact_input':
    case 'family.contact_input':
      return [reply('contact.ask_input', undefined, { choices: [{ id: 'contact:no', key: 'contact.no' }] })];
    case 'tip.confirm':
    case 'family.confirm':
      return confirmSummary(d ?? newDraft('tip'));
    case 'family.sex':
      return [reply('family.ask_sex', undefined, { choices: FAMILY_SEX.map((s) => ({ id: `sex:${s}`, key: `family.sex_${s}` })) })];
    case 'family.dob':
      return [reply('family.ask_dob', undefined, { choices: [SKIP] })];
    case 'family.lost':
      return [reply('family.ask_lost', undefined, { choices: [SKIP] })];
    case 'family.marks':
      return [reply('family.ask_marks', undefined, { choices: [SKIP] })];
    case 'family.relationship':
      return [
        reply('family.ask_relationship', undefined, {
          choices: FAMILY_RELATIONSHIP.map((r) => ({ id: `rel:${r}`, key: `family.rel_${r}` })),
        }),
      ];
    case 'adoption.offer':
      return [reply('adoption.explain', undefined, { choices: [{ id: 'adoption:note', key: 'adoption.leave_note' }, BACK_TO_MENU] })];
    case 'adoption.note':
      return [reply('adoption.ask_note', undefined, { choices: [BACK_TO_MENU] })];
    case 'status.code':
      return [reply('status.ask', undefined, { choices: [BACK_TO_MENU] })];
    case 'language':
    case 'new':
    case 'menu':
      return [];
  }
}

/** The summary a reporter confirms before a tip or inquiry is sent. */
function confirmSummary(d: Draft): Reply[] {
  return [
    reply('confirm.summary', {
      photos: d.attachmentIds.length + (d.sentAttachments ?? 0),
      // The reporter's own words: what they typed, and for a family inquiry their answers.
      text:
        [d.answers.sex_text, d.answers.dob, d.answers.lost, d.answers.marks, ...d.texts]
          .filter(Boolean)
          .join(' / ')
          .slice(0, 600) || '—',
    }),
    d.child == null ? reply('confirm.child_unsure') : reply('confirm.child', { number: d.child }),
    reply(d.contact ? 'confirm.contact_shared' : 'confirm.anonymous', undefined, {
      choices: [
        { id: 'confirm:send', key: 'confirm.send' },
        { id: 'confirm:cancel', key: 'confirm.cancel' },
      ],
    }),
  ];
}

/** An empty draft for a flow. */
export function newDraft(flow: Flow): Draft {
  return { flow, texts: [], answers: {}, attachmentIds: [] };
}

/** "7", "#7", "７号", "No. 7" as a whole message. */
export function plainNumber(text: string): number | undefined {
  const m = /^\s*(?:#|＃|no\.?|number|child|编号|第)?\s*(\d{1,3})\s*(?:号|號|个|個)?\s*[.!。]?\s*$/i.exec(text.normalize('NFKC'));
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n : undefined;
}

/** A word that means "take me back to the menu", typed instead of pressed. */
export function isMenuWord(text: string): boolean {
  return /^(menu|main menu|back|cancel|stop|菜单|菜單|返回|取消|主菜单|主選單|选单|選單)[.!。！]?$/i.test(text.trim());
}

/** "no", "不用了": declining to give contact details. */
export function isNo(text: string): boolean {
  return /^(no|nope|no thanks|no thank you|none|anonymous|stay anonymous|不|不用|不用了|不要|不需要|算了|没有|沒有|匿名|保持匿名)[.!。！]?$/i.test(text.trim());
}

/** "done", "完成", "no photos": finished sending photos. */
export function isDoneWord(text: string): boolean {
  return /^(done|finished|that's all|thats all|no photos?|no pictures?|none|skip|完成|好了|完了|没有了|沒有了|没有照片|沒有照片|跳过|跳過|略过|略過)[.!。！]?$/i.test(text.trim());
}

/** Text shaped like a case code (so a wrong one is "not found", and anything else is a message). */
export function looksLikeCaseCode(text: string): boolean {
  const t = text.trim();
  return /^(?:T[L1I][\s-]?)?[0-9A-Za-z]{4}[\s-]?[0-9A-Za-z]{4,5}$/i.test(t) || (/^[0-9A-Za-z-]{6,14}$/.test(t) && /\d/.test(t));
}

/** "not sure", "不知道": no catalogue number. */
export function isNotSure(text: string): boolean {
  return /^(not sure|unsure|don't know|dont know|no idea|i don't know|不确定|不確定|不知道|不清楚|不记得|不記得)[.!。！]?$/i.test(text.trim());
}

/**
 * True when a message holding a case code is only asking about it ("TL-7KQ2-M9XD",
 * "status TL-…", "我的案件 TL-… 进度"), not adding news to it.
 */
export function isJustAStatusRequest(text: string): boolean {
  const rest = text
    .replace(/T[L1I][\s-]?[0-9A-Za-z]{4}[\s-]?[0-9A-Za-z]{4}/i, '')
    .replace(/\b(status|check|my|case|code|update|progress|any|news|on|of|the|please|what|is|about)\b/gi, '')
    .replace(/(查询|查詢|我的|案件|编号|編號|进度|進度|进展|進展|状态|狀態|请问|請問|怎么样|怎麼樣|了|吗|嗎|的|是)/g, '')
    .replace(/[\s\p{P}\p{S}]/gu, '');
  return rest.length <= 3;
}

/** "boy", "男孩", "儿子" typed instead of pressed. */
export function matchSex(text: string): 'boy' | 'girl' | undefined {
  const t = text.trim().toLowerCase();
  if (/^(boy|male|son|m|男|男孩|男孩子|儿子|兒子|男宝|男寶)$/.test(t)) return 'boy';
  if (/^(girl|female|daughter|f|女|女孩|女孩子|女儿|女兒|女宝|女寶)$/.test(t)) return 'girl';
  return undefined;
}

/** "mother", "妈妈" typed instead of pressed. */
export function matchRelationship(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (/^(mother|mum|mom|mama|妈妈|媽媽|母亲|母親)$/.test(t)) return 'mother';
  if (/^(father|dad|papa|爸爸|父亲|父親)$/.test(t)) return 'father';
  if (/^(grand(mother|father|ma|pa|parent)|奶奶|爷爷|爺爺|外婆|外公|姥姥|姥爷|姥爺)$/.test(t)) return 'grandparent';
  return undefined;
}
