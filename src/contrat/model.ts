import { jourLong } from '../platform/dates.ts';
// The contract's strategy tree: its levels, how an item is numbered and found, and how an amendment
// (avenant) changes it. Pure rules, no I/O.

export const NIVEAUX = ['axe', 'orientation', 'objectif', 'priorite', 'objectif_operationnel', 'action', 'levier'] as const;
export type Niveau = (typeof NIVEAUX)[number];

export const LIBELLES_NIVEAU: Record<Niveau, { un: string; des: string }> = {
  axe: { un: 'Axe', des: 'Axes' },
  orientation: { un: 'Orientation', des: 'Orientations' },
  objectif: { un: 'Objectif', des: 'Objectifs' },
  priorite: { un: 'Priorité', des: 'Priorités' },
  objectif_operationnel: { un: 'Objectif opérationnel', des: 'Objectifs opérationnels' },
  action: { un: 'Action', des: 'Actions' },
  levier: { un: 'Levier d’action', des: 'Leviers d’actions' },
};

/** Which level may hang under which: a table without a Priorité block hangs under its objectif, a levier under an empty Actions cell. */
export const PARENTS_AUTORISES: Record<Niveau, readonly (Niveau | null)[]> = {
  axe: [null],
  orientation: ['axe'],
  objectif: ['orientation'],
  priorite: ['objectif'],
  objectif_operationnel: ['priorite', 'objectif'],
  action: ['objectif_operationnel'],
  levier: ['action', 'objectif_operationnel'],
};

export type NoeudArbre = { ref: string; niveau: Niveau; numero: string; libelle: string; parentRef: string | null };

/** Problems of a tree as a list of French sentences (empty when the tree is sound). */
export function verifierArbre(noeuds: readonly NoeudArbre[]): string[] {
  const parRef = new Map<string, NoeudArbre>();
  const problemes: string[] = [];
  for (const n of noeuds) {
    if (parRef.has(n.ref)) problemes.push(`Référence en double : ${n.ref}`);
    parRef.set(n.ref, n);
  }
  for (const n of noeuds) {
    const parent = n.parentRef === null ? null : parRef.get(n.parentRef);
    if (n.parentRef !== null && !parent) problemes.push(`${n.ref} : parent ${n.parentRef} introuvable`);
    const niveauParent = parent ? parent.niveau : null;
    if ((n.parentRef === null || parent) && !PARENTS_AUTORISES[n.niveau].includes(niveauParent)) {
      problemes.push(`${n.ref} : un·e ${LIBELLES_NIVEAU[n.niveau].un.toLowerCase()} ne peut pas dépendre de ${niveauParent ?? 'la racine'}`);
    }
  }
  return problemes;
}

/** The children of each item, in the given order (the document's). */
export function enfants<T extends { ref: string; parentRef: string | null }>(noeuds: readonly T[]): Map<string | null, T[]> {
  const m = new Map<string | null, T[]>();
  for (const n of noeuds) m.set(n.parentRef, [...(m.get(n.parentRef) ?? []), n]);
  return m;
}

/** The chain from the root to an item (the item last). */
export function chemin<T extends { ref: string; parentRef: string | null }>(parRef: ReadonlyMap<string, T>, ref: string): T[] {
  const out: T[] = [];
  let courant = parRef.get(ref);
  const vus = new Set<string>();
  while (courant && !vus.has(courant.ref)) {
    vus.add(courant.ref);
    out.unshift(courant);
    courant = courant.parentRef ? parRef.get(courant.parentRef) : undefined;
  }
  return out;
}

/** How people cite an item: "1.1.1 · Priorité 1 · OO1 · A2 · L3". */
export function numeroComplet(ref: string): string {
  return ref
    .split('/')
    .map((p) => p.replace(/^P(\d+)$/, 'Priorité $1'))
    .join(' · ');
}

/** Text reduced for search: lower case, no accents, typographic apostrophes made plain. */
export function texteRecherche(texte: string): string {
  return texte
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The parts of a text that match the searched words, for highlighting: [text, matched][] */
export function surligner(texte: string, requete: string): [string, boolean][] {
  const termes = texteRecherche(requete)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length >= 3)
    .map((t) => t.slice(0, Math.max(3, t.length - 2)));
  if (!termes.length) return [[texte, false]];
  const plat = texteRecherche(texte);
  // texteRecherche keeps positions except where œ/æ become two letters: map back by walking both.
  const marques = new Array<boolean>(plat.length).fill(false);
  for (const t of termes) {
    let i = plat.indexOf(t);
    while (i >= 0) {
      const debutMot = i === 0 || !/[\p{L}\p{N}]/u.test(plat[i - 1]!);
      if (debutMot) {
        let j = i;
        while (j < plat.length && /[\p{L}\p{N}]/u.test(plat[j]!)) marques[j++] = true;
      }
      i = plat.indexOf(t, i + 1);
    }
  }
  if (plat.length !== texte.replace(/\s+/g, ' ').trim().length) return [[texte, false]];
  const source = texte.replace(/\s+/g, ' ').trim();
  const out: [string, boolean][] = [];
  for (let k = 0; k < source.length; k++) {
    const last = out[out.length - 1];
    if (last && last[1] === marques[k]) last[0] += source[k];
    else out.push([source[k]!, marques[k]!]);
  }
  return out;
}

// Amendments (avenants): the contract announces a fourth axis adopted by amendment. An amendment is
// drafted, then adopted; only then do its changes apply. Every change keeps the item as it was.
export const STATUTS_AVENANT = ['projet', 'adopte'] as const;
export type StatutAvenant = (typeof STATUTS_AVENANT)[number];

export type ChangementArbre =
  | { type: 'ajout'; noeud: NoeudArbre }
  | { type: 'modification'; ref: string; libelle: string }
  | { type: 'retrait'; ref: string };

/** The tree after an amendment's changes, or the French reasons it cannot apply. */
export function appliquerChangements(
  noeuds: readonly NoeudArbre[],
  changements: readonly ChangementArbre[],
): { ok: true; noeuds: NoeudArbre[] } | { ok: false; problemes: string[] } {
  let courant = [...noeuds];
  const problemes: string[] = [];
  for (const c of changements) {
    if (c.type === 'ajout') {
      if (courant.some((n) => n.ref === c.noeud.ref)) problemes.push(`La référence ${c.noeud.ref} existe déjà.`);
      else courant.push(c.noeud);
    } else if (c.type === 'modification') {
      if (!courant.some((n) => n.ref === c.ref)) problemes.push(`L’élément ${c.ref} n’existe pas.`);
      courant = courant.map((n) => (n.ref === c.ref ? { ...n, libelle: c.libelle } : n));
    } else {
      if (!courant.some((n) => n.ref === c.ref)) problemes.push(`L’élément ${c.ref} n’existe pas.`);
      else if (courant.some((n) => n.parentRef === c.ref)) problemes.push(`L’élément ${c.ref} a des éléments rattachés : retirez-les d’abord.`);
      else courant = courant.filter((n) => n.ref !== c.ref);
    }
  }
  problemes.push(...verifierArbre(courant));
  return problemes.length ? { ok: false, problemes } : { ok: true, noeuds: courant };
}

/** The next free reference under a parent at a level: a new axe after 1, 2, 3 is "4". */
export function prochaineRef(noeuds: readonly NoeudArbre[], parentRef: string | null, niveau: Niveau): string {
  const prefixe: Partial<Record<Niveau, string>> = { priorite: 'P', objectif_operationnel: 'OO', action: 'A', levier: 'L' };
  const p = prefixe[niveau];
  const freres = noeuds.filter((n) => n.parentRef === parentRef && n.niveau === niveau);
  const rangs = freres.map((n) => Number(n.ref.split(/[/.]/).pop()!.replace(/^\D+/, ''))).filter(Number.isFinite);
  const suivant = (rangs.length ? Math.max(...rangs) : 0) + 1;
  if (parentRef === null) return String(suivant);
  return p ? `${parentRef}/${p}${suivant}` : `${parentRef}.${suivant}`;
}

// ——— Sources, numbering of new items, the action table, amendment changes as read ———

/** The documents items are transcribed from, by their seed number: a short name for citations, the full title. */
export const DOCUMENTS: Record<string, { court: string; titre: string }> = {
  '002': { court: 'Contrat de ville', titre: 'Contrat de ville parisien 2015-2020' },
};

/** Line numbers as ranges: [1559, 1560, 1562] → "1559-1560, 1562". */
export function plagesLignes(lignes: readonly number[]): string {
  const tri = [...new Set(lignes)].sort((a, b) => a - b);
  const plages: string[] = [];
  for (let i = 0; i < tri.length; ) {
    let j = i;
    while (j + 1 < tri.length && tri[j + 1] === tri[j]! + 1) j++;
    plages.push(i === j ? String(tri[i]) : `${tri[i]}-${tri[j]}`);
    i = j + 1;
  }
  return plages.join(', ');
}

/** Where an item comes from, as a reader cites it: "Contrat de ville, l. 1559-1560", or "Avenant n° 1". */
export function sourceLisible(document: string | null, lignes: readonly number[]): string {
  if (document === null) return 'Source non renseignée';
  const nom = DOCUMENTS[document]?.court ?? document;
  return lignes.length ? `${nom}, l. ${plagesLignes(lignes)}` : nom;
}

/** The same for files and the API, compact and stable: "002 l.1559-1560". */
export function sourceCompacte(document: string | null, lignes: readonly number[]): string {
  if (document === null) return '';
  return lignes.length ? `${document} l.${plagesLignes(lignes)}` : document;
}

/** The amendment a source names ("Avenant n° 2" → 2), to link to it. */
export function numeroAvenantSource(document: string | null): number | null {
  const m = /^Avenant n° (\d+)$/.exec(document ?? '');
  return m ? Number(m[1]) : null;
}

/** The sources other records cite as "seed 002 l.295-300", made readable like an item's. */
export function sourceCitee(texte: string | null): string | null {
  if (texte === null) return null;
  const m = /^seed (\d+) l\.(.+)$/.exec(texte);
  return m ? `${DOCUMENTS[m[1]!]?.court ?? `Document ${m[1]}`}, l. ${m[2]}` : texte;
}

const NIVEAUX_POINTES: readonly Niveau[] = ['axe', 'orientation', 'objectif'];

/** The number shown for an item from its reference: "4.1" for an orientation, "Priorité 2", "OO3", "A1", "L2". */
export function numeroDeRef(ref: string, niveau: Niveau): string {
  if (NIVEAUX_POINTES.includes(niveau)) return ref;
  const dernier = ref.split('/').pop()!;
  return dernier.replace(/^P(\d+)$/, 'Priorité $1');
}

/** A new item an amendment adds under a parent (null for an axe), numbered after its siblings. */
export function nouveauNoeud(noeuds: readonly NoeudArbre[], parentRef: string | null, niveau: Niveau, libelle: string): NoeudArbre {
  const ref = prochaineRef(noeuds, parentRef, niveau);
  return { ref, niveau, numero: numeroDeRef(ref, niveau), libelle, parentRef };
}

/** One row group of the action table: an action (null when leviers hang on the objectif opérationnel itself) and its leviers. */
export type GroupeAction<T> = { action: T | null; leviers: T[] };
export type LigneObjectifOperationnel<T> = { oo: T; groupes: GroupeAction<T>[] };
/** One printed table: a Priorité block, or the objectif's own table when it has none. */
export type TableauActions<T> = { priorite: T | null; lignes: LigneObjectifOperationnel<T>[] };

/**
 * The tables of actions under an objectif or a priorité, as the contract prints them: columns
 * Objectif opérationnel | Actions | Leviers d'actions. `dessous` holds the items below `racine`, in order.
 */
export function tableauxActions<T extends NoeudArbre>(racine: T, dessous: readonly T[]): TableauActions<T>[] {
  const fils = enfants(dessous);
  const lignes = (parent: string): LigneObjectifOperationnel<T>[] =>
    (fils.get(parent) ?? [])
      .filter((n) => n.niveau === 'objectif_operationnel')
      .map((oo) => {
        const sous = fils.get(oo.ref) ?? [];
        const directs = sous.filter((n) => n.niveau === 'levier');
        const groupes: GroupeAction<T>[] = [
          ...(directs.length ? [{ action: null, leviers: directs }] : []),
          ...sous.filter((n) => n.niveau === 'action').map((a) => ({ action: a, leviers: (fils.get(a.ref) ?? []).filter((n) => n.niveau === 'levier') })),
        ];
        return { oo, groupes: groupes.length ? groupes : [{ action: null, leviers: [] }] };
      });
  if (racine.niveau === 'priorite') return [{ priorite: racine, lignes: lignes(racine.ref) }];
  if (racine.niveau !== 'objectif') return [];
  const propres = lignes(racine.ref);
  const priorites = (fils.get(racine.ref) ?? []).filter((n) => n.niveau === 'priorite').map((p) => ({ priorite: p, lignes: lignes(p.ref) }));
  return [...(propres.length || !priorites.length ? [{ priorite: null, lignes: propres }] : []), ...priorites];
}

/** How many table rows a row group takes: one per levier, at least one. */
export const hauteurGroupe = (g: GroupeAction<unknown>): number => Math.max(1, g.leviers.length);
export const hauteurLigne = (l: LigneObjectifOperationnel<unknown>): number => l.groupes.reduce((s, g) => s + hauteurGroupe(g), 0);

export const LIBELLES_CHANGEMENT: Record<ChangementArbre['type'], string> = {
  ajout: 'Ajout',
  modification: 'Modification du libellé',
  retrait: 'Retrait',
};

/** A recorded change as a reader sees it: what the item was, what it became (null where there is nothing). */
export function lectureChangement(c: { type: string; avant: unknown; apres: unknown }): { type: string; avant: string | null; apres: string | null } {
  const libelle = (v: unknown) => (v && typeof v === 'object' && 'libelle' in v && typeof v.libelle === 'string' ? v.libelle : null);
  const type = c.type in LIBELLES_CHANGEMENT ? LIBELLES_CHANGEMENT[c.type as ChangementArbre['type']] : c.type;
  return { type, avant: libelle(c.avant), apres: c.type === 'retrait' ? null : libelle(c.apres) };
}

/** An ISO date as French readers write it: "2016-03-01" → "1 mars 2016". */
export function dateFr(iso: string): string {
  return jourLong(iso);
}

/** An item named by its level and number: "Axe 1", "Priorité 2" (its number already names the level), "Action A1". */
export function nomCourt(n: { niveau: string; numero: string }): string {
  const niveau = LIBELLES_NIVEAU[n.niveau as Niveau]?.un ?? '';
  return n.numero.startsWith(niveau) ? n.numero : `${niveau} ${n.numero}`.trim();
}

/** The title of an item's page: "Axe 1 — Accompagner les parcours…". */
export const titreNoeud = (n: { niveau: string; numero: string; libelle: string }): string => `${nomCourt(n)} — ${n.libelle}`;

/** Fewer letters or digits than this, and a search finds nothing useful. */
export const MIN_RECHERCHE = 3;
export const requeteTropCourte = (q: string): boolean => texteRecherche(q).replace(/[^\p{L}\p{N}]/gu, '').length < MIN_RECHERCHE;

/** What other modules may ask of the contract: the items of its tree they point at, by reference. */
export type NoeudCite = { ref: string; niveau: Niveau; numero: string; libelle: string };
export interface ServiceContrat {
  noeuds(contratId: string, refs: readonly string[]): Promise<NoeudCite[]>;
  /** Every item of these levels still in force, in the tree's order (a campaign's priorities are chosen among them). */
  parNiveaux(contratId: string, niveaux: readonly Niveau[]): Promise<NoeudCite[]>;
}

declare module '../platform/http/context.ts' {
  interface AppServices {
    contrat: ServiceContrat;
  }
}
