import type { CellValue, Column, Table } from '../platform/exports/document-model.ts';
import { mentionFictive, type FinanceurComite, type LigneComite, type Totaux, type TotauxComite } from './comite-model.ts';
import { LIBELLES_STATUT_DOSSIER } from './model.ts';

// The committee's table and totals as spreadsheet tables: amounts are numbers in euros, so that the
// reader can sort, filter and add them up.

const enEuros = (c: number | null | undefined): CellValue => (c === null || c === undefined ? null : c / 100);
const colonneEuros = (key: string, label: string): Column => ({ key, label, type: 'number', decimals: 2 });

export type DonneesExport = {
  annee: number;
  financeurs: FinanceurComite[];
  lignes: LigneComite[];
  totaux: TotauxComite;
  nomsTerritoires: Map<string, string>;
  nomsAxes: Map<string, string>;
};

function tableTotaux(caption: string, entete: string, totaux: Map<string, Totaux>, noms: Map<string, string>, notes: string[]): Table {
  return {
    caption,
    columns: [{ key: 'libelle', label: entete, type: 'text' }, { key: 'dossiers', label: 'Dossiers', type: 'number' }, colonneEuros('demande', 'Demandé (€)'), colonneEuros('propose', 'Proposé (€)'), colonneEuros('accorde', 'Accordé (€)')],
    rows: [...totaux]
      .map(([cle, t]) => ({ libelle: cle ? (noms.get(cle) ?? cle) : 'Non renseigné', dossiers: t.dossiers, demande: enEuros(t.demande), propose: enEuros(t.propose), accorde: enEuros(t.accorde) }))
      .sort((a, b) => a.libelle.localeCompare(b.libelle, 'fr')),
    notes,
  };
}

export function tablesProgrammation(d: DonneesExport): Table[] {
  const colonnes: Column[] = [
    { key: 'reference', label: 'Référence', type: 'text' },
    { key: 'statut', label: 'Statut', type: 'text' },
    { key: 'association', label: 'Association', type: 'text' },
    { key: 'titre', label: 'Titre', type: 'text', width: 40 },
    { key: 'qpv', label: 'Quartiers', type: 'text' },
    { key: 'axe', label: 'Axe', type: 'text' },
    { key: 'thematique', label: 'Thématique', type: 'text' },
    ...d.financeurs.flatMap((f, i) => [colonneEuros(`d${i}`, `${f.nom} : demandé (€)`), colonneEuros(`p${i}`, `${f.nom} : proposé (€)`), colonneEuros(`a${i}`, `${f.nom} : accordé (€)`)]),
  ];
  const dossiers: Table = {
    caption: 'Programmation',
    columns: colonnes,
    rows: d.lignes.map((l) => {
      const row: Record<string, CellValue> = {
        reference: l.reference,
        statut: LIBELLES_STATUT_DOSSIER[l.statut],
        association: mentionFictive(l.association) ? `${l.association.nom} (fictive)` : l.association.nom,
        titre: l.titre,
        qpv: l.territoireIds.map((id) => d.nomsTerritoires.get(id) ?? id).join(', '),
        axe: l.axe ? (d.nomsAxes.get(l.axe) ?? l.axe) : null,
        thematique: l.thematique,
      };
      d.financeurs.forEach((f, i) => {
        const m = l.montants[f.id];
        row[`d${i}`] = enEuros(m?.demande);
        row[`p${i}`] = enEuros(m?.propose);
        row[`a${i}`] = enEuros(m?.accorde);
      });
      return row;
    }),
    notes: [`Appel à projets ${d.annee} : dossiers retenus par les filtres de la page.`],
  };
  const financeurs: Table = {
    caption: 'Totaux par financeur',
    columns: [
      { key: 'financeur', label: 'Financeur', type: 'text' },
      { key: 'dossiers', label: 'Dossiers affichés', type: 'number' },
      colonneEuros('demande', 'Demandé (€)'),
      colonneEuros('propose', 'Proposé (€)'),
      colonneEuros('accorde', 'Accordé, dossiers affichés (€)'),
      colonneEuros('enveloppe', 'Enveloppe (€)'),
      colonneEuros('accordeCampagne', 'Accordé, campagne (€)'),
      colonneEuros('reste', 'Reste (€)'),
      colonneEuros('enAttente', 'Propositions en attente (€)'),
      colonneEuros('depassement', 'Dépassement (€)'),
    ],
    rows: d.totaux.parFinanceur.map((t) => ({
      financeur: t.financeur.nom,
      dossiers: t.dossiers,
      demande: enEuros(t.demande),
      propose: enEuros(t.propose),
      accorde: enEuros(t.accorde),
      enveloppe: enEuros(t.enveloppe),
      accordeCampagne: enEuros(t.accordeCampagne),
      reste: enEuros(t.reste),
      enAttente: enEuros(t.proposeEnAttente),
      depassement: enEuros(t.depassement),
    })),
    notes: ['L’enveloppe est comparée aux montants accordés sur toute la campagne, quels que soient les filtres.'],
  };
  return [
    dossiers,
    financeurs,
    tableTotaux('Par quartier', 'Quartier', d.totaux.parQpv, d.nomsTerritoires, ['Un dossier qui agit dans plusieurs quartiers compte dans le total de chacun.']),
    tableTotaux('Par axe', 'Axe', d.totaux.parAxe, d.nomsAxes, []),
    tableTotaux('Par thématique', 'Thématique', d.totaux.parThematique, new Map(), []),
  ];
}
