import type { AreaGeometry, Position } from './types.ts';

// Exact geometry on WGS84 lon/lat, without a database.
//
// Distances use a local equirectangular projection centred on the point asked about:
// x = Δlon·cos(lat₀)·R, y = Δlat·R. Over the few hundred metres that matter for "is this address
// within 15 m of a boundary", the error against the geodesic distance is far below a metre (it grows
// with the square of the distance: under 0.1 % at 10 km at Paris's latitude), smaller than the
// precision of the contours and of the address positions themselves.

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
/** Metres in one degree of latitude (and of longitude at the equator). */
export const METRES_PAR_DEGRE = EARTH_RADIUS_M * RAD;

export type Bbox = [number, number, number, number]; // [minLon, minLat, maxLon, maxLat]

/**
 * A contour flattened for fast repeated tests. Each polygon (outer ring and holes together) is a list
 * of edges [ax, ay, bx, by, …], and the edges are filed in horizontal bands: a ray cast at latitude y
 * can only cross edges of the band holding y, so a 500-vertex arrondissement costs a dozen edge tests.
 */
export type PreparedPolygon = {
  edges: Float64Array;
  minY: number;
  bandHeight: number;
  /** Edges of band b: bandEdges[bandStart[b]] … bandEdges[bandStart[b + 1] - 1] (edge numbers). */
  bandStart: Uint32Array;
  bandEdges: Uint32Array;
};
export type PreparedArea = { polygons: PreparedPolygon[]; bbox: Bbox };

function closedRing(ring: Position[]): Position[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : ring;
}

function preparePolygon(rings: Position[][]): PreparedPolygon {
  const list: number[] = [];
  for (const ring of rings) {
    if (ring.length < 3) continue;
    const r = closedRing(ring);
    for (let i = 1; i < r.length; i++) list.push(r[i - 1]![0], r[i - 1]![1], r[i]![0], r[i]![1]);
  }
  const edges = Float64Array.from(list);
  const count = edges.length / 4;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let e = 0; e < count; e++) {
    minY = Math.min(minY, edges[4 * e + 1]!, edges[4 * e + 3]!);
    maxY = Math.max(maxY, edges[4 * e + 1]!, edges[4 * e + 3]!);
  }
  const bands = Math.max(1, Math.min(512, Math.ceil(count / 4)));
  const bandHeight = maxY > minY ? (maxY - minY) / bands : 1;
  const band = (y: number) => Math.min(bands - 1, Math.max(0, Math.floor((y - minY) / bandHeight)));
  const perBand: number[][] = Array.from({ length: bands }, () => []);
  for (let e = 0; e < count; e++) {
    const y0 = Math.min(edges[4 * e + 1]!, edges[4 * e + 3]!);
    const y1 = Math.max(edges[4 * e + 1]!, edges[4 * e + 3]!);
    for (let b = band(y0); b <= band(y1); b++) perBand[b]!.push(e);
  }
  const bandStart = new Uint32Array(bands + 1);
  perBand.forEach((l, b) => (bandStart[b + 1] = bandStart[b]! + l.length));
  return { edges, minY, bandHeight, bandStart, bandEdges: Uint32Array.from(perBand.flat()) };
}

export function bboxOf(geometry: AreaGeometry): Bbox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

export function prepareArea(geometry: AreaGeometry): PreparedArea {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return { polygons: polygons.map(preparePolygon), bbox: bboxOf(geometry) };
}

export type Position3 = 'interieur' | 'exterieur' | 'bord';

/**
 * Ray casting towards +x over the edges of the point's band, even-odd over the outer ring and its
 * holes. The half-open rule on each edge's y range counts a ray passing exactly through a vertex
 * once, so vertices never flip the answer twice. A point on an edge (zero cross product, within the
 * edge's y range), on a vertex or on a horizontal edge is reported as 'bord' rather than a side.
 */
function polygonPosition(p: PreparedPolygon, x: number, y: number): Position3 {
  const b = Math.floor((y - p.minY) / p.bandHeight);
  const bands = p.bandStart.length - 1;
  if (b < 0 || b > bands) return 'exterieur';
  const band = Math.min(b, bands - 1);
  const { edges, bandEdges } = p;
  let inside = false;
  for (let k = p.bandStart[band]!, end = p.bandStart[band + 1]!; k < end; k++) {
    const e = 4 * bandEdges[k]!;
    const xi = edges[e]!;
    const yi = edges[e + 1]!;
    const xj = edges[e + 2]!;
    const yj = edges[e + 3]!;
    if (yi > y !== yj > y) {
      const cross = (xj - xi) * (y - yi) - (x - xi) * (yj - yi);
      if (cross === 0) return 'bord';
      if (cross > 0 === yj > yi) inside = !inside;
    } else if ((yi === y && (xi === x || (yj === y && (x - xi) * (x - xj) <= 0))) || (yj === y && xj === x)) {
      return 'bord';
    }
  }
  return inside ? 'interieur' : 'exterieur';
}

/** Where a point lies relative to a contour (Polygon or MultiPolygon, holes included). */
export function positionDans(area: PreparedArea, x: number, y: number): Position3 {
  const [minX, minY, maxX, maxY] = area.bbox;
  if (x < minX || x > maxX || y < minY || y > maxY) return 'exterieur';
  for (const p of area.polygons) {
    const where = polygonPosition(p, x, y);
    if (where !== 'exterieur') return where;
  }
  return 'exterieur';
}

/** True when the point is inside the contour or on its boundary. */
export function contient(area: PreparedArea, x: number, y: number): boolean {
  return positionDans(area, x, y) !== 'exterieur';
}

/** Distance in metres from a point to the boundary of a contour (every ring, holes included). */
export function distanceAuBord(area: PreparedArea, lon: number, lat: number): number {
  const kx = Math.cos(lat * RAD) * METRES_PAR_DEGRE;
  const ky = METRES_PAR_DEGRE;
  let best = Infinity;
  for (const { edges } of area.polygons) {
    for (let e = 0; e < edges.length; e += 4) {
      const ax = (edges[e]! - lon) * kx;
      const ay = (edges[e + 1]! - lat) * ky;
      // Squared distance from the origin (the point) to the segment [a, b].
      const dx = (edges[e + 2]! - lon) * kx - ax;
      const dy = (edges[e + 3]! - lat) * ky - ay;
      const len2 = dx * dx + dy * dy;
      let t = len2 === 0 ? 0 : -(ax * dx + ay * dy) / len2;
      if (t < 0) t = 0;
      else if (t > 1) t = 1;
      const px = ax + t * dx;
      const py = ay + t * dy;
      const d2 = px * px + py * py;
      if (d2 < best) best = d2;
    }
  }
  return Math.sqrt(best);
}

/** Distance in metres between two points (same local projection). */
export function distanceMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const kx = Math.cos(((lat1 + lat2) / 2) * RAD) * METRES_PAR_DEGRE;
  return Math.hypot((lon2 - lon1) * kx, (lat2 - lat1) * METRES_PAR_DEGRE);
}

/** The box around a point that holds every point within `metres` of it. */
export function bboxAutour(lon: number, lat: number, metres: number): Bbox {
  const dLat = metres / METRES_PAR_DEGRE;
  const dLon = metres / (METRES_PAR_DEGRE * Math.max(Math.cos(lat * RAD), 1e-6));
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}
