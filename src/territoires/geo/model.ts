import type { StatutQpv, TerritoireRef, Zone } from './types.ts';

// The rule that turns "where the point falls" into the answer a person reads. Pure: no index, no I/O.

/** What the spatial index found for one point (see index.ts). */
export type Situation = {
  /** The QPV whose contour contains the point (boundary included), and how far the point is from its edge. */
  qpv: { zone: Zone; distanceBordMetres: number } | null;
  /** The nearest QPV boundary closer than the tolerance, whichever side of it the point is on. */
  bordProche: { zone: Zone; distanceMetres: number; dedans: boolean } | null;
  arrondissement: Zone | null;
  iris: Zone | null;
};

export type Classement = {
  statut: StatutQpv;
  qpv: TerritoireRef | null;
  qpvProche: (TerritoireRef & { distanceMetres: number }) | null;
  motif: string | null;
};

export const ref = (z: Zone): TerritoireRef => ({ code: z.code, nom: z.nom });

/** "8 m", "moins d'1 m": distances are read by people, not compared by them. */
export function metres(distance: number): string {
  if (distance < 1) return 'moins d’1 m';
  return `${Math.round(distance).toLocaleString('fr-FR')} m`;
}

/**
 * qpv: inside a QPV and farther than the tolerance from its edge; hors_qpv: outside every QPV and
 * farther than the tolerance from any QPV edge; otherwise incertain, with the reason written out.
 * The tolerance stands for the imprecision of both the contour and the address position: inside that
 * band, either answer could be wrong, and a wrong answer costs someone a subsidy or a count.
 */
export function classer(situation: Situation): Classement {
  const proche = situation.bordProche;
  if (proche) {
    return {
      statut: 'incertain',
      qpv: null,
      qpvProche: { ...ref(proche.zone), distanceMetres: Math.round(proche.distanceMetres * 10) / 10 },
      motif: `À ${metres(proche.distanceMetres)} de la limite du quartier ${proche.zone.nom} (${proche.dedans ? 'côté intérieur' : 'côté extérieur'}) : vérifiez sur la carte.`,
    };
  }
  if (situation.qpv) return { statut: 'qpv', qpv: ref(situation.qpv.zone), qpvProche: null, motif: null };
  return { statut: 'hors_qpv', qpv: null, qpvProche: null, motif: null };
}

/**
 * An approximate match stands for several possible positions (the neighbouring numbers, the whole
 * street, several streets of that name): the answer holds only if every one of them gets the same.
 * `premier` is the classification of the position shown; the others are the rest of the candidate area.
 */
export function classerZone(premier: Classement, autres: Classement[], description: string): Classement {
  const tous = [premier, ...autres];
  const incertain = tous.find((c) => c.statut === 'incertain');
  if (incertain) {
    return {
      ...incertain,
      motif: `${description} : une partie des positions possibles est près d’une limite de quartier prioritaire. ${incertain.motif ?? ''}`.trim(),
    };
  }
  const cle = (c: Classement) => `${c.statut}:${c.qpv?.code ?? ''}`;
  if (tous.every((c) => cle(c) === cle(premier))) return premier;
  const dansQpv = tous.find((c) => c.qpv)?.qpv ?? null;
  return {
    statut: 'incertain',
    qpv: null,
    qpvProche: null,
    motif: `${description} : les positions possibles sont de part et d’autre de la limite${dansQpv ? ` du quartier ${dansQpv.nom}` : ' d’un quartier prioritaire'}. Précisez l’adresse ou vérifiez sur la carte.`,
  };
}

/** Outside every arrondissement of the contract (when they are loaded): still hors_qpv, but said. */
export const MOTIF_HORS_TERRITOIRE = 'Ce point est en dehors du territoire du contrat : aucun arrondissement chargé ne le contient.';
