import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { z } from '../platform/validation.ts';
import { sendPage } from '../platform/http/render.tsx';
import { CsrfField, fieldErrors, type FieldErrors } from '../platform/ui/forms.tsx';
import type { Localisateur } from './geo/localisateur.ts';
import { devinerColonnes, FichierInvalide, lireCsv, MAX_OCTETS, type ChoixColonnes, type Tableau } from './geo/lot.ts';
import { GeographieNonChargee, MESSAGE_QPV_ABSENTS } from './locator.ts';
import { RegistreLots, TropDeLots, type But, type Lot } from './lots.ts';
import {
  FormulaireColonnes,
  FormulaireDepot,
  MentionDonnees,
  Progression,
  Synthese,
  TITRE_LOT,
  valeursChoix,
  VerdictQuartierVecu,
  verdictDuResume,
} from './lot-views.tsx';

// Batch: upload a CSV of addresses, choose its columns, follow the progress, read the summary and
// download the file with its QPV columns. Nothing of the file reaches the database or the audit
// log: the rows live in the registry's memory until downloaded or 15 minutes old.

/** The uploaded file as the multipart hook hands it over (see localisation-routes.tsx). */
export type Fichier = { nom: string; octets: Buffer; tronque: boolean };

const OWNER_COOKIE = 'pilotis_lots';
const PREFIX = '/quartiers/adresses/lot';
const idParams = z.object({ id: z.string().regex(/^[\w-]{10,40}$/) });

const colonne = (max: number) =>
  z.preprocess((v) => (v === '' || v === undefined ? null : Number(v)), z.number().int().min(0).max(max).nullable());

function choixSchema(colonnes: number) {
  const c = colonne(colonnes - 1);
  return z
    .object({
      mode: z.enum(['complete', 'parties'], { error: 'Choisissez la forme de l’adresse.' }),
      adresse: c,
      numero: c,
      voie: c,
      codePostal: c,
      commune: c,
    })
    .superRefine((v, ctx) => {
      if (v.mode === 'complete' && v.adresse === null) ctx.addIssue({ code: 'custom', path: ['adresse'], message: 'Choisissez la colonne qui contient l’adresse.' });
      if (v.mode === 'parties' && v.voie === null) ctx.addIssue({ code: 'custom', path: ['voie'], message: 'Choisissez la colonne qui contient la voie.' });
    })
    .transform(
      (v): ChoixColonnes =>
        v.mode === 'complete' ? { mode: 'complete', adresse: v.adresse! } : { mode: 'parties', numero: v.numero, voie: v.voie!, codePostal: v.codePostal, commune: v.commune },
    );
}

export function lotRoutes(app: FastifyInstance, locator: (req: FastifyRequest) => Promise<Localisateur>): RegistreLots {
  const registre = new RegistreLots();
  const secure = app.ctx.config.publicUrl.startsWith('https://');

  /** The random value that ties files to this browser, in a signed cookie. */
  function proprietaire(req: FastifyRequest): string | null {
    const raw = req.cookies[OWNER_COOKIE];
    const u = raw ? req.unsignCookie(raw) : null;
    return u?.valid && u.value ? u.value : null;
  }
  function assurerProprietaire(req: FastifyRequest, reply: FastifyReply): string {
    const known = proprietaire(req);
    if (known) return known;
    const value = randomBytes(18).toString('base64url');
    reply.setCookie(OWNER_COOKIE, value, { signed: true, httpOnly: true, sameSite: 'lax', path: PREFIX, secure });
    return value;
  }

  const page = (req: FastifyRequest, reply: FastifyReply, titre: string, h1: string, body: ComponentChildren, status = 200) =>
    sendPage(
      req,
      reply,
      titre,
      <>
        <h1>{h1}</h1>
        {body}
      </>,
      status,
    );

  function depot(req: FastifyRequest, reply: FastifyReply, but: But, errors: FieldErrors = {}, status = 200) {
    return sendPage(
      req,
      reply,
      Object.keys(errors).length ? `Erreur — ${TITRE_LOT}` : TITRE_LOT,
      (ctx) => (
        <>
          <h1>{TITRE_LOT}</h1>
          <p class="lead">
            Déposez un fichier CSV d’adresses (les bénéficiaires d’une association, la liste d’un partenaire) : vous le récupérez avec, pour
            chaque ligne, le quartier prioritaire, l’arrondissement et l’IRIS, et une synthèse
            {but === 'quartier_vecu' ? ' avec la règle du quartier vécu' : ' : la part des adresses en quartier prioritaire, le nombre par quartier'}.
          </p>
          <MentionDonnees />
          <FormulaireDepot csrf={ctx.csrfToken} but={but} errors={errors} />
        </>
      ),
      status,
    );
  }

  /** The file of this browser, or a 404 page that says why it may be gone. */
  function lotOu404(req: FastifyRequest, reply: FastifyReply): Lot | null {
    const p = idParams.safeParse(req.params);
    const lot = p.success ? registre.lire(p.data.id, proprietaire(req)) : undefined;
    if (lot) return lot;
    void page(
      req,
      reply,
      'Fichier indisponible',
      'Fichier indisponible',
      <>
        <p>
          Ce fichier n’est plus en mémoire : il est effacé dès le téléchargement du résultat et au plus tard 15 minutes après son dépôt, et
          seul le navigateur qui l’a déposé peut le consulter.
        </p>
        <p>
          <a href={PREFIX}>Déposer un fichier</a>
        </p>
      </>,
      404,
    );
    return null;
  }

  app.get(PREFIX, { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const but: But = (req.query as Record<string, unknown>).but === 'quartier-vecu' ? 'quartier_vecu' : 'lot';
    return depot(req, reply, but);
  });

  // Reading and classifying a file costs the server a few seconds: a public form is not an open tap.
  app.post(PREFIX, { config: { policy: 'portail.voir', rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req, reply) => {
    const body = (req.body ?? {}) as { fichier?: Fichier | string; but?: string };
    const but: But = body.but === 'quartier_vecu' ? 'quartier_vecu' : 'lot';
    const f = body.fichier;
    let tableau: Tableau | null = null;
    let erreur: string;
    if (!f || typeof f === 'string' || (!f.nom && !f.octets.length)) erreur = 'Choisissez un fichier CSV.';
    else if (f.tronque) erreur = `Le fichier dépasse ${MAX_OCTETS / 1024 / 1024} Mo : découpez-le en plusieurs fichiers.`;
    else {
      try {
        tableau = lireCsv(f.octets);
        erreur = '';
      } catch (e) {
        if (!(e instanceof FichierInvalide)) throw e;
        erreur = e.message;
      }
    }
    if (!tableau || !f || typeof f === 'string') return depot(req, reply, but, { fichier: erreur }, 400);
    let lot: Lot;
    try {
      lot = registre.creer(assurerProprietaire(req, reply), f.nom, tableau, but);
    } catch (e) {
      if (!(e instanceof TropDeLots)) throw e;
      return depot(req, reply, but, { fichier: e.message }, 503);
    }
    lot.choix = devinerColonnes(tableau.entetes);
    return reply.redirect(`${PREFIX}/${lot.id}/colonnes`, 303);
  });

  function colonnesPage(req: FastifyRequest, reply: FastifyReply, lot: Lot, valeurs: Partial<Record<string, string>>, errors: FieldErrors = {}, status = 200) {
    const t = lot.tableau!;
    return sendPage(
      req,
      reply,
      Object.keys(errors).length ? 'Erreur — Colonnes de l’adresse' : 'Colonnes de l’adresse',
      (ctx) => (
        <>
          <h1>Colonnes de l’adresse</h1>
          <p>
            {`Fichier « ${lot.nomFichier} » : ${t.lignes.length.toLocaleString('fr-FR')} ligne${t.lignes.length > 1 ? 's' : ''}, ${t.entetes.length} colonne${t.entetes.length > 1 ? 's' : ''}, séparateur « ${t.separateur === '\t' ? 'tabulation' : t.separateur} ».`}{' '}
            Indiquez où se trouve l’adresse.
          </p>
          <MentionDonnees />
          <FormulaireColonnes lot={lot} csrf={ctx.csrfToken} choix={valeurs} errors={errors} />
        </>
      ),
      status,
    );
  }

  app.get(`${PREFIX}/:id/colonnes`, { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const lot = lotOu404(req, reply);
    if (!lot) return reply;
    if (lot.etat !== 'a_configurer') return reply.redirect(`${PREFIX}/${lot.id}`, 303);
    return colonnesPage(req, reply, lot, valeursChoix(lot.choix));
  });

  app.post(`${PREFIX}/:id/colonnes`, { config: { policy: 'portail.voir', rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req, reply) => {
    const lot = lotOu404(req, reply);
    if (!lot) return reply;
    if (lot.etat !== 'a_configurer') return reply.redirect(`${PREFIX}/${lot.id}`, 303);
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = choixSchema(lot.tableau!.entetes.length).safeParse(body);
    if (!parsed.success) return colonnesPage(req, reply, lot, body, fieldErrors(parsed.error), 400);
    let loc: Localisateur;
    try {
      loc = await locator(req);
      // Before any row: a file is not half-classified because the geography is missing.
      if (!loc.etat.qpv) throw new GeographieNonChargee(MESSAGE_QPV_ABSENTS);
    } catch (e) {
      if (!(e instanceof GeographieNonChargee)) throw e;
      return page(req, reply, 'Réponse impossible pour l’instant', 'Réponse impossible pour l’instant', <p>{e.message}</p>, 503);
    }
    const run = registre.lancer(lot, parsed.data, (texte) => loc.localiserAdresse(texte));
    // A small file is done at once: the person lands on the summary rather than on a progress page.
    await Promise.race([run, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    return reply.redirect(`${PREFIX}/${lot.id}`, 303);
  });

  app.get(`${PREFIX}/:id`, { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const lot = lotOu404(req, reply);
    if (!lot) return reply;
    if (lot.etat === 'a_configurer') return reply.redirect(`${PREFIX}/${lot.id}/colonnes`, 303);
    if (lot.etat === 'en_cours') {
      const automatique = (req.query as Record<string, unknown>).actualiser !== 'non';
      // The HTTP form of <meta http-equiv="refresh">: the page follows the progress without JavaScript,
      // and a link on the page stops it (WCAG 2.2.1).
      if (automatique) reply.header('refresh', '2');
      return page(req, reply, 'Vérification en cours', 'Vérification en cours', <Progression lot={lot} automatique={automatique} />);
    }
    if (lot.etat === 'echec') {
      return page(req, reply, 'La vérification a échoué', 'La vérification a échoué', <p>{lot.erreur}</p>, 500);
    }
    const resume = lot.resume!;
    return sendPage(req, reply, 'Résultat de la vérification', (ctx) => (
      <>
        <h1>Résultat de la vérification</h1>
        <p>{`Fichier « ${lot.nomFichier} » : ${resume.total.toLocaleString('fr-FR')} adresses vérifiées.`}</p>
        {lot.but === 'quartier_vecu' && <VerdictQuartierVecu resultat={verdictDuResume(resume)} />}
        {lot.telecharge ? (
          <p class="notice" role="status">
            Le résultat a été téléchargé : les adresses ont été effacées de la mémoire du serveur. Seuls les comptes ci-dessous restent
            affichés, au plus tard 15 minutes après le dépôt.
          </p>
        ) : (
          <>
            <p>
              <a class="button" href={`${PREFIX}/${lot.id}/resultat.csv`} download>
                Télécharger le fichier avec les quartiers (CSV)
              </a>
            </p>
            <p class="hint">
              Le fichier reprend vos colonnes et ajoute : statut, qpv_code, qpv_nom, arrondissement, iris, correspondance, motif. Après le
              téléchargement, les adresses sont effacées du serveur.
            </p>
          </>
        )}
        <Synthese resume={resume} />
        <form method="post" action={`${PREFIX}/${lot.id}/supprimer`} class="actions">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="button button-secondary">
            Effacer maintenant ce fichier et ce résultat
          </button>
        </form>
      </>
    ));
  });

  app.get(`${PREFIX}/:id/resultat.csv`, { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const lot = lotOu404(req, reply);
    if (!lot) return reply;
    const csv = registre.telecharger(lot);
    if (csv === null) return reply.redirect(`${PREFIX}/${lot.id}`, 303);
    const base = lot.nomFichier.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 80) || 'adresses';
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${base}-quartiers.csv"`)
      .type('text/csv; charset=utf-8')
      .send(csv);
  });

  app.post(`${PREFIX}/:id/supprimer`, { config: { policy: 'portail.voir' } }, async (req, reply) => {
    const lot = lotOu404(req, reply);
    if (!lot) return reply;
    registre.supprimer(lot);
    reply.flash('Le fichier et son résultat ont été effacés de la mémoire du serveur.');
    return reply.redirect(PREFIX, 303);
  });

  return registre;
}
