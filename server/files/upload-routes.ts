/** Which requests are file uploads: their bodies stream past the app's small JSON body limit. */
const UPLOAD = /^\/api\/(?:portal\/[^/]+|provider\/v1)\/jobs\/[^/]+\/files\/?$/;

export const isFileUpload = (method: string, path: string): boolean => method === 'POST' && UPLOAD.test(path);
