import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lireCsv } from '../../test/csv.ts';
import { cleLuhn } from './model.ts';
import {
  CHAMPS_SCDL,
  csvScdl,
  erreursLigneScdl,
  exportScdl,
  ligneScdl,
  montantScdl,
  SCDL_SEPARATEUR,
  type ChampScdl,
  type FinancementAccorde,
  type LigneScdl,
} from './scdl-model.ts';

/** The one digit that completes a number to a valid Luhn key. */
const avecCle = (debut: string) => debut + [...'0123456789'].find((d) => cleLuhn(debut + d))!;
/** A SIRET whose SIREN and whole number both have a right key, as INSEE gives them. */
const siret = (siren8: string, nic4: string) => avecCle(avecCle(siren8) + nic4);

const SIRET_VILLE = siret('21750001', '0001');
const SIRET_ASSO = siret('45123456', '0002');

const financement = (x: Partial<FinancementAccorde> = {}): FinancementAccorde => ({
  annee: 2026,
  reference: '2026-0007',
  titre: 'Ateliers de lecture au pied des immeubles',
  dateDecision: '2026-06-12',
  financeur: { nom: 'Ville de Paris', siret: SIRET_VILLE },
  association: { nom: 'Lire en quartier', siret: SIRET_ASSO, rna: 'W751234567', fictive: false },
  accordeCentimes: 450020,
  ...x,
});

const valide = (): LigneScdl => ligneScdl(financement());
const avec = (x: Partial<LigneScdl>): LigneScdl => ({ ...valide(), ...x });
const champsEnErreur = (l: LigneScdl) => erreursLigneScdl(l).map((e) => e.champ);

describe('SCDL subventions 2.1.1: the fields', () => {
  it('has the 16 columns of the schema, in its order', () => {
    expect(CHAMPS_SCDL).toEqual([
      'nomAttribuant',
      'idAttribuant',
      'dateConvention',
      'referenceDecision',
      'nomBeneficiaire',
      'idBeneficiaire',
      'rnaBeneficiaire',
      'objet',
      'montant',
      'nature',
      'conditionsVersement',
      'datesPeriodeVersement',
      'idRAE',
      'notificationUE',
      'pourcentageSubvention',
      'dispositifAide',
    ]);
  });

  it('maps a granted line to a valid row: the funder grants, the association receives, cash, once, in full', () => {
    const l = valide();
    expect(l).toEqual({
      nomAttribuant: 'Ville de Paris',
      idAttribuant: SIRET_VILLE,
      dateConvention: '2026-06-12',
      referenceDecision: '2026-0007',
      nomBeneficiaire: 'Lire en quartier',
      idBeneficiaire: SIRET_ASSO,
      rnaBeneficiaire: 'W751234567',
      objet: 'Ateliers de lecture au pied des immeubles',
      montant: '4500.20',
      nature: 'aide en numéraire',
      conditionsVersement: 'unique',
      datesPeriodeVersement: '2026-06-12/2026-12-31',
      idRAE: '',
      notificationUE: 'non',
      pourcentageSubvention: '1.00',
      dispositifAide: '',
    });
    expect(erreursLigneScdl(l)).toEqual([]);
  });

  it('writes amounts with a point and two decimals, from exact cents', () => {
    expect([montantScdl(450020), montantScdl(5), montantScdl(100), montantScdl(123456789)]).toEqual(['4500.20', '0.05', '1.00', '1234567.89']);
  });

  it('marks a fictitious association, cleans typed identifiers and cuts an object past 256 characters', () => {
    const l = ligneScdl(
      financement({
        titre: `Un titre\nsur deux lignes ${'très '.repeat(80)}long`,
        financeur: { nom: ' Ville de Paris ', siret: SIRET_VILLE.replace(/(\d{3})/g, '$1 ') },
        association: { nom: 'Les Amis du Canal', siret: null, rna: 'w751234567', fictive: true },
      }),
    );
    expect(l.nomBeneficiaire).toBe('Les Amis du Canal (association fictive)');
    const dejaDit = ligneScdl(financement({ association: { nom: 'Association de démonstration (fictive)', siret: SIRET_ASSO, rna: null, fictive: true } }));
    expect(dejaDit.nomBeneficiaire).toBe('Association de démonstration (fictive)');
    expect(l.nomAttribuant).toBe('Ville de Paris');
    expect(l.idAttribuant).toBe(SIRET_VILLE);
    expect([l.idBeneficiaire, l.rnaBeneficiaire]).toEqual(['', 'W751234567']);
    expect(l.objet.length).toBeLessThanOrEqual(256);
    expect(l.objet.length).toBeGreaterThan(250);
    expect(l.objet).toMatch(/^Un titre sur deux lignes très .*…$/);
    expect(erreursLigneScdl(l)).toEqual([]);
  });
});

describe('SCDL subventions 2.1.1: every rule of the schema', () => {
  it.each(['nomAttribuant', 'idAttribuant', 'dateConvention', 'nomBeneficiaire', 'objet', 'montant', 'nature', 'conditionsVersement', 'datesPeriodeVersement', 'notificationUE', 'pourcentageSubvention'] as ChampScdl[])(
    'requires %s',
    (champ) => {
      const erreurs = erreursLigneScdl(avec({ [champ]: '' }));
      expect(erreurs.map((e) => e.champ)).toContain(champ);
      expect(erreurs.find((e) => e.champ === champ)!.message).toMatch(/^Il manque .*obligatoire\.$/);
    },
  );

  it('leaves the optional fields optional', () => {
    expect(erreursLigneScdl(avec({ referenceDecision: '', idRAE: '', dispositifAide: '', rnaBeneficiaire: '' }))).toEqual([]);
    expect(erreursLigneScdl(avec({ idBeneficiaire: '' }))).toEqual([]);
  });

  it('asks for the association’s SIRET or its RNA number (one-of-required)', () => {
    const erreurs = erreursLigneScdl(avec({ idBeneficiaire: '', rnaBeneficiaire: '' }));
    expect(erreurs).toEqual([{ champ: 'idBeneficiaire', message: expect.stringContaining('ni SIRET ni numéro RNA') }]);
  });

  it.each(['idAttribuant', 'idBeneficiaire'] as const)('checks %s: 14 digits with a right key (french-siret-value)', (champ) => {
    for (const faux of ['2175000160001', '217500016000199', '2175 0001 6000', 'A1750001600019']) {
      expect(champsEnErreur(avec({ [champ]: faux })), faux).toEqual([champ]);
      expect(erreursLigneScdl(avec({ [champ]: faux }))[0]!.message).toContain('14 chiffres');
    }
    const cleFausse = SIRET_VILLE.slice(0, 13) + String((Number(SIRET_VILLE[13]) + 1) % 10);
    expect(erreursLigneScdl(avec({ [champ]: cleFausse }))).toEqual([{ champ, message: expect.stringContaining('clé de contrôle est fausse') }]);
  });

  it('checks the RNA number: W and 9 digits', () => {
    for (const faux of ['W75123456', 'W7512345678', '751234567', 'w751234567', 'X751234567']) expect(champsEnErreur(avec({ rnaBeneficiaire: faux })), faux).toEqual(['rnaBeneficiaire']);
  });

  it('checks the convention date: a real day written AAAA-MM-JJ', () => {
    for (const faux of ['12/06/2026', '2026-6-12', '2026-02-30', '2026-13-01', '2026-06-12T10:00']) expect(champsEnErreur(avec({ dateConvention: faux })), faux).toEqual(['dateConvention']);
    expect(erreursLigneScdl(avec({ dateConvention: '2024-02-29' }))).toEqual([]);
  });

  it('checks the payment date or period: AAAA-MM-JJ or AAAA-MM-JJ/AAAA-MM-JJ, real days, in order', () => {
    for (const bon of ['2026-06-12', '2026-06-12/2026-12-31', '2026-06-12/2026-06-12']) expect(erreursLigneScdl(avec({ datesPeriodeVersement: bon })), bon).toEqual([]);
    for (const faux of ['2026-06-12_2026-12-31', '2026-06-12/', '2026-06-12/2026-12-32', 'en 2026', '2026-12-31/2026-06-12']) {
      expect(champsEnErreur(avec({ datesPeriodeVersement: faux })), faux).toEqual(['datesPeriodeVersement']);
    }
  });

  it('checks amounts and shares: numbers with a decimal point, the share between 0.01 and 1', () => {
    for (const faux of ['4500,20', '4 500.20', '4500.20 €', '1e3']) expect(champsEnErreur(avec({ montant: faux })), faux).toEqual(['montant']);
    expect(erreursLigneScdl(avec({ montant: '4500' }))).toEqual([]);
    for (const bon of ['0.01', '0.45', '1', '1.00']) expect(erreursLigneScdl(avec({ pourcentageSubvention: bon })), bon).toEqual([]);
    for (const faux of ['0', '0.009', '1.01', '100', '0,45', '45%']) expect(champsEnErreur(avec({ pourcentageSubvention: faux })), faux).toEqual(['pourcentageSubvention']);
  });

  it('checks the enumerations: nature of the aid, EU notification as oui or non', () => {
    for (const bon of ['aide en numéraire', 'aide en nature', 'aide en numéraire;aide en nature', 'aide en nature;aide en numéraire']) {
      expect(erreursLigneScdl(avec({ nature: bon })), bon).toEqual([]);
    }
    for (const faux of ['numéraire', 'Aide en numéraire', 'aide en numéraire; aide en nature', 'aide en numéraire,aide en nature']) {
      expect(champsEnErreur(avec({ nature: faux })), faux).toEqual(['nature']);
    }
    expect(erreursLigneScdl(avec({ notificationUE: 'oui' }))).toEqual([]);
    for (const faux of ['false', 'Non', '0']) expect(champsEnErreur(avec({ notificationUE: faux })), faux).toEqual(['notificationUE']);
  });

  it('checks lengths: object and payment conditions 256 characters at most, RAE identifier 5', () => {
    expect(erreursLigneScdl(avec({ objet: 'a'.repeat(256), conditionsVersement: 'b'.repeat(256), idRAE: '12345' }))).toEqual([]);
    expect(champsEnErreur(avec({ objet: 'a'.repeat(257) }))).toEqual(['objet']);
    expect(champsEnErreur(avec({ conditionsVersement: 'b'.repeat(257) }))).toEqual(['conditionsVersement']);
    expect(champsEnErreur(avec({ idRAE: '123456' }))).toEqual(['idRAE']);
  });
});

describe('SCDL export: what is published, what is told apart', () => {
  it('reports a funder without SIRET in plain words, once, and publishes the other lines', () => {
    const { lignes, nonExportees } = exportScdl([financement(), financement({ reference: '2026-0008', financeur: { nom: 'Région Île-de-France', siret: null } })]);
    expect(lignes.map((l) => l.referenceDecision)).toEqual(['2026-0007']);
    expect(nonExportees).toEqual([
      {
        reference: '2026-0008',
        titre: 'Ateliers de lecture au pied des immeubles',
        financeur: 'Région Île-de-France',
        association: 'Lire en quartier',
        raisons: ['Le SIRET du financeur « Région Île-de-France » n’est pas renseigné dans la configuration de la campagne 2026.'],
      },
    ]);
  });

  it('reports a file without decision date, a wrong funder SIRET and an association without identifiers', () => {
    const { lignes, nonExportees } = exportScdl([
      financement({ dateDecision: null }),
      financement({ financeur: { nom: 'Ville de Paris', siret: '21750001600018' } }),
      financement({ association: { nom: 'Sans papiers', siret: null, rna: null, fictive: false } }),
    ]);
    expect(lignes).toEqual([]);
    expect(nonExportees.map((n) => n.raisons)).toEqual([
      ['Le dossier ne porte pas de date de décision du comité.'],
      ['Le SIRET du financeur (idAttribuant) n’est pas un SIRET valide : sa clé de contrôle est fausse.'],
      ['L’association n’a ni SIRET ni numéro RNA : le schéma demande l’un des deux (idBeneficiaire ou rnaBeneficiaire).'],
    ]);
  });

  it('writes the file: header in schema order, comma separated, quoted where needed, CRLF, no BOM', () => {
    const csv = csvScdl([avec({ nomBeneficiaire: 'Femmes, relais "et" médiation', nature: 'aide en numéraire;aide en nature' })]);
    expect(csv.startsWith('nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,')).toBe(true);
    expect(csv).toContain(',"Femmes, relais ""et"" médiation",');
    expect(csv).toContain(',aide en numéraire;aide en nature,');
    const [entete, ligne, ...reste] = lireCsv(csv, SCDL_SEPARATEUR);
    expect(entete).toEqual([...CHAMPS_SCDL]);
    expect(ligne![CHAMPS_SCDL.indexOf('nomBeneficiaire')]).toBe('Femmes, relais "et" médiation');
    expect(reste).toEqual([]);
  });

  it('defuses a name that a spreadsheet would run as a formula', () => {
    const [, ligne] = lireCsv(csvScdl([avec({ nomBeneficiaire: '=HYPERLINK("x")' })]), SCDL_SEPARATEUR);
    expect(ligne![CHAMPS_SCDL.indexOf('nomBeneficiaire')]).toBe('\'=HYPERLINK("x")');
  });
});

describe('SCDL export: properties', () => {
  const chiffres = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
  const unSiret = fc.tuple(chiffres(8), chiffres(4)).map(([a, b]) => siret(a, b));
  const jour = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const texte = fc.string({ minLength: 0, maxLength: 300, unit: fc.constantFrom('a', 'é', ' ', ',', ';', '"', '\n', '=', '-', 'Z', '’') });
  const financementQuelconque: fc.Arbitrary<FinancementAccorde> = fc.record({
    annee: fc.integer({ min: 2015, max: 2035 }),
    reference: fc.integer({ min: 1, max: 9999 }).map((n) => `2026-${String(n).padStart(4, '0')}`),
    titre: texte,
    dateDecision: fc.option(jour),
    financeur: fc.record({ nom: texte, siret: fc.option(fc.oneof(unSiret, chiffres(14), fc.constant(''))) }),
    association: fc.record({
      nom: texte,
      siret: fc.option(fc.oneof(unSiret, chiffres(14))),
      rna: fc.option(fc.oneof(chiffres(9).map((c) => `W${c}`), fc.constant('W12'))),
      fictive: fc.boolean(),
    }),
    accordeCentimes: fc.integer({ min: 1, max: 10_000_000_00 }),
  });

  it('publishes only rows that follow every rule, and tells every other line apart with a reason', () => {
    fc.assert(
      fc.property(fc.array(financementQuelconque, { maxLength: 8 }), (fs) => {
        const { lignes, nonExportees } = exportScdl(fs);
        for (const l of lignes) expect(erreursLigneScdl(l)).toEqual([]);
        expect(lignes.length + nonExportees.length).toBe(fs.length);
        for (const n of nonExportees) expect(n.raisons.length).toBeGreaterThan(0);
      }),
    );
  });

  it('writes a file that reads back to the same rows, whatever the names hold', () => {
    fc.assert(
      fc.property(fc.array(financementQuelconque, { maxLength: 8 }), (fs) => {
        const { lignes } = exportScdl(fs);
        const [entete, ...lues] = lireCsv(csvScdl(lignes), SCDL_SEPARATEUR);
        expect(entete).toEqual([...CHAMPS_SCDL]);
        const attendu = lignes.map((l) => CHAMPS_SCDL.map((c) => (/^[=+\-@\t\r]/.test(l[c]) ? `'${l[c]}` : l[c])));
        expect(lues).toEqual(attendu);
      }),
    );
  });
});
