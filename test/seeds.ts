import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { loadConfig } from '../src/config.ts';

// The seed documents (the contract's text) live beside the repository, next to the open-data folder:
// ../shared/seeds beside ../shared/data/geo. When CI points PILOTIS_GEO_DIR elsewhere, the seeds are
// looked for at the same place relative to it, then beside the clone.
export function seedsDir(): string {
  const geo = loadConfig().geo.dataDir;
  const candidates = [
    ...(geo ? [resolve(geo, '../../seeds')] : []),
    resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/seeds'),
  ];
  const dir = candidates.find((d) => existsSync(d));
  if (!dir) throw new Error(`Documents sources introuvables (cherchés dans ${candidates.join(', ')}).`);
  return dir;
}

export function seedFile(name: string): string {
  return resolve(seedsDir(), name);
}

/** The seed's lines, numbered from 1 as the data files cite them: seedLines(f)[901] is line 901. */
export function seedLines(name: string): string[] {
  return ['', ...readFileSync(seedFile(name), 'utf8').split('\n')];
}

/** Lines de…a joined as one text, whitespace collapsed: a quotation spanning a line break reads as printed. */
export function seedText(lines: string[], de: number, a: number = de): string {
  return lines.slice(de, a + 1).join(' ').replace(/\s+/g, ' ').trim();
}
