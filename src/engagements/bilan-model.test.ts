import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ciblesDuContrat, lireArbre } from '../contrat/donnees.ts';
import { calculerBilan, cleRegroupement, enRetard, grouper, mediane, type FicheBilan, type MesureBilan } from './bilan-model.ts';
import { donneesEngagements } from './chargement.ts';

const mesure = (m: Partial<MesureBilan> = {}): MesureBilan => ({
  rang: 1,
  sousMesure: null,
  libelle: null,
  nature: 'niveau',
  sens: 'hausse',
  reference: null,
  cible: '100',
  resultat: '50',
  tauxDeclare: null,
  tauxCalcule: 50,
  formule: 'résultat ÷ cible',
  raison: null,
  alertes: [],
  lignes: null,
  ...m,
});
const fiche = (f: Partial<FicheBilan> = {}): FicheBilan => ({
  numero: 1,
  titre: 'Fiche',
  axe: 'Axe A',
  thematique: 'Emploi',
  service: 'DIRECCTE',
  statut: 'validee',
  pointsAlerte: null,
  source: null,
  mesures: [mesure()],
  ...f,
});

describe('median of computed rates', () => {
  it('takes the middle value, the mean of the two middle ones for an even count, none for no rate', () => {
    expect(mediane([120, 40, 80])).toBe(80);
    expect(mediane([100, 40, 80, 10])).toBe(60);
    expect(mediane([112.8, 113.3])).toBe(113.1);
    expect(mediane([])).toBeNull();
  });
});

describe('grouping sheets by a printed heading', () => {
  it('puts together the spellings of one heading and names the group by the most used one', () => {
    expect(cleRegroupement('Axe 1 : Accompagner les parcours et prévenir les ruptures')).toBe(cleRegroupement('Accompagner les parcours et prévenir les ruptures'));
    expect(cleRegroupement('Vivre la ville et son quartier')).toBe(cleRegroupement('Vivre sa ville et son quartier'));
    expect(cleRegroupement('EMPLOI')).toBe(cleRegroupement('Emploi'));
    expect(cleRegroupement('Justice (accès aux droits)')).not.toBe(cleRegroupement('Justice'));

    const groupes = grouper(
      [
        fiche({ numero: 1, axe: 'Vivre sa ville et son quartier' }),
        fiche({ numero: 2, axe: 'Vivre sa ville et son quartier', mesures: [mesure({ tauxCalcule: 120, alertes: [{ code: 'taux_divergent', message: 'x' }] })] }),
        fiche({ numero: 3, axe: 'Vivre la ville et son quartier', mesures: [mesure({ tauxCalcule: null }), mesure({ rang: 2, tauxCalcule: 90 })] }),
        fiche({ numero: 4, axe: null }),
      ],
      (f) => f.axe,
    );
    expect(groupes).toEqual([
      { libelle: 'Vivre sa ville et son quartier', variantes: ['Vivre la ville et son quartier'], fiches: 3, mesures: 4, avecTaux: 3, tauxMedian: 90, signalees: 1 },
      { libelle: 'Non renseigné', variantes: [], fiches: 1, mesures: 1, avecTaux: 1, tauxMedian: 50, signalees: 0 },
    ]);
  });
});

describe('sheets late', () => {
  const campagne = { annee: 2026, echeance: '2026-03-31' };
  it('counts a sheet late once the deadline has passed without it being submitted', () => {
    expect(enRetard({ statut: 'a_remplir' }, campagne, '2026-04-01')).toBe(true);
    expect(enRetard({ statut: 'renvoyee' }, campagne, '2026-04-01')).toBe(true);
    expect(enRetard({ statut: 'a_remplir' }, campagne, '2026-03-31')).toBe(false);
    expect(enRetard({ statut: 'soumise' }, campagne, '2026-04-01')).toBe(false);
    expect(enRetard({ statut: 'a_remplir' }, { annee: 2015, echeance: null }, '2026-04-01')).toBe(false);
  });
});

describe('the bilan of a campaign', () => {
  const fiches = [
    fiche({ numero: 1, mesures: [mesure({ tauxCalcule: 112.8, tauxDeclare: '113%' })] }),
    fiche({
      numero: 2,
      thematique: 'EMPLOI',
      pointsAlerte: '  Données partielles.  ',
      source: { document: '004', lignes: { alertes: [2470, 2471] } },
      mesures: [
        mesure({ sousMesure: 'a', tauxCalcule: 40, tauxDeclare: '60%', alertes: [{ code: 'taux_divergent', message: 'déclaré 60 %, calculé 40 %' }] }),
        mesure({ rang: 2, sousMesure: 'b', tauxCalcule: null, alertes: [{ code: 'donnee_manquante', message: 'résultat' }, { code: 'taux_divergent', message: 'y' }] }),
      ],
    }),
    fiche({ numero: 3, statut: 'a_remplir', service: 'CAF de Paris', mesures: [mesure({ tauxCalcule: 80, tauxDeclare: '+1,2 point' })] }),
    fiche({ numero: 4, statut: 'soumise', service: null, mesures: [mesure({ tauxCalcule: 100 })] }),
  ];
  const b = calculerBilan(fiches, { annee: 2026, echeance: '2026-03-31' }, '2026-04-15');

  it('gives the key figures', () => {
    expect(b.chiffres).toEqual({ fiches: 4, mesures: 5, fichesValidees: 2, avecTaux: 4, signalees: 2, fichesEnRetard: 1, pointsAlerte: 1 });
  });

  it('spreads computed rates over the bands, bounds in the upper band, measures without a rate apart', () => {
    expect(b.repartition.map((t) => [t.code, t.mesures])).toEqual([
      ['moins_50', 1],
      ['50_80', 0],
      ['80_100', 1],
      ['100_plus', 2],
      ['sans_taux', 1],
    ]);
    expect(b.repartition.reduce((s, t) => s + t.mesures, 0)).toBe(b.chiffres.mesures);
  });

  it('counts flagged measures per code, a measure once per code', () => {
    expect(Object.fromEntries(b.alertesParCode.map((a) => [a.code, a.mesures]))).toEqual({
      taux_divergent: 2,
      resultat_copie: 0,
      taux_plafonne: 0,
      unites_differentes: 0,
      donnee_manquante: 1,
    });
    expect(b.signalees.map((s) => [s.numero, s.mesure.sousMesure])).toEqual([
      [2, 'a'],
      [2, 'b'],
    ]);
  });

  it('quotes alert points with their lines, trimmed', () => {
    expect(b.pointsAlerte).toEqual([{ numero: 2, titre: 'Fiche', texte: 'Données partielles.', lignes: [2470, 2471] }]);
  });

  it('sets the declared rate against the computed one where both exist, a declared figure that is no percentage left out', () => {
    expect(b.comparaisons.map((c) => [c.numero, c.declare, c.calcule, c.ecart, c.concorde])).toEqual([
      [1, 113, 112.8, 0.2, true],
      [2, 60, 40, 20, false],
    ]);
  });

  it('lists sheets not validated, late ones first', () => {
    expect(b.enCours.map((f) => [f.numero, f.enRetard])).toEqual([
      [3, true],
      [4, false],
    ]);
  });

  it('groups by thématique and service, a sheet without a service under « Non renseigné »', () => {
    expect(b.parThematique).toHaveLength(1);
    expect(b.parThematique[0]).toMatchObject({ libelle: 'Emploi', variantes: ['EMPLOI'], fiches: 4, mesures: 5 });
    expect(b.parService.map((g) => [g.libelle, g.fiches])).toEqual([
      ['DIRECCTE', 2],
      ['CAF de Paris', 1],
      ['Non renseigné', 1],
    ]);
  });
});

describe('invariants of the bilan', () => {
  const mesureArb = fc.record({
    tauxCalcule: fc.option(fc.double({ min: -50, max: 400, noNaN: true }), { nil: null }),
    alertes: fc.array(fc.record({ code: fc.constantFrom('taux_divergent', 'donnee_manquante', 'resultat_copie'), message: fc.string() }), { maxLength: 2 }),
  });
  const ficheArb = fc.record({
    axe: fc.option(fc.constantFrom('Vivre sa ville et son quartier', 'Vivre la ville et son quartier', 'EMPLOI', 'Emploi', ' '), { nil: null }),
    statut: fc.constantFrom('a_remplir', 'soumise', 'renvoyee', 'validee'),
    mesures: fc.array(mesureArb, { minLength: 1, maxLength: 3 }),
  });

  it('counts every sheet in one group and every measure in one band, whatever the headings and rates', () => {
    fc.assert(
      fc.property(fc.array(ficheArb, { maxLength: 12 }), (brutes) => {
        const fiches = brutes.map((f, i) => fiche({ ...f, numero: i + 1, mesures: f.mesures.map((m, j) => mesure({ ...m, rang: j + 1 })) }));
        const b = calculerBilan(fiches, { annee: 2026, echeance: '2026-03-31' }, '2026-04-01');
        expect(b.parAxe.reduce((s, g) => s + g.fiches, 0)).toBe(fiches.length);
        expect(b.parAxe.reduce((s, g) => s + g.mesures, 0)).toBe(b.chiffres.mesures);
        expect(b.repartition.reduce((s, t) => s + t.mesures, 0)).toBe(b.chiffres.mesures);
        expect(b.chiffres.fichesValidees + b.enCours.length).toBe(fiches.length);
        for (const a of b.alertesParCode) expect(a.mesures).toBeLessThanOrEqual(b.chiffres.signalees);
      }),
    );
  });
});

describe('the 2015 bilan as printed', () => {
  const dataDir = new URL('../../data/paris-2015-2020/', import.meta.url);
  const { fiches } = donneesEngagements(dataDir, ciblesDuContrat(lireArbre(dataDir)));
  const b = calculerBilan(
    fiches.map((f) => ({ ...f, service: f.porteur, statut: 'validee' })),
    { annee: 2015, echeance: null },
    '2016-06-01',
  );

  it('counts the 61 sheets and 76 measures, every measure in one band', () => {
    expect(b.chiffres.fiches).toBe(61);
    expect(b.chiffres.mesures).toBe(76);
    expect(b.repartition.reduce((s, t) => s + t.mesures, 0)).toBe(76);
    expect(b.repartition.find((t) => t.code === 'sans_taux')!.mesures).toBe(76 - b.chiffres.avecTaux);
  });

  it('finds the three axes of the contract under their printed variants', () => {
    const axes = b.parAxe.map((g) => g.libelle);
    for (const axe of ['Accompagner les parcours et prévenir les ruptures', 'Vivre sa ville et son quartier', 'Dynamiser les quartiers dans la ville']) {
      expect(axes).toContain(axe);
    }
    expect(b.parAxe.find((g) => g.libelle === 'Vivre sa ville et son quartier')!.variantes).toContain('Vivre la ville et son quartier');
    expect(b.parAxe.reduce((s, g) => s + g.fiches, 0)).toBe(61);
  });

  it('flags sheet 1, whose result repeats sheets 2 and 3, and shows its printed 113 % beside the computed 112,8 %', () => {
    expect(b.signalees.find((s) => s.numero === 1)!.mesure.alertes.map((a) => a.code)).toContain('resultat_copie');
    expect(b.comparaisons.find((c) => c.numero === 1)).toMatchObject({ declare: 113, calcule: 112.8, concorde: true });
  });
});
