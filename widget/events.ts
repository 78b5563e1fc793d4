/**
 * Every event the elements fire. All bubble and are composed, so a host page can listen on
 * `document`; the "before" events are cancelable so a host can take over the default action.
 * Setting a property in code fires nothing.
 */
import type { Me } from './api/client.js';

export interface PortalEventDetails {
  /** Before logging in. Cancel to handle the credentials yourself. */
  'portal-sign-in': { email: string; remember: boolean };
  /** A contact is logged in (also after a reload restored the session). */
  'portal-signed-in': { me: Me; restored: boolean };
  /** Before logging out (of this device, or everywhere). Cancel to keep the session. */
  'portal-sign-out': { everywhere: boolean };
  /** The session ended: the contact logged out (here or everywhere), or the server ended it. */
  'portal-signed-out': { reason: 'logout' | 'everywhere' | 'expired' };
  /** The "forgot password?" link. Cancel to run your own reset flow instead of the built-in form. */
  'portal-forgot-password': { email: string };
  /** A reset link was asked for (the server answers the same whether or not the address is known). */
  'portal-reset-requested': { email: string };
  /** A password was set from an emailed invitation or reset link; the contact is now logged in. */
  'portal-password-set': { me: Me; purpose: 'invite' | 'reset' };
  /** The logged-in contact changed their password; their other sessions ended. */
  'portal-password-changed': Record<string, never>;
  /** Something failed that the element showed to the user. */
  'portal-error': { code: string; message: string; status: number; action: string };
}

export type PortalEventName = keyof PortalEventDetails;

export class PortalEvent<N extends PortalEventName> extends CustomEvent<PortalEventDetails[N]> {
  constructor(name: N, detail: PortalEventDetails[N], options: { cancelable?: boolean } = {}) {
    super(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false });
  }
}

/** Fires the event from `target`; returns false when a listener cancelled it. */
export function emit<N extends PortalEventName>(
  target: EventTarget,
  name: N,
  detail: PortalEventDetails[N],
  options: { cancelable?: boolean } = {},
): boolean {
  return target.dispatchEvent(new PortalEvent(name, detail, options));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portal-sign-in': PortalEvent<'portal-sign-in'>;
    'portal-signed-in': PortalEvent<'portal-signed-in'>;
    'portal-sign-out': PortalEvent<'portal-sign-out'>;
    'portal-signed-out': PortalEvent<'portal-signed-out'>;
    'portal-forgot-password': PortalEvent<'portal-forgot-password'>;
    'portal-reset-requested': PortalEvent<'portal-reset-requested'>;
    'portal-password-set': PortalEvent<'portal-password-set'>;
    'portal-password-changed': PortalEvent<'portal-password-changed'>;
    'portal-error': PortalEvent<'portal-error'>;
  }
}
