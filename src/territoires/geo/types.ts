// Shared shapes of the geography engine: the locator (geo/), the pages and the API agree on these.

export type Position = [number, number]; // [lon, lat], WGS84
export type PolygonGeometry = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export type ZoneType = 'qpv' | 'arrondissement' | 'iris';

/** A territory with a contour, as the locator indexes it. */
export type Zone = { id: string; type: ZoneType; code: string; nom: string; geometry: AreaGeometry };

export type TerritoireRef = { code: string; nom: string };

export type Correspondance =
  | { methode: 'coordonnees' }
  | { methode: 'adresse_exacte'; adresse: string; banId: string }
  /** Street found but not the number (interpolated), or the street matched only approximately. */
  | { methode: 'adresse_approchee'; adresse: string; banId: string | null; score: number; raison: string }
  | { methode: 'api_ban'; adresse: string; score: number };

export type StatutQpv = 'qpv' | 'hors_qpv' | 'incertain';

/** The answer to "is this point / address in a QPV?". `incertain` is never a silent guess: `motif` says why. */
export type Localisation = {
  statut: StatutQpv;
  qpv: TerritoireRef | null;
  /** When the point is near a boundary: the QPV concerned and the distance to its edge, in metres. */
  qpvProche: (TerritoireRef & { distanceMetres: number }) | null;
  arrondissement: TerritoireRef | null;
  iris: TerritoireRef | null;
  point: { lon: number; lat: number };
  correspondance: Correspondance;
  motif: string | null;
};

/** An address that could not be found at all. */
export type AdresseIntrouvable = { statut: 'introuvable'; motif: string; suggestions: string[] };
