import { toCsv } from '../../platform/exports/csv.ts';
import type { AdresseIntrouvable, Correspondance, Localisation } from './types.ts';

// A file of addresses, classified: reading the CSV people have (Excel's `;` and Windows-1252, or
// `,` and UTF-8, with or without a byte order mark), choosing the address columns, the result file
// and its summary. Pure: the upload, the background run and the pages live elsewhere.

export const MAX_OCTETS = 5 * 1024 * 1024;
export const MAX_LIGNES = 50_000;

export class FichierInvalide extends Error {}

export type Tableau = { separateur: ';' | ',' | '\t'; entetes: string[]; lignes: string[][] };

/** UTF-8 when the bytes are valid UTF-8 (BOM or not), otherwise Windows-1252, what Excel writes in France. */
export function decoder(octets: Uint8Array): string {
  let texte: string;
  try {
    texte = new TextDecoder('utf-8', { fatal: true }).decode(octets);
  } catch {
    texte = new TextDecoder('windows-1252').decode(octets);
  }
  return texte.charCodeAt(0) === 0xfeff ? texte.slice(1) : texte;
}

/** The separator is the one of `;`, `,` and tab that the header line holds most of (outside quotes). */
export function detecterSeparateur(premiereLigne: string): Tableau['separateur'] {
  const counts = { ';': 0, ',': 0, '\t': 0 } as Record<Tableau['separateur'], number>;
  let quoted = false;
  for (const c of premiereLigne) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in counts) counts[c as Tableau['separateur']]++;
  }
  const best = (Object.entries(counts) as [Tableau['separateur'], number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ';';
}

/** RFC 4180 records: quoted fields may hold the separator, doubled quotes and line breaks. */
function* records(texte: string, sep: string): Generator<string[]> {
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < texte.length; i++) {
    const c = texte[i]!;
    if (quoted) {
      if (c === '"' && texte[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && texte[i + 1] === '\n') i++;
      row.push(field);
      yield row;
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    yield row;
  }
}

export function lireCsv(octets: Uint8Array): Tableau {
  if (octets.length > MAX_OCTETS) throw new FichierInvalide(`Le fichier dépasse ${MAX_OCTETS / 1024 / 1024} Mo : découpez-le en plusieurs fichiers.`);
  const texte = decoder(octets);
  const premiere = texte.split(/\r?\n/, 1)[0] ?? '';
  if (!premiere.trim()) throw new FichierInvalide('Le fichier est vide, ou sa première ligne (les noms des colonnes) est vide.');
  const separateur = detecterSeparateur(premiere);
  let entetes: string[] | null = null;
  const lignes: string[][] = [];
  for (const r of records(texte, separateur)) {
    if (r.every((cell) => cell.trim() === '')) continue;
    if (!entetes) {
      entetes = r.map((h, i) => h.trim() || `Colonne ${i + 1}`);
      continue;
    }
    if (lignes.length === MAX_LIGNES) {
      throw new FichierInvalide(`Le fichier compte plus de ${MAX_LIGNES.toLocaleString('fr-FR')} lignes : découpez-le en plusieurs fichiers.`);
    }
    lignes.push(r);
  }
  if (!entetes) throw new FichierInvalide('Le fichier est vide.');
  if (!lignes.length) throw new FichierInvalide('Le fichier ne contient que la ligne des noms de colonnes : aucune adresse à traiter.');
  return { separateur, entetes, lignes };
}

/** Which columns hold the address: one column with the whole address, or its parts. */
export type ChoixColonnes =
  | { mode: 'complete'; adresse: number }
  | { mode: 'parties'; numero: number | null; voie: number; codePostal: number | null; commune: number | null };

const plain = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** A first guess from the column names, which the person confirms or changes. */
export function devinerColonnes(entetes: string[]): ChoixColonnes | null {
  const find = (re: RegExp) => {
    const i = entetes.findIndex((h) => re.test(plain(h)));
    return i >= 0 ? i : null;
  };
  const voie = find(/(^|[^a-z])(voie|rue|libelle voie|nom de la voie)([^a-z]|$)/);
  if (voie !== null) {
    return { mode: 'parties', voie, numero: find(/^(n|no|n°|num|numero)([^a-z]|$)/), codePostal: find(/code ?postal|^cp$/), commune: find(/commune|ville/) };
  }
  const adresse = find(/adresse|address/);
  return adresse !== null ? { mode: 'complete', adresse } : null;
}

/** The address text of a row, as the geocoder reads it. */
export function texteAdresse(ligne: string[], choix: ChoixColonnes): string {
  const cell = (i: number | null) => (i === null ? '' : (ligne[i] ?? '').trim());
  if (choix.mode === 'complete') return cell(choix.adresse);
  return [cell(choix.numero), cell(choix.voie), cell(choix.codePostal), cell(choix.commune)].filter(Boolean).join(' ');
}

export type StatutLigne = Localisation['statut'] | 'introuvable';

/** One classified row: only what the result file and the summary need. */
export type ResultatLigne = {
  statut: StatutLigne;
  qpv: { code: string; nom: string } | null;
  arrondissement: string | null;
  iris: string | null;
  correspondance: string;
  motif: string;
};

export function correspondanceTexte(c: Correspondance): string {
  switch (c.methode) {
    case 'adresse_exacte':
      return `adresse exacte : ${c.adresse}`;
    case 'adresse_approchee':
      return `adresse approchée : ${c.adresse}`;
    case 'api_ban':
      return `service national d’adresses : ${c.adresse}`;
    case 'coordonnees':
      return 'coordonnées';
  }
}

export function resultatLigne(r: Localisation | AdresseIntrouvable): ResultatLigne {
  if (r.statut === 'introuvable') {
    const suggestions = r.suggestions.length ? ` Suggestions : ${r.suggestions.join(' | ')}.` : '';
    return { statut: 'introuvable', qpv: null, arrondissement: null, iris: null, correspondance: '', motif: `${r.motif}${suggestions}` };
  }
  const raison = r.correspondance.methode === 'adresse_approchee' ? r.correspondance.raison : null;
  return {
    statut: r.statut,
    qpv: r.qpv,
    arrondissement: r.arrondissement?.code ?? null,
    iris: r.iris?.code ?? null,
    correspondance: correspondanceTexte(r.correspondance),
    motif: [r.motif, raison && !r.motif?.includes(raison) ? raison : null].filter(Boolean).join(' — '),
  };
}

export const ADRESSE_VIDE: ResultatLigne = { statut: 'introuvable', qpv: null, arrondissement: null, iris: null, correspondance: '', motif: 'Adresse vide.' };

export const COLONNES_AJOUTEES = ['statut', 'qpv_code', 'qpv_nom', 'arrondissement', 'iris', 'correspondance', 'motif'] as const;

/** The file given back: the original columns, then the answer's, UTF-8 with BOM and `;` as French spreadsheets expect. */
export function csvResultat(tableau: Pick<Tableau, 'entetes' | 'lignes'>, resultats: ResultatLigne[]): string {
  const entetes = [...tableau.entetes, ...COLONNES_AJOUTEES];
  return toCsv(
    entetes,
    tableau.lignes.map((ligne, i) => {
      const r = resultats[i] ?? ADRESSE_VIDE;
      const original = tableau.entetes.map((_, j) => ligne[j] ?? '');
      return [...original, r.statut, r.qpv?.code ?? '', r.qpv?.nom ?? '', r.arrondissement ?? '', r.iris ?? '', r.correspondance, r.motif];
    }),
  );
}

export type Resume = {
  total: number;
  qpv: number;
  horsQpv: number;
  incertains: number;
  introuvables: number;
  /** Share of all rows sure to live in a QPV. */
  part: number;
  /** Share if every uncertain or unknown address were in a QPV. */
  partMax: number;
  parQpv: { code: string; nom: string; nombre: number }[];
};

export function resumer(resultats: ResultatLigne[]): Resume {
  const parQpv = new Map<string, { code: string; nom: string; nombre: number }>();
  const n = { qpv: 0, hors_qpv: 0, incertain: 0, introuvable: 0 };
  for (const r of resultats) {
    n[r.statut]++;
    if (r.statut === 'qpv' && r.qpv) {
      const entry = parQpv.get(r.qpv.code) ?? { ...r.qpv, nombre: 0 };
      entry.nombre++;
      parQpv.set(r.qpv.code, entry);
    }
  }
  const total = resultats.length;
  return {
    total,
    qpv: n.qpv,
    horsQpv: n.hors_qpv,
    incertains: n.incertain,
    introuvables: n.introuvable,
    part: total ? n.qpv / total : 0,
    partMax: total ? (n.qpv + n.incertain + n.introuvable) / total : 0,
    parQpv: [...parQpv.values()].sort((a, b) => b.nombre - a.nombre || a.code.localeCompare(b.code)),
  };
}
