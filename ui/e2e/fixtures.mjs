// Test inputs written to a test's temp dir: customer CSVs (good and bad) and a one-page PDF.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function goodCsv(dir) {
  const file = join(dir, 'customers.csv');
  writeFileSync(
    file,
    [
      'name,english_name,country,type,city,address,website,owner_email,external_id,hs_codes',
      '深圳市华强电子有限公司,Shenzhen Huaqiang Electronics,CN,distributor,Shenzhen,,,,ERP-1001,854231',
      'Kowloon Parts Trading Ltd,,HK,broker,Hong Kong,,,,ERP-1002,',
      '"Saigon Assembly Co., Ltd",,VN,contract_manufacturer,Ho Chi Minh City,,,,ERP-1003,',
      '<img src=x onerror=alert(1)>,,DE,oem,Berlin,,,,ERP-1004,',
    ].join('\n') + '\n',
  );
  return file;
}

export function badCsv(dir) {
  const file = join(dir, 'bad.csv');
  writeFileSync(
    file,
    [
      'name,english_name,country,type,city,address,website,owner_email,external_id,hs_codes',
      'Good Row Ltd,,SG,distributor,,,,,ERP-2001,',
      'Bad Country Ltd,,ZZ,distributor,,,,,ERP-2002,',
      ',,CN,oem,,,,,ERP-2003,',
      'Bad Type Ltd,,CN,wholesaler,,,,,ERP-2004,',
    ].join('\n') + '\n',
  );
  return file;
}

/** A valid one-page PDF with a line of text, built by hand (offsets computed). */
export function signedPdf(dir) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const text =
    'BT /F1 22 Tf 60 760 Td (End-use statement) Tj 0 -40 Td /F1 12 Tf (We will not re-export to Russia or Belarus.) Tj 0 -24 Td (Signed: Li Wei, Purchasing Director) Tj ET';
  objects[3] = `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const file = join(dir, 'signed-statement.pdf');
  writeFileSync(file, out, 'latin1');
  return file;
}
