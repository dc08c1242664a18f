import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('keys', () => {
  it('the server makes missing keys once and reads them back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-config-'));
    const first = loadConfig({ DATA_DIR: dir });
    expect(existsSync(join(dir, 'keys', 'audit.hex'))).toBe(true);
    const again = loadConfig({ DATA_DIR: dir });
    expect(again.auditKey.equals(first.auditKey)).toBe(true);
    expect(again.dataKey.equals(first.dataKey)).toBe(true);
  });

  it('a command-line tool never makes a key: it stops and names the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-config-'));
    expect(() => loadConfig({ DATA_DIR: dir }, { createMissingKeys: false })).toThrow(/DATA_KEY/);
    expect(existsSync(join(dir, 'keys'))).toBe(false);
    const keys = { DATA_KEY: 'a'.repeat(64), INDEX_KEY: 'b'.repeat(64) };
    expect(() => loadConfig({ DATA_DIR: dir, ...keys }, { createMissingKeys: false })).toThrow(/AUDIT_KEY/);
    expect(
      loadConfig({ DATA_DIR: dir, ...keys, AUDIT_KEY: 'c'.repeat(64) }, { createMissingKeys: false })
        .auditKey,
    ).toHaveLength(32);
  });
});

describe('the database pool', () => {
  it('is 10 connections unless DATABASE_POOL_MAX says otherwise, and refuses what is not a count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-config-'));
    expect(loadConfig({ DATA_DIR: dir }).DATABASE_POOL_MAX).toBe(10);
    expect(loadConfig({ DATA_DIR: dir, DATABASE_POOL_MAX: '4' }).DATABASE_POOL_MAX).toBe(4);
    for (const bad of ['0', '-1', '2.5', 'many'])
      expect(() => loadConfig({ DATA_DIR: dir, DATABASE_POOL_MAX: bad })).toThrow(/DATABASE_POOL_MAX/);
  });
});
