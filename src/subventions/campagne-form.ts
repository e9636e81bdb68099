import { z } from '../platform/validation.ts';
import { fieldErrors, type FieldErrors } from '../platform/ui/forms.tsx';
import { centimes, erreurSiret } from './model.ts';

// The forms of a call for projects as the direction de projet fills them: the campaign's general section
// (year, title, dates, presentation), its priorities, territories and themes, a funder, an instruction team.
// Each reader gives back either the fields to store or the errors by field, the typed values kept by the caller.

export type Lecture<T> = { ok: true; champs: T } | { ok: false; errors: FieldErrors };

export const LIBELLES_CAMPAGNE = {
  annee: 'Année',
  titre: 'Titre',
  ouverture: 'Ouverture des dépôts',
  cloture: 'Clôture des dépôts',
  presentation: 'Présentation',
  priorites: 'Priorités du contrat',
  territoires: 'Territoires éligibles',
  thematiques: 'Thématiques',
} as const;

export const LIBELLES_FINANCEUR = {
  code: 'Code',
  nom: 'Nom du financeur',
  service: 'Service instructeur',
  siret: 'SIRET',
  enveloppe: 'Enveloppe (en euros)',
} as const;

export const LIBELLES_GROUPE = {
  nomGroupe: 'Nom de l’équipe',
  territoiresGroupe: 'Territoires de l’équipe',
  membres: 'Membres',
} as const;

/** A field as typed (a text field), or '' when absent. */
export function champ(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v : '';
}

/** The values of a group of checkboxes: none, one (a string) or several (an array). */
export function coches(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return [...new Set(all.filter((x): x is string => typeof x === 'string'))];
}

/** A real calendar day written AAAA-MM-JJ: 2021-02-30 is not one. */
export function estDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

const borne = (max: number, requis?: string) =>
  z
    .string({ error: requis ?? 'Saisissez un texte.' })
    .trim()
    .max(max, { error: `Ce champ doit compter au plus ${max} caractères.` });
const requis = (max: number, message: string) => borne(max, message).refine((v) => v !== '', { error: message });
const facultatif = (max: number) => borne(max).default('');

const jour = (quoi: string) =>
  z
    .string({ error: `Saisissez la date ${quoi}.` })
    .trim()
    .refine((v) => v !== '', { error: `Saisissez la date ${quoi}.` })
    .refine((v) => v === '' || estDate(v), { error: 'Saisissez une date réelle au format AAAA-MM-JJ, par exemple 2021-01-04.' });

const general = {
  titre: requis(200, 'Saisissez le titre de l’appel à projets.'),
  ouverture: jour('d’ouverture des dépôts'),
  cloture: jour('de clôture des dépôts'),
  presentation: facultatif(10000),
};

const schemaNouvelle = z.object({
  annee: z
    .string({ error: 'Saisissez l’année de l’appel à projets.' })
    .trim()
    .regex(/^\d{4}$/, { error: 'Saisissez l’année sur 4 chiffres, par exemple 2021.' })
    .transform(Number)
    .refine((n) => n >= 2000 && n <= 2100, { error: 'Saisissez une année entre 2000 et 2100.' }),
  ...general,
});
const schemaGeneral = z.object({ ...general, version: z.coerce.number({ error: 'Rechargez la page.' }).int() });

export type ChampsGeneral = { titre: string; ouverture: string; cloture: string; presentation: string };
export type ChampsNouvelle = ChampsGeneral & { annee: number };

/** The dates' order is checked once each date is a real day, so that every error shows at once. */
function avecCalendrier<T extends { ouverture: string; cloture: string }>(body: Record<string, unknown>, r: z.ZodSafeParseResult<T>): Lecture<T> {
  const errors = r.success ? {} : fieldErrors(r.error);
  const ouverture = champ(body, 'ouverture').trim();
  const cloture = champ(body, 'cloture').trim();
  if (!errors.ouverture && !errors.cloture && cloture < ouverture) {
    errors.cloture = 'La clôture des dépôts doit être le jour de l’ouverture ou après.';
  }
  return r.success && Object.keys(errors).length === 0 ? { ok: true, champs: r.data } : { ok: false, errors };
}

export function lireNouvelle(body: Record<string, unknown>): Lecture<ChampsNouvelle> {
  return avecCalendrier(body, schemaNouvelle.safeParse(body));
}

export function lireGeneral(body: Record<string, unknown>): Lecture<ChampsGeneral & { version: number }> {
  return avecCalendrier(body, schemaGeneral.safeParse(body));
}

/** Checked boxes among those offered: a value not offered means the page is outdated or forged. */
export function lireChoix(body: Record<string, unknown>, name: 'priorites' | 'territoires', offerts: readonly string[]): Lecture<string[]> {
  const choisis = coches(body, name);
  const inconnus = choisis.filter((v) => !offerts.includes(v));
  if (inconnus.length) return { ok: false, errors: { [name]: 'Un choix ne fait plus partie de la liste : rechargez la page et cochez à nouveau.' } };
  // Kept in the order offered (the tree's order, the territories' order), whatever the order posted.
  return { ok: true, champs: offerts.filter((v) => choisis.includes(v)) };
}

export const MAX_THEMATIQUES = 40;

/** Themes typed one a line: blank lines dropped, each once. */
export function lireThematiques(body: Record<string, unknown>): Lecture<string[]> {
  const lignes = [...new Set(champ(body, 'thematiques').split(/\r?\n/).map((l) => l.trim()).filter(Boolean))];
  if (lignes.some((l) => l.length > 100)) return { ok: false, errors: { thematiques: 'Chaque thématique doit compter au plus 100 caractères.' } };
  if (lignes.length > MAX_THEMATIQUES) return { ok: false, errors: { thematiques: `Saisissez au plus ${MAX_THEMATIQUES} thématiques.` } };
  return { ok: true, champs: lignes };
}

export type ChampsFinanceur = { code: string; nom: string; serviceInstructeur: string; siret: string | null; enveloppeCentimes: number };

const schemaFinanceur = z.object({
  code: z
    .string({ error: 'Saisissez un code.' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'Le code s’écrit en minuscules sans accents, chiffres et tirets, par exemple etat-p147.' })
    .max(40, { error: 'Le code doit compter au plus 40 caractères.' }),
  nom: requis(200, 'Saisissez le nom du financeur.'),
  service: facultatif(300),
  siret: z
    .string()
    .default('')
    .transform((v) => v.replace(/[\s.]/g, ''))
    .superRefine((v, ctx) => {
      const e = v === '' ? null : erreurSiret(v);
      if (e) ctx.addIssue({ code: 'custom', message: e });
    }),
  enveloppe: z
    .string({ error: 'Saisissez l’enveloppe en euros.' })
    .transform((v, ctx) => {
      const c = centimes(v);
      if (c === null) ctx.addIssue({ code: 'custom', message: 'Saisissez l’enveloppe en euros, par exemple 150 000 ou 1 250,50.' });
      return c ?? 0;
    }),
});

export function lireFinanceur(body: Record<string, unknown>): Lecture<ChampsFinanceur> {
  const r = schemaFinanceur.safeParse(body);
  if (!r.success) return { ok: false, errors: fieldErrors(r.error) };
  const { code, nom, service, siret, enveloppe } = r.data;
  return { ok: true, champs: { code, nom, serviceInstructeur: service, siret: siret || null, enveloppeCentimes: enveloppe } };
}

export type ChampsGroupe = { nom: string; territoireIds: string[]; membres: string };

/** A team's territories are chosen among the campaign's eligible ones. */
export function lireGroupe(body: Record<string, unknown>, eligibles: readonly string[]): Lecture<ChampsGroupe> {
  const r = z.object({ nomGroupe: requis(200, 'Saisissez le nom de l’équipe.'), membres: facultatif(2000) }).safeParse(body);
  const errors = r.success ? {} : fieldErrors(r.error);
  const territoires = coches(body, 'territoiresGroupe');
  if (territoires.some((t) => !eligibles.includes(t))) errors.territoiresGroupe = 'Choisissez les territoires parmi ceux de l’appel à projets.';
  else if (territoires.length === 0) errors.territoiresGroupe = 'Cochez au moins un territoire : les dossiers de ses quartiers iront à cette équipe.';
  if (!r.success || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, champs: { nom: r.data.nomGroupe, territoireIds: eligibles.filter((t) => territoires.includes(t)), membres: r.data.membres } };
}

export type NoeudPriorite = { ref: string; niveau: string; numero: string; libelle: string };

/**
 * The contract's priorities under their axe, in the tree's order: a priority's reference starts with its
 * axe's ("1.1.1/P1" under axe "1"). Priorities without an axe in the list are left out.
 */
export function prioritesParAxe<T extends NoeudPriorite>(noeuds: readonly T[]): { axe: T; priorites: T[] }[] {
  return noeuds
    .filter((n) => n.niveau === 'axe')
    .map((axe) => ({ axe, priorites: noeuds.filter((n) => n.niveau === 'priorite' && n.ref.startsWith(`${axe.ref}.`)) }))
    .filter((g) => g.priorites.length > 0);
}

/** A priority as people read it: its number is only unique within its objective ("Priorité 1 de l’objectif 1.1.1"). */
export function libellePriorite(n: NoeudPriorite): string {
  const objectif = n.ref.split('/')[0];
  return `${n.numero} de l’objectif ${objectif} : ${n.libelle}`;
}
