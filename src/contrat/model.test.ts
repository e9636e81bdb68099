import { describe, expect, it } from 'vitest';
import {
  appliquerChangements,
  chemin,
  hauteurLigne,
  lectureChangement,
  nouveauNoeud,
  numeroAvenantSource,
  numeroComplet,
  numeroDeRef,
  plagesLignes,
  prochaineRef,
  sourceCitee,
  sourceCompacte,
  sourceLisible,
  surligner,
  tableauxActions,
  requeteTropCourte,
  titreNoeud,
  nomCourt,
  dateFr,
  verifierArbre,
  type Niveau,
  type NoeudArbre,
} from './model.ts';

// The pure rules of the strategy tree: how items are cited, numbered, found, laid out in the
// contract's action tables, and changed by amendments.

const n = (ref: string, niveau: Niveau, parentRef: string | null, libelle = ref): NoeudArbre => ({ ref, niveau, numero: numeroDeRef(ref, niveau), libelle, parentRef });

// A small tree shaped like the contract's: an objectif with two Priorité blocks, another without any.
const ARBRE: NoeudArbre[] = [
  n('1', 'axe', null),
  n('1.1', 'orientation', '1'),
  n('1.1.1', 'objectif', '1.1'),
  n('1.1.1/P1', 'priorite', '1.1.1'),
  n('1.1.1/P1/OO1', 'objectif_operationnel', '1.1.1/P1'),
  n('1.1.1/P1/OO1/A1', 'action', '1.1.1/P1/OO1'),
  n('1.1.1/P1/OO1/A1/L1', 'levier', '1.1.1/P1/OO1/A1'),
  n('1.1.1/P1/OO1/A1/L2', 'levier', '1.1.1/P1/OO1/A1'),
  n('1.1.1/P1/OO1/A2', 'action', '1.1.1/P1/OO1'),
  n('1.1.1/P2', 'priorite', '1.1.1'),
  n('1.1.1/P2/OO1', 'objectif_operationnel', '1.1.1/P2'),
  n('1.1.1/P2/OO1/L1', 'levier', '1.1.1/P2/OO1'),
  n('1.1.2', 'objectif', '1.1'),
  n('1.1.2/OO1', 'objectif_operationnel', '1.1.2'),
  n('1.1.2/OO1/A1', 'action', '1.1.2/OO1'),
  n('1.1.2/OO1/A1/L1', 'levier', '1.1.2/OO1/A1'),
];
const sous = (ref: string) => ARBRE.filter((x) => x.ref.startsWith(`${ref}/`) || x.ref.startsWith(`${ref}.`));
const racine = (ref: string) => ARBRE.find((x) => x.ref === ref)!;
const refs = (l: (NoeudArbre | null)[]) => l.map((x) => x?.ref ?? null);

describe('citing an item', () => {
  it('writes line numbers as ranges', () => {
    expect(plagesLignes([1559])).toBe('1559');
    expect(plagesLignes([1559, 1560, 1561])).toBe('1559-1561');
    expect(plagesLignes([1593, 1594, 1352, 1353, 1360])).toBe('1352-1353, 1360, 1593-1594');
    expect(plagesLignes([])).toBe('');
  });

  it('names the contract by its short name for readers and by its seed number in files', () => {
    expect(sourceLisible('002', [1559])).toBe('Contrat de ville, l. 1559');
    expect(sourceLisible('002', [1559, 1560])).toBe('Contrat de ville, l. 1559-1560');
    expect(sourceCompacte('002', [1559, 1560])).toBe('002 l.1559-1560');
    expect(sourceLisible('Avenant n° 1', [])).toBe('Avenant n° 1');
    expect(sourceCompacte('Avenant n° 1', [])).toBe('Avenant n° 1');
    expect(sourceLisible(null, [])).toBe('Source non renseignée');
  });

  it('finds the amendment a source names, and reads the organisations’ sources the same way', () => {
    expect(numeroAvenantSource('Avenant n° 12')).toBe(12);
    expect(numeroAvenantSource('002')).toBeNull();
    expect(sourceCitee('seed 002 l.295-300')).toBe('Contrat de ville, l. 295-300');
    expect(sourceCitee('Annuaire')).toBe('Annuaire');
  });

  it('cites an item as people do', () => {
    expect(numeroComplet('1.1.1/P1/OO1/A2/L3')).toBe('1.1.1 · Priorité 1 · OO1 · A2 · L3');
  });

  it('gives the chain from the axe to an item', () => {
    const parRef = new Map(ARBRE.map((x) => [x.ref, x]));
    expect(chemin(parRef, '1.1.1/P1/OO1/A1/L2').map((x) => x.ref)).toEqual(['1', '1.1', '1.1.1', '1.1.1/P1', '1.1.1/P1/OO1', '1.1.1/P1/OO1/A1', '1.1.1/P1/OO1/A1/L2']);
    expect(chemin(parRef, 'inconnu')).toEqual([]);
  });
});

describe('numbering what an amendment adds', () => {
  it('adds a fourth axe after the three of the contract, and numbers each level its own way', () => {
    expect(nouveauNoeud(ARBRE, null, 'axe', 'Valeurs de la République et citoyenneté')).toEqual({
      ref: '2',
      niveau: 'axe',
      numero: '2',
      libelle: 'Valeurs de la République et citoyenneté',
      parentRef: null,
    });
    const trois = [n('1', 'axe', null), n('2', 'axe', null), n('3', 'axe', null)];
    expect(nouveauNoeud(trois, null, 'axe', 'x').ref).toBe('4');
    expect(nouveauNoeud(ARBRE, '1.1', 'objectif', 'x')).toMatchObject({ ref: '1.1.3', numero: '1.1.3' });
    expect(nouveauNoeud(ARBRE, '1.1.1', 'priorite', 'x')).toMatchObject({ ref: '1.1.1/P3', numero: 'Priorité 3' });
    expect(nouveauNoeud(ARBRE, '1.1.1/P1/OO1', 'action', 'x')).toMatchObject({ ref: '1.1.1/P1/OO1/A3', numero: 'A3' });
    expect(nouveauNoeud(ARBRE, '1.1.1/P1/OO1/A2', 'levier', 'x')).toMatchObject({ ref: '1.1.1/P1/OO1/A2/L1', numero: 'L1' });
    expect(prochaineRef([], '4', 'orientation')).toBe('4.1');
  });
});

describe('the action table', () => {
  it('lays out an objectif as its Priorité blocks, each objectif opérationnel with its actions and their leviers', () => {
    const tableaux = tableauxActions(racine('1.1.1'), sous('1.1.1'));
    expect(refs(tableaux.map((t) => t.priorite))).toEqual(['1.1.1/P1', '1.1.1/P2']);
    const [p1, p2] = tableaux;
    expect(p1!.lignes.map((l) => l.oo.ref)).toEqual(['1.1.1/P1/OO1']);
    expect(p1!.lignes[0]!.groupes.map((g) => [g.action?.ref, g.leviers.map((x) => x.ref)])).toEqual([
      ['1.1.1/P1/OO1/A1', ['1.1.1/P1/OO1/A1/L1', '1.1.1/P1/OO1/A1/L2']],
      ['1.1.1/P1/OO1/A2', []],
    ]);
    // Two leviers, then an action without any: three rows.
    expect(hauteurLigne(p1!.lignes[0]!)).toBe(3);
    // A levier under an empty Actions cell.
    expect(p2!.lignes[0]!.groupes).toEqual([{ action: null, leviers: [racine('1.1.1/P2/OO1/L1')] }]);
  });

  it('lays out an objectif without Priorité as one table, and a priorité as its own table', () => {
    const [seul, ...autres] = tableauxActions(racine('1.1.2'), sous('1.1.2'));
    expect(autres).toEqual([]);
    expect(seul!.priorite).toBeNull();
    expect(seul!.lignes.map((l) => l.oo.ref)).toEqual(['1.1.2/OO1']);
    expect(tableauxActions(racine('1.1.1/P2'), sous('1.1.1/P2')).map((t) => t.priorite?.ref)).toEqual(['1.1.1/P2']);
    expect(tableauxActions(racine('1.1'), sous('1.1'))).toEqual([]);
  });

  it('shows an objectif opérationnel that has neither action nor levier yet on one empty row', () => {
    const vide = n('1.1.2/OO2', 'objectif_operationnel', '1.1.2');
    const [t] = tableauxActions(racine('1.1.2'), [...sous('1.1.2'), vide]);
    expect(t!.lignes.at(-1)).toEqual({ oo: vide, groupes: [{ action: null, leviers: [] }] });
  });
});

describe('search highlighting', () => {
  it('marks whole words matching the searched stems, whatever the accents and the plural', () => {
    const parts = surligner('Lutter contre le décrochage scolaire', 'décrochages');
    expect(parts.filter(([, m]) => m).map(([t]) => t)).toEqual(['décrochage']);
    expect(parts.map(([t]) => t).join('')).toBe('Lutter contre le décrochage scolaire');
    expect(surligner('Égalité femmes/hommes', 'egalite')).toEqual([
      ['Égalité', true],
      [' femmes/hommes', false],
    ]);
  });

  it('marks nothing for words too short to search', () => {
    expect(surligner('Le quartier', 'le')).toEqual([['Le quartier', false]]);
  });
});

describe('amendments', () => {
  const axes = [n('1', 'axe', null), n('2', 'axe', null), n('3', 'axe', null)];

  it('adds an axe, renames an item, withdraws an item without children', () => {
    const r = appliquerChangements([...axes, n('3.1', 'orientation', '3')], [
      { type: 'ajout', noeud: nouveauNoeud(axes, null, 'axe', 'Valeurs de la République et citoyenneté') },
      { type: 'modification', ref: '2', libelle: 'Vivre sa ville' },
      { type: 'retrait', ref: '3.1' },
    ]);
    expect(r.ok && r.noeuds.map((x) => [x.ref, x.libelle])).toEqual([
      ['1', '1'],
      ['2', 'Vivre sa ville'],
      ['3', '3'],
      ['4', 'Valeurs de la République et citoyenneté'],
    ]);
  });

  it('refuses, in French, a reference taken, an unknown item, a withdrawal that would orphan items, a level out of place', () => {
    const r = appliquerChangements([...axes, n('3.1', 'orientation', '3')], [
      { type: 'ajout', noeud: n('2', 'axe', null) },
      { type: 'modification', ref: '9', libelle: 'x' },
      { type: 'retrait', ref: '3' },
      { type: 'ajout', noeud: n('5', 'orientation', null) },
    ]);
    expect(r.ok ? [] : r.problemes).toEqual(
      expect.arrayContaining([
        'La référence 2 existe déjà.',
        'L’élément 9 n’existe pas.',
        'L’élément 3 a des éléments rattachés : retirez-les d’abord.',
        '5 : un·e orientation ne peut pas dépendre de la racine',
      ]),
    );
    expect(verifierArbre(axes)).toEqual([]);
  });

  it('reads a recorded change as before and after', () => {
    expect(lectureChangement({ type: 'modification', avant: n('2', 'axe', null, 'Vivre sa ville et son quartier'), apres: { libelle: 'Vivre sa ville' } })).toEqual({
      type: 'Modification du libellé',
      avant: 'Vivre sa ville et son quartier',
      apres: 'Vivre sa ville',
    });
    expect(lectureChangement({ type: 'ajout', avant: null, apres: n('4', 'axe', null, 'Valeurs') })).toEqual({ type: 'Ajout', avant: null, apres: 'Valeurs' });
    expect(lectureChangement({ type: 'retrait', avant: n('3.1', 'orientation', '3', 'Ancien'), apres: null })).toEqual({ type: 'Retrait', avant: 'Ancien', apres: null });
  });
});

describe('titles and dates', () => {
  it('titles an item with its level once', () => {
    expect(titreNoeud({ niveau: 'axe', numero: '1', libelle: 'Accompagner les parcours' })).toBe('Axe 1 — Accompagner les parcours');
    expect(titreNoeud({ niveau: 'priorite', numero: 'Priorité 2', libelle: 'Soutenir' })).toBe('Priorité 2 — Soutenir');
    expect(titreNoeud({ niveau: 'levier', numero: 'L1', libelle: 'Flécher' })).toBe('Levier d’action L1 — Flécher');
    expect(nomCourt({ niveau: 'objectif_operationnel', numero: 'OO2' })).toBe('Objectif opérationnel OO2');
  });

  it('writes dates in French', () => {
    expect(dateFr('2016-03-01')).toBe('1er mars 2016');
    expect(dateFr('pas une date')).toBe('pas une date');
  });
});

describe('search queries', () => {
  it('needs three letters or digits, accents and punctuation aside', () => {
    expect(requeteTropCourte('')).toBe(true);
    expect(requeteTropCourte(' é. ')).toBe(true);
    expect(requeteTropCourte('PRE')).toBe(false);
    expect(requeteTropCourte('l’é')).toBe(true);
  });
});
