/**
 * portal-root's live stream, fetched once the contact is signed in (the login form does not need
 * it): one connection per client, its events handed to the elements (the channel) and to the page
 * (`portal-live`, `portal-live-state`, `portal-live-reload`).
 */
import type { PortalClient } from '../api/client.js';
import type { PortalState } from '../context.js';
import { emit } from '../events.js';
import type { LiveChannel } from './channel.js';
import { LiveConnection, type LiveState } from './connection.js';

/** What of portal-root the stream reads and sets. */
export interface LiveHost extends HTMLElement {
  client: PortalClient;
  liveState: LiveState;
  liveEndedFor: string | null;
  state: PortalState;
  update$(patch: Partial<PortalState>): void;
}

/** The one live stream of this client: its events go to the elements (channel) and the page (portal-live). */
export function openLive(host: LiveHost, client: PortalClient, live: LiveChannel): LiveConnection {
  const mine = (): boolean => host.client === client;
  return new LiveConnection((lastEventId, signal) => client.openLive(lastEventId, signal), {
    state: (state) => {
      if (!mine()) return;
      host.liveState = state;
      host.update$({ liveState: state });
      emit(host, 'portal-live-state', { state });
    },
    event: (event) => {
      if (!mine()) return;
      live.deliver(event);
      emit(host, 'portal-live', { event });
    },
    reload: (reason) => {
      if (!mine()) return;
      if (reason === 'permissions') void host.state.refreshMe();
      live.reload(reason);
      emit(host, 'portal-live-reload', { reason });
    },
    ended: (reason) => {
      if (!mine()) return;
      host.liveEndedFor = client.token;
      emit(host, 'portal-live-state', { state: 'off', reason });
      // The server saw the session end (logout elsewhere, disabled, expired): signed out here too,
      // without another request. A refused stream (401) may mean the same: refreshMe finds out.
      if (reason === 'session_ended' || reason === 'disabled') host.state.sessionExpired();
      else if (reason === 'unauthorized') void host.state.refreshMe();
    },
  });
}
