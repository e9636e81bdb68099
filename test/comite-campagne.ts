import type { Db } from '../src/platform/db/connect.ts';
import { organisation } from '../src/contrat/schema.ts';
import { campagneAap, dossier, financement, financeurAap, structure } from '../src/subventions/schema.ts';
import type { StatutDossier } from '../src/subventions/model.ts';

// A campaign for the committee's tests, journeys and benchmark, inserted directly with drizzle:
// funders with envelopes, associations with their profile, files at the states the committee sees.

export type CampagneComite = { id: string; annee: number; contratId: string; financeurs: { id: string; code: string; nom: string }[] };

export async function creerCampagneComite(
  db: Db,
  contratId: string,
  o: { annee: number; territoireIds: string[]; financeurs: { code: string; nom: string; enveloppe: number; service?: string }[]; thematiques?: string[] },
): Promise<CampagneComite> {
  const [c] = await db
    .insert(campagneAap)
    .values({ contratId, annee: o.annee, titre: `Appel à projets ${o.annee}`, ouverture: `${o.annee}-01-01`, cloture: `${o.annee}-02-28`, territoireIds: o.territoireIds, thematiques: o.thematiques ?? [] })
    .returning();
  const financeurs = await db
    .insert(financeurAap)
    .values(o.financeurs.map((f, ordre) => ({ contratId, campagneId: c!.id, code: f.code, nom: f.nom, enveloppeCentimes: f.enveloppe, serviceInstructeur: f.service ?? '', ordre })))
    .returning();
  return { id: c!.id, annee: o.annee, contratId, financeurs: financeurs.map((f) => ({ id: f.id, code: f.code, nom: f.nom })) };
}

export async function creerAssociation(db: Db, contratId: string, nom: string, o: { fictive?: boolean; adresse?: string } = {}): Promise<string> {
  const [org] = await db.insert(organisation).values({ contratId, nom, type: 'association' }).returning();
  await db.insert(structure).values({
    contratId,
    organisationId: org!.id,
    siret: '73282932000074',
    adresse: o.adresse ?? '12 rue de la Goutte d’Or, 75018 Paris',
    fictive: o.fictive ? 'démonstration' : null,
  });
  return org!.id;
}

export type DossierEssai = {
  organisationId: string;
  titre: string;
  statut: StatutDossier;
  territoireIds?: string[];
  noeudRefs?: string[];
  thematique?: string | null;
  /** By funder code; `autre` lines have no campaign funder. */
  montants: { financeur: string | null; demande: number; propose?: number | null; accorde?: number | null }[];
  decisionMotif?: string | null;
};

/** Inserts the files in two statements (files, then funding lines), numbered from `premier`. */
export async function creerDossiers(db: Db, c: CampagneComite, dossiers: DossierEssai[], premier = 1): Promise<string[]> {
  if (dossiers.length === 0) return [];
  const rows = await db
    .insert(dossier)
    .values(
      dossiers.map((d, i) => ({
        contratId: c.contratId,
        campagneId: c.id,
        organisationId: d.organisationId,
        numero: premier + i,
        statut: d.statut,
        titre: d.titre,
        public: { nombre: 30, ages: '11-15 ans', femmes: 15, hommes: 15, partQpv: 80, description: '' },
        territoireIds: d.territoireIds ?? [],
        noeudRefs: d.noeudRefs ?? [],
        thematique: d.thematique ?? null,
        deposeLe: new Date(),
        decideLe: d.statut === 'accepte' || d.statut === 'refuse' ? new Date() : null,
        decisionMotif: d.decisionMotif ?? null,
        creePar: 'essai',
      })),
    )
    .returning({ id: dossier.id, numero: dossier.numero });
  const ids = rows.sort((a, b) => a.numero - b.numero).map((r) => r.id);
  const financeur = (code: string | null) => (code === null ? null : c.financeurs.find((f) => f.code === code)!.id);
  const lignes = dossiers.flatMap((d, i) =>
    d.montants.map((m, ordre) => ({
      contratId: c.contratId,
      dossierId: ids[i]!,
      financeurId: financeur(m.financeur),
      libelle: m.financeur ?? 'Autre subvention',
      demandeCentimes: m.demande,
      proposeCentimes: m.propose ?? null,
      accordeCentimes: m.accorde ?? null,
      ordre,
    })),
  );
  for (let i = 0; i < lignes.length; i += 1000) await db.insert(financement).values(lignes.slice(i, i + 1000));
  return ids;
}
