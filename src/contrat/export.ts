import { writeFileSync } from 'node:fs';
import type { DbOrTx } from '../platform/db/connect.ts';
import { CliError } from '../platform/cli/model.ts';
import { toCsv, type CsvValue } from '../platform/exports/csv.ts';
import { sourceCompacte } from './model.ts';
import { listerNoeuds, type NoeudRow } from './store.ts';

// The strategy tree as a file: one row per item as the tree stands (withdrawn items left out), in the
// document's order. The same file from the web page (/contrat/export.csv) and the command line.

export const COLONNES_EXPORT = ['niveau', 'numero', 'libelle', 'parent', 'source', 'ref'] as const;
export const FORMATS_EXPORT = ['csv'] as const;

export function ligneExport(n: NoeudRow): CsvValue[] {
  return [n.niveau, n.numero, n.libelle, n.parentRef, sourceCompacte(n.document, n.lignes), n.ref];
}

export async function csvContrat(db: DbOrTx, contratId: string): Promise<{ csv: string; lignes: number }> {
  const noeuds = await listerNoeuds(db, contratId);
  return { csv: toCsv(COLONNES_EXPORT, noeuds.map(ligneExport)), lignes: noeuds.length };
}

export type SortieExport = { sortie?: string | undefined; stdout: { write(text: string): unknown } };

/**
 * `pilotis export contrat --format csv [--sortie fichier]`: the file goes to `sortie`, or to the
 * standard output when none is given (then nothing else is written there, so that it can be piped).
 * Returns the message for the terminal, empty when the file went to the standard output.
 */
export async function exportContratCommand(db: DbOrTx, contratId: string, format: string, out: SortieExport): Promise<string> {
  if (!(FORMATS_EXPORT as readonly string[]).includes(format)) {
    throw new CliError(`Format inconnu : « ${format} ». Format possible : ${FORMATS_EXPORT.join(', ')}.`);
  }
  const { csv, lignes } = await csvContrat(db, contratId);
  if (!out.sortie) {
    out.stdout.write(csv);
    return '';
  }
  try {
    writeFileSync(out.sortie, csv);
  } catch (e) {
    throw new CliError(`Impossible d’écrire ${out.sortie} : ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return `Arbre du contrat exporté : ${lignes} éléments dans ${out.sortie}.`;
}
