import { createContext } from '@lit/context';
import type { LoginResponse, Me, PortalClient, ProviderPublic } from './api/client.js';
import type { LiveChannel } from './live/channel.js';
import type { LiveState } from './live/connection.js';

export type SessionStatus = 'loading' | 'signed-out' | 'signed-in';

/**
 * What portal-root shares with the elements inside it. A new object on every change, so
 * consumers with `subscribe: true` re-render.
 */
export interface PortalState {
  client: PortalClient;
  status: SessionStatus;
  me: Me | null;
  /** The provider's public configuration; null until loaded (or when it could not be). */
  config: ProviderPublic | null;
  /** The logo to show: the host's `logo` attribute, else the provider's (absolute URL). */
  logoUrl: string | null;
  online: boolean;
  /** portal-root's one live stream: subscribe to its events (see LiveController). */
  live: LiveChannel;
  /** Whether that stream is open, (re)connecting, or off (signed out, or `no-live`). */
  liveState: LiveState;
  /** Set when the API refused this website (its origin is not registered with the provider). */
  refusedOrigin: boolean;
  /** Why the last session ended, while signed out: `expired` when the server ended it (another device, or time). */
  endedBy: 'logout' | 'everywhere' | 'expired' | null;
  signIn(email: string, password: string, remember: boolean): Promise<Me>;
  /** Takes over a session the server just opened (e.g. after setting a password from a link). */
  adoptSession(result: LoginResponse, remember: boolean): Promise<Me>;
  signOut(): Promise<void>;
  /** Ends every session of the contact. Throws (and stays signed in) when the server cannot be reached. */
  signOutEverywhere(): Promise<void>;
  /** Reloads `me` (name, company, permissions) after something changed it. Failures leave it as it was. */
  refreshMe(): Promise<void>;
  /** Call when any request answers 401: the session is gone. */
  sessionExpired(): void;
}

export const portalContext = createContext<PortalState>(Symbol('portal-state'));
