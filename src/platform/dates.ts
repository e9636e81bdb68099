// Dates as the French write them: "1er mars 2016" (the first of the month is an ordinal), "5 mars 2016 à 14:05".
// Calendar days (AAAA-MM-JJ) are days of the contract's calendar; moments are shown in Paris time.

const LANGUE = 'fr-FR';
const jourCalendaire = new Intl.DateTimeFormat(LANGUE, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const jourAParis = new Intl.DateTimeFormat(LANGUE, { dateStyle: 'long', timeZone: 'Europe/Paris' });
const momentAParis = new Intl.DateTimeFormat(LANGUE, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

const premier = (texte: string) => texte.replace(/^1 /, '1er ');

/** "2016-03-01" → "1er mars 2016"; anything that is not a day is returned as it came. */
export function jourLong(iso: string): string {
  const d = /^\d{4}-\d{2}-\d{2}/.test(iso) ? new Date(`${iso.slice(0, 10)}T00:00:00Z`) : new Date(Number.NaN);
  return Number.isNaN(d.getTime()) ? iso : premier(jourCalendaire.format(d));
}

/** The day of a moment in Paris: "1er mars 2016". */
export const jourParisLong = (d: Date): string => premier(jourAParis.format(d));

/** A moment in Paris: "1er mars 2016 à 14:05". */
export const momentParis = (d: Date): string => premier(momentAParis.format(d));
