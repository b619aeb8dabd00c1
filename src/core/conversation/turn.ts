/**
 * The building blocks of a conversation turn: replies, the menu, the flows' questions, and how
 * a draft becomes (or joins) a case. `engine.ts` routes each inbound message onto these.
 */
import type { TriageResult } from '../types.ts';
import { BACK_TO_MENU, FLOW_STEPS, MENU_CHOICES, newDraft, promptFor } from './prompts.ts';
import type { CaseIntake, ChoiceSpec, ConversationState, Draft, EnginePorts, Flow, Reply, Step } from './state.ts';

/** Failed case-code look-ups allowed in {@link STATUS_WINDOW_MS} before the reporter must wait. */
export const STATUS_MAX_FAILURES = 5;
export const STATUS_WINDOW_MS = 15 * 60 * 1000;

/** One turn of a conversation: mutable state and the replies produced so far. */
export class ConversationTurn {
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


  greet(): void {
    this.say('greeting');
    this.say('privacy', { emergency: this.ports.emergencyNumber });
  }

  menu(withPrompt = true): void {
    this.state.step = 'menu';
    if (withPrompt || this.replies.length === 0) this.say('menu.prompt', undefined, { choices: MENU_CHOICES });
    else this.offer(MENU_CHOICES);
  }


  askLanguage(): void {
    // Mid-flow the question stays where it was: after the choice it is asked again.
    if (!this.state.draft) this.state.step = 'language';
    const choices = this.ports.availableLocales().map((l) => ({ id: `lang:${l.code}`, key: '', label: l.name }));
    this.say('language.ask', undefined, { choices });
  }

  // ---- buttons --------------------------------------------------------------------------


  unknownButton(): void {
    this.say('unknown_button');
    this.reprompt();
  }

  // ---- text -----------------------------------------------------------------------------


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
    if (d?.caseCode) {
      // An urgent case already exists: what was added since belongs to it, cancelled or not.
      this.appendDraftToCase(d, undefined, true);
      this.state.draft = undefined;
      this.say('confirm.cancelled_but_urgent_kept', { code: d.caseCode }, { caseCode: d.caseCode });
    } else {
      this.state.draft = undefined;
      this.say('confirm.cancelled');
    }
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
      // The case exists already: add only what is new (nothing new must not reopen a case a
      // caseworker closed), and it stays marked as an unfinished intake.
      if (hasContent || d.contact) this.appendDraftToCase(d, undefined);
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
    this.#moved(d);
    this.say('urgent.case_opened', { code: d.caseCode }, { caseCode: d.caseCode });
  }

  appendDraftToCase(d: Draft, triage: TriageResult | undefined, final = false): void {
    if (!d.caseCode) return;
    const intake = this.intakeOf(d, d.flow);
    if (final) intake.incomplete = false;
    this.ports.appendToCase(d.caseCode, intake, triage);
    this.#moved(d);
  }

  /** What the draft held is now in the case: keep only the count of photos for the reporter. */
  #moved(d: Draft): void {
    d.sentAttachments = (d.sentAttachments ?? 0) + d.attachmentIds.length;
    d.texts = [];
    d.attachmentIds = [];
    d.answers = {};
    delete d.contact;
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
    return this.ports.triage([...d.texts, ...Object.values(d.answers)].filter(Boolean).join('\n'));
  }
}
