import { describe, expect, it } from 'vitest';
import {
  ecrireJalons,
  empreinteEngagement,
  lireJalons,
  lireRefs,
  messageRefsInconnues,
  saisieDeEngagement,
  saisieDuFormulaire,
  saisiDansPilotis,
  schemaDocument,
  schemaEngagement,
} from './engagement-form.ts';
import { fieldErrors } from '../platform/ui/forms.tsx';
import type { EngagementRow } from './store.ts';

// The direction's form of a commitment, without a database: reading milestones and items of the tree
// as typed, the validation of each field, and the fingerprint that detects a change made meanwhile.

const ORGA = '5f0c6f0e-2b7a-4f52-9d59-0a6b1f9a1c11';

const documentaire: EngagementRow = {
  id: '9d1c0f3e-0000-4000-8000-000000000001',
  contratId: '9d1c0f3e-0000-4000-8000-000000000002',
  ref: 'bilan2015-2',
  organisationId: ORGA,
  porteur: 'DIRECCTE',
  noeudRefs: ['1.2.3/P1/OO1/A1/L3'],
  dispositif: 'CUI-CIE',
  thematique: 'Emploi',
  intitule: 'Contrats aidés dans le secteur marchand',
  indicateur: 'Part des habitants des QPV',
  unite: '%',
  sens: 'hausse',
  nature: 'part_qpv',
  reference: null,
  cible: '13%',
  echeance: null,
  jalons: [],
  sources: [{ document: '004', lignes: [2522], texte: '13%', valeur: '13%', origine: 'fiche' }],
  recherche: '',
  createdAt: new Date('2024-01-01T00:00:00Z'),
};
const saisi: EngagementRow = {
  ...documentaire,
  ref: 'saisie-1',
  sources: [{ document: 'Pilotis', lignes: [], texte: 'Décision du comité de pilotage du 12 mai 2016', valeur: '13%', origine: 'saisie' }],
};

describe('lireJalons', () => {
  it('reads one milestone a line, spaces around the colon optional, in date order, blank lines skipped', () => {
    expect(lireJalons('2018-12-31 : 60 %\n\n  2017-06-30:50 %  \r\n2019-12-31 :  plan adopté : phase 2')).toEqual({
      jalons: [
        { date: '2017-06-30', valeur: '50 %' },
        { date: '2018-12-31', valeur: '60 %' },
        { date: '2019-12-31', valeur: 'plan adopté : phase 2' },
      ],
      erreurs: [],
    });
    expect(lireJalons('   \n')).toEqual({ jalons: [], erreurs: [] });
  });

  it('names each wrong line by its number: not a date first, a day the calendar lacks, a missing value', () => {
    const { jalons, erreurs } = lireJalons('2017-12-31 : 50 %\nfin 2017 : 50 %\n2017-02-30 : 40 %\n2018-01-01 :\n31/12/2018 : 70 %');
    expect(jalons).toEqual([{ date: '2017-12-31', valeur: '50 %' }]);
    expect(erreurs).toEqual([
      'Ligne 2 : écrivez la date puis la valeur, par exemple « 2017-12-31 : 50 % ».',
      'Ligne 3 : le 2017-02-30 n’existe pas dans le calendrier.',
      'Ligne 4 : indiquez la valeur attendue à cette date, par exemple « 2017-12-31 : 50 % ».',
      'Ligne 5 : écrivez la date puis la valeur, par exemple « 2017-12-31 : 50 % ».',
    ]);
  });

  it('refuses more than 50 milestones, and writes milestones back as it reads them', () => {
    const lignes = Array.from({ length: 51 }, (_, i) => `20${String(i + 10).padStart(2, '0')}-01-01 : ${i}`).join('\n');
    expect(lireJalons(lignes).erreurs).toEqual(['Saisissez au plus 50 jalons.']);
    const jalons = [
      { date: '2017-06-30', valeur: '50 %' },
      { date: '2018-12-31', valeur: '60 %' },
    ];
    expect(ecrireJalons(jalons)).toBe('2017-06-30 : 50 %\n2018-12-31 : 60 %');
    expect(lireJalons(ecrireJalons(jalons)).jalons).toEqual(jalons);
  });
});

describe('lireRefs', () => {
  it('splits on commas and new lines, trims, keeps each reference once in the order typed', () => {
    expect(lireRefs('1.2, 1.2.3/P1/OO1/A1/L3\n\n2.1 ,1.2\r\n')).toEqual({ refs: ['1.2', '1.2.3/P1/OO1/A1/L3', '2.1'], invalides: [] });
    expect(lireRefs('')).toEqual({ refs: [], invalides: [] });
  });

  it('sets apart what cannot be a reference', () => {
    expect(lireRefs('1.2, axe 1, 1.2.3//P1, /1.2')).toEqual({ refs: ['1.2'], invalides: ['axe 1', '1.2.3//P1', '/1.2'] });
  });

  it('names the unknown references in one message', () => {
    expect(messageRefsInconnues(['9.9'])).toBe('L’arbre du contrat n’a pas d’élément « 9.9 ».');
    expect(messageRefsInconnues(['9.9', '8.8'])).toBe('L’arbre du contrat n’a pas d’éléments « 9.9 », « 8.8 ».');
  });
});

describe('schemaEngagement', () => {
  const valide = { intitule: '  Ouvrir trois maisons de santé  ', organisation: ORGA, sens: 'hausse', nature: 'nombre', cible: '3', noeuds: '1.2\n2.1', jalons: '2018-12-31 : 2', source: '' };

  it('gives the store every field, empty ones as null, the lists read', () => {
    const r = schemaEngagement([ORGA]).safeParse({ ...valide, _csrf: 'x' });
    expect(r.success && r.data).toEqual({
      avant: '',
      champs: {
        intitule: 'Ouvrir trois maisons de santé',
        organisationId: ORGA,
        dispositif: null,
        thematique: null,
        indicateur: null,
        unite: null,
        sens: 'hausse',
        nature: 'nombre',
        reference: null,
        cible: '3',
        echeance: null,
        noeudRefs: ['1.2', '2.1'],
        jalons: [{ date: '2018-12-31', valeur: '2' }],
        source: null,
      },
    });
  });

  it('says in French what is missing or wrong, field by field', () => {
    const r = schemaEngagement([ORGA]).safeParse({ intitule: ' ', organisation: 'DIRECCTE', nature: 'tout', noeuds: 'axe 1', jalons: 'fin 2017 : 50 %', unite: 'x'.repeat(101) });
    expect(r.success).toBe(false);
    expect(fieldErrors(r.error!)).toEqual({
      intitule: 'Saisissez l’intitulé de l’engagement.',
      organisation: 'Choisissez le porteur dans la liste.',
      sens: 'Choisissez le sens : à la hausse ou à la baisse.',
      nature: 'Choisissez une nature de cible dans la liste.',
      noeuds: '« axe 1 » : une référence s’écrit comme 1.2 ou 1.2.3/P1/OO1/A1/L3.',
      jalons: 'Ligne 1 : écrivez la date puis la valeur, par exemple « 2017-12-31 : 50 % ».',
      unite: 'Ce champ doit compter au plus 100 caractères.',
    });
  });

  it('lets the porteur be left undesignated', () => {
    const r = schemaEngagement([ORGA]).safeParse({ ...valide, organisation: '' });
    expect(r.success && r.data.champs.organisationId).toBeNull();
  });
});

describe('schemaDocument', () => {
  it('keeps only the owner, the items of the tree, the milestones and the fingerprint, whatever else is posted', () => {
    const r = schemaDocument([ORGA]).safeParse({ organisation: ORGA, noeuds: '1.2', jalons: '2017-12-31 : 15 %', avant: 'abc', cible: '99 %', intitule: 'Autre chose' });
    expect(r.success && r.data).toEqual({ avant: 'abc', champs: { organisationId: ORGA, noeudRefs: ['1.2'], jalons: [{ date: '2017-12-31', valeur: '15 %' }] } });
  });
});

describe('a stored commitment in the form', () => {
  it('tells a commitment recorded in Pilotis from one printed in the documents', () => {
    expect(saisiDansPilotis(saisi)).toBe(true);
    expect(saisiDansPilotis(documentaire)).toBe(false);
    expect(saisiDansPilotis({ sources: [...documentaire.sources, ...saisi.sources] })).toBe(false);
  });

  it('fills the form with the stored values, lists one item a line', () => {
    const v = saisieDeEngagement({ ...saisi, noeudRefs: ['1.2', '2.1'], jalons: [{ date: '2017-12-31', valeur: '10 %' }] });
    expect(v).toMatchObject({ intitule: saisi.intitule, organisation: ORGA, reference: '', cible: '13%', noeuds: '1.2\n2.1', jalons: '2017-12-31 : 10 %', source: 'Décision du comité de pilotage du 12 mai 2016' });
    expect(v.avant).toBe(empreinteEngagement({ ...saisi, noeudRefs: ['1.2', '2.1'], jalons: [{ date: '2017-12-31', valeur: '10 %' }] }));
    expect(saisieDeEngagement({ ...saisi, sources: [{ ...saisi.sources[0]!, texte: 'Saisi dans Pilotis' }] }).source).toBe('');
  });

  it('reads back what was typed as strings, an absent or repeated field as empty', () => {
    const v = saisieDuFormulaire({ intitule: 'Un intitulé', cible: ['1', '2'], avant: 'abc' });
    expect(v.intitule).toBe('Un intitulé');
    expect(v.cible).toBe('');
    expect(v.jalons).toBe('');
    expect(v.avant).toBe('abc');
  });

  it('changes its fingerprint with a field the form may change, not with one it may not', () => {
    const base = empreinteEngagement(documentaire);
    expect(empreinteEngagement({ ...documentaire })).toBe(base);
    expect(empreinteEngagement({ ...documentaire, jalons: [{ date: '2017-12-31', valeur: '10 %' }] })).not.toBe(base);
    expect(empreinteEngagement({ ...documentaire, noeudRefs: [] })).not.toBe(base);
    expect(empreinteEngagement({ ...documentaire, organisationId: null })).not.toBe(base);
    // The printed target of a document's commitment is not the form's: changing it does not stale the form.
    expect(empreinteEngagement({ ...documentaire, cible: '15%' })).toBe(base);
    expect(empreinteEngagement({ ...saisi, cible: '15%' })).not.toBe(empreinteEngagement(saisi));
    expect(empreinteEngagement({ ...saisi, sources: [{ ...saisi.sources[0]!, texte: 'Autre décision' }] })).not.toBe(empreinteEngagement(saisi));
  });
});
