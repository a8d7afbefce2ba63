import {
  APPLICATION_STATUS_LABELS,
  type ApplicationTypeDef,
  applicationType,
  displayValue,
  type FieldDef,
  isBlank,
  type TAttachment,
} from '@cpe/shared/applications/index';
import { Result } from 'antd';
import { Fragment, type ReactNode } from 'react';
import { formatDateTime } from '../../../shared/format';
import { TraineeListView } from '../../seminars/TraineeListView';
import { attachmentUrl, reviewAttachmentUrl } from '../api';
import type { ApplicationDetail } from '../types';
import { fileSize } from './FilesInput';
import { MissingList } from './MissingList';
import { ReadonlyTable } from './ReadonlyTable';
import { ReviewTimeline } from './ReviewTimeline';
import '../applications.css';

const NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 1 → 一, 12 → 十二, 20 → 二十: the numbering of a printed 申报书's parts. */
export function chineseNumeral(n: number): string {
  if (n <= 10) return NUMERALS[n] ?? String(n);
  if (n < 20) return `十${NUMERALS[n - 10]}`;
  if (n < 100) return `${NUMERALS[Math.floor(n / 10)]}十${n % 10 ? NUMERALS[n % 10] : ''}`;
  return String(n);
}

/**
 * 学员名单: the section holds what the list came to (共N人，合格M人); the rows live in their own table and are read,
 * paged and searchable, from `url` (the filer's /api/applications/:id/trainees or the reviewers' route).
 */
export function TraineesValue({ value, url }: { value: unknown; url?: string }) {
  const t = (value ?? {}) as { total?: number; passed?: number };
  if (url) return <TraineeListView fetchUrl={url} />;
  return (
    <span className="cpe-app-doc-trainees">
      共{t.total ?? 0}人，合格{t.passed ?? 0}人
    </span>
  );
}

/**
 * One stored value as the printed 申报书 shows it: every field kind (text, money in 万元, 单选 / 多选 joined
 * with 、, tables with their cells as text, attachments as download links, 学员名单). The review pages use it too.
 */
const PREVIEW_TABLE = {
  wrap: 'cpe-app-doc-scroll',
  table: 'cpe-app-doc-grid',
  index: 'cpe-app-doc-index',
  width: 'minWidth',
} as const;

export function PreviewFieldValue({
  field,
  value,
  fileUrl,
  traineesUrl,
}: {
  field: FieldDef;
  value: unknown;
  fileUrl: (id: string) => string;
  /** Where the 学员名单 rows are read (the filer's or the reviewer's route). */
  traineesUrl?: string;
}) {
  if (isBlank(value)) return <span className="cpe-app-doc-empty">未填写</span>;
  if (field.kind === 'textarea') return <div className="cpe-app-pre">{String(value)}</div>;
  if (field.kind === 'trainees') return <TraineesValue value={value} url={traineesUrl} />;
  if (field.kind === 'files' && Array.isArray(value))
    return (
      <ul className="cpe-app-doc-files">
        {(value as TAttachment[]).map((f) => (
          <li key={f.fileId}>
            <a href={fileUrl(f.fileId)} download={f.name}>
              {f.name}
            </a>
            <span className="cpe-muted">（{fileSize(f.size)}）</span>
          </li>
        ))}
      </ul>
    );
  if (field.kind === 'table' && Array.isArray(value))
    return <ReadonlyTable columns={field.columns ?? []} rows={value} look={PREVIEW_TABLE} />;
  return <>{displayValue(field, value)}</>;
}

/**
 * The whole 申报书 as it prints: the title, the header lines, then each section as a bordered table of
 * label / value, numbered 一、二、… as in the PDF. Read-only; the filer's form page and 市人社局's review
 * page both show it. `onJump` makes the missing list and each section's 修改 link go to the form;
 * `renderSectionFooter` adds what a page needs under a section (the reviewer's 修改意见).
 */
export function ApplicationPreview({
  detail,
  onJump,
  renderSectionFooter,
  fileUrl,
  traineesUrl,
  showTimeline = true,
}: {
  detail: ApplicationDetail;
  onJump?: (sectionId: string, field?: string) => void;
  renderSectionFooter?: (sectionId: string) => ReactNode;
  /** Where an attachment downloads; by default the filer's route, or the reviewer's for a review payload. */
  fileUrl?: (fileId: string) => string;
  /** Where the 学员名单 rows are read; by default the filer's or the reviewer's route. */
  traineesUrl?: string;
  /** 审核进度 and 审核记录 at the foot once the 申报书 was submitted (the review page shows its own). */
  showTimeline?: boolean;
}) {
  const def: ApplicationTypeDef | undefined = applicationType(detail.type);
  if (!def) return <Result status="warning" title="不支持的申报类型" subTitle={detail.type} />;
  const isReview = 'reviewActions' in detail;
  const urlOf = fileUrl ?? ((fileId: string) => (isReview ? reviewAttachmentUrl : attachmentUrl)(detail.id, fileId));
  const traineesOf =
    traineesUrl ??
    `/api/${isReview ? 'application-reviews' : 'applications'}/${encodeURIComponent(detail.id)}/trainees`;

  return (
    <article className="cpe-app-doc" aria-label="申报书预览">
      <header className="cpe-app-doc-head">
        <h1 className="cpe-app-doc-title">{def.documentTitle(detail.year)}</h1>
        <dl className="cpe-app-doc-meta">
          <div>
            <dt>编号</dt>
            <dd>{detail.number ?? '提交后生成'}</dd>
          </div>
          <div>
            <dt>申报单位</dt>
            <dd>{detail.filerName}</dd>
          </div>
          <div>
            <dt>状态</dt>
            <dd>{APPLICATION_STATUS_LABELS[detail.status]}</dd>
          </div>
          <div>
            <dt>提交时间</dt>
            <dd>{formatDateTime(detail.submittedAt) || '未提交'}</dd>
          </div>
        </dl>
      </header>
      <MissingList def={def} fields={detail.missing} onJump={onJump} />
      {def.sections.map((s, i) => {
        const values = detail.data[s.id] ?? {};
        return (
          <section key={s.id} className="cpe-app-doc-section" data-section={s.id} aria-labelledby={`doc-${s.id}`}>
            <h2 className="cpe-app-doc-section-title" id={`doc-${s.id}`}>
              <span>
                {chineseNumeral(i + 1)}、{s.title}
                {detail.commentedSections.includes(s.id) && (
                  <span className="cpe-app-nav-mark cpe-app-doc-mark" title="有修改意见">
                    改
                  </span>
                )}
              </span>
              {onJump && (
                <a
                  href={`#${s.id}`}
                  className="cpe-app-doc-edit"
                  aria-label={`修改${s.title}`}
                  onClick={(e) => {
                    e.preventDefault();
                    onJump(s.id);
                  }}
                >
                  修改
                </a>
              )}
            </h2>
            <table className="cpe-app-doc-table">
              <colgroup>
                <col className="cpe-app-doc-label-col" />
                <col />
              </colgroup>
              <tbody>
                {s.fields.map((f) => {
                  const problem = detail.missing[`${s.id}.${f.name}`];
                  const value = (
                    <>
                      <PreviewFieldValue field={f} value={values[f.name]} fileUrl={urlOf} traineesUrl={traineesOf} />
                      {problem && !isBlank(values[f.name]) && <div className="cpe-app-doc-problem">{problem}</div>}
                    </>
                  );
                  // A filled table takes the full width under its label: its columns need the room.
                  if (f.kind === 'table' && !isBlank(values[f.name]))
                    return (
                      <Fragment key={f.name}>
                        <tr data-field={`${s.id}.${f.name}`}>
                          <th scope="colgroup" colSpan={2}>
                            {f.label}
                          </th>
                        </tr>
                        <tr>
                          <td colSpan={2}>{value}</td>
                        </tr>
                      </Fragment>
                    );
                  return (
                    <tr key={f.name} data-field={`${s.id}.${f.name}`}>
                      <th scope="row">{f.label}</th>
                      <td>{value}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {renderSectionFooter?.(s.id)}
          </section>
        );
      })}
      {showTimeline && !isReview && detail.history.length > 0 && (
        <ReviewTimeline
          chain={detail.chain ?? []}
          history={detail.history}
          sections={def.sections}
          title="审核进度与记录"
        />
      )}
    </article>
  );
}
