import { z } from '../validation.ts';

// Pure rules of sign-in with an OpenID Connect provider (ProConnect). No I/O here.

export const OIDC_COOKIE = 'pilotis_oidc';
export const OIDC_COOKIE_PATH = '/connexion/oidc';
export const OIDC_CALLBACK_PATH = '/connexion/oidc/retour';
/** Time allowed between leaving for the provider and coming back. */
export const OIDC_PENDING_SECONDS = 10 * 60;

export function redirectUri(publicUrl: string): string {
  return `${publicUrl}${OIDC_CALLBACK_PATH}`;
}

/**
 * Sources the sign-in page's CSP `form-action` must allow besides 'self': the form posts to Pilotis,
 * which redirects to the provider, and browsers check every redirect of a form submission against it.
 * The authorization endpoint is assumed on the issuer's origin (true of ProConnect).
 */
export function oidcFormActionSources(issuer: string | undefined): string[] {
  return issuer ? [new URL(issuer).origin] : [];
}

/** What the browser carries to the provider and back, in a signed cookie: the proofs that the answer is ours. */
export type PendingSignIn = { verifier: string; state: string; nonce: string; retour: string; at: number };

const pendingSchema = z.object({
  verifier: z.string().min(43),
  state: z.string().min(1),
  nonce: z.string().min(1),
  retour: z.string(),
  at: z.number().int(),
});

export function encodePending(p: PendingSignIn): string {
  return JSON.stringify(p);
}

/**
 * The pending sign-in from the cookie value (already unsigned), or why there is none.
 * The cookie's max-age is only advice to the browser: the age is checked here too.
 */
export function readPending(raw: string | null | undefined, now: Date): PendingSignIn | 'absente' | 'expiree' {
  if (!raw) return 'absente';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'absente';
  }
  const parsed = pendingSchema.safeParse(value);
  if (!parsed.success) return 'absente';
  const age = now.getTime() - parsed.data.at;
  if (age < 0 || age > OIDC_PENDING_SECONDS * 1000) return 'expiree';
  return parsed.data;
}

// A claim that is absent, empty or not text is simply not known.
const optionalClaim = z
  .unknown()
  .transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined))
  .optional();

const claimsSchema = z.object({
  sub: z.string().min(1),
  email: optionalClaim,
  given_name: optionalClaim,
  usual_name: optionalClaim,
  family_name: optionalClaim,
});

/** Who the provider says signed in. ProConnect names the surname `usual_name`; standard OIDC says `family_name`. */
export type OidcIdentity = { subject: string; email: string | undefined; givenName: string | undefined; familyName: string | undefined };

export function identityFromClaims(claims: Record<string, unknown>): OidcIdentity | undefined {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return undefined;
  const c = parsed.data;
  return {
    subject: c.sub,
    email: c.email?.toLowerCase(),
    givenName: c.given_name,
    familyName: c.usual_name ?? c.family_name,
  };
}

/** The person's name as the provider gives it, for the pages shown after the round trip. */
export function identityName(identity: OidcIdentity): string | undefined {
  const name = [identity.givenName, identity.familyName].filter(Boolean).join(' ');
  return name || undefined;
}

export type OidcProblem = { status: 400 | 403 | 502 | 503; title: string; message: string };

/** The page shown when the provider answers with an error (RFC 6749 §4.1.2.1) instead of a code. */
export function providerErrorProblem(error: string, label: string): OidcProblem {
  switch (error) {
    case 'access_denied':
      return {
        status: 403,
        title: 'Connexion annulée',
        message: `La connexion avec ${label} a été annulée ou refusée : la connexion à Pilotis n'a pas eu lieu. Vous pouvez recommencer, ou vous connecter avec votre adresse électronique et votre mot de passe.`,
      };
    case 'temporarily_unavailable':
    case 'server_error':
      return {
        status: 503,
        title: 'Service de connexion indisponible',
        message: `${label} est momentanément indisponible. Réessayez dans quelques minutes.`,
      };
    default: {
      // The code comes from the query string: only a well-formed one is echoed.
      const code = /^[a-z_]{1,40}$/.test(error) ? error : 'inconnu';
      return {
        status: 502,
        title: 'Connexion impossible',
        message: `${label} n'a pas pu vous identifier (code « ${code} »). Réessayez ; si le problème persiste, signalez-le à l'équipe qui administre Pilotis.`,
      };
    }
  }
}
