/** The file types the desk keeps, recognised by their first bytes (an extension proves nothing). */
export type DropFileType = 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/tiff';

export const SCAN_TYPES: readonly DropFileType[] = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'];
export const FAX_TYPES: readonly DropFileType[] = ['application/pdf', 'image/tiff'];

const startsWith = (b: Buffer, bytes: number[]): boolean => b.length >= bytes.length && bytes.every((x, i) => b[i] === x);

/** The type by magic bytes, or null. */
export function sniffFileType(b: Buffer): DropFileType | null {
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(b, [0x49, 0x49, 0x2b, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2b])) return 'image/tiff';
  return null;
}
