import { PaperClipOutlined } from '@ant-design/icons';
import { type FieldDef, isBlank, type SectionDef, type TAttachment } from '@cpe/shared/applications/index';
import { Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { PreviewFieldValue } from '../../components/ApplicationPreview';
import { ReadonlyTable } from '../../components/ReadonlyTable';
import type { FieldChange } from '../api-review';

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** 一、基本信息: the printed 申报书 numbers its sections. */
export function sectionHeading(index: number, title: string): string {
  return `${NUMERALS[index] ?? index + 1}、${title}`;
}

export function sectionAnchor(sectionId: string): string {
  return `ar-section-${sectionId}`;
}

/** Long values take a whole row; short ones sit two to a row like the printed form. */
const WIDE = new Set<FieldDef['kind']>(['textarea', 'table', 'files', 'checks', 'trainees']);

function fileSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function Empty() {
  return <span className="cpe-muted">未填写</span>;
}

const DOCUMENT_TABLE = {
  wrap: 'cpe-ar-subtable-wrap',
  table: 'cpe-ar-subtable',
  index: 'cpe-ar-subtable-index',
  width: 'width',
} as const;

function Value({
  field,
  value,
  fileUrl,
  traineesUrl,
}: {
  field: FieldDef;
  value: unknown;
  fileUrl: (fileId: string) => string;
  traineesUrl?: string;
}) {
  if (isBlank(value)) return field.kind === 'files' ? <span className="cpe-muted">无</span> : <Empty />;
  if (field.kind === 'table' && Array.isArray(value))
    return <ReadonlyTable columns={field.columns ?? []} rows={value} look={DOCUMENT_TABLE} />;
  if (field.kind === 'files' && Array.isArray(value))
    return (
      <ul className="cpe-ar-files">
        {(value as TAttachment[]).map((f) => (
          <li key={f.fileId}>
            <PaperClipOutlined />{' '}
            <a href={fileUrl(f.fileId)} download={f.name}>
              {f.name}
            </a>{' '}
            <span className="cpe-muted">（{fileSize(f.size)}）</span>
          </li>
        ))}
      </ul>
    );
  if (field.kind === 'textarea') return <span className="cpe-ar-text">{String(value)}</span>;
  // 单选, 多选 (joined with 、), 学员名单 and the plain kinds read as the 申报书 preview shows them.
  return <PreviewFieldValue field={field} value={value} fileUrl={fileUrl} traineesUrl={traineesUrl} />;
}

function ChangedMark({ change }: { change: FieldChange }) {
  return (
    <Tooltip title={<span className="cpe-ar-text">修改前：{change.before || '（空）'}</span>}>
      <Tag color="blue" className="cpe-ar-changed-tag">
        已修改
      </Tag>
    </Tooltip>
  );
}

interface SectionProps {
  section: SectionDef;
  index: number;
  values: Record<string, unknown>;
  /** This round's changes of the section, by field name. */
  changes: Map<string, FieldChange>;
  fileUrl: (fileId: string) => string;
  /** Where the 学员名单 rows are read. */
  traineesUrl?: string;
  /** Marks beside the title (改, 本轮有修改). */
  marks?: ReactNode;
  /** Under the table: the reviewer's 修改意见 box or the comment sent. */
  footer?: ReactNode;
  /** Another document's section shown inside this one (所属项目): no anchor, no `data-section`. */
  nested?: boolean;
}

/** One section of the 申报书 as a bordered label / value table, built from its definition. */
export function DocumentSection({
  section,
  index,
  values,
  changes,
  fileUrl,
  traineesUrl,
  marks,
  footer,
  nested = false,
}: SectionProps) {
  // A section of one field named like the section (研修目的和作用, 其他附件) needs no label column.
  const only = section.fields.length === 1 && section.fields[0]?.label === section.title ? section.fields[0] : null;
  const rows: FieldDef[][] = [];
  for (const f of section.fields) {
    const last = rows[rows.length - 1];
    if (!WIDE.has(f.kind) && last && last.length === 1 && last[0] && !WIDE.has(last[0].kind)) last.push(f);
    else rows.push([f]);
  }
  const cell = (f: FieldDef, span: number) => {
    const change = changes.get(f.name);
    return [
      <th key={`${f.name}-label`} scope="row" className={change ? 'is-changed' : undefined}>
        {f.label}
      </th>,
      <td key={`${f.name}-value`} colSpan={span} className={change ? 'is-changed' : undefined} data-field={f.name}>
        <Value field={f} value={values[f.name]} fileUrl={fileUrl} traineesUrl={traineesUrl} />
        {change && <ChangedMark change={change} />}
      </td>,
    ];
  };
  const onlyChange = only ? changes.get(only.name) : undefined;
  return (
    <section
      className="cpe-ar-section"
      id={nested ? undefined : sectionAnchor(section.id)}
      data-section={nested ? undefined : section.id}
      data-parent-section={nested ? section.id : undefined}
    >
      <h3 className="cpe-ar-section-title">
        <span>{sectionHeading(index, section.title)}</span>
        {marks}
      </h3>
      {only ? (
        <div className={onlyChange ? 'cpe-ar-block is-changed' : 'cpe-ar-block'} data-field={only.name}>
          <Value field={only} value={values[only.name]} fileUrl={fileUrl} traineesUrl={traineesUrl} />
          {onlyChange && <ChangedMark change={onlyChange} />}
        </div>
      ) : (
        <table className="cpe-ar-grid">
          <colgroup>
            <col className="cpe-ar-col-label" />
            <col />
            <col className="cpe-ar-col-label" />
            <col />
          </colgroup>
          <tbody>
            {rows.map((r) => (
              <tr key={r.map((f) => f.name).join('-')}>
                {r.length === 2 && r[0] && r[1] ? [...cell(r[0], 1), ...cell(r[1], 1)] : r[0] ? cell(r[0], 3) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {footer}
    </section>
  );
}
