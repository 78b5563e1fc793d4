/**
 * A seam for the test suite: when a check is registered before an app is made, every answer
 * the app gives passes through it (test/server/contract-check.ts checks each JSON answer against
 * the route's documented response schema). Nothing is registered in production, and then no
 * middleware is added at all.
 */
import type { Hono, MiddlewareHandler } from 'hono';

/** Given the finished app (for its OpenAPI document), the middleware that checks each answer. */
export type AnswerCheck = (app: () => Hono<any, any, any>) => MiddlewareHandler;
let registered: AnswerCheck | null = null;

export function registerAnswerCheck(check: AnswerCheck | null): void {
  registered = check;
}

export const answerCheck = (): AnswerCheck | null => registered;
