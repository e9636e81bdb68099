import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Layout, type PageContext } from '../ui/layout.tsx';

export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    actor: req.actor,
    csrfToken: reply.generateCsrf(),
    path: req.url.split('?')[0] ?? '/',
    contratNom: req.contrat?.nom ?? 'Pilotis',
    flash: req.flash,
  };
}

export function html(node: VNode): string {
  return `<!doctype html>${renderToString(node)}`;
}

/** Renders a whole page in the common layout. The body receives the page context (CSRF token…). */
export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  title: string,
  body: ComponentChildren | ((ctx: PageContext) => ComponentChildren),
  status = 200,
): FastifyReply {
  const ctx = pageContext(req, reply);
  // A page shown to a signed-in person must not come back from the browser's cache (Back button)
  // once they have signed out, on a shared computer for instance.
  if (req.actor && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  const content = typeof body === 'function' ? body(ctx) : body;
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(
      html(
        <Layout ctx={ctx} title={title}>
          {content}
        </Layout>,
      ),
    );
}
