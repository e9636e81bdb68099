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
 * A contour flattened for fast repeated tests: per polygon, its rings (outer first, then holes) as
 * [lon0, lat0, lon1, lat1, …] arrays, the closing vertex included.
 */
export type PreparedArea = { polygons: Float64Array[][]; bbox: Bbox };

function flattenRing(ring: Position[]): Float64Array {
  const first = ring[0];
  const last = ring[ring.length - 1];
  const closed = first && last && first[0] === last[0] && first[1] === last[1];
  const n = closed ? ring.length : ring.length + 1;
  const out = new Float64Array(n * 2);
  ring.forEach(([x, y], i) => {
    out[2 * i] = x;
    out[2 * i + 1] = y;
  });
  if (!closed && first) {
    out[2 * (n - 1)] = first[0];
    out[2 * (n - 1) + 1] = first[1];
  }
  return out;
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
  return { polygons: polygons.map((rings) => rings.filter((r) => r.length >= 3).map(flattenRing)), bbox: bboxOf(geometry) };
}

export type Position3 = 'interieur' | 'exterieur' | 'bord';

/**
 * Ray casting on one ring, with the half-open rule on the edges' y range: a ray passing exactly
 * through a vertex is counted once, so vertices never flip the answer twice. A point lying on an
 * edge (collinear and between its ends) is reported as 'bord' instead of an arbitrary side.
 */
function ringCrossings(ring: Float64Array, x: number, y: number): number | 'bord' {
  let crossings = 0;
  const n = ring.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[2 * i]!;
    const yi = ring[2 * i + 1]!;
    const xj = ring[2 * j]!;
    const yj = ring[2 * j + 1]!;
    // On the segment: collinear (zero cross product) and inside its bounding box.
    if (
      (xi - x) * (yj - y) === (xj - x) * (yi - y) &&
      x >= Math.min(xi, xj) &&
      x <= Math.max(xi, xj) &&
      y >= Math.min(yi, yj) &&
      y <= Math.max(yi, yj)
    ) {
      return 'bord';
    }
    if (yi > y !== yj > y) {
      const xCross = ((xj - xi) * (y - yi)) / (yj - yi) + xi;
      if (x < xCross) crossings++;
    }
  }
  return crossings;
}

/** Where a point lies relative to a contour (Polygon or MultiPolygon, holes included). */
export function positionDans(area: PreparedArea, x: number, y: number): Position3 {
  const [minX, minY, maxX, maxY] = area.bbox;
  if (x < minX || x > maxX || y < minY || y > maxY) return 'exterieur';
  for (const rings of area.polygons) {
    // Even-odd over the outer ring and its holes: inside the outer ring and outside every hole.
    let crossings = 0;
    for (const ring of rings) {
      const c = ringCrossings(ring, x, y);
      if (c === 'bord') return 'bord';
      crossings += c;
    }
    if (crossings % 2 === 1) return 'interieur';
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
  for (const rings of area.polygons) {
    for (const ring of rings) {
      const n = ring.length / 2;
      let ax = (ring[0]! - lon) * kx;
      let ay = (ring[1]! - lat) * ky;
      for (let i = 1; i < n; i++) {
        const bx = (ring[2 * i]! - lon) * kx;
        const by = (ring[2 * i + 1]! - lat) * ky;
        // Squared distance from the origin (the point) to the segment [a, b].
        const dx = bx - ax;
        const dy = by - ay;
        const len2 = dx * dx + dy * dy;
        let t = len2 === 0 ? 0 : -(ax * dx + ay * dy) / len2;
        if (t < 0) t = 0;
        else if (t > 1) t = 1;
        const px = ax + t * dx;
        const py = ay + t * dy;
        const d2 = px * px + py * py;
        if (d2 < best) best = d2;
        ax = bx;
        ay = by;
      }
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
