import { z } from '../platform/validation.ts';
import { lireChiffre } from './model.ts';
import type { FicheComplete } from './store.ts';
import type { ChampsFiche, MesureSaisie } from './saisie-store.ts';

// The form of a sheet: one flat set of fields (a browser posts flat fields), named after the measure's
// rank ("resultat_2"), so that each error points at its own field. What was typed is kept as typed,
// to be shown again whatever happens (an error, a conflict, entry closed meanwhile).

export const PERIMETRES = ['paris', 'qpv'] as const;
export const LIBELLES_PERIMETRE: Record<(typeof PERIMETRES)[number], string> = { paris: 'Paris', qpv: 'Quartiers prioritaires (QPV)' };

export const CHAMPS_TEXTE = ['methodologie', 'analyse', 'pointsAlerte', 'ajustement'] as const;
export type ChampTexte = (typeof CHAMPS_TEXTE)[number];
export const LIBELLES_TEXTE: Record<ChampTexte, string> = {
  methodologie: 'Méthodologie',
  analyse: 'Analyse du taux',
  pointsAlerte: 'Points d’alerte',
  ajustement: 'Ajustement',
};
export const MAX_TEXTE = 5000;
const MAX_RESULTAT = 200;
const MAX_TAUX = 50;

export const CHAMPS_MESURE = { resultat: 'Résultat', dateResultat: 'Date du résultat', provisoire: 'Résultat provisoire', perimetre: 'Périmètre', tauxDeclare: 'Taux déclaré' } as const;
export type ChampMesure = keyof typeof CHAMPS_MESURE;
/** The name of a measure's field in the form: "resultat_2". */
export const nomChamp = (champ: ChampMesure, rang: number) => `${champ}_${rang}`;

export const MESSAGE_RESULTAT = 'Le résultat doit être un chiffre, par exemple 18,5 % ou 2 500.';
export const MESSAGE_TAUX = 'Le taux déclaré doit être un chiffre, par exemple 85 %.';

export type SaisieMesure = { resultat: string; dateResultat: string; provisoire: boolean; perimetre: string; tauxDeclare: string };
/** The form's values as strings, exactly as typed or as stored. */
export type SaisieFiche = { version: string; textes: Record<ChampTexte, string>; mesures: Record<number, SaisieMesure> };

type MesureDuFormulaire = { rang: number; nature: string; sousMesure: string | null; libelle: string | null };

const quantitative = (nature: string) => nature !== 'qualitatif' && nature !== 'jalon';
/** A real calendar day written AAAA-MM-JJ (a date input's value): 2016-02-30 is not one. */
function estDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}
const texte = (max: number) => z.string().trim().max(max, { error: `Ce texte doit compter au plus ${max} caractères.` }).default('');
const ouNull = (v: string) => (v === '' ? null : v);

/** The fields of a sheet as stored, to fill the form. */
export function saisieDeFiche(f: FicheComplete): SaisieFiche {
  return {
    version: String(f.version),
    textes: { methodologie: f.methodologie ?? '', analyse: f.analyse ?? '', pointsAlerte: f.pointsAlerte ?? '', ajustement: f.ajustement ?? '' },
    mesures: Object.fromEntries(
      f.mesures.map((m) => [
        m.rang,
        { resultat: m.resultat ?? '', dateResultat: m.dateResultat ?? '', provisoire: m.provisoire, perimetre: m.perimetre ?? '', tauxDeclare: m.tauxDeclare ?? '' },
      ]),
    ),
  };
}

/** What the person typed, field by field, even where it is not valid. */
export function saisieDuFormulaire(body: Record<string, unknown>, mesures: readonly MesureDuFormulaire[]): SaisieFiche {
  const s = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  return {
    version: s('version'),
    textes: { methodologie: s('methodologie'), analyse: s('analyse'), pointsAlerte: s('pointsAlerte'), ajustement: s('ajustement') },
    mesures: Object.fromEntries(
      mesures.map((m) => [
        m.rang,
        {
          resultat: s(nomChamp('resultat', m.rang)),
          dateResultat: s(nomChamp('dateResultat', m.rang)),
          provisoire: s(nomChamp('provisoire', m.rang)) === 'oui',
          perimetre: s(nomChamp('perimetre', m.rang)),
          tauxDeclare: s(nomChamp('tauxDeclare', m.rang)),
        },
      ]),
    ),
  };
}

export type FicheValidee = { version: number; etape: 'enregistrer' | 'soumettre' | 'ajouter_mesure'; champs: ChampsFiche; mesures: MesureSaisie[] };

/**
 * The schema of a sheet's form. A quantitative measure's result must be a figure Pilotis can read (the rate
 * is computed from it); a milestone or a qualitative measure takes any text. The declared rate, when
 * given, is a figure too.
 */
export function schemaFiche(mesures: readonly MesureDuFormulaire[]) {
  const forme: Record<string, z.ZodType> = {
    version: z.coerce.number({ error: 'La version de la fiche est manquante : rechargez la page.' }).int().positive(),
    action: z.enum(['enregistrer', 'soumettre', 'ajouter_mesure'], { error: 'Choisissez « Enregistrer le brouillon » ou « Soumettre ».' }).default('enregistrer'),
  };
  for (const c of CHAMPS_TEXTE) forme[c] = texte(MAX_TEXTE);
  for (const m of mesures) {
    forme[nomChamp('resultat', m.rang)] = texte(MAX_RESULTAT).refine((v) => v === '' || !quantitative(m.nature) || lireChiffre(v) !== null, { error: MESSAGE_RESULTAT });
    forme[nomChamp('dateResultat', m.rang)] = z.string().trim().default('').refine((v) => v === '' || estDate(v), { error: 'Saisissez une date au format AAAA-MM-JJ.' });
    forme[nomChamp('provisoire', m.rang)] = z.literal('oui').optional();
    forme[nomChamp('perimetre', m.rang)] = z.enum(['', ...PERIMETRES], { error: 'Choisissez Paris ou les quartiers prioritaires.' }).default('');
    forme[nomChamp('tauxDeclare', m.rang)] = texte(MAX_TAUX).refine((v) => v === '' || lireChiffre(v) !== null, { error: MESSAGE_TAUX });
  }
  return z.object(forme).transform((v): FicheValidee => {
    const champ = (name: string) => v[name] as string;
    return {
      version: v.version as number,
      etape: v.action as FicheValidee['etape'],
      champs: { methodologie: ouNull(champ('methodologie')), analyse: ouNull(champ('analyse')), pointsAlerte: ouNull(champ('pointsAlerte')), ajustement: ouNull(champ('ajustement')) },
      mesures: mesures.map((m) => ({
        rang: m.rang,
        resultat: ouNull(champ(nomChamp('resultat', m.rang))),
        dateResultat: ouNull(champ(nomChamp('dateResultat', m.rang))),
        provisoire: v[nomChamp('provisoire', m.rang)] === 'oui',
        perimetre: ouNull(champ(nomChamp('perimetre', m.rang))),
        tauxDeclare: ouNull(champ(nomChamp('tauxDeclare', m.rang))),
      })),
    };
  });
}

/**
 * A date printed in a document ("avril 2016") cannot be shown in a date field: left empty, the field
 * keeps it rather than erasing it.
 */
export function garderDatesImprimees(saisie: FicheValidee, stockees: readonly { rang: number; dateResultat: string | null }[]): FicheValidee {
  const imprimee = (rang: number) => {
    const d = stockees.find((m) => m.rang === rang)?.dateResultat ?? null;
    return d !== null && !estDate(d) ? d : null;
  };
  return { ...saisie, mesures: saisie.mesures.map((m) => ({ ...m, dateResultat: m.dateResultat ?? imprimee(m.rang) })) };
}

/** How a measure is named in the form and in the error summary: "Mesure 2 (a) — Nombre de bénéficiaires". */
export function nomMesure(m: MesureDuFormulaire): string {
  const numero = `Mesure ${m.rang}${m.sousMesure ? ` (${m.sousMesure})` : ''}`;
  return m.libelle ? `${numero} — ${m.libelle}` : numero;
}

/** The labels the error summary gives each field. */
export function libellesFormulaire(mesures: readonly MesureDuFormulaire[]): Record<string, string> {
  const out: Record<string, string> = { ...LIBELLES_TEXTE, version: 'Version de la fiche', action: 'Action' };
  for (const m of mesures) for (const [champ, libelle] of Object.entries(CHAMPS_MESURE)) out[nomChamp(champ as ChampMesure, m.rang)] = `${nomMesure(m)} : ${libelle}`;
  return out;
}

// ——— The direction's steps and the campaign's forms ———

export const ETAPES_DIRECTION = ['valider', 'renvoyer', 'rouvrir'] as const;
export type EtapeDirection = (typeof ETAPES_DIRECTION)[number];
export const schemaEtape = z.object({
  etape: z.enum(ETAPES_DIRECTION, { error: 'Étape inconnue.' }),
  version: z.coerce.number({ error: 'La version de la fiche est manquante : rechargez la page.' }).int().positive(),
  commentaire: texte(2000),
});

const annee = z.coerce.number({ error: 'Saisissez une année, par exemple 2016.' }).int({ error: 'Saisissez une année, par exemple 2016.' }).min(2000, { error: 'L’année doit être comprise entre 2000 et 2100.' }).max(2100, { error: 'L’année doit être comprise entre 2000 et 2100.' });
const echeance = z.string({ error: 'Saisissez la date d’échéance.' }).trim().min(1, { error: 'Saisissez la date d’échéance.' }).refine(estDate, { error: 'Saisissez une date au format AAAA-MM-JJ.' });
export const schemaOuverture = z.object({ annee, echeance });
export const LIBELLES_OUVERTURE = { annee: 'Année', echeance: 'Échéance de la saisie' };
export const schemaEcheance = z.object({ echeance });
export const schemaBascule = z.object({ valeur: z.enum(['oui', 'non'], { error: 'Valeur attendue : oui ou non.' }) });
