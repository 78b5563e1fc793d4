/** Part of the contract (server/contract.ts re-exports it): zod-free, imported by the widget too. */

/** Theme values, checked on the server when set and in the browser when given as attributes. */
export const THEME_PATTERNS = {
  color: /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/,
  // Only characters that cannot break out of a CSS declaration.
  fontFamily: /^[\w\s,'"-]{1,200}$/,
  radius: /^(?:\d{1,3}(?:\.\d{1,2})?(?:px|rem|em)|0)$/,
  logoUrl: /^(?:https?:\/\/[^\s"'()<>]+|\/[^\s"'()<>]*)$/,
} as const;
