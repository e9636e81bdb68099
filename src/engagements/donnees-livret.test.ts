import { describe, expect, it } from 'vitest';
import { seedLines } from '../../test/seeds.ts';
import { verifierTranscription, type Cite } from '../../test/transcription.ts';
import { lireBilan2015, lireLivret } from './donnees.ts';

// The Préfecture's booklet of common-law schemes (seed 004 part 1) as transcribed in
// data/paris-2015-2020/livret-dispositifs.json, read against the seed: every card, every commitment,
// every word on its lines, every line of the booklet accounted for.

const seed = seedLines('004_4fbcf7e49f828687.txt');
const livret = lireLivret(new URL('../../data/paris-2015-2020/', import.meta.url))!;

describe('the booklet of common-law schemes (seed 004 part 1)', () => {
  it('has unique references for its cards and their commitments', () => {
    const refs = [...livret.dispositifs.map((d) => d.ref), ...livret.dispositifs.flatMap((d) => d.engagements.map((e) => e.ref))];
    expect(new Set(refs).size).toBe(refs.length);
    expect(livret.dispositifs.length).toBeGreaterThan(0);
  });

  it('transcribes every word of every card on the lines it cites, and accounts for every line', () => {
    const cites: Cite[] = [
      ...livret.sections.map((s) => ({ texte: s.titre, lignes: s.lignes, ou: `section ${s.titre}` })),
      ...livret.dispositifs.flatMap((d) => [
        ...(['nom', 'porteur', 'description', 'publicCible', 'contacts'] as const).flatMap((k) => (d[k] ? [{ texte: d[k]!.texte, lignes: d[k]!.lignes, ou: `${d.ref} ${k}` }] : [])),
        ...d.liens.map((l, i) => ({ texte: l.texte, lignes: l.lignes, ou: `${d.ref} lien ${i}` })),
        ...d.engagements.flatMap((e) => [
          { texte: e.texte, lignes: e.lignes, ou: e.ref },
          ...e.repetitions.map((r, i) => ({ texte: e.texte, lignes: r, ou: `${e.ref} répétition ${i + 1}` })),
        ]),
      ]),
    ];
    expect(verifierTranscription(seed, livret.plage, cites, livret.horsArbre)).toEqual([]);
  });

  it('ends where the 2015 bilan begins', () => {
    const bilan = lireBilan2015(new URL('../../data/paris-2015-2020/', import.meta.url));
    expect(livret.plage[0]).toBe(1);
    expect(livret.plage[1] + 1).toBe(Math.min(...bilan.parties.map((p) => p.plage[0])));
  });
});
