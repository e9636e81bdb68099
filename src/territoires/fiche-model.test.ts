import { describe, expect, it } from 'vitest';
import {
  chiffrePrincipal,
  cleSerie,
  dansArrondissements,
  divergences,
  estSourceContrat,
  familleSource,
  libelleGeographie,
  numeroCourt,
  phraseDivergence,
  rattachements,
  rattachementsDuContrat,
  seriesDe,
  trier,
  trierSources,
} from './fiche-model.ts';

const contrat = { indicateur: 'population', valeur: 12970, texte: '12 970', millesime: 'RFL2011', source: 'seed 002 l.905' };
const insee2022 = { indicateur: 'population', valeur: 12251, texte: '12 251', millesime: '2022', source: 'INSEE DEMO_2022 (insee_qpv2015_demo_2022.csv l.900)' };
const insee2013 = { indicateur: 'population', valeur: 13232, texte: '13232', millesime: '2013', source: 'INSEE population municipale 2013 (qpv2015_france_population_2013.csv l.900)' };

describe('presenting sourced figures', () => {
  it('recognises the contract’s own figures by the seed they were transcribed from', () => {
    expect(estSourceContrat('seed 002 l.905')).toBe(true);
    expect(estSourceContrat(insee2022.source)).toBe(false);
  });

  it('names a series by its source without the line: one family per file, whatever the row', () => {
    expect(familleSource('seed 002 l.905')).toBe('seed 002');
    expect(familleSource('seed 002 l.802-803')).toBe('seed 002');
    expect(familleSource(insee2022.source)).toBe('INSEE DEMO_2022');
    expect(familleSource(insee2013.source)).toBe('INSEE population municipale 2013');
    expect(familleSource('Observatoire local')).toBe('Observatoire local');
    expect(cleSerie(contrat)).toBe('population:RFL2011:seed 002');
  });

  it('shows the contract’s value first and keeps every other one', () => {
    expect(chiffrePrincipal([insee2022, contrat, insee2013])).toEqual({ principal: contrat, autres: [insee2013, insee2022] });
    // Without a value from the contract, the latest vintage leads.
    expect(chiffrePrincipal([insee2013, insee2022])).toEqual({ principal: insee2022, autres: [insee2013] });
    expect(chiffrePrincipal([])).toEqual({ principal: null, autres: [] });
    expect(trierSources([insee2022, insee2013, contrat])).toEqual([contrat, insee2013, insee2022]);
  });

  it('reports a divergence per indicator, telling a contradiction from an evolution between vintages', () => {
    const revenu = { indicateur: 'revenu_median', valeur: 10800, texte: '10 800', millesime: 'RFL2011', source: 'seed 002 l.905' };
    const list = divergences([insee2022, contrat, revenu]);
    expect(list).toHaveLength(1);
    expect(list[0]!.indicateur).toBe('population');
    expect(list[0]!.memeMillesime).toBe(false);
    // French number formatting puts no-break spaces in numbers and before the percent sign.
    expect(phraseDivergence(list[0]!).replace(/[\u00a0\u202f]/g, ' ')).toBe(
      'Population : 12 970 selon Contrat de ville, seed 002 l.905, millésime RFL2011 ; 12 251 selon INSEE DEMO_2022 ' +
        '(insee_qpv2015_demo_2022.csv l.900), millésime 2022. Écart relatif maximal : 5,5 %. ' +
        "Les millésimes diffèrent : l'écart peut traduire une évolution autant qu'une différence de méthode.",
    );
    const other = { ...contrat, valeur: 13000, texte: '13 000', source: 'Cget l.3' };
    const same = divergences([contrat, other]);
    expect(same[0]!.memeMillesime).toBe(true);
    expect(phraseDivergence(same[0]!)).toContain('Des sources du même millésime se contredisent.');
    // Equal values from two sources are no divergence.
    expect(divergences([contrat, { ...contrat, source: 'Cget l.3' }])).toEqual([]);
  });

  it('compares the contract’s median income with the declared median only: the disposable one is another measure', () => {
    const rfl = { indicateur: 'revenu_median', valeur: 10800, texte: '10 800', millesime: 'RFL2011', source: 'seed 002 l.905' };
    const decuc = { indicateur: 'revenu_median', valeur: 14560, texte: '14 560', millesime: '2022', source: 'INSEE REVN_2022 (insee_qpv2015_revn_2022.csv l.900)' };
    const disp = { ...decuc, indicateur: 'revenu_disponible_median', valeur: 16230, texte: '16 230' };
    const list = divergences([disp, decuc, rfl]);
    expect(list.map((d) => [d.indicateur, d.valeurs.map((v) => v.texte)])).toEqual([['revenu_median', ['10 800', '14 560']]]);
    expect(phraseDivergence(list[0]!)).toMatch(
      /^Revenu fiscal \(déclaré\) médian par unité de consommation : 10 800 selon Contrat de ville, seed 002 l\.905, millésime RFL2011 ; 14 560 selon INSEE REVN_2022 /,
    );
    expect(seriesDe([disp, decuc, rfl]).map((s) => s.libelle)).toEqual([
      'Revenu fiscal (déclaré) médian par unité de consommation — contrat de ville, millésime RFL2011',
      'Revenu fiscal (déclaré) médian par unité de consommation — INSEE REVN_2022, millésime 2022',
      'Revenu disponible médian par unité de consommation — INSEE REVN_2022, millésime 2022',
    ]);
  });

  it('writes a poverty rate with its percent sign', () => {
    const a = { indicateur: 'taux_pauvrete', valeur: 34.8, texte: '34,8', millesime: '2022', source: 'INSEE REVN_2022 (f.csv l.2)' };
    const b = { ...a, valeur: 30, texte: '30,0', source: 'Autre (g.csv l.2)' };
    expect(phraseDivergence(divergences([a, b])[0]!)).toContain('Taux de pauvreté : 30,0 % selon Autre (g.csv l.2)');
  });

  it('lists the comparable series, the contract’s first within each indicator', () => {
    const taux = { indicateur: 'taux_pauvrete', valeur: 34.8, texte: '34,8', millesime: '2022', source: 'INSEE REVN_2022 (f.csv l.900)' };
    const series = seriesDe([taux, insee2022, { ...insee2022, source: 'INSEE DEMO_2022 (insee_qpv2015_demo_2022.csv l.901)' }, contrat]);
    expect(series.map((s) => s.cle)).toEqual(['population:RFL2011:seed 002', 'population:2022:INSEE DEMO_2022', 'taux_pauvrete:2022:INSEE REVN_2022']);
    expect(series[0]!.libelle).toBe('Population — contrat de ville, millésime RFL2011');
    expect(series[2]!.libelle).toBe('Taux de pauvreté — INSEE REVN_2022, millésime 2022');
  });

  it('sorts by code, by name (French order) or by value, missing values last', () => {
    const rows = [
      { code: 'QP075003', nom: 'Villa d’Este', valeur: 2680 },
      { code: 'QP075017', nom: 'Algérie', valeur: null },
      { code: 'QP075009', nom: 'Blémont', valeur: 2510 },
      { code: 'QP075001', nom: 'Bédier-Boutroux', valeur: 2680 },
    ];
    expect(trier(rows, 'code').map((r) => r.code)).toEqual(['QP075001', 'QP075003', 'QP075009', 'QP075017']);
    expect(trier(rows, 'nom').map((r) => r.nom)).toEqual(['Algérie', 'Bédier-Boutroux', 'Blémont', 'Villa d’Este']);
    expect(trier(rows, 'valeur-decroissante').map((r) => r.code)).toEqual(['QP075001', 'QP075003', 'QP075009', 'QP075017']);
    expect(trier(rows, 'valeur-croissante').map((r) => r.code)).toEqual(['QP075009', 'QP075001', 'QP075003', 'QP075017']);
  });

  it('groups the arrondissements of a QPV with every source, the contract’s table taking precedence for lists', () => {
    const liens = [
      { code: '75119', nom: '19e arrondissement', source: 'seed 002 l.909' },
      { code: '75119', nom: '19e arrondissement', source: 'calcul Pilotis (intersection des contours)' },
      { code: '75118', nom: '18e arrondissement', source: 'calcul Pilotis (intersection des contours)' },
    ];
    expect(rattachements(liens)).toEqual([
      { code: '75118', nom: '18e arrondissement', sources: ['calcul Pilotis (intersection des contours)'] },
      { code: '75119', nom: '19e arrondissement', sources: ['seed 002 l.909', 'calcul Pilotis (intersection des contours)'] },
    ]);
    expect(rattachementsDuContrat(liens).map((r) => r.code)).toEqual(['75119']);
    expect(rattachementsDuContrat(liens.slice(1)).map((r) => r.code)).toEqual(['75118', '75119']);
  });

  it('writes short numbers and geography labels', () => {
    expect(numeroCourt('QP075012')).toBe('12');
    expect(numeroCourt('QN07501A')).toBe('QN07501A');
    expect(libelleGeographie('2015')).toBe('Géographie prioritaire 2015 (codes QP)');
    expect(libelleGeographie('2024')).toBe('Géographie prioritaire 2024 (codes QN)');
    expect(dansArrondissements([])).toBe('');
    expect(dansArrondissements(['18e arrondissement'])).toBe('dans le 18e arrondissement');
    expect(dansArrondissements(['10e arrondissement', '11e arrondissement', '20e arrondissement'])).toBe('dans les 10e, 11e et 20e arrondissements');
  });
});
