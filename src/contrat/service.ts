import type { Db } from '../platform/db/connect.ts';
import type { Niveau, ServiceContrat } from './model.ts';
import { noeudsParNiveaux, noeudsParRefs } from './store.ts';

// The contract as other modules see it: items of the tree by reference, without reading its store.
export function serviceContrat(db: Db): ServiceContrat {
  const cite = (n: { ref: string; niveau: string; numero: string; libelle: string }) => ({ ref: n.ref, niveau: n.niveau as Niveau, numero: n.numero, libelle: n.libelle });
  return {
    async noeuds(contratId, refs) {
      return (await noeudsParRefs(db, contratId, refs)).map(cite);
    },
    async parNiveaux(contratId, niveaux) {
      return (await noeudsParNiveaux(db, contratId, niveaux)).map(cite);
    },
  };
}
