import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

// A small OpenID Connect provider for tests, shaped like ProConnect: issuer under /api/v2,
// authorization code flow with PKCE S256, RS256 ID tokens, and optionally (claimsIn: 'userinfo')
// an ID token without the person's details, which then come from a signed JWT at /userinfo.
// /authorize answers at once with a redirect, so a real browser can go through it too.

export const STUB_CLIENT_ID = 'pilotis-test';
export const STUB_CLIENT_SECRET = 'secret-du-fournisseur-de-test';

export type StubUser = { sub: string; email: string; given_name?: string; usual_name?: string; family_name?: string };
/** Who signs in at the provider next, or 'access_denied' for a person who refuses (or fails) there. */
export type StubPerson = StubUser | 'access_denied';

export type StubOptions = {
  user: StubPerson;
  clientId?: string;
  clientSecret?: string;
  /** Where the person's details travel: in the ID token (default) or only at the userinfo endpoint, as with ProConnect. */
  claimsIn?: 'id_token' | 'userinfo';
};

export type OidcStub = {
  issuer: string;
  setUser(user: StubPerson): void;
  /** The query of every authorization request received, in order. */
  authorizations: URLSearchParams[];
  close(): Promise<void>;
};

type Grant = { user: StubUser; redirectUri: string; challenge: string; nonce: string; clientId: string };

function base64url(buffer: Buffer): string {
  return buffer.toString('base64url');
}

function same(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function badRequest(res: ServerResponse, message: string): void {
  res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

export async function startOidcStub(options: StubOptions): Promise<OidcStub> {
  const clientId = options.clientId ?? STUB_CLIENT_ID;
  const clientSecret = options.clientSecret ?? STUB_CLIENT_SECRET;
  const claimsIn = options.claimsIn ?? 'id_token';
  let person = options.user;
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = base64url(randomBytes(8));
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, Grant>();
  const accessTokens = new Map<string, StubUser>();
  const authorizations: URLSearchParams[] = [];
  let issuer = '';

  const details = (u: StubUser) => {
    const { sub: _sub, ...rest } = u;
    return rest;
  };
  const sign = (payload: Record<string, unknown>, sub: string) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setAudience(clientId)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  function authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    authorizations.push(new URLSearchParams(q));
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== clientId) return badRequest(res, 'client_id inconnu');
    if (!redirectUri) return badRequest(res, 'redirect_uri manquant');
    if (q.get('response_type') !== 'code') return badRequest(res, 'response_type non pris en charge');
    if (!q.get('scope')?.split(' ').includes('openid')) return badRequest(res, 'scope openid manquant');
    const state = q.get('state');
    const nonce = q.get('nonce');
    const challenge = q.get('code_challenge');
    if (!state || !nonce) return badRequest(res, 'state et nonce sont obligatoires');
    if (!challenge || q.get('code_challenge_method') !== 'S256') return badRequest(res, 'PKCE S256 obligatoire');
    const back = new URL(redirectUri);
    if (person === 'access_denied') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', "L'usager a annulé la connexion");
    } else {
      const code = base64url(randomBytes(24));
      codes.set(code, { user: { ...person }, redirectUri, challenge, nonce, clientId });
      back.searchParams.set('code', code);
    }
    back.searchParams.set('state', state);
    res.writeHead(302, { location: back.href });
    res.end();
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = req.headers.authorization;
    if (basic?.startsWith('Basic ')) {
      const [u, p] = Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':');
      id = decodeURIComponent(u ?? '');
      secret = decodeURIComponent(p ?? '');
    }
    if (id !== clientId || !secret || !same(secret, clientSecret)) return json(res, 401, { error: 'invalid_client' });
    if (form.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
    const code = form.get('code') ?? '';
    const grant = codes.get(code);
    codes.delete(code);
    if (!grant || grant.clientId !== id || grant.redirectUri !== form.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant' });
    const verifier = form.get('code_verifier') ?? '';
    if (!same(base64url(createHash('sha256').update(verifier).digest()), grant.challenge)) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'code_verifier incorrect' });
    }
    const accessToken = base64url(randomBytes(24));
    accessTokens.set(accessToken, grant.user);
    const idToken = await sign({ nonce: grant.nonce, ...(claimsIn === 'id_token' && details(grant.user)) }, grant.user.sub);
    json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 60, id_token: idToken });
  }

  async function userinfo(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers.authorization;
    const user = header?.startsWith('Bearer ') ? accessTokens.get(header.slice(7)) : undefined;
    if (!user) {
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/jwt' });
    res.end(await sign(details(user), user.sub));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const path = url.pathname.startsWith('/api/v2') ? url.pathname.slice('/api/v2'.length) : '';
    const handle = async () => {
      if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code'],
          subject_types_supported: ['public'],
          scopes_supported: ['openid', 'email', 'given_name', 'usual_name'],
          claims_supported: ['sub', 'email', 'given_name', 'usual_name', 'family_name'],
          id_token_signing_alg_values_supported: ['RS256'],
          userinfo_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        });
      }
      if (req.method === 'GET' && path === '/authorize') return authorize(url, res);
      if (req.method === 'POST' && path === '/token') return token(req, res);
      if (req.method === 'GET' && path === '/userinfo') return userinfo(req, res);
      if (req.method === 'GET' && path === '/jwks') return json(res, 200, { keys: [jwk] });
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('introuvable');
    };
    handle().catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`;

  return {
    issuer,
    authorizations,
    setUser(user) {
      person = user;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
