/**
 * Host names of this machine. A page on any site can make a browser send requests with its own
 * Host to 127.0.0.1 by pointing a name there (DNS rebinding); answering only these names keeps
 * such a page from reading what is served to this machine.
 */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export const isLoopbackHost = (host: string | undefined): boolean => host !== undefined && LOOPBACK_HOST.test(host);
