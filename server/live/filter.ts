/**
 * Whether a contact may receive a live event: the REST routes' rules (server/permissions.ts),
 * applied to the owners recorded with the event, so a contact never hears of a record they could
 * not GET. Pure, so the stream and a property test share it.
 */
import { reach, type Viewer } from '../permissions.js';

/** A live event as the log keeps it: where it belongs and whose record it is about. */
export interface StoredLiveEvent {
  id: number;
  provider_id: number;
  company_id: number;
  type: string;
  scope: 'job' | 'quote' | 'position' | 'company' | 'contact';
  created_by_contact_id: number | null;
  contact_id: number | null;
  data: string;
  created_at: number;
}

/** A stream's contact: their viewer, and whether the provider has the map switched on. */
export interface LiveViewer extends Viewer {
  providerMap: boolean;
}

const own = (v: Viewer, e: StoredLiveEvent): boolean => e.created_by_contact_id === v.contactId || e.contact_id === v.contactId;

export function mayReceive(v: LiveViewer, e: StoredLiveEvent): boolean {
  if (e.provider_id !== v.providerId || e.company_id !== v.companyId) return false;
  switch (e.scope) {
    case 'company':
      return true;
    case 'contact':
      return e.contact_id === v.contactId;
    case 'quote': {
      const r = reach(v.permissions.quotes);
      return r === 'all' || (r === 'own' && own(v, e));
    }
    case 'position':
      // A position is also about its job.
      return v.permissions.map && v.providerMap && mayReceive(v, { ...e, scope: 'job' });
    case 'job': {
      const r = reach(v.permissions.jobs);
      return r === 'all' || (r === 'own' && own(v, e));
    }
  }
}
