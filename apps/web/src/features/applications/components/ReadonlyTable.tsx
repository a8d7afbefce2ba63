import { type ColumnDef, cellText } from '@cpe/shared/applications/index';
import '../filing.css';

/** Table rows shown read-only (原方案 beside a 计划变化): amounts in 万元, blanks as they are. */
export function ReadonlyTable({ columns, rows }: { columns: readonly ColumnDef[]; rows: readonly unknown[] }) {
  return (
    <div className="cpe-filing-scroll">
      <table className="cpe-filing-grid">
        <thead>
          <tr>
            <th scope="col">序号</th>
            {columns.map((c) => (
              <th key={c.name} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: read-only rows in their stored order
            <tr key={i}>
              <td>{i + 1}</td>
              {columns.map((c) => (
                <td key={c.name}>{cellText(c, (row as Record<string, unknown> | null)?.[c.name])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
