import { loggableName } from '../../../src/adapters/drop-folder/drop-folder.adapter';
import { faxMeta, metaFromName, metaFromSidecar, parseFaxTime, sidecarNames } from '../../../src/adapters/drop-folder/fax-naming';
import { sniffFileType } from '../../../src/adapters/drop-folder/file-type';
import { samplePdf, samplePng, sampleTiff } from '../../support/sample-files';

describe('fax file names and sidecars', () => {
  it('reads <timestamp>_<number> names in office time (WIB)', () => {
    expect(metaFromName('20261127T091500_0561730062.pdf')).toEqual({ senderNumber: '0561730062', receivedAt: new Date('2026-11-27T02:15:00Z') });
    expect(metaFromName('2026-11-27_09-15-00_0561730062.pdf')).toEqual({ senderNumber: '0561730062', receivedAt: new Date('2026-11-27T02:15:00Z') });
    expect(metaFromName('20261127091500_+62561730062.tif')).toEqual({ senderNumber: '+62561730062', receivedAt: new Date('2026-11-27T02:15:00Z') });
  });

  it('knows nothing from other names, and refuses impossible dates', () => {
    expect(metaFromName('fax000000123.tif')).toEqual({ senderNumber: null, receivedAt: null });
    expect(metaFromName('scan.pdf')).toEqual({ senderNumber: null, receivedAt: null });
    expect(metaFromName('20260230T091500_0561730062.pdf').receivedAt).toBeNull();
  });

  it('reads HylaFAX-style sidecars, preferring CallerID to Sender (the TSI is often a name)', () => {
    expect(metaFromSidecar('Sender: +62561730062\nPages: 2\nReceived: 2026:11:27 09:15:00\n')).toEqual({
      senderNumber: '+62561730062',
      receivedAt: new Date('2026-11-27T02:15:00Z'),
    });
    expect(metaFromSidecar('Sender: DINSOS KAB SANGGAU\r\nCallerID: 0564 21017\r\nTime: 2026-11-27T09:15:00+07:00\r\n')).toEqual({
      senderNumber: '056421017',
      receivedAt: new Date('2026-11-27T02:15:00Z'),
    });
    expect(parseFaxTime('kemarin')).toBeNull();
  });

  it('lets a sidecar complete or correct what the name says', () => {
    expect(faxMeta('20261127T091500_0561730062.pdf', 'Sender: +6256100000')).toEqual({ senderNumber: '+6256100000', receivedAt: new Date('2026-11-27T02:15:00Z') });
    expect(sidecarNames('fax000000123.tif')).toEqual(['fax000000123.tif.info', 'fax000000123.tif.txt', 'fax000000123.info', 'fax000000123.txt']);
  });

  it('recognises PDF, PNG, TIFF and JPEG by their bytes, not their names', () => {
    expect(sniffFileType(samplePdf())).toBe('application/pdf');
    expect(sniffFileType(samplePng())).toBe('image/png');
    expect(sniffFileType(sampleTiff())).toBe('image/tiff');
    expect(sniffFileType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffFileType(Buffer.from('hello, this is a .pdf'))).toBeNull();
  });
});

describe('loggableName', () => {
  it('masks the sender number carried in fax file names', () => {
    expect(loggableName('20261127T091500_0561730062.pdf')).not.toContain('0561730062');
    expect(loggableName('scan-1.pdf')).toBe('scan-1.pdf');
  });
});
