// Imports of official open-data files: the kinds, the French errors that name a line and a column,
// the counts and the phases of a run. Pure: no I/O here.

export const IMPORT_KINDS = ['qpv', 'arrondissements', 'iris', 'insee-qpv', 'adresses'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** libelle: the kind's name; ligne: one line for `pilotis import --help`; description: what the file must hold. */
export const KIND_INFO: Record<ImportKind, { libelle: string; ligne: string; description: string }> = {
  qpv: {
    libelle: 'Contours des quartiers prioritaires (GeoJSON)',
    ligne: 'contours des QPV, GeoJSON (CODE_QP, NOM_QP ; 2024 : code_qp, lib_qp)',
    description:
      'Contours officiels des QPV en WGS84 : propriétés CODE_QP, NOM_QP, COMMUNE_QP (géographie 2015, codes QP…) ou code_qp, lib_qp (géographie 2024, codes QN…).',
  },
  arrondissements: {
    libelle: 'Arrondissements (GeoJSON)',
    ligne: 'contours des arrondissements, GeoJSON (c_arinsee, l_ar, l_aroff)',
    description: 'Contours des arrondissements municipaux en WGS84 : propriétés c_arinsee (code INSEE), l_ar, l_aroff.',
  },
  iris: {
    libelle: 'IRIS (GeoJSON)',
    ligne: 'contours des IRIS, GeoJSON (CODE_IRIS, NOM_IRIS, CODE_COM)',
    description: 'Contours des IRIS en WGS84 : propriétés CODE_IRIS, NOM_IRIS, CODE_COM.',
  },
  'insee-qpv': {
    libelle: 'Chiffres INSEE par quartier prioritaire (CSV)',
    ligne: 'chiffres INSEE des QPV, CSV « ; » (fichiers DEMO, REVN, population 2013)',
    description:
      'Fichiers INSEE « données QPV » séparés par des points-virgules : DEMO (population), REVN (revenu fiscal médian, revenu disponible médian, taux de pauvreté) ou population municipale 2013. Seuls les QPV du contrat sont retenus.',
  },
  adresses: {
    libelle: 'Base Adresse Nationale (CSV ou CSV.gz)',
    ligne: 'adresses de la Base Adresse Nationale, CSV « ; » compressé ou non',
    description: 'Fichier départemental de la BAN, séparé par des points-virgules, compressé ou non : id, numero, rep, nom_voie, code_postal, code_insee, lon, lat.',
  },
};

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

/** 1284 → "1 284": the way a French reader expects a line number or a count. */
export function entier(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** A value quoted in a message, cut when it is long (a whole geometry, a long line). */
export function cite(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return `« ${text.length > 60 ? `${text.slice(0, 57)}…` : text} »`;
}

/**
 * What is wrong with a file, for the person who sent it: the message names the line and the column
 * (a CSV header, a GeoJSON property, or a character position for a JSON syntax error).
 */
export class ImportFailure extends Error {
  constructor(
    message: string,
    readonly ligne: number | null = null,
    readonly colonne: string | null = null,
  ) {
    super(message);
    this.name = 'ImportFailure';
  }
}

/** "Ligne 1 284, colonne lat : « 48,86x » n'est pas un nombre." */
export function failAt(ligne: number, colonne: string, detail: string): ImportFailure {
  return new ImportFailure(`Ligne ${entier(ligne)}, colonne ${colonne} : ${detail}`, ligne, colonne);
}

export const NOTHING_CHANGED = "Aucune donnée n'a été modifiée.";

export type Counts = { ajoutes: number; modifies: number; inchanges: number; ignores: number };
export const noCounts = (): Counts => ({ ajoutes: 0, modifies: 0, inchanges: 0, ignores: 0 });

const UNITS: Record<ImportKind, { nom: string; feminin: boolean }> = {
  qpv: { nom: 'territoire', feminin: false },
  arrondissements: { nom: 'territoire', feminin: false },
  iris: { nom: 'territoire', feminin: false },
  'insee-qpv': { nom: 'valeur', feminin: true },
  adresses: { nom: 'adresse', feminin: true },
};

/** "20 territoires ajoutés, 0 modifié, 0 inchangé." — French plural (0 and 1 are singular). */
export function summary(kind: ImportKind, counts: Counts, extra: string[] = []): string {
  const { nom, feminin } = UNITS[kind];
  const word = (n: number, w: string) => `${w}${feminin ? 'e' : ''}${n > 1 ? 's' : ''}`;
  let text =
    `${entier(counts.ajoutes)} ${nom}${counts.ajoutes > 1 ? 's' : ''} ${word(counts.ajoutes, 'ajouté')}, ` +
    `${entier(counts.modifies)} ${word(counts.modifies, 'modifié')}, ${entier(counts.inchanges)} ${word(counts.inchanges, 'inchangé')}.`;
  if (counts.ignores) text += ` ${entier(counts.ignores)} ligne${counts.ignores > 1 ? 's' : ''} ignorée${counts.ignores > 1 ? 's' : ''} (${IGNORED_REASON[kind]}).`;
  for (const e of extra) text += ` ${e}`;
  return text;
}

const IGNORED_REASON: Record<ImportKind, string> = {
  qpv: 'quartiers hors des départements du contrat',
  arrondissements: 'territoires hors du contrat',
  iris: 'IRIS hors des communes du contrat',
  'insee-qpv': 'quartiers absents du contrat',
  adresses: 'adresses ignorées',
};

export type Phase = 'attente' | 'lecture' | 'verification' | 'ecriture';
export const PHASE_LABELS: Record<Phase, string> = {
  attente: 'En attente',
  lecture: 'Lecture',
  verification: 'Vérification',
  ecriture: 'Écriture',
};

export type Progress = { phase: Phase; traites: number; total: number | null };

/** Percentage of the current phase, or null when its size is unknown. */
export function percentage(p: Pick<Progress, 'traites' | 'total'>): number | null {
  if (!p.total) return null;
  return Math.max(0, Math.min(100, Math.floor((p.traites / p.total) * 100)));
}

export type ImportStatut = 'en_cours' | 'termine' | 'echec';
export const STATUT_LABELS: Record<ImportStatut, string> = { en_cours: 'En cours', termine: 'Terminé', echec: 'Échec' };

/** The millesime a file name states ("DEMO_2022.csv", "insee_qpv2015_demo_2022.csv" → "2022"), or null. */
export function millesimeFromName(fileName: string): string | null {
  const base = fileName.replace(/\.[^.]*$/, '');
  const matches = [...base.matchAll(/(?:^|[^\d])((?:19|20)\d{2})(?!\d)/g)];
  const last = matches.at(-1);
  return last ? last[1]! : null;
}
