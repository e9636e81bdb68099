// Checks a transcription of a seed against the seed itself, word by word and line by line.
// A data file cites, for each item, the lines its text was taken from. Three things must hold:
//  1. every word of an item's text is on the lines it cites (nothing invented or mistyped);
//  2. every word of a cited line is in the items citing it (nothing dropped from a cell);
//  3. every non-blank line of the transcribed range is cited or declared outside the tree
//     (nothing skipped: a forgotten action or lever leaves a line unaccounted for).

export type Cite = { texte: string; lignes: number[]; ou: string };
export type HorsArbre = { de: number; a: number; nature: string };

/** Lower-case words and numbers, apostrophes and punctuation as separators. */
export function mots(texte: string): string[] {
  return texte
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The words of some lines, with words split by an end-of-line hyphen also read whole. */
function motsDesLignes(seed: string[], lignes: number[]): Set<string> {
  const textes = lignes.map((n) => seed[n] ?? '');
  const brut = textes.join('\n');
  const recolle = brut.replace(/-\s*\n\s*/g, '').replace(/\s*\n\s*/g, ' ');
  const colle = brut.replace(/\s*\n\s*/g, '');
  return new Set([...mots(brut), ...mots(recolle), ...mots(colle)]);
}

const nonVide = (ligne: string | undefined) => /[\p{L}\p{N}]/u.test(ligne ?? '');

export function verifierTranscription(
  seed: string[],
  plage: [number, number],
  cites: Cite[],
  horsArbre: HorsArbre[],
  toleres: Set<string> = new Set(),
): string[] {
  const problemes: string[] = [];
  const parLigne = new Map<number, Cite[]>();
  for (const c of cites) {
    if (!c.lignes.length) problemes.push(`${c.ou} : aucune ligne citée`);
    for (const n of c.lignes) {
      if (!Number.isInteger(n) || n < 1 || n >= seed.length) problemes.push(`${c.ou} : ligne ${n} hors du document`);
      else if (!nonVide(seed[n])) problemes.push(`${c.ou} : ligne ${n} est vide`);
      parLigne.set(n, [...(parLigne.get(n) ?? []), c]);
    }
    const disponibles = motsDesLignes(seed, c.lignes);
    const absents = mots(c.texte).filter((m) => !disponibles.has(m));
    if (absents.length) problemes.push(`${c.ou} : mots absents des lignes ${c.lignes.join(',')} : ${[...new Set(absents)].join(' ')}`);
  }
  for (const [n, items] of parLigne) {
    const presents = new Set(items.flatMap((i) => mots(i.texte)));
    const texte = items.map((i) => i.texte.toLowerCase()).join(' ');
    const motsLigne = mots(seed[n] ?? '');
    const oublies = motsLigne.filter((m, rang) => {
      if (presents.has(m) || toleres.has(m)) return false;
      // A word cut by the line's end or start is inside a whole word of the text.
      const bord = rang === 0 || rang === motsLigne.length - 1;
      return !(bord && mots(texte).some((t) => t.includes(m)));
    });
    if (oublies.length) problemes.push(`ligne ${n} (citée par ${items.map((i) => i.ou).join(', ')}) : mots non repris : ${[...new Set(oublies)].join(' ')}`);
  }
  const horsDePlage = (n: number) => horsArbre.some((h) => n >= h.de && n <= h.a);
  const manquantes: number[] = [];
  for (let n = plage[0]; n <= plage[1]; n++) {
    if (nonVide(seed[n]) && !parLigne.has(n) && !horsDePlage(n)) manquantes.push(n);
  }
  if (manquantes.length) problemes.push(`lignes ni transcrites ni déclarées hors arbre : ${resumer(manquantes)}`);
  return problemes;
}

/** 12,13,14,20 → "12-14, 20" */
export function resumer(lignes: number[]): string {
  const plages: string[] = [];
  let debut = lignes[0]!;
  let fin = debut;
  for (const n of [...lignes.slice(1), Number.NaN]) {
    if (n === fin + 1) fin = n;
    else {
      plages.push(debut === fin ? `${debut}` : `${debut}-${fin}`);
      debut = n;
      fin = n;
    }
  }
  return plages.join(', ');
}
