// https served by the app itself (scripts/serve.mjs): TLS_CERT_FILE and TLS_KEY_FILE name a PEM
// certificate (with its chain, if any) and its private key; both set → https, neither → plain http,
// one alone or a file that cannot be read → a clear error naming the variable, before listening.
// TLS_KEY_PASSPHRASE unlocks an encrypted key. Service workers (offline use) and geolocation (定位)
// need a secure context, which over the intranet means https.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/**
 * The certificate and key named by `env`, read now; null when https is not configured.
 * @param {Record<string, string | undefined>} env
 * @returns {{ cert: Buffer, key: Buffer, passphrase?: string } | null}
 */
export function tlsOptions(env) {
	const certFile = env.TLS_CERT_FILE?.trim();
	const keyFile = env.TLS_KEY_FILE?.trim();
	if (!certFile && !keyFile) return null;
	if (!certFile) throw new Error('已设置 TLS_KEY_FILE 但缺少 TLS_CERT_FILE：https 需要证书文件（PEM）和私钥文件两者');
	if (!keyFile) throw new Error('已设置 TLS_CERT_FILE 但缺少 TLS_KEY_FILE：https 需要证书文件（PEM）和私钥文件两者');
	/** @param {string} name @param {string} file @param {string} what @param {RegExp} pem */
	const read = (name, file, what, pem) => {
		let bytes;
		try {
			bytes = readFileSync(file);
		} catch (e) {
			throw new Error(`${name}：无法读取${what}文件 “${file}”（${/** @type {NodeJS.ErrnoException} */ (e).code ?? e}）`, { cause: e });
		}
		if (!pem.test(bytes.toString('latin1'))) throw new Error(`${name}：“${file}” 不是 PEM 格式的${what}（应含 -----BEGIN …-----）`);
		return bytes;
	};
	const cert = read('TLS_CERT_FILE', certFile, '证书', /-----BEGIN CERTIFICATE-----/);
	const key = read('TLS_KEY_FILE', keyFile, '私钥', /-----BEGIN [A-Z ]*PRIVATE KEY-----/);
	const passphrase = env.TLS_KEY_PASSPHRASE || undefined;
	return passphrase ? { cert, key, passphrase } : { cert, key };
}

/**
 * An http or https server around `listener`; a certificate and key that do not belong together
 * fail here, with the variables named.
 * @param {http.RequestListener} listener
 * @param {ReturnType<typeof tlsOptions>} tls
 */
export function createServer(listener, tls) {
	if (!tls) return http.createServer(listener);
	try {
		return https.createServer(tls, listener);
	} catch (e) {
		throw new Error(`TLS_CERT_FILE / TLS_KEY_FILE：证书与私钥无法一起使用（${/** @type {Error} */ (e).message}）`, { cause: e });
	}
}
