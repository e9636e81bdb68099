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
      courant = courant.filter((n) => n.ref !== c.ref);
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
