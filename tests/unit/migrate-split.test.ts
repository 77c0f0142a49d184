// splitStatements: how migrate() cuts a migration file into statements.
import { describe, expect, it } from 'vitest';
import { readMigrations, splitStatements } from '../../src/lib/server/db/migrate';

describe('splitStatements', () => {
	it('splits on semicolons and trims', () => {
		expect(splitStatements('SELECT 1;\n  SELECT 2 ;\n')).toEqual(['SELECT 1', 'SELECT 2']);
	});

	it('keeps a last statement without a semicolon and drops empty ones', () => {
		expect(splitStatements(';; SELECT 1;;\n;SELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
		expect(splitStatements('  \n-- only a comment\n')).toEqual([]);
	});

	it('drops -- comments, including ones holding ; and quotes', () => {
		expect(splitStatements("-- don't split; here\nSELECT 1; -- trailing; note\nSELECT 2")).toEqual([
			'SELECT 1',
			'SELECT 2'
		]);
		expect(splitStatements('SELECT 1 -- no newline at the end;')).toEqual(['SELECT 1']);
	});

	it('keeps ; and -- inside quoted strings', () => {
		expect(splitStatements("INSERT INTO t VALUES ('a;b', '--c');SELECT 1")).toEqual([
			"INSERT INTO t VALUES ('a;b', '--c')",
			'SELECT 1'
		]);
		expect(splitStatements("SELECT 'it''s; fine'; SELECT 2")).toEqual(["SELECT 'it''s; fine'", 'SELECT 2']);
	});

	it('keeps $$ bodies whole', () => {
		const fn = `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'no; (% refused)', TG_OP; -- it's refused
END $$`;
		expect(splitStatements(`${fn};\nCREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION f();`)).toEqual([
			fn,
			'CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION f()'
		]);
	});

	it('leaves $1 parameters alone', () => {
		expect(splitStatements('SELECT $1; SELECT $2')).toEqual(['SELECT $1', 'SELECT $2']);
	});

	it('names an unterminated quote', () => {
		expect(() => splitStatements("SELECT 'oops; SELECT 1")).toThrow("unterminated ' in migration");
		expect(() => splitStatements('DO $$ BEGIN; SELECT 1')).toThrow('unterminated $$ in migration');
	});

	it('cuts every landed migration into statements that each start with a keyword', () => {
		for (const m of readMigrations()) {
			const statements = splitStatements(m.sql);
			expect(statements.length, m.version).toBeGreaterThan(0);
			for (const s of statements) expect(s, m.version).toMatch(/^(CREATE|ALTER|INSERT|UPDATE|DELETE|DROP|COMMENT|SELECT|DO|GRANT|REVOKE)\b/);
		}
	});
});
