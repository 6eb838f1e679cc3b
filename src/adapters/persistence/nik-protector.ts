/**
 * How the store keeps NIKs: encrypted at rest, with a keyed blind index to find a requester
 * by NIK without decrypting. Implemented by the crypto adapter's PersonalDataCipher.
 */
export interface NikProtector {
  encrypt(plaintext: string): string;
  decrypt(envelope: string): string;
  blindIndex(value: string): string;
}
