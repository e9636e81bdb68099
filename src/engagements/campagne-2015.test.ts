import { describe, expect, it } from 'vitest';
import { lireArbre, ciblesDuContrat } from '../contrat/donnees.ts';
import { donneesEngagements } from './chargement.ts';
import { calculerTaux, lectureDesColonnes, lireChiffre, TOLERANCE_TAUX } from './model.ts';

// The 2015 campaign as Pilotis loads it: each measure's rate recomputed by rule beside the rate the
// bilan prints, and the flags the bilan's readers missed. Expectations come from the printed sheets.

const dataDir = new URL('../../data/paris-2015-2020/', import.meta.url);
const { engagements, fiches } = donneesEngagements(dataDir, ciblesDuContrat(lireArbre(dataDir)));
const mesures = fiches.flatMap((f) => f.mesures.map((m) => ({ fiche: f, m })));
const codes = (numero: number, rang = 1) => fiches.find((f) => f.numero === numero)!.mesures[rang - 1]!.alertes.map((a) => a.code);

describe('the 2015 campaign loaded from the bilan', () => {
  it('keeps the 61 sheets and 76 measures, each figure as printed', () => {
    expect(fiches).toHaveLength(61);
    expect(mesures).toHaveLength(76);
    expect(fiches[0]!.mesures[0]).toMatchObject({ reference: '18,1%', cible: '18%', resultat: '20,3%(avril 2016)', tauxDeclare: '113%' });
  });

  it('computes 112,8 % for sheet 1 (20,3 % against 18 %), in agreement with the printed 113 %', () => {
    expect(fiches[0]!.mesures[0]).toMatchObject({ tauxCalcule: 112.8, formule: expect.stringMatching(/^résultat ÷ cible/) });
    expect(codes(1)).not.toContain('taux_divergent');
  });

  it('flags sheets 2 and 3: the same result and rate as sheet 1 under other targets (13 % and 15 %)', () => {
    for (const n of [2, 3]) {
      expect(codes(n)).toContain('taux_divergent');
      expect(codes(n)).toContain('resultat_copie');
    }
    expect(codes(1)).toContain('resultat_copie');
    expect(fiches[1]!.mesures[0]!.tauxCalcule).toBe(156.2);
  });

  it('computes a rate for every measure whose target and result are figures of the same unit, and says why otherwise', () => {
    for (const { fiche, m } of mesures) {
      const lue = lectureDesColonnes(fiche.colonnes, m);
      const attendu = calculerTaux({ ...m, reference: lue.reference, resultat: lue.resultat });
      expect(m.tauxCalcule, `fiche ${fiche.numero}`).toBe(attendu.taux);
      if (m.tauxCalcule === null) expect(m.raison, `fiche ${fiche.numero}`).toBeTruthy();
    }
  });

  it('flags every declared rate that does not follow from the figures, and only those', () => {
    for (const { fiche, m } of mesures) {
      const lu = lireChiffre(m.tauxDeclare);
      const declare = lu?.unite === '%' ? lu : null;
      const diverge = declare !== null && m.tauxCalcule !== null && Math.abs(declare.valeur - m.tauxCalcule) >= TOLERANCE_TAUX;
      expect(m.alertes.some((a) => a.code === 'taux_divergent'), `fiche ${fiche.numero} : déclaré ${m.tauxDeclare}, calculé ${m.tauxCalcule}`).toBe(diverge);
    }
  });

  it('reads the year’s result in the first column where the sheet prints « Résultat 2015 » there (33 % against 30 % → 110 %)', () => {
    expect(fiches[4]!.colonnes).toMatch(/^Résultat 2015 \|/);
    expect(fiches[4]!.mesures[0]).toMatchObject({ reference: '33%', resultat: 'Décembre 2015', tauxDeclare: '110%', tauxCalcule: 110 });
    expect(codes(5)).toEqual([]);
  });

  it('measures the gap for a target that halves a gap (sheet 19: from 11,5 to 9,4 points toward 5,7, 36,2 % for a printed 37 %)', () => {
    expect(fiches[18]!.mesures[0]!.tauxCalcule).toBe(36.2);
    expect(codes(19)).not.toContain('taux_divergent');
  });

  it('flags a rate that does not follow from the figures (sheet 59: 874 of 1 000 is 87,4 %, printed 90 %)', () => {
    expect(fiches[58]!.mesures[0]!.tauxCalcule).toBe(87.4);
    expect(codes(59)).toContain('taux_divergent');
  });

  it('makes one commitment per measure, owned by the sheet’s service, with the sheet among its sources', () => {
    for (const { fiche, m } of mesures) {
      const e = engagements.find((x) => x.ref === m.engagementRef)!;
      expect(e.porteur).toBe(fiche.porteur);
      expect(e.sources[0]).toMatchObject({ document: '004', origine: 'fiche', valeur: m.cible });
    }
  });

  it('keeps every quantified target of the contract as a commitment, on its own or beside the sheet that follows it', () => {
    const cibles = ciblesDuContrat(lireArbre(dataDir));
    const citees = engagements.flatMap((e) => e.sources.filter((s) => s.origine === 'contrat').map((s) => `${s.lignes.join(',')}|${s.texte}`));
    for (const c of cibles) expect(citees, c.texte).toContain(`${c.lignes.join(',')}|${c.texte}`);
  });
});
