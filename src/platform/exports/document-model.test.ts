import { describe, expect, it } from 'vitest';
import { celluleFr, columnWidths, dateLongueFr, decimalsOf, valeurFr, type Column } from './document-model.ts';

const NBSP = '\u00a0';
const montant: Column = { key: 'montant', label: 'Montant', type: 'number' };
const taux: Column = { key: 'taux', label: 'Taux', type: 'percent' };
const date: Column = { key: 'date', label: 'Date', type: 'date' };
const texte: Column = { key: 'nom', label: 'Nom', type: 'text' };

describe('document model formatting', () => {
  it('writes numbers the French way, with a no-break space every font can draw', () => {
    expect(celluleFr(1234567.5, montant, 2)).toBe(`1${NBSP}234${NBSP}567,50`);
    expect(celluleFr(-1200, montant, 0)).toBe(`-1${NBSP}200`);
    expect(celluleFr(0.456, montant, 2)).toBe('0,46');
  });

  it('shows percent numbers as they are, followed by " %"', () => {
    expect(celluleFr(112.8, taux, 1)).toBe(`112,8${NBSP}%`);
    expect(celluleFr(50, taux, 1)).toBe(`50,0${NBSP}%`);
  });

  it('shows a missing or unusable value as a dash', () => {
    expect(celluleFr(null, montant, 0)).toBe('—');
    expect(celluleFr(undefined, texte, 0)).toBe('—');
    expect(celluleFr('', texte, 0)).toBe('—');
    expect(celluleFr(Number.NaN, taux, 1)).toBe('—');
    expect(valeurFr(null)).toBe('—');
  });

  it('shows ISO dates as dd/mm/yyyy without shifting the day, and other texts untouched', () => {
    expect(celluleFr('2025-01-01', date, 0)).toBe('01/01/2025');
    expect(celluleFr('2024-12-31T23:30:00Z', date, 0)).toBe('31/12/2024');
    expect(celluleFr('fin 2025', date, 0)).toBe('fin 2025');
    expect(celluleFr('« Écart » ‘net’', texte, 0)).toBe('« Écart » ‘net’');
    expect(dateLongueFr('2025-03-01')).toBe('1er mars 2025');
  });

  it('shows decimals only for columns that have some, unless the column says otherwise', () => {
    expect(decimalsOf(montant, [{ montant: 3 }, { montant: null }])).toBe(0);
    expect(decimalsOf(montant, [{ montant: 3 }, { montant: 2.5 }])).toBe(2);
    expect(decimalsOf(taux, [{ taux: 100 }])).toBe(1);
    expect(decimalsOf({ ...montant, decimals: 3 }, [{ montant: 1 }])).toBe(3);
    expect(valeurFr(1234.5)).toBe(`1${NBSP}234,50`);
    expect(valeurFr(42)).toBe('42');
  });

  it('sizes columns from their content within readable bounds, keeping a declared width', () => {
    const widths = columnWidths({
      caption: 'Largeurs',
      columns: [texte, { ...montant, label: 'Montant engagé' }, { key: 'court', label: 'N', type: 'text' }, { ...date, width: 14 }],
      rows: [{ nom: 'x'.repeat(100), montant: 1234567, court: 'a', date: '2025-01-01' }],
    });
    expect(widths).toEqual([40, 11, 6, 14]);
  });
});
