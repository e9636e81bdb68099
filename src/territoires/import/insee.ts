import { CODE_QPV, geographieDuCodeQpv } from '../model.ts';
import { frenchNumber, readHeader, splitCsvLine, stripBom, type Header } from './csv.ts';
import { cite, entier, failAt, ImportFailure, millesimeFromName } from './model.ts';

// The INSEE files about QPV: which one it is is read from its header. Figures are kept exactly as
// printed ("2 145" with its narrow no-break space, "34,8") beside the number read from them.

export type InseeFileKind = 'DEMO' | 'REVN' | 'POP';

type Column = { column: string; indicateur: 'population' | 'revenu_median' | 'revenu_disponible_median' | 'taux_pauvrete' };

export type InseeValeur = { indicateur: Column['indicateur']; valeur: number; texte: string };
export type InseeLigne = { ligne: number; code: string; geographie: string; valeurs: InseeValeur[] };

export type InseeFile = {
  kind: InseeFileKind;
  /** "DEMO_2022", "REVN_2022", "population municipale 2013": how sources name the file. */
  label: string;
  millesime: string;
  lignes: InseeLigne[];
};

// DECUC_Q2 is the median declared (fiscal) income per consumption unit: the measure the contract's
// "Revenu médian" (RFL2011) gives, so it is the one compared with it. DISP_Q2, the median disposable
// income (after taxes and benefits), is another measure and is kept under its own indicator.
const REVN_COLUMNS: Column[] = [
  { column: 'DECUC_Q2', indicateur: 'revenu_median' },
  { column: 'DISP_Q2', indicateur: 'revenu_disponible_median' },
  { column: 'TP60', indicateur: 'taux_pauvrete' },
];

type Spec = { kind: InseeFileKind; codeColumn: string; columns: Column[]; millesime: string; label: string };

function detect(header: Header, fileName: string): Spec {
  const has = (c: string) => header.index.has(c);
  const fromName = () => {
    const m = millesimeFromName(fileName);
    if (!m) {
      throw new ImportFailure(
        `Millésime introuvable : le nom du fichier doit contenir l'année des données, par exemple DEMO_2022.csv (nom reçu : ${cite(fileName)}).`,
      );
    }
    return m;
  };
  if (has('CODGEO') && has('POP_MUN')) {
    const m = fromName();
    return { kind: 'DEMO', codeColumn: 'CODGEO', columns: [{ column: 'POP_MUN', indicateur: 'population' }], millesime: m, label: `DEMO_${m}` };
  }
  if (has('CODGEO') && REVN_COLUMNS.some((c) => has(c.column))) {
    const m = fromName();
    const columns = REVN_COLUMNS.filter((c) => has(c.column));
    return { kind: 'REVN', codeColumn: 'CODGEO', columns, millesime: m, label: `REVN_${m}` };
  }
  const pop = header.names.find((n) => /^population_municipale_\d{4}$/.test(n));
  if (has('qp') && pop) {
    const m = pop.slice(-4);
    return { kind: 'POP', codeColumn: 'qp', columns: [{ column: pop, indicateur: 'population' }], millesime: m, label: `population municipale ${m}` };
  }
  throw new ImportFailure(
    'Fichier INSEE non reconnu : la ligne 1 doit nommer les colonnes CODGEO et POP_MUN (fichier DEMO), CODGEO et DECUC_Q2, DISP_Q2 ou TP60 (fichier REVN), ' +
      `ou qp et population_municipale_AAAA (population des QPV). Colonnes lues : ${header.names.filter(Boolean).slice(0, 8).join(', ') || 'aucune'}.`,
    1,
    null,
  );
}

/** The source of one figure, as pages show it: "INSEE DEMO_2022 (insee_qpv2015_demo_2022.csv l.900)". */
export function inseeSource(file: Pick<InseeFile, 'label'>, fileName: string, ligne: number): string {
  return `INSEE ${file.label} (${fileName} l.${ligne})`;
}

/** Every QPV row of the file, checked; throws an ImportFailure naming the line and the column. */
export function parseInsee(content: string, fileName: string): InseeFile {
  const lines = stripBom(content).split(/\r?\n/);
  if (!lines[0]?.trim()) throw new ImportFailure('Le fichier est vide : la ligne 1 doit nommer les colonnes.', 1, null);
  const header = readHeader(lines[0]);
  const spec = detect(header, fileName);
  const codeIndex = header.index.get(spec.codeColumn)!;
  const indexes = spec.columns.map((c) => ({ ...c, index: header.index.get(c.column)! }));
  const out: InseeLigne[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.replaceAll(';', '').trim() === '') continue;
    const ligne = i + 1;
    const cells = splitCsvLine(raw);
    const cell = (index: number, column: string) => {
      const v = cells[index];
      if (v === undefined) throw failAt(ligne, column, `absente de la ligne (${cells.length} colonnes au lieu de ${header.names.length}).`);
      return v.trim();
    };
    const code = cell(codeIndex, spec.codeColumn);
    const geographie = geographieDuCodeQpv(code);
    if (!geographie) {
      throw failAt(ligne, spec.codeColumn, `${cite(code)} n'est pas un code de quartier prioritaire (attendu : ${CODE_QPV['2015'].attendu} ou ${CODE_QPV['2024'].attendu}).`);
    }
    const before = seen.get(code);
    if (before) throw failAt(ligne, spec.codeColumn, `le quartier ${code} figure déjà à la ligne ${entier(before)}.`);
    seen.set(code, ligne);
    const valeurs: InseeValeur[] = [];
    for (const c of indexes) {
      const texte = cell(c.index, c.column);
      const valeur = frenchNumber(texte, ligne, c.column);
      if (valeur !== null) valeurs.push({ indicateur: c.indicateur, valeur, texte });
    }
    out.push({ ligne, code, geographie, valeurs });
  }
  return { kind: spec.kind, label: spec.label, millesime: spec.millesime, lignes: out };
}
