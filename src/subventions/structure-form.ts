import { z } from '../platform/validation.ts';
import { emailSchema, passwordSchema } from '../platform/auth/model.ts';
import { erreurRna, erreurSiret } from './model.ts';
import { TYPES_DOCUMENT, type TypeDocument } from './structure-model.ts';
import type { Representant } from './schema.ts';

// The forms of an association's space: sign-up (a person's account and its association at once),
// the profile (CERFA 12156 part 1), a document's upload. Identifiers are kept without spaces.

const sansEspaces = (s: string) => s.replace(/[\s.]/g, '');

const texte = (libelle: string, max: number) =>
  z
    .string({ error: `Saisissez ${libelle}.` })
    .trim()
    .min(1, `Saisissez ${libelle}.`)
    .max(max, `Ce champ compte au plus ${max} caractères.`);
const facultatif = (max: number) => z.string().trim().max(max, `Ce champ compte au plus ${max} caractères.`).default('');

const siret = z
  .string({ error: 'Saisissez le SIRET de l’association.' })
  .trim()
  .min(1, 'Saisissez le SIRET de l’association.')
  .superRefine((v, ctx) => {
    const e = erreurSiret(v);
    if (e) ctx.addIssue({ code: 'custom', message: e });
  })
  .transform(sansEspaces);
const rna = z
  .string()
  .trim()
  .default('')
  .superRefine((v, ctx) => {
    const e = v ? erreurRna(v) : null;
    if (e) ctx.addIssue({ code: 'custom', message: e });
  })
  .transform((v) => (v ? sansEspaces(v).toUpperCase() : null));
const adresse = z
  .string({ error: 'Saisissez l’adresse du siège.' })
  .trim()
  .min(1, 'Saisissez l’adresse du siège.')
  .min(8, 'L’adresse est trop courte : indiquez le numéro, la voie et le code postal.')
  .max(300, 'L’adresse compte au plus 300 caractères.');
const courrielFacultatif = z
  .string()
  .trim()
  .toLowerCase()
  .default('')
  .pipe(z.union([z.literal(''), z.email({ error: 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr.' })]));
const telephone = z
  .string()
  .trim()
  .default('')
  .refine((v) => v === '' || /^\+?[\d\s.()-]{10,20}$/.test(v), 'Saisissez un numéro de téléphone, par exemple 01 23 45 67 89.');

export const LIBELLES_INSCRIPTION = {
  prenom: 'Votre prénom',
  nom: 'Votre nom',
  email: 'Votre adresse électronique',
  motDePasse: 'Mot de passe',
  confirmation: 'Confirmation du mot de passe',
  nomAssociation: 'Nom de l’association',
  siret: 'SIRET du siège',
  rna: 'Numéro RNA',
  adresse: 'Adresse du siège',
} as const;

export const inscriptionSchema = z
  .object({
    prenom: texte('votre prénom', 80),
    nom: texte('votre nom', 80),
    email: emailSchema,
    motDePasse: passwordSchema,
    confirmation: z.string({ error: 'Saisissez à nouveau le mot de passe.' }).min(1, 'Saisissez à nouveau le mot de passe.'),
    nomAssociation: texte('le nom de l’association', 200),
    siret,
    rna,
    adresse,
  })
  .superRefine((v, ctx) => {
    if (v.confirmation !== v.motDePasse) ctx.addIssue({ code: 'custom', path: ['confirmation'], message: 'Les deux mots de passe ne sont pas identiques.' });
  });
export type Inscription = z.infer<typeof inscriptionSchema>;

/** The profile's representatives: `rl_*` the legal representative, `cd_*` the person in charge of the file. */
export const PREFIXES_REPRESENTANT = ['rl', 'cd'] as const;
export const CHAMPS_REPRESENTANT = { prenom: 'Prénom', nom: 'Nom', qualite: 'Qualité (fonction)', courriel: 'Adresse électronique', telephone: 'Téléphone' } as const;
type ChampRepresentant = keyof typeof CHAMPS_REPRESENTANT;
export const champRepresentant = (prefixe: string, champ: ChampRepresentant) => `${prefixe}_${champ}`;

export const LIBELLES_PROFIL: Record<string, string> = {
  sigle: 'Sigle',
  siret: 'SIRET du siège',
  rna: 'Numéro RNA',
  objet: 'Objet de l’association',
  adresse: 'Adresse du siège',
  courriel: 'Adresse électronique de l’association',
  telephone: 'Téléphone de l’association',
  ...Object.fromEntries(
    PREFIXES_REPRESENTANT.flatMap((p, i) =>
      Object.entries(CHAMPS_REPRESENTANT).map(([c, l]) => [champRepresentant(p, c as ChampRepresentant), `${l} (${i === 0 ? 'représentant légal' : 'personne chargée du dossier'})`]),
    ),
  ),
};

const representant = { prenom: facultatif(80), nom: facultatif(80), qualite: facultatif(120), courriel: courrielFacultatif, telephone };
const representantsShape = Object.fromEntries(
  PREFIXES_REPRESENTANT.flatMap((p) => Object.entries(representant).map(([c, s]) => [champRepresentant(p, c as ChampRepresentant), s])),
) as Record<`${(typeof PREFIXES_REPRESENTANT)[number]}_${ChampRepresentant}`, typeof telephone>;

export const profilSchema = z
  .object({
    version: z.coerce.number().int().min(1),
    sigle: facultatif(40),
    siret,
    rna,
    objet: facultatif(2000),
    adresse,
    courriel: courrielFacultatif,
    telephone,
    ...representantsShape,
  })
  .superRefine((v, ctx) => {
    // A person partly described is of no use to the instructors: a name and a first name at least.
    for (const p of PREFIXES_REPRESENTANT) {
      const r: Record<string, unknown> = v;
      const rempli = Object.keys(CHAMPS_REPRESENTANT).some((c) => r[champRepresentant(p, c as ChampRepresentant)]);
      if (!rempli) continue;
      for (const c of ['nom', 'prenom'] as const) {
        if (!r[champRepresentant(p, c)]) ctx.addIssue({ code: 'custom', path: [champRepresentant(p, c)], message: `Saisissez le ${c === 'nom' ? 'nom' : 'prénom'} de cette personne.` });
      }
    }
  })
  .transform((v) => {
    const r: Record<string, unknown> = v;
    const representants: Representant[] = PREFIXES_REPRESENTANT.map((p) => ({
      nom: r[champRepresentant(p, 'nom')] as string,
      prenom: r[champRepresentant(p, 'prenom')] as string,
      qualite: r[champRepresentant(p, 'qualite')] as string,
      courriel: r[champRepresentant(p, 'courriel')] as string,
      telephone: r[champRepresentant(p, 'telephone')] as string,
    }));
    return {
      version: v.version,
      champs: { sigle: v.sigle || null, siret: v.siret, rna: v.rna, objet: v.objet, adresse: v.adresse, courriel: v.courriel, telephone: v.telephone, representants },
    };
  });
export type Profil = z.infer<typeof profilSchema>;
export type ChampsProfil = Profil['champs'];

/** The profile's fields as strings, as the form shows them. */
export function valeursProfil(s: Omit<ChampsProfil, 'siret'> & { siret: string }): Record<string, string> {
  const out: Record<string, string> = {
    sigle: s.sigle ?? '',
    siret: s.siret,
    rna: s.rna ?? '',
    objet: s.objet,
    adresse: s.adresse,
    courriel: s.courriel,
    telephone: s.telephone,
  };
  PREFIXES_REPRESENTANT.forEach((p, i) => {
    const r = s.representants[i];
    for (const c of Object.keys(CHAMPS_REPRESENTANT) as ChampRepresentant[]) out[champRepresentant(p, c)] = r?.[c] ?? '';
  });
  return out;
}

export const LIBELLES_DOCUMENT = { type: 'Type de document', fichier: 'Fichier', valideDu: 'Valable du', valideJusquAu: 'Valable jusqu’au' } as const;

/** A real calendar day written AAAA-MM-JJ: 2026-02-30 is not one. */
function estJour(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

const jour = z
  .string()
  .trim()
  .default('')
  .refine((v) => v === '' || estJour(v), 'Saisissez une date réelle au format AAAA-MM-JJ.')
  .transform((v) => v || null);

export const documentSchema = z
  .object({
    type: z.enum(TYPES_DOCUMENT, { error: 'Choisissez le type de document.' }),
    valideDu: jour,
    valideJusquAu: jour,
  })
  .superRefine((v, ctx) => {
    if (v.valideDu && v.valideJusquAu && v.valideJusquAu < v.valideDu) {
      ctx.addIssue({ code: 'custom', path: ['valideJusquAu'], message: 'La fin de validité doit être le même jour que le début ou après.' });
    }
  });
export type DocumentSaisi = { type: TypeDocument; valideDu: string | null; valideJusquAu: string | null };
