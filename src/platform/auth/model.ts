import { createHash, randomBytes } from 'node:crypto';
import { z } from '../validation.ts';

// Pure rules of accounts, sessions, sign-in throttling and API tokens. No I/O here.

export const SESSION_COOKIE = 'pilotis_session';

export const emailSchema = z
  .string({ error: 'Saisissez une adresse électronique.' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr.' }));

export const signInSchema = z.object({
  email: emailSchema,
  motDePasse: z.string({ error: 'Saisissez votre mot de passe.' }).min(1, { error: 'Saisissez votre mot de passe.' }),
  retour: z.string().optional(),
});

/**
 * Only a path of this site is accepted as a destination after sign-in: no open redirect.
 * Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil"), so control characters
 * are refused outright, and the path must resolve to this origin.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  try {
    const url = new URL(value, 'http://pilotis.invalid');
    if (url.origin !== 'http://pilotis.invalid') return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}

export const PASSWORD_MIN_LENGTH = 12;
export const passwordSchema = z
  .string({ error: 'Saisissez un mot de passe.' })
  .min(PASSWORD_MIN_LENGTH, { error: `Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.` })
  .max(200, { error: 'Le mot de passe doit compter au plus 200 caractères.' });

export const displayNameSchema = z
  .string({ error: 'Saisissez un nom.' })
  .trim()
  .min(2, { error: 'Le nom doit compter au moins 2 caractères.' })
  .max(120, { error: 'Le nom doit compter au plus 120 caractères.' });

/** Random secret for cookies and tokens: 256 bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Sessions and API tokens are stored as SHA-256 digests only. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export type SessionTimes = { createdAt: Date; lastSeenAt: Date; revokedAt: Date | null };
export type SessionLimits = { idleMinutes: number; maxHours: number };

export type SessionState = 'valide' | 'revoquee' | 'inactive' | 'expiree';

/** A session ends when signed out, after a period without activity, or after a maximum lifetime. */
export function sessionState(s: SessionTimes, now: Date, limits: SessionLimits): SessionState {
  if (s.revokedAt) return 'revoquee';
  if (now.getTime() - s.createdAt.getTime() >= limits.maxHours * 3_600_000) return 'expiree';
  if (now.getTime() - s.lastSeenAt.getTime() >= limits.idleMinutes * 60_000) return 'inactive';
  return 'valide';
}

/** Writing last_seen_at on every request is wasted I/O: a minute of precision is enough. */
export function shouldTouchSession(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= 60_000;
}

// Sign-in throttling: the first few mistakes are free, then each failure doubles the wait.
// Per address the allowance is small; per IP it is larger, as a whole office may share one IP.
export const FREE_FAILURES = 5;
export const FREE_FAILURES_PER_IP = 20;
export const FIRST_LOCK_SECONDS = 30;
export const MAX_LOCK_SECONDS = 15 * 60;
/** Failures older than this are forgotten. */
export const FAILURE_MEMORY_SECONDS = 60 * 60;

export type Throttle = { failures: number; lastFailureAt: Date; lockedUntil: Date | null };

export function lockSeconds(failures: number, free = FREE_FAILURES): number {
  if (failures < free) return 0;
  return Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (failures - free));
}

/** The state after one more failure. */
export function afterFailure(previous: Throttle | null, now: Date, free = FREE_FAILURES): Throttle {
  const remembered =
    previous && now.getTime() - previous.lastFailureAt.getTime() < FAILURE_MEMORY_SECONDS * 1000 ? previous.failures : 0;
  const failures = remembered + 1;
  const wait = lockSeconds(failures, free);
  return { failures, lastFailureAt: now, lockedUntil: wait > 0 ? new Date(now.getTime() + wait * 1000) : null };
}

/** Seconds to wait before trying again, 0 when an attempt is allowed now. */
export function waitSeconds(t: Throttle | null, now: Date): number {
  if (!t?.lockedUntil) return 0;
  return Math.max(0, Math.ceil((t.lockedUntil.getTime() - now.getTime()) / 1000));
}

/** What a person reads when the throttle makes them wait. */
export function waitMessage(seconds: number): string {
  return `Trop de tentatives infructueuses. Réessayez dans ${formatWait(seconds)}.`;
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} seconde${seconds > 1 ? 's' : ''}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes > 1 ? 's' : ''}`;
}

// API tokens: "pil_" + secret; the prefix shown in lists lets a person tell tokens apart.
export const API_TOKEN_PREFIX = 'pil_';
export function newApiToken(): { token: string; prefix: string; hash: string } {
  const token = API_TOKEN_PREFIX + newSecret();
  return { token, prefix: token.slice(0, API_TOKEN_PREFIX.length + 6), hash: digest(token) };
}
export function looksLikeApiToken(value: string): boolean {
  return /^pil_[A-Za-z0-9_-]{43}$/.test(value);
}
