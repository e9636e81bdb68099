import { ALERTES, LIBELLES_STATUT, lireChiffre, TOLERANCE_TAUX, TRANCHES_TAUX, tranche, type CodeAlerte, type StatutFiche } from './model.ts';

// The bilan of a monitoring campaign: what a steering committee reads (how many sheets and measures,
// where computed rates fall, which measures are flagged and why, what the partners point out), counted
// per axe, thématique and service. Pure: the pages, the spreadsheet and the documents share it.

export type MesureBilan = {
  rang: number;
  sousMesure: string | null;
  libelle: string | null;
  nature: string;
  sens: string;
  reference: string | null;
  cible: string | null;
  resultat: string | null;
  /** As printed or typed: never replaced by the computed rate. */
  tauxDeclare: string | null;
  tauxCalcule: number | null;
  formule: string | null;
  raison: string | null;
  alertes: { code: string; message: string }[];
  lignes: number[] | null;
};

export type FicheBilan = {
  numero: number;
  titre: string;
  axe: string | null;
  thematique: string | null;
  /** The organisation's name (the partner's service), or null when the sheet is not tied to one. */
  service: string | null;
  statut: string;
  pointsAlerte: string | null;
  source: { document: string; lignes: Record<string, number[]> } | null;
  mesures: MesureBilan[];
};

export type CampagneBilan = { annee: number; echeance: string | null };

export type Groupe = {
  /** The printed label most sheets use; `variantes` holds the other spellings grouped with it. */
  libelle: string;
  variantes: string[];
  fiches: number;
  mesures: number;
  avecTaux: number;
  tauxMedian: number | null;
  signalees: number;
};

export type Tranche = { code: string; libelle: string; mesures: number };
export type MesureSignalee = { numero: number; titre: string; mesure: MesureBilan };
export type PointAlerte = { numero: number; titre: string; texte: string; lignes: number[] };
export type Comparaison = { numero: number; titre: string; mesure: MesureBilan; declare: number; calcule: number; ecart: number; concorde: boolean };
export type FicheEnCours = { numero: number; titre: string; service: string | null; statut: string; enRetard: boolean };

export type Bilan = {
  annee: number;
  chiffres: { fiches: number; mesures: number; fichesValidees: number; avecTaux: number; signalees: number; fichesEnRetard: number; pointsAlerte: number };
  repartition: Tranche[];
  parAxe: Groupe[];
  parThematique: Groupe[];
  parService: Groupe[];
  alertesParCode: { code: CodeAlerte; libelle: string; mesures: number }[];
  signalees: MesureSignalee[];
  pointsAlerte: PointAlerte[];
  comparaisons: Comparaison[];
  /** Sheets not validated yet, late ones first. */
  enCours: FicheEnCours[];
};

const SANS_TAUX = { code: 'sans_taux', libelle: 'Sans taux calculé' } as const;
const SANS_LIBELLE = 'Non renseigné';

/** The middle value (the mean of the two middle ones for an even count), to one decimal like the rates; null for none. */
export function mediane(valeurs: readonly number[]): number | null {
  if (!valeurs.length) return null;
  const tri = [...valeurs].sort((a, b) => a - b);
  const milieu = Math.floor(tri.length / 2);
  const m = tri.length % 2 ? tri[milieu]! : (tri[milieu - 1]! + tri[milieu]!) / 2;
  return Math.round(m * 10) / 10;
}

// Words that change between two printings of the same heading ("Vivre sa ville…" / "Vivre la ville…").
const MOTS_VIDES = new Set(['a', 'au', 'aux', 'd', 'de', 'des', 'du', 'en', 'et', 'l', 'la', 'le', 'les', 'sa', 'son', 'ses', 'sur']);

/**
 * The key under which two printings of one heading fall together: case, accents, punctuation, an
 * "Axe 1 :" prefix and small words do not count ("Dynamiser les quartiers dans la Ville" is the
 * axe "Dynamiser les quartiers dans la ville"; "EMPLOI" is "Emploi").
 */
export function cleRegroupement(texte: string | null): string {
  if (!texte?.trim()) return '';
  return texte
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^\s*axe\s*\d+\s*[:.–-]?\s*/, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((mot) => mot && !MOTS_VIDES.has(mot))
    .join(' ');
}

const estSignalee = (m: MesureBilan) => m.alertes.length > 0;

export function grouper(fiches: readonly FicheBilan[], libelleDe: (f: FicheBilan) => string | null): Groupe[] {
  const groupes = new Map<string, { fiches: FicheBilan[]; libelles: Map<string, number> }>();
  for (const f of fiches) {
    const printed = libelleDe(f)?.trim() || SANS_LIBELLE;
    const cle = cleRegroupement(printed) || SANS_LIBELLE;
    const g = groupes.get(cle) ?? { fiches: [], libelles: new Map<string, number>() };
    g.fiches.push(f);
    g.libelles.set(printed, (g.libelles.get(printed) ?? 0) + 1);
    groupes.set(cle, g);
  }
  return [...groupes.values()]
    .map((g) => {
      // The spelling most sheets use names the group; ties go to the first one met.
      const [libelle, ...variantes] = [...g.libelles.entries()].sort((a, b) => b[1] - a[1]).map(([l]) => l);
      const mesures = g.fiches.flatMap((f) => f.mesures);
      const taux = mesures.flatMap((m) => (m.tauxCalcule === null ? [] : [m.tauxCalcule]));
      return {
        libelle: libelle!,
        variantes,
        fiches: g.fiches.length,
        mesures: mesures.length,
        avecTaux: taux.length,
        tauxMedian: mediane(taux),
        signalees: mesures.filter(estSignalee).length,
      };
    })
    .sort((a, b) => b.fiches - a.fiches || a.libelle.localeCompare(b.libelle, 'fr'));
}

/** A sheet is late when the campaign's deadline has passed and it was not submitted. */
export function enRetard(f: Pick<FicheBilan, 'statut'>, campagne: CampagneBilan, aujourdhui: string): boolean {
  return campagne.echeance !== null && aujourdhui > campagne.echeance && (f.statut === 'a_remplir' || f.statut === 'renvoyee');
}

/** The declared rate set against the computed one, for every measure that has both ("+1,2 point" is no rate). */
function comparer(numero: number, titre: string, m: MesureBilan): Comparaison | null {
  const declare = lireChiffre(m.tauxDeclare);
  if (declare?.unite !== '%' || m.tauxCalcule === null) return null;
  const ecart = Math.round((declare.valeur - m.tauxCalcule) * 10) / 10;
  return { numero, titre, mesure: m, declare: declare.valeur, calcule: m.tauxCalcule, ecart, concorde: Math.abs(ecart) < TOLERANCE_TAUX };
}

export function calculerBilan(fiches: readonly FicheBilan[], campagne: CampagneBilan, aujourdhui: string): Bilan {
  const mesures = fiches.flatMap((f) => f.mesures);
  const parTranche = new Map<string, number>();
  for (const m of mesures) parTranche.set(tranche(m.tauxCalcule), (parTranche.get(tranche(m.tauxCalcule)) ?? 0) + 1);
  const repartition = [...TRANCHES_TAUX, SANS_TAUX].map((t) => ({ code: t.code, libelle: t.libelle, mesures: parTranche.get(t.code) ?? 0 }));

  const signalees = fiches.flatMap((f) => f.mesures.filter(estSignalee).map((mesure) => ({ numero: f.numero, titre: f.titre, mesure })));
  const alertesParCode = (Object.keys(ALERTES) as CodeAlerte[]).map((code) => ({
    code,
    libelle: ALERTES[code],
    mesures: mesures.filter((m) => m.alertes.some((a) => a.code === code)).length,
  }));
  const pointsAlerte = fiches.flatMap((f) =>
    f.pointsAlerte?.trim() ? [{ numero: f.numero, titre: f.titre, texte: f.pointsAlerte.trim(), lignes: f.source?.lignes.alertes ?? [] }] : [],
  );
  const comparaisons = fiches.flatMap((f) => f.mesures.flatMap((m) => comparer(f.numero, f.titre, m) ?? []));
  const enCours = fiches
    .filter((f) => f.statut !== 'validee')
    .map((f) => ({ numero: f.numero, titre: f.titre, service: f.service, statut: f.statut, enRetard: enRetard(f, campagne, aujourdhui) }))
    .sort((a, b) => Number(b.enRetard) - Number(a.enRetard) || a.numero - b.numero);

  return {
    annee: campagne.annee,
    chiffres: {
      fiches: fiches.length,
      mesures: mesures.length,
      fichesValidees: fiches.filter((f) => f.statut === 'validee').length,
      avecTaux: mesures.filter((m) => m.tauxCalcule !== null).length,
      signalees: signalees.length,
      fichesEnRetard: enCours.filter((f) => f.enRetard).length,
      pointsAlerte: pointsAlerte.length,
    },
    repartition,
    parAxe: grouper(fiches, (f) => f.axe),
    parThematique: grouper(fiches, (f) => f.thematique),
    parService: grouper(fiches, (f) => f.service),
    alertesParCode,
    signalees,
    pointsAlerte,
    comparaisons,
    enCours,
  };
}

/** "b" for a sheet's second measure, nothing for a sheet's only one: "Fiche 12 b". */
export function refMesure(numero: number, m: Pick<MesureBilan, 'sousMesure'>): string {
  return m.sousMesure ? `${numero} ${m.sousMesure}` : String(numero);
}

export function libelleStatut(statut: string): string {
  return LIBELLES_STATUT[statut as StatutFiche] ?? statut;
}
