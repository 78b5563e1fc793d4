/** An element class may name the elements it renders; defining it defines them as well. */
export type Renders = { [T in keyof HTMLElementTagNameMap]?: new () => HTMLElementTagNameMap[T] };

/**
 * Defines a tag once (two bundles on one page must not throw), and first the tags its class
 * renders (`static renders`), so an entry names only the element it is for.
 */
export function defineTag(tag: string, element: CustomElementConstructor & { renders?: Renders }): void {
  for (const [inner, cls] of Object.entries(element.renders ?? {})) defineTag(inner, cls);
  if (!customElements.get(tag)) customElements.define(tag, element);
}
