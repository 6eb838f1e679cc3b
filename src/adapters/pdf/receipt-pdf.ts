import PDFDocument from 'pdfkit';
import { ReceiptContent } from '../../domain/notifications/receipt-text';

/** Lays out a receipt on one A5 page with pdfkit's built-in Helvetica (no font files needed). */
export function renderReceiptPdf(content: ReceiptContent): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A5', margin: 36, info: { Title: `${content.title} ${content.rows[0]?.value ?? ''}`, Author: content.office[0] } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(11);
    for (const line of content.office) doc.text(line, { align: 'center' });
    doc.moveDown(0.8).fontSize(16).text(content.title, { align: 'center' }).moveDown(0.8);
    for (const row of content.rows) {
      doc.font('Helvetica-Bold').fontSize(10).text(`${row.label}: `, { continued: true }).font('Helvetica').text(row.value);
    }
    for (const s of content.sections) {
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(10).text(s.heading);
      doc.font('Helvetica');
      for (const line of s.lines) doc.text(line);
    }
    doc.moveDown(1).font('Helvetica-Bold').text(content.footer[0] ?? '');
    doc.font('Helvetica').fontSize(8);
    for (const line of content.footer.slice(1)) doc.text(line);
    doc.end();
  });
}
