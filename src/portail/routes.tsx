import type { FastifyPluginAsync } from 'fastify';
import { rolesOf, ROLE_LABELS, type Role } from '../platform/auth/policy.ts';
import { sendPage } from '../platform/http/render.tsx';
import { ALL_USERS, CAPACITES, enTantQue, type Capability } from './model.ts';

function Capabilities(props: { items: Capability[] }) {
  return (
    <ul class="capabilities">
      {props.items.map((c) => (
        <li>
          {c.texte} {c.lien && <a href={c.lien.href}>{c.lien.libelle}</a>}
        </li>
      ))}
    </ul>
  );
}

export const portailRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const roles: (Role | 'public')[] = req.actor ? rolesOf(req.actor) : ['public'];
    const contrat = req.contrat;
    return sendPage(req, reply, 'Accueil', (
      <>
        <h1>{req.actor ? `Bonjour ${req.actor.displayName}` : 'Bienvenue sur Pilotis'}</h1>
        <p class="lead">
          Pilotis fait vivre le contrat de ville : la géographie prioritaire, la stratégie, les engagements des partenaires,
          les subventions, les crédits, les indicateurs, les instances et les conseils citoyens.
        </p>
        {contrat && (
          <p>
            Contrat actuellement ouvert : <strong>{contrat.nom}</strong> ({contrat.debut.slice(0, 4)}–{contrat.fin.slice(0, 4)}).
          </p>
        )}
        {req.actor && roles.length === 0 && (
          <div class="notice" role="status">
            Votre compte n’a encore aucun rôle. Un administrateur ou une administratrice doit vous en attribuer un.
          </div>
        )}
        {roles.map((role) => (
          <section class="card" aria-labelledby={`role-${role}`}>
            <h2 id={`role-${role}`}>{role === 'public' ? 'Ce que vous pouvez faire' : enTantQue(ROLE_LABELS[role])}</h2>
            <Capabilities items={CAPACITES[role]} />
          </section>
        ))}
        {req.actor && (
          <section class="card" aria-labelledby="role-tous">
            <h2 id="role-tous">Pour tous les comptes</h2>
            <Capabilities items={ALL_USERS} />
          </section>
        )}
      </>
    ));
  });

  app.get('/accessibilite', { config: { policy: 'portail.voir' } }, async (req, reply) =>
    sendPage(req, reply, 'Accessibilité', (
      <>
        <h1>Déclaration d’accessibilité</h1>
        <p>
          Pilotis vise la conformité au référentiel général d’amélioration de l’accessibilité (RGAA), soit les critères WCAG 2.1
          niveau AA. Chaque parcours est vérifié automatiquement à chaque modification du logiciel ; un audit complet reste à conduire,
          d’où l’état « partiellement conforme ».
        </p>
        <p>Chaque page fonctionne sans JavaScript, au clavier, et s’adapte aux petits écrans.</p>
        <p>Si vous ne parvenez pas à accéder à un contenu ou à un service, écrivez à l’équipe qui exploite cette instance de Pilotis.</p>
      </>
    )),
  );
};
