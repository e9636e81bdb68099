import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { geoFile } from '../../test/geo-data.ts';
import { seedLines, seedText } from '../../test/seeds.ts';
import { geographieParis } from './donnees.ts';
import { arrondissementsParisImprimes, ecartContrat, parseNombreFr, SEUIL_QUARTIER_VECU } from './model.ts';

// The transcription of the contract's priority geography, read against the seed itself, row by row:
// a figure mistyped in data/paris-2015-2020/qpv.json or qva.json fails here.

const SEED = '002_c4a66201d2f76daa.txt';
const lignes = seedLines(SEED);
const { qpv, qva } = geographieParis();
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('the 20 QPV of the contract table (seed 002 l.873-925)', () => {
  it('transcribes every row exactly as printed: name, commune principale, population, median income', () => {
    expect(seedText(lignes, qpv.tableau.ligne)).toBe('Liste des quartiers prioritaires');
    expect(qpv.quartiers).toHaveLength(20);
    for (const q of qpv.quartiers) {
      expect(norm(lignes[q.ligne]!), `seed 002 l.${q.ligne}`).toBe(norm(`${q.nom} ${q.communePrincipale} ${q.population} ${q.revenuMedian}`));
    }
  });

  it('leaves out no row of the table, and keeps its order', () => {
    const debut = qpv.tableau.ligne;
    const fin = qpv.tableau.noteSource.ligne;
    const rangees = [];
    for (let n = debut + 1; n < fin; n++) if (/\d \d{3}\s*$/.test(lignes[n]!)) rangees.push(n);
    expect(qpv.quartiers.map((q) => q.ligne)).toEqual(rangees);
  });

  it('keeps the column titles and the source note of the table', () => {
    for (const c of qpv.tableau.colonnes) expect(seedText(lignes, c.lignes[0], c.lignes[1])).toContain(c.titre);
    expect(seedText(lignes, qpv.tableau.noteSource.ligne)).toBe(qpv.tableau.noteSource.texte);
    expect(qpv.tableau.noteSource.texte).toBe('Source : Insee, RFL2011 – Cget');
    expect(qpv.tableau.millesime).toBe('RFL2011');
  });

  it('reads every printed figure as a number', () => {
    for (const q of qpv.quartiers) {
      expect(parseNombreFr(q.population), q.population).not.toBeNull();
      expect(parseNombreFr(q.revenuMedian), q.revenuMedian).not.toBeNull();
    }
  });

  it('gives each QPV the code and spelling of the official file, one code each', () => {
    const officiel = JSON.parse(readFileSync(geoFile('qpv2015_paris.geojson'), 'utf8')) as {
      features: { properties: { CODE_QP: string; NOM_QP: string } }[];
    };
    const noms = new Map(officiel.features.map((f) => [f.properties.CODE_QP, f.properties.NOM_QP]));
    expect(new Set(qpv.quartiers.map((q) => q.code)).size).toBe(20);
    expect([...noms.keys()].sort()).toEqual(qpv.quartiers.map((q) => q.code).sort());
    // The two spellings differ only in case, hyphen spacing and "St" for "Saint", and in the
    // punctuation of the last row: compared once reduced to their letters and digits.
    const lettres = (s: string) =>
      s
        .toLowerCase()
        .replace(/\bst-/g, 'saint-')
        .replace(/[^\p{L}\d]/gu, '')
        .replace(/et(?=20ème$)/, '');
    for (const q of qpv.quartiers) {
      expect(q.nomOfficiel, q.code).toBe(noms.get(q.code));
      expect(lettres(q.nom), `${q.code} ${q.nom} / ${q.nomOfficiel}`).toBe(lettres(q.nomOfficiel));
    }
  });

  it('links each QPV to the arrondissements its "commune principale" names', () => {
    for (const q of qpv.quartiers) expect(q.arrondissements, q.nom).toEqual(arrondissementsParisImprimes(q.communePrincipale));
    const touches = new Set(qpv.quartiers.flatMap((q) => q.arrondissements));
    expect([...touches].sort()).toEqual(qpv.contrat.arrondissements.codes);
  });
});

describe('the contract-level figures', () => {
  const c = qpv.contrat;

  it('quotes each one from its lines', () => {
    for (const chiffre of [c.population, c.nombreQuartiers, c.seuilBasRevenus]) {
      const texte = seedText(lignes, chiffre.lignes[0], chiffre.lignes[1]);
      expect(texte, chiffre.source).toContain(chiffre.extrait);
      expect(chiffre.extrait).toContain(chiffre.texte);
    }
    expect(c.population).toMatchObject({ texte: '150 460', source: 'seed 002 l.802-803' });
    expect(c.nombreQuartiers).toMatchObject({ texte: '20', source: 'seed 002 l.797' });
    expect(c.seuilBasRevenus).toMatchObject({ texte: '12 800 €', source: 'seed 002 l.777' });
    expect(seedText(lignes, c.arrondissements.extraitLignes[0], c.arrondissements.extraitLignes[1])).toContain(c.arrondissements.extrait);
    expect(seedText(lignes, c.arrondissements.lignes[0], c.arrondissements.lignes[1])).toContain(c.arrondissements.texte);
    expect(arrondissementsParisImprimes(c.arrondissements.extrait)).toEqual(c.arrondissements.codes);
  });

  it('has as many QPV in the table as the text says', () => {
    expect(qpv.quartiers).toHaveLength(parseNombreFr(c.nombreQuartiers.texte)!);
    expect(c.arrondissements.codes).toHaveLength(8);
  });

  it('computes the population of the table and compares it with the printed 150 460', () => {
    const somme = qpv.quartiers.reduce((s, q) => s + parseNombreFr(q.population)!, 0);
    const ecart = ecartContrat(somme, parseNombreFr(c.population.texte)!);
    expect(ecart.imprime).toBe(150460);
    expect(ecart.calcule).toBe(somme);
    // Whatever the sum, the model reports whether it matches: a difference is shown, never fixed.
    expect(ecart.concorde).toBe(somme === 150460);
    expect(somme).toBe(150460);
  });
});

describe('the quartiers de veille active (seed 002 l.817-857)', () => {
  it('records the collective statement on the former CUCS perimeters, with its lines', () => {
    const a = qva.anciensPerimetresCucs;
    expect(seedText(lignes, a.lignes[0], a.lignes[1])).toContain(a.extrait);
    expect(a.source).toBe('seed 002 l.825-828');
    expect(seedText(lignes, qva.classement.lignes[0], qva.classement.lignes[1])).toContain(qva.classement.extrait);
  });

  it('names the seven quartiers the contract names, each with its arrondissement and lines', () => {
    expect(qva.quartiers.map((q) => q.nom)).toEqual([
      'Porte de Vincennes',
      'Olympiades',
      "Cité de l'Eure",
      'Périchaux',
      'Joinville-Barbanègre',
      'Ourcq-Léon Giraud',
      '140 Ménilmontant',
    ]);
    for (const q of qva.quartiers) {
      expect(seedText(lignes, q.lignes[0], q.lignes[1]), q.nom).toContain(q.extrait);
      expect(q.extrait).toContain(q.nom);
      expect(q.arrondissements, q.nom).toEqual(arrondissementsParisImprimes(q.extrait));
    }
    expect(new Set(qva.quartiers.map((q) => q.code)).size).toBe(7);
  });
});

describe('the quartier vécu rule (seed 002 l.860-872)', () => {
  it('keeps the text as printed and the threshold the model applies', () => {
    const r = qpv.quartierVecu;
    expect(seedText(lignes, r.ligneTitre)).toBe(r.titre);
    expect(seedText(lignes, r.lignes[0], r.lignes[1])).toBe(r.texte);
    expect(seedText(lignes, r.seuil.ligne)).toContain(`au moins ${r.seuil.texte}`);
    expect(parseNombreFr(r.seuil.texte)! / 100).toBe(r.seuil.valeur);
    expect(r.seuil.valeur).toBe(SEUIL_QUARTIER_VECU);
  });
});
