import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { loadConfig } from '../src/config.ts';

// The official open-data files live beside the repository (../shared/data/geo), never inside it.
// CI sets PILOTIS_GEO_DIR; otherwise the folder beside the clone is used.
export function geoDataDir(): string {
  const dir = loadConfig().geo.dataDir ?? resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/data/geo');
  if (!existsSync(dir)) throw new Error(`Données géographiques introuvables dans ${dir} : définissez PILOTIS_GEO_DIR.`);
  return dir;
}

export function geoFile(name: string): string {
  return resolve(geoDataDir(), name);
}
