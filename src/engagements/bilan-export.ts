import type { Block, DocumentRapport, Section, Table } from '../platform/exports/document-model.ts';
import { LIBELLES_NATURE, LIBELLES_SENS, type NatureCible, type Sens } from './model.ts';
import { libelleStatut, refMesure, type Bilan, type Groupe } from './bilan-model.ts';
import { LIBELLES_TEXTE, CHAMPS_TEXTE } from './fiche-form.ts';
import { sourceDocument } from './fiche-views.tsx';
import type { FicheDuBilan, LigneMesure } from './export-fiches.ts';

// The bilan as the steering committee receives it (PDF, Word) and as a workbook to sort and filter
// (XLSX): both built from the same aggregation as the page. A figure printed in the sheets stays as
// printed; what Pilotis computes is labelled as such, beside it.

export type ContexteBilan = {
  contrat: string;
  /** ISO date of the document. */
  date: string;
  /** Said at the top when the bilan leaves some sheets out (the public sees validated sheets only). */
  perimetre: string | null;
  /** Shown to those who follow the campaign: sheets late are counted. */
  interne: boolean;
};

export const titreBilan = (annee: number, contrat: string) => `Bilan ${annee} de la mobilisation du droit commun — ${contrat}`;
export const CALCULE = 'calculé par Pilotis';
export const CALCULES = 'calculés par Pilotis';

const libelleNature = (n: string) => LIBELLES_NATURE[n as NatureCible] ?? n;
const libelleSens = (s: string) => LIBELLES_SENS[s as Sens] ?? s;

export function chiffresCles(b: Bilan, interne: boolean): { label: string; value: number }[] {
  const c = b.chiffres;
  return [
    { label: 'Fiches de suivi', value: c.fiches },
    { label: 'Fiches validées', value: c.fichesValidees },
    ...(interne ? [{ label: 'Fiches en retard (échéance passée, non soumises)', value: c.fichesEnRetard }] : []),
    { label: 'Mesures suivies', value: c.mesures },
    { label: `Mesures avec un taux ${CALCULE}`, value: c.avecTaux },
    { label: 'Mesures signalées', value: c.signalees },
    { label: 'Fiches avec des points d’alerte', value: c.pointsAlerte },
  ];
}

export function tableauRepartition(b: Bilan): Table {
  return {
    caption: `Répartition des taux de réalisation ${CALCULES}`,
    columns: [
      { key: 'tranche', label: 'Taux de réalisation', type: 'text' },
      { key: 'mesures', label: 'Mesures', type: 'number' },
    ],
    rows: b.repartition.map((t) => ({ tranche: t.libelle, mesures: t.mesures })),
    notes: ['Les taux sont calculés par Pilotis à partir de la cible et du résultat imprimés, selon la nature de la cible.'],
  };
}

export function tableauGroupes(caption: string, entete: string, groupes: readonly Groupe[]): Table {
  return {
    caption,
    columns: [
      { key: 'libelle', label: entete, type: 'text', width: 30 },
      { key: 'fiches', label: 'Fiches', type: 'number', width: 11 },
      { key: 'mesures', label: 'Mesures', type: 'number', width: 12 },
      { key: 'avecTaux', label: 'Avec un taux calculé', type: 'number', width: 12 },
      { key: 'tauxMedian', label: 'Taux médian calculé', type: 'percent', width: 12 },
      { key: 'signalees', label: 'Mesures signalées', type: 'number', width: 12 },
      { key: 'variantes', label: 'Autres libellés imprimés', type: 'text', width: 26 },
    ],
    rows: groupes.map((g) => ({ ...g, variantes: g.variantes.join(' ; ') || null })),
  };
}

export function tableauAlertesParCode(b: Bilan): Table {
  return {
    caption: 'Mesures signalées, par motif',
    columns: [
      { key: 'libelle', label: 'Motif', type: 'text', width: 50 },
      { key: 'mesures', label: 'Mesures', type: 'number' },
    ],
    rows: b.alertesParCode.map((a) => ({ libelle: a.libelle, mesures: a.mesures })),
    notes: ['Une mesure peut être signalée pour plusieurs motifs.'],
  };
}

/** One row per flag, for the workbook's "Alertes" sheet. */
export function tableauAlertes(b: Bilan, fiches: readonly FicheDuBilan[]): Table {
  const service = new Map(fiches.map((f) => [f.numero, f.service]));
  return {
    caption: 'Alertes',
    columns: [
      { key: 'fiche', label: 'Fiche', type: 'number' },
      { key: 'mesure', label: 'Mesure', type: 'text' },
      { key: 'titre', label: 'Titre de la fiche', type: 'text', width: 50 },
      { key: 'service', label: 'Service', type: 'text' },
      { key: 'code', label: 'Code', type: 'text' },
      { key: 'message', label: 'Alerte', type: 'text', width: 70 },
    ],
    rows: b.signalees.flatMap((s) =>
      s.mesure.alertes.map((a) => ({ fiche: s.numero, mesure: refMesure(s.numero, s.mesure), titre: s.titre, service: service.get(s.numero) ?? null, code: a.code, message: a.message })),
    ),
  };
}

export function tableauSignalees(b: Bilan): Table {
  return {
    caption: 'Les mesures signalées',
    columns: [
      { key: 'mesure', label: 'Fiche', type: 'text', width: 8 },
      { key: 'titre', label: 'Titre', type: 'text', width: 40 },
      { key: 'alertes', label: 'Alertes', type: 'text', width: 60 },
    ],
    rows: b.signalees.map((s) => ({ mesure: refMesure(s.numero, s.mesure), titre: s.titre, alertes: s.mesure.alertes.map((a) => a.message).join(' ') })),
  };
}

export function tableauComparaisons(b: Bilan): Table {
  return {
    caption: `Taux déclarés et taux ${CALCULES}`,
    columns: [
      { key: 'mesure', label: 'Fiche', type: 'text', width: 8 },
      { key: 'titre', label: 'Titre', type: 'text', width: 40 },
      { key: 'declare', label: 'Taux déclaré (tel qu’imprimé)', type: 'text', width: 14 },
      { key: 'calcule', label: `Taux ${CALCULE}`, type: 'percent', width: 14 },
      { key: 'ecart', label: 'Écart (points)', type: 'number', decimals: 1, width: 10 },
      { key: 'concorde', label: 'Concordance', type: 'text', width: 14 },
    ],
    rows: b.comparaisons.map((c) => ({
      mesure: refMesure(c.numero, c.mesure),
      titre: c.titre,
      declare: c.mesure.tauxDeclare,
      calcule: c.calcule,
      ecart: c.ecart,
      concorde: c.concorde ? 'Oui' : 'Non',
    })),
    notes: ['Concordance : moins d’un point d’écart, un taux imprimé arrondi à l’unité restant fidèle au calcul.'],
  };
}

export function tableauPointsAlerte(b: Bilan, fiches: readonly FicheDuBilan[]): Table {
  const doc = new Map(fiches.map((f) => [f.numero, f.source?.document ?? null]));
  return {
    caption: 'Points d’alerte',
    columns: [
      { key: 'fiche', label: 'Fiche', type: 'number' },
      { key: 'titre', label: 'Titre', type: 'text', width: 40 },
      { key: 'texte', label: 'Point d’alerte (cité)', type: 'text', width: 80 },
      { key: 'source', label: 'Source', type: 'text' },
    ],
    rows: b.pointsAlerte.map((p) => {
      const document = doc.get(p.numero);
      return { fiche: p.numero, titre: p.titre, texte: p.texte, source: document ? sourceDocument(document, p.lignes) : 'Saisie dans Pilotis' };
    }),
  };
}

/** One row per measure: the workbook's "Fiches" sheet and the command line's spreadsheet. */
export function tableauMesures(lignes: readonly LigneMesure[], caption = 'Fiches'): Table {
  return {
    caption,
    columns: [
      { key: 'fiche', label: 'Fiche', type: 'number' },
      { key: 'sous_mesure', label: 'Sous-mesure', type: 'text' },
      { key: 'titre', label: 'Titre', type: 'text', width: 40 },
      { key: 'axe', label: 'Axe', type: 'text', width: 30 },
      { key: 'thematique', label: 'Thématique', type: 'text' },
      { key: 'service', label: 'Service', type: 'text', width: 30 },
      { key: 'indicateur', label: 'Indicateur', type: 'text', width: 40 },
      { key: 'nature', label: 'Nature de la cible', type: 'text' },
      { key: 'sens', label: 'Sens', type: 'text' },
      { key: 'reference', label: 'Référence', type: 'text' },
      { key: 'cible', label: 'Cible', type: 'text' },
      { key: 'resultat', label: 'Résultat', type: 'text' },
      { key: 'taux_declare', label: 'Taux déclaré (tel qu’imprimé)', type: 'text' },
      { key: 'taux_calcule', label: `Taux ${CALCULE}`, type: 'percent' },
      { key: 'calcul', label: 'Calcul', type: 'text', width: 40 },
      { key: 'alertes', label: 'Alertes', type: 'text', width: 60 },
      { key: 'statut', label: 'Statut de la fiche', type: 'text' },
      { key: 'source', label: 'Source', type: 'text', width: 36 },
    ],
    rows: lignes.map((l) => ({
      ...l,
      nature: libelleNature(l.nature),
      sens: libelleSens(l.sens),
      calcul: l.taux_calcule === null ? l.raison : l.formule,
      alertes: l.alertes.map((a) => a.message).join(' ') || null,
      statut: libelleStatut(l.statut),
    })),
  };
}

function synthese(b: Bilan, interne: boolean): Table {
  return {
    caption: 'Synthèse',
    columns: [
      { key: 'label', label: 'Chiffre clé', type: 'text', width: 50 },
      { key: 'value', label: 'Valeur', type: 'number' },
    ],
    rows: [...chiffresCles(b, interne), ...b.alertesParCode.map((a) => ({ label: `Mesures signalées : ${a.libelle.toLowerCase()}`, value: a.mesures }))],
  };
}

const entete = (b: Bilan, ctx: ContexteBilan): Pick<DocumentRapport, 'titre' | 'date' | 'langue' | 'auteur'> => ({
  titre: titreBilan(b.annee, ctx.contrat),
  date: ctx.date,
  langue: 'fr-FR',
  auteur: 'Pilotis',
});
const perimetre = (ctx: ContexteBilan): Block[] => (ctx.perimetre ? [{ kind: 'paragraph', text: ctx.perimetre, emphasis: 'em' }] : []);

/** The workbook: Synthèse, Fiches (one row per measure), Alertes, Par axe, Par thématique… one sheet each. */
export function classeurBilan(b: Bilan, fiches: readonly FicheDuBilan[], lignes: readonly LigneMesure[], ctx: ContexteBilan): DocumentRapport {
  const tables = [
    synthese(b, ctx.interne),
    tableauMesures(lignes),
    tableauAlertes(b, fiches),
    tableauGroupes('Par axe', 'Axe', b.parAxe),
    tableauGroupes('Par thématique', 'Thématique', b.parThematique),
    tableauGroupes('Par service', 'Service', b.parService),
    { ...tableauRepartition(b), caption: 'Répartition des taux' },
    { ...tableauComparaisons(b), caption: 'Déclaré et calculé' },
    tableauPointsAlerte(b, fiches),
  ];
  return { ...entete(b, ctx), sections: [{ blocks: [...perimetre(ctx), ...tables.map((table): Block => ({ kind: 'table', table }))] }] };
}

const lignesDe = ([de, a]: readonly [number, number]) => Array.from({ length: a - de + 1 }, (_, i) => de + i);

function sectionFiche(annee: number, f: FicheDuBilan): Block[] {
  const mesures: Table = {
    caption: `Fiche n° ${f.numero} — mesures`,
    columns: [
      { key: 'mesure', label: 'Mesure', type: 'text', width: 30 },
      { key: 'reference', label: 'Référence', type: 'text' },
      { key: 'cible', label: 'Cible', type: 'text' },
      { key: 'resultat', label: 'Résultat', type: 'text' },
      { key: 'declare', label: 'Taux déclaré', type: 'text' },
      { key: 'calcule', label: `Taux ${CALCULE}`, type: 'percent' },
    ],
    rows: f.mesures.map((m) => ({
      mesure: [m.sousMesure, m.libelle ?? f.indicateur].filter(Boolean).join('. ') || null,
      reference: m.reference,
      cible: m.cible,
      resultat: m.resultat,
      declare: m.tauxDeclare,
      calcule: m.tauxCalcule,
    })),
    notes: f.mesures.flatMap((m) => {
      const nom = m.sousMesure ? `Mesure ${m.sousMesure}` : 'Mesure';
      return [
        m.tauxCalcule === null ? `${nom} : pas de taux calculé. ${m.raison ?? ''}`.trim() : `${nom} : ${m.formule}.`,
        ...m.alertes.map((a) => `${nom} : ${a.message}`),
      ];
    }),
  };
  const textes = CHAMPS_TEXTE.flatMap((champ): Block[] =>
    f[champ]?.trim() ? [{ kind: 'heading', level: 3, text: LIBELLES_TEXTE[champ] }, { kind: 'paragraph', text: f[champ]!.trim() }] : [],
  );
  return [
    { kind: 'heading', level: 2, text: `Fiche n° ${f.numero} — ${f.titre}` },
    {
      kind: 'keyValue',
      pairs: [
        { label: 'Axe', value: f.axe },
        { label: 'Thématique', value: f.thematique },
        { label: 'Service', value: f.service },
        { label: 'Statut', value: libelleStatut(f.statut) },
        { label: 'Objectif', value: f.objectif },
        { label: 'Indicateur', value: f.indicateur },
        { label: 'Source', value: f.source ? sourceDocument(f.source.document, lignesDe(f.source.plage)) : `Saisie dans Pilotis (campagne ${annee})` },
      ],
    },
    { kind: 'table', table: mesures },
    ...textes,
  ];
}

/** The document the steering committee receives, as PDF or Word. */
export function documentBilan(b: Bilan, fiches: readonly FicheDuBilan[], ctx: ContexteBilan): DocumentRapport {
  const points: Block[] = b.pointsAlerte.length
    ? tableauPointsAlerte(b, fiches).rows.flatMap((p): Block[] => [
        { kind: 'paragraph', text: `Fiche n° ${p.fiche} — ${p.titre}`, emphasis: 'strong' },
        { kind: 'paragraph', text: `« ${p.texte} »` },
        { kind: 'paragraph', text: String(p.source), emphasis: 'em' },
      ])
    : [{ kind: 'paragraph', text: 'Aucune fiche ne signale de point d’alerte.' }];
  const sections: Section[] = [
    { titre: 'Chiffres clés', blocks: [...perimetre(ctx), { kind: 'keyValue', pairs: chiffresCles(b, ctx.interne) }] },
    { titre: 'Répartition des taux de réalisation', blocks: [{ kind: 'table', table: tableauRepartition(b) }] },
    {
      titre: 'Par axe, par thématique, par service',
      blocks: [
        { kind: 'table', table: tableauGroupes('Fiches et mesures par axe du contrat', 'Axe', b.parAxe) },
        { kind: 'table', table: tableauGroupes('Fiches et mesures par thématique', 'Thématique', b.parThematique) },
        { kind: 'table', table: tableauGroupes('Fiches et mesures par service', 'Service', b.parService) },
      ],
    },
    { titre: 'Mesures signalées', blocks: [{ kind: 'table', table: tableauAlertesParCode(b) }, { kind: 'table', table: tableauSignalees(b) }] },
    { titre: 'Points d’alerte des partenaires', blocks: points },
    { titre: 'Taux déclarés et taux calculés', blocks: [{ kind: 'table', table: tableauComparaisons(b) }] },
    { titre: 'Les fiches de suivi', blocks: [...fiches.flatMap((f) => sectionFiche(b.annee, f))] },
  ];
  return { ...entete(b, ctx), sousTitre: `${b.chiffres.fiches} fiches de suivi, ${b.chiffres.mesures} mesures`, sections };
}
