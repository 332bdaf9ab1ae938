// Who hears about a change on the live stream (GET /api/v1/events): exactly those who could read
// what changed, by the same rules as the API's reads (core/roles.ts). A rep hears about their own
// deals and activities, and that a deal just left them (so their board drops it); managers, admins
// and readonly members hear about everything in the organization; invitations reach admins only.
import type { EventType } from '../events.ts';
import { isAdmin, seesAllDealsAndActivities, type Actor } from '../roles.ts';

export interface LiveEventFacts {
  type: EventType;
  /** The record's owner now: a deal's owner, an activity's or task's owner, a tracked email's sender. */
  ownerId?: string | null;
  /** Deals only: the owner before this change, when it changed owner. */
  previousOwnerId?: string | null;
  /** API keys only: whose key it is. */
  keyOwnerId?: string | null;
}

/** show: send it; gone: send that the record left the listener's view; none: send nothing. */
export type LiveVisibility = 'show' | 'gone' | 'none';

const kindOf = (type: EventType) => type.slice(0, type.indexOf('.'));

export function liveVisibility(viewer: Actor, e: LiveEventFacts): LiveVisibility {
  switch (kindOf(e.type)) {
    case 'deal':
      if (seesAllDealsAndActivities(viewer) || (e.ownerId != null && e.ownerId === viewer.userId)) return 'show';
      return e.previousOwnerId != null && e.previousOwnerId === viewer.userId ? 'gone' : 'none';
    case 'activity':
    case 'task':
    case 'email':
      return seesAllDealsAndActivities(viewer) || (e.ownerId != null && e.ownerId === viewer.userId) ? 'show' : 'none';
    case 'invitation':
      return isAdmin(viewer) ? 'show' : 'none';
    case 'api_key':
      return e.keyOwnerId != null && e.keyOwnerId === viewer.userId ? 'show' : 'none';
    default:
      // contacts and companies (everyone reads them), members, teams, pipelines, settings
      return 'show';
  }
}
