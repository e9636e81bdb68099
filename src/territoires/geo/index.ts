import Flatbush from 'flatbush';
import { bboxAutour, contient, distanceAuBord, prepareArea, type PreparedArea } from './geometry.ts';
import type { Situation } from './model.ts';
import type { Zone, ZoneType } from './types.ts';

// The spatial index: one flatbush tree of bounding boxes per zone type, then the exact test on the
// few contours whose box holds the point. ~1 000 contours (QPV, arrondissements, IRIS) cost a handful
// of exact tests per point instead of a thousand.

type Layer = { zones: Zone[]; areas: PreparedArea[]; tree: Flatbush | null };

export type ZoneIndex = {
  /** Where a point falls: the containing zone of each type and the nearest QPV edge within the tolerance. */
  locate(lon: number, lat: number): Situation;
  /** How many zones of each type the index holds (0 when that geography is not loaded). */
  counts: Record<ZoneType, number>;
  toleranceMetres: number;
  /** Every zone of the index (for the maps). */
  zones: Zone[];
  /** A zone of the index by type and code, for the maps. */
  zone(type: ZoneType, code: string): Zone | undefined;
  /** The QPV whose boundary is nearest to the point, however far (20 contours: no index needed). */
  qpvLePlusProche(lon: number, lat: number): { zone: Zone; distanceMetres: number; dedans: boolean } | null;
};

function layer(zones: Zone[]): Layer {
  const areas = zones.map((z) => prepareArea(z.geometry));
  if (!zones.length) return { zones, areas, tree: null };
  const tree = new Flatbush(zones.length);
  for (const a of areas) tree.add(a.bbox[0], a.bbox[1], a.bbox[2], a.bbox[3]);
  tree.finish();
  return { zones, areas, tree };
}

function containing(l: Layer, lon: number, lat: number): number {
  if (!l.tree) return -1;
  const candidates = l.tree.search(lon, lat, lon, lat);
  // Adjacent zones share edges: a point on a shared edge belongs to the first one found, which is
  // stable (the tree's order) so that a given point always gets the same arrondissement or IRIS.
  candidates.sort((a, b) => a - b);
  for (const i of candidates) if (contient(l.areas[i]!, lon, lat)) return i;
  return -1;
}

export function buildZoneIndex(zones: Zone[], options: { toleranceMetres?: number } = {}): ZoneIndex {
  const toleranceMetres = options.toleranceMetres ?? 15;
  const of = (type: ZoneType) => layer(zones.filter((z) => z.type === type));
  const qpv = of('qpv');
  const arrondissement = of('arrondissement');
  const iris = of('iris');
  const byKey = new Map(zones.map((z) => [`${z.type}:${z.code}`, z]));

  function locate(lon: number, lat: number): Situation {
    let dedans: Situation['qpv'] = null;
    let bordProche: Situation['bordProche'] = null;
    if (qpv.tree) {
      const [x0, y0, x1, y1] = bboxAutour(lon, lat, toleranceMetres);
      for (const i of qpv.tree.search(x0, y0, x1, y1)) {
        const area = qpv.areas[i]!;
        const inside = contient(area, lon, lat);
        const d = distanceAuBord(area, lon, lat);
        if (inside && !dedans) dedans = { zone: qpv.zones[i]!, distanceBordMetres: d };
        if (d <= toleranceMetres && (!bordProche || d < bordProche.distanceMetres)) {
          bordProche = { zone: qpv.zones[i]!, distanceMetres: d, dedans: inside };
        }
      }
    }
    const a = containing(arrondissement, lon, lat);
    const r = containing(iris, lon, lat);
    return {
      qpv: dedans,
      bordProche,
      arrondissement: a >= 0 ? arrondissement.zones[a]! : null,
      iris: r >= 0 ? iris.zones[r]! : null,
    };
  }

  return {
    locate,
    toleranceMetres,
    zones,
    counts: { qpv: qpv.zones.length, arrondissement: arrondissement.zones.length, iris: iris.zones.length },
    zone: (type, code) => byKey.get(`${type}:${code}`),
    qpvLePlusProche: (lon, lat) => {
      let best: ReturnType<ZoneIndex['qpvLePlusProche']> = null;
      qpv.areas.forEach((area, i) => {
        const d = distanceAuBord(area, lon, lat);
        if (!best || d < best.distanceMetres) best = { zone: qpv.zones[i]!, distanceMetres: d, dedans: contient(area, lon, lat) };
      });
      return best;
    },
  };
}

/** Textbook ray casting over every ring, boundary counted inside: what one writes without an index. */
function naiveContains(geometry: Zone['geometry'], x: number, y: number): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const rings of polygons) {
    let inside = false;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi > y !== yj > y) {
          const cross = (xj - xi) * (y - yi) - (x - xi) * (yj - yi);
          if (cross === 0) return true;
          if (cross > 0 === yj > yi) inside = !inside;
        } else if ((yi === y && (xi === x || (yj === y && (x - xi) * (x - xj) <= 0))) || (yj === y && xj === x)) {
          return true;
        }
      }
    }
    if (inside) return true;
  }
  return false;
}

/**
 * The same answer without any index: every contour of every type is tested for every point, edge by
 * edge. Kept as the reference the index is checked against (tests) and measured against (bench/geo-lookup.ts).
 */
export function naiveLocator(zones: Zone[], options: { toleranceMetres?: number } = {}): (lon: number, lat: number) => Situation {
  const toleranceMetres = options.toleranceMetres ?? 15;
  const prepared = zones.map((zone) => ({ zone, area: zone.type === 'qpv' ? prepareArea(zone.geometry) : null }));
  return (lon, lat) => {
    const s: Situation = { qpv: null, bordProche: null, arrondissement: null, iris: null };
    for (const { zone, area } of prepared) {
      const inside = naiveContains(zone.geometry, lon, lat);
      if (area) {
        const d = distanceAuBord(area, lon, lat);
        if (inside && !s.qpv) s.qpv = { zone, distanceBordMetres: d };
        if (d <= toleranceMetres && (!s.bordProche || d < s.bordProche.distanceMetres)) s.bordProche = { zone, distanceMetres: d, dedans: inside };
      } else if (inside && zone.type === 'arrondissement') {
        s.arrondissement ??= zone;
      } else if (inside && zone.type === 'iris') {
        s.iris ??= zone;
      }
    }
    return s;
  };
}
