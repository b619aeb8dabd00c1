/**
 * The reporter's conversation: a state machine over {@link ConversationState}. It decides what
 * to ask and answer; the service renders the replies in the reporter's language and makes the
 * case changes it asks for, in one transaction. No platform, no SQL here.
 */
import { findCaseCodeInText, normaliseCaseCode } from '../case-code.ts';
import type { TriageResult } from '../types.ts';
import {
  BACK_TO_MENU,
  FAMILY_RELATIONSHIP,
  FAMILY_SEX,
  FLOW_STEPS,
  MENU_CHOICES,
  NOT_SURE,
  matchRelationship,
  matchSex,
  newDraft,
  plainNumber,
  promptFor,
} from './prompts.ts';
import type {
  CaseIntake,
  ChoiceSpec,
  ConversationState,
  Draft,
  EngineInput,
  EnginePorts,
  Flow,
  Reply,
  Step,
} from './state.ts';

/** Failed case-code look-ups allowed in {@link STATUS_WINDOW_MS} before the reporter must wait. */
export const STATUS_MAX_FAILURES = 5;
export const STATUS_WINDOW_MS = 15 * 60 * 1000;


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

class Run {
  readonly replies: Reply[] = [];
  constructor(
    public state: ConversationState,
    readonly ports: EnginePorts,
  ) {}

  say(key: string, params?: Reply['params'], extra: Partial<Reply> = {}): void {
    const reply: Reply = { key, ...extra };
    if (params) reply.params = params;
    this.replies.push(reply);
  }

  /** Attaches choices to the last reply (or sends a prompt that carries them). */
  offer(choices: ChoiceSpec[]): void {
    const last = this.replies.at(-1);
    if (last && !last.choices) last.choices = choices;
    else this.say('menu.prompt', undefined, { choices });
  }

  handle(input: EngineInput): void {
    const firstContact = this.state.step === 'new';
    if (input.problem) return this.problem(input);

    if (input.command) return this.command(input.command.name, input.command.args, input);
    // Danger first: before any greeting or question, tell them to call the emergency number.
    if (input.triage?.urgent) this.urgentNotice();
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

  greet(): void {
    this.say('greeting');
    this.say('privacy', { emergency: this.ports.emergencyNumber });
  }

  menu(withPrompt = true): void {
    this.state.step = 'menu';
    if (withPrompt || this.replies.length === 0) this.say('menu.prompt', undefined, { choices: MENU_CHOICES });
    else this.offer(MENU_CHOICES);
  }

  problem(input: EngineInput): void {
    if (this.state.step === 'new') {
      this.greet();
      this.state.step = 'menu';
    }
    const params: Record<string, string | number> = { max: 4000, maxMb: 10 };
    this.say(`problem.${input.problem}`, params);
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

  askLanguage(): void {
    this.state.step = 'language';
    const choices = this.ports.availableLocales().map((l) => ({ id: `lang:${l.code}`, key: '', label: l.name }));
    this.say('language.ask', undefined, { choices });
  }

  // ---- buttons --------------------------------------------------------------------------

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

  unknownButton(): void {
    this.say('unknown_button');
    this.reprompt();
  }

  // ---- text -----------------------------------------------------------------------------

  text(input: EngineInput): void {
    const text = input.text ?? '';
    const d = this.state.draft;
    const step = this.state.step;

    if (input.triage?.urgent) this.urgentNotice();

    // Photos and shared contacts are welcome at any step.
    if (input.attachments.length > 0 || input.sharedContact) {
      if (!d || step === 'menu' || step === 'status.code' || step === 'language' || step.startsWith('adoption')) {
        return this.freeText(input);
      }
      for (const att of input.attachments) d.attachmentIds.push(this.ports.saveAttachment(att));
      if (input.attachments.length) this.say('photos.received', { count: d.attachmentIds.length });
      if (input.sharedContact) {
        d.contact = input.sharedContact;
        delete d.anonymous;
        this.say('contact.saved');
      }
      if (text) d.texts.push(text);
      if (d.caseCode) this.appendDraftToCase(d, input.triage);
      if (step.endsWith('.contact') || step.endsWith('.contact_input')) {
        if (d.contact) return this.advance();
      }
      return this.reprompt();
    }

    if (text === '') return this.reprompt();

    switch (step) {
      case 'new':
      case 'menu':
      case 'language':
        return this.freeText(input);
      case 'status.code': {
        const code = normaliseCaseCode(text) ?? findCaseCodeInText(text);
        if (code) return this.status(code);
        if (text.replace(/[\s-]/g, '').length <= 12) return this.statusNotFound();
        // Not a code at all: it is a message, and it must not be lost.
        return this.freeText(input);
      }
      case 'tip.child':
      case 'family.child': {
        const n = plainNumber(text) ?? input.triage?.children[0];
        const longText = text.length > 12 && plainNumber(text) === undefined;
        if (n !== undefined) {
          const known = this.ports.catalogueNumbers();
          if (known.size > 0 && !known.has(n) && !longText) {
            return this.say('child.unknown', { number: n }, { choices: [NOT_SURE] });
          }
          d!.child = n;
        }
        if (longText) {
          d!.texts.push(text);
          if (d!.child === undefined) d!.child = null;
          if (input.triage?.urgent) this.openUrgentFromDraft(d!, input.triage);
          // They answered the next question already: skip asking for details.
          if (step === 'tip.child') {
            this.state.step = 'tip.details';
            return this.advance();
          }
          return this.advance();
        }
        if (n === undefined) return this.say('child.ask_again', undefined, { choices: [NOT_SURE] });
        return this.advance();
      }
      case 'tip.details':
        d!.texts.push(text);
        if (input.triage?.children.length && d!.child == null) d!.child = input.triage.children[0]!;
        if (input.triage?.urgent) this.openUrgentFromDraft(d!, input.triage);
        return this.advance();
      case 'tip.photos':
      case 'family.photos':
        d!.texts.push(text);
        if (d!.caseCode) this.appendDraftToCase(d!, input.triage);
        this.say('photos.text_added');
        return this.reprompt();
      case 'tip.contact':
      case 'family.contact':
        if (input.triage?.pii.some((k) => k === 'phone' || k === 'email' || k === 'wechat')) {
          d!.contact = text;
          delete d!.anonymous;
          this.say('contact.saved');
          return this.advance();
        }
        d!.texts.push(text);
        this.say('photos.text_added');
        return this.reprompt();
      case 'tip.contact_input':
      case 'family.contact_input':
        d!.contact = text;
        delete d!.anonymous;
        this.say('contact.saved');
        return this.advance();
      case 'tip.confirm':
      case 'family.confirm':
        d!.texts.push(text);
        this.say('photos.text_added');
        return this.reprompt();
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
        if (input.triage?.urgent) this.openUrgentFromDraft(d!, input.triage);
        return this.advance();
      case 'family.marks':
        d!.answers.marks = text;
        return this.advance();
      case 'family.relationship':
        d!.answers.relationship = matchRelationship(text) ?? text;
        return this.advance();
      case 'adoption.offer':
      case 'adoption.note': {
        d!.texts.push(text);
        const code = this.ports.openCase(this.intakeOf(d!, 'adoption'), this.triageDraft(d!));
        this.state.draft = undefined;
        this.say('adoption.recorded', { code }, { caseCode: code });
        return this.menu(false);
      }
    }
  }

  /** Text (or a photo) outside any flow: never lost — joins the open case or opens one. */
  freeText(input: EngineInput): void {
    const text = input.text ?? '';
    const triage = input.triage;
    if (text && triage?.greeting && input.attachments.length === 0) return this.menu();
    if (text && (triage?.category === 'status' || normaliseCaseCode(text))) {
      const code = normaliseCaseCode(text) ?? findCaseCodeInText(text);
      if (code && (normaliseCaseCode(text) || text.length < 80)) return this.status(code);
    }
    const intake: CaseIntake = { flow: 'free', texts: text ? [text] : [], answers: {}, attachmentIds: [] };
    for (const att of input.attachments) intake.attachmentIds.push(this.ports.saveAttachment(att));
    if (input.sharedContact) intake.contact = input.sharedContact;
    const open = this.ports.openCaseOfReporter();
    if (open) {
      this.ports.appendToCase(open.code, intake, triage);
      this.say('case.appended', { code: open.code }, { caseCode: open.code });
    } else {
      const code = this.ports.openCase(intake, triage ?? this.ports.triage(''));
      this.say('case.opened_free', { code }, { caseCode: code });
    }
    return this.menu(false);
  }

  urgentNotice(): void {
    if (this.replies.some((r) => r.key === 'urgent.call_now')) return;
    this.say('urgent.call_now', { emergency: this.ports.emergencyNumber });
  }

  // ---- status -----------------------------------------------------------------------------

  status(code: string): void {
    const now = this.ports.now.getTime();
    const recent = (this.state.statusFailures ?? []).filter((t) => now - t < STATUS_WINDOW_MS);
    this.state.statusFailures = recent;
    if (recent.length >= STATUS_MAX_FAILURES) {
      const wait = Math.max(1, Math.ceil((recent[0]! + STATUS_WINDOW_MS - now) / 60000));
      this.state.step = 'menu';
      this.say('status.throttled', { minutes: wait });
      return this.menu(false);
    }
    const view = this.ports.lookupStatus(code);
    if (!view) {
      recent.push(now);
      return this.statusNotFound();
    }
    this.say(`status.${view.status}`, { code: view.code }, { caseCode: view.code });
    if (view.replies.length === 0) this.say('status.no_new_replies');
    for (const r of view.replies) this.say('status.reply', undefined, { raw: r, from: 'caseworker' });
    return this.menu(false);
  }

  statusNotFound(): void {
    const now = this.ports.now.getTime();
    const failures = (this.state.statusFailures ?? []).filter((t) => now - t < STATUS_WINDOW_MS);
    if (!failures.includes(now)) failures.push(now);
    this.state.statusFailures = failures;
    if (failures.length >= STATUS_MAX_FAILURES) {
      this.say('status.throttled', { minutes: Math.ceil(STATUS_WINDOW_MS / 60000) });
      return this.menu(false);
    }
    this.state.step = 'status.code';
    this.say('status.not_found', undefined, { choices: [BACK_TO_MENU] });
  }

  // ---- flows --------------------------------------------------------------------------------

  startTip(child: number | undefined): void {
    const d = newDraft('tip');
    this.state.draft = d;
    if (child !== undefined) {
      const known = this.ports.catalogueNumbers();
      if (known.size === 0 || known.has(child)) {
        d.child = child;
        this.state.step = 'tip.details';
        this.say('tip.about_child', { number: child });
        return this.prompt();
      }
      this.say('child.unknown', { number: child });
    }
    this.state.step = 'tip.child';
    this.say('tip.intro');
    this.prompt();
  }

  startFamily(): void {
    this.state.draft = newDraft('family');
    this.state.step = 'family.sex';
    this.say('family.intro');
    this.prompt();
  }

  /** Moves to the next step of the current flow and asks its question. */
  advance(): void {
    const d = this.state.draft;
    if (!d) return this.menu();
    const steps = FLOW_STEPS[d.flow];
    const current = this.state.step.replace(/_input$/, '') as Step;
    let i = steps.indexOf(current);
    let next = steps[i + 1];
    // Skip questions already answered (e.g. details given together with the child number).
    while (next === 'tip.details' && d.texts.length > 0) next = steps[++i + 1];
    if (!next) return this.submit();
    this.state.step = next;
    this.prompt();
  }

  /** Asks the question of the current step. */
  prompt(): void {
    if (this.state.step === 'language') return this.askLanguage();
    if (this.state.step === 'menu' || this.state.step === 'new') return this.menu();
    this.replies.push(...promptFor(this.state.step, this.state.draft));
  }

  /** After an interruption (a problem, help, a stray button): ask the current question again. */
  reprompt(): void {
    if (this.state.step === 'new') this.state.step = 'menu';
    this.prompt();
  }

  submit(): void {
    const d = this.state.draft;
    if (!d) return this.menu();
    const flow = d.flow;
    let code = d.caseCode;
    if (code) this.appendDraftToCase(d, undefined, true);
    else code = this.ports.openCase(this.intakeOf(d, flow), this.triageDraft(d));
    this.state.draft = undefined;
    if (flow === 'family') {
      this.say('family.submitted', { code }, { caseCode: code });
      this.say('family.next_step');
      this.say('family.warning_money', { emergency: this.ports.emergencyNumber });
    } else {
      this.say('tip.submitted', { code }, { caseCode: code });
    }
    this.menu(false);
  }

  cancelDraft(): void {
    const d = this.state.draft;
    this.state.draft = undefined;
    if (d?.caseCode) this.say('confirm.cancelled_but_urgent_kept', { code: d.caseCode }, { caseCode: d.caseCode });
    else this.say('confirm.cancelled');
    this.menu(false);
  }

  /**
   * A reporter left a flow (menu, /start) with something written: keep it as an incomplete
   * case rather than dropping it.
   */
  saveAbandonedDraft(): void {
    const d = this.state.draft;
    this.state.draft = undefined;
    if (!d) return;
    const hasContent = d.texts.length > 0 || d.attachmentIds.length > 0 || Object.keys(d.answers).length > 0;
    if (d.caseCode) {
      this.appendDraftToCase(d, undefined, true);
      return;
    }
    if (!hasContent) return;
    const code = this.ports.openCase({ ...this.intakeOf(d, d.flow), incomplete: true }, this.triageDraft(d));
    this.say('case.saved_incomplete', { code }, { caseCode: code });
  }

  /** An urgent message inside a flow opens its case at once; the flow goes on and adds to it. */
  openUrgentFromDraft(d: Draft, triage: TriageResult): void {
    if (d.caseCode) return this.appendDraftToCase(d, triage);
    d.caseCode = this.ports.openCase({ ...this.intakeOf(d, d.flow), incomplete: true }, triage);
    d.texts = [];
    d.attachmentIds = [];
    this.say('urgent.case_opened', { code: d.caseCode }, { caseCode: d.caseCode });
  }

  appendDraftToCase(d: Draft, triage: TriageResult | undefined, final = false): void {
    if (!d.caseCode) return;
    const intake = this.intakeOf(d, d.flow);
    if (final) intake.incomplete = false;
    this.ports.appendToCase(d.caseCode, intake, triage);
    d.texts = [];
    d.attachmentIds = [];
  }

  intakeOf(d: Draft, flow: Flow): CaseIntake {
    const intake: CaseIntake = {
      flow,
      texts: [...d.texts],
      answers: { ...d.answers },
      attachmentIds: [...d.attachmentIds],
    };
    if (d.child !== undefined) intake.child = d.child;
    if (d.contact) intake.contact = d.contact;
    return intake;
  }

  triageDraft(d: Draft): TriageResult {
    return this.ports.triage([...d.texts, d.answers.lost ?? '', d.answers.marks ?? ''].filter(Boolean).join('\n'));
  }
}
