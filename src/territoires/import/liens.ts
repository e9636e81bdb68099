import type { AreaGeometry } from '../geo/types.ts';
import { distanceAuBord, positionDans, prepareArea, type Bbox } from '../geo/geometry.ts';

// Which arrondissements a QPV touches, which arrondissement an IRIS lies in, computed from the
// contours. Two layers drawn by different producers never share their boundaries exactly: a QPV
// that follows a boulevard overlaps its neighbour by slivers a few metres wide (on the Paris files,
// never deeper than 3 m, while real parts of a QPV reach 100 m and more into an arrondissement).
// So a grid of points is laid inside the QPV, and it touches an arrondissement when one of those
// points lies deeper inside it than the tolerance used for addresses near a boundary.

export const LINK_SOURCE = 'calcul Pilotis (intersection des contours)';

export type Contoured = { id: string; code: string; contour: AreaGeometry; bbox: Bbox };
export type ComputedLink = { parentId: string; enfantId: string; part: number };

/** Points of a regular grid over the contour's bounding box that lie inside it (at least one point). */
export function samplePoints(contour: AreaGeometry, grid = 40): [number, number][] {
  const area = prepareArea(contour);
  const [minX, minY, maxX, maxY] = area.bbox;
  const points: [number, number][] = [];
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      const x = minX + ((i + 0.5) / grid) * (maxX - minX);
      const y = minY + ((j + 0.5) / grid) * (maxY - minY);
      if (positionDans(area, x, y) === 'interieur') points.push([x, y]);
    }
  }
  if (points.length) return points;
  // A sliver thinner than the grid: its vertices stand for it.
  const rings = contour.type === 'Polygon' ? contour.coordinates : contour.coordinates.flat();
  return rings.flat().map(([x, y]) => [x, y] as [number, number]);
}

function overlaps(a: Bbox, b: Bbox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export type LinkRule = {
  /** Points per side of the sampling grid. */
  grid?: number;
  /** How deep inside a parent (metres from its boundary) one point of the child must lie. */
  minDepthMetres?: number;
  /** Only the parent holding most of the child (an IRIS lies in one arrondissement by construction). */
  single?: boolean;
};

export const QPV_RULE: LinkRule = { grid: 48, minDepthMetres: 15 };
export const IRIS_RULE: LinkRule = { grid: 12, single: true };

/** For each child, the parents it lies in; `part` is the share of its sampled points inside each. */
export function computeLinks(children: Contoured[], parents: Contoured[], rule: LinkRule = QPV_RULE): ComputedLink[] {
  const minDepth = rule.minDepthMetres ?? 0;
  const prepared = parents.map((p) => ({ p, area: prepareArea(p.contour) }));
  const links: ComputedLink[] = [];
  for (const child of children) {
    const candidates = prepared.filter(({ p }) => overlaps(p.bbox, child.bbox));
    if (!candidates.length) continue;
    const points = samplePoints(child.contour, rule.grid);
    const found: ComputedLink[] = [];
    for (const { p, area } of candidates) {
      let inside = 0;
      let deep = rule.single === true;
      for (const [x, y] of points) {
        if (positionDans(area, x, y) !== 'interieur') continue;
        inside++;
        if (!deep && distanceAuBord(area, x, y) >= minDepth) deep = true;
      }
      if (inside > 0 && deep) found.push({ parentId: p.id, enfantId: child.id, part: inside / points.length });
    }
    if (rule.single) {
      const best = found.sort((a, b) => b.part - a.part)[0];
      if (best) links.push(best);
    } else links.push(...found);
  }
  return links;
}
