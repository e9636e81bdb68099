import type { ImportKind, Phase, Progress } from './model.ts';

// Live progress of the imports running in this process. PGlite has one connection and a transaction
// holds it: while an import writes, no other query runs, so progress cannot live in the database.
// It lives here, in memory; the database keeps the outcome (import_geo).

export type Job = Progress & { id: string; kind: ImportKind; fichier: string };

const jobs = new Map<string, Job>();

export type JobHandle = {
  phase(phase: Phase, total?: number | null): void;
  advance(traites: number, total?: number): void;
  finish(): void;
};

export function trackJob(id: string, kind: ImportKind, fichier: string, listener?: (job: Job) => void): JobHandle {
  const job: Job = { id, kind, fichier, phase: 'attente', traites: 0, total: null };
  jobs.set(id, job);
  return {
    phase(phase, total = null) {
      job.phase = phase;
      job.traites = 0;
      job.total = total;
      listener?.(job);
    },
    advance(traites, total) {
      job.traites = traites;
      if (total !== undefined) job.total = total;
      listener?.(job);
    },
    finish() {
      jobs.delete(id);
    },
  };
}

/** The progress of a run of this process, or undefined once it has ended (or if another process runs it). */
export function jobProgress(id: string): Job | undefined {
  const job = jobs.get(id);
  return job && { ...job };
}

// One import at a time per process: two imports writing the same territories at once would make
// their counts meaningless, and on PGlite they would wait for each other anyway.
let tail: Promise<unknown> = Promise.resolve();

export function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
}
