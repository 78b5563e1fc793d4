/** Defines a tag once (two bundles on one page must not throw). Entries import only their own classes. */
export function defineTag(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
