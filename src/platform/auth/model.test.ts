import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  digest,
  emailSchema,
  FAILURE_MEMORY_SECONDS,
  FIRST_LOCK_SECONDS,
  formatWait,
  FREE_FAILURES,
  lockSeconds,
  looksLikeApiToken,
  MAX_LOCK_SECONDS,
  newApiToken,
  passwordSchema,
  sessionState,
  waitSeconds,
} from './model.ts';

const limits = { idleMinutes: 120, maxHours: 12 };
const t0 = new Date('2026-03-01T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('sessions', () => {
  it('stay valid while used, end after two idle hours, and after twelve hours whatever the activity', () => {
    expect(sessionState({ createdAt: t0, lastSeenAt: at(100), revokedAt: null }, at(200), limits)).toBe('valide');
    expect(sessionState({ createdAt: t0, lastSeenAt: at(0), revokedAt: null }, at(120), limits)).toBe('inactive');
    expect(sessionState({ createdAt: t0, lastSeenAt: at(719), revokedAt: null }, at(720), limits)).toBe('expiree');
  });
  it('end for good when signed out', () => {
    expect(sessionState({ createdAt: t0, lastSeenAt: t0, revokedAt: at(1) }, at(2), limits)).toBe('revoquee');
  });
});

describe('sign-in throttling', () => {
  it('lets the first mistakes pass, then doubles the wait up to a ceiling', () => {
    expect(lockSeconds(FREE_FAILURES - 1)).toBe(0);
    expect(lockSeconds(FREE_FAILURES)).toBe(FIRST_LOCK_SECONDS);
    expect(lockSeconds(FREE_FAILURES + 1)).toBe(FIRST_LOCK_SECONDS * 2);
    expect(lockSeconds(FREE_FAILURES + 30)).toBe(MAX_LOCK_SECONDS);
  });
  it('never shortens the wait when failures accumulate', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 200 }), (n) => lockSeconds(n + 1) >= lockSeconds(n)));
  });
  it('counts failures and forgets them after an hour', () => {
    let t = afterFailure(null, t0);
    for (let i = 1; i < FREE_FAILURES; i++) t = afterFailure(t, at(i));
    expect(t.failures).toBe(FREE_FAILURES);
    expect(waitSeconds(t, at(FREE_FAILURES - 1))).toBe(FIRST_LOCK_SECONDS);
    expect(waitSeconds(t, at(FREE_FAILURES))).toBe(0);
    const later = afterFailure(t, new Date(t.lastFailureAt.getTime() + FAILURE_MEMORY_SECONDS * 1000));
    expect(later.failures).toBe(1);
    expect(later.lockedUntil).toBeNull();
  });
  it('tells the wait in French', () => {
    expect(formatWait(1)).toBe('1 seconde');
    expect(formatWait(30)).toBe('30 secondes');
    expect(formatWait(61)).toBe('2 minutes');
  });
});

describe('identifiers', () => {
  it('normalises addresses and explains a wrong one in French', () => {
    expect(emailSchema.parse('  Claire.Martin@Paris.FR ')).toBe('claire.martin@paris.fr');
    expect(emailSchema.safeParse('claire').error?.issues[0]?.message).toContain('adresse électronique valide');
  });
  it('asks for passwords of at least twelve characters', () => {
    expect(passwordSchema.safeParse('court').error?.issues[0]?.message).toBe('Le mot de passe doit compter au moins 12 caractères.');
    expect(passwordSchema.safeParse('douze caract').success).toBe(true);
  });
  it('makes API tokens that are recognisable, distinct, and stored only as a digest', () => {
    const a = newApiToken();
    const b = newApiToken();
    expect(looksLikeApiToken(a.token)).toBe(true);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(digest(a.token));
    expect(a.hash).not.toContain(a.token.slice(4));
    expect(a.token.startsWith(a.prefix)).toBe(true);
    expect(looksLikeApiToken('pil_court')).toBe(false);
  });
});
