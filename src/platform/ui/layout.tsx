import type { ComponentChildren } from 'preact';
import { mayEver, rolesOf, ROLE_LABELS, type Actor } from '../auth/policy.ts';

export type PageContext = {
  actor: Actor | null;
  csrfToken: string;
  path: string;
  contratNom: string;
  flash?: string | undefined;
};

type NavItem = { href: string; label: string };

function navigation(actor: Actor | null): NavItem[] {
  const items: NavItem[] = [
    { href: '/', label: 'Accueil' },
    { href: '/quartiers', label: 'Quartiers prioritaires' },
    { href: '/quartiers/adresse', label: 'Une adresse en quartier prioritaire ?' },
    { href: '/contrat', label: 'Le contrat' },
    { href: '/engagements', label: 'Engagements' },
    { href: '/suivi', label: 'Suivi annuel' },
    { href: '/appels-a-projets', label: 'Appels à projets' },
  ];
  if (mayEver(actor, 'dossiers.deposer')) items.push({ href: '/mes-dossiers', label: 'Mes dossiers' }, { href: '/structure', label: 'Mon association' });
  if (mayEver(actor, 'admin.voir')) {
    items.push({ href: '/admin/comptes', label: 'Comptes et rôles' }, { href: '/admin/journal', label: "Journal d'audit" });
  }
  if (mayEver(actor, 'admin.imports')) items.push({ href: '/admin/imports', label: 'Imports' });
  if (actor) items.push({ href: '/compte', label: 'Mon compte' });
  return items;
}

function matches(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/** The entry of the page: the most specific one that matches (/quartiers/adresse rather than /quartiers). */
function currentHref(path: string, items: NavItem[]): string | undefined {
  return items
    .filter((i) => matches(path, i.href))
    .map((i) => i.href)
    .sort((a, b) => b.length - a.length)[0];
}

export function Layout(props: { ctx: PageContext; title: string; children: ComponentChildren }) {
  const { ctx } = props;
  const roles = rolesOf(ctx.actor);
  const nav = navigation(ctx.actor);
  const current = currentHref(ctx.path, nav);
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — Pilotis`}</title>
        <link rel="stylesheet" href="/static/pilotis.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <header class="site-header" role="banner">
          <div class="container header-row">
            <a class="brand" href="/" aria-label="Pilotis, accueil">
              <span class="brand-name">Pilotis</span>
              <span class="brand-contrat">{ctx.contratNom}</span>
            </a>
            <div class="header-account">
              {ctx.actor ? (
                <>
                  <span class="who">
                    {ctx.actor.displayName}
                    {roles.length > 0 && <span class="who-roles"> — {roles.map((r) => ROLE_LABELS[r]).join(', ')}</span>}
                  </span>
                  <form method="post" action="/deconnexion" class="inline-form">
                    <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                    <button type="submit" class="button button-secondary">
                      Se déconnecter
                    </button>
                  </form>
                </>
              ) : (
                <a class="button" href="/connexion">
                  Se connecter
                </a>
              )}
            </div>
          </div>
          <nav class="site-nav" aria-label="Menu principal">
            <ul class="container">
              {nav.map((item) => (
                <li>
                  <a href={item.href} aria-current={item.href === current ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="contenu" class="container" role="main" tabIndex={-1}>
          {ctx.flash && (
            <div class="notice notice-success" role="status">
              {ctx.flash}
            </div>
          )}
          {props.children}
        </main>
        <footer class="site-footer" role="contentinfo">
          <div class="container">
            <p>
              Pilotis, logiciel libre de pilotage des contrats de ville. <a href="/accessibilite">Accessibilité : partiellement conforme</a> ·{' '}
              <a href="/api/v1/openapi.json">API</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
