import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Scope rules are declared in a module's policy.ts and nowhere else (issue 13): a service that
 * builds its own jurisdiction condition is how a forgotten or different rule leaks rows. The
 * low-level `jurisdiction` (and its deprecated alias `inScope`) is for `defineScope` rules;
 * services read through the scope objects, `loadScoped`/`listScoped` and `resolveArea`.
 */
const modules = fileURLToPath(new URL('../modules', import.meta.url));
const lowLevel = new Set(['inScope', 'jurisdiction']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The names a file imports from platform/scope, whatever the relative path to it. */
function scopeImports(source: string): string[] {
  const names: string[] = [];
  const imports = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(imports)) {
    if (!/\/platform\/scope(\.js)?$/.test(m[3] ?? '')) continue;
    for (const part of (m[2] ?? '').split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0];
      if (name) names.push(name);
    }
  }
  if (/import\s+\*\s+as\s+\w+\s+from\s+['"][^'"]*\/platform\/scope(\.js)?['"]/.test(source))
    names.push('* (namespace import)');
  return names;
}

describe('scope rules live in policy files', () => {
  it('finds the imports it looks for (the check itself works)', () => {
    expect(scopeImports("import { inScope, loadScoped } from '../../platform/scope.js';")).toEqual([
      'inScope',
      'loadScoped',
    ]);
    expect(scopeImports("import {\n  jurisdiction as j,\n} from '../platform/scope';")).toEqual([
      'jurisdiction',
    ]);
    expect(scopeImports("import { inScope } from './scopeless.js';")).toEqual([]);
  });

  it('no module file outside a policy.ts imports inScope or jurisdiction from platform/scope', () => {
    const files = sourceFiles(modules);
    expect(files.length).toBeGreaterThan(20);
    const offenders = files
      .filter((f) => !f.endsWith('/policy.ts'))
      .flatMap((f) =>
        scopeImports(readFileSync(f, 'utf8'))
          .filter((n) => lowLevel.has(n) || n.startsWith('*'))
          .map((n) => `${relative(modules, f)}: ${n}`),
      );
    expect(offenders).toEqual([]);
  });

  it('no module imports the deprecated inScope at all, policy files included', () => {
    const offenders = sourceFiles(modules)
      .filter((f) => scopeImports(readFileSync(f, 'utf8')).includes('inScope'))
      .map((f) => relative(modules, f));
    expect(offenders).toEqual([]);
  });
});
