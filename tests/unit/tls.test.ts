// scripts/tls.mjs and scripts/serve.mjs: https from TLS_CERT_FILE / TLS_KEY_FILE. A self-signed
// certificate for localhost is made with openssl at test time; a client that trusts it as its CA
// gets the page over https (and the app sees https), one that does not is refused; a missing or
// unreadable file stops serve.mjs before it listens, naming the variable.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseHeaders, PRIVATE } from '../../scripts/forwarded.mjs';
import { createServer, tlsOptions } from '../../scripts/tls.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'grid-tls-'));
const cert = path.join(dir, 'cert.pem');
const key = path.join(dir, 'key.pem');

beforeAll(() => {
	execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
		'-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GET / over https from a client that trusts `ca` (or nothing but the system's CAs). */
function get(port: number, ca?: Buffer) {
	return new Promise<{ status: number; body: string }>((resolve, reject) => {
		const req = request({ host: '127.0.0.1', servername: 'localhost', port, path: '/', ca }, (res) => {
			let body = '';
			res.on('data', (b) => (body += b));
			res.on('end', () => resolve({ status: res.statusCode!, body }));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('tlsOptions', () => {
	it('neither variable: plain http', () => {
		expect(tlsOptions({})).toBeNull();
	});
	it('one without the other names the missing one', () => {
		expect(() => tlsOptions({ TLS_KEY_FILE: key })).toThrow(/缺少 TLS_CERT_FILE/);
		expect(() => tlsOptions({ TLS_CERT_FILE: cert })).toThrow(/缺少 TLS_KEY_FILE/);
	});
	it('a file that cannot be read, or is no PEM, names the variable and the file', () => {
		expect(() => tlsOptions({ TLS_CERT_FILE: path.join(dir, 'none.pem'), TLS_KEY_FILE: key })).toThrow(/^TLS_CERT_FILE：无法读取证书文件 “.*none\.pem”（ENOENT）/);
		const junk = path.join(dir, 'junk.pem');
		writeFileSync(junk, 'not a key');
		expect(() => tlsOptions({ TLS_CERT_FILE: cert, TLS_KEY_FILE: junk })).toThrow(/^TLS_KEY_FILE：“.*junk\.pem” 不是 PEM 格式的私钥/);
	});
	it('a key that is not the certificate’s is refused naming both variables', () => {
		const other = path.join(dir, 'other.pem');
		execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', other], { stdio: 'pipe' });
		expect(() => createServer(() => {}, tlsOptions({ TLS_CERT_FILE: cert, TLS_KEY_FILE: other }))).toThrow(/TLS_CERT_FILE \/ TLS_KEY_FILE：证书与私钥无法一起使用/);
	});
});

describe('https served directly', () => {
	let server: Server;
	let port: number;
	beforeAll(async () => {
		// the request listener as serve.mjs wires it: the socket says how the request came
		server = createServer((req, res) => {
			normaliseHeaders(req.headers, req.socket, { trustProxy: false });
			res.end(String(req.headers[PRIVATE.proto]));
		}, tlsOptions({ TLS_CERT_FILE: ` ${cert} `, TLS_KEY_FILE: key })) as Server;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('a client trusting the certificate gets the answer, and the app sees https', async () => {
		expect(await get(port, readFileSync(cert))).toEqual({ status: 200, body: 'https' });
	});
	it('a client that does not trust it is refused by TLS', async () => {
		await expect(get(port)).rejects.toThrow(/self[- ]signed/i);
	});
});

describe('serve.mjs', () => {
	it('stops before listening when the certificate cannot be read, naming the variable', () => {
		const run = spawnSync(process.execPath, ['scripts/serve.mjs'], {
			env: { ...process.env, PORT: '0', TLS_CERT_FILE: path.join(dir, 'missing.pem'), TLS_KEY_FILE: key },
			encoding: 'utf8',
			timeout: 20_000
		});
		expect(run.status).toBe(1);
		expect(run.stderr).toMatch(/无法启动：TLS_CERT_FILE：无法读取证书文件 “.*missing\.pem”/);
	});
	it('refuses a TRUST_PROXY it cannot read', () => {
		const run = spawnSync(process.execPath, ['scripts/serve.mjs'], { env: { ...process.env, PORT: '0', TRUST_PROXY: 'proxy.local' }, encoding: 'utf8', timeout: 20_000 });
		expect(run.status).toBe(1);
		expect(run.stderr).toMatch(/TRUST_PROXY：“proxy\.local”/);
	});
});
