/** Type-level tests, checked by `tsc` (nothing runs): every tag is typed as its element class. */
import type { JobList, PortalRoot } from '../../widget/index.js';
import type { Renders } from '../../widget/define.js';
import type { PortalTag } from '../../widget/register.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

const list: JobList = document.createElement('job-list');
export const listQuery: string = list.query;

export type TagsAreTyped = [
  Expect<Same<HTMLElementTagNameMap['job-list'], JobList>>,
  Expect<Same<HTMLElementTagNameMap['portal-root'], PortalRoot>>,
  Expect<Same<keyof HTMLElementTagNameMap & PortalTag, PortalTag>>,
];

// A class named under another element's tag is refused.
// @ts-expect-error job-list is not a portal-root
export const wrong: Renders = { 'portal-root': {} as typeof JobList };
