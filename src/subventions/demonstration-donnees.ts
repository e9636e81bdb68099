import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from '../platform/validation.ts';
import { ETAPES_DOSSIER, STATUTS_DOSSIER, TRANSITIONS_DOSSIER, type StatutDossier } from './model.ts';
import { aujourdhuiParis } from './acces.ts';

// The demonstration call for projects as written in its data file, and the pure rules that date it:
// next year's campaign follows the installation's calendar, its steps are never in the future.

const fichier = new URL('../../data/demonstration/appel-a-projets.json', import.meta.url);

// Amounts are written in whole euros in the data file, for whoever reads or edits it.
const euros = z.number().int().nonnegative();
const ligne = z.object({ compte: z.string().regex(/^\d{2,}$/), libelle: z.string().min(1), montant: euros });
// A moment of a campaign: days after its opening, Paris time.
const moment = { jour: z.number().int().nonnegative(), heure: z.string().regex(/^\d{2}:\d{2}$/) };
// A project's dates are written MM-JJ and fall in the campaign's year.
const jourDuProjet = z.string().regex(/^\d{2}-\d{2}$/);
const entier = z.number().int().nonnegative().nullable();

const dossierDemo = z
  .object({
    cle: z.string(),
    association: z.string(),
    statut: z.enum(STATUTS_DOSSIER),
    dupliqueDe: z.string().optional(),
    titre: z.string().min(1),
    objectifs: z.string(),
    description: z.string(),
    dateDebut: jourDuProjet.nullable(),
    dateFin: jourDuProjet.nullable(),
    lieux: z.string(),
    public: z.object({ nombre: entier, ages: z.string(), femmes: entier, hommes: entier, partQpv: entier, description: z.string() }),
    quartiers: z.array(z.string()).min(1),
    priorites: z.array(z.string()).min(1),
    thematique: z.string(),
    charges: z.array(ligne),
    autresProduits: z.array(ligne),
    financements: z.array(
      z
        .object({ financeur: z.string().nullable(), libelle: z.string().optional(), demande: euros, propose: euros.optional(), accorde: euros.optional() })
        .refine((f) => f.financeur !== null || f.libelle, 'Un co-financeur hors campagne a besoin d’un libellé.'),
    ),
    etapes: z.array(z.object({ etape: z.enum(ETAPES_DOSSIER), ...moment, par: z.string().min(1), commentaire: z.string().nullable() })),
    decisionMotif: z.string().optional(),
    avis: z.array(z.object({ financeur: z.string(), avis: z.enum(['favorable', 'reserve', 'defavorable']), propose: euros.nullable(), commentaire: z.string(), auteur: z.string(), ...moment })),
    messages: z.array(z.object({ cote: z.enum(['association', 'instruction']), texte: z.string().min(1), auteur: z.string(), ...moment })),
    annotations: z.array(z.object({ texte: z.string().min(1), auteur: z.string(), ...moment })),
  })
  .strict();

const demonstrationFile = z.object({
  source: z.string(),
  demonstration: z.string().min(1),
  fictive: z.string().min(1),
  priorites: z.array(z.string()).min(1),
  thematiques: z.array(z.string()).min(1),
  groupes: z.array(z.object({ nom: z.string(), membres: z.string(), quartiers: z.array(z.string()) })),
  associations: z.array(
    z.object({
      cle: z.string(),
      nom: z.string().endsWith('(fictive)'),
      sigle: z.string().nullable(),
      siret: z.string(),
      rna: z.string(),
      qpv: z.string(),
      adresse: z.string(),
      objet: z.string(),
      courriel: z.string().endsWith('@example.org'),
      telephone: z.string(),
      representants: z.array(z.object({ qualite: z.string(), prenom: z.string(), nom: z.string(), courriel: z.string().endsWith('@example.org'), telephone: z.string() })).min(1),
    }),
  ),
  campagnes: z.array(
    z.object({
      cle: z.string(),
      // null: next year's campaign, opened on the first day of the month it is installed in.
      annee: z.number().int().nullable(),
      titre: z.string(),
      presentation: z.string(),
      ouverture: z.iso.date().nullable(),
      cloture: z.iso.date().nullable(),
      financeurs: z.array(
        z.object({
          code: z.string(),
          nom: z.string(),
          organisation: z.string().nullable(),
          serviceInstructeur: z.string(),
          siret: z.string().nullable(),
          source: z.string(),
          enveloppe: euros,
        }),
      ),
      dossiers: z.array(dossierDemo),
    }),
  ),
});
export type DonneesDemonstration = z.infer<typeof demonstrationFile>;
export type DossierDemo = z.infer<typeof dossierDemo>;

export function lireDemonstration(): DonneesDemonstration {
  return demonstrationFile.parse(JSON.parse(readFileSync(fileURLToPath(fichier), 'utf8')));
}

/** The statut a file reaches by taking its steps from brouillon, or why the steps do not follow TRANSITIONS_DOSSIER. */
export function statutApres(etapes: readonly { etape: keyof typeof TRANSITIONS_DOSSIER }[]): StatutDossier | string {
  let statut: StatutDossier = 'brouillon';
  for (const { etape } of etapes) {
    const t = TRANSITIONS_DOSSIER[etape];
    if (!t.de.includes(statut)) return `« ${etape} » ne part pas de « ${statut} »`;
    statut = t.vers;
  }
  return statut;
}

export type Calendrier = { annee: number; ouverture: string; cloture: string };

/**
 * Next year's call opens on the first day of the current month (Paris) and closes three months later,
 * so that whoever installs Pilotis finds it open; a campaign with fixed dates keeps them.
 */
export function calendrier(c: { annee: number | null; ouverture: string | null; cloture: string | null }, maintenant: Date): Calendrier {
  if (c.annee !== null && c.ouverture && c.cloture) return { annee: c.annee, ouverture: c.ouverture, cloture: c.cloture };
  const [a, m] = aujourdhuiParis(maintenant).split('-').map(Number) as [number, number];
  const jour = (d: Date) => d.toISOString().slice(0, 10);
  return { annee: a + 1, ouverture: jour(new Date(Date.UTC(a, m - 1, 1))), cloture: jour(new Date(Date.UTC(a, m + 2, 0))) };
}

const decalageParis = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' });
/** The instant of a Paris wall-clock time (summer time included). */
function instantParis(jour: string, heure: string): Date {
  const naif = new Date(`${jour}T${heure}:00Z`);
  const nom = decalageParis.formatToParts(naif).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const [, signe, h, mn] = /GMT([+-])(\d{2}):(\d{2})/.exec(nom) ?? [, '+', '00', '00'];
  const minutes = (Number(h) * 60 + Number(mn)) * (signe === '-' ? -1 : 1);
  return new Date(naif.getTime() - minutes * 60_000);
}

const HEURE = 3_600_000;
type Moment = { jour: number; heure: string };

/**
 * Dates the moments of a campaign from its opening, on the Paris clock of their day. For a campaign
 * opened this month the written moments are squeezed, in order, between the opening and now: a
 * demonstration never shows a step in the future.
 */
export function horloge(ouverture: string, dossiers: DossierDemo[], maintenant: Date, glissant: boolean) {
  const debut = instantParis(ouverture, '00:00').getTime();
  const minuitUtc = Date.parse(`${ouverture}T00:00:00Z`);
  const ecrit = (m: Moment) => instantParis(new Date(minuitUtc + m.jour * 24 * HEURE).toISOString().slice(0, 10), m.heure).getTime() - debut;
  const moments = dossiers.flatMap((d) => [...d.etapes, ...d.avis, ...d.messages, ...d.annotations]);
  const fin = Math.max(HEURE, ...moments.map(ecrit)) + HEURE;
  const echelle = glissant ? Math.max(0, Math.min(1, (maintenant.getTime() - debut) / fin)) : 1;
  return (m: Moment) => new Date(debut + ecrit(m) * echelle);
}
