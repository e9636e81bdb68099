import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  alertesMesure,
  calculerTaux,
  ETAPES_FICHE,
  etapePossible,
  lireChiffre,
  resultatsCopies,
  saisieOuverte,
  sourcesDivergentes,
  STATUTS_FICHE,
  TRANSITIONS_FICHE,
  tranche,
  type Mesurable,
} from './model.ts';

describe('reading a printed figure', () => {
  it.each([
    ['18,1%', { valeur: 18.1, unite: '%', date: null }],
    ['20,3%(avril 2016)', { valeur: 20.3, unite: '%', date: 'avril 2016' }],
    ['2 500 rendez-vous réalisés', { valeur: 2500, unite: 'nombre', date: null }],
    ['A Paris : 2 154 bénéficiaires', { valeur: 2154, unite: 'nombre', date: null }],
    ['+1,2 point', { valeur: 1.2, unite: 'points', date: null }],
    ['-0,25% par an', { valeur: -0.25, unite: '%', date: null }],
    ['1 500 000 €', { valeur: 1500000, unite: '€', date: null }],
    ['2 en 2013/2014 organisées', { valeur: 2, unite: 'nombre', date: null }],
  ])('reads « %s »', (texte, attendu) => {
    expect(lireChiffre(texte)).toEqual(attendu);
  });

  it.each(['NC', '-', '--', '', 'Décembre 2015', '31 décembre 2015', 'réduire l’écart de moitié', null])('finds no figure in « %s »', (texte) => {
    expect(lireChiffre(texte)).toBeNull();
  });
});

const mesure = (m: Partial<Mesurable>): Mesurable => ({ nature: 'niveau', sens: 'hausse', reference: null, cible: null, resultat: null, ...m });

describe('the realisation rate by rule', () => {
  it('divides the result by the target when higher is better (113 % for 20,3 % against 18 %)', () => {
    expect(calculerTaux(mesure({ nature: 'part_qpv', cible: '18%', resultat: '20,3%(avril 2016)' }))).toMatchObject({ taux: 112.8, formule: 'résultat ÷ cible' });
  });

  it('measures progress from the baseline toward the target when lower is better', () => {
    // From 11,3 % toward half of it (5,65 %): at 9 % the way done is 2,3 / 5,65.
    expect(calculerTaux(mesure({ sens: 'baisse', reference: '11,3%', cible: '5,65%', resultat: '9%' })).taux).toBe(40.7);
    // Reaching the target exactly is 100 %, going past it is more.
    expect(calculerTaux(mesure({ sens: 'baisse', reference: '20%', cible: '10%', resultat: '10%' })).taux).toBe(100);
    expect(calculerTaux(mesure({ sens: 'baisse', reference: '20%', cible: '10%', resultat: '5%' })).taux).toBe(150);
  });

  it('without a baseline, a lower-is-better rate is the target over the result', () => {
    expect(calculerTaux(mesure({ sens: 'baisse', cible: '10%', resultat: '12,5%' })).taux).toBe(80);
  });

  it('compares the change observed with the change targeted for a yearly change', () => {
    expect(calculerTaux(mesure({ nature: 'evolution_annuelle', sens: 'baisse', reference: '6,6%', cible: '-0,25% par an', resultat: '6,6%' })).taux).toBe(0);
    expect(calculerTaux(mesure({ nature: 'evolution_annuelle', reference: '100', cible: '+10', resultat: '105' })).taux).toBe(50);
  });

  it('gives no rate, and says why, for a qualitative target, a missing figure or different units', () => {
    expect(calculerTaux(mesure({ nature: 'qualitatif', cible: 'Développer', resultat: 'Fait' }))).toMatchObject({ taux: null });
    expect(calculerTaux(mesure({ cible: '30%', resultat: 'Décembre 2015' }))).toMatchObject({ taux: null, raison: 'Résultat non chiffré.' });
    expect(calculerTaux(mesure({ cible: '30%', resultat: '528 élèves' }))).toMatchObject({ taux: null, raison: expect.stringContaining('Unités différentes') });
  });

  it('is 100 % whenever the result equals the target, higher or lower being better', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100000 }), fc.integer({ min: 1, max: 100000 }), (cible, reference) => {
        expect(calculerTaux(mesure({ cible: `${cible}`, resultat: `${cible}` })).taux).toBe(100);
        if (reference !== cible) expect(calculerTaux(mesure({ sens: 'baisse', reference: `${reference}`, cible: `${cible}`, resultat: `${cible}` })).taux).toBe(100);
      }),
    );
  });
});

describe('flags', () => {
  const flags = (m: Partial<Mesurable> & { tauxDeclare: string | null }) => {
    const full = { ...mesure(m), tauxDeclare: m.tauxDeclare };
    return alertesMesure(full, calculerTaux(full)).map((a) => a.code);
  };

  it('flags a declared rate that does not follow from the figures (113 % declared for 20,3 % against 13 %)', () => {
    expect(flags({ cible: '13%', resultat: '20,3%(avril 2016)', tauxDeclare: '113%' })).toEqual(['taux_divergent']);
  });

  it('accepts a declared rate rounded to the unit', () => {
    expect(flags({ cible: '18%', resultat: '20,3%', tauxDeclare: '113%' })).toEqual([]);
  });

  it('flags a rate capped at 100 % when the figures give more', () => {
    expect(flags({ cible: '25%', resultat: '30%', tauxDeclare: '100%' })).toEqual(['taux_divergent', 'taux_plafonne']);
  });

  it('flags missing inputs and units that do not match', () => {
    expect(flags({ cible: '30%', resultat: null, tauxDeclare: null })).toEqual(['donnee_manquante']);
    expect(flags({ cible: '30%', resultat: '528 élèves', tauxDeclare: '90%' })).toEqual(['unites_differentes']);
  });

  it('finds a result copied from a sheet about another indicator, not the same figure of the same sheet', () => {
    const copies = resultatsCopies([
      { cle: 'a', fiche: 1, indicateur: 'Part des jeunes en emploi d’avenir', resultat: '20,3%(avril 2016)', taux: '113%' },
      { cle: 'b', fiche: 2, indicateur: 'Part des résidents QPV sur les CUI marchands', resultat: '20,3%(avril 2016)', taux: '113%' },
      { cle: 'c', fiche: 3, indicateur: 'Autre', resultat: 'Décembre 2015', taux: null },
      { cle: 'd', fiche: 4, indicateur: 'Autre encore', resultat: 'Décembre 2015', taux: null },
    ]);
    expect(Object.fromEntries(copies)).toEqual({ a: [2], b: [1] });
  });

  it('puts each rate in one band of the distribution', () => {
    expect([tranche(null), tranche(10), tranche(50), tranche(99.9), tranche(100), tranche(268)]).toEqual(['sans_taux', 'moins_50', '50_80', '80_100', '100_plus', '100_plus']);
  });
});

describe('sources that disagree', () => {
  const s = (valeur: string | null, origine: string) => ({ document: '004', lignes: [1], valeur, origine });
  it('shows each distinct figure with its sources, and nothing when they agree', () => {
    expect(sourcesDivergentes([s('18%', 'fiche'), s('18 %', 'livret')])).toEqual([]);
    expect(sourcesDivergentes([s('13%', 'fiche'), s('18 %', 'livret'), s(null, 'contrat')]).map((g) => g.valeur)).toEqual(['13%', '18 %']);
  });
});

describe('the life of a sheet', () => {
  // Who may take each step and from which state: the whole table, written out.
  const ATTENDU = `
etape        a_remplir soumise renvoyee validee permission
enregistrer  Y         .       Y        .       fiches.saisir
soumettre    Y         .       Y        .       fiches.saisir
valider      .         Y       .        .       campagnes.piloter
renvoyer     .         Y       .        .       campagnes.piloter
rouvrir      .         Y       .        Y       campagnes.piloter`;
  const [entete, ...lignes] = ATTENDU.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const ouverte = { echeance: '2026-12-31', close: false };

  it('covers every step and every state', () => {
    expect(lignes.map((l) => l[0])).toEqual(ETAPES_FICHE);
    expect(entete!.slice(1, -1)).toEqual([...STATUTS_FICHE]);
  });

  for (const [etape, ...cells] of lignes) {
    for (const [i, statut] of STATUTS_FICHE.entries()) {
      it(`${etape} from ${statut}: ${cells[i] === 'Y' ? 'allowed' : 'refused'}, asked of ${cells.at(-1)}`, () => {
        const e = etape as (typeof ETAPES_FICHE)[number];
        const refus = etapePossible(e, { statut, rouverte: false }, ouverte, '2026-11-22', 'Un commentaire');
        expect(refus === null).toBe(cells[i] === 'Y');
        expect(TRANSITIONS_FICHE[e].permission).toBe(cells.at(-1));
      });
    }
  }

  it('needs a comment to send back or reopen', () => {
    expect(etapePossible('renvoyer', { statut: 'soumise', rouverte: false }, ouverte, '2026-11-22', '  ')).toBe('commentaire');
    expect(etapePossible('valider', { statut: 'soumise', rouverte: false }, ouverte, '2026-11-22', '')).toBeNull();
  });

  it('locks entry after the deadline, unless the direction reopened the sheet', () => {
    const passee = { echeance: '2026-06-30', close: false };
    expect(saisieOuverte({ statut: 'a_remplir', rouverte: false }, passee, '2026-06-30')).toBe(true);
    expect(saisieOuverte({ statut: 'a_remplir', rouverte: false }, passee, '2026-07-01')).toBe(false);
    expect(etapePossible('soumettre', { statut: 'a_remplir', rouverte: false }, passee, '2026-07-01', '')).toBe('echeance');
    expect(saisieOuverte({ statut: 'renvoyee', rouverte: true }, passee, '2026-07-01')).toBe(true);
    expect(saisieOuverte({ statut: 'a_remplir', rouverte: false }, { echeance: null, close: true }, '2026-07-01')).toBe(false);
  });
});
