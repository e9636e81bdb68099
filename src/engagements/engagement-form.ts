import { createHash } from 'node:crypto';
import { z } from '../platform/validation.ts';
import { NATURES_CIBLE } from './model.ts';
import type { EngagementRow } from './store.ts';
import type { EngagementSaisi } from './preparation.ts';

// The form of a commitment recorded or maintained by the direction de projet: its fields as typed, the
// reading of the two multi-line fields (milestones, items of the tree), and the fingerprint of what was
// loaded, so that a save made from an outdated page is refused rather than overwriting someone's change.

export type Jalon = { date: string; valeur: string };

export const LIBELLES_CHAMPS = {
  intitule: 'Intitulé',
  organisation: 'Porteur',
  dispositif: 'Dispositif',
  thematique: 'Thématique',
  indicateur: 'Indicateur',
  unite: 'Unité',
  sens: 'Sens',
  nature: 'Nature de la cible',
  reference: 'Valeur de référence',
  cible: 'Cible',
  echeance: 'Échéance',
  noeuds: 'Éléments de l’arbre du contrat',
  jalons: 'Jalons',
  source: 'Source',
} as const;
export type ChampEngagement = keyof typeof LIBELLES_CHAMPS;
export const CHAMPS_ENGAGEMENT = Object.keys(LIBELLES_CHAMPS) as ChampEngagement[];
/** A commitment printed in the documents keeps its figures and sources: only who answers for it, where it hangs and its milestones change. */
export const CHAMPS_DOCUMENT = ['organisation', 'noeuds', 'jalons'] as const satisfies readonly ChampEngagement[];

/** The form's values as strings, exactly as typed or as stored; `avant` is the fingerprint of what the page was built from. */
export type SaisieEngagement = Record<ChampEngagement, string> & { avant: string };

/** The fields as the store writes them: those of a commitment from the documents, plus who owns it and its milestones. */
export type ChampsEngagement = Pick<EngagementSaisi, 'intitule' | 'dispositif' | 'thematique' | 'indicateur' | 'unite' | 'sens' | 'nature' | 'reference' | 'cible' | 'echeance' | 'noeudRefs'> & {
  organisationId: string | null;
  jalons: Jalon[];
  source: string | null;
};
export type ChampsDocument = Pick<ChampsEngagement, 'organisationId' | 'noeudRefs' | 'jalons'>;

export const SOURCE_PAR_DEFAUT = 'Saisi dans Pilotis';
export const MAX_JALONS = 50;
export const MAX_NOEUDS = 50;

/** Recorded in Pilotis rather than read from the documents: every source says so. */
export function saisiDansPilotis(e: Pick<EngagementRow, 'sources'>): boolean {
  return e.sources.length > 0 && e.sources.every((s) => s.origine === 'saisie');
}

/** A real calendar day written AAAA-MM-JJ: 2016-02-30 is not one. */
function estDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

const EXEMPLE_JALON = '« 2017-12-31 : 50 % »';

/** Milestones typed one a line, "AAAA-MM-JJ : valeur", read in date order; each wrong line named by its number. */
export function lireJalons(texte: string): { jalons: Jalon[]; erreurs: string[] } {
  const jalons: Jalon[] = [];
  const erreurs: string[] = [];
  texte.split(/\r?\n/).forEach((brute, i) => {
    const ligne = brute.trim();
    if (!ligne) return;
    const m = /^([^\s:]+)\s*:\s*(.*)$/.exec(ligne);
    if (!m || !/^\d{4}-\d{2}-\d{2}$/.test(m[1]!)) {
      erreurs.push(`Ligne ${i + 1} : écrivez la date puis la valeur, par exemple ${EXEMPLE_JALON}.`);
    } else if (!estDate(m[1]!)) {
      erreurs.push(`Ligne ${i + 1} : le ${m[1]} n’existe pas dans le calendrier.`);
    } else if (!m[2]!.trim()) {
      erreurs.push(`Ligne ${i + 1} : indiquez la valeur attendue à cette date, par exemple ${EXEMPLE_JALON}.`);
    } else if (m[2]!.trim().length > 200) {
      erreurs.push(`Ligne ${i + 1} : la valeur doit compter au plus 200 caractères.`);
    } else {
      jalons.push({ date: m[1]!, valeur: m[2]!.trim() });
    }
  });
  if (jalons.length + erreurs.length > MAX_JALONS) erreurs.push(`Saisissez au plus ${MAX_JALONS} jalons.`);
  return { jalons: jalons.sort((a, b) => a.date.localeCompare(b.date)), erreurs };
}

export function ecrireJalons(jalons: readonly Jalon[]): string {
  return jalons.map((j) => `${j.date} : ${j.valeur}`).join('\n');
}

// An item of the tree is named like its page's address: "1.2" or "1.2.3/P1/OO1/A1/L3".
const REF_NOEUD = /^[\w.-]+(?:\/[\w.-]+)*$/;

/** References of items of the tree, separated by commas or new lines, each once, in the order typed. */
export function lireRefs(texte: string): { refs: string[]; invalides: string[] } {
  const morceaux = texte
    .split(/[,\n\r]/)
    .map((r) => r.trim())
    .filter(Boolean);
  const uniques = [...new Set(morceaux)];
  return { refs: uniques.filter((r) => r.length <= 120 && REF_NOEUD.test(r)), invalides: uniques.filter((r) => r.length > 120 || !REF_NOEUD.test(r)) };
}

/** The message naming the references the tree does not have. */
export function messageRefsInconnues(inconnues: readonly string[]): string {
  const liste = inconnues.map((r) => `« ${r} »`).join(', ');
  return inconnues.length === 1 ? `L’arbre du contrat n’a pas d’élément ${liste}.` : `L’arbre du contrat n’a pas d’éléments ${liste}.`;
}

const ouNull = (v: string) => (v === '' ? null : v);
const texte = (max: number) => z.string({ error: 'Saisissez un texte.' }).trim().max(max, { error: `Ce champ doit compter au plus ${max} caractères.` }).default('');
const texteFacultatif = (max: number) => texte(max).transform(ouNull);

function champsDocument(organisationIds: readonly string[]) {
  return {
    organisation: z
      .string({ error: 'Choisissez le porteur dans la liste.' })
      .default('')
      .refine((v) => v === '' || organisationIds.includes(v), { error: 'Choisissez le porteur dans la liste.' })
      .transform(ouNull),
    noeuds: z
      .string({ error: 'Saisissez des références d’éléments de l’arbre.' })
      .default('')
      .transform((v, ctx) => {
        const { refs, invalides } = lireRefs(v);
        if (invalides.length) ctx.addIssue({ code: 'custom', message: `${invalides.map((r) => `« ${r} »`).join(', ')} : une référence s’écrit comme 1.2 ou 1.2.3/P1/OO1/A1/L3.` });
        else if (refs.length > MAX_NOEUDS) ctx.addIssue({ code: 'custom', message: `Rattachez l’engagement à au plus ${MAX_NOEUDS} éléments.` });
        return refs;
      }),
    jalons: z
      .string({ error: 'Saisissez les jalons, un par ligne.' })
      .default('')
      .transform((v, ctx) => {
        const { jalons, erreurs } = lireJalons(v);
        if (erreurs.length) ctx.addIssue({ code: 'custom', message: erreurs.join(' ') });
        return jalons;
      }),
    avant: z.string().default(''),
  };
}

/** The form of a commitment from the documents: who answers for it, where it hangs in the tree, its milestones. */
export function schemaDocument(organisationIds: readonly string[]) {
  return z.object(champsDocument(organisationIds)).transform(({ organisation, noeuds, jalons, avant }) => ({
    avant,
    champs: { organisationId: organisation, noeudRefs: noeuds, jalons } satisfies ChampsDocument,
  }));
}

/** The form of a commitment recorded in Pilotis: every field. */
export function schemaEngagement(organisationIds: readonly string[]) {
  return z
    .object({
      ...champsDocument(organisationIds),
      intitule: texte(500).refine((v) => v !== '', { error: 'Saisissez l’intitulé de l’engagement.' }),
      dispositif: texteFacultatif(300),
      thematique: texteFacultatif(300),
      indicateur: texteFacultatif(500),
      unite: texteFacultatif(100),
      sens: z.enum(['hausse', 'baisse'], { error: 'Choisissez le sens : à la hausse ou à la baisse.' }),
      nature: z.enum(NATURES_CIBLE, { error: 'Choisissez une nature de cible dans la liste.' }),
      reference: texteFacultatif(200),
      cible: texteFacultatif(200),
      echeance: texteFacultatif(100),
      source: texteFacultatif(2000),
    })
    .transform(({ organisation, noeuds, avant, ...v }) => ({
      avant,
      champs: { ...v, organisationId: organisation, noeudRefs: noeuds } satisfies ChampsEngagement,
    }));
}

/** The fields of a stored commitment, to fill the form. */
export function saisieDeEngagement(e: EngagementRow): SaisieEngagement {
  const source = saisiDansPilotis(e) ? (e.sources[0]?.texte ?? '') : '';
  return {
    intitule: e.intitule,
    organisation: e.organisationId ?? '',
    dispositif: e.dispositif ?? '',
    thematique: e.thematique ?? '',
    indicateur: e.indicateur ?? '',
    unite: e.unite ?? '',
    sens: e.sens,
    nature: e.nature,
    reference: e.reference ?? '',
    cible: e.cible ?? '',
    echeance: e.echeance ?? '',
    noeuds: e.noeudRefs.join('\n'),
    jalons: ecrireJalons(e.jalons),
    source: source === SOURCE_PAR_DEFAUT ? '' : source,
    avant: empreinteEngagement(e),
  };
}

/** What the person typed, field by field, even where it is not valid. */
export function saisieDuFormulaire(body: Record<string, unknown>): SaisieEngagement {
  const s = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  return { ...(Object.fromEntries(CHAMPS_ENGAGEMENT.map((c) => [c, s(c)])) as Record<ChampEngagement, string>), avant: s('avant') };
}

/** An empty form: a new commitment aims upward until said otherwise. */
export function saisieVide(): SaisieEngagement {
  return { ...(Object.fromEntries(CHAMPS_ENGAGEMENT.map((c) => [c, ''])) as Record<ChampEngagement, string>), sens: 'hausse', avant: '' };
}

/**
 * The fingerprint of what the form lets this commitment change, as stored: compared again under lock when
 * the form comes back. Milestones are written as pairs so that the order of keys in the database counts for nothing.
 */
export function empreinteEngagement(e: EngagementRow): string {
  const communs = [e.organisationId, e.noeudRefs, e.jalons.map((j) => [j.date, j.valeur])];
  const tous = saisiDansPilotis(e)
    ? [...communs, e.intitule, e.dispositif, e.thematique, e.indicateur, e.unite, e.sens, e.nature, e.reference, e.cible, e.echeance, e.sources.map((s) => s.texte)]
    : communs;
  return createHash('sha256').update(JSON.stringify(tous)).digest('hex');
}
