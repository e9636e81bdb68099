import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DbOrTx } from '../platform/db/connect.ts';
import { CliError } from '../platform/cli/model.ts';
import { csvScdl, exportScdl, SCDL_SCHEMA, type LigneNonExportee } from './scdl-model.ts';
import { financementsAccordes } from './scdl-store.ts';
import { campagneAapParAnnee, listerCampagnesAap } from './store.ts';

// `pilotis export scdl --format csv [--annee N] [--sortie fichier]`: the granted subsidies of one
// campaign, or of all, as the SCDL file the web page and the API give.

export const FORMATS_SCDL = ['csv'] as const;

type Ecrit = { write(text: string): unknown };
export type SortieScdl = { sortie?: string; stdout: Ecrit; stderr: Ecrit };

/** The lines left out, for the person at the terminal: what to fix, file by file. */
export function rapportNonExportees(nonExportees: readonly LigneNonExportee[]): string {
  if (nonExportees.length === 0) return '';
  const lignes = nonExportees.map((n) => `  ${n.reference} « ${n.titre} » — ${n.financeur} : ${n.raisons.join(' ')}`);
  return `${nonExportees.length} subvention${nonExportees.length > 1 ? 's' : ''} accordée${nonExportees.length > 1 ? 's' : ''} non exportée${nonExportees.length > 1 ? 's' : ''} (elles ne respecteraient pas le schéma) :\n${lignes.join('\n')}`;
}

/**
 * Writes the file to `sortie`, or to the standard output when none is given; then nothing else goes
 * there, so that it can be piped, and the lines left out are told on the error output. Returns the
 * message for the terminal.
 */
export async function exportScdlCommand(db: DbOrTx, contratId: string, options: { annee?: string; format: string }, out: SortieScdl): Promise<string> {
  if (!(FORMATS_SCDL as readonly string[]).includes(options.format)) {
    throw new CliError(`Format inconnu : « ${options.format} ». Format possible : ${FORMATS_SCDL.join(', ')}.`);
  }
  let annee: number | undefined;
  if (options.annee !== undefined) {
    if (!/^\d{4}$/.test(options.annee.trim())) throw new CliError(`Année invalide : « ${options.annee} ». Exemple : --annee 2021`);
    annee = Number(options.annee);
    if (!(await campagneAapParAnnee(db, contratId, annee))) {
      const annees = (await listerCampagnesAap(db, contratId)).map((c) => c.annee);
      throw new CliError(`Aucun appel à projets pour ${annee}. ${annees.length ? `Appels à projets : ${annees.join(', ')}.` : 'Aucun appel à projets n’est enregistré.'}`);
    }
  }
  const { lignes, nonExportees } = exportScdl(await financementsAccordes(db, contratId, annee));
  const csv = csvScdl(lignes);
  const rapport = rapportNonExportees(nonExportees);
  if (!out.sortie) {
    out.stdout.write(csv);
    if (rapport) out.stderr.write(`${rapport}\n`);
    return '';
  }
  const chemin = resolve(out.sortie);
  try {
    writeFileSync(chemin, csv);
  } catch (e) {
    throw new CliError(`Impossible d’écrire ${chemin} : ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const portee = annee === undefined ? 'de tous les appels à projets' : `de l’appel à projets ${annee}`;
  const message = `${lignes.length} subvention${lignes.length > 1 ? 's' : ''} accordée${lignes.length > 1 ? 's' : ''} ${portee} exportée${lignes.length > 1 ? 's' : ''} dans ${chemin} (schéma SCDL ${SCDL_SCHEMA.nom} ${SCDL_SCHEMA.version}).`;
  return rapport ? `${message}\n${rapport}` : message;
}
