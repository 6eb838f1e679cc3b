/** Why a stored envelope could not be opened; stable so callers and tests switch on it. */
export type PersonalDataCipherErrorCode = 'KEY_UNKNOWN' | 'ENVELOPE_INVALID' | 'DECRYPT_FAILED';

/**
 * Raised by `PersonalDataCipher` when an envelope cannot be opened. Messages are English and
 * reach logs, so they name at most the (non-secret) key id, never plaintext, ciphertext or keys.
 */
export class PersonalDataCipherError extends Error {
  constructor(
    readonly code: PersonalDataCipherErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why the cipher configuration was refused. */
export type CipherConfigErrorCode = 'KEY_MISSING' | 'KEY_INVALID' | 'KEY_FILE_FAILED';

/**
 * Raised while reading key configuration at startup. Messages name the variable or file at
 * fault and what is wrong with it, never the value, because startup errors end up in logs.
 */
export class CipherConfigError extends Error {
  constructor(
    readonly code: CipherConfigErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
