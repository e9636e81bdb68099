import { erreurSiret } from './model.ts';

// Granted subsidies as open data, following the SCDL « subventions » schema, version 2.1.1 (the latest
// on schema.data.gouv.fr, scdl/subventions; OpenDataFrance, Table Schema): 16 columns in the schema's
// order, the empty string for a missing value. Rules checked here are those of the schema (required
// fields, patterns, enumerations, lengths, bounds, types) and of its custom checks (french-siret-value
// on both SIRET columns, one-of-required idBeneficiaire / rnaBeneficiaire). A line that would break one
// of them is not written: it is listed apart with the reasons, in French, so that someone can fix it.

export const SCDL_SCHEMA = { nom: 'scdl/subventions', version: '2.1.1' } as const;

export const CHAMPS_SCDL = [
  'nomAttribuant',
  'idAttribuant',
  'dateConvention',
  'referenceDecision',
  'nomBeneficiaire',
  'idBeneficiaire',
  'rnaBeneficiaire',
  'objet',
  'montant',
  'nature',
  'conditionsVersement',
  'datesPeriodeVersement',
  'idRAE',
  'notificationUE',
  'pourcentageSubvention',
  'dispositifAide',
] as const;
export type ChampScdl = (typeof CHAMPS_SCDL)[number];

/** One row as written in the file: every cell is text, '' when the value is missing. */
export type LigneScdl = Record<ChampScdl, string>;

export const NATURES_SCDL = ['aide en numéraire', 'aide en nature', 'aide en numéraire;aide en nature', 'aide en nature;aide en numéraire'] as const;

const OBLIGATOIRES: readonly ChampScdl[] = [
  'nomAttribuant',
  'idAttribuant',
  'dateConvention',
  'nomBeneficiaire',
  'objet',
  'montant',
  'nature',
  'conditionsVersement',
  'datesPeriodeVersement',
  'notificationUE',
  'pourcentageSubvention',
];

const LIBELLES: Record<ChampScdl, string> = {
  nomAttribuant: 'le nom du financeur',
  idAttribuant: 'le SIRET du financeur',
  dateConvention: 'la date de la convention',
  referenceDecision: 'la référence de la décision',
  nomBeneficiaire: 'le nom de l’association',
  idBeneficiaire: 'le SIRET de l’association',
  rnaBeneficiaire: 'le numéro RNA de l’association',
  objet: 'l’objet de la subvention',
  montant: 'le montant',
  nature: 'la nature de l’aide',
  conditionsVersement: 'les conditions de versement',
  datesPeriodeVersement: 'la date ou période de versement',
  idRAE: 'l’identifiant RAE',
  notificationUE: 'la notification à la Commission européenne',
  pourcentageSubvention: 'le pourcentage de la subvention',
  dispositifAide: 'le dispositif d’aide',
};

const LONGUEUR_MAX: Partial<Record<ChampScdl, number>> = { objet: 256, conditionsVersement: 256, idRAE: 5 };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A real day of the calendar written AAAA-MM-JJ (a Table Schema `date`): 2026-02-30 is not one. */
export function estDateIso(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

// A Table Schema `number` with the point as decimal sign, as this file writes it (no exponent, no grouping).
const NOMBRE = /^-?\d+(\.\d+)?$/;
const PERIODE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(\/[0-9]{4}-[0-9]{2}-[0-9]{2})?$/;

export type ErreurScdl = { champ: ChampScdl; message: string };

/** Every rule of the schema a row breaks, in French; an empty list when the row is valid. */
export function erreursLigneScdl(l: LigneScdl): ErreurScdl[] {
  const erreurs: ErreurScdl[] = [];
  const err = (champ: ChampScdl, message: string) => erreurs.push({ champ, message });
  for (const c of OBLIGATOIRES) if (l[c] === '') err(c, `Il manque ${LIBELLES[c]} (${c}), obligatoire.`);
  for (const [c, max] of Object.entries(LONGUEUR_MAX) as [ChampScdl, number][]) {
    if ([...l[c]].length > max) err(c, `${majuscule(LIBELLES[c])} (${c}) dépasse ${max} caractères.`);
  }
  for (const c of ['idAttribuant', 'idBeneficiaire'] as const) {
    if (l[c] === '') continue;
    if (!/^\d{14}$/.test(l[c])) err(c, `${majuscule(LIBELLES[c])} (${c}) doit compter 14 chiffres, sans espace : « ${l[c]} ».`);
    else if (erreurSiret(l[c])) err(c, `${majuscule(LIBELLES[c])} (${c}) n’est pas un SIRET valide : sa clé de contrôle est fausse.`);
  }
  if (l.rnaBeneficiaire !== '' && !/^W\d{9}$/.test(l.rnaBeneficiaire)) {
    err('rnaBeneficiaire', `Le numéro RNA (rnaBeneficiaire) s’écrit W suivi de 9 chiffres : « ${l.rnaBeneficiaire} ».`);
  }
  if (l.idBeneficiaire === '' && l.rnaBeneficiaire === '') {
    err('idBeneficiaire', 'L’association n’a ni SIRET ni numéro RNA : le schéma demande l’un des deux (idBeneficiaire ou rnaBeneficiaire).');
  }
  if (l.dateConvention !== '' && !estDateIso(l.dateConvention)) err('dateConvention', `La date de la convention (dateConvention) doit être une date AAAA-MM-JJ : « ${l.dateConvention} ».`);
  if (l.datesPeriodeVersement !== '') {
    const dates = l.datesPeriodeVersement.split('/');
    if (!PERIODE.test(l.datesPeriodeVersement) || !dates.every(estDateIso)) {
      err('datesPeriodeVersement', `La période de versement (datesPeriodeVersement) s’écrit AAAA-MM-JJ ou AAAA-MM-JJ/AAAA-MM-JJ : « ${l.datesPeriodeVersement} ».`);
    } else if (dates.length === 2 && dates[0]! > dates[1]!) {
      err('datesPeriodeVersement', `La période de versement (datesPeriodeVersement) finit avant de commencer : « ${l.datesPeriodeVersement} ».`);
    }
  }
  if (l.montant !== '' && !NOMBRE.test(l.montant)) err('montant', `Le montant (montant) doit être un nombre écrit avec un point décimal : « ${l.montant} ».`);
  if (l.nature !== '' && !(NATURES_SCDL as readonly string[]).includes(l.nature)) {
    err('nature', `La nature de l’aide (nature) doit être l’une de : ${NATURES_SCDL.map((n) => `« ${n} »`).join(', ')}.`);
  }
  if (l.notificationUE !== '' && l.notificationUE !== 'oui' && l.notificationUE !== 'non') {
    err('notificationUE', `La notification à la Commission européenne (notificationUE) vaut « oui » ou « non » : « ${l.notificationUE} ».`);
  }
  if (l.pourcentageSubvention !== '') {
    const p = Number(l.pourcentageSubvention);
    if (!NOMBRE.test(l.pourcentageSubvention)) err('pourcentageSubvention', `Le pourcentage (pourcentageSubvention) doit être un nombre écrit avec un point décimal : « ${l.pourcentageSubvention} ».`);
    else if (p < 0.01 || p > 1) err('pourcentageSubvention', `Le pourcentage (pourcentageSubvention) doit être compris entre 0.01 et 1 : « ${l.pourcentageSubvention} ».`);
  }
  return erreurs;
}

const majuscule = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// --- From a granted funding line to a row ------------------------------------------------------

/** What the store reads for one funding line granted by the committee (accordeCentimes > 0, file accepted). */
export type FinancementAccorde = {
  annee: number;
  reference: string;
  titre: string;
  /** The day of the committee's decision in Paris (AAAA-MM-JJ); null when the file carries none. */
  dateDecision: string | null;
  financeur: { nom: string; siret: string | null };
  association: { nom: string; siret: string | null; rna: string | null; fictive: boolean };
  accordeCentimes: number;
};

/** A line that cannot be published, with why: the direction fixes the configuration or the file, then exports again. */
export type LigneNonExportee = { reference: string; titre: string; financeur: string; association: string; raisons: string[] };

// Pilotis keeps neither conventions nor payment schedules: the committee's decision stands for the
// convention's date, and payment is taken as single, within the decision's budget year (from the
// decision to 31 December), as the schema asks when the exact day is unknown. Politique de la ville
// grants are cash, to one beneficiary, outside the de minimis notification.
const CONDITIONS_VERSEMENT = 'unique';
const MENTION_FICTIVE = ' (association fictive)';

const OBJET_MAX = 256;
const sansEspaces = (s: string | null) => (s ?? '').replace(/[\s.]/g, '');
/**
 * Titles are typed by people: line breaks and runs of spaces become one space, a too long one is cut
 * with an ellipsis. Lengths count characters (code points), as the schema's validators do.
 */
function objet(titre: string): string {
  const t = [...titre.replace(/\s+/g, ' ').trim()];
  return t.length <= OBJET_MAX ? t.join('') : `${t.slice(0, OBJET_MAX - 1).join('').trimEnd()}…`;
}

/** Cents as the schema writes euros: point decimal, two decimals ("47800.20"). */
export function montantScdl(centimes: number): string {
  const signe = centimes < 0 ? '-' : '';
  const a = Math.abs(centimes);
  return `${signe}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export function ligneScdl(f: FinancementAccorde): LigneScdl {
  const nom = f.association.nom.trim();
  return {
    nomAttribuant: f.financeur.nom.trim(),
    idAttribuant: sansEspaces(f.financeur.siret),
    dateConvention: f.dateDecision ?? '',
    referenceDecision: f.reference,
    // A fictitious association says so wherever its name appears, in open data too (once: some names already do).
    nomBeneficiaire: nom && f.association.fictive && !/\bficti(f|ve)\b/i.test(nom) ? `${nom}${MENTION_FICTIVE}` : nom,
    idBeneficiaire: sansEspaces(f.association.siret),
    rnaBeneficiaire: sansEspaces(f.association.rna).toUpperCase(),
    objet: objet(f.titre),
    montant: montantScdl(f.accordeCentimes),
    nature: 'aide en numéraire',
    conditionsVersement: CONDITIONS_VERSEMENT,
    datesPeriodeVersement: f.dateDecision ? `${f.dateDecision}/${f.dateDecision.slice(0, 4)}-12-31` : '',
    idRAE: '',
    notificationUE: 'non',
    pourcentageSubvention: '1.00',
    dispositifAide: '',
  };
}

/**
 * What Pilotis itself leaves empty, said so that a person can act on it, with the columns it empties:
 * the schema's own wording for those columns would only repeat it.
 */
function raisonsConfiguration(f: FinancementAccorde): { champs: ChampScdl[]; raison: string }[] {
  const r: { champs: ChampScdl[]; raison: string }[] = [];
  if (!sansEspaces(f.financeur.siret)) {
    r.push({ champs: ['idAttribuant'], raison: `Le SIRET du financeur « ${f.financeur.nom} » n’est pas renseigné dans la configuration de la campagne ${f.annee}.` });
  }
  if (!f.dateDecision) r.push({ champs: ['dateConvention', 'datesPeriodeVersement'], raison: 'Le dossier ne porte pas de date de décision du comité.' });
  return r;
}

/** The rows to publish and, apart, the lines that cannot be, each with its reasons in French. */
export function exportScdl(financements: readonly FinancementAccorde[]): { lignes: LigneScdl[]; nonExportees: LigneNonExportee[] } {
  const lignes: LigneScdl[] = [];
  const nonExportees: LigneNonExportee[] = [];
  for (const f of financements) {
    const l = ligneScdl(f);
    const config = raisonsConfiguration(f);
    const dites = new Set(config.flatMap((c) => c.champs));
    const raisons = [...config.map((c) => c.raison), ...erreursLigneScdl(l).filter((e) => !dites.has(e.champ)).map((e) => e.message)];
    if (raisons.length === 0) lignes.push(l);
    else nonExportees.push({ reference: f.reference, titre: f.titre, financeur: f.financeur.nom, association: l.nomBeneficiaire, raisons });
  }
  return { lignes, nonExportees };
}

// --- The file ------------------------------------------------------------------------------------

// The schema's file: UTF-8 without byte-order mark, comma between fields, CRLF line ends, a field
// quoted when it holds a comma, a quote or a line break (RFC 4180), the header being the field names
// in the schema's order. Not the house `;` CSV: tools that validate and consolidate SCDL files
// (Validata, data.gouv.fr) read this one, and the `nature` values themselves hold a semicolon.
export const SCDL_SEPARATEUR = ',';
const FIN_DE_LIGNE = '\r\n';

// A text starting with = + - @ runs as a formula when the file is opened in a spreadsheet: such a
// cell gets a leading apostrophe (OWASP "CSV injection"). No value the schema constrains can start so;
// only free text (names, object) may, and for those the apostrophe is the lesser harm.
const FORMULE = /^[=+\-@\t\r]/;

function champCsv(v: string): string {
  const t = FORMULE.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
}

export function csvScdl(lignes: readonly LigneScdl[]): string {
  let out = CHAMPS_SCDL.join(SCDL_SEPARATEUR) + FIN_DE_LIGNE;
  for (const l of lignes) out += CHAMPS_SCDL.map((c) => champCsv(l[c])).join(SCDL_SEPARATEUR) + FIN_DE_LIGNE;
  return out;
}
