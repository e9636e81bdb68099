import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  arrondissementsParisImprimes,
  comparerSources,
  ecartContrat,
  estIndicateur,
  geographieDuCodeQpv,
  INDICATEURS,
  parseNombreFr,
  quartierVecu,
  totalPopulation,
  validerCodeTerritoire,
  type PersonneQuartierVecu,
} from './model.ts';
import type { StatutQpv } from './geo/types.ts';

describe('parseNombreFr', () => {
  it.each([
    ['14 970', 14970],
    ['150 460', 150460],
    ['12 800 €', 12800],
    ['12 800€', 12800],
    ['34,8', 34.8],
    ['34,8 %', 34.8],
    ['1\u00a0234,5', 1234.5],
    ['1\u202f234\u202f567', 1234567],
    ['5 400', 5400],
    ['  2 510 ', 2510],
    ['−3,2', -3.2],
    ['-12', -12],
    ['0', 0],
  ])('reads « %s » as %d', (texte, attendu) => {
    expect(parseNombreFr(texte)).toBe(attendu);
  });

  it.each(['', '   ', 'n.d.', 's', 'nd', '1.234', '12.5', '1 23', '12 34 567', '1,', ',5', '1,2,3', '12 800 $', 'abc', '1e5', '--3'])(
    'refuses « %s » rather than guess',
    (texte) => {
      expect(parseNombreFr(texte)).toBeNull();
    },
  );

  it('answers null for a missing text', () => {
    expect(parseNombreFr(null)).toBeNull();
    expect(parseNombreFr(undefined)).toBeNull();
  });

  const espace = fc.constantFrom(' ', '\u00a0', '\u202f', '\u2009');
  const groupe = (n: number, sep: string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);

  it('reads back any integer printed with thousands grouped by any French space', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), espace, (n, sep) => {
        const texte = `${n < 0 ? '-' : ''}${groupe(Math.abs(n), sep)}`;
        expect(parseNombreFr(texte)).toBe(n);
      }),
    );
  });

  it('reads back what the French number format prints, decimals and currency included', () => {
    const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    const decimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    fc.assert(
      fc.property(fc.integer({ min: -1e11, max: 1e11 }), (centimes) => {
        const n = centimes / 100;
        expect(parseNombreFr(decimal.format(n))).toBe(n);
        expect(parseNombreFr(euros.format(n))).toBe(n);
      }),
    );
  });

  it('never answers NaN or infinity: a number or null, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (texte) => {
        const n = parseNombreFr(texte);
        expect(n === null || Number.isFinite(n)).toBe(true);
      }),
    );
  });

  it('refuses any text holding a letter', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéèABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.string(), (a, lettre, b) => {
        expect(parseNombreFr(`${a}${lettre}${b}`)).toBeNull();
      }),
    );
  });
});

describe('codes and geography versions', () => {
  it('accepts the 2015 codes (QP…) and the 2024 codes (QN…) each in its own geography', () => {
    expect(validerCodeTerritoire('qpv', '2015', 'QP075012')).toBeNull();
    expect(validerCodeTerritoire('qpv', '2015', 'QP02A001')).toBeNull();
    expect(validerCodeTerritoire('qpv', '2024', 'QN075012')).toBeNull();
    expect(validerCodeTerritoire('qpv', '2024', 'QN07501M')).toBeNull();
    expect(geographieDuCodeQpv('QP075020')).toBe('2015');
    expect(geographieDuCodeQpv('QN075020')).toBe('2024');
    expect(geographieDuCodeQpv('75118')).toBeNull();
  });

  it('refuses a code filed under the wrong geography, with the reason in French', () => {
    expect(validerCodeTerritoire('qpv', '2024', 'QP075012')).toBe(
      "Le code « QP075012 » n'est pas un code QPV de la géographie 2024 (attendu : « QN » suivi de 6 caractères (ex. QN075012)).",
    );
    expect(validerCodeTerritoire('qpv', '2015', 'QN075012')).toMatch(/géographie 2015/);
    expect(validerCodeTerritoire('qpv', 'cog', 'QP075012')).toMatch(/Géographie prioritaire inconnue/);
    expect(validerCodeTerritoire('qpv', '2015', 'QP75012')).not.toBeNull();
    expect(validerCodeTerritoire('zus', '2015', 'Z1')).toMatch(/Type de territoire inconnu/);
  });

  it('checks administrative codes: arrondissements, communes, IRIS, quartiers de veille active', () => {
    expect(validerCodeTerritoire('arrondissement', 'cog', '75118')).toBeNull();
    expect(validerCodeTerritoire('commune', 'cog', '75056')).toBeNull();
    expect(validerCodeTerritoire('iris', 'cog', '751186101')).toBeNull();
    expect(validerCodeTerritoire('iris', '2019', '751186101')).toBeNull();
    expect(validerCodeTerritoire('qva', '2015', 'QVA-75-07')).toBeNull();
    expect(validerCodeTerritoire('arrondissement', 'cog', '7511')).not.toBeNull();
    expect(validerCodeTerritoire('iris', 'cog', '75118')).not.toBeNull();
  });

  it('reads the arrondissements a printed "commune principale" names', () => {
    expect(arrondissementsParisImprimes('Paris 13è')).toEqual(['75113']);
    expect(arrondissementsParisImprimes('Paris 18e et 19è')).toEqual(['75118', '75119']);
    expect(arrondissementsParisImprimes('Paris 10è, 11è et 20è')).toEqual(['75110', '75111', '75120']);
    expect(arrondissementsParisImprimes('(12ème ardt)')).toEqual(['75112']);
    expect(arrondissementsParisImprimes('1er arrondissement')).toEqual(['75101']);
    expect(arrondissementsParisImprimes('Paris')).toEqual([]);
  });

  it('knows the indicators pages show, with their units', () => {
    expect(INDICATEURS.population.unite).toBe('habitants');
    // The contract's "Revenu médian" (Insee, RFL2011) is a declared income; the disposable one is another indicator.
    expect(INDICATEURS.revenu_median).toEqual({ libelle: 'Revenu fiscal (déclaré) médian par unité de consommation', unite: '€/UC' });
    expect(INDICATEURS.revenu_disponible_median).toEqual({ libelle: 'Revenu disponible médian par unité de consommation', unite: '€/UC' });
    expect(INDICATEURS.taux_pauvrete.unite).toBe('%');
    expect(estIndicateur('taux_pauvrete')).toBe(true);
    expect(estIndicateur('toString')).toBe(false);
  });
});

const v = (territoire: string, valeur: number | null, millesime = 'RFL2011', source = `seed 002 l.${territoire}`) => ({
  territoire,
  indicateur: 'population',
  valeur,
  texte: valeur === null ? 's' : String(valeur),
  millesime,
  source,
});

describe('totals and sources', () => {
  it('computes a population total from the territories of one vintage', () => {
    const valeurs = [v('a', 1850), v('b', 2680), v('c', 30210), v('a', 1900, '2013', 'INSEE'), { ...v('b', 11690), indicateur: 'revenu_median' }];
    expect(totalPopulation(valeurs, { millesime: 'RFL2011' })).toEqual({ total: 34740, territoires: 3, manquants: [] });
    expect(totalPopulation(valeurs, { millesime: '2013' })).toEqual({ total: 1900, territoires: 1, manquants: [] });
    expect(totalPopulation([v('a', 10), v('b', null)])).toEqual({ total: 10, territoires: 2, manquants: ['b'] });
  });

  it('refuses to add two figures of the same territory: the total would depend on which one is taken', () => {
    expect(() => totalPopulation([v('a', 1850), v('a', 1900, '2013', 'INSEE')])).toThrow(/précisez le millésime/);
  });

  it('reports that two sources disagree, with the relative gap, and keeps both', () => {
    const contrat = { valeur: 12970, texte: '12 970', millesime: 'RFL2011', source: 'seed 002 l.905' };
    const insee = { valeur: 12001, texte: '12001', millesime: '2013', source: 'INSEE pop 2013' };
    const autre = { valeur: 12500, texte: '12500', millesime: '2013', source: 'autre fichier' };
    const c = comparerSources([insee, contrat, autre]);
    expect(c.valeurs).toEqual([autre, insee, contrat].sort((x, y) => x.millesime.localeCompare(y.millesime) || x.source.localeCompare(y.source)));
    expect(c.desaccord).toBe(true);
    expect(c.ecarts).toHaveLength(3);
    const memeAnnee = c.ecarts.find((e) => e.memeMillesime)!;
    expect([memeAnnee.a.source, memeAnnee.b.source].sort()).toEqual(['INSEE pop 2013', 'autre fichier']);
    expect(memeAnnee.ecartRelatif).toBeCloseTo(499 / 12500, 10);
    expect(c.parMillesime.map((g) => [g.millesime, g.desaccord])).toEqual([
      ['2013', true],
      ['RFL2011', false],
    ]);
    expect(c.ecartRelatifMax).toBeCloseTo(969 / 12970, 10);
  });

  it('finds no disagreement when the sources agree or when a value is missing', () => {
    const a = { valeur: 34.8, millesime: '2022', source: 'REVN' };
    const b = { valeur: 34.8, millesime: '2022', source: 'autre' };
    const sans = { valeur: null, millesime: '2019', source: 'vide' };
    const c = comparerSources([a, b, sans]);
    expect(c.desaccord).toBe(false);
    expect(c.ecarts).toEqual([]);
    expect(c.ecartRelatifMax).toBeNull();
  });

  it('flags a printed total that differs from the sum of its table, and says so in French', () => {
    const ok = ecartContrat(150460, 150460);
    expect(ok).toMatchObject({ concorde: true, ecart: 0, ecartRelatif: 0 });
    expect(ok.explication).toMatch(/est égal au chiffre imprimé/);
    const ko = ecartContrat(150000, 150460);
    expect(ko).toMatchObject({ concorde: false, ecart: -460 });
    expect(ko.ecartRelatif).toBeCloseTo(460 / 150460, 12);
    expect(ko.explication).toContain('150\u202f000');
    expect(ko.explication).toContain('150\u202f460');
    expect(ko.explication).toMatch(/aucun n'est corrigé/);
  });
});

describe('quartier vécu', () => {
  const gens = (qpv: number, hors: number, incertains: number): StatutQpv[] => [
    ...Array<StatutQpv>(qpv).fill('qpv'),
    ...Array<StatutQpv>(hors).fill('hors_qpv'),
    ...Array<StatutQpv>(incertains).fill('incertain'),
  ];

  it('is met at exactly 50 % and not below', () => {
    expect(quartierVecu({ statuts: gens(10, 10, 0) })).toMatchObject({ statut: 'eligible', eligible: true, part: 0.5, seuil: 0.5 });
    expect(quartierVecu({ statuts: gens(9, 11, 0) })).toMatchObject({ statut: 'non_eligible', eligible: false, part: 0.45 });
  });

  it('counts uncertain addresses apart and says when they decide', () => {
    const r = quartierVecu({ statuts: gens(9, 9, 2) });
    expect(r).toMatchObject({ statut: 'indetermine', eligible: false, qpv: 9, horsQpv: 9, incertains: 2, total: 20, part: 0.45, partMax: 0.55 });
    expect(r.explication).toMatch(/vérifiez-les avant de conclure/);
    const sur = quartierVecu({ statuts: gens(12, 6, 2) });
    expect(sur.statut).toBe('eligible');
    expect(sur.explication).toMatch(/même en comptant hors quartier prioritaire les 2 personnes/);
    const non = quartierVecu({ statuts: gens(3, 15, 2) });
    expect(non.statut).toBe('non_eligible');
    expect(non.explication).toMatch(/Même si les 2 personnes dont l'adresse est incertaine/);
  });

  it('takes counts per QPV with the whole public, and lists the QPV', () => {
    const r = quartierVecu({ parQpv: { QP075012: 6, QP075010: 4, QP075001: 0 }, incertains: 1, total: 20 });
    expect(r).toMatchObject({ statut: 'eligible', qpv: 10, incertains: 1, horsQpv: 9, total: 20 });
    expect(r.parQpv).toEqual([
      { code: 'QP075010', nombre: 4 },
      { code: 'QP075012', nombre: 6 },
    ]);
    expect(quartierVecu({ statuts: [{ statut: 'qpv', qpv: 'QP075012' }, 'hors_qpv', { statut: 'qpv', qpv: 'QP075012' }] }).parQpv).toEqual([
      { code: 'QP075012', nombre: 2 },
    ]);
  });

  it('refuses counts that do not add up, in French', () => {
    expect(() => quartierVecu({ parQpv: { QP075012: 12 }, incertains: 0, total: 10 })).toThrow(/Le public total doit être au moins égal/);
    expect(() => quartierVecu({ parQpv: { QP075012: -1 }, total: 10 })).toThrow(/ne peut pas être négatif/);
    expect(() => quartierVecu({ parQpv: { QP075012: 1.5 }, total: 10 })).toThrow(/entier/);
  });

  it('cannot conclude on an empty public', () => {
    const r = quartierVecu({ statuts: [] });
    expect(r).toMatchObject({ statut: 'indetermine', eligible: false, total: 0 });
    expect(r.explication).toMatch(/ne peut pas s'appliquer/);
  });

  const statut = fc.constantFrom<StatutQpv>('qpv', 'hors_qpv', 'incertain');
  const public_ = fc.array(statut, { minLength: 1, maxLength: 60 });

  it('is eligible exactly when half the public is surely in a QPV', () => {
    fc.assert(
      fc.property(public_, (statuts) => {
        const r = quartierVecu({ statuts });
        const qpv = statuts.filter((s) => s === 'qpv').length;
        expect(r.eligible).toBe(2 * qpv >= statuts.length);
        expect(r.eligible).toBe(r.statut === 'eligible');
        expect(r.qpv + r.horsQpv + r.incertains).toBe(r.total);
        expect(0 <= r.part && r.part <= r.partMax && r.partMax <= 1).toBe(true);
      }),
    );
  });

  it('says "indéterminé" exactly when resolving the uncertain addresses could change the answer', () => {
    fc.assert(
      fc.property(public_, fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), (statuts, tirage) => {
        const r = quartierVecu({ statuts });
        const resolu = (enQpv: (i: number) => boolean) =>
          quartierVecu({ statuts: statuts.map((s, i) => (s === 'incertain' ? (enQpv(i) ? 'qpv' : 'hors_qpv') : s)) }).eligible;
        const auMieux = resolu(() => true);
        const auPire = resolu(() => false);
        expect(r.statut === 'indetermine').toBe(auMieux !== auPire);
        // Any actual resolution lands on the answer given when it was not indeterminate.
        if (r.statut !== 'indetermine') expect(resolu((i) => tirage[i]!)).toBe(r.eligible);
      }),
    );
  });

  it('does not depend on the order of the public, and counts give the same answer as the list', () => {
    fc.assert(
      fc.property(public_, fc.array(fc.constantFrom('QP075001', 'QP075012', 'QP075020'), { minLength: 60, maxLength: 60 }), (statuts, codes) => {
        const personnes: PersonneQuartierVecu[] = statuts.map((s, i) => (s === 'qpv' ? { statut: s, qpv: codes[i]! } : s));
        const r = quartierVecu({ statuts: personnes });
        expect(quartierVecu({ statuts: [...personnes].reverse() })).toEqual(r);
        const parQpv: Record<string, number> = {};
        for (const p of personnes) if (typeof p !== 'string') parQpv[p.qpv!] = (parQpv[p.qpv!] ?? 0) + 1;
        expect(quartierVecu({ parQpv, incertains: r.incertains, total: r.total })).toEqual(r);
      }),
    );
  });

  it('never loses eligibility when one more person turns out to live in a QPV', () => {
    fc.assert(
      fc.property(public_, fc.nat(), (statuts, k) => {
        const i = statuts.findIndex((s, j) => j >= k % statuts.length && s !== 'qpv');
        fc.pre(i >= 0);
        const plus = statuts.map((s, j) => (j === i ? 'qpv' : s));
        const avant = quartierVecu({ statuts });
        const apres = quartierVecu({ statuts: plus });
        if (avant.eligible) expect(apres.eligible).toBe(true);
        if (avant.statut !== 'non_eligible') expect(apres.statut).not.toBe('non_eligible');
      }),
    );
  });
});
