// An association's documents (CERFA 12156 asks for them with the first request, then again when they
// change): which kinds exist, which are required, and whether one is still valid on a given day.

import type { Actor } from '../platform/auth/policy.ts';
import { phraseStatut, type ServiceTerritoires } from '../territoires/model.ts';
import type { LocalisationStructure } from './schema.ts';
import { jourLong } from '../platform/dates.ts';

/** What the territoires module answers about an address (a place, or « introuvable »). */
type ReponseAdresse = Exclude<Awaited<ReturnType<ServiceTerritoires['localiserAdresse']>>, null>;

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

// --- Added for the structure pages (sign-up, profile, documents) ------------------------------

/** The two people of CERFA 12156 part 1, in the order `structure.representants` stores them. */
export const QUALITES_REPRESENTANT = ['Représentant légal', 'Personne chargée du dossier'] as const;

/** Where an association's address lies, as its profile keeps it; null when the territoires module could not answer. */
export function localisationDe(l: ReponseAdresse | null): LocalisationStructure {
  if (!l) return { statut: 'non_localisee', qpvCode: null, qpvNom: null, phrase: 'Localisation impossible : les contours des quartiers ne sont pas chargés.' };
  if (l.statut === 'introuvable') return { statut: 'introuvable', qpvCode: null, qpvNom: null, phrase: `Adresse introuvable : ${l.motif}` };
  const qpv = l.statut === 'qpv' ? l.qpv : null;
  return { statut: l.statut, qpvCode: qpv?.code ?? null, qpvNom: qpv?.nom ?? null, phrase: `${phraseStatut(l, 'l’adresse de l’association')}.`.replace(/\.\.$/, '.') };
}

/** At most 5 Mo per document: a scanned statute or a RIB fits, a whole archive does not. */
export const MAX_OCTETS_DOCUMENT = 5 * 1024 * 1024;

/**
 * The type of a file read from its first bytes (PDF, JPEG, PNG), null for anything else: the name a
 * browser sends proves nothing, and a file served back as PDF must be one.
 */
export function typeMimeDuContenu(octets: Uint8Array): 'application/pdf' | 'image/jpeg' | 'image/png' | null {
  const debut = (signature: number[]) => signature.every((b, i) => octets[i] === b);
  if (debut([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (debut([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (debut([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return null;
}

export type EtatDocument = { etat: 'valable' | 'a_venir' | 'expire' | 'retire'; texte: string };


/** A document's validity on a day, in the words the list shows. */
export function etatDocument(d: DocumentDate, jour: string): EtatDocument {
  if (d.retireLe) return { etat: 'retire', texte: 'Retiré' };
  if (d.valideDu && jour < d.valideDu) return { etat: 'a_venir', texte: `Valable à partir du ${jourLong(d.valideDu)}` };
  if (d.valideJusquAu && jour > d.valideJusquAu) return { etat: 'expire', texte: `Expiré depuis le ${jourLong(d.valideJusquAu)}` };
  return { etat: 'valable', texte: d.valideJusquAu ? `Valable jusqu’au ${jourLong(d.valideJusquAu)}` : 'Valable, sans date de fin' };
}

/** The association a person acts for in this contract: the organisation of their 'association' role, or null. */
export function associationDe(actor: Pick<Actor, 'assignments'> | null, contratId: string): string | null {
  const a = actor?.assignments.find((x) => x.role === 'association' && x.contratId === contratId && x.scopeKind === 'organisation' && x.scopeRef);
  return a?.scopeRef ?? null;
}
