/**
 * Lines as Asterisk's cdr_csv writes them to Master.csv (strings quoted, quotes doubled,
 * numbers bare), with loguniqueid=yes and loguserfield=yes unless noted. Times are WIB.
 */
export const CDR = {
  /** 09:15:02 WIB, answered on 126 after 8 s; caller ID name with a comma. */
  answered:
    '"","081234567890","126","from-trunk","""Budi, Pontianak"" <081234567890>","SIP/telkom-00000012","SIP/126-00000013","Dial","SIP/126,30,tT","2026-03-16 09:15:02","2026-03-16 09:15:10","2026-03-16 09:20:45",343,335,"ANSWERED","DOCUMENTATION","1773627302.18",""',
  /** 10:01:00 WIB, rang 30 s on 126, nobody picked up (answer time empty). */
  noAnswer:
    '"","0561736000","126","from-trunk","""0561736000"" <0561736000>","SIP/telkom-00000014","SIP/126-00000015","Dial","SIP/126,30,tT","2026-03-16 10:01:00","","2026-03-16 10:01:30",30,0,"NO ANSWER","DOCUMENTATION","1773630060.20",""',
  /** 11:30:05 WIB, busy on 126; a PBX without loguniqueid/loguserfield (16 columns). */
  busyNoUniqueId:
    '"","+6285828735503","126","from-trunk","""Siti"" <+6285828735503>","SIP/telkom-00000016","SIP/126-00000017","Dial","SIP/126,30,tT","2026-03-16 11:30:05","","2026-03-16 11:30:07",2,0,"BUSY","DOCUMENTATION"',
  /** 13:00:00 WIB, a call to the general line 100, not the complaint line. */
  otherExtension:
    '"","081298765432","100","from-trunk","""Andi"" <081298765432>","SIP/telkom-00000018","SIP/100-00000019","Dial","SIP/100,30,tT","2026-03-16 13:00:00","2026-03-16 13:00:04","2026-03-16 13:02:04",124,120,"ANSWERED","DOCUMENTATION","1773640800.22",""',
  /** 14:10:00 WIB, a failed attempt on 126 (congested trunk): not a call to follow up. */
  failed:
    '"","081211112222","126","from-trunk","""081211112222"" <081211112222>","SIP/telkom-00000020","","Dial","SIP/126,30,tT","2026-03-16 14:10:00","","2026-03-16 14:10:00",0,0,"FAILED","DOCUMENTATION","1773645000.24",""',
  /** Cut off while the PBX was writing. */
  truncated: '"","081234567890","126","from-trunk","""Budi',
  /** The wrong file: a header row of some other export. */
  header: 'date,caller,extension,duration',
  /** A start time that is not a time. */
  badStart:
    '"","081234567890","126","from-trunk","","SIP/telkom-00000030","SIP/126-00000031","Dial","SIP/126","16/03/2026 09:00","","2026-03-16 09:00:10",10,0,"NO ANSWER","DOCUMENTATION","1773626400.30",""',
};

export function masterCsv(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
