// An association's documents (CERFA 12156 asks for them with the first request, then again when they
// change): which kinds exist, which are required, and whether one is still valid on a given day.

export const TYPES_DOCUMENT = ['statuts', 'rib', 'comptes', 'rapport_activite', 'liste_dirigeants', 'autre'] as const;
export type TypeDocument = (typeof TYPES_DOCUMENT)[number];

export const LIBELLES_TYPE_DOCUMENT: Record<TypeDocument, string> = {
  statuts: 'Statuts en vigueur, datés et signés',
  rib: 'Relevé d’identité bancaire (RIB)',
  comptes: 'Derniers comptes approuvés',
  rapport_activite: 'Dernier rapport d’activité approuvé',
  liste_dirigeants: 'Liste des dirigeants',
  autre: 'Autre document',
};

/** The documents a request cannot be submitted without. */
export const DOCUMENTS_REQUIS: readonly TypeDocument[] = ['statuts', 'rib', 'comptes', 'rapport_activite'];

export type DocumentDate = { type: string; valideDu: string | null; valideJusquAu: string | null; retireLe: Date | null };

/** Valid on a day (AAAA-MM-JJ): not withdrawn, started, not ended. An open end means "until replaced". */
export function documentValide(d: DocumentDate, jour: string): boolean {
  if (d.retireLe) return false;
  if (d.valideDu && jour < d.valideDu) return false;
  return !(d.valideJusquAu && jour > d.valideJusquAu);
}

/** The required kinds of document with no valid one on that day, in the order of DOCUMENTS_REQUIS. */
export function documentsManquants(docs: readonly DocumentDate[], jour: string): TypeDocument[] {
  return DOCUMENTS_REQUIS.filter((t) => !docs.some((d) => d.type === t && documentValide(d, jour)));
}
