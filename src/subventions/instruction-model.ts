import { z } from '../platform/validation.ts';
import { centimes, etapesPossibles, type EtapeDossier, type RoleDossier, type StatutDossier } from './model.ts';

// Instruction of a file, as pure rules: the current opinion per funder, what each role sees of a file,
// the forms of the file page, the instructors' list and its filters.

export const AVIS = ['favorable', 'reserve', 'defavorable'] as const;
export type Avis = (typeof AVIS)[number];
export const LIBELLES_AVIS: Record<Avis, string> = { favorable: 'Favorable', reserve: 'Réservé', defavorable: 'Défavorable' };
export const libelleAvis = (a: string) => LIBELLES_AVIS[a as Avis] ?? a;

/** The latest opinion given for each funder of a file: opinions are kept, the newest one counts. */
export function avisCourants<T extends { financeurId: string; le: Date }>(avis: readonly T[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const a of avis) {
    const actuel = out.get(a.financeurId);
    if (!actuel || a.le.getTime() >= actuel.le.getTime()) out.set(a.financeurId, a);
  }
  return out;
}

const INSTRUCTEURS: readonly RoleDossier[] = ['agent_territorial', 'direction_projet'];
const estInstructeur = (role: RoleDossier | null): boolean => role !== null && INSTRUCTEURS.includes(role);
const estDecide = (statut: string): boolean => statut === 'accepte' || statut === 'refuse';

export type VueDossier = {
  /** Opinions per funder, private annotations, step buttons, proposed amounts. */
  instruction: boolean;
  /** Granted amounts and the decision: once the committee has decided, for everyone who sees the file. */
  decision: boolean;
  /** May write in the conversation about the file. */
  messages: boolean;
  /** The association's own draft: its page leads back to the request form. */
  brouillon: boolean;
  /** The association is asked for a correction: the request, and the form to answer it. */
  complement: boolean;
  /** The steps offered as buttons. */
  etapes: EtapeDossier[];
  /** Opinions may still be given: once the file is decided (or closed) they would rewrite what the committee decided on. */
  avis: boolean;
};

/** The states in which instructors give opinions per funder. */
export const STATUTS_AVIS: readonly StatutDossier[] = ['depose', 'en_instruction', 'complement_demande', 'propose'];

/** Accepting and refusing, with the granted amounts, belong to the programming committee's table. */
export const ETAPES_DU_COMITE: readonly EtapeDossier[] = ['accepter', 'refuser'];

/** What a person sees of a file and may do on its page, from the role in which they act on it. */
export function vueDossier(role: RoleDossier | null, statut: StatutDossier): VueDossier {
  const instruction = estInstructeur(role);
  return {
    instruction,
    decision: estDecide(statut),
    messages: role !== null && statut !== 'brouillon',
    brouillon: role === 'association' && statut === 'brouillon',
    complement: role === 'association' && statut === 'complement_demande',
    // Submitting is the request form's own button; completing is the association's answer form.
    etapes: instruction ? etapesPossibles(statut, role!).filter((e) => e !== 'deposer' && e !== 'completer' && !ETAPES_DU_COMITE.includes(e)) : [],
    avis: instruction && STATUTS_AVIS.includes(statut),
  };
}

/** Steps that need a text: the request sent to the association, the motif of a refusal or a closing. */
export const TEXTE_ETAPE: Partial<Record<EtapeDossier, { libelle: string; aide: string; requis: string }>> = {
  demander_complement: {
    libelle: 'Message à l’association',
    aide: 'Ce qui manque ou doit être corrigé. L’association le lit sur la page du dossier et y répond.',
    requis: 'Écrivez à l’association ce qu’elle doit compléter ou corriger.',
  },
  completer: {
    libelle: 'Votre réponse',
    aide: 'Ce que vous avez corrigé ou ajouté. Modifiez d’abord la demande si l’équipe d’instruction le demande.',
    requis: 'Écrivez votre réponse à l’équipe d’instruction.',
  },
  refuser: { libelle: 'Motif du refus', aide: 'Il est communiqué à l’association.', requis: 'Indiquez le motif du refus.' },
  classer: { libelle: 'Motif du classement sans suite', aide: 'Il est communiqué à l’association.', requis: 'Indiquez le motif du classement sans suite.' },
};

export const MAX_TEXTE = 5000;
const texte = (requis: string) => z.string({ error: requis }).trim().min(1, requis).max(MAX_TEXTE, `${MAX_TEXTE} caractères au plus.`);

export const schemaMessage = z.object({ texte: texte('Écrivez votre message.') });
export const schemaAnnotation = z.object({ texte: texte('Écrivez votre annotation.') });

export function schemaEtape(etape: EtapeDossier) {
  const t = TEXTE_ETAPE[etape];
  return z.object({
    version: z.coerce.number({ error: 'Rechargez la page.' }).int().positive(),
    commentaire: t ? texte(t.requis) : z.string().trim().max(MAX_TEXTE).optional().transform(() => null),
  });
}

export const schemaAvis = z.object({
  financeur: z.guid({ error: 'Choisissez un financeur.' }),
  avis: z.enum(AVIS, { error: 'Choisissez un avis : favorable, réservé ou défavorable.' }),
  propose: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const c = centimes(v);
      if (c === null) ctx.addIssue({ code: 'custom', message: 'Saisissez un montant en euros, par exemple 4 500 ou 4 500,50.' });
      return c;
    }),
  commentaire: z.string().trim().max(MAX_TEXTE, `${MAX_TEXTE} caractères au plus.`).default(''),
});

// --- The instructors' list ---------------------------------------------------------------------

/**
 * The territories a file concerns for access rules: its QPV and the arrondissements they lie in. One rule
 * for acces.ts (one file) and the instructors' list (a whole campaign from one list of territories).
 */
export function territoiresDuDossier(ids: readonly string[], territoires: readonly { id: string; parentIds: readonly string[] }[]): string[] {
  const out = new Set(ids);
  for (const t of territoires) if (out.has(t.id)) t.parentIds.forEach((p) => out.add(p));
  return [...out];
}

export const STATUTS_INSTRUCTION = ['depose', 'en_instruction', 'complement_demande', 'propose', 'accepte', 'refuse', 'sans_suite'] as const satisfies readonly StatutDossier[];

export type LigneInstruction = {
  id: string;
  reference: string;
  association: string;
  fictive: boolean;
  titre: string;
  statut: StatutDossier;
  qpv: { id: string; nom: string }[];
  financeurIds: string[];
  demandeCentimes: number;
  avis: { financeur: string; avis: string }[];
};

/** An empty field of a GET form is no filter. */
const facultatif = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const schemaFiltres = z.object({
  statut: facultatif(z.enum(STATUTS_INSTRUCTION, { error: 'Choisissez un statut de la liste.' })),
  qpv: facultatif(z.guid({ error: 'Choisissez un quartier de la liste.' })),
  financeur: facultatif(z.guid({ error: 'Choisissez un financeur de la liste.' })),
  texte: z.string().trim().max(200, '200 caractères au plus.').optional(),
});
export type FiltresInstruction = z.infer<typeof schemaFiltres>;

const sansAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function filtrerDossiers(lignes: readonly LigneInstruction[], f: FiltresInstruction): LigneInstruction[] {
  const texte = f.texte ? sansAccents(f.texte) : '';
  return lignes.filter(
    (l) =>
      (!f.statut || l.statut === f.statut) &&
      (!f.qpv || l.qpv.some((q) => q.id === f.qpv)) &&
      (!f.financeur || l.financeurIds.includes(f.financeur)) &&
      (!texte || sansAccents(`${l.reference} ${l.titre} ${l.association}`).includes(texte)),
  );
}

/** How many files per state, in the order of the life of a file (states with none left out). */
export function compterParStatut(lignes: readonly { statut: StatutDossier }[]): { statut: StatutDossier; nombre: number }[] {
  return STATUTS_INSTRUCTION.map((statut) => ({ statut, nombre: lignes.filter((l) => l.statut === statut).length })).filter((c) => c.nombre > 0);
}
