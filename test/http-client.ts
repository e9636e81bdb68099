import type { FastifyInstance, InjectOptions } from 'fastify';

// A small browser stand-in over app.inject: keeps cookies and the last CSRF token seen in a page.

export type Response = Awaited<ReturnType<FastifyInstance['inject']>>;

export class TestClient {
  cookies = new Map<string, string>();
  csrf: string | undefined;

  constructor(private app: FastifyInstance) {}

  private remember(res: Response): Response {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (match) this.csrf = match[1];
    return res;
  }

  async request(options: InjectOptions): Promise<Response> {
    const cookies = Object.fromEntries(this.cookies);
    return this.remember(await this.app.inject({ ...options, cookies: { ...cookies, ...(options.cookies ?? {}) } }));
  }

  get(url: string): Promise<Response> {
    return this.request({ method: 'GET', url });
  }

  /** Posts a form as a browser would, with the CSRF token of the last page unless one is given. */
  post(url: string, fields: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams();
    if (this.csrf && !('_csrf' in fields)) body.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) body.append(k, item);
    return this.request({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Signs in through the real form. */
  async signIn(email: string, password: string): Promise<Response> {
    await this.get('/connexion');
    return this.post('/connexion', { email, motDePasse: password });
  }
}
