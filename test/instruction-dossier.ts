import { organisation } from '../src/contrat/schema.ts';
import type { Db } from '../src/platform/db/connect.ts';
import type { StatutDossier } from '../src/subventions/model.ts';
import { campagneAap, documentStructure, dossier, dossierEvenement, financement, financeurAap, structure } from '../src/subventions/schema.ts';

// A submitted file for the instruction tests and journey, inserted with drizzle: a campaign with two
// funders, an association with its profile and documents, a file in a QPV with a balanced budget.

export type CampagneInstruction = { id: string; annee: number; etat: string; ville: string };

export async function creerCampagne(db: Db, contratId: string, annee: number, territoireIds: string[], prioriteRefs: string[] = []): Promise<CampagneInstruction> {
  const [c] = await db
    .insert(campagneAap)
    .values({ contratId, annee, titre: `Appel à projets politique de la ville ${annee}`, ouverture: `${annee}-01-05`, cloture: `${annee}-02-28`, territoireIds, prioriteRefs })
    .returning();
  const [etat, ville] = await db
    .insert(financeurAap)
    .values([
      { contratId, campagneId: c!.id, code: 'etat-147', nom: 'État (programme 147)', enveloppeCentimes: 50_000_000, ordre: 1 },
      { contratId, campagneId: c!.id, code: 'ville', nom: 'Ville de Paris', enveloppeCentimes: 40_000_000, ordre: 2 },
    ])
    .returning();
  return { id: c!.id, annee, etat: etat!.id, ville: ville!.id };
}

export async function creerAssociation(db: Db, contratId: string, nom: string, fictive = false): Promise<string> {
  const [org] = await db.insert(organisation).values({ contratId, nom, type: 'association' }).returning();
  await db.insert(structure).values({ contratId, organisationId: org!.id, siret: '73282932000074', adresse: '12 rue Léon, 75018 Paris', fictive: fictive ? 'démonstration' : null });
  const doc = { contratId, organisationId: org!.id, typeMime: 'application/pdf', taille: 4, sha256: 'x'.repeat(64), contenu: Buffer.from('%PDF'), deposePar: 'essai' };
  await db.insert(documentStructure).values([
    { ...doc, type: 'statuts', nomFichier: 'statuts.pdf', valideDu: '2019-01-01', deposeLe: new Date('2024-01-01T10:00:00Z') },
    // Expired long before any file of the tests: never one of its pieces.
    { ...doc, type: 'rib', nomFichier: 'ancien-rib.pdf', valideDu: '2015-01-01', valideJusquAu: '2016-12-31', deposeLe: new Date('2016-01-01T10:00:00Z') },
  ]);
  return org!.id;
}

let numero = 0;

/** A file submitted a moment ago (or in the state asked), with its submission in the history. */
export async function creerDossier(
  db: Db,
  contratId: string,
  c: CampagneInstruction,
  o: { organisationId: string; titre: string; territoireIds: string[]; noeudRefs?: string[]; statut?: StatutDossier },
): Promise<string> {
  const statut = o.statut ?? 'depose';
  const [d] = await db
    .insert(dossier)
    .values({
      contratId,
      campagneId: c.id,
      organisationId: o.organisationId,
      numero: ++numero,
      statut,
      titre: o.titre,
      objectifs: 'Donner le goût de la lecture aux enfants du quartier.',
      description: 'Des ateliers chaque mercredi à la bibliothèque.',
      dateDebut: `${c.annee}-03-01`,
      dateFin: `${c.annee}-12-15`,
      lieux: 'Bibliothèque Goutte d’Or',
      public: { nombre: 40, ages: '6-11 ans', femmes: 22, hommes: 18, partQpv: 85, description: 'Enfants du quartier' },
      territoireIds: o.territoireIds,
      noeudRefs: o.noeudRefs ?? [],
      charges: [
        { compte: '60', libelle: 'Achats de livres', montantCentimes: 300_000 },
        { compte: '64', libelle: 'Rémunération des animateurs', montantCentimes: 700_000 },
        { compte: '86', libelle: 'Bénévolat', montantCentimes: 50_000 },
      ],
      autresProduits: [
        { compte: '70', libelle: 'Participation des familles', montantCentimes: 100_000 },
        { compte: '87', libelle: 'Bénévolat', montantCentimes: 50_000 },
      ],
      deposeLe: statut === 'brouillon' ? null : new Date(),
      creePar: 'essai',
    })
    .returning();
  await db.insert(financement).values([
    { contratId, dossierId: d!.id, financeurId: c.etat, libelle: 'État (programme 147)', demandeCentimes: 500_000, ordre: 1 },
    { contratId, dossierId: d!.id, financeurId: c.ville, libelle: 'Ville de Paris', demandeCentimes: 300_000, ordre: 2 },
    { contratId, dossierId: d!.id, financeurId: null, libelle: 'CAF de Paris', demandeCentimes: 100_000, ordre: 3 },
  ]);
  if (statut !== 'brouillon') await db.insert(dossierEvenement).values({ dossierId: d!.id, etape: 'deposer', de: 'brouillon', vers: 'depose', par: 'association@exemple.fr' });
  return d!.id;
}
