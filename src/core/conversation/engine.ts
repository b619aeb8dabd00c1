/**
 * The reporter's conversation: a state machine over {@link ConversationState}. It decides what
 * to ask and answer; the service renders the replies in the reporter's language and makes the
 * case changes it asks for, in one transaction. No platform, no SQL here.
 */
import { findCaseCodeInText, normaliseCaseCode } from '../case-code.ts';
import {
  BACK_TO_MENU,
  FAMILY_RELATIONSHIP,
  isDoneWord,
  isJustAStatusRequest,
  looksLikeCaseCode,
  isMenuWord,
  isNo,
  isNotSure,
  FAMILY_SEX,
  NOT_SURE,
  matchRelationship,
  matchSex,
  newDraft,
  plainNumber,
} from './prompts.ts';
import type {
  CaseIntake,
  ConversationState,
  EngineInput,
  EnginePorts,
  Draft,
  Reply,
} from './state.ts';

import { ConversationTurn } from './turn.ts';
import { LIMITS } from '../types.ts';

export { STATUS_MAX_FAILURES, STATUS_WINDOW_MS } from './turn.ts';

/** Result of one step: the next state and the replies to send, in order. */
export interface EngineResult {
  state: ConversationState;
  replies: Reply[];
}

/** Handles one inbound message. Pure apart from the ports it is given. */
export function handleMessage(state: ConversationState, input: EngineInput, ports: EnginePorts): EngineResult {
  const run = new Run(structuredClone(state), ports);
  run.handle(input);
  return { state: run.state, replies: run.replies };
}

/**
 * The reporter went quiet in the middle of a flow: keep what they wrote as an incomplete case
 * (so it reaches caseworkers) and tell them so. Returns no replies when there was nothing to keep.
 */
export function handleIdleDraft(state: ConversationState, ports: EnginePorts): EngineResult {
  const run = new Run(structuredClone(state), ports);
  run.saveAbandonedDraft();
  if (run.replies.length > 0) run.menu(false);
  else run.state.step = state.step === 'new' ? 'new' : 'menu';
  return { state: run.state, replies: run.replies };
}

const PROBLEM_PARAMS = { max: LIMITS.textChars, maxMb: LIMITS.attachmentBytes / 1024 / 1024 };

/** Routes an inbound message (command, button, text, photo, problem) onto the turn. */
class Run extends ConversationTurn {
  handle(input: EngineInput): void {
    const firstContact = this.state.step === 'new';
    // Danger first: before any greeting, problem or question, tell them to call the emergency number.
    if (input.triage?.urgent) this.urgentNotice();
    if (input.problem) {
      if (!input.text) return this.problem(input);
      // A refused attachment does not take its caption with it: say why, then keep the text.
      this.say(`problem.${input.problem}`, PROBLEM_PARAMS);
    }
    // An edit is never a new turn: "/start" edited in does not run again.
    if (input.edited && !firstContact) return this.edited(input);
    if (input.command) return this.command(input.command.name, input.command.args, input);
    if (firstContact) {
      this.greet();
      this.state.step = 'menu';
      const substantive = input.attachments.length > 0 || (input.text !== undefined && !input.triage?.greeting);
      if (!substantive && input.action === undefined) return this.menu(false);
    }
    if (input.action !== undefined) return this.action(input.action);
    return this.text(input);
  }

  // ---- greeting, menu, help -------------------------------------------------------------


  problem(input: EngineInput): void {
    if (this.state.step === 'new') {
      this.greet();
      this.state.step = 'menu';
    }
    this.say(`problem.${input.problem}`, PROBLEM_PARAMS);
    this.reprompt();
  }

  command(name: string, args: string, input: EngineInput): void {
    switch (name) {
      case 'start': {
        const child = /^child_(\d{1,4})$/.exec(args.trim())?.[1];
        this.saveAbandonedDraft();
        if (this.state.step === 'new' || !child) this.greet();
        if (child) return this.startTip(Number(child));
        return this.menu();
      }
      case 'help':
        this.say('help', { emergency: this.ports.emergencyNumber });
        return this.reprompt();
      case 'menu':
      case 'cancel':
        if (this.state.step === 'new') this.greet();
        this.saveAbandonedDraft();
        return this.menu();
      case 'language':
        if (this.state.step === 'new') this.greet();
        return this.askLanguage();
      case 'status': {
        if (this.state.step === 'new') this.greet();
        this.saveAbandonedDraft();
        const code = args.trim() ? normaliseCaseCode(args) : undefined;
        if (code) return this.status(code);
        this.state.step = 'status.code';
        return this.say('status.ask', undefined, { choices: [BACK_TO_MENU] });
      }
      default:
        if (this.state.step === 'new') {
          this.greet();
          this.state.step = 'menu';
        }
        this.say('unknown_command');
        if (input.text) return this.text({ ...input, command: undefined } as EngineInput);
        return this.reprompt();
    }
  }


  action(id: string): void {
    if (id === 'menu') {
      this.saveAbandonedDraft();
      return this.menu();
    }
    if (id.startsWith('lang:')) {
      const code = id.slice(5);
      if (!this.ports.chooseLocale(code)) return this.unknownButton();
      this.say('language.set');
      if (this.state.step === 'language' || this.state.step === 'new') return this.menu(false);
      return this.reprompt();
    }
    if (id.startsWith('menu:')) {
      this.saveAbandonedDraft();
      switch (id) {
        case 'menu:tip':
          return this.startTip(undefined);
        case 'menu:family':
          return this.startFamily();
        case 'menu:adoption':
          this.state.step = 'adoption.offer';
          this.state.draft = newDraft('adoption');
          return this.say('adoption.explain', undefined, {
            choices: [{ id: 'adoption:note', key: 'adoption.leave_note' }, BACK_TO_MENU],
          });
        case 'menu:status':
          this.state.step = 'status.code';
          return this.say('status.ask', undefined, { choices: [BACK_TO_MENU] });
        case 'menu:language':
          return this.askLanguage();
      }
      return this.unknownButton();
    }
    const step = this.state.step;
    const d = this.state.draft;
    switch (step) {
      case 'tip.child':
      case 'family.child':
        if (id === 'child:unsure' && d) {
          d.child = null;
          return this.advance();
        }
        break;
      case 'tip.photos':
      case 'family.photos':
        if ((id === 'done' || id === 'skip') && d) return this.advance();
        break;
      case 'tip.contact':
      case 'family.contact':
        if (id === 'contact:yes' && d) {
          this.state.step = step === 'tip.contact' ? 'tip.contact_input' : 'family.contact_input';
          return this.say('contact.ask_input', undefined, { choices: [{ id: 'contact:no', key: 'contact.no' }] });
        }
        if (id === 'contact:no' && d) {
          d.anonymous = true;
          delete d.contact;
          return this.advance();
        }
        break;
      case 'tip.contact_input':
      case 'family.contact_input':
        if (id === 'contact:no' && d) {
          d.anonymous = true;
          delete d.contact;
          return this.advance();
        }
        break;
      case 'tip.confirm':
      case 'family.confirm':
        if (id === 'confirm:send' && d) return this.submit();
        if (id === 'confirm:cancel' && d) return this.cancelDraft();
        break;
      case 'family.sex':
        if (id.startsWith('sex:') && d && (FAMILY_SEX as readonly string[]).includes(id.slice(4))) {
          d.answers.sex = id.slice(4);
          return this.advance();
        }
        if (id === 'skip' && d) return this.advance();
        break;
      case 'family.relationship':
        if (id.startsWith('rel:') && d && (FAMILY_RELATIONSHIP as readonly string[]).includes(id.slice(4))) {
          d.answers.relationship = id.slice(4);
          return this.advance();
        }
        break;
      case 'family.dob':
      case 'family.lost':
      case 'family.marks':
        if (id === 'skip' && d) return this.advance();
        break;
      case 'adoption.offer':
        if (id === 'adoption:note') {
          this.state.step = 'adoption.note';
          return this.say('adoption.ask_note', undefined, { choices: [BACK_TO_MENU] });
        }
        break;
      default:
        break;
    }
    return this.unknownButton();
  }


  text(input: EngineInput): void {
    const text = input.text ?? '';
    const d = this.state.draft;
    const step = this.state.step;

    if (input.triage?.urgent) this.urgentNotice();

    // Photos and shared contacts are welcome at any step.
    if (input.attachments.length > 0 || input.sharedContact) {
      // The 2nd, 3rd… photo of an album: kept like the first, acknowledged once (by the first).
      const albumRest = input.mediaGroup !== undefined && this.state.lastMediaGroup === input.mediaGroup && !input.triage?.urgent;
      if (input.mediaGroup !== undefined) this.state.lastMediaGroup = input.mediaGroup;
      if (!d || step === 'menu' || step === 'status.code' || step === 'language' || step.startsWith('adoption')) {
        return this.freeText(input, albumRest);
      }
      const before = this.replies.length;
      for (const att of input.attachments) d.attachmentIds.push(this.ports.saveAttachment(att));
      if (input.attachments.length) this.say('photos.received', { count: d.attachmentIds.length + (d.sentAttachments ?? 0) });
      if (input.sharedContact) {
        d.contact = this.ports.seal(input.sharedContact);
        delete d.anonymous;
        this.say('contact.saved');
      }
      if (text) d.texts.push(text);
      if (input.triage?.urgent) this.openUrgentFromDraft(d, input.triage);
      else if (d.caseCode) this.appendDraftToCase(d, input.triage);
      if (step.endsWith('.contact') || step.endsWith('.contact_input')) {
        if (d.contact) return this.advance();
      }
      if (albumRest) {
        this.replies.length = before;
        return;
      }
      return this.reprompt();
    }

    if (text === '') return this.reprompt();

    // Inside a flow, "menu" / "菜单" / "cancel" leaves it (keeping what was written), and a
    // bare greeting is not an answer: ask the question again.
    if (d && step !== 'menu' && step !== 'new') {
      if (isMenuWord(text)) {
        this.saveAbandonedDraft();
        return this.menu();
      }
      if (input.triage?.greeting) return this.reprompt();
    }

    // Danger first, at every step: an urgent message inside a flow opens (or escalates) its
    // case now and is kept as a message; the question it interrupted is asked again.
    if (input.triage?.urgent && d && step !== 'menu' && step !== 'new' && step !== 'language' && step !== 'status.code') {
      d.texts.push(text);
      if (d.child == null && input.triage.children.length) d.child = input.triage.children[0]!;
      this.openUrgentFromDraft(d, input.triage);
      if (step === 'tip.child' || step === 'tip.details') {
        if (d.child === undefined) d.child = null;
        this.state.step = 'tip.details';
        return this.advance();
      }
      if (step.startsWith('adoption')) {
        this.state.draft = undefined;
        return this.menu(false);
      }
      return this.reprompt();
    }

    switch (step) {
      case 'new':
      case 'menu':
      case 'language':
        return this.freeText(input);
      case 'status.code': {
        const code = normaliseCaseCode(text) ?? (text.length < 40 ? findCaseCodeInText(text) : undefined);
        if (code && !input.triage?.urgent) return this.status(code);
        // Something shaped like a code (letters, digits, dashes) that is not one: say so.
        if (!input.triage?.urgent && looksLikeCaseCode(text)) return this.statusNotFound();
        // Anything else is a message, and it must not be lost.
        return this.freeText(input);
      }
      case 'tip.child':
      case 'family.child': {
        const number = plainNumber(text);
        if (number !== undefined) {
          const known = this.ports.catalogueNumbers();
          if (known.size > 0 && !known.has(number)) return this.say('child.unknown', { number }, { choices: [NOT_SURE] });
          d!.child = number;
          return this.advance();
        }
        if (isNotSure(text)) {
          d!.child = null;
          return this.advance();
        }
        // "I think it is number 7", "是7号孩子": a short answer naming one child.
        const named = input.triage?.children ?? [];
        if (named.length === 1 && [...text].length <= 30) {
          const known = this.ports.catalogueNumbers();
          if (known.size > 0 && !known.has(named[0]!)) return this.say('child.unknown', { number: named[0]! }, { choices: [NOT_SURE] });
          d!.child = named[0]!;
          return this.advance();
        }
        // Not a number: they went straight to what they know. Keep it and move on.
        d!.texts.push(text);
        if (d!.child === undefined) d!.child = input.triage?.children[0] ?? null;
        if (step === 'tip.child') this.state.step = 'tip.details';
        return this.advance();
      }
      case 'tip.details':
        d!.texts.push(text);
        if (input.triage?.children.length && d!.child == null) d!.child = input.triage.children[0]!;
        return this.advance();
      case 'tip.photos':
      case 'family.photos':
        if (isDoneWord(text)) return this.advance();
        d!.texts.push(text);
        if (d!.caseCode) this.appendDraftToCase(d!, input.triage);
        this.say('photos.text_added');
        return this.reprompt();
      case 'tip.confirm':
      case 'family.confirm':
        d!.texts.push(text);
        if (d!.caseCode) this.appendDraftToCase(d!, input.triage);
        this.say('photos.text_added');
        return this.reprompt();
      case 'tip.contact':
      case 'family.contact':
        if (isNo(text)) return this.stayAnonymous(d!);
        if (input.triage?.pii.some((k) => k === 'phone' || k === 'email' || k === 'wechat')) return this.keepContact(d!, text);
        d!.texts.push(text);
        if (d!.caseCode) this.appendDraftToCase(d!, input.triage);
        this.say('photos.text_added');
        return this.reprompt();
      case 'tip.contact_input':
      case 'family.contact_input':
        if (isNo(text)) return this.stayAnonymous(d!);
        return this.keepContact(d!, text);
      case 'family.sex': {
        const sex = matchSex(text);
        if (sex) d!.answers.sex = sex;
        else d!.answers.sex_text = text;
        return this.advance();
      }
      case 'family.dob':
        d!.answers.dob = text;
        return this.advance();
      case 'family.lost':
        d!.answers.lost = text;
        return this.advance();
      case 'family.marks':
        d!.answers.marks = text;
        return this.advance();
      case 'family.relationship':
        d!.answers.relationship = matchRelationship(text) ?? text;
        return this.advance();
      case 'adoption.offer':
      case 'adoption.note': {
        // News about a child is not an adoption note: it gets its own case, at its own priority.
        const kind = input.triage?.category;
        if ((kind === 'tip' || kind === 'family') && !d!.texts.length) {
          this.state.draft = undefined;
          this.state.step = 'menu';
          return this.freeText(input);
        }
        d!.texts.push(text);
        const code = this.ports.openCase(this.intakeOf(d!, 'adoption'), this.triageDraft(d!));
        this.state.draft = undefined;
        this.say('adoption.recorded', { code }, { caseCode: code });
        return this.menu(false);
      }
    }
  }

  /**
   * An edited message: the new wording joins the draft or the open case without a reply (an
   * edit is not a new turn). Urgent wording is treated as urgent; with no case it is free text.
   */
  edited(input: EngineInput): void {
    const text = input.text;
    // A command or a greeting edited in carries nothing to keep (and is never run).
    if (!text || /^\/\w/.test(text) || input.triage?.greeting) return;
    const marked = { ...input, text: `✎ ${text}` };
    const d = this.state.draft;
    if (input.triage?.urgent || !d) {
      const open = !input.triage?.urgent ? this.ports.openCaseOfReporter(input.triage?.category) : undefined;
      if (open) return this.ports.appendToCase(open.code, { flow: 'free', texts: [marked.text], answers: {}, attachmentIds: [] }, input.triage);
      if (d) return this.text(marked);
      return this.freeText(marked);
    }
    d.texts.push(marked.text);
    if (d.caseCode) this.appendDraftToCase(d, input.triage);
  }

  /** Contact details given with consent: sealed at once, never kept in the clear. */
  keepContact(d: Draft, text: string): void {
    d.contact = this.ports.seal(text);
    delete d.anonymous;
    this.say('contact.saved');
    if (d.caseCode) this.appendDraftToCase(d, undefined);
    return this.advance();
  }

  stayAnonymous(d: Draft): void {
    d.anonymous = true;
    delete d.contact;
    return this.advance();
  }

  /** Text (or a photo) outside any flow: never lost — joins the open case or opens one. */
  freeText(input: EngineInput, quiet = false): void {
    const text = input.text ?? '';
    const triage = input.triage;
    if (text && triage?.greeting && input.attachments.length === 0) return this.menu();
    const code = text ? (normaliseCaseCode(text) ?? findCaseCodeInText(text)) : undefined;
    if (code && !triage?.urgent && isJustAStatusRequest(text)) return this.status(code);
    const intake: CaseIntake = { flow: 'free', texts: text ? [text] : [], answers: {}, attachmentIds: [] };
    for (const att of input.attachments) intake.attachmentIds.push(this.ports.saveAttachment(att));
    if (input.sharedContact) intake.contact = this.ports.seal(input.sharedContact);
    // A message naming one of the reporter's own cases joins that case.
    const named = code ? this.ports.ownCase(code) : undefined;
    const open = named ?? this.ports.openCaseOfReporter(triage?.category);
    if (open) {
      this.ports.appendToCase(open.code, intake, triage);
      if (quiet) return;
      this.say('case.appended', { code: open.code }, { caseCode: open.code });
    } else {
      const code = this.ports.openCase(intake, triage ?? this.ports.triage(''));
      this.say('case.opened_free', { code }, { caseCode: code });
    }
    return this.menu(false);
  }

}
