/** Builds a raw message from header lines and a body, CRLF line ends. */
export function rawMail(headers: string[], body = 'Isi pesan.'): Buffer {
  return Buffer.from([...headers, '', body].join('\r\n'), 'utf8');
}

/** Headers of a plain message from a citizen, with the given extra lines. */
export function citizenHeaders(...extra: string[]): string[] {
  return [
    'From: Budi Santoso <budi@example.id>',
    'To: kesra@kalbarprov.go.id',
    'Subject: Keluhan bantuan sosial',
    'Date: Mon, 02 Mar 2026 09:15:00 +0700',
    'Message-ID: <Abc.123@Mail.Example.id>',
    ...extra,
  ];
}

/** Options used by the unit tests. */
export const OPTIONS = { ownAddresses: ['kesra@kalbarprov.go.id'], maxBytes: 10 * 1024 * 1024 };
