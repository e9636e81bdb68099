import { describe, expect, it } from 'vitest';
import { documentsManquants, documentValide } from './structure-model.ts';

const doc = (type: string, valideDu: string | null, valideJusquAu: string | null, retireLe: Date | null = null) => ({ type, valideDu, valideJusquAu, retireLe });

describe('documents of an association', () => {
  it('is valid from its first day to its last day included, and never once withdrawn', () => {
    const rib = doc('rib', '2021-01-01', '2021-12-31');
    expect(documentValide(rib, '2020-12-31')).toBe(false);
    expect(documentValide(rib, '2021-01-01')).toBe(true);
    expect(documentValide(rib, '2021-12-31')).toBe(true);
    expect(documentValide(rib, '2022-01-01')).toBe(false);
    expect(documentValide(doc('statuts', null, null), '2030-01-01')).toBe(true);
    expect(documentValide(doc('statuts', null, null, new Date()), '2030-01-01')).toBe(false);
  });

  it('lists the required kinds with no valid document that day', () => {
    const docs = [doc('statuts', null, null), doc('rib', null, '2021-06-30'), doc('comptes', '2021-01-01', null), doc('autre', null, null)];
    expect(documentsManquants(docs, '2021-03-01')).toEqual(['rapport_activite']);
    expect(documentsManquants(docs, '2021-07-01')).toEqual(['rib', 'rapport_activite']);
    expect(documentsManquants([], '2021-07-01')).toEqual(['statuts', 'rib', 'comptes', 'rapport_activite']);
  });
});
