import type { AdresseIntrouvable, Correspondance } from './types.ts';
import { analyserAdresse, libelleRepetition, separerSousAdresse, squelette, typeDeVoie, type AdresseSaisie } from './adresse.ts';

// Offline geocoding over the imported address base, held in memory: street key → its addresses
// sorted by number. About 158 000 addresses and 6 200 street keys for Paris: a few tens of megabytes,
// loaded once, then every lookup is a map access and, for a misspelt street, a trigram comparison.

/** One row of the address table, as the geocoder needs it. */
export type LigneAdresse = {
  id: string;
  numero: number | null;
  rep: string | null;
  nomVoie: string;
  voieCle: string;
  codePostal: string | null;
  codeInsee: string;
  lon: number;
  lat: number;
};

type Voie = {
  index: number;
  cle: string;
  nom: string;
  squelette: string;
  type: string | null;
  entrees: Entree[];
  parNumero: Map<number, Entree[]>;
  insee: Set<string>;
};
type Entree = { id: string; numero: number | null; rep: string | null; sousAdresse: string | null; codePostal: string | null; codeInsee: string; lon: number; lat: number; voie: Voie };

export type Point = { lon: number; lat: number };

export type Geocodage =
  | {
      statut: 'trouve';
      point: Point;
      correspondance: Correspondance;
      /** The other positions the text could mean (empty for an exact match): the answer must hold for all. */
      autresPositions: Point[];
    }
  | AdresseIntrouvable;

/** Below this trigram similarity, a street name is not taken for another: the person gets suggestions. */
export const SEUIL_RESSEMBLANCE = 0.72;
/** Streets within this much of the best score are as likely as it: all count in the candidate area. */
const EX_AEQUO = 0.03;

function trigrammes(cle: string): string[] {
  const s = `  ${cle} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return [...out];
}

const commune = (codeInsee: string) => (codeInsee.startsWith('751') ? 'Paris' : '');

export function libelleEntree(e: Entree): string {
  const lieu = [e.codePostal, commune(e.codeInsee)].filter(Boolean).join(' ');
  const voie = e.sousAdresse ?? [e.numero, libelleRepetition(e.rep), e.voie.nom].filter((x) => x !== null && x !== '').join(' ');
  return lieu ? `${voie}, ${lieu}` : voie;
}

function numeroLibelle(e: Entree): string {
  const sous = e.sousAdresse ? separerSousAdresse(e.sousAdresse) : null;
  if (sous) return `${sous.numero}${sous.suffixe.toUpperCase()}`;
  return [e.numero, libelleRepetition(e.rep)].filter((x) => x !== null && x !== '').join(' ');
}

function libelleVoie(v: Voie, insee: string | null, numero: number | null): string {
  const e = v.entrees.find((x) => !insee || x.codeInsee === insee) ?? v.entrees[0]!;
  const lieu = [e.codePostal, commune(e.codeInsee)].filter(Boolean).join(' ');
  return `${numero ? `${numero} ` : ''}${v.nom}${lieu ? `, ${lieu}` : ''}`;
}

function pourcent(score: number): string {
  return `${Math.round(score * 100)} %`;
}

export class Geocodeur {
  private voies: Voie[] = [];
  private parCle = new Map<string, Voie>();
  private parSquelette = new Map<string, Voie[]>();
  private parTrigramme = new Map<string, number[]>();
  private tailleTrigrammes: Uint16Array;
  /** Scratch counters of shared trigrams, one per street, reset after each search. */
  private communs: Uint16Array;
  readonly taille: number;

  constructor(lignes: Iterable<LigneAdresse>) {
    let n = 0;
    for (const l of lignes) {
      n++;
      let voie = this.parCle.get(l.voieCle);
      const sous = separerSousAdresse(l.nomVoie);
      if (!voie) {
        voie = { index: this.voies.length, cle: l.voieCle, nom: sous ? sous.voie : l.nomVoie, squelette: squelette(l.voieCle), type: typeDeVoie(l.voieCle).type, entrees: [], parNumero: new Map(), insee: new Set() };
        this.voies.push(voie);
        this.parCle.set(l.voieCle, voie);
      } else if (sous === null && separerSousAdresse(voie.nom)) {
        voie.nom = l.nomVoie;
      }
      voie.insee.add(l.codeInsee);
      voie.entrees.push({ id: l.id, numero: l.numero, rep: l.rep || null, sousAdresse: sous ? l.nomVoie : null, codePostal: l.codePostal, codeInsee: l.codeInsee, lon: l.lon, lat: l.lat, voie });
    }
    this.taille = n;
    this.tailleTrigrammes = new Uint16Array(this.voies.length);
    this.communs = new Uint16Array(this.voies.length);
    for (const v of this.voies) {
      // Plain numbers first, then bis/ter…, then sub-addresses: the first entry of a number is its main position.
      v.entrees.sort((a, b) => (a.numero ?? 0) - (b.numero ?? 0) || Number(a.sousAdresse !== null) - Number(b.sousAdresse !== null) || (a.rep ?? '').localeCompare(b.rep ?? ''));
      for (const e of v.entrees) if (e.numero !== null) (v.parNumero.get(e.numero) ?? v.parNumero.set(e.numero, []).get(e.numero)!).push(e);
      (this.parSquelette.get(v.squelette) ?? this.parSquelette.set(v.squelette, []).get(v.squelette)!).push(v);
      const tri = trigrammes(v.cle);
      this.tailleTrigrammes[v.index] = tri.length;
      for (const t of tri) (this.parTrigramme.get(t) ?? this.parTrigramme.set(t, []).get(t)!).push(v.index);
    }
  }

  /** Streets ranked by trigram Dice similarity to a key, optionally only those of one arrondissement. */
  private ressemblantes(cle: string, insee: string | null, limite: number): { voie: Voie; score: number }[] {
    const tri = trigrammes(cle);
    const communs = this.communs;
    const touchees: number[] = [];
    for (const t of tri) {
      for (const i of this.parTrigramme.get(t) ?? []) {
        if (communs[i] === 0) touchees.push(i);
        communs[i]!++;
      }
    }
    // A short list kept sorted by insertion: thousands of streets share "rue", five are wanted.
    const top: { voie: Voie; score: number }[] = [];
    for (const i of touchees) {
      const c = communs[i]!;
      communs[i] = 0;
      const voie = this.voies[i]!;
      if (insee && !voie.insee.has(insee)) continue;
      const score = (2 * c) / (tri.length + this.tailleTrigrammes[i]!);
      if (top.length === limite && score <= top[limite - 1]!.score) continue;
      let at = top.length;
      while (at > 0 && top[at - 1]!.score < score) at--;
      top.splice(at, 0, { voie, score });
      if (top.length > limite) top.pop();
    }
    return top;
  }

  /** Street candidates for a typed street: exact key, then same skeleton, then the most similar names. */
  private voiesCandidates(s: AdresseSaisie): { voies: Voie[]; score: number; raison: string | null } | null {
    const insee = s.arrondissementInsee;
    const exacte = this.parCle.get(s.voieCle);
    if (exacte) return { voies: [exacte], score: 1, raison: null };

    const memeSquelette = (this.parSquelette.get(squelette(s.voieCle)) ?? []).filter((v) => !insee || v.insee.has(insee));
    const type = typeDeVoie(s.voieCle).type;
    const memeType = type ? memeSquelette.filter((v) => v.type === type) : memeSquelette;
    const unique = memeType.length === 1 ? memeType : memeSquelette.length === 1 ? memeSquelette : [];
    if (unique.length === 1) {
      const v = unique[0]!;
      return { voies: [v], score: 0.95, raison: `Nom de voie complété : « ${v.nom} »` };
    }

    const classees = this.ressemblantes(s.voieCle, insee, 5);
    const best = classees[0];
    if (!best || best.score < SEUIL_RESSEMBLANCE) return null;
    const voies = classees.filter((c) => c.score >= best.score - EX_AEQUO).map((c) => c.voie);
    return { voies, score: best.score, raison: `Voie la plus ressemblante : « ${best.voie.nom} » (ressemblance ${pourcent(best.score)})` };
  }

  /** The entries of a street for a number, and why they are only approximate when they are. */
  private positions(voie: Voie, s: AdresseSaisie): { entrees: Entree[]; exacte: boolean; raison: string | null } {
    const insee = s.arrondissementInsee;
    const dansArr = !insee || voie.insee.has(insee);
    const horsArr = dansArr ? '' : ' (la voie n’est pas dans l’arrondissement indiqué)';
    const filtre = (list: Entree[]) => (insee && dansArr ? list.filter((e) => e.codeInsee === insee) : list);
    const toute = () => {
      const entrees = filtre(voie.entrees);
      const sansSousAdresse = entrees.filter((e) => e.sousAdresse === null);
      return sansSousAdresse.length ? sansSousAdresse : entrees;
    };
    if (s.numero === null) {
      return { entrees: toute(), exacte: false, raison: `Aucun numéro : toute la voie est prise en compte${horsArr}` };
    }
    const n = s.numero;
    const memeNumero = filtre(voie.parNumero.get(n) ?? []);
    if (memeNumero.length) {
      const voulue = memeNumero.filter((e) => e.rep === s.rep);
      if (voulue.length) {
        const places = new Set(voulue.map((e) => e.codeInsee));
        if (places.size === 1 && !horsArr) return { entrees: voulue.slice(0, 1), exacte: true, raison: null };
        return { entrees: voulue, exacte: false, raison: horsArr ? `Numéro trouvé${horsArr}` : 'Plusieurs voies portent ce nom : précisez le code postal' };
      }
      const principal = memeNumero.filter((e) => e.rep === null);
      const base = principal.length ? principal : memeNumero;
      const demande = `${n}${s.rep ? ` ${libelleRepetition(s.rep)}` : ''}`;
      return { entrees: base, exacte: false, raison: `Le ${demande} n’existe pas dans la base : position du ${numeroLibelle(base[0]!)}${horsArr}` };
    }
    // The nearest numbers on the same side of the street (same parity), below and above.
    const entrees = filtre(voie.entrees);
    const numeros = [...new Set(entrees.map((e) => e.numero).filter((x): x is number => x !== null))];
    const memeCote = numeros.filter((x) => x % 2 === n % 2);
    const pool = memeCote.length ? memeCote : numeros;
    const dessous = Math.max(...pool.filter((x) => x < n));
    const dessus = Math.min(...pool.filter((x) => x > n));
    const voisins = [dessous, dessus].filter(Number.isFinite);
    if (!voisins.length) return { entrees: toute(), exacte: false, raison: `Le numéro ${n} n’existe pas dans la base : toute la voie est prise en compte` };
    const plusProche = voisins.reduce((a, b) => (Math.abs(b - n) < Math.abs(a - n) ? b : a));
    const first = (x: number) => entrees.find((e) => e.numero === x && e.rep === null) ?? entrees.find((e) => e.numero === x)!;
    const ordre = [plusProche, ...voisins.filter((x) => x !== plusProche)];
    return {
      entrees: ordre.map(first),
      exacte: false,
      raison: `Le numéro ${n} n’existe pas dans la base : position du ${plusProche}, le numéro le plus proche ${memeCote.length ? 'du même côté de la voie' : 'de la voie'}${horsArr}`,
    };
  }

  geocoder(texte: string): Geocodage {
    const s = analyserAdresse(texte);
    if (!s.voieCle) return { statut: 'introuvable', motif: 'Indiquez au moins le nom de la voie.', suggestions: [] };
    const candidates = this.voiesCandidates(s);
    if (!candidates) {
      const suggestions = this.ressemblantes(s.voieCle, s.arrondissementInsee, 5)
        .filter((c) => c.score >= 0.3)
        .map((c) => libelleVoie(c.voie, s.arrondissementInsee, s.numero));
      return {
        statut: 'introuvable',
        motif: `Aucune voie « ${s.voie} » dans la base d’adresses${s.arrondissementInsee ? ' de cet arrondissement' : ''}.`,
        suggestions,
      };
    }
    const trouvees = candidates.voies.map((v) => ({ voie: v, ...this.positions(v, s) }));
    const premiere = trouvees[0]!;
    const entrees = trouvees.flatMap((t) => t.entrees);
    const principale = premiere.entrees.length ? premiere.entrees : entrees;
    if (!entrees.length || !principale.length) return { statut: 'introuvable', motif: `La voie « ${premiere.voie.nom} » n’a aucune adresse numérotée dans la base.`, suggestions: [] };
    const centre = s.numero === null ? nearestToCentroid(principale) : principale[0]!;
    const autres = entrees.filter((e) => e !== centre).map((e) => ({ lon: e.lon, lat: e.lat }));
    const point = { lon: centre.lon, lat: centre.lat };
    if (candidates.score === 1 && premiere.exacte && trouvees.length === 1) {
      return { statut: 'trouve', point, correspondance: { methode: 'adresse_exacte', adresse: libelleEntree(centre), banId: centre.id }, autresPositions: [] };
    }
    const raison = [candidates.raison, premiere.raison].filter(Boolean).join(' ; ');
    const adresse = s.numero === null ? libelleVoie(centre.voie, centre.codeInsee, null) : libelleEntree(centre);
    return {
      statut: 'trouve',
      point,
      correspondance: { methode: 'adresse_approchee', adresse, banId: s.numero === null ? null : centre.id, score: Math.round(candidates.score * 100) / 100, raison },
      autresPositions: autres,
    };
  }
}

function nearestToCentroid(entrees: Entree[]): Entree {
  const lon = entrees.reduce((a, e) => a + e.lon, 0) / entrees.length;
  const lat = entrees.reduce((a, e) => a + e.lat, 0) / entrees.length;
  let best = entrees[0]!;
  let bestD = Infinity;
  for (const e of entrees) {
    const d = (e.lon - lon) ** 2 + (e.lat - lat) ** 2;
    if (d < bestD) {
      best = e;
      bestD = d;
    }
  }
  return best;
}
