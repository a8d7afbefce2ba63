import { type ColumnDef, cellText } from '@cpe/shared/applications/index';
import '../filing.css';

/** The look of one place a table is shown in: its wrapper, table and 序号 cell classes, how a width applies. */
export interface ReadonlyTableLook {
  wrap: string;
  table: string;
  index?: string;
  width: 'width' | 'minWidth';
}
const FILING: ReadonlyTableLook = { wrap: 'cpe-filing-scroll', table: 'cpe-filing-grid', width: 'minWidth' };

/**
 * Table rows shown read-only (the preview, the review page, 原方案 beside a 计划变化): 序号, amounts in 万元
 * (marked in the heading, right-aligned like whole numbers), blanks as they are.
 */
export function ReadonlyTable({
  columns,
  rows,
  look = FILING,
}: {
  columns: readonly ColumnDef[];
  rows: readonly unknown[];
  look?: ReadonlyTableLook;
}) {
  return (
    <div className={look.wrap}>
      <table className={look.table}>
        <thead>
          <tr>
            <th scope="col" className={look.index}>
              序号
            </th>
            {columns.map((c) => (
              <th key={c.name} scope="col" style={c.width ? { [look.width]: c.width } : undefined}>
                {c.label}
                {c.kind === 'wan' ? '（万元）' : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: read-only rows in their stored order
            <tr key={i}>
              <td className={look.index}>{i + 1}</td>
              {columns.map((c) => (
                <td key={c.name} style={c.kind === 'wan' || c.kind === 'int' ? { textAlign: 'right' } : undefined}>
                  {cellText(c, (row as Record<string, unknown> | null)?.[c.name])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
