import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { normalisedDocumentNumber, type DocumentKind } from '../domain/identity';

/**
 * The keys of traveller-health's privacy (ARCHITECTURE.md decision 7), from configuration:
 * - the traveller-id secret, keying the HMAC-SHA256 that turns a document into the
 *   pseudonymous traveller id the bus carries (same document, same id; no secret, no id);
 * - the master keys, which wrap each person's data key (envelope encryption). The first is
 *   current: new data keys are wrapped with it, and `PersonalDataVault.rotateMasterKey()`
 *   re-wraps the others' data keys with it. Events are never touched by a rotation.
 */
export interface PrivacyKeys {
  readonly travellerIdSecret: string;
  /** Master keys by id, the current one first (each 32 bytes). */
  readonly masterKeys: readonly MasterKey[];
}

export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** `id:base64,id:base64` (the current key first), as PII_MASTER_KEYS holds them; each key 32 bytes. */
export function parseMasterKeys(text: string): MasterKey[] {
  const keys = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry) => {
      const [id, b64] = entry.split(':');
      const key = Buffer.from(b64 ?? '', 'base64');
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(id ?? '') || key.length !== 32) throw new Error(`master key "${id}" must be <id>:<32 bytes in base64>`);
      return { id, key };
    });
  if (keys.length === 0) throw new Error('at least one master key is needed');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('master key ids must be unique');
  return keys;
}

/** Fresh keys for tests and the embedded city (never for a deployment: they die with the process). */
export function ephemeralPrivacyKeys(): PrivacyKeys {
  return { travellerIdSecret: randomBytes(32).toString('hex'), masterKeys: [{ id: 'm1', key: randomBytes(32) }] };
}

/** The traveller-id secret as a key object, made once per secret rather than from the string at every registration. */
const hmacKeys = new Map<string, KeyObject>();
function hmacKeyOf(secret: string): KeyObject {
  let key = hmacKeys.get(secret);
  // The same bytes createHmac takes from a string key (UTF-8).
  if (!key) hmacKeys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

/** The pseudonymous traveller id of a document: 32 hex characters of HMAC-SHA256(secret, kind:number). */
export function travellerIdOf(secret: string, kind: DocumentKind, number: string): string {
  return createHmac('sha256', hmacKeyOf(secret))
    .update(`${kind}:${normalisedDocumentNumber(number)}`)
    .digest('hex')
    .slice(0, 32);
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

/**
 * Bytes of the CSPRNG, drawn from a pool that `randomBytes` refills 4 KiB at a time. Each
 * `randomBytes` call costs about 8 µs here whatever its size (up to a few KiB), and a
 * registration needs three small draws (the new person's data key, the IVs of its wrapping and
 * of the sealed row): one call per ~100 registrations instead. The bytes are the same CSPRNG's
 * output, each handed out once; the pool wipes what it handed out, so a data key is not kept twice.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

export function randomBytesFromPool(size: number): Buffer {
  if (size > POOL_BYTES) return randomBytes(size);
  if (poolOffset + size > pool.length) {
    pool.fill(0);
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const bytes = Buffer.alloc(size);
  pool.copy(bytes, 0, poolOffset, poolOffset + size);
  pool.fill(0, poolOffset, poolOffset + size);
  poolOffset += size;
  return bytes;
}

/** A fresh data key for a person (AES-256). */
export function newDataKey(): Buffer {
  return randomBytesFromPool(DATA_KEY_BYTES);
}

/** AES-256-GCM of `plain` under `key`, bound to `aad`: base64 of iv | tag | ciphertext. */
export function seal(key: Buffer, plain: Buffer, aad: string): string {
  const iv = randomBytesFromPool(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** Opens what `seal` made with the same key and `aad`; throws if either differs or the text was altered. */
export function open(key: Buffer, sealed: string, aad: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
