import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bboxOf, distanceM, type Geometry, pointInGeometry } from './geo.js';

const square = (x: number, y: number, s: number): Geometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ],
  ],
});

describe('point in grid', () => {
  it('finds points strictly inside a square and none outside its box', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 120, noNaN: true }),
        fc.double({ min: 30, max: 50, noNaN: true }),
        fc.double({ min: 0.001, max: 0.1, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (x, y, s, u, v) => {
          const g = square(x, y, s);
          expect(pointInGeometry(x + u * s, y + v * s, g)).toBe(true);
          expect(pointInGeometry(x - u * s, y + v * s, g)).toBe(false);
          expect(pointInGeometry(x + u * s, y + s + v * s, g)).toBe(false);
        },
      ),
    );
  });

  it('leaves out holes and takes any part of a multipolygon', () => {
    const withHole: Geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
          [0, 0],
        ],
        [
          [4, 4],
          [6, 4],
          [6, 6],
          [4, 6],
          [4, 4],
        ],
      ],
    };
    expect(pointInGeometry(1, 1, withHole)).toBe(true);
    expect(pointInGeometry(5, 5, withHole)).toBe(false);
    const multi: Geometry = {
      type: 'MultiPolygon',
      coordinates: [square(0, 0, 1).coordinates as never, square(5, 5, 1).coordinates as never],
    };
    expect(pointInGeometry(5.5, 5.5, multi)).toBe(true);
    expect(pointInGeometry(3, 3, multi)).toBe(false);
    expect(bboxOf(multi)).toEqual({ minX: 0, minY: 0, maxX: 6, maxY: 6 });
  });

  it('measures distances on the sphere', () => {
    // One degree of latitude is about 111.2 km.
    expect(distanceM({ lat: 40, lng: 109.8 }, { lat: 41, lng: 109.8 })).toBeCloseTo(111_195, -2);
    expect(distanceM({ lat: 40.6, lng: 109.8 }, { lat: 40.6, lng: 109.8 })).toBe(0);
  });
});
