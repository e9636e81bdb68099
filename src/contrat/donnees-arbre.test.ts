import { describe, expect, it } from 'vitest';
import { seedLines } from '../../test/seeds.ts';
import { mots, verifierTranscription, type Cite } from '../../test/transcription.ts';
import { lireArbre, type FichierOrientation } from './donnees.ts';
import { verifierArbre } from './model.ts';

// The strategy tree of seed 002 as transcribed in data/paris-2015-2020/arbre/, read against the seed:
// every word of every item is on the lines it cites, every word of those lines is transcribed, and
// every line of each orientation's range is either in the tree or declared outside it (narrative text,
// page furniture). A dropped action or lever, a mistyped word or a wrong line number fails here.

const seed = seedLines('002_c4a66201d2f76daa.txt');
const dataDir = new URL('../../data/paris-2015-2020/', import.meta.url);
const arbre = lireArbre(dataDir);
const ORIENTATIONS = ['1.1', '1.2', '1.3', '2.1', '2.2', '3.1', '3.2'];

function citesOrientation(f: FichierOrientation): Cite[] {
  const d = f.orientationDetails;
  return [
    ...f.noeuds.map((n) => ({ texte: `${n.numero.startsWith('Priorité') ? n.numero : ''} ${['orientation', 'objectif'].includes(n.niveau) ? n.numero : ''} ${n.libelle}`, lignes: n.lignes, ou: n.ref })),
    ...f.noeuds.flatMap((n) => (n.sommaire ? [{ texte: `${n.numero} ${n.sommaire.texte}`, lignes: n.sommaire.lignes, ou: `${n.ref} (sommaire)` }] : [])),
    ...(d.contributionCitoyenne ? [{ ...d.contributionCitoyenne, ou: `${f.orientation} contribution citoyenne` }] : []),
    ...(d.priorites ?? []).map((p) => ({ texte: `${p.numero} ${p.texte}`, lignes: p.lignes, ou: `${f.orientation} priorité ${p.numero}` })),
    ...(['acteurs', 'publics', 'dispositifs', 'interdependances'] as const).flatMap((k) =>
      (d[k] ?? []).map((c, i) => ({ texte: c.texte, lignes: c.lignes, ou: `${f.orientation} ${k}[${i}]` })),
    ),
  ];
}

describe('the strategy tree of the Paris contract (seed 002)', () => {
  it('has one file per orientation of the contract, and the three axes', () => {
    expect(arbre.orientations.map((o) => o.orientation)).toEqual(ORIENTATIONS);
    expect(arbre.axes.noeuds.filter((n) => n.niveau === 'axe').map((n) => n.ref)).toEqual(['1', '2', '3']);
  });

  it('forms one tree: unique references, each item under a parent of the level above', () => {
    const tous = [...arbre.axes.noeuds, ...arbre.orientations.flatMap((o) => o.noeuds)];
    expect(verifierArbre(tous.map((n) => ({ ...n, parentRef: n.parent })))).toEqual([]);
  });

  it('gives every orientation its objectifs, every objectif a table of actions, every action at least one word', () => {
    for (const o of arbre.orientations) {
      const objectifs = o.noeuds.filter((n) => n.niveau === 'objectif');
      expect(objectifs.length, o.orientation).toBeGreaterThan(0);
      for (const obj of objectifs) {
        const dessous = o.noeuds.filter((n) => n.ref.startsWith(`${obj.ref}/`));
        expect(dessous.some((n) => n.niveau === 'action' || n.niveau === 'levier'), obj.ref).toBe(true);
        expect(obj.sommaire, `${obj.ref} : libellé du sommaire`).toBeDefined();
      }
    }
  });

  for (const o of arbre.orientations) {
    it(`orientation ${o.orientation} (l.${o.plage[0]}-${o.plage[1]}): every word on its lines, every line accounted for`, () => {
      const cibles = o.cibles.map((c, i) => ({ texte: c.texte, lignes: c.lignes, ou: `cible[${i}]` }));
      const problemes = verifierTranscription(seed, o.plage, citesOrientation(o), o.horsArbre);
      // Targets are quoted from narrative text: their words must be on their lines, and the lines stay declared as text.
      problemes.push(...verifierTranscription(seed, [1, 0], cibles, []).filter((p) => p.includes('mots absents') || p.includes('hors du')));
      expect(problemes).toEqual([]);
    });
  }

  it('attaches each quantified target to an item of the tree', () => {
    const refs = new Set([...arbre.axes.noeuds, ...arbre.orientations.flatMap((o) => o.noeuds)].map((n) => n.ref));
    for (const o of arbre.orientations) {
      for (const c of o.cibles) if (c.noeud !== null) expect(refs.has(c.noeud), `${o.orientation} : ${c.texte}`).toBe(true);
    }
  });

  it('transcribes the axes, their summaries and the transversal priorities', () => {
    const a = arbre.axes;
    const cites: Cite[] = [
      ...a.noeuds.map((n) => ({ texte: `${n.niveau === 'axe' ? `Axe ${n.numero}` : n.numero} ${n.libelle}`, lignes: n.lignes, ou: n.ref })),
      ...a.sommairesOrientations.map((p) => ({ texte: `${p.ref} ${p.texte}`, lignes: p.lignes, ou: `${p.ref} (sommaire)` })),
      ...arbre.orientations.flatMap((o) => o.noeuds.flatMap((n) => (n.sommaire ? [{ texte: `${n.numero} ${n.sommaire.texte}`, lignes: n.sommaire.lignes, ou: `${n.ref} (sommaire)` }] : []))),
      ...a.prioritesTransversales.map((p) => ({ ...p, ou: p.ref })),
      ...a.amendementsAnnonces.map((p, i) => ({ ...p, ou: `amendement[${i}]` })),
    ];
    const problemes = a.plages.flatMap((p) => verifierTranscription(seed, p, cites.filter((c) => c.lignes.every((l) => l >= p[0] && l <= p[1])), a.horsArbre));
    expect(problemes).toEqual([]);
    expect(a.prioritesTransversales.map((p) => mots(p.texte).join(' '))).toEqual(['la jeunesse', 'l égalité femmes hommes', 'la lutte contre les discriminations']);
  });
});
