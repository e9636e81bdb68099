import { describe, expect, it } from 'vitest';
import { seedLines } from '../../test/seeds.ts';
import { mots, verifierTranscription, type Cite } from '../../test/transcription.ts';
import { lireBilan2015, type FicheTranscrite } from './donnees.ts';

// The 2015 bilan (seed 004 part 2) as transcribed in data/paris-2015-2020/bilan-2015/, read against the
// seed: 61 sheets and 76 measures, every printed word on the lines cited, every line of the bilan
// accounted for. The printed labels of the sheet template are the only words allowed to be left out.

const seed = seedLines('004_4fbcf7e49f828687.txt');
const bilan = lireBilan2015(new URL('../../data/paris-2015-2020/', import.meta.url));
const LIBELLES = new Set(
  mots(
    `Fiche de suivi Axe du contrat de ville Thématique Description de l'objectif Indicateur Date de mise à jour Service(s) concerné(s)
     Analyse Méthodologie suivie (territorialisation des données, moyens mobilisés) Analyse du taux de réalisation (freins à la réalisation,
     difficultés de méthode) Points d'alerte Ajustement de l'objectif et/ou de la méthode Engagements de droit commun dans le cadre du
     contrat de ville parisien 2015-2020`,
  ),
);

function cites(f: FicheTranscrite): Cite[] {
  const champs = ['titre', 'axe', 'thematique', 'objectif', 'indicateur', 'dateMiseAJour', 'services', 'colonnes', 'methodologie', 'analyse', 'alertes', 'ajustement'] as const;
  return [
    ...champs.flatMap((c) => (f[c] ? [{ texte: f[c]!.texte, lignes: f[c]!.lignes, ou: `fiche ${f.numero} ${c}` }] : [])),
    ...f.mesures.map((m, i) => ({
      texte: [m.libelle, m.reference, m.cible, m.resultat, m.taux].filter(Boolean).join(' '),
      lignes: m.lignes,
      ou: `fiche ${f.numero} mesure ${i + 1}`,
    })),
  ];
}

describe('the 2015 bilan of the common-law commitments (seed 004 part 2)', () => {
  it('holds the 61 sheets, numbered 1 to 61 in document order, and their 76 measures', () => {
    expect(bilan.fiches.map((f) => f.numero)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    const debuts = bilan.fiches.map((f) => f.plage[0]);
    expect([...debuts].sort((a, b) => a - b)).toEqual(debuts);
    expect(bilan.fiches.flatMap((f) => f.mesures)).toHaveLength(76);
  });

  it('finds each sheet title on a "Fiche de suivi" line of the seed', () => {
    for (const f of bilan.fiches) expect(seed[f.titre.lignes[0]!], `fiche ${f.numero}`).toMatch(/Fiche de suivi/);
  });

  it('names sub-measures a, b, c… in order when a sheet has several measures', () => {
    for (const f of bilan.fiches) {
      if (f.mesures.length > 1) expect(f.mesures.map((m) => m.sousMesure), `fiche ${f.numero}`).toEqual(f.mesures.map((_, i) => 'abcdefgh'[i]));
      else expect(f.mesures[0]!.sousMesure).toBeNull();
    }
  });

  for (const partie of bilan.parties) {
    it(`part l.${partie.plage[0]}-${partie.plage[1]}: every word on its lines, every line accounted for`, () => {
      expect(verifierTranscription(seed, partie.plage, partie.fiches.flatMap(cites), partie.horsArbre, LIBELLES)).toEqual([]);
    });
  }

  it('covers the whole bilan, from its first sheet to the end of the document', () => {
    const plages = bilan.parties.map((p) => p.plage).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < plages.length; i++) expect(plages[i]![0], 'parts follow each other').toBe(plages[i - 1]![1] + 1);
    expect(plages[plages.length - 1]![1]).toBeGreaterThanOrEqual(seed.length - 1 - 5);
  });
});
