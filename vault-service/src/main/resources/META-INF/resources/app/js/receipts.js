// Receipts the vault signed (consent receipts, the erasure receipt): compact JWS, EdDSA (Ed25519),
// checked in the page with WebCrypto against the vault's published keys (GET /vault/keys, a JWK
// Set). Decision 049 says what this check proves and what it does not.

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder('utf-8', { fatal: true });

/** The JWS typ of each kind of receipt the vault issues, and what to call it. */
export const RECEIPT_TYPES = Object.freeze({
  'vitalvault.consent-receipt': 'consent receipt',
  'vitalvault.erasure-receipt': 'erasure receipt',
});

export function base64UrlToBytes(s) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) {
    throw new Error('not base64url');
  }
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * The parts of a compact JWS, decoded but NOT verified.
 * @throws Error when it is not a compact JWS with JSON header and payload
 */
export function decodeJws(jws) {
  const parts = String(jws).trim().split('.');
  if (parts.length !== 3) throw new Error('a compact JWS has three parts separated by dots');
  const header = JSON.parse(DECODER.decode(base64UrlToBytes(parts[0])));
  const payload = JSON.parse(DECODER.decode(base64UrlToBytes(parts[1])));
  return {
    header,
    payload,
    signingInput: ENCODER.encode(parts[0] + '.' + parts[1]),
    signature: base64UrlToBytes(parts[2]),
  };
}

let keysPromise = null;

/** The vault's JWK Set, fetched once per page load (public; no token). */
export function vaultKeys() {
  if (!keysPromise) {
    keysPromise = fetch('/vault/keys', { headers: { Accept: 'application/json' }, credentials: 'omit' })
      .then((r) => {
        if (!r.ok) throw new Error('the vault did not publish its keys (HTTP ' + r.status + ')');
        return r.json();
      })
      .catch((e) => {
        keysPromise = null;
        throw e;
      });
  }
  return keysPromise;
}

/**
 * Checks a receipt's signature. Never throws: a result says why it is not verified.
 *
 * @param jws  compact JWS
 * @param jwks the vault's JWK Set ({keys: [...]}); fetched when omitted
 * @return {verified: boolean, reason: string, header, payload, kind}
 *         verified is true only when the header names EdDSA and a kid the vault publishes, and
 *         the Ed25519 signature over header.payload holds under that key.
 */
export async function verifyReceipt(jws, jwks) {
  let parts;
  try {
    parts = decodeJws(jws);
  } catch (e) {
    return { verified: false, reason: 'This is not a receipt the vault issued (it cannot be read as a signed document).' };
  }
  const { header, payload } = parts;
  const result = (verified, reason) => ({ verified, reason, header, payload, kind: RECEIPT_TYPES[header.typ] || 'document' });
  if (header.alg !== 'EdDSA') {
    return result(false, 'It is not signed with the vault’s algorithm (EdDSA).');
  }
  if (!(header.typ in RECEIPT_TYPES)) {
    return result(false, 'It is not a consent or erasure receipt (type “' + header.typ + '”).');
  }
  if (!globalThis.crypto || !crypto.subtle) {
    return result(false, 'This browser cannot check signatures here (WebCrypto needs HTTPS).');
  }
  let keys;
  try {
    keys = jwks || (await vaultKeys());
  } catch (e) {
    return result(false, 'The vault’s signing keys could not be fetched: ' + e.message);
  }
  const jwk = (keys.keys || []).find((k) => k.kid === header.kid && k.kty === 'OKP' && k.crv === 'Ed25519');
  if (!jwk) {
    return result(false, 'It names a signing key (' + header.kid + ') the vault does not publish now.');
  }
  try {
    const key = await crypto.subtle.importKey('raw', base64UrlToBytes(jwk.x), { name: 'Ed25519' }, false, ['verify']);
    const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, parts.signature, parts.signingInput);
    return ok
      ? result(true, 'The vault’s signature is valid: this receipt is exactly what the vault issued (key ' + jwk.kid + ').')
      : result(false, 'The signature does not match: the receipt was changed after the vault signed it, or another key signed it.');
  } catch (e) {
    if (e && e.name === 'NotSupportedError') {
      return result(false, 'This browser does not support Ed25519 signatures, so the receipt could not be checked.');
    }
    return result(false, 'The signature could not be checked: ' + (e && e.message ? e.message : e));
  }
}
