import Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from '@app/testing';
import { openDatabase } from './database';
import { appliedVersions, Migration, migrate } from './migrations';

const V1: Migration = { version: 1, name: 'notes', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)' };
const V2: Migration = { version: 2, name: 'notes.author', up: "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''" };

describe('migrate', () => {
  const dir = tempDir('migrations');
  afterAll(() => dir.remove());
  let n = 0;
  const file = () => join(dir.path, `db-${++n}.sqlite`);

  it('applies each migration once, in order, and records it', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [V2, V1])).toEqual([1, 2]);
    expect(migrate(db, [V1, V2])).toEqual([]);
    expect(appliedVersions(db)).toEqual([1, 2]);
    const names = db.prepare('SELECT name FROM schema_migrations ORDER BY version').pluck().all();
    expect(names).toEqual(['notes', 'notes.author']);
  });

  it('brings an existing database file up to a migration added later, keeping its rows', () => {
    const path = file();
    const before = openDatabase(path, [V1]);
    before.prepare('INSERT INTO notes (body) VALUES (?)').run('kept');
    before.close();
    const after = openDatabase(path, [V1, V2]);
    expect(after.prepare('SELECT body, author FROM notes').all()).toEqual([{ body: 'kept', author: '' }]);
    expect(appliedVersions(after)).toEqual([1, 2]);
    after.close();
  });

  it('runs each migration in its own transaction: a failing one leaves no trace and is not recorded', () => {
    const db = new Database(':memory:');
    const broken: Migration = { version: 2, name: 'half', up: 'CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);' };
    expect(() => migrate(db, [V1, broken])).toThrow(/nowhere/);
    expect(appliedVersions(db)).toEqual([1]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
  });

  it('refuses a migration that leaves a broken foreign key, and restores foreign key enforcement', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const orphan: Migration = {
      version: 2,
      name: 'orphan',
      up: 'CREATE TABLE refs (note_id INTEGER REFERENCES notes(id)); INSERT INTO refs VALUES (42);',
    };
    expect(() => migrate(db, [V1, orphan])).toThrow(/foreign key/);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses duplicate or non-positive versions', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [V1, { ...V2, version: 1 }])).toThrow(/distinct/);
    expect(() => migrate(db, [{ ...V1, version: 0 }])).toThrow(/positive/);
  });
});
