import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../platform/validation.ts';
import { authorize, sendError } from '../platform/http/guard.tsx';
import { sendPage } from '../platform/http/render.tsx';
import { auditActor, formBody, typed } from '../platform/http/request.ts';
import { fieldErrors, type FieldErrors } from '../platform/ui/forms.tsx';
import { lectureChangement, NIVEAUX, nouveauNoeud, type ChangementArbre } from './model.ts';
import { adopterAvenant, ajouterChangement, arbreSelonAvenant, avenantParNumero, creerAvenant, listerNoeuds, type AvenantRow, type ChangementRow, retirerDernierChangement } from './store.ts';
import { refSchema, visible, type ContexteContrat } from './contexte.ts';
import { AvenantPage, AvenantsPage, type Valeurs } from './avenant-views.tsx';

// Amendments: anyone reads the adopted ones; the direction de projet (and admins) drafts one, adds its
// changes, adopts it. The store checks each change against the tree and says in French what is wrong.

const texte = (requis: string, max: number) =>
  z
    .string({ error: requis })
    .trim()
    .min(1, requis)
    .max(max, `${max} caractères au plus.`);

const avenantSchema = z.object({ titre: texte('Indiquez le titre de l’avenant.', 200), objet: texte('Indiquez l’objet de l’avenant.', 2000) });

const changementSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ajout'),
    parentRef: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v), refSchema.nullable().default(null)),
    niveau: z.enum(NIVEAUX, { error: 'Choisissez le niveau de l’élément à ajouter.' }),
    libelle: texte('Indiquez le libellé de l’élément à ajouter.', 1000),
  }),
  z.object({ type: z.literal('modification'), ref: z.string({ error: 'Indiquez la référence de l’élément.' }).trim().pipe(refSchema), nouveauLibelle: texte('Indiquez le nouveau libellé.', 1000) }),
  z.object({ type: z.literal('retrait'), refRetiree: z.string({ error: 'Indiquez la référence de l’élément.' }).trim().pipe(refSchema) }),
]);

const adoptionSchema = z.object({ adopteLe: z.iso.date({ error: 'Indiquez la date d’adoption (jour, mois et année).' }) });
const numeroParams = z.object({ numero: z.coerce.number().int().positive().max(100_000) });

const CHAMPS = ['titre', 'objet', 'parentRef', 'niveau', 'libelle', 'ref', 'nouveauLibelle', 'refRetiree', 'adopteLe'];
const valeursDe = (body: Record<string, unknown>): Valeurs => Object.fromEntries(CHAMPS.map((c) => [c, typed(body, c)]));
/** The store's reasons, each its own line of the error summary. */
const problemesEnErreurs = (problemes: string[]): FieldErrors => Object.fromEntries(problemes.map((p, i) => [`_${i}`, p]));

/** Paris time's day, as an ISO date: the default date of adoption. */
const aujourdhui = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date());

export function avenantRoutes(app: FastifyInstance, ctx: ContexteContrat): void {
  const db = () => app.ctx.db;

  async function pageListe(req: FastifyRequest, reply: FastifyReply, valeurs: Valeurs = {}, erreurs: FieldErrors = {}) {
    const avenants = await ctx.avenantsVisibles(req);
    const echec = Object.keys(erreurs).length > 0;
    return sendPage(
      req,
      reply,
      echec ? 'Erreur — Les avenants au contrat' : 'Les avenants au contrat',
      (page) => (
        <AvenantsPage
          avenants={avenants.map((a) => ({ ...visible(a), objet: a.objet }))}
          annonces={ctx.textes(req).annonces}
          peutAmender={ctx.peutAmender(req)}
          csrf={page.csrfToken}
          valeurs={valeurs}
          erreurs={erreurs}
        />
      ),
      echec ? 400 : 200,
    );
  }

  /** The amendment the URL names, or null once a 404 is sent (a draft stays hidden from those who cannot amend). */
  async function avenantOu404(req: FastifyRequest, reply: FastifyReply): Promise<{ avenant: AvenantRow; changements: ChangementRow[] } | null> {
    const p = numeroParams.safeParse(req.params);
    const found = p.success ? await avenantParNumero(db(), req.contrat.id, p.data.numero) : null;
    if (found && (found.avenant.statut === 'adopte' || ctx.peutAmender(req))) return found;
    void sendError(req, reply, 404, 'Aucun avenant publié ne porte ce numéro. Retrouvez-les sur la page « Les avenants au contrat ».');
    return null;
  }

  async function pageAvenant(
    req: FastifyRequest,
    reply: FastifyReply,
    found: { avenant: AvenantRow; changements: ChangementRow[] },
    valeurs: Valeurs = {},
    erreurs: FieldErrors = {},
  ) {
    const [arbre, avenants] = await Promise.all([listerNoeuds(db(), req.contrat.id, { avecRetires: true }), ctx.avenantsVisibles(req)]);
    const refs = new Set(arbre.map((n) => n.ref));
    const a = found.avenant;
    const echec = Object.keys(erreurs).length > 0;
    const titre = `Avenant n° ${a.numero}`;
    return sendPage(
      req,
      reply,
      echec ? `Erreur — ${titre}` : titre,
      (page) => (
        <AvenantPage
          d={{
            avenant: { ...visible(a), objet: a.objet },
            changements: found.changements.map((c) => ({ rang: c.rang, ref: c.ref, existe: refs.has(c.ref), ...lectureChangement(c) })),
            peutAmender: ctx.peutAmender(req),
            csrf: page.csrfToken,
            valeurs,
            erreurs,
            aujourdhui: aujourdhui(),
            annonces: ctx.textes(req).annonces,
            avenants: avenants.map(visible),
          }}
        />
      ),
      echec ? 400 : 200,
    );
  }

  app.get('/contrat/avenants', { config: { policy: 'contrat.voir' } }, async (req, reply) => pageListe(req, reply));

  app.post('/contrat/avenants', { config: { policy: 'contrat.amender' } }, async (req, reply) => {
    if (!authorize(req, reply, 'contrat.amender')) return reply;
    const body = formBody(req);
    const p = avenantSchema.safeParse(body);
    if (!p.success) return pageListe(req, reply, valeursDe(body), fieldErrors(p.error));
    const a = await creerAvenant(db(), auditActor(req), req.contrat.id, p.data);
    return reply.flash(`Avenant n° ${a.numero} créé : ajoutez-lui ses changements, puis adoptez-le.`).redirect(`/contrat/avenants/${a.numero}`, 303);
  });

  app.get('/contrat/avenants/:numero', { config: { policy: 'contrat.voir' } }, async (req, reply) => {
    const found = await avenantOu404(req, reply);
    return found ? pageAvenant(req, reply, found) : reply;
  });

  app.post('/contrat/avenants/:numero/changements', { config: { policy: 'contrat.amender' } }, async (req, reply) => {
    if (!authorize(req, reply, 'contrat.amender')) return reply;
    const found = await avenantOu404(req, reply);
    if (!found) return reply;
    const body = formBody(req);
    const valeurs = valeursDe(body);
    const p = changementSchema.safeParse(body);
    if (!p.success) return pageAvenant(req, reply, found, valeurs, fieldErrors(p.error));
    const contratId = req.contrat.id;
    const v = p.data;
    let changement: ChangementArbre;
    if (v.type === 'ajout') changement = { type: 'ajout', noeud: nouveauNoeud(await arbreSelonAvenant(db(), contratId, found.avenant.id), v.parentRef, v.niveau, v.libelle) };
    else if (v.type === 'modification') changement = { type: 'modification', ref: v.ref, libelle: v.nouveauLibelle };
    else changement = { type: 'retrait', ref: v.refRetiree };
    const r = await ajouterChangement(db(), auditActor(req), contratId, found.avenant.id, changement);
    if (!r.ok) return pageAvenant(req, reply, found, valeurs, problemesEnErreurs(r.problemes));
    return reply.flash('Changement ajouté à l’avenant.').redirect(`/contrat/avenants/${found.avenant.numero}`, 303);
  });

  app.post('/contrat/avenants/:numero/changements/dernier/retrait', { config: { policy: 'contrat.amender' } }, async (req, reply) => {
    if (!authorize(req, reply, 'contrat.amender')) return reply;
    const found = await avenantOu404(req, reply);
    if (!found) return reply;
    const r = await retirerDernierChangement(db(), auditActor(req), req.contrat.id, found.avenant.id);
    if (!r.ok) return pageAvenant(req, reply, found, {}, problemesEnErreurs(r.problemes));
    return reply.flash('Dernier changement retiré de l’avenant.').redirect(`/contrat/avenants/${found.avenant.numero}`, 303);
  });

  app.post('/contrat/avenants/:numero/adoption', { config: { policy: 'contrat.amender' } }, async (req, reply) => {
    if (!authorize(req, reply, 'contrat.amender')) return reply;
    const found = await avenantOu404(req, reply);
    if (!found) return reply;
    const body = formBody(req);
    const p = adoptionSchema.safeParse(body);
    if (!p.success) return pageAvenant(req, reply, found, valeursDe(body), fieldErrors(p.error));
    const r = await adopterAvenant(db(), auditActor(req), req.contrat.id, found.avenant.id, p.data.adopteLe);
    if (!r.ok) return pageAvenant(req, reply, found, valeursDe(body), problemesEnErreurs(r.problemes));
    return reply.flash(`Avenant n° ${found.avenant.numero} adopté : ses changements s’appliquent au contrat.`).redirect(`/contrat/avenants/${found.avenant.numero}`, 303);
  });
}
