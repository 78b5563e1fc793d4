/**
 * The one-time links (invitation / reset) the account tests open. The test page cannot read
 * email, so test/elements/fixtures.ts stores these tokens' hashes in `auth_links` (in Node) and
 * the tests (in the browser) use the raw tokens. No Node imports here: the browser loads it too.
 */

/** A token of the shape the server issues (32 bytes, base64url: 43 characters), fixed so both sides know it. */
function token(label: string): string {
  const t = `wtr-${label}-`.padEnd(43, '0');
  if (!/^[A-Za-z0-9_-]{43}$/.test(t)) throw new Error(`bad fixture token ${t}`);
  return t;
}

export type LinkState = 'live' | 'used' | 'expired';

export interface FixtureLink {
  /** The acme-plumbing contact it is for: `<contact>@elements.test`, named "Element <contact>". */
  contact: string;
  purpose: 'invite' | 'reset';
  state: LinkState;
  token: string;
}

const link = (contact: string, purpose: 'invite' | 'reset', state: LinkState): FixtureLink => ({
  contact,
  purpose,
  state,
  token: token(`${purpose}-${state}-${contact}`),
});

/** One link per test. Contacts with a live invitation have no password yet. */
export const LINKS = {
  inviteHash: link('invite-hash', 'invite', 'live'),
  inviteProperty: link('invite-prop', 'invite', 'live'),
  inviteKeyboard: link('invite-keys', 'invite', 'live'),
  reset: link('reset-link', 'reset', 'live'),
  used: link('used-link', 'invite', 'used'),
  expired: link('expired-link', 'reset', 'expired'),
} as const satisfies Record<string, FixtureLink>;

/** A live link's token with its last character changed: right shape, but no link of ours. */
export const TAMPERED_TOKEN = LINKS.reset.token.slice(0, -1) + (LINKS.reset.token.endsWith('1') ? '2' : '1');
