/** A bytea column as a Buffer: pg gives a Buffer, PGlite a plain Uint8Array (whose toString is a list of numbers). */
export function asBuffer(v: Uint8Array): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}
