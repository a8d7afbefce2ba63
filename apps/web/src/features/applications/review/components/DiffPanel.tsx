import type { ReactNode } from 'react';
import type { FieldChange } from '../api-review';

/**
 * 本轮修改内容: every field changed since the previous submission, before struck through, after beside it.
 * The same table shows what an approved 计划变化 changed in a 开班方案 (`title`, `empty`).
 */
export function DiffPanel({
  diff,
  id,
  title = '本轮修改内容（与上次提交相比）',
  empty = '申报单位重新提交时未修改任何内容。',
  children,
}: {
  diff: FieldChange[];
  id: string;
  title?: ReactNode;
  empty?: string;
  /** Under the title (a version's 变化原因). */
  children?: ReactNode;
}) {
  return (
    <section className="cpe-ar-diff" id={id} aria-labelledby={`${id}-title`}>
      <h3 className="cpe-ar-diff-title" id={`${id}-title`}>
        {title}
      </h3>
      {children}
      {diff.length === 0 ? (
        <p className="cpe-muted cpe-ar-diff-none">{empty}</p>
      ) : (
        <table className="cpe-ar-diff-table">
          <thead>
            <tr>
              <th className="cpe-ar-diff-where">填报项</th>
              <th>修改前</th>
              <th>修改后</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((c) => (
              <tr key={`${c.sectionId}.${c.field}`}>
                <td className="cpe-ar-diff-where">
                  <div>{c.sectionTitle}</div>
                  <div className="cpe-muted">{c.label}</div>
                </td>
                <td>
                  {c.before ? (
                    <del className="cpe-ar-before">{c.before}</del>
                  ) : (
                    <span className="cpe-muted">（空）</span>
                  )}
                </td>
                <td>
                  {c.after ? (
                    <ins className="cpe-ar-after">{c.after}</ins>
                  ) : (
                    <span className="cpe-muted">（已清空）</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
