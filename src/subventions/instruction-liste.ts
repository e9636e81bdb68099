import type { Db } from '../platform/db/connect.ts';
import { fieldErrors } from '../platform/ui/forms.tsx';
import type { ServiceTerritoires } from '../territoires/model.ts';
import type { StatutDossier } from './model.ts';
import { financeursDe, referenceDossier, type CampagneAapRow } from './store.ts';
import { avisDesDossiers, dossiersAInstruire } from './instruction-store.ts';
import { avisCourants, compterParStatut, filtrerDossiers, schemaFiltres, territoiresDuDossier, type LigneInstruction } from './instruction-model.ts';
import type { ListeInstruction } from './instruction-views.tsx';

// The instructors' list of a campaign: the submitted files the person may instruct, with their QPV,
// the total asked of the campaign's funders and the current opinions, then the filters typed.

type Acces = { organisationId: string; territoireIds: string[] };

export async function listeInstruction(
  db: Db,
  territoires: ServiceTerritoires,
  contratId: string,
  c: CampagneAapRow,
  query: unknown,
  mayInstruct: (r: Acces) => boolean,
): Promise<{ liste: ListeInstruction; status: 200 | 400 }> {
  const [qpv, qva, financeurs, dossiers] = await Promise.all([
    territoires.lister(contratId, 'qpv'),
    territoires.lister(contratId, 'qva'),
    financeursDe(db, c.id),
    dossiersAInstruire(db, c.id),
  ]);
  const tous = [...qpv, ...qva];
  // One list of territories for the whole campaign, rather than two queries per file.
  const visibles = dossiers.filter((d) => mayInstruct({ organisationId: d.organisationId, territoireIds: territoiresDuDossier(d.territoireIds, tous) }));
  const avis = await avisDesDossiers(db, visibles.map((d) => d.id));
  const nomFinanceur = new Map(financeurs.map((f) => [f.id, f.nom]));
  const lignes: LigneInstruction[] = visibles.map((d) => {
    const courants = avisCourants(avis.filter((a) => a.dossierId === d.id));
    const campagne = d.financements.filter((f) => f.financeurId !== null && nomFinanceur.has(f.financeurId));
    return {
      id: d.id,
      reference: referenceDossier(d, c.annee),
      association: d.association,
      fictive: d.fictive,
      titre: d.titre,
      statut: d.statut as StatutDossier,
      qpv: tous.filter((t) => d.territoireIds.includes(t.id)).map((t) => ({ id: t.id, nom: t.nom })),
      financeurIds: campagne.map((f) => f.financeurId!),
      demandeCentimes: campagne.reduce((s, f) => s + f.demandeCentimes, 0),
      avis: financeurs.flatMap((f) => {
        const a = courants.get(f.id);
        return a ? [{ financeur: f.nom, avis: a.avis }] : [];
      }),
    };
  });
  const parsed = schemaFiltres.safeParse(query ?? {});
  const filtres = parsed.success ? parsed.data : {};
  // The campaign's eligible territories; without any, the contract's QPV of the 2015 geography.
  const quartiers = c.territoireIds.length ? tous.filter((t) => c.territoireIds.includes(t.id)) : qpv.filter((t) => t.geographie === '2015');
  return {
    status: parsed.success ? 200 : 400,
    liste: {
      annee: c.annee,
      titreCampagne: c.titre,
      filtres,
      erreurs: parsed.success ? {} : fieldErrors(parsed.error),
      quartiers: quartiers.map((t) => ({ value: t.id, label: t.nom })),
      financeurs: financeurs.map((f) => ({ value: f.id, label: f.nom })),
      comptes: compterParStatut(lignes),
      total: lignes.length,
      lignes: filtrerDossiers(lignes, filtres),
    },
  };
}
