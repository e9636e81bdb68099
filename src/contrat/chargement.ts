import type { Db } from '../platform/db/connect.ts';
import type { AuditActor } from '../platform/audit/model.ts';
import { chargerArbre, type NoeudSaisi } from './store.ts';
import { lireArbre, type ArbreTranscrit } from './donnees.ts';

// From the transcription files to the database: the axes (with their transversal priorities kept on
// the contract's root items) and every orientation's items, in the document's order. The orientation's
// actors, publics, schemes, related plans and citizen contribution ride on the orientation item.

export function noeudsDeLArbre(arbre: ArbreTranscrit): NoeudSaisi[] {
  const doc = arbre.axes.source;
  const sommaires = new Map(arbre.axes.sommairesOrientations.map((s) => [s.ref, { texte: s.texte, lignes: s.lignes }]));
  const axes: NoeudSaisi[] = arbre.axes.noeuds.map((n) => ({ ref: n.ref, niveau: n.niveau, numero: n.numero, libelle: n.libelle, parentRef: n.parent, document: doc, lignes: n.lignes }));
  const parAxe = new Map<string, NoeudSaisi[]>();
  for (const o of arbre.orientations) {
    const items = o.noeuds.map(
      (n): NoeudSaisi => ({
        ref: n.ref,
        niveau: n.niveau,
        numero: n.numero,
        libelle: n.libelle,
        parentRef: n.parent,
        document: o.source,
        lignes: n.lignes,
        sommaire: n.sommaire ?? (n.niveau === 'orientation' ? (sommaires.get(n.ref) ?? null) : null),
        details: n.niveau === 'orientation' ? { ...o.orientationDetails, cibles: o.cibles } : null,
        note: n.note ?? null,
      }),
    );
    const axe = o.orientation.split('.')[0]!;
    parAxe.set(axe, [...(parAxe.get(axe) ?? []), ...items]);
  }
  return axes.flatMap((a) => [a, ...(parAxe.get(a.ref) ?? [])]);
}

export async function chargerArbreDuContrat(db: Db, by: AuditActor, contratId: string, dataDir: URL) {
  return chargerArbre(db, by, contratId, noeudsDeLArbre(lireArbre(dataDir)));
}
