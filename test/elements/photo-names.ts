/** Names of the job-photos fixtures, shared by the seed (Node) and the tests (browser). */
export const PHOTOS_PROVIDER = 'acme-plumbing';
export const PHOTO_CONTACTS = { owner: 'photos-owner@elements.test', viewer: 'photos-viewer@elements.test', upload: 'photos-upload@elements.test' } as const;
export const PHOTO_JOBS = { gallery: 'Photo fixture: leaking tap', empty: 'Photo fixture: nothing yet', office: 'Photo fixture: office job' } as const;
export const GALLERY = [
  { caption: 'Drip from the tap', kind: 'photo' },
  { caption: 'Cabinet floor soaked', kind: 'photo' },
  { caption: 'Quote.pdf', kind: 'document' },
] as const;
export const HIDDEN_CAPTION = 'Office only: not for the customer';
