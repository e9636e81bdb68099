import { describe, expect, it } from 'vitest';
import { encodePending, oidcFormActionSources, identityFromClaims, identityName, OIDC_PENDING_SECONDS, providerErrorProblem, readPending, redirectUri } from './oidc-model.ts';

const now = new Date('2025-03-10T09:00:00Z');
const pending = { verifier: 'v'.repeat(43), state: 'etat', nonce: 'nonce', retour: '/compte', at: now.getTime() };

describe('pending OIDC sign-in cookie', () => {
  it('reads back what was written', () => {
    expect(readPending(encodePending(pending), now)).toEqual(pending);
  });

  it('is over after ten minutes, whatever the browser kept', () => {
    const later = (s: number) => new Date(now.getTime() + s * 1000);
    expect(readPending(encodePending(pending), later(OIDC_PENDING_SECONDS))).toEqual(pending);
    expect(readPending(encodePending(pending), later(OIDC_PENDING_SECONDS + 1))).toBe('expiree');
    // A date in the future is not a way to live longer.
    expect(readPending(encodePending({ ...pending, at: later(60).getTime() }), now)).toBe('expiree');
  });

  it('treats a missing, unreadable or incomplete value as absent', () => {
    expect(readPending(undefined, now)).toBe('absente');
    expect(readPending(null, now)).toBe('absente');
    expect(readPending('pas du json', now)).toBe('absente');
    expect(readPending(JSON.stringify({ ...pending, verifier: 'court' }), now)).toBe('absente');
    expect(readPending(JSON.stringify({ state: 'etat' }), now)).toBe('absente');
  });
});

describe('identity from the provider claims', () => {
  it('takes ProConnect usual_name, else the standard family_name, and lowercases the address', () => {
    expect(identityFromClaims({ sub: 'abc', email: ' Marie.Dupont@Ville.FR ', given_name: 'Marie', usual_name: 'DUPONT', family_name: 'X' })).toEqual({
      subject: 'abc',
      email: 'marie.dupont@ville.fr',
      givenName: 'Marie',
      familyName: 'DUPONT',
    });
    expect(identityFromClaims({ sub: 'abc', family_name: 'Durand' })?.familyName).toBe('Durand');
  });

  it('ignores empty or non-text claims and requires a subject', () => {
    expect(identityFromClaims({ sub: 'abc', email: '', given_name: 42 })).toEqual({
      subject: 'abc',
      email: undefined,
      givenName: undefined,
      familyName: undefined,
    });
    expect(identityFromClaims({ email: 'a@b.fr' })).toBeUndefined();
    expect(identityFromClaims({ sub: '' })).toBeUndefined();
  });

  it('names the person from the parts given', () => {
    expect(identityName({ subject: 's', email: undefined, givenName: 'Marie', familyName: 'DUPONT' })).toBe('Marie DUPONT');
    expect(identityName({ subject: 's', email: undefined, givenName: undefined, familyName: 'DUPONT' })).toBe('DUPONT');
    expect(identityName({ subject: 's', email: undefined, givenName: undefined, familyName: undefined })).toBeUndefined();
  });
});

describe('provider errors', () => {
  it('explains a cancelled sign-in, an unavailable provider, and echoes only well-formed codes', () => {
    expect(providerErrorProblem('access_denied', 'ProConnect')).toMatchObject({ status: 403, title: 'Connexion annulée' });
    expect(providerErrorProblem('temporarily_unavailable', 'ProConnect').status).toBe(503);
    expect(providerErrorProblem('invalid_scope', 'ProConnect').message).toContain('« invalid_scope »');
    expect(providerErrorProblem('<script>', 'ProConnect').message).toContain('« inconnu »');
  });
});

describe('redirect URI', () => {
  it('is under the public URL', () => {
    expect(redirectUri('https://pilotis.example.fr')).toBe('https://pilotis.example.fr/connexion/oidc/retour');
  });
});

describe('form-action sources for the sign-in page', () => {
  it('adds the provider origin only when a provider is configured', () => {
    expect(oidcFormActionSources('https://auth.agentconnect.gouv.fr/api/v2')).toEqual(['https://auth.agentconnect.gouv.fr']);
    expect(oidcFormActionSources(undefined)).toEqual([]);
  });
});
