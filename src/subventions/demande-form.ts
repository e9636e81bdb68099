import { z } from '../platform/validation.ts';
import type { FieldErrors } from '../platform/ui/forms.tsx';
import { centimes, type LigneBudget } from './model.ts';
import { COMPTES_CHARGES, COMPTES_PRODUITS, MAX_AUTRES_FINANCEURS, type ContenuDossier, type FinancementSaisi } from './demande-model.ts';

// The CERFA form of a request as typed: every field kept as a string for redisplay, read field by field
// so that what parses is saved and what does not keeps the value stored before, with its error.

export const LIBELLES_DEMANDE: Record<string, string> = {
  titre: 'Titre du projet',
  objectifs: 'Objectifs du projet',
  description: 'Description du projet',
  dateDebut: 'Date de début',
  dateFin: 'Date de fin',
  lieux: 'Lieux de réalisation',
  publicNombre: 'Nombre de personnes',
  publicAges: 'Tranches d’âge',
  publicFemmes: 'Nombre de femmes',
  publicHommes: 'Nombre d’hommes',
  publicPartQpv: 'Part habitant en quartier prioritaire (%)',
  publicDescription: 'Description du public',
  territoires: 'Les quartiers',
  noeuds: 'Les objectifs du contrat',
  thematique: 'Thématique du projet',
};

export const nomCharge = (compte: string) => `charge${compte}`;
export const nomProduit = (compte: string) => `produit${compte}`;
export const nomFinanceur = (id: string) => `financeur-${id}`;
export const nomAutre = (i: number, quoi: 'Libelle' | 'Montant') => `autre${i + 1}${quoi}`;

/** Every field as typed (or as stored, written the French way); checkboxes as the list of values checked. */
export type SaisieDemande = { valeurs: Record<string, string>; territoires: string[]; noeuds: string[] };

export type ContexteDemande = {
  campagne: { territoireIds: readonly string[]; prioriteRefs: readonly string[]; thematiques: readonly string[] };
  financeurs: readonly { id: string; nom: string }[];
};

/** An amount written as a French reader writes it, ready to be typed over: 1250050 → « 12 500,50 ». */
export function montantSaisi(c: number): string {
  return (c / 100).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/[\u202f\u00a0]/g, ' ');
}

const nombreSaisi = (n: number | null) => (n === null ? '' : String(n).replace('.', ','));

/** The form as the stored request fills it. */
export function saisieDe(contenu: ContenuDossier, financements: readonly FinancementSaisi[], ctx: ContexteDemande): SaisieDemande {
  const p = contenu.public;
  const valeurs: Record<string, string> = {
    titre: contenu.titre,
    objectifs: contenu.objectifs,
    description: contenu.description,
    dateDebut: contenu.dateDebut ?? '',
    dateFin: contenu.dateFin ?? '',
    lieux: contenu.lieux,
    publicNombre: nombreSaisi(p.nombre),
    publicAges: p.ages,
    publicFemmes: nombreSaisi(p.femmes),
    publicHommes: nombreSaisi(p.hommes),
    publicPartQpv: nombreSaisi(p.partQpv),
    publicDescription: p.description,
    thematique: contenu.thematique ?? '',
  };
  for (const l of contenu.charges) valeurs[nomCharge(l.compte)] = montantSaisi(l.montantCentimes);
  for (const l of contenu.autresProduits) valeurs[nomProduit(l.compte)] = montantSaisi(l.montantCentimes);
  for (const f of financements) if (f.financeurId && ctx.financeurs.some((x) => x.id === f.financeurId)) valeurs[nomFinanceur(f.financeurId)] = montantSaisi(f.demandeCentimes);
  financements
    .filter((f) => f.financeurId === null)
    .slice(0, MAX_AUTRES_FINANCEURS)
    .forEach((f, i) => {
      valeurs[nomAutre(i, 'Libelle')] = f.libelle;
      valeurs[nomAutre(i, 'Montant')] = montantSaisi(f.demandeCentimes);
    });
  return { valeurs, territoires: [...contenu.territoireIds], noeuds: [...contenu.noeudRefs] };
}

const texte = (max: number) => z.string().trim().max(max, { error: `Ce champ doit compter au plus ${max} caractères.` });
const titre = texte(200).min(1, { error: 'Donnez un titre au projet.' });
const jour = z.union([z.literal(''), z.iso.date({ error: 'Saisissez une date au format AAAA-MM-JJ, par exemple 2026-09-01.' })]);
const entier = z
  .string()
  .transform((s) => s.replace(/\s/g, ''))
  .pipe(z.union([z.literal(''), z.string().regex(/^\d{1,7}$/, { error: 'Saisissez un nombre entier de personnes, par exemple 120.' })]))
  .transform((s) => (s === '' ? null : Number(s)));
const pourcentage = z
  .string()
  .transform((s) => s.replace(/[\s%]/g, '').replace(',', '.'))
  .pipe(z.union([z.literal(''), z.string().regex(/^\d{1,3}(\.\d)?$/, { error: 'Saisissez un pourcentage entre 0 et 100, par exemple 65.' })]))
  .transform((s) => (s === '' ? null : Number(s)))
  .refine((n) => n === null || n <= 100, { error: 'Saisissez un pourcentage entre 0 et 100, par exemple 65.' });
const montant = z
  .string()
  .transform((s) => (s.trim() === '' ? null : (centimes(s) ?? Number.NaN)))
  .refine((c) => c === null || !Number.isNaN(c), { error: 'Saisissez un montant en euros, par exemple 12 500,50.' });

export type LectureDemande = {
  saisie: SaisieDemande;
  erreurs: FieldErrors;
  /** What to save: each field that parsed, the stored value for each one that did not. */
  contenu: ContenuDossier;
  financements: FinancementSaisi[];
  version: number | null;
};

const chaine = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const liste = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

/** Reads the posted form against the campaign, falling back on `actuel` for each field in error. */
export function lireDemande(body: Record<string, unknown>, ctx: ContexteDemande, actuel: { contenu: ContenuDossier; financements: readonly FinancementSaisi[] }): LectureDemande {
  const valeurs: Record<string, string> = {};
  const erreurs: FieldErrors = {};
  const lire = <T>(nom: string, schema: z.ZodType<T>, sinon: T): T => {
    const brut = chaine(body[nom]);
    valeurs[nom] = brut;
    const r = schema.safeParse(brut);
    if (r.success) return r.data;
    erreurs[nom] = r.error.issues[0]!.message;
    return sinon;
  };
  const a = actuel.contenu;
  const dateDebut = lire('dateDebut', jour, a.dateDebut ?? '') || null;
  let dateFin = lire('dateFin', jour, a.dateFin ?? '') || null;
  if (dateDebut && dateFin && dateFin < dateDebut && !erreurs.dateFin) {
    erreurs.dateFin = 'La date de fin doit être le jour de début ou après.';
    dateFin = a.dateFin;
  }
  const contenu: ContenuDossier = {
    titre: lire('titre', titre, a.titre),
    objectifs: lire('objectifs', texte(5000), a.objectifs),
    description: lire('description', texte(10000), a.description),
    dateDebut,
    dateFin,
    lieux: lire('lieux', texte(2000), a.lieux),
    public: {
      nombre: lire('publicNombre', entier, a.public.nombre),
      ages: lire('publicAges', texte(500), a.public.ages),
      femmes: lire('publicFemmes', entier, a.public.femmes),
      hommes: lire('publicHommes', entier, a.public.hommes),
      partQpv: lire('publicPartQpv', pourcentage, a.public.partQpv),
      description: lire('publicDescription', texte(5000), a.public.description),
    },
    territoireIds: [],
    noeudRefs: [],
    thematique: lire('thematique', z.string().refine((t) => t === '' || ctx.campagne.thematiques.includes(t), { error: 'Choisissez une thématique de la liste.' }), a.thematique ?? '') || null,
    charges: [],
    autresProduits: [],
  };

  const territoires = liste(body.territoires);
  const noeuds = liste(body.noeuds);
  if (territoires.some((t) => !ctx.campagne.territoireIds.includes(t))) erreurs.territoires = 'Cochez des quartiers de la liste de l’appel.';
  if (noeuds.some((r) => !ctx.campagne.prioriteRefs.includes(r))) erreurs.noeuds = 'Cochez des objectifs de la liste de l’appel.';
  contenu.territoireIds = erreurs.territoires ? [...a.territoireIds] : [...new Set(territoires)];
  contenu.noeudRefs = erreurs.noeuds ? [...a.noeudRefs] : [...new Set(noeuds)];

  const lignes = (comptes: typeof COMPTES_CHARGES, nom: (c: string) => string, stockees: LigneBudget[]): LigneBudget[] =>
    comptes.flatMap(({ compte, libelle }) => {
      const c = lire(nom(compte), montant, null);
      if (erreurs[nom(compte)]) return stockees.filter((l) => l.compte === compte);
      return c === null ? [] : [{ compte, libelle, montantCentimes: c }];
    });
  contenu.charges = lignes(COMPTES_CHARGES, nomCharge, a.charges);
  contenu.autresProduits = lignes(COMPTES_PRODUITS, nomProduit, a.autresProduits);

  const financements: FinancementSaisi[] = [];
  for (const f of ctx.financeurs) {
    const nom = nomFinanceur(f.id);
    const c = lire(nom, montant, null);
    const avant = actuel.financements.find((x) => x.financeurId === f.id);
    if (erreurs[nom]) {
      if (avant) financements.push(avant);
    } else if (c !== null) financements.push({ financeurId: f.id, libelle: f.nom, demandeCentimes: c });
  }
  const autresAvant = actuel.financements.filter((f) => f.financeurId === null);
  for (let i = 0; i < MAX_AUTRES_FINANCEURS; i++) {
    const nomL = nomAutre(i, 'Libelle');
    const nomM = nomAutre(i, 'Montant');
    const libelle = lire(nomL, texte(200), '');
    const c = lire(nomM, montant, null);
    if (!erreurs[nomL] && !erreurs[nomM]) {
      if (libelle && c === null) erreurs[nomM] = 'Indiquez le montant demandé à ce cofinanceur.';
      if (!libelle && c !== null) erreurs[nomL] = 'Nommez ce cofinanceur.';
    }
    if (erreurs[nomL] || erreurs[nomM]) {
      if (autresAvant[i]) financements.push(autresAvant[i]!);
    } else if (libelle && c !== null) financements.push({ financeurId: null, libelle, demandeCentimes: c });
  }

  const v = chaine(body.version);
  const version = /^\d{1,9}$/.test(v) ? Number(v) : null;
  return { saisie: { valeurs, territoires, noeuds }, erreurs, contenu, financements, version };
}
