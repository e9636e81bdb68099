import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { decimal, readHeader, requireColumns, splitCsvLine } from './csv.ts';
import { cite, entier, failAt, ImportFailure } from './model.ts';

// The national address base (BAN), one department per file (158 048 addresses for Paris, 26 million
// for France): read as a stream, compressed or not, a batch at a time, never whole in memory.

export const BAN_COLUMNS = ['id', 'numero', 'rep', 'nom_voie', 'code_postal', 'code_insee', 'lon', 'lat'] as const;

export type AdresseLue = {
  id: string;
  numero: number | null;
  rep: string | null;
  nomVoie: string;
  codePostal: string | null;
  codeInsee: string;
  lon: number;
  lat: number;
};

const NUMERO = /^\d{1,9}$/;
const CODE_POSTAL = /^\d{5}$/;
const CODE_INSEE = /^(\d{2}|2A|2B)\d{3}$/;

/** Gzip is recognised by its first bytes, whatever the file is called. */
export async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

type Columns = Record<(typeof BAN_COLUMNS)[number], number>;

/** One line of the BAN, checked: throws an ImportFailure naming the line and the column. */
export function parseAdresseLine(cells: string[], columns: Columns, ligne: number): AdresseLue {
  const cell = (name: keyof Columns) => {
    const v = cells[columns[name]];
    if (v === undefined) throw failAt(ligne, name, `absente de la ligne (${cells.length} colonnes seulement).`);
    return v.trim();
  };
  const id = cell('id');
  if (!id) throw failAt(ligne, 'id', 'identifiant manquant.');
  const numeroText = cell('numero');
  if (numeroText && !NUMERO.test(numeroText)) throw failAt(ligne, 'numero', `${cite(numeroText)} n'est pas un numéro (nombre entier attendu ; l'indice bis, ter… va dans la colonne rep).`);
  const nomVoie = cell('nom_voie');
  if (!nomVoie) throw failAt(ligne, 'nom_voie', 'nom de voie manquant.');
  const codePostal = cell('code_postal');
  if (codePostal && !CODE_POSTAL.test(codePostal)) throw failAt(ligne, 'code_postal', `${cite(codePostal)} n'est pas un code postal (5 chiffres).`);
  const codeInsee = cell('code_insee');
  if (!CODE_INSEE.test(codeInsee)) throw failAt(ligne, 'code_insee', `${cite(codeInsee)} n'est pas un code commune INSEE (5 caractères, par exemple 75118).`);
  const lon = decimal(cell('lon'), ligne, 'lon');
  if (lon < -180 || lon > 180) throw failAt(ligne, 'lon', `${cite(cell('lon'))} est hors des limites WGS84 (longitude de -180 à 180).`);
  const lat = decimal(cell('lat'), ligne, 'lat');
  if (lat < -90 || lat > 90) throw failAt(ligne, 'lat', `${cite(cell('lat'))} est hors des limites WGS84 (latitude de -90 à 90).`);
  const rep = cell('rep');
  return { id, numero: numeroText ? Number(numeroText) : null, rep: rep || null, nomVoie, codePostal: codePostal || null, codeInsee, lon, lat };
}

export type ReadOptions = {
  batchSize?: number;
  /** Called as the file is read, with the bytes read so far (compressed bytes for a .gz). */
  onBytes?: (bytes: number) => void;
};

/** The addresses of a BAN file, in batches; every line is checked, and that no identifier appears twice. */
export async function* readAdresses(path: string, options: ReadOptions = {}): AsyncGenerator<AdresseLue[]> {
  const batchSize = options.batchSize ?? 1000;
  const gzip = await isGzip(path);
  const file = createReadStream(path);
  const input: Readable = gzip ? file.pipe(createGunzip()) : file;
  // Listened to in the same tick as the pipe is set up: no chunk flows before both are in place.
  let bytes = 0;
  file.on('data', (chunk) => {
    bytes += chunk.length;
    options.onBytes?.(bytes);
  });
  // A corrupt archive fails the reading with a French message rather than an English stack.
  let streamError: Error | null = null;
  input.on('error', (e) => (streamError = e));
  const lines = createInterface({ input, crlfDelay: Infinity });
  const seen = new Map<string, number>();
  let columns: Columns | null = null;
  let ligne = 0;
  let batch: AdresseLue[] = [];
  try {
    for await (const raw of lines) {
      ligne++;
      if (columns === null) {
        columns = requireColumns(readHeader(raw), BAN_COLUMNS);
        continue;
      }
      if (raw.trim() === '') continue;
      const a = parseAdresseLine(splitCsvLine(raw), columns, ligne);
      const before = seen.get(a.id);
      if (before !== undefined) throw failAt(ligne, 'id', `l'identifiant ${cite(a.id)} figure déjà à la ligne ${entier(before)}.`);
      seen.set(a.id, ligne);
      batch.push(a);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (streamError) throw streamError;
    if (columns === null) throw new ImportFailure('Le fichier est vide : la ligne 1 doit nommer les colonnes.', 1, null);
    if (batch.length) yield batch;
  } catch (e) {
    const error = streamError ?? e;
    if (error instanceof ImportFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || (error as Error).message?.includes('unexpected end of file')) {
      throw new ImportFailure(`Le fichier compressé est illisible ou tronqué après la ligne ${entier(ligne)} (${(error as Error).message}).`, ligne, null);
    }
    throw error;
  } finally {
    lines.close();
    file.destroy();
  }
}
