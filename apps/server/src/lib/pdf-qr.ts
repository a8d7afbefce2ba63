import {
  concatTransformationMatrix,
  fill,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingColor,
} from 'pdf-lib';
import QRCode from 'qrcode';

/**
 * A QR code drawn as filled rectangles in module units (runs of dark modules merged per row): sharp at any zoom, a
 * few hundred bytes, and no PNG to decode. (x, y) is the lower-left corner in PDF points.
 */
export function drawQr(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const ops = [];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      ops.push(rectangle(start, row, col - start, 1));
    }
  }
  const unit = size / n;
  // Rows count down from the top-left corner, as the matrix does.
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(unit, 0, 0, -unit, x, y + size),
    setFillingColor(rgb(0, 0, 0)),
    ...ops,
    fill(),
    popGraphicsState(),
  );
}
