/** The one place that names every tag. Importing a tag's entry defines it (and what it needs). */
import { PortalLogin } from './elements/portal-login/portal-login.js';
import { PortalRoot } from './elements/portal-root/portal-root.js';

export const elements = {
  'portal-root': PortalRoot,
  'portal-login': PortalLogin,
} as const;

export type PortalTag = keyof typeof elements;

/** Defines the given tags, skipping any already defined (two bundles on one page must not throw). */
export function define(...tags: PortalTag[]): void {
  for (const tag of tags) {
    if (!customElements.get(tag)) customElements.define(tag, elements[tag]);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'portal-root': PortalRoot;
    'portal-login': PortalLogin;
  }
}
