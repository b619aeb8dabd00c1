/**
 * Keys and identity protection. One secret (TIPLINE_SECRET, or `data/secret.key` generated
 * once with mode 0600) is stretched with HKDF into separate keys: one encrypts platform
 * identities (AES-256-GCM), one makes keyed lookup hashes (HMAC-SHA256) so an identity can be
 * found without being stored in the clear.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The key file's name inside the data folder. */
export const SECRET_FILE = 'secret.key';

/** Where the secret came from, for `doctor`. */
export interface LoadedSecret {
  secret: string;
  source: 'env' | 'file' | 'generated';
  file?: string;
}

/**
 * Returns TIPLINE_SECRET when given, else the key in `<dataDir>/secret.key`, creating it
 * (32 random bytes, mode 0600) the first time. Never logs the secret.
 */
export function loadOrCreateSecret(opts: { secret?: string; dataDir: string; allowGenerate?: boolean }): LoadedSecret {
  if (opts.secret) return { secret: opts.secret, source: 'env' };
  const file = path.join(opts.dataDir, SECRET_FILE);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new Error(`${file} is shorter than 32 characters: restore it from backup`);
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { secret, source: 'file', file };
  }
  if (opts.allowGenerate === false) {
    // A new key would silently orphan every stored identity: replies could never be delivered.
    throw new SecretMissingError(file);
  }
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it between our check and write: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSecret(opts);
    throw err;
  }
  return { secret, source: 'generated', file };
}

/** The key file is gone but the database holds identities encrypted with it. */
export class SecretMissingError extends Error {
  readonly code = 'SECRET_MISSING';
  readonly variable = 'TIPLINE_SECRET';
  constructor(readonly file: string) {
    super(
      `TIPLINE_SECRET: ${file} is missing but the database holds reporter identities encrypted with it: restore it from backup (or set TIPLINE_SECRET to it)`,
    );
    this.name = 'SecretMissingError';
  }
}

/** Encrypts and hashes reporter identities. */
export class IdentityVault {
  readonly #encKey: Buffer;
  // HMAC keys as key objects: made once, not re-imported on every hash.
  readonly #lookupKey: KeyObject;
  readonly #tokenKey: KeyObject;

  constructor(secret: string) {
    const ikm = Buffer.from(secret, 'utf8');
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', ikm, 'tipline/v1', info, 32));
    this.#encKey = derive('identity-encryption');
    this.#lookupKey = createSecretKey(derive('identity-lookup'));
    this.#tokenKey = createSecretKey(derive('tokens'));
  }

  /** AES-256-GCM: 12-byte IV, 16-byte tag, ciphertext, in one buffer. */
  encrypt(plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ct]);
  }

  /** Reverses {@link encrypt}; throws if the data was altered or the key is wrong. */
  decrypt(blob: Buffer): string {
    const iv = blob.subarray(0, 12);
    const tag = blob.subarray(12, 28);
    const decipher = createDecipheriv('aes-256-gcm', this.#encKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** The keyed hash an identity is found by: same input, same hash; useless without the key. */
  lookupHash(channel: string, senderRef: string): Buffer {
    return createHmac('sha256', this.#lookupKey).update(channel).update('\0').update(senderRef).digest();
  }

  /** A keyed MAC for short-lived tokens (e.g. sign a value the web chat hands out). */
  mac(value: string): Buffer {
    return createHmac('sha256', this.#tokenKey).update(value).digest();
  }
}

/** Compares two secrets in constant time (different lengths compare false, still constant-time in content). */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const ba = Buffer.isBuffer(a) ? a : Buffer.from(a, 'utf8');
  const bb = Buffer.isBuffer(b) ? b : Buffer.from(b, 'utf8');
  const ha = createHmac('sha256', 'safe-equal').update(ba).digest();
  const hb = createHmac('sha256', 'safe-equal').update(bb).digest();
  return timingSafeEqual(ha, hb) && ba.length === bb.length;
}
