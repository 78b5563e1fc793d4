import { css } from 'lit';
import type { Theme } from './api/client.js';
import { THEME_PATTERNS } from '../server/theme-patterns.js';

/**
 * Design tokens. A palette (light and dark) and semantic aliases; elements use only the
 * aliases. portal-root sets them on itself, and everything inside inherits them.
 */
export const tokens = css`
  :host {
    --portal-color-brand: #0a5cd6;
    --portal-color-accent: #0f7b6c;
    --portal-color-on-brand: #ffffff;
    --portal-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --portal-radius: 6px;
    --portal-space: 0.75rem;
    --portal-font-size: 1rem;
    /* One content width and one card look for every tab. */
    --portal-content-width: 64rem;
    --portal-shadow: 0 1px 2px rgb(16 24 40 / 0.06), 0 1px 3px rgb(16 24 40 / 0.1);

    --portal-color-surface: #ffffff;
    --portal-color-surface-raised: #f5f7fa;
    --portal-color-text: #1b1f24;
    --portal-color-text-muted: #525a64;
    --portal-color-border: #8a939e;
    --portal-color-border-subtle: #dde1e6;
    --portal-color-danger: #b3261e;
    --portal-color-danger-surface: #fdecea;
    --portal-color-success: #1e6b34;
    --portal-color-info: #0b4fa8;
    --portal-color-warning: #7a4a00;
    --portal-color-focus: #1a73e8;
    color-scheme: light;
  }
  :host([scheme='dark']) {
    --portal-color-surface: #15191f;
    --portal-color-surface-raised: #1f252d;
    --portal-color-text: #eef1f5;
    --portal-color-text-muted: #b4bcc6;
    --portal-color-border: #6d7783;
    --portal-color-border-subtle: #323a44;
    --portal-color-danger: #ffb4ab;
    --portal-color-danger-surface: #3b1512;
    --portal-color-success: #8fd9a4;
    --portal-color-info: #a8c7fa;
    --portal-color-warning: #ffd37a;
    --portal-color-focus: #8ab4f8;
    color-scheme: dark;
  }
`;

// The same patterns the server checks a provider's theme with.
const WELL_FORMED: Partial<Record<keyof Theme, RegExp>> = {
  brandColor: THEME_PATTERNS.color,
  accentColor: THEME_PATTERNS.color,
  fontFamily: THEME_PATTERNS.fontFamily,
  radius: THEME_PATTERNS.radius,
};
const wellFormed = (k: keyof Theme, v: string | undefined): v is string => !!v && (WELL_FORMED[k]?.test(v) ?? true);

/**
 * Theme values in force: the provider's server-side theme, overridden by attributes. A malformed
 * attribute is ignored, so the provider's value stays rather than falling back to the default.
 */
export function mergeTheme(server: Theme | undefined, overrides: Theme): Theme {
  const merged: Theme = { ...server };
  for (const [k, v] of Object.entries(overrides) as [keyof Theme, string | undefined][]) {
    if (wellFormed(k, v)) (merged as Record<string, string>)[k] = v;
  }
  return merged;
}

function luminance(hex: string): number {
  const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (d) => d + d) : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** White or near-black text on a colour, whichever has the higher WCAG contrast. */
export function textOn(hex: string): string {
  const l = luminance(hex);
  return (1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#111111');
}

/** The custom properties a theme sets. Values that are not well-formed are ignored, not applied. */
export function themeProperties(theme: Theme): Record<string, string> {
  const props: Record<string, string> = {};
  if (wellFormed('brandColor', theme.brandColor)) {
    props['--portal-color-brand'] = theme.brandColor;
    props['--portal-color-on-brand'] = textOn(theme.brandColor);
  }
  if (wellFormed('accentColor', theme.accentColor)) props['--portal-color-accent'] = theme.accentColor;
  if (wellFormed('fontFamily', theme.fontFamily)) props['--portal-font-family'] = theme.fontFamily;
  if (wellFormed('radius', theme.radius)) props['--portal-radius'] = theme.radius;
  return props;
}
