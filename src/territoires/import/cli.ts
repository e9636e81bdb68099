import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Db } from '../../platform/db/connect.ts';
import type { AuditActor } from '../../platform/audit/model.ts';
import { CliError } from '../../platform/cli/model.ts';
import { defaultContrat } from '../../platform/tenancy/store.ts';
import { IMPORT_KINDS, isImportKind, KIND_INFO, NOTHING_CHANGED, percentage, PHASE_LABELS, type ImportKind } from './model.ts';
import type { Job } from './progress.ts';
import { runImport, type ImportOutcome } from './run.ts';

// `pilotis import <type> <fichier>`: the command takes the database and returns the text to print,
// so that it is tested without starting a process; progress goes to the terminal as it comes.

export type Output = { write(text: string): unknown; isTTY?: boolean };

/** One line per kind, for `pilotis import --help` and for an unknown kind. */
export function kindsHelp(): string {
  return IMPORT_KINDS.map((k) => `  ${k.padEnd(16)} ${KIND_INFO[k].ligne}`).join('\n');
}

function progressText(job: Job): string {
  const pct = percentage(job);
  return `${PHASE_LABELS[job.phase]}${pct === null ? '…' : ` : ${pct} %`}`;
}

/**
 * Prints progress: on a terminal, one line rewritten in place; in a log or a pipe, a line at each
 * phase and every 10 %. Returns the listener and a function that ends the line in place.
 */
export function progressPrinter(out: Output, prefix: string): { onProgress: (job: Job) => void; end: () => void } {
  let last = '';
  let lastStep = -1;
  let lastPhase = '';
  let open = false;
  return {
    onProgress(job) {
      const text = `${prefix} — ${progressText(job)}`;
      if (out.isTTY) {
        if (text === last) return;
        last = text;
        open = true;
        out.write(`\r\x1b[K${text}`);
        return;
      }
      const step = Math.floor((percentage(job) ?? 0) / 10);
      if (job.phase === lastPhase && step === lastStep) return;
      lastPhase = job.phase;
      lastStep = step;
      out.write(`${text}\n`);
    },
    end() {
      if (open) out.write('\n');
      open = false;
    },
  };
}

export function outcomeText(kind: ImportKind, fichier: string, outcome: ImportOutcome): string {
  return outcome.statut === 'termine'
    ? `Import terminé (${KIND_INFO[kind].libelle}, ${fichier}) : ${outcome.message}`
    : `Import refusé (${KIND_INFO[kind].libelle}, ${fichier}) : ${outcome.message}\n${NOTHING_CHANGED}`;
}

/** Imports one file into the default contract; a refused file is a CliError (exit code 1). */
export async function importCommand(db: Db, by: AuditActor, kind: string, file: string, out: Output): Promise<string> {
  if (!isImportKind(kind)) throw new CliError(`Type de fichier inconnu : « ${kind} ». Types possibles :\n${kindsHelp()}`);
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new CliError(`Fichier introuvable : ${path}`);
  const contrat = await defaultContrat(db);
  if (!contrat) throw new CliError("Aucun contrat par défaut n'est enregistré. Lancez d'abord : pilotis migrate");
  const fichier = basename(path);
  const printer = progressPrinter(out, `Import ${kind} ${fichier}`);
  const outcome = await runImport({ db, contratId: contrat.id, kind, path, fichier, by, onProgress: printer.onProgress });
  printer.end();
  const text = outcomeText(kind, fichier, outcome);
  if (outcome.statut === 'echec') throw new CliError(text);
  return text;
}
