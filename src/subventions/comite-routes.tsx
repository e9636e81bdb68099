import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../platform/validation.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, formBody, isUuid } from '../platform/http/request.ts';
import { tableauxEnXlsx } from '../platform/exports/xlsx.ts';
import { aujourdhuiParis, ressourceDossier } from './acces.ts';
import { filtrerLignes, STATUTS_COMITE, STATUTS_COMITE_DEFAUT, totauxComite, type FiltresComite } from './comite-model.ts';
import { deciderEnLot, lignesComite } from './comite-store.ts';
import { tablesProgrammation } from './comite-export.ts';
import { hrefProgrammation, PageComite, type PageComiteProps, type SaisieComite } from './comite-views.tsx';
import { lettreDecisionEnPdf } from './lettre-decision.ts';
import { campagneAapParAnnee, dossierParId, financeursDe, referenceDossier, structureDe, type CampagneAapRow } from './store.ts';

// The programming committee: the table of a campaign's files with their amounts and totals (page and
// XLSX), the batch decision, and the decision letter each association downloads.

const anneeParams = z.object({ annee: z.coerce.number().int().min(2000).max(2100) });
const optionnel = z.preprocess((v) => (v === '' ? undefined : v), z.string().max(200).optional());
const filtresSchema = z.object({
  statut: z.preprocess((v) => (v === undefined ? undefined : [v].flat()), z.array(z.enum(STATUTS_COMITE, 'Statut inconnu')).optional()),
  financeur: optionnel,
  qpv: optionnel,
  axe: optionnel,
  thematique: optionnel,
  texte: optionnel,
});

function lireFiltres(source: unknown): FiltresComite | null {
  const p = filtresSchema.safeParse(source ?? {});
  if (!p.success) return null;
  const { statut, ...reste } = p.data;
  return { statuts: statut?.length ? statut : STATUTS_COMITE_DEFAUT, ...reste };
}

/** The filters as a query string, to keep them across a decision and in the XLSX link. */
function requeteDe(f: FiltresComite): string {
  const q = new URLSearchParams();
  for (const s of f.statuts) q.append('statut', s);
  for (const k of ['financeur', 'qpv', 'axe', 'thematique', 'texte'] as const) if (f[k]) q.append(k, f[k]!);
  return q.toString();
}

const decisionSchema = z.enum(['accepter', 'refuser'], 'Choisissez « Accepter la sélection » ou « Refuser la sélection ».');

export const comiteRoutes: FastifyPluginAsync = async (app) => {
  const db = () => app.ctx.db;

  /** The campaign of the URL, once the person sits on the committee; otherwise the answer is sent. */
  async function campagneOuRefus(req: FastifyRequest, reply: FastifyReply): Promise<CampagneAapRow | null> {
    if (!authorize(req, reply, 'dossiers.programmer')) return null;
    const p = anneeParams.safeParse(req.params);
    const c = p.success ? await campagneAapParAnnee(db(), req.contrat.id, p.data.annee) : undefined;
    if (!c) {
      void sendError(req, reply, 404, 'Aucun appel à projets n’est enregistré pour cette année. Retrouvez-les sur la page « Appels à projets ».');
      return null;
    }
    return c;
  }

  async function donnees(req: FastifyRequest, c: CampagneAapRow, filtres: FiltresComite, saisie: SaisieComite | null): Promise<PageComiteProps> {
    const contratId = req.contrat.id;
    const territoires = req.server.ctx.services.territoires;
    const [financeurs, toutes, qpv, qva] = await Promise.all([financeursDe(db(), c.id), lignesComite(db(), c), territoires.lister(contratId, 'qpv'), territoires.lister(contratId, 'qva')]);
    const financeursComite = financeurs.map((f) => ({ id: f.id, nom: f.nom, enveloppeCentimes: f.enveloppeCentimes }));
    const lignes = filtrerLignes(toutes, filtres);
    const nomsTerritoires = new Map([...qpv, ...qva].map((t) => [t.id, t.nom]));
    const axes = [...new Set(toutes.flatMap((l) => (l.axe ? [l.axe] : [])))].sort();
    const noeuds = axes.length ? await req.server.ctx.services.contrat.noeuds(contratId, axes) : [];
    const nomsAxes = new Map(noeuds.map((n) => [n.ref, `Axe ${n.numero} — ${n.libelle}`]));
    const quartiers = [...new Set([...c.territoireIds, ...toutes.flatMap((l) => l.territoireIds)])];
    const thematiques = [...new Set([...c.thematiques, ...toutes.flatMap((l) => (l.thematique ? [l.thematique] : []))])];
    return {
      campagne: { annee: c.annee, titre: c.titre },
      financeurs: financeursComite,
      lignes,
      totaux: totauxComite(lignes, toutes, financeursComite),
      filtres,
      options: {
        qpv: quartiers.map((id) => ({ value: id, label: nomsTerritoires.get(id) ?? 'Quartier inconnu' })).sort((a, b) => a.label.localeCompare(b.label, 'fr')),
        axes: axes.map((a) => ({ value: a, label: nomsAxes.get(a) ?? `Axe ${a}` })),
        thematiques: thematiques.map((t) => ({ value: t, label: t })),
      },
      nomsTerritoires,
      nomsAxes,
      requete: requeteDe(filtres),
      saisie,
    };
  }

  const page = (req: FastifyRequest, reply: FastifyReply, d: PageComiteProps, status = 200) =>
    sendPage(req, reply, `${status === 200 ? '' : 'Erreur — '}Comité de programmation ${d.campagne.annee}`, (ctx) => <PageComite {...d} csrf={ctx.csrfToken} />, status);

  app.get('/appels-a-projets/:annee/programmation', { config: { policy: 'dossiers.programmer' } }, async (req, reply) => {
    const c = await campagneOuRefus(req, reply);
    if (!c) return reply;
    const filtres = lireFiltres(req.query);
    if (!filtres) return sendError(req, reply, 400, 'Ces filtres ne sont pas valides : choisissez-les dans le formulaire.');
    return page(req, reply, await donnees(req, c, filtres, null));
  });

  app.get('/appels-a-projets/:annee/programmation.xlsx', { config: { policy: 'dossiers.programmer' } }, async (req, reply) => {
    const c = await campagneOuRefus(req, reply);
    if (!c) return reply;
    const filtres = lireFiltres(req.query);
    if (!filtres) return sendError(req, reply, 400, 'Ces filtres ne sont pas valides : choisissez-les dans le formulaire.');
    const d = await donnees(req, c, filtres, null);
    const xlsx = await tableauxEnXlsx(tablesProgrammation({ annee: c.annee, ...d }));
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="programmation-${c.annee}.xlsx"`)
      .send(xlsx);
  });

  app.post('/appels-a-projets/:annee/programmation/decisions', { config: { policy: 'dossiers.programmer' } }, async (req, reply) => {
    const c = await campagneOuRefus(req, reply);
    if (!c) return reply;
    const body = formBody(req);
    const texte = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const retour = lireFiltres(Object.fromEntries(groupe(new URLSearchParams(texte('retour'))))) ?? { statuts: STATUTS_COMITE_DEFAUT };
    const ids = [body.dossiers ?? []].flat().filter((v): v is string => typeof v === 'string');
    const montants: Record<string, string> = {};
    const versions: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v !== 'string') continue;
      if (k.startsWith('a-')) montants[k.slice(2)] = v;
      if (k.startsWith('v-')) versions[k.slice(2)] = v;
    }
    const motif = texte('motif').slice(0, 2000);
    const decision = decisionSchema.safeParse(body.decision);
    const invalides = ids.filter((id) => !isUuid(id));
    const resultat =
      !decision.success || invalides.length
        ? { ok: false as const, erreurs: { _: decision.success ? 'Un dossier sélectionné n’existe pas.' : decision.error.issues[0]!.message } }
        : await deciderEnLot(db(), auditActor(req), c, [...new Set(ids)], { decision: decision.data, motif, montants, versions });
    if (!resultat.ok) {
      const saisie: SaisieComite = { choisis: new Set(ids), montants, motif, erreurs: resultat.erreurs };
      return page(req, reply, await donnees(req, c, retour, saisie), 400);
    }
    const n = resultat.decides;
    const verbe = decision.success && decision.data === 'accepter' ? 'accepté' : 'refusé';
    return reply.flash(`${n} dossier${n > 1 ? 's' : ''} ${verbe}${n > 1 ? 's' : ''}.`).redirect(`${hrefProgrammation(c.annee)}?${requeteDe(retour)}`, 303);
  });

  app.get<{ Params: { id: string } }>('/dossiers/:id/lettre.pdf', { config: { policy: 'dossiers.voir' } }, async (req, reply) => {
    const introuvable = () => sendError(req, reply, 404, 'Aucun dossier ne porte cet identifiant.');
    if (!isUuid(req.params.id)) return introuvable();
    const d = await dossierParId(db(), req.contrat.id, req.params.id);
    if (!d) return introuvable();
    if (!authorize(req, reply, 'dossiers.voir', await ressourceDossier(req, d))) return reply;
    if (d.statut !== 'accepte' && d.statut !== 'refuse') {
      return sendError(req, reply, 404, 'Ce dossier n’a pas encore reçu de décision du comité de programmation : sa lettre de décision n’existe pas encore.');
    }
    const [financeurs, structure] = await Promise.all([financeursDe(db(), d.campagneId), structureDe(db(), d.organisationId)]);
    const reference = referenceDossier(d, d.campagne.annee);
    const pdf = await lettreDecisionEnPdf({
      contrat: req.contrat.nom,
      campagne: { annee: d.campagne.annee, titre: d.campagne.titre },
      association: { nom: d.association.nom, fictive: Boolean(structure?.fictive), adresse: structure?.adresse ?? null },
      reference,
      titre: d.titre,
      decision: d.statut,
      decideLe: aujourdhuiParis(d.decideLe ?? d.modifieLe),
      motif: d.decisionMotif,
      financeurs: financeurs.flatMap((f) => {
        const lignes = d.financements.filter((x) => x.financeurId === f.id);
        if (!lignes.length) return [];
        return [{ nom: f.nom, serviceInstructeur: f.serviceInstructeur, demande: lignes.reduce((s, x) => s + x.demandeCentimes, 0), accorde: lignes.reduce((s, x) => s + (x.accordeCentimes ?? 0), 0) }];
      }),
    });
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="decision-${reference}.pdf"`).send(pdf);
  });
};

/** Query-string pairs with repeated keys gathered, as fastify reads a query string. */
function groupe(q: URLSearchParams): [string, string | string[]][] {
  return [...new Set(q.keys())].map((k) => {
    const all = q.getAll(k);
    return [k, all.length > 1 ? all : all[0]!];
  });
}
