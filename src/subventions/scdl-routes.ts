import type { FastifyPluginAsync } from 'fastify';
import { z } from '../platform/validation.ts';
import { API_PREFIX, defineEndpoint } from '../platform/api/openapi.ts';
import { sendError } from '../platform/http/guard.tsx';
import { CHAMPS_SCDL, csvScdl, exportScdl, NATURES_SCDL, SCDL_SCHEMA, type ChampScdl } from './scdl-model.ts';
import { financementsAccordes } from './scdl-store.ts';
import { campagneAapParAnnee } from './store.ts';

// The granted subsidies as open data (SCDL « subventions »): the file of a campaign, and the same rows
// through the API. Public: a subsidy granted with public money is published by law (décret 2017-779),
// and the rows hold organisations only, never a person.

const anneeSchema = z.coerce.number().int().min(1900).max(2200);

const DESCRIPTIONS: Record<ChampScdl, string> = {
  nomAttribuant: 'Nom du financeur de la campagne',
  idAttribuant: 'SIRET du financeur (14 chiffres)',
  dateConvention: 'Date de la décision du comité de programmation (AAAA-MM-JJ), tenant lieu de date de convention',
  referenceDecision: 'Référence du dossier (année-numéro)',
  nomBeneficiaire: 'Nom de l’association ; « (association fictive) » pour celles de la campagne de démonstration',
  idBeneficiaire: 'SIRET de l’association, vide s’il est inconnu (le numéro RNA est alors donné)',
  rnaBeneficiaire: 'Numéro RNA de l’association (W suivi de 9 chiffres), vide s’il est inconnu',
  objet: 'Titre du projet (256 caractères au plus)',
  montant: 'Montant accordé en euros, point décimal (« 4500.00 »)',
  nature: `Nature de l’aide : ${NATURES_SCDL.join(' | ')}`,
  conditionsVersement: 'Conditions de versement',
  datesPeriodeVersement: 'Période de versement AAAA-MM-JJ/AAAA-MM-JJ : de la décision à la fin de son année budgétaire',
  idRAE: 'Identifiant au répertoire des aides aux entreprises (vide)',
  notificationUE: 'Aide notifiée à la Commission européenne : oui ou non',
  pourcentageSubvention: 'Part de la subvention versée à ce bénéficiaire, entre 0.01 et 1',
  dispositifAide: 'Identifiant du dispositif d’aide (vide)',
};

const ligneSchema = z.object(Object.fromEntries(CHAMPS_SCDL.map((c) => [c, z.string().describe(DESCRIPTIONS[c])])) as Record<ChampScdl, z.ZodString>);

const nonExporteeSchema = z.object({
  reference: z.string().describe('Référence du dossier'),
  titre: z.string(),
  financeur: z.string(),
  association: z.string(),
  raisons: z.array(z.string()).describe('Pourquoi la ligne ne respecterait pas le schéma, en français'),
});

export const scdlRoutes: FastifyPluginAsync = async (app) => {
  const db = () => app.ctx.db;

  app.get('/appels-a-projets/:annee/subventions.csv', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const annee = anneeSchema.safeParse((req.params as { annee: string }).annee);
    const campagne = annee.success ? await campagneAapParAnnee(db(), req.contrat.id, annee.data) : undefined;
    if (!campagne) return sendError(req, reply, 404, 'Aucun appel à projets pour cette année.');
    const { lignes } = exportScdl(await financementsAccordes(db(), req.contrat.id, campagne.annee));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="subventions-${req.contrat.slug}-${campagne.annee}.csv"`)
      .send(csvScdl(lignes));
  });

  defineEndpoint(app, {
    method: 'GET',
    path: `${API_PREFIX}/subventions`,
    summary: 'Les subventions accordées par les appels à projets, au schéma SCDL « subventions »',
    description:
      `Une ligne par financeur et par dossier accepté avec un montant accordé, aux colonnes du schéma ${SCDL_SCHEMA.nom} ${SCDL_SCHEMA.version} ` +
      '(les mêmes valeurs que le fichier CSV). Les lignes qui ne respecteraient pas le schéma (par exemple un financeur sans SIRET) ' +
      'ne sont pas publiées : elles sont listées dans nonExportees avec leurs raisons. Réponse 404 quand l’année demandée n’a pas d’appel à projets.',
    tag: 'Appels à projets',
    policy: 'contrat.voir',
    query: z.object({ annee: anneeSchema.optional().describe('Année de l’appel à projets ; sans elle, tous les appels à projets') }),
    response: z.object({
      schema: z.object({ nom: z.string(), version: z.string() }).describe('Schéma suivi'),
      annee: z.number().int().nullable(),
      subventions: z.array(ligneSchema),
      nonExportees: z.array(nonExporteeSchema),
    }),
    handler: async ({ query }, req, reply) => {
      if (query.annee !== undefined && !(await campagneAapParAnnee(db(), req.contrat.id, query.annee))) {
        return sendError(req, reply, 404, `Aucun appel à projets pour ${query.annee}.`);
      }
      const { lignes, nonExportees } = exportScdl(await financementsAccordes(db(), req.contrat.id, query.annee));
      return { schema: { ...SCDL_SCHEMA }, annee: query.annee ?? null, subventions: lignes, nonExportees };
    },
  });
};
