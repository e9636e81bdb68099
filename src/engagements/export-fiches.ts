import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../platform/db/connect.ts';
import type { ScopeDirectory } from '../platform/http/context.ts';
import { CliError } from '../platform/cli/model.ts';
import { defaultContrat } from '../platform/tenancy/store.ts';
import { toCsv } from '../platform/exports/csv.ts';
import { tableauxEnXlsx } from '../platform/exports/xlsx.ts';
import type { FicheBilan } from './bilan-model.ts';
import { tableauMesures } from './bilan-export.ts';
import { sourceDocument } from './fiche-views.tsx';
import { campagneParAnnee, listerCampagnes, listerFiches, type FicheComplete } from './store.ts';

// One row per measure of a campaign: the CSV download, the API and `pilotis export fiches` give the
// same columns. Figures stay as printed or typed; the computed rate sits beside the declared one.

/** A sheet as the bilan reads it: `service` is its organisation's name, else the services it prints. */
export type FicheDuBilan = FicheComplete & FicheBilan;

export async function fichesDuBilan(db: Db, contratId: string, campagneId: string, organisations: ScopeDirectory['organisation']): Promise<FicheDuBilan[]> {
  const [fiches, orgs] = await Promise.all([listerFiches(db, campagneId), organisations(db, contratId)]);
  const noms = new Map(orgs.map((o) => [o.id, o.label]));
  return fiches.map((f) => ({ ...f, service: (f.organisationId && noms.get(f.organisationId)) || f.services?.trim() || null }));
}

export const COLONNES_MESURES = [
  'fiche',
  'sous_mesure',
  'titre',
  'axe',
  'thematique',
  'service',
  'indicateur',
  'nature',
  'sens',
  'reference',
  'cible',
  'resultat',
  'date_resultat',
  'taux_declare',
  'taux_calcule',
  'formule',
  'raison',
  'alertes',
  'statut',
  'source',
] as const;

export type LigneMesure = {
  fiche: number;
  sous_mesure: string | null;
  titre: string;
  axe: string | null;
  thematique: string | null;
  service: string | null;
  indicateur: string | null;
  nature: string;
  sens: string;
  reference: string | null;
  cible: string | null;
  resultat: string | null;
  date_resultat: string | null;
  taux_declare: string | null;
  taux_calcule: number | null;
  formule: string | null;
  raison: string | null;
  alertes: { code: string; message: string }[];
  statut: string;
  source: string | null;
};

export function lignesMesures(fiches: readonly FicheDuBilan[]): LigneMesure[] {
  return fiches.flatMap((f) =>
    f.mesures.map((m) => ({
      fiche: f.numero,
      sous_mesure: m.sousMesure,
      titre: f.titre,
      axe: f.axe,
      thematique: f.thematique,
      service: f.service,
      indicateur: m.libelle ?? f.indicateur,
      nature: m.nature,
      sens: m.sens,
      reference: m.reference,
      cible: m.cible,
      resultat: m.resultat,
      date_resultat: m.dateResultat,
      taux_declare: m.tauxDeclare,
      taux_calcule: m.tauxCalcule,
      formule: m.formule,
      raison: m.raison,
      alertes: m.alertes,
      statut: f.statut,
      source: f.source ? sourceDocument(f.source.document, m.lignes ?? []) : null,
    })),
  );
}

/** The CSV: the flags as their codes, then their messages, so that a spreadsheet can filter on a code. */
export function mesuresEnCsv(lignes: readonly LigneMesure[]): string {
  const entete = [...COLONNES_MESURES.flatMap((c) => (c === 'alertes' ? ['alertes', 'alertes_detail'] : [c]))];
  return toCsv(
    entete,
    lignes.map((l) =>
      COLONNES_MESURES.flatMap((c) => (c === 'alertes' ? [l.alertes.map((a) => a.code).join(', '), l.alertes.map((a) => a.message).join(' | ')] : [l[c]])),
    ),
  );
}

export const FORMATS_EXPORT = ['csv', 'xlsx'] as const;
export type Sortie = string | { write(text: string): unknown };

/** The default contract's id, for the command line. */
export async function idContratParDefaut(db: Db): Promise<string> {
  const contrat = await defaultContrat(db);
  if (!contrat) throw new CliError("Aucun contrat par défaut n'est enregistré. Lancez d'abord : pilotis migrate");
  return contrat.id;
}

/**
 * `pilotis export fiches --annee 2015 --format csv [--sortie f]`: every sheet of the campaign, whatever
 * its status (the operator at the terminal sees what the direction sees). Without a file, the CSV goes to
 * `out` and nothing else is printed there; with one, the text returned says what was written.
 */
export async function exportFichesCommand(
  db: Db,
  contratId: string,
  annee: string,
  format: string,
  out: Sortie,
  organisations: ScopeDirectory['organisation'],
): Promise<string> {
  if (!(FORMATS_EXPORT as readonly string[]).includes(format)) throw new CliError(`Format inconnu : « ${format} ». Formats possibles : ${FORMATS_EXPORT.join(', ')}.`);
  if (!/^\d{4}$/.test(annee.trim())) throw new CliError(`Année invalide : « ${annee} ». Exemple : --annee 2015`);
  const c = await campagneParAnnee(db, contratId, Number(annee));
  if (!c) {
    const annees = (await listerCampagnes(db, contratId)).map((x) => x.annee);
    throw new CliError(`Aucune campagne de suivi pour ${annee}. ${annees.length ? `Campagnes : ${annees.join(', ')}.` : 'Aucune campagne n’est enregistrée.'}`);
  }
  const fiches = await fichesDuBilan(db, contratId, c.id, organisations);
  const lignes = lignesMesures(fiches);
  if (typeof out !== 'string') {
    if (format === 'xlsx') throw new CliError('Le format xlsx s’écrit dans un fichier : ajoutez --sortie mesures.xlsx');
    out.write(mesuresEnCsv(lignes));
    return '';
  }
  const chemin = resolve(out);
  writeFileSync(chemin, format === 'xlsx' ? await tableauxEnXlsx([tableauMesures(lignes, `Mesures ${c.annee}`)]) : mesuresEnCsv(lignes));
  return `${lignes.length} mesures (${fiches.length} fiches) de la campagne ${c.annee} exportées dans ${chemin}.`;
}
