import { alerteCopie, alertesMesure, calculerTaux, lectureDesColonnes, lireChiffre, resultatsCopies, type Alerte, type NatureCible, type Sens } from './model.ts';
import type { FicheTranscrite } from './donnees.ts';
import type { SourceEngagement } from './schema.ts';

// From the transcribed documents to commitments and sheets: pure, so that the 2015 campaign's rates and
// flags can be checked without a database. Every figure stays as printed; what is computed sits beside it.

export type QualificationFiche = {
  numero: number;
  porteur: string;
  noeuds: string[];
  dispositif: string | null;
  thematique: string | null;
  /** A sheet with several measures may link each measure to its own sources (else the sheet's links apply to all). */
  mesures: { sousMesure: string | null; nature: NatureCible; sens: Sens; unite: string | null; ciblesContrat?: { orientation: string; index: number }[]; livret?: string[] }[];
  ciblesContrat: { orientation: string; index: number }[];
  livret?: string[];
  justification?: string;
};

export type CibleContrat = {
  orientation: string;
  index: number;
  texte: string;
  lignes: number[];
  noeud: string | null;
  organisation: string | null;
  indicateur: string | null;
  valeur: string | null;
  unite: string | null;
  sens: Sens | null;
  nature: NatureCible;
  echeance: string | null;
  reference: string | null;
};

export type EngagementLivretSource = {
  ref: string;
  dispositif: string;
  texte: string;
  lignes: number[];
  organisation: string | null;
  indicateur: string | null;
  valeur: string | null;
  unite: string | null;
  sens: Sens | null;
  nature: NatureCible;
  echeance: string | null;
  reference: string | null;
};

export type EngagementSaisi = {
  ref: string;
  porteur: string | null;
  noeudRefs: string[];
  dispositif: string | null;
  thematique: string | null;
  intitule: string;
  indicateur: string | null;
  unite: string | null;
  sens: Sens;
  nature: NatureCible;
  reference: string | null;
  cible: string | null;
  echeance: string | null;
  sources: SourceEngagement[];
};

export type MesureCalculee = {
  rang: number;
  engagementRef: string;
  sousMesure: string | null;
  libelle: string | null;
  nature: NatureCible;
  sens: Sens;
  reference: string | null;
  cible: string | null;
  resultat: string | null;
  dateResultat: string | null;
  tauxDeclare: string | null;
  tauxCalcule: number | null;
  formule: string;
  raison: string | null;
  alertes: Alerte[];
  lignes: number[] | null;
  note: string | null;
};

export type FicheSaisie = {
  numero: number;
  porteur: string | null;
  titre: string;
  axe: string | null;
  thematique: string | null;
  objectif: string | null;
  indicateur: string | null;
  services: string | null;
  dateMiseAJour: string | null;
  colonnes: string | null;
  methodologie: string | null;
  analyse: string | null;
  pointsAlerte: string | null;
  ajustement: string | null;
  source: { document: string; plage: [number, number]; lignes: Record<string, number[]> };
  mesures: MesureCalculee[];
};

const DOC_BILAN = '004';
const DOC_CONTRAT = '002';

/** The measure's rate by rule and its own flags (copies across the campaign are added by `marquerCopies`). */
export function calculerMesure(m: Omit<MesureCalculee, 'tauxCalcule' | 'formule' | 'raison' | 'alertes'>, colonnes: string | null): MesureCalculee {
  const lue = lectureDesColonnes(colonnes, m);
  const entree = { ...m, reference: lue.reference, resultat: lue.resultat };
  const calcul = calculerTaux(entree);
  const formule = lue.note && calcul.taux !== null ? `${calcul.formule} (${lue.note})` : calcul.formule;
  return { ...m, tauxCalcule: calcul.taux, formule, raison: calcul.raison, alertes: alertesMesure(entree, calcul) };
}

/** Adds the "result copied from another sheet" flag to the measures of one campaign. */
export function marquerCopies<F extends { numero: number; indicateur: string | null; objectif: string | null; mesures: MesureCalculee[] }>(fiches: F[]): F[] {
  const toutes = fiches.flatMap((f) =>
    f.mesures.map((m) => ({ cle: `${f.numero}:${m.rang}`, fiche: f.numero, indicateur: `${f.indicateur ?? f.objectif ?? ''} ${m.libelle ?? ''}`, resultat: m.resultat, taux: m.tauxDeclare })),
  );
  const copies = resultatsCopies(toutes);
  return fiches.map((f) => ({
    ...f,
    mesures: f.mesures.map((m) => {
      const autres = copies.get(`${f.numero}:${m.rang}`);
      const sans = m.alertes.filter((a) => a.code !== 'resultat_copie');
      return { ...m, alertes: autres ? [...sans, alerteCopie(autres)] : sans };
    }),
  }));
}

/** "20,3%(avril 2016)" → its date, when the printed result carries one. */
export function dateDuResultat(resultat: string | null): string | null {
  return lireChiffre(resultat)?.date ?? (resultat && /^\s*(?:\d{1,2}\s+)?[a-zéû]+\s+\d{4}\s*$/i.test(resultat) ? resultat.trim() : null);
}

export function preparerBilan(
  fiches: FicheTranscrite[],
  qualification: QualificationFiche[],
  ciblesContrat: CibleContrat[],
  livret: EngagementLivretSource[],
): { engagements: EngagementSaisi[]; fiches: FicheSaisie[] } {
  const qualif = new Map(qualification.map((q) => [q.numero, q]));
  const cibles = new Map(ciblesContrat.map((c) => [`${c.orientation}#${c.index}`, c]));
  const livretParRef = new Map(livret.map((l) => [l.ref, l]));
  const utilisees = new Set<string>();
  const engagements: EngagementSaisi[] = [];
  const sortie: FicheSaisie[] = [];

  for (const f of fiches) {
    const q = qualif.get(f.numero);
    if (!q) throw new Error(`Fiche ${f.numero} : qualification manquante (bilan-2015/qualification.json)`);
    if (q.mesures.length !== f.mesures.length) throw new Error(`Fiche ${f.numero} : ${f.mesures.length} mesures transcrites, ${q.mesures.length} qualifiées`);
    const cibleDe = (c: { orientation: string; index: number }) => {
      const cible = cibles.get(`${c.orientation}#${c.index}`);
      if (!cible) throw new Error(`Fiche ${f.numero} : cible ${c.orientation}#${c.index} du contrat introuvable`);
      utilisees.add(`${c.orientation}#${c.index}`);
      return cible;
    };
    const livretDe = (r: string) => {
      const l = livretParRef.get(r);
      if (!l) throw new Error(`Fiche ${f.numero} : engagement ${r} du livret introuvable`);
      utilisees.add(`livret:${r}`);
      return l;
    };
    const mesures = f.mesures.map((m, i) => {
      const qm = q.mesures[i]!;
      const liees = (qm.ciblesContrat ?? q.ciblesContrat).map(cibleDe);
      const duLivret = (qm.livret ?? q.livret ?? []).map(livretDe);
      const ref = `bilan2015-${f.numero}${m.sousMesure ?? ''}`;
      engagements.push({
        ref,
        porteur: q.porteur,
        noeudRefs: q.noeuds,
        dispositif: q.dispositif,
        thematique: q.thematique,
        intitule: f.objectif.texte,
        indicateur: m.libelle ?? f.indicateur?.texte ?? null,
        unite: qm.unite,
        sens: qm.sens,
        nature: qm.nature,
        // Where the first column is the year's result, the sheet prints no baseline.
        reference: lectureDesColonnes(f.colonnes.texte, m).reference,
        cible: m.cible,
        echeance: null,
        sources: [
          { document: DOC_BILAN, lignes: m.lignes, texte: `Fiche de suivi n° ${f.numero} : ${f.titre.texte}`, valeur: m.cible, origine: 'fiche' },
          ...liees.map((c) => ({ document: DOC_CONTRAT, lignes: c.lignes, texte: c.texte, valeur: c.valeur, origine: 'contrat' })),
          ...duLivret.map((l) => ({ document: DOC_BILAN, lignes: l.lignes, texte: l.texte, valeur: l.valeur, origine: 'livret' })),
        ],
      });
      return calculerMesure({
        rang: i + 1,
        engagementRef: ref,
        sousMesure: m.sousMesure,
        libelle: m.libelle,
        nature: qm.nature,
        sens: qm.sens,
        reference: m.reference,
        cible: m.cible,
        resultat: m.resultat,
        dateResultat: dateDuResultat(m.resultat),
        tauxDeclare: m.taux,
        lignes: m.lignes,
        note: m.note ?? null,
      }, f.colonnes.texte);
    });
    const lignes: Record<string, number[]> = {};
    for (const k of ['titre', 'axe', 'thematique', 'objectif', 'indicateur', 'dateMiseAJour', 'services', 'methodologie', 'analyse', 'alertes', 'ajustement'] as const) {
      if (f[k]) lignes[k] = f[k]!.lignes;
    }
    sortie.push({
      numero: f.numero,
      porteur: q.porteur,
      titre: f.titre.texte,
      axe: f.axe.texte,
      thematique: f.thematique.texte,
      objectif: f.objectif.texte,
      indicateur: f.indicateur?.texte ?? null,
      services: f.services?.texte ?? null,
      dateMiseAJour: f.dateMiseAJour?.texte ?? null,
      colonnes: f.colonnes.texte,
      methodologie: f.methodologie?.texte ?? null,
      analyse: f.analyse?.texte ?? null,
      pointsAlerte: f.alertes?.texte ?? null,
      ajustement: f.ajustement?.texte ?? null,
      source: { document: DOC_BILAN, plage: f.plage, lignes },
      mesures,
    });
  }

  // Targets of the contract and of the booklet that no sheet follows are commitments all the same.
  for (const c of ciblesContrat) {
    if (utilisees.has(`${c.orientation}#${c.index}`)) continue;
    engagements.push({
      ref: `contrat-${c.orientation}-${c.index + 1}`,
      porteur: c.organisation,
      noeudRefs: c.noeud ? [c.noeud] : [],
      dispositif: null,
      thematique: null,
      intitule: c.texte,
      indicateur: c.indicateur,
      unite: c.unite,
      sens: c.sens ?? 'hausse',
      nature: c.nature,
      reference: c.reference,
      cible: c.valeur,
      echeance: c.echeance,
      sources: [{ document: DOC_CONTRAT, lignes: c.lignes, texte: c.texte, valeur: c.valeur, origine: 'contrat' }],
    });
  }
  for (const l of livret) {
    if (utilisees.has(`livret:${l.ref}`)) continue;
    engagements.push({
      ref: `livret-${l.ref}`,
      porteur: l.organisation,
      noeudRefs: [],
      dispositif: l.dispositif,
      thematique: null,
      intitule: l.texte,
      indicateur: l.indicateur,
      unite: l.unite,
      sens: l.sens ?? 'hausse',
      nature: l.nature,
      reference: l.reference,
      cible: l.valeur,
      echeance: l.echeance,
      sources: [{ document: DOC_BILAN, lignes: l.lignes, texte: l.texte, valeur: l.valeur, origine: 'livret' }],
    });
  }
  return { engagements, fiches: marquerCopies(sortie) };
}
