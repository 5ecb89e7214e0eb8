// The transparency log's checks, run in the owner's browser with WebCrypto only (issue 17; the same
// computations as core's org.vitalvault.tlog and researcher-cli's AuditVerifier):
// - RFC 9162 hashes: leaf H(0x00||x), node H(0x01||l||r), SHA-256;
// - inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs, refusing a proof of the wrong length;
// - the C2SP signed note (Ed25519) and tlog-checkpoint text, the verifier key and its key id;
// - an entry's salted commitment SHA-256("vitalvault-audit-entry-v1"||0x00||salt||entry);
// - verifyAudit: pages of GET /owners/{id}/audit, the owner's chain, and consistency with the
//   checkpoint this browser held before.
// No DOM and no fetch here: pure functions over bytes and the vault's JSON, so a test can feed
// them vectors. Sizes and indices are BigInt inside (JavaScript's bit operators are 32-bit).

const ENC = new TextEncoder();
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const DOMAIN = ENC.encode('vitalvault-audit-entry-v1');
const DASH = '\u2014 ';

/** Bytes in every hash. */
export const HASH_SIZE = 32;

/** Why something did not verify; its message is a sentence for the owner. */
export class VerifyError extends Error {
  constructor(message) {
    super(message);
    this.name = 'VerifyError';
  }
}

// --- bytes ---------------------------------------------------------------------------------------

/** Standard base64 (with padding, canonical) → bytes; anything else is refused. */
export function b64ToBytes(s, what = 'value') {
  if (typeof s !== 'string' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) {
    throw new VerifyError(`the ${what} is not base64`);
  }
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  if (bytesToB64(bytes) !== s) throw new VerifyError(`the ${what} is not canonical base64`);
  return bytes;
}

export function bytesToB64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function hexToBytes(hex) {
  if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new VerifyError('not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

export function equalBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function concat(parts) {
  const all = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function sha256(...parts) {
  if (!globalThis.crypto || !crypto.subtle) {
    throw new VerifyError('this browser cannot compute hashes here (WebCrypto needs HTTPS or localhost)');
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(parts)));
}

// --- RFC 9162 Merkle tree ------------------------------------------------------------------------

/** SHA-256(0x00 || leaf). */
export function leafHash(leaf) {
  return sha256([0x00], leaf);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left, right) {
  return sha256([0x01], left, right);
}

/** The commitment a leaf holds: SHA-256("vitalvault-audit-entry-v1" || 0x00 || salt || entry). */
export function commitment(salt, entry) {
  if (!salt || salt.length !== 32) throw new VerifyError('a salt has 32 bytes');
  return sha256(DOMAIN, [0x00], salt, entry);
}

function big(n, what) {
  if (typeof n === 'bigint') return n;
  if (!Number.isSafeInteger(n)) throw new VerifyError(`the ${what} is not a whole number`);
  return BigInt(n);
}

function bitLength(x) {
  return x === 0n ? 0 : x.toString(2).length;
}

function popCount(x) {
  let c = 0;
  for (const ch of x.toString(2)) if (ch === '1') c++;
  return c;
}

function trailingZeros(x) {
  let n = 0;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

function checkHash(h, what) {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new VerifyError(`the ${what} is not ${HASH_SIZE} bytes`);
  return h;
}

/** The root an inclusion proof leads to from leaf `index` of a tree of `size` (RFC 9162 §2.1.3.2). */
export async function rootFromInclusion(leaf, index, size, proof) {
  const i = big(index, 'leaf index');
  const n = big(size, 'tree size');
  if (i < 0n || n <= 0n || i >= n) throw new VerifyError(`leaf ${i} is not in a tree of size ${n}`);
  checkHash(leaf, 'leaf hash');
  const inner = bitLength(i ^ (n - 1n));
  const border = popCount(i >> BigInt(inner));
  if (proof.length !== inner + border) {
    throw new VerifyError(`the inclusion proof has ${proof.length} hashes; leaf ${i} in a tree of size ${n} needs ${inner + border}`);
  }
  let fn = i;
  let sn = n - 1n;
  let r = leaf;
  for (const p of proof) {
    checkHash(p, 'proof hash');
    if (sn === 0n) throw new VerifyError('the inclusion proof is longer than the path to the root');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new VerifyError('the inclusion proof ends below the root');
  return r;
}

/** Throws unless `leaf` is leaf `index` of the tree of `size` whose root is `root`. */
export async function verifyInclusion(leaf, index, size, proof, root) {
  const computed = await rootFromInclusion(leaf, index, size, proof);
  if (!equalBytes(computed, root)) {
    throw new VerifyError(`the inclusion proof of leaf ${index} leads to another root than the signed tree of size ${size}`);
  }
}

/** Throws unless the tree (size2, root2) extends the tree (size1, root1) (RFC 9162 §2.1.4.2). */
export async function verifyConsistency(size1, size2, proof, root1, root2) {
  const m = big(size1, 'first tree size');
  const n = big(size2, 'second tree size');
  checkHash(root1, 'first root');
  checkHash(root2, 'second root');
  if (m < 0n || n < m) throw new VerifyError(`a tree of size ${n} cannot extend one of size ${m}`);
  // The empty tree has exactly one root, H(""); anything else claimed for size 0 is a lie (as core's MerkleVerifier).
  if (m === 0n && !equalBytes(root1, await sha256())) throw new VerifyError('the tree of size 0 has the empty root, not the one given');
  if (m === n) {
    if (proof.length !== 0) throw new VerifyError('equal sizes need an empty consistency proof');
    if (!equalBytes(root1, root2)) throw new VerifyError(`two different roots for the same tree size ${m}`);
    return;
  }
  if (m === 0n) {
    if (proof.length !== 0) throw new VerifyError('the empty tree needs an empty consistency proof');
    return;
  }
  if (proof.length === 0) throw new VerifyError(`empty consistency proof from size ${m} to ${n}`);
  const index = m - 1n;
  let inner = bitLength(index ^ (n - 1n));
  const border = popCount(index >> BigInt(inner));
  const shift = trailingZeros(m);
  inner -= shift;
  const powerOfTwo = m === 1n << BigInt(shift);
  const expected = (powerOfTwo ? 0 : 1) + inner + border;
  if (proof.length !== expected) {
    throw new VerifyError(`the consistency proof has ${proof.length} hashes; sizes ${m} and ${n} need ${expected}`);
  }
  const path = powerOfTwo ? [root1, ...proof] : proof;
  let fn = m - 1n;
  let sn = n - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = checkHash(path[0], 'proof hash');
  let sr = fr;
  for (const c of path.slice(1)) {
    checkHash(c, 'proof hash');
    if (sn === 0n) throw new VerifyError('the consistency proof is longer than the path to the root');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new VerifyError('the consistency proof ends below the root');
  if (!equalBytes(fr, root1)) throw new VerifyError(`the consistency proof does not lead to the first root (size ${m})`);
  if (!equalBytes(sr, root2)) throw new VerifyError(`the consistency proof does not lead to the second root (size ${n})`);
}

// --- C2SP signed note and checkpoint -------------------------------------------------------------

/**
 * Parses a verifier key `name+hex(keyId)+base64(0x01||publicKey)` and checks that its key id is
 * SHA-256(name || 0x0A || 0x01 || publicKey)[:4]. Returns {name, keyId, publicKey, verifierKey}.
 */
export async function parseVerifierKey(verifierKey) {
  const s = String(verifierKey).trim();
  // The base64 key may hold '+': split at the first two only.
  const a = s.indexOf('+');
  const b = a < 0 ? -1 : s.indexOf('+', a + 1);
  if (a <= 0 || b < 0) throw new VerifyError('the log’s verifier key is not name+keyid+key');
  const name = s.slice(0, a);
  if (/\s/.test(name)) throw new VerifyError('the log’s key name has spaces');
  const idHex = s.slice(a + 1, b);
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw new VerifyError('the log’s key id is not 4 bytes of hex');
  const keyId = hexToBytes(idHex);
  const typed = b64ToBytes(s.slice(b + 1), 'verifier key');
  if (typed.length !== 33 || typed[0] !== 0x01) throw new VerifyError('the log’s key is not an Ed25519 verifier key');
  const publicKey = typed.slice(1);
  const expected = (await sha256(ENC.encode(name), [0x0a, 0x01], publicKey)).slice(0, 4);
  if (!equalBytes(keyId, expected)) throw new VerifyError('the log’s key id does not match its name and public key');
  return { name, keyId, publicKey, verifierKey: s };
}

async function ed25519Verify(publicKey, signature, message) {
  let key;
  try {
    key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch (e) {
    if (e && e.name === 'NotSupportedError') {
      throw new VerifyError('this browser does not support Ed25519 signatures, so the checkpoint could not be checked');
    }
    throw new VerifyError('the log’s key could not be used: ' + (e && e.message ? e.message : e));
  }
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

function checkNoteText(text) {
  if (text.length === 0 || !text.endsWith('\n')) throw new VerifyError('a note’s text ends with a newline');
  if (text.includes('\n\n')) throw new VerifyError('a note’s text has no empty line');
  // Java's Character.isISOControl: U+0000–U+001F and U+007F–U+009F; newlines separate lines.
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text)) throw new VerifyError('a note’s text has no control characters');
}

/**
 * The text of a C2SP signed note when one of its signature lines is a valid Ed25519 signature by
 * `key` (from parseVerifierKey); lines by other keys are ignored, as signed-note says.
 */
export async function openSignedNote(note, key) {
  if (typeof note !== 'string') throw new VerifyError('the checkpoint is missing');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new VerifyError('a signed note has an empty line before its signatures');
  const text = note.slice(0, split + 1);
  const sigs = note.slice(split + 2);
  if (!sigs.endsWith('\n') || sigs.length < 2) throw new VerifyError('a signed note ends with signature lines');
  checkNoteText(text);
  const message = ENC.encode(text);
  let named = false;
  for (const line of sigs.slice(0, -1).split('\n')) {
    if (!line.startsWith(DASH)) throw new VerifyError('a signature line of the checkpoint is malformed');
    const parts = line.slice(DASH.length).split(' ');
    if (parts.length !== 2) throw new VerifyError('a signature line of the checkpoint is malformed');
    const idAndSig = b64ToBytes(parts[1], 'signature');
    if (parts[0] !== key.name || idAndSig.length < 4 || !equalBytes(idAndSig.slice(0, 4), key.keyId)) continue;
    named = true;
    if (idAndSig.length === 68 && await ed25519Verify(key.publicKey, idAndSig.slice(4), message)) return text;
  }
  throw new VerifyError(named ? `the signature by ${key.name} does not verify: the checkpoint was changed or forged`
    : `the checkpoint has no signature by the log’s key ${key.name}`);
}

/** A C2SP tlog-checkpoint text → {origin, size (BigInt), rootHash, extensions}. */
export function parseCheckpoint(text) {
  if (!text.endsWith('\n')) throw new VerifyError('a checkpoint ends with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new VerifyError('a checkpoint has an origin, a size and a root hash line');
  if (!/^(?:0|[1-9][0-9]{0,18})$/.test(lines[1])) {
    throw new VerifyError('the checkpoint’s size is not a decimal number without leading zeros');
  }
  const size = BigInt(lines[1]);
  if (size > 0x7fffffffffffffffn) throw new VerifyError('the checkpoint’s size is out of range');
  const rootHash = b64ToBytes(lines[2], 'checkpoint root hash');
  if (rootHash.length !== HASH_SIZE) throw new VerifyError('the checkpoint’s root hash is not a SHA-256 hash');
  const extensions = lines.slice(3);
  if (extensions.some((e) => e.length === 0)) throw new VerifyError('a checkpoint has no empty line');
  if (lines[0].length === 0) throw new VerifyError('a checkpoint’s origin is not empty');
  return { origin: lines[0], size, rootHash, extensions };
}

// --- an owner's audit answer ---------------------------------------------------------------------

const proofBytes = (list, what) => list.map((p) => b64ToBytes(p, what));
const reasonOf = (e) => (e instanceof VerifyError ? e.message : 'it could not be checked (' + (e && e.message ? e.message : e) + ')');

/**
 * Checks one or more pages of GET /owners/{id}/audit, in order, as one owner's log.
 *
 * @param pages   the vault's answers, oldest entries first; page k > 0 was asked with
 *                since = page k-1's treeSize, the first with since = held.size when held
 * @param options {ownerId, key: parseVerifierKey(...), origin (GET /audit/key's), held: what
 *                this browser kept from its last check or null, now: ISO instant}
 * @return {checkpoint, consistency, entries, chain, keyChanged, newHeld, verified, pending, failed}
 *         entries: {seq, entryId, kind, at, details, json, status: verified|pending|failed, reason};
 *         newHeld: what to keep for next time, null unless everything checked out
 */
export async function verifyAudit(pages, options) {
  const { ownerId, key, held } = options;
  const origin = options.origin || key.name;
  const now = options.now || new Date().toISOString();
  const result = { checkpoint: null, consistency: { state: 'none', reason: null, since: held ? held.verifiedAt : null, fromSize: held ? held.size : null },
    entries: [], chain: { ok: true, reason: null }, keyChanged: null, newHeld: null, verified: 0, pending: 0, failed: 0 };

  // What this browser trusts so far: the held checkpoint, then each page's checkpoint once checked.
  let trusted = null;
  let logFailure = null;
  if (held) {
    // A new key (the vault rotated its signing key, or someone else signs now) is told, not
    // trusted blindly: the log must still extend the checkpoint verified under the old key, so
    // nothing this browser saw can have been rewritten by the new key's holder.
    if (held.verifierKey && held.verifierKey !== key.verifierKey) {
      result.keyChanged = { from: held.verifierKey, to: key.verifierKey, since: held.verifiedAt };
    }
    try {
      trusted = { size: BigInt(held.size), root: b64ToBytes(held.root, 'held root') };
    } catch (e) {
      logFailure = reasonOf(e);
      result.consistency = { ...result.consistency, state: 'failed', reason: logFailure };
    }
  }

  let prevSeq = 0;
  let prevCommitment = null;
  let lastOk = null;
  for (const page of pages) {
    let cp = null;
    let pageFailure = null;
    const unsigned = page.checkpoint === null || page.checkpoint === undefined;
    if (unsigned && trusted && !logFailure) {
      logFailure = `the vault shows no signed checkpoint, but this browser checked one of ${trusted.size} entries before: the log was rewound`;
      result.consistency = { ...result.consistency, state: 'failed', reason: logFailure };
    }
    if (!unsigned) try {
      if (page.log !== origin) throw new VerifyError(`the answer is for another log (${page.log}) than ${origin}`);
      const text = await openSignedNote(page.checkpoint, key);
      cp = parseCheckpoint(text);
      if (cp.origin !== origin) throw new VerifyError(`the checkpoint is for another log (${cp.origin}) than ${origin}`);
      // The key's name is the log's origin (C2SP): the vault's key signing a checkpoint of another
      // origin (which the vault may also publish as its origin) is another log's.
      if (cp.origin !== key.name) throw new VerifyError(`the checkpoint is for another log (${cp.origin}) than the key’s ${key.name}`);
      if (cp.size === 0n && !equalBytes(cp.rootHash, await sha256())) {
        throw new VerifyError('it signs an empty log with a root other than the empty tree’s');
      }
      if (BigInt(page.treeSize) !== cp.size || page.rootHash !== bytesToB64(cp.rootHash)) {
        throw new VerifyError('the tree size or root the vault lists differ from its signed checkpoint');
      }
      result.checkpoint = { origin: cp.origin, size: cp.size, rootHash: page.rootHash, extensions: cp.extensions, note: page.checkpoint };
    } catch (e) {
      pageFailure = 'the checkpoint is not genuine: ' + reasonOf(e);
      cp = null;
    }
    if (cp && trusted && !logFailure) {
      try {
        if (trusted.size > cp.size) {
          throw new VerifyError(`the log is smaller (${cp.size} entries) than when this browser last checked it (${trusted.size}): it was rewound`);
        } else if (trusted.size === cp.size) {
          await verifyConsistency(trusted.size, cp.size, [], trusted.root, cp.rootHash);
        } else {
          const c = page.consistency;
          if (!c || BigInt(c.fromSize) !== trusted.size || BigInt(c.toSize) !== cp.size || !Array.isArray(c.proof)) {
            throw new VerifyError(`the vault sent no proof that the log of size ${cp.size} extends the one of size ${trusted.size} this browser checked before`);
          }
          await verifyConsistency(trusted.size, cp.size, proofBytes(c.proof, 'consistency proof'), trusted.root, cp.rootHash);
        }
        if (result.consistency.state === 'none') result.consistency.state = 'ok';
      } catch (e) {
        logFailure = 'the log is not consistent with the one you saw before: ' + reasonOf(e);
        result.consistency = { ...result.consistency, state: 'failed', reason: logFailure };
      }
    }
    if (cp && !logFailure) trusted = { size: cp.size, root: cp.rootHash };

    for (const e of page.entries || []) {
      const r = { seq: e.seq, entryId: e.entryId, kind: null, at: null, details: null, json: null, status: 'failed', reason: null };
      const problems = [];
      let c = null;
      try {
        c = await commitment(b64ToBytes(e.salt, 'salt'), b64ToBytes(e.entry, 'entry'));
        if (e.commitment !== undefined && e.commitment !== null && e.commitment !== bytesToB64(c)) {
          problems.push('the entry or its salt does not match the commitment the vault lists for it');
        }
        let json;
        let text;
        try {
          text = UTF8.decode(b64ToBytes(e.entry, 'entry'));
          json = JSON.parse(text);
        } catch (x) {
          throw new VerifyError('the entry is not readable JSON');
        }
        const strict = entryStrictness(text);
        if (strict) problems.push(strict);
        r.json = json;
        r.kind = json.kind;
        r.at = json.at;
        r.details = json.details;
        if (json.v !== 1) problems.push(`the entry has an unknown version (${json.v})`);
        if (json.log !== origin) problems.push(`the entry names another log (${json.log})`);
        if (json.owner !== ownerId) problems.push('the entry names another owner');
        if (json.seq !== e.seq) problems.push(`the entry says it is number ${json.seq}, the vault lists it as ${e.seq}`);
      } catch (x) {
        problems.push(reasonOf(x));
      }
      // The owner's chain: consecutive numbers, each entry naming the commitment of the one before.
      if (e.seq !== prevSeq + 1) {
        problems.push(e.seq > prevSeq + 1 ? `entries ${prevSeq + 1}–${e.seq - 1} before this one are missing` : `it is listed out of order after entry ${prevSeq}`);
      } else if (r.json) {
        const want = prevSeq === 0 ? null : (prevCommitment ? bytesToB64(prevCommitment) : undefined);
        if (want !== undefined && r.json.prev !== want) problems.push('it does not follow the entry before it (its “prev” names another entry)');
      }
      if (held && held.seq === e.seq && held.commitment && c && bytesToB64(c) !== held.commitment) {
        problems.push(`it differs from entry ${e.seq} as this browser saw it on ${held.verifiedAt}`);
      }
      if (logFailure || pageFailure) problems.push(logFailure || pageFailure);
      if (problems.length === 0 && c) {
        try {
          if (unsigned) {
            r.status = 'pending';
            r.reason = 'recorded; the log has not signed a checkpoint yet';
          } else if (e.leafIndex === null || e.leafIndex === undefined) {
            r.status = 'pending';
            r.reason = 'recorded, not yet in the log’s tree';
          } else if (BigInt(e.leafIndex) >= cp.size) {
            r.status = 'pending';
            r.reason = 'in the log’s tree, not yet in a signed checkpoint';
          } else if (!Array.isArray(e.inclusionProof)) {
            throw new VerifyError('the vault sent no inclusion proof although the checkpoint covers this entry');
          } else {
            await verifyInclusion(await leafHash(c), e.leafIndex, cp.size, proofBytes(e.inclusionProof, 'inclusion proof'), cp.rootHash);
            r.status = 'verified';
            r.reason = `in the signed log of ${cp.size} entries`;
          }
        } catch (x) {
          problems.push(reasonOf(x));
        }
      }
      if (problems.length) {
        r.status = 'failed';
        r.reason = problems.join('; ');
      }
      if (r.status !== 'failed') lastOk = { seq: e.seq, commitment: bytesToB64(c) };
      result[r.status === 'failed' ? 'failed' : r.status]++;
      result.entries.push(r);
      prevSeq = Math.max(prevSeq, e.seq);
      prevCommitment = c || (e.commitment ? safeB64(e.commitment) : null);
    }
    if (!cp && !result.checkpoint) result.checkpoint = { error: pageFailure };
    if (pageFailure) result.checkpoint.error = pageFailure;
  }

  // The end of the chain: nothing this browser saw before may have gone.
  const last = pages.length ? pages[pages.length - 1] : null;
  if (held && Number.isSafeInteger(held.seq) && held.seq > prevSeq) {
    result.chain = { ok: false, reason: `the vault now lists ${prevSeq} of your entries; on ${held.verifiedAt} this browser saw ${held.seq}` };
  } else if (last && last.nextAfterSeq === null && Number.isSafeInteger(last.lastSeq) && last.lastSeq !== prevSeq) {
    result.chain = { ok: false, reason: `the vault says you have ${last.lastSeq} entries but sent ${prevSeq}` };
  }
  if (!result.chain.ok) result.failed++;

  if (result.failed === 0 && result.checkpoint && !result.checkpoint.error && !logFailure && trusted) {
    result.newHeld = {
      verifierKey: key.verifierKey, note: result.checkpoint.note, size: trusted.size.toString(),
      root: bytesToB64(trusted.root), verifiedAt: now,
      seq: lastOk ? lastOk.seq : (held ? held.seq : 0), commitment: lastOk ? lastOk.commitment : (held ? held.commitment : null),
    };
  }
  return result;
}

/**
 * What JSON.parse lets through but the command-line verifier refuses (researcher-cli AuditVerifier:
 * Jackson with duplicate detection, an integral "v" and "seq"), so an operator cannot craft entry
 * bytes the two read differently: a key twice in one object (JSON.parse keeps the last, another
 * reader the first), and "v" or "seq" written as a fraction, with an exponent, or beyond 2^53
 * (JSON.parse reads 2.0 as 2). `text` is JSON that JSON.parse accepted. The first problem, or null.
 */
export function entryStrictness(text) {
  let i = 0;
  let problem = null;
  const top = new Map();
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = () => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const value = (depth) => {
    ws();
    if (text[i] === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return null;
      }
      const keys = new Set();
      for (;;) {
        ws();
        const key = string();
        if (keys.has(key) && !problem) problem = `the entry is not readable JSON: the key "${key}" appears twice`;
        keys.add(key);
        ws();
        i++; // ':'
        const raw = value(depth + 1);
        if (depth === 0 && !top.has(key)) top.set(key, raw);
        ws();
        if (text[i++] === '}') return null; // else ','
      }
    }
    if (text[i] === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return null;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i++] === ']') return null; // else ','
      }
    }
    if (text[i] === '"') {
      string();
      return null;
    }
    const token = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 512))[0];
    i += token.length;
    return token;
  };
  value(0);
  for (const key of ['v', 'seq']) {
    const raw = top.get(key);
    if (problem || raw == null || !/^-?\d/.test(raw)) continue;
    if (!/^-?(?:0|[1-9]\d*)$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      problem = `its "${key}" is not a whole number as the vault writes it (${raw})`;
    }
  }
  return problem;
}

function safeB64(s) {
  try {
    return b64ToBytes(s);
  } catch (e) {
    return null;
  }
}
