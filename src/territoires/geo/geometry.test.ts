import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bboxAutour, distanceAuBord, distanceMetres, METRES_PAR_DEGRE, positionDans, prepareArea } from './geometry.ts';
import type { AreaGeometry, Position } from './types.ts';

const square = (x0: number, y0: number, size: number): Position[] => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];
const poly = (...rings: Position[][]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });

describe('positionDans: ray casting on Polygon and MultiPolygon', () => {
  const withHole = prepareArea(poly(square(0, 0, 10), square(4, 4, 2)));

  it('tells inside, outside, the hole, and the boundary apart', () => {
    expect(positionDans(withHole, 1, 1)).toBe('interieur');
    expect(positionDans(withHole, 11, 1)).toBe('exterieur');
    expect(positionDans(withHole, 5, 5)).toBe('exterieur');
    expect(positionDans(withHole, 0, 5)).toBe('bord');
    expect(positionDans(withHole, 10, 10)).toBe('bord');
    expect(positionDans(withHole, 4, 5)).toBe('bord');
    expect(positionDans(withHole, 6, 6)).toBe('bord');
  });

  it('is not fooled by a ray passing exactly through vertices', () => {
    // A diamond: the horizontal ray from (0, 0) passes through the vertices (2, 0) and (-2, 0).
    const diamond = prepareArea(poly([[0, -2], [2, 0], [0, 2], [-2, 0], [0, -2]]));
    expect(positionDans(diamond, 0, 0)).toBe('interieur');
    expect(positionDans(diamond, -3, 0)).toBe('exterieur');
    expect(positionDans(diamond, 3, 0)).toBe('exterieur');
    // A zigzag whose vertices sit on the ray y = 1.
    const zigzag = prepareArea(poly([[0, 0], [6, 0], [6, 2], [5, 1], [4, 2], [3, 1], [2, 2], [1, 1], [0, 2], [0, 0]]));
    expect(positionDans(zigzag, 0.5, 1)).toBe('interieur');
    expect(positionDans(zigzag, 5.5, 1)).toBe('interieur');
    expect(positionDans(zigzag, 1.5, 1.8)).toBe('exterieur');
    expect(positionDans(zigzag, 7, 1)).toBe('exterieur');
    expect(positionDans(zigzag, 3, 1)).toBe('bord');
  });

  it('reads a MultiPolygon as the union of its parts, each with its holes', () => {
    const multi = prepareArea({ type: 'MultiPolygon', coordinates: [[square(0, 0, 2)], [square(5, 5, 4), square(6, 6, 2)]] });
    expect(positionDans(multi, 1, 1)).toBe('interieur');
    expect(positionDans(multi, 5.5, 5.5)).toBe('interieur');
    expect(positionDans(multi, 7, 7)).toBe('exterieur');
    expect(positionDans(multi, 3, 3)).toBe('exterieur');
  });

  it('accepts rings left open, as some files write them', () => {
    const open = prepareArea(poly([[0, 0], [4, 0], [4, 4], [0, 4]]));
    expect(positionDans(open, 2, 2)).toBe('interieur');
    expect(positionDans(open, 0, 2)).toBe('bord');
  });

  // Coordinates to the micro-degree (the files give 1e-6 to 1e-7): no subnormal numbers whose products underflow to 0.
  const coord = fc.integer({ min: -50_000_000, max: 50_000_000 }).map((n) => n / 1e6);

  it('agrees with the coordinates for any rectangle and any point, in both ring orientations', () => {
    fc.assert(
      fc.property(coord, coord, fc.integer({ min: 100_000, max: 30_000_000 }).map((n) => n / 1e6), coord, coord, fc.boolean(), (x0, y0, size, x, y, reversed) => {
        const ring = square(x0, y0, size);
        const area = prepareArea(poly(reversed ? [...ring].reverse() : ring));
        const strictlyIn = x > x0 && x < x0 + size && y > y0 && y < y0 + size;
        const strictlyOut = x < x0 || x > x0 + size || y < y0 || y > y0 + size;
        const got = positionDans(area, x, y);
        if (strictlyIn) expect(got).toBe('interieur');
        else if (strictlyOut) expect(got).toBe('exterieur');
        else expect(got).toBe('bord');
      }),
    );
  });

  it('is unchanged by translating the polygon and the point together, and by starting the ring elsewhere', () => {
    // A star-shaped (possibly concave) polygon around the origin, from random radii.
    const star = fc.array(fc.double({ min: 1, max: 10, noNaN: true }), { minLength: 3, maxLength: 12 });
    fc.assert(
      fc.property(star, fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), coord, coord, fc.nat(11), (radii, dx, dy, x, y, shift) => {
        const ring: Position[] = radii.map((r, i) => [r * Math.cos((2 * Math.PI * i) / radii.length), r * Math.sin((2 * Math.PI * i) / radii.length)]);
        const rotated = [...ring.slice(shift % ring.length), ...ring.slice(0, shift % ring.length)];
        const a = positionDans(prepareArea(poly([...ring, ring[0]!])), x, y);
        const b = positionDans(prepareArea(poly([...rotated, rotated[0]!])), x, y);
        expect(b).toBe(a);
        const moved = ring.map(([px, py]) => [px + dx, py + dy] as Position);
        if (a !== 'bord') expect(positionDans(prepareArea(poly([...moved, moved[0]!])), x + dx, y + dy)).toBe(a);
      }),
    );
  });
});

describe('distanceAuBord: metres to the nearest edge', () => {
  // A square of 0.01° at Paris's latitude: about 1 112 m north–south, 733 m east–west.
  const lat0 = 48.85;
  const area = prepareArea(poly(square(2.3, lat0, 0.01)));
  const kx = Math.cos((lat0 * Math.PI) / 180) * METRES_PAR_DEGRE;

  it('measures east–west and north–south distances in metres at Paris latitude', () => {
    // 0.0001° of latitude is 11.1 m; 0.0001° of longitude is 7.3 m at 48.85°.
    expect(distanceAuBord(area, 2.305, lat0 + 0.0001)).toBeCloseTo(0.0001 * METRES_PAR_DEGRE, 1);
    expect(distanceAuBord(area, 2.3001, lat0 + 0.005)).toBeCloseTo(0.0001 * kx, 0);
    expect(distanceAuBord(area, 2.305, lat0 + 0.0001)).toBeCloseTo(11.1, 0);
    // Outside, past a corner: the distance to the vertex.
    expect(distanceAuBord(area, 2.3 - 0.0001, lat0 - 0.0001)).toBeCloseTo(Math.hypot(0.0001 * kx, 0.0001 * METRES_PAR_DEGRE), 1);
  });

  it('is zero on the boundary, counts holes as boundaries, and is never negative', () => {
    const holed = prepareArea(poly(square(0, 0, 0.01), square(0.004, 0.004, 0.002)));
    expect(distanceAuBord(holed, 0, 0.005)).toBe(0);
    expect(distanceAuBord(holed, 0.0035, 0.005)).toBeCloseTo(0.0005 * METRES_PAR_DEGRE, 1);
    fc.assert(
      fc.property(fc.double({ min: -0.02, max: 0.03, noNaN: true }), fc.double({ min: -0.02, max: 0.03, noNaN: true }), (x, y) => {
        const d = distanceAuBord(holed, x, y);
        expect(d).toBeGreaterThanOrEqual(0);
        // Never farther than the nearest vertex.
        const vertices: Position[] = [...square(0, 0, 0.01), ...square(0.004, 0.004, 0.002)];
        expect(d).toBeLessThanOrEqual(Math.min(...vertices.map(([vx, vy]) => distanceMetres(x, y, vx, vy))) + 1e-6);
      }),
    );
  });

  it('agrees with the distance between points and with the search box around a point', () => {
    expect(distanceMetres(2.35, 48.85, 2.35, 48.85 + 1 / METRES_PAR_DEGRE)).toBeCloseTo(1, 6);
    const [x0, y0, x1, y1] = bboxAutour(2.35, 48.85, 15);
    expect(distanceMetres(2.35, 48.85, x1, 48.85)).toBeCloseTo(15, 3);
    expect(distanceMetres(2.35, 48.85, 2.35, y1)).toBeCloseTo(15, 3);
    expect(x0).toBeLessThan(2.35);
    expect(y0).toBeLessThan(48.85);
  });
});
