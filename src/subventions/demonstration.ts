import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { recordAudit } from '../platform/audit/store.ts';
import { annotationDossier, avisFinanceur, campagneAap, dossier, dossierEvenement, financement, financeurAap, groupeInstruction, messageDossier, structure } from './schema.ts';
import { TRANSITIONS_DOSSIER, type StatutDossier } from './model.ts';
import { calendrier, horloge, lireDemonstration, statutApres, type Calendrier, type DonneesDemonstration, type DossierDemo } from './demonstration-donnees.ts';

// The demonstration call for projects shipped with the embedded default: a closed campaign whose files
// are all decided and an open one with files at every step, so that a newcomer sees the whole loop.
// The associations, projects and people are fictitious; the funders, quartiers and priorities are the contract's.

export type ContexteDemonstration = {
  /** The contract's QPV (2015 geography) and quartiers de veille active, by code. */
  quartiers: Map<string, { id: string; nom: string }>;
  /** Adds the missing organisations (matched on name) and gives every organisation's id by name. */
  organisations(items: { nom: string; type: string; source: string | null }[]): Promise<Map<string, string>>;
  maintenant?: Date;
};

export type ResultatDemonstration = { chargee: boolean; raison: string | null; campagnes: number; dossiers: number };

/**
 * Loads the demonstration call for projects into a contract, once: nothing happens when the contract
 * already has a demonstration campaign, or when one of its years is taken by a real campaign.
 */
export async function chargerDemonstration(db: Db, by: AuditActor, contratId: string, ctx: ContexteDemonstration): Promise<ResultatDemonstration> {
  const rien = (raison: string): ResultatDemonstration => ({ chargee: false, raison, campagnes: 0, dossiers: 0 });
  const [deja] = await db.select({ id: campagneAap.id }).from(campagneAap).where(and(eq(campagneAap.contratId, contratId), isNotNull(campagneAap.demonstration))).limit(1);
  if (deja) return rien('La campagne de démonstration est déjà chargée.');
  const donnees = lireDemonstration();
  const maintenant = ctx.maintenant ?? new Date();
  const calendriers = donnees.campagnes.map((c) => calendrier(c, maintenant));
  const annees = calendriers.map((c) => c.annee);
  const prises = await db.select({ annee: campagneAap.annee }).from(campagneAap).where(and(eq(campagneAap.contratId, contratId), inArray(campagneAap.annee, annees)));
  if (prises.length) return rien(`L’année ${prises.map((p) => p.annee).join(', ')} a déjà une campagne : la démonstration n’est pas chargée.`);

  const organisations = await ctx.organisations(donnees.associations.map((a) => ({ nom: a.nom, type: 'association', source: donnees.source })));
  let dossiers = 0;
  await db.transaction(async (tx) => {
    await creerStructures(tx, by, contratId, donnees, organisations, ctx.quartiers);
    const parCle = new Map<string, string>();
    const associations = new Map(donnees.associations.map((a) => [a.cle, a]));
    for (const [i, c] of donnees.campagnes.entries()) {
      dossiers += await creerCampagne(tx, by, contratId, donnees, c, calendriers[i]!, { ...ctx, organisations, associations, parCle, maintenant });
    }
  });
  return { chargee: true, raison: null, campagnes: donnees.campagnes.length, dossiers };
}

function idsQuartiers(quartiers: ContexteDemonstration['quartiers'], codes: string[]): string[] {
  return codes.flatMap((code) => quartiers.get(code)?.id ?? []);
}

async function creerStructures(tx: Tx, by: AuditActor, contratId: string, donnees: DonneesDemonstration, organisations: Map<string, string>, quartiers: ContexteDemonstration['quartiers']) {
  const ids = donnees.associations.map((a) => organisationDe(organisations, a.nom));
  // An association whose profile was already filled in (the development demo account) keeps it.
  const existantes = new Set((await tx.select({ o: structure.organisationId }).from(structure).where(inArray(structure.organisationId, ids))).map((s) => s.o));
  for (const a of donnees.associations) {
    const organisationId = organisationDe(organisations, a.nom);
    if (existantes.has(organisationId)) continue;
    const q = quartiers.get(a.qpv);
    const localisation = {
      statut: 'qpv',
      qpvCode: a.qpv,
      qpvNom: q?.nom ?? null,
      phrase: `Adresse fictive, rattachée pour la démonstration au quartier prioritaire ${q?.nom ?? a.qpv} (${a.qpv}) sans passer par la localisation des adresses.`,
    };
    const [row] = await tx
      .insert(structure)
      .values({
        contratId,
        organisationId,
        sigle: a.sigle,
        siret: a.siret,
        rna: a.rna,
        objet: a.objet,
        adresse: a.adresse,
        localisation,
        courriel: a.courriel,
        telephone: a.telephone,
        representants: a.representants,
        fictive: donnees.fictive,
      })
      .returning();
    await recordAudit(tx, by, { action: 'creation', objectType: 'structure', objectId: row!.id, objectLabel: a.nom, contratId, after: row });
  }
}

function organisationDe(organisations: Map<string, string>, nom: string): string {
  const id = organisations.get(nom);
  if (!id) throw new Error(`Démonstration : l’organisation « ${nom} » n’a pas été créée`);
  return id;
}

type Campagne = DonneesDemonstration['campagnes'][number];
type Association = DonneesDemonstration['associations'][number];
type Suite = Omit<ContexteDemonstration, 'organisations'> & { organisations: Map<string, string>; associations: Map<string, Association>; parCle: Map<string, string>; maintenant: Date };

async function creerCampagne(tx: Tx, by: AuditActor, contratId: string, donnees: DonneesDemonstration, c: Campagne, cal: Calendrier, s: Suite): Promise<number> {
  const titre = c.titre.replace('{annee}', String(cal.annee));
  const [campagne] = await tx
    .insert(campagneAap)
    .values({
      contratId,
      annee: cal.annee,
      titre,
      presentation: c.presentation,
      ouverture: cal.ouverture,
      cloture: cal.cloture,
      prioriteRefs: donnees.priorites,
      territoireIds: [...s.quartiers.values()].map((q) => q.id),
      thematiques: donnees.thematiques,
      demonstration: donnees.demonstration,
    })
    .returning();
  const financeurs = await tx
    .insert(financeurAap)
    .values(
      c.financeurs.map((f, ordre) => ({
        contratId,
        campagneId: campagne!.id,
        code: f.code,
        nom: f.nom,
        organisationId: (f.organisation && s.organisations.get(f.organisation)) || null,
        serviceInstructeur: f.serviceInstructeur,
        siret: f.siret,
        enveloppeCentimes: f.enveloppe * 100,
        ordre,
      })),
    )
    .returning();
  const financeurId = new Map(financeurs.map((f) => [f.code, f.id]));
  const groupes = donnees.groupes.map((g, ordre) => ({ contratId, campagneId: campagne!.id, nom: g.nom, membres: g.membres, territoireIds: idsQuartiers(s.quartiers, g.quartiers), ordre }));
  await tx.insert(groupeInstruction).values(groupes);
  await recordAudit(tx, by, {
    action: 'creation',
    objectType: 'campagne_aap',
    objectId: campagne!.id,
    objectLabel: titre,
    contratId,
    after: { ...campagne, financeurs, groupes: groupes.map((g) => g.nom), dossiers: c.dossiers.length },
  });

  const le = horloge(cal.ouverture, c.dossiers, s.maintenant, c.annee === null);
  for (const [i, d] of c.dossiers.entries()) {
    await creerDossier(tx, by, contratId, campagne!.id, cal.annee, i + 1, d, le, financeurId, s);
  }
  return c.dossiers.length;
}

async function creerDossier(
  tx: Tx,
  by: AuditActor,
  contratId: string,
  campagneId: string,
  annee: number,
  numero: number,
  d: DossierDemo,
  le: (m: { jour: number; heure: string }) => Date,
  financeurId: Map<string, string>,
  s: Suite,
) {
  const atteint = statutApres(d.etapes);
  if (atteint !== d.statut) throw new Error(`Démonstration : les étapes de « ${d.titre} » ne mènent pas à « ${d.statut} » (${atteint})`);
  const territoireIds = idsQuartiers(s.quartiers, d.quartiers);
  if (territoireIds.length === 0) throw new Error(`Démonstration : aucun quartier de « ${d.titre} » n’existe dans le contrat`);
  const financeur = (code: string) => {
    const id = financeurId.get(code);
    if (!id) throw new Error(`Démonstration : financeur « ${code} » inconnu (${d.titre})`);
    return id;
  };
  const dateDuProjet = (mmjj: string | null) => (mmjj ? `${annee}-${mmjj}` : null);
  const depot = d.etapes.find((e) => e.etape === 'deposer');
  const decision = d.etapes.find((e) => ['accepter', 'refuser', 'classer'].includes(e.etape));
  const derniere = d.etapes.at(-1);
  const cree = le({ jour: 1, heure: '09:00' });
  const association = s.associations.get(d.association);
  if (!association) throw new Error(`Démonstration : association « ${d.association} » inconnue (${d.titre})`);
  const representant = association.representants[0]!;
  const [row] = await tx
    .insert(dossier)
    .values({
      contratId,
      campagneId,
      organisationId: organisationDe(s.organisations, association.nom),
      numero,
      statut: d.statut,
      titre: d.titre,
      objectifs: d.objectifs,
      description: d.description,
      dateDebut: dateDuProjet(d.dateDebut),
      dateFin: dateDuProjet(d.dateFin),
      lieux: d.lieux,
      public: d.public,
      territoireIds,
      noeudRefs: d.priorites,
      thematique: d.thematique,
      charges: d.charges.map(enCentimes),
      autresProduits: d.autresProduits.map(enCentimes),
      dupliqueDeId: d.dupliqueDe ? (s.parCle.get(d.dupliqueDe) ?? null) : null,
      deposeLe: depot ? le(depot) : null,
      decideLe: decision ? le(decision) : null,
      decisionMotif: d.decisionMotif ?? null,
      version: d.etapes.length + 1,
      creeLe: cree,
      modifieLe: derniere ? le(derniere) : cree,
      creePar: depot?.par ?? `${representant.prenom} ${representant.nom}`,
    })
    .returning();
  const dossierId = row!.id;
  s.parCle.set(d.cle, dossierId);
  if (d.financements.length) {
    await tx.insert(financement).values(
      d.financements.map((f, ordre) => ({
        contratId,
        dossierId,
        financeurId: f.financeur ? financeur(f.financeur) : null,
        libelle: f.libelle ?? f.financeur!,
        demandeCentimes: f.demande * 100,
        proposeCentimes: f.propose === undefined ? null : f.propose * 100,
        accordeCentimes: f.accorde === undefined ? null : f.accorde * 100,
        ordre,
      })),
    );
  }
  let statut: StatutDossier = 'brouillon';
  for (const e of d.etapes) {
    const vers = TRANSITIONS_DOSSIER[e.etape].vers;
    await tx.insert(dossierEvenement).values({ dossierId, etape: e.etape, de: statut, vers, commentaire: e.commentaire, par: e.par, le: le(e) });
    statut = vers;
  }
  for (const a of d.avis) {
    await tx.insert(avisFinanceur).values({ contratId, dossierId, financeurId: financeur(a.financeur), avis: a.avis, proposeCentimes: a.propose === null ? null : a.propose * 100, commentaire: a.commentaire, auteur: a.auteur, le: le(a) });
  }
  for (const m of d.messages) await tx.insert(messageDossier).values({ contratId, dossierId, cote: m.cote, texte: m.texte, auteur: m.auteur, le: le(m) });
  for (const n of d.annotations) await tx.insert(annotationDossier).values({ contratId, dossierId, texte: n.texte, auteur: n.auteur, le: le(n) });
  await recordAudit(tx, by, {
    action: 'creation',
    objectType: 'dossier',
    objectId: dossierId,
    objectLabel: d.titre,
    contratId,
    after: { ...row, demonstration: true, etapes: d.etapes.length, avis: d.avis.length, messages: d.messages.length, annotations: d.annotations.length },
  });
}

const enCentimes = (l: { compte: string; libelle: string; montant: number }) => ({ compte: l.compte, libelle: l.libelle, montantCentimes: l.montant * 100 });
