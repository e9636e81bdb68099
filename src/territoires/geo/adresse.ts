// Reading an address as people type it, and the key under which the address base files its streets.
// Pure functions: the import computes `voieCle` with them, the geocoder parses queries with them.

/** Lower case, no accents, ligatures spelled out, every apostrophe, hyphen and punctuation mark a single space. */
export function normaliser(texte: string): string {
  return texte
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Street types: the full word, and the abbreviations people and files use for it. */
const TYPES_VOIE: Record<string, string[]> = {
  rue: ['r', 'ru'],
  avenue: ['av', 'ave', 'aven', 'avn', 'avnue'],
  boulevard: ['bd', 'bld', 'blvd', 'bvd', 'boul', 'bl', 'bou'],
  place: ['pl', 'plc'],
  square: ['sq', 'sqr'],
  impasse: ['imp', 'ipa'],
  passage: ['pass', 'pas', 'psg', 'pge'],
  faubourg: ['fg', 'fbg', 'faub'],
  quai: ['qu', 'qai'],
  allee: ['all', 'al', 'ale'],
  chemin: ['ch', 'chem', 'che'],
  route: ['rte', 'rt'],
  cite: ['cit', 'cte'],
  villa: ['vla', 'vil'],
  hameau: ['ham', 'hame', 'hle'],
  sente: ['snte'],
  sentier: ['sen', 'sent', 'sti'],
  cours: ['crs'],
  cour: ['cr'],
  galerie: ['gal', 'gale', 'gie'],
  promenade: ['prom', 'pro'],
  carrefour: ['car', 'carr', 'crf'],
  chaussee: ['chs', 'chau', 'chse'],
  terrasse: ['terr', 'tsse'],
  parvis: ['prv', 'parv'],
  ruelle: ['rle', 'rlle'],
  voie: ['vo'],
  port: ['prt'],
  passerelle: ['pass', 'psle'],
  peristyle: ['peri'],
  pont: ['pnt'],
  porte: ['pte'],
  'rond point': ['rpt', 'rdpt', 'rd pt', 'rond pt'],
  'grande avenue': [],
  souterrain: ['sout'],
  grille: [],
  bassin: [],
  echangeur: ['ech'],
  arcades: ['arc'],
  esplanade: ['esp', 'espl'],
};

const TYPE_PAR_FORME = new Map<string, string>();
for (const [full, abbreviations] of Object.entries(TYPES_VOIE)) {
  TYPE_PAR_FORME.set(full, full);
  // 'pass' is first a passage: the map keeps the first meaning given.
  for (const a of abbreviations) if (!TYPE_PAR_FORME.has(a)) TYPE_PAR_FORME.set(a, full);
}
// Longest forms first, so that "rond pt" is read before "rond".
const FORMES_TYPE = [...TYPE_PAR_FORME.keys()].sort((a, b) => b.length - a.length);

/** Abbreviations read anywhere in a street name (after the type). */
const MOTS: Record<string, string> = {
  st: 'saint',
  ste: 'sainte',
  sts: 'saints',
  stes: 'saintes',
  pte: 'porte',
  gal: 'general',
  gen: 'general',
  gl: 'general',
  mal: 'marechal',
  mar: 'marechal',
  pdt: 'president',
  pres: 'president',
  prof: 'professeur',
  dr: 'docteur',
  doct: 'docteur',
  cdt: 'commandant',
  cmdt: 'commandant',
  cne: 'capitaine',
  cap: 'capitaine',
  lt: 'lieutenant',
  col: 'colonel',
  mgr: 'monseigneur',
  fg: 'faubourg',
  fbg: 'faubourg',
  nd: 'notre dame',
  bd: 'boulevard',
  av: 'avenue',
};

/** The type of street a normalised name starts with, and the rest. */
export function typeDeVoie(normalise: string): { type: string | null; reste: string } {
  for (const forme of FORMES_TYPE) {
    if (normalise === forme) return { type: TYPE_PAR_FORME.get(forme)!, reste: '' };
    if (normalise.startsWith(`${forme} `)) return { type: TYPE_PAR_FORME.get(forme)!, reste: normalise.slice(forme.length + 1) };
  }
  return { type: null, reste: normalise };
}

/**
 * The BAN files a sub-address (a building, a staircase) as part of the street name: "6S1 Avenue Joseph
 * Bédier", "59bP4 Rue de la Chapelle". The street is what follows; the number and its suffix are kept.
 */
const SOUS_ADRESSE = /^\s*(\d+)([a-z]+\d*)\s+(.+)$/i;

export function separerSousAdresse(nomVoie: string): { numero: number; suffixe: string; voie: string } | null {
  const m = SOUS_ADRESSE.exec(nomVoie);
  return m ? { numero: Number(m[1]), suffixe: m[2]!.toLowerCase(), voie: m[3]! } : null;
}

function developperMots(texte: string): string {
  return texte
    .split(' ')
    .map((w) => MOTS[w] ?? w)
    .join(' ');
}

/** A normalised street name with its type spelled out in full and the usual abbreviations developed. */
function cleNormalisee(normalise: string): string {
  const { type, reste } = typeDeVoie(normalise);
  const corps = developperMots(reste);
  return type ? (corps ? `${type} ${corps}` : type) : corps;
}

/**
 * The key under which a street is filed (adresse.voie_cle): "Avenue du Général Lemonnier" →
 * "avenue du general lemonnier", "6S1 Avenue Joseph Bédier" → "avenue joseph bedier",
 * "bd de la Villette" → "boulevard de la villette". Articles are kept: "rue de la Chapelle" and
 * "rue Chapelle" are different names.
 */
export function voieCle(nomVoie: string): string {
  const sous = separerSousAdresse(nomVoie);
  return cleNormalisee(normaliser(sous ? sous.voie : nomVoie));
}

/** Words of more than one letter that start names ("La Porte Jaune"), never a repetition. */
const MOTS_LIES = new Set(['la', 'le', 'les', 'du', 'des', 'au', 'aux', 'en', 'sur', 'et']);

/** Small words left out of the skeleton of a name, so that "rue chapelle" still finds "rue de la chapelle". */
const ARTICLES = new Set(['de', 'la', 'le', 'les', 'du', 'des', 'd', 'l', 'et', 'a', 'au', 'aux', 'en', 'sur']);

/** A street key without its type and its small words: the last resort before a fuzzy comparison. */
export function squelette(cle: string): string {
  return typeDeVoie(cle)
    .reste.split(' ')
    .filter((w) => w && !ARTICLES.has(w))
    .join(' ');
}

export type AdresseSaisie = {
  numero: number | null;
  /** Repetition index as the BAN writes it: 'b' (bis), 't' (ter), 'q' (quater), 'c' (quinquies), or a sub-address ('s1', 'bp4'). */
  rep: string | null;
  /** The street as typed, normalised. */
  voie: string;
  /** The street key to look up. */
  voieCle: string;
  codePostal: string | null;
  /** The INSEE code of the Paris arrondissement when the text names it ("Paris 18e", "75018"). */
  arrondissementInsee: string | null;
  commune: string | null;
};

const REPETITIONS: Record<string, string> = { bis: 'b', ter: 't', quater: 'q', quinquies: 'c', qua: 'q' };

/** The Paris arrondissement a postcode serves (75116 is the north of the 16th). */
export function inseeDuCodePostal(codePostal: string): string | null {
  if (codePostal === '75116') return '75116';
  const m = /^750(\d\d)$/.exec(codePostal);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 1 && n <= 20 ? `751${m[1]}` : null;
}

function arrondissement(n: number): string | null {
  return n >= 1 && n <= 20 ? `751${String(n).padStart(2, '0')}` : null;
}

/**
 * Splits a typed address into number, repetition, street, postcode and commune:
 * "12 bis, rue de la Chapelle 75018 Paris", "12B r. de la chapelle", "6S1 Avenue Joseph Bédier",
 * "3 av Joseph Bedier Paris 13e", "rue Émile Blémont, Paris 18ème arrondissement".
 */
export function analyserAdresse(texte: string): AdresseSaisie {
  // "France" after the town or the postcode says nothing ("avenue Pierre Mendès France" is a street).
  let t = ` ${normaliser(texte)} `.replace(/ (paris(?: \d{1,2}(?: ?(?:e|er|eme))?)?|\d{5}) france $/, ' $1 ');
  let codePostal: string | null = null;
  let arrondissementInsee: string | null = null;
  let commune: string | null = null;

  const cp = / (\d{5}) /.exec(t);
  if (cp) {
    codePostal = cp[1]!;
    arrondissementInsee = inseeDuCodePostal(codePostal);
    t = t.replace(cp[0], ' ');
  }
  // "France" at the end says nothing; "Paris 18e", "Paris 18ème arrondissement", "18e arrondissement" name the arrondissement.
  const paris = / paris(?: (\d{1,2})(?: ?(?:e|er|eme|em|ieme))?(?: arr(?:ondissement|dt|t)?)?)? ?$/.exec(t);
  // "rue de Paris" names a street, not the commune.
  const avant = paris ? t.slice(0, paris.index).trim().split(' ').at(-1) : undefined;
  if (paris && !(avant && ARTICLES.has(avant))) {
    commune = 'Paris';
    if (paris[1]) arrondissementInsee ??= arrondissement(Number(paris[1]));
    t = t.slice(0, paris.index) + ' ';
  } else {
    const arr = / (\d{1,2}) ?(?:e|er|eme|ieme) arr(?:ondissement|dt|t)? ?$/.exec(t);
    if (arr) {
      arrondissementInsee ??= arrondissement(Number(arr[1]));
      t = t.slice(0, arr.index) + ' ';
    }
  }
  t = t.trim();

  let numero: number | null = null;
  let rep: string | null = null;
  // "12", "12 bis", "12bis", "12B", "6S1", "59bP4", "12-14" (the first number of a range).
  const num = /^(\d{1,5})(?: ?(bis|ter|quater|quinquies)\b|([a-z]{1,3}\d{0,3})\b)?(?: ?\d{1,5}\b(?= [a-z]))?/.exec(t);
  if (num) {
    numero = Number(num[1]);
    rep = num[2] ? REPETITIONS[num[2]]! : (num[3] ?? null);
    t = t.slice(num[0].length).trim();
    // "12r de la Chapelle": letters glued to the number that spell a street type start the street.
    if (num[3] && TYPE_PAR_FORME.has(num[3])) {
      rep = null;
      t = `${num[3]} ${t}`.trim();
    }
    // "12 b rue …", "4 AP2 rue …": a short suffix before a street type is a repetition, not the start of the name.
    const lone = /^([a-z]{1,3}\d{0,3}|bis|ter|quater|quinquies) (.+)$/.exec(t);
    // "20 BD Rue Pétrarque": a suffix that is also a street type is a repetition when a street type follows it.
    const premier = typeDeVoie(t);
    if (!rep && lone && !MOTS_LIES.has(lone[1]!) && typeDeVoie(lone[2]!).type && (!premier.type || typeDeVoie(premier.reste).type)) {
      rep = REPETITIONS[lone[1]!] ?? lone[1]!;
      t = lone[2]!;
    }
  }
  return { numero, rep, voie: t, voieCle: cleNormalisee(t), codePostal, arrondissementInsee, commune };
}

/** "b" → "bis", "t" → "ter", a sub-address as written ("S1"). */
export function libelleRepetition(rep: string | null): string {
  if (!rep) return '';
  const mots: Record<string, string> = { b: 'bis', t: 'ter', q: 'quater', c: 'quinquies' };
  return mots[rep] ?? rep.toUpperCase();
}
