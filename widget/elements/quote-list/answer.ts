/** quote-list's accept/decline: the note check, the decline confirmation, sending the answer and what came of it. */
import type { ReactiveControllerHost } from 'lit';
import type { QuoteDetail } from '../../api/client.js';
import type { PortalState } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError, focusFirstInvalid, sentence } from '../../ui/form.js';
import { reportError } from '../../ui/states.js';
import type { AnswerOptions } from './detail.js';
import { LIMITS } from '../../../server/contract.js';

/** The server's limit on an answer's note. */
export const MAX_NOTE = LIMITS.answerNote;

/** The element the answer belongs to (quote-list); its `busy` is true while an answer is sent. */
export type AnswerHost = ReactiveControllerHost & HTMLElement & { busy: boolean; readonly renderRoot: ParentNode };

/** What the answer needs from quote-list's own state. */
export interface AnswerHooks {
  portal(): PortalState | undefined;
  /** The quote on screen. */
  quote(): QuoteDetail | null;
  /** The quote as the server has it after the answer. */
  answered(quote: QuoteDetail): void;
  /** The quote was answered elsewhere or expired meanwhile: stop offering the answer and load it again. */
  stale(quote: QuoteDetail): void;
  /** Focus this (a selector in the shadow root) once it is rendered. */
  focus(selector: string): void;
}

export interface AnswerState {
  /** Whether "Decline quote …?" is being asked. */
  /** The answer waiting for a yes: both are final. */
  confirming: '' | 'accept' | 'decline';
  noteError: string;
  /** Why the last answer failed, when it was not the note. */
  error: string;
  /** What the last answer did. */
  notice: string;
}

const CLEAR: AnswerState = { confirming: '', noteError: '', error: '', notice: '' };

export class QuoteAnswer {
  private current: AnswerState = CLEAR;

  constructor(
    private readonly host: AnswerHost,
    private readonly hooks: AnswerHooks,
  ) {}

  get state(): Readonly<AnswerState> {
    return this.current;
  }

  /** Renders again only when something changed, as a Lit state property would. */
  private set(change: Partial<AnswerState>): void {
    const next = { ...this.current, ...change };
    if ((Object.keys(change) as (keyof AnswerState)[]).every((k) => next[k] === this.current[k])) return;
    this.current = next;
    this.host.requestUpdate();
  }

  /** Forgets the confirmation, the errors and the notice: another quote (or none) is shown. */
  reset(): void {
    this.set(CLEAR);
  }

  /** What renderAnswer needs. */
  options(): AnswerOptions {
    return {
      busy: this.host.busy,
      confirming: this.current.confirming,
      noteError: this.current.noteError,
      onNoteInput: () => this.set({ noteError: '' }),
      onAccept: () => this.ask('accept'),
      onDecline: () => this.ask('decline'),
      onConfirm: () => void this.send(this.current.confirming || 'decline'),
      onKeep: () => this.cancelAsk(),
    };
  }

  /** The note as it will be sent, or null (and the error shown) when it is too long. */
  private checkedNote(): string | null {
    const note = (this.host.renderRoot.querySelector<HTMLTextAreaElement>('textarea[name=note]')?.value ?? '').trim();
    if (note.length <= MAX_NOTE) {
      this.set({ noteError: '' });
      return note;
    }
    this.set({ noteError: `Use at most ${MAX_NOTE} characters (now ${note.length}).`, confirming: '' });
    void this.host.updateComplete.then(() => focusFirstInvalid(this.host.renderRoot));
    return null;
  }

  /** Accepting and declining are final, so each asks first. */
  private ask(answer: 'accept' | 'decline'): void {
    if (this.checkedNote() === null) return;
    this.set({ confirming: answer });
    this.hooks.focus('#confirm-text');
  }

  /** "Keep the quote" or Escape: back to the button that asked. */
  private cancelAsk(): void {
    const asked = this.current.confirming || 'decline';
    this.set({ confirming: '' });
    this.hooks.focus(`button.${asked}`);
  }

  private async send(answer: 'accept' | 'decline'): Promise<void> {
    const { host, hooks } = this;
    const portal = hooks.portal();
    const quote = hooks.quote();
    const note = this.checkedNote();
    if (!portal || !quote || host.busy || note === null) return;
    if (!emit(host, 'portal-quote-answer', { quote, answer, note }, { cancelable: true })) {
      if (this.current.confirming) this.cancelAsk();
      return;
    }
    host.busy = true;
    this.set({ error: '', notice: '' });
    try {
      const done = answer === 'accept' ? await portal.client.acceptQuote(quote.id, note) : await portal.client.declineQuote(quote.id, note);
      hooks.answered(done);
      this.set({
        notice:
          answer === 'accept'
            ? `You accepted quote ${done.number}. We will be in touch to arrange the work.`
            : `You declined quote ${done.number}.`,
      });
      emit(host, answer === 'accept' ? 'portal-quote-accepted' : 'portal-quote-declined', { quote: done });
      hooks.focus('[part=notice]');
    } catch (error) {
      const e = asApiError(error);
      const message = reportError(host, portal, `${answer}-quote`, error);
      if (e.fields.note) {
        this.set({ noteError: sentence(e.fields.note) });
        hooks.focus('#note');
      } else {
        this.set({ error: message ?? '' });
        hooks.focus('[part~=error]');
        // Answered elsewhere or expired meanwhile: show what the quote is now.
        if (e.status === 409 || e.status === 403) hooks.stale(quote);
      }
    } finally {
      this.set({ confirming: '' });
      host.busy = false;
    }
  }
}
