import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Db, Tx } from '../../platform/db/connect.ts';
import type { AuditActor } from '../../platform/audit/model.ts';
import { voieCle } from '../geo/adresse.ts';
import { invalidateLocator } from '../locator.ts';
import { readAdresses } from './adresses.ts';
import { parseLayer, type LayerKind } from './geojson.ts';
import { parseInsee } from './insee.ts';
import { computeLinks, IRIS_RULE, LINK_SOURCE, QPV_RULE } from './liens.ts';
import { entier, ImportFailure, noCounts, summary, type Counts, type ImportKind } from './model.ts';
import { departementOfCommune, planTerritoires, planValeurs } from './plan.ts';
import { exclusive, trackJob, type Job, type JobHandle } from './progress.ts';
import {
  applyTerritoires,
  applyValeurs,
  completeRun,
  contouredTerritoires,
  contratCommuneCodes,
  createRun,
  existingTerritoires,
  existingValeurs,
  failRun,
  replaceComputedLinks,
  upsertAdresses,
  type ImportRow,
} from './store.ts';

// One run of an import: read, check the WHOLE file, then write everything in ONE transaction.
// A bad file is refused before anything is written; a failure while writing rolls everything back.
// Either way the run (import_geo) records the outcome, and progress is kept in memory meanwhile.

export type ImportRequest = {
  db: Db;
  contratId: string;
  kind: ImportKind;
  /** The file to read, and the name it is known by (an upload's original name). */
  path: string;
  fichier: string;
  by: AuditActor;
  /** Known already when the file was hashed while it was received. */
  sha256?: string;
  /** Deletes the file once the run has ended: an uploaded file is not kept. */
  removeAfter?: boolean;
  onProgress?: (job: Job) => void;
};

export type ImportOutcome = {
  id: string;
  statut: 'termine' | 'echec';
  counts: Counts;
  message: string;
  ligne: number | null;
  colonne: string | null;
};

export async function sha256File(path: string, onBytes?: (bytes: number) => void): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    onBytes?.((bytes += (chunk as Buffer).length));
  }
  return hash.digest('hex');
}

async function readAll(path: string, job: JobHandle): Promise<Buffer> {
  job.phase('lecture', (await stat(path)).size);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    chunks.push(chunk as Buffer);
    job.advance((bytes += (chunk as Buffer).length));
  }
  return Buffer.concat(chunks);
}

function utf8(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    const text = new TextDecoder('utf-8').decode(buffer);
    const ligne = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw new ImportFailure(`Ligne ${entier(ligne)} : le fichier n'est pas encodé en UTF-8 (réenregistrez-le en UTF-8).`, ligne, null);
  }
}

type Written = { counts: Counts; total: number; extra: string[] };

async function recomputeLinks(tx: Tx, contratId: string, kind: ImportKind): Promise<string[]> {
  const parents = await contouredTerritoires(tx, contratId, 'arrondissement');
  if (!parents.length) return [];
  const notes: string[] = [];
  const layers = [
    { type: 'qpv', rule: QPV_RULE, when: ['qpv', 'arrondissements'], label: 'QPV' },
    { type: 'iris', rule: IRIS_RULE, when: ['iris', 'arrondissements'], label: 'IRIS' },
  ];
  for (const layer of layers) {
    if (!layer.when.includes(kind)) continue;
    const children = await contouredTerritoires(tx, contratId, layer.type);
    if (!children.length) continue;
    const links = computeLinks(children, parents, layer.rule);
    const r = await replaceComputedLinks(tx, LINK_SOURCE, children.map((c) => c.id), links);
    notes.push(
      `Liens ${layer.label}–arrondissement calculés à partir des contours : ${entier(links.length)} (${entier(r.ajoutes)} nouveau${r.ajoutes > 1 ? 'x' : ''}, ${entier(r.supprimes)} supprimé${r.supprimes > 1 ? 's' : ''}).`,
    );
  }
  return notes;
}

async function importLayer(r: ImportRequest, run: ImportRow, job: JobHandle, kind: LayerKind, content: string): Promise<Written> {
  job.phase('verification');
  const parsed = parseLayer(kind, content, (done, total) => job.advance(done, total));
  const departements = new Set((await contratCommuneCodes(r.db, r.contratId)).map(departementOfCommune));
  job.phase('ecriture', parsed.length);
  return r.db.transaction(async (tx) => {
    const existing = await existingTerritoires(tx, r.contratId, parsed[0]!.type);
    const plan = planTerritoires(parsed, existing, r.fichier, departements);
    await applyTerritoires(tx, r.by, r.contratId, plan, (n) => job.advance(n));
    const counts = { ajoutes: plan.inserts.length, modifies: plan.updates.length, inchanges: plan.inchanges, ignores: plan.ignores };
    const extra = await recomputeLinks(tx, r.contratId, r.kind);
    await finish(tx, r, run, { counts, total: parsed.length, extra });
    return { counts, total: parsed.length, extra };
  });
}

async function importInsee(r: ImportRequest, run: ImportRow, job: JobHandle, content: string): Promise<Written> {
  job.phase('verification', 1);
  const file = parseInsee(content, r.fichier);
  job.advance(1);
  job.phase('ecriture', file.lignes.length);
  return r.db.transaction(async (tx) => {
    const qpv = await existingTerritoires(tx, r.contratId, 'qpv');
    const ids = new Map(qpv.map((t) => [`${t.geographie}|${t.code}`, t.id]));
    const plan = planValeurs(file, r.fichier, ids, await existingValeurs(tx, qpv.map((t) => t.id)));
    await applyValeurs(tx, r.contratId, run.id, plan, (n) => job.advance(Math.min(n, file.lignes.length)));
    const counts = { ajoutes: plan.inserts.length, modifies: plan.updates.length, inchanges: plan.inchanges, ignores: plan.ignores };
    const extra = [`Fichier reconnu : INSEE ${file.label} (millésime ${file.millesime}).`];
    await finish(tx, r, run, { counts, total: file.lignes.length, extra });
    return { counts, total: file.lignes.length, extra };
  });
}

async function importAdresses(r: ImportRequest, run: ImportRow, job: JobHandle): Promise<Written> {
  // First pass: every line checked before anything is written.
  job.phase('verification', (await stat(r.path)).size);
  let total = 0;
  for await (const batch of readAdresses(r.path, { onBytes: (b) => job.advance(b) })) total += batch.length;
  job.phase('ecriture', total);
  return r.db.transaction(async (tx) => {
    let counts = noCounts();
    let done = 0;
    for await (const batch of readAdresses(r.path)) {
      const c = await upsertAdresses(tx, run.id, batch.map((a) => ({ ...a, voieCle: voieCle(a.nomVoie) })));
      counts = { ...counts, ajoutes: counts.ajoutes + c.ajoutes, modifies: counts.modifies + c.modifies, inchanges: counts.inchanges + c.inchanges };
      job.advance((done += batch.length));
    }
    await finish(tx, r, run, { counts, total, extra: [] });
    return { counts, total, extra: [] };
  });
}

function finish(tx: Tx, r: ImportRequest, run: ImportRow, w: Written): Promise<void> {
  return completeRun(tx, r.by, run, { counts: w.counts, total: w.total, message: summary(r.kind, w.counts, w.extra) });
}

/** `content`: the whole file, for the kinds small enough to be read at once (all but addresses). */
function execute(r: ImportRequest, run: ImportRow, job: JobHandle, content: Buffer | null): Promise<Written> {
  switch (r.kind) {
    case 'qpv':
    case 'arrondissements':
    case 'iris':
      return importLayer(r, run, job, r.kind, utf8(content!));
    case 'insee-qpv':
      return importInsee(r, run, job, utf8(content!));
    case 'adresses':
      return importAdresses(r, run, job);
  }
}

/**
 * Records the run (en cours) and starts it; `done` settles with its outcome, never rejects.
 * Runs of one process follow each other.
 */
export async function startImport(r: ImportRequest): Promise<{ id: string; done: Promise<ImportOutcome> }> {
  const id = randomUUID();
  const job = trackJob(id, r.kind, r.fichier, r.onProgress);
  let run: ImportRow;
  let content: Buffer | null = null;
  try {
    // Contours and INSEE files are read once, hashed and kept; the address base is streamed twice later.
    if (r.kind !== 'adresses') content = await readAll(r.path, job);
    else if (!r.sha256) job.phase('lecture', (await stat(r.path)).size);
    const sha256 = r.sha256 ?? (content ? createHash('sha256').update(content).digest('hex') : await sha256File(r.path, (b) => job.advance(b)));
    run = await createRun(r.db, { id, contratId: r.contratId, kind: r.kind, fichier: r.fichier, sha256, by: r.by });
    job.phase('attente');
  } catch (e) {
    job.finish();
    if (r.removeAfter) await rm(r.path, { force: true });
    throw e;
  }
  const done = exclusive(async (): Promise<ImportOutcome> => {
    try {
      const w = await execute(r, run, job, content);
      // The locator keeps contours and addresses in memory: the next question reads the new ones.
      invalidateLocator(r.contratId);
      return { id, statut: 'termine', counts: w.counts, message: summary(r.kind, w.counts, w.extra), ligne: null, colonne: null };
    } catch (e) {
      const failure =
        e instanceof ImportFailure ? e : new ImportFailure(`Erreur inattendue pendant l'import : ${(e as Error).message ?? String(e)}`);
      if (!(e instanceof ImportFailure)) console.error(e);
      // Recording the failure may fail too (database gone): `done` must still settle, never reject.
      await failRun(r.db, r.by, run, { message: failure.message, ligne: failure.ligne, colonne: failure.colonne }).catch((e2: unknown) => console.error(e2));
      return { id, statut: 'echec', counts: noCounts(), message: failure.message, ligne: failure.ligne, colonne: failure.colonne };
    } finally {
      job.finish();
      if (r.removeAfter) await rm(r.path, { force: true });
    }
  });
  return { id, done };
}

/** Runs an import to its end (the command line, the folder loaded at start). */
export async function runImport(r: ImportRequest): Promise<ImportOutcome> {
  return (await startImport(r)).done;
}
