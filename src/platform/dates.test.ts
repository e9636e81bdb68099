import { describe, expect, it } from 'vitest';
import { jourLong, jourParisLong, momentParis } from './dates.ts';

describe('French dates', () => {
  it('writes the first of the month as an ordinal, other days as numbers', () => {
    expect(jourLong('2016-03-01')).toBe('1er mars 2016');
    expect(jourLong('2016-03-11')).toBe('11 mars 2016');
    expect(jourLong('2016-03-21')).toBe('21 mars 2016');
    expect(jourLong('pas une date')).toBe('pas une date');
  });

  it('shows moments in Paris time, summer time included', () => {
    expect(momentParis(new Date('2026-06-30T22:30:00Z'))).toBe('1er juillet 2026 à 00:30');
    expect(jourParisLong(new Date('2026-12-31T23:30:00Z'))).toBe('1er janvier 2027');
    expect(momentParis(new Date('2026-01-15T13:05:00Z'))).toBe('15 janvier 2026 à 14:05');
  });
});
