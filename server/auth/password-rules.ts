import { readFileSync } from 'node:fs';

import { LIMITS, PASSWORD_MIN_LENGTH } from '../contract.js';

export const MIN_PASSWORD_LENGTH = PASSWORD_MIN_LENGTH;
export const MAX_PASSWORD_LENGTH = LIMITS.password;

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#')),
  );
  return common;
}

/** What is wrong with a new password, as a phrase after "Password …", or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'is one of the most common passwords; choose another';
  if (/^(.)\1*$/.test(password)) return 'must not be one character repeated';
  if (email && lower === email.toLowerCase()) return 'must not be your email address';
  return null;
}
