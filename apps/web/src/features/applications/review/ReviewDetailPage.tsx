import {
  ArrowLeftOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  FilePdfOutlined,
  LoadingOutlined,
} from '@ant-design/icons';
import { ADVANCED_SEMINAR, applicationType, type SectionDef } from '@cpe/shared/applications/index';
import { Alert, Anchor, App, Breadcrumb, Button, Input, Result, Skeleton, Tag } from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { errorCode, isUnauthenticated } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useStaffMe } from '../../identity/staff-api';
import {
  type ApplicationReview,
  type Decision,
  type FieldChange,
  reviewFileUrl,
  reviewPdfUrl,
  useApplicationReview,
  useDecideReview,
} from './api-review';
import { DocumentSection, sectionAnchor, sectionHeading } from './components/ApplicationDocument';
import { ApproveModal, RejectModal, ReturnModal, rememberPhone } from './components/DecisionModals';
import { DiffPanel } from './components/DiffPanel';
import { LoadError } from './components/LoadError';
import { ReviewTimeline } from './components/ReviewTimeline';
import { StatusTag } from './components/StatusTag';
import { shortArea } from './format';
import { type SaveState, useCommentDrafts } from './useCommentDrafts';
import './review.css';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIFF_ID = 'ar-diff';
const HISTORY_ID = 'ar-history';

/** Back to the list as it was left (its filters, tab and page came along in the link's state). */
function listUrlOf(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('?') ? `/application-reviews${from}` : '/application-reviews';
}

/** 项目审核 (console route /application-reviews/:id): the whole 申报书, its changes, its history, the decision. */
export function ReviewDetailPage() {
  const site = useSite().data;
  usePageTitle('审核申报书', site?.staffConsoleName);
  const { id = '' } = useParams();
  const location = useLocation();
  const listUrl = listUrlOf(location.state);
  const valid = UUID_RE.test(id);
  const review = useApplicationReview(id, valid);

  let body: ReactNode;
  if (!valid) body = <Result status="404" title="申报书不存在" subTitle="请从项目审核管理列表中打开申报书。" />;
  else if (review.isPending) body = <Skeleton active paragraph={{ rows: 12 }} />;
  else if (review.isError) body = <LoadError error={review.error} onRetry={() => review.refetch()} />;

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        className="cpe-ar-breadcrumb"
        items={[
          { title: <Link to="/">首页</Link> },
          { title: '市级高级研修项目' },
          { title: <Link to={listUrl}>项目审核管理</Link> },
          { title: review.data?.status === 'pending' ? '审核申报书' : '查看申报书' },
        ]}
      />
      {body || !review.data ? (
        <div className="cpe-console-panel cpe-ar-panel">{body}</div>
      ) : (
        <ReviewScreen key={id} review={review.data} listUrl={listUrl} />
      )}
    </div>
  );
}

function SaveHint({ state, error, onRetry }: { state: SaveState; error: string | null; onRetry: () => void }) {
  if (state === 'idle') return null;
  if (state === 'error')
    return (
      <span className="cpe-ar-save is-error" role="alert">
        <CloseCircleFilled /> 暂存失败：{error}{' '}
        <button type="button" className="cpe-link-button" onClick={onRetry}>
          重试
        </button>
      </span>
    );
  if (state === 'saved')
    return (
      <span className="cpe-ar-save is-saved">
        <CheckCircleFilled /> 已暂存
      </span>
    );
  return (
    <span className="cpe-ar-save">
      <LoadingOutlined /> 正在暂存…
    </span>
  );
}

function StatusAlert({ r }: { r: ApplicationReview }) {
  if (r.status === 'returned')
    return (
      <Alert
        className="cpe-ar-alert"
        type="warning"
        showIcon
        title="已退回修改"
        description={`修改截止时间：${formatDateTime(r.deadline)}。标记“改”的填报项附有修改意见，申报单位修改后重新提交即回到待审核。`}
      />
    );
  if (r.status === 'approved')
    return (
      <Alert
        className="cpe-ar-alert"
        type="success"
        showIcon
        title={`审核通过（${formatDateTime(r.decidedAt)}）`}
        description={r.reason ? `审核意见：${r.reason}` : undefined}
      />
    );
  if (r.status === 'rejected')
    return (
      <Alert
        className="cpe-ar-alert"
        type="error"
        showIcon
        title={`审核不通过（${formatDateTime(r.decidedAt)}）`}
        description={`原因：${r.reason ?? ''}`}
      />
    );
  if (r.status === 'withdrawn')
    return (
      <Alert
        className="cpe-ar-alert"
        type="info"
        showIcon
        title="申报单位已撤回该申报书"
        description="申报单位可修改后重新提交，重新提交后将回到待审核。"
      />
    );
  return null;
}

function ReviewScreen({ review: r, listUrl }: { review: ApplicationReview; listUrl: string }) {
  const def = applicationType(r.type) ?? ADVANCED_SEMINAR;
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showApiError = useShowApiError();
  const me = useStaffMe().data;
  const decide = useDecideReview(r.id);
  const pending = r.status === 'pending';
  const drafts = useCommentDrafts(r.id, r.draftComments, pending);
  const [modal, setModal] = useState<Decision['action'] | null>(null);

  // The router keeps the window's scroll across pages: a 申报书 opens at its head, wherever the list was.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);

  const changes = useMemo(() => {
    const bySection = new Map<string, Map<string, FieldChange>>();
    for (const c of r.diff ?? []) {
      const m = bySection.get(c.sectionId) ?? new Map<string, FieldChange>();
      m.set(c.field, c);
      bySection.set(c.sectionId, m);
    }
    return bySection;
  }, [r.diff]);
  const lastReturn = useMemo(() => r.history.findLast((h) => h.action === 'return'), [r.history]);
  // While pending, the sections the reviewer has commented on; once returned, those sent back.
  const marked = new Set(pending ? drafts.commented : r.status === 'returned' ? r.commentedSections : []);
  const canDecide = pending && (r.reviewActions.return || r.reviewActions.approve || r.reviewActions.reject);

  const run = async (d: Decision, done: string, form?: Parameters<typeof showApiError>[1]) => {
    await drafts.settle();
    try {
      await decide.mutateAsync(d);
      drafts.stop();
      message.success(done);
      navigate(listUrl);
    } catch (err) {
      if (isUnauthenticated(err)) return;
      if (errorCode(err) === 'APPLICATION_STATE') {
        drafts.stop();
        setModal(null);
        message.info('该申报书已被处理，已为您刷新');
        return;
      }
      showApiError(err, form);
    }
  };

  const openReturn = () => {
    if (drafts.commented.length === 0) {
      message.warning('请先在需要修改的填报项下填写修改意见，再退回修改');
      document.querySelector<HTMLTextAreaElement>('[data-comment]')?.focus();
      return;
    }
    setModal('return');
  };

  const marks = (s: SectionDef) => (
    <>
      {changes.has(s.id) && (
        <Tag color="blue" className="cpe-ar-mark">
          本轮有修改
        </Tag>
      )}
      {marked.has(s.id) && (
        <Tag color="orange" className="cpe-ar-mark" title="该填报项有修改意见">
          改
        </Tag>
      )}
    </>
  );

  const footer = (s: SectionDef) => {
    if (pending) {
      // From the second round on, the comment this section was sent back with, to check it was followed.
      const previous = r.round > 1 ? lastReturn?.comments[s.id] : undefined;
      const inputId = `ar-comment-${s.id}`;
      return (
        <div className="cpe-ar-comment">
          <label className="cpe-ar-comment-label" htmlFor={inputId}>
            修改意见
          </label>
          <div className="cpe-ar-comment-body">
            {previous && <div className="cpe-ar-previous">上次退回意见：{previous}</div>}
            <Input.TextArea
              id={inputId}
              data-comment={s.id}
              value={drafts.comments[s.id] ?? ''}
              onChange={(e) => drafts.change(s.id, e.target.value)}
              maxLength={1000}
              autoSize={{ minRows: 2, maxRows: 8 }}
              placeholder="需要申报单位修改本部分时填写；退回修改时本填报项将标记为“改”"
            />
            {drafts.touched.has(s.id) && (
              <SaveHint state={drafts.state} error={drafts.error} onRetry={() => drafts.retry()} />
            )}
          </div>
        </div>
      );
    }
    const sent = r.status === 'returned' ? lastReturn?.comments[s.id] : undefined;
    return sent ? (
      <div className="cpe-ar-sent">
        <span className="cpe-ar-sent-label">修改意见：</span>
        {sent}
      </div>
    ) : null;
  };

  const navItems = [
    ...(r.diff ? [{ key: DIFF_ID, href: `#${DIFF_ID}`, title: '本轮修改内容' }] : []),
    ...def.sections.map((s, i) => ({
      key: s.id,
      href: `#${sectionAnchor(s.id)}`,
      title: (
        <span className="cpe-ar-nav-item">
          <span className="cpe-ar-nav-text">{sectionHeading(i, s.title)}</span>
          {changes.has(s.id) && <span className="cpe-ar-dot" title="本轮有修改" />}
          {marked.has(s.id) && <span className="cpe-ar-nav-mark">改</span>}
        </span>
      ),
    })),
    { key: HISTORY_ID, href: `#${HISTORY_ID}`, title: '审核记录' },
  ];

  return (
    <div className="cpe-console-panel cpe-ar-panel">
      <div className="cpe-ar-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(listUrl)}>
          返回列表
        </Button>
        <Button icon={<FilePdfOutlined />} href={reviewPdfUrl(r.id)} target="_blank" rel="noopener noreferrer">
          预览/下载PDF
        </Button>
      </div>

      <header className="cpe-ar-head">
        <h1 className="cpe-ar-current">
          您当前申报的是：<strong>{def.label}</strong>
        </h1>
        <dl className="cpe-ar-meta">
          <div>
            <dt>编号</dt>
            <dd className="cpe-ar-number">{r.number}</dd>
          </div>
          <div>
            <dt>申报单位</dt>
            <dd>{r.filerName}</dd>
          </div>
          <div>
            <dt>所在区县</dt>
            <dd>{shortArea(r.filerAreaLabel)}</dd>
          </div>
          <div>
            <dt>单位类型</dt>
            <dd>{r.filerUnitType}</dd>
          </div>
          <div>
            <dt>提交时间</dt>
            <dd>
              {formatDateTime(r.submittedAt)}
              {r.round > 1 && <span className="cpe-muted">（第{r.round}次提交）</span>}
            </dd>
          </div>
          <div>
            <dt>状态</dt>
            <dd>
              <StatusTag status={r.status} />
            </dd>
          </div>
        </dl>
      </header>

      <StatusAlert r={r} />

      <div className="cpe-ar-body">
        <nav className="cpe-ar-nav" aria-label="申报书目录">
          <Anchor
            affix={false}
            targetOffset={16}
            items={navItems}
            // Scroll only: the address (and the list it came from) stays as it is.
            onClick={(e) => e.preventDefault()}
          />
          {(r.diff || pending || marked.size > 0) && (
            <div className="cpe-ar-legend">
              {r.diff && (
                <div>
                  <span className="cpe-ar-dot" /> 本轮有修改
                </div>
              )}
              {(pending || marked.size > 0) && (
                <div>
                  <span className="cpe-ar-nav-mark">改</span> 有修改意见
                </div>
              )}
            </div>
          )}
        </nav>

        <article className="cpe-ar-doc">
          <h2 className="cpe-ar-doc-title">{def.documentTitle(r.year)}</h2>
          {r.diff && <DiffPanel diff={r.diff} id={DIFF_ID} />}
          {def.sections.map((s, i) => (
            <DocumentSection
              key={s.id}
              section={s}
              index={i}
              values={r.data[s.id] ?? {}}
              changes={changes.get(s.id) ?? new Map()}
              fileUrl={(fileId) => reviewFileUrl(r.id, fileId)}
              marks={marks(s)}
              footer={footer(s)}
            />
          ))}
          <ReviewTimeline history={r.history} sections={def.sections} id={HISTORY_ID} />
        </article>
      </div>

      {canDecide && (
        <div className="cpe-ar-actions">
          <div className="cpe-ar-actions-note">
            {drafts.commented.length > 0
              ? `已对 ${drafts.commented.length} 个填报项填写修改意见`
              : '修改意见填写在各填报项下方'}
            <SaveHint state={drafts.state} error={drafts.error} onRetry={() => drafts.retry()} />
          </div>
          <div className="cpe-ar-actions-buttons">
            {r.reviewActions.return && (
              <Button onClick={openReturn} disabled={decide.isPending}>
                退回修改
              </Button>
            )}
            {r.reviewActions.reject && (
              <Button danger onClick={() => setModal('reject')} disabled={decide.isPending}>
                审核不通过
              </Button>
            )}
            {r.reviewActions.approve && (
              <Button type="primary" onClick={() => setModal('approve')} disabled={decide.isPending}>
                审核通过
              </Button>
            )}
          </div>
        </div>
      )}

      <ReturnModal
        open={modal === 'return'}
        busy={decide.isPending}
        onCancel={() => setModal(null)}
        sectionTitles={def.sections.filter((s) => marked.has(s.id)).map((s) => s.title)}
        contactName={me?.displayName ?? ''}
        onOk={async (v, form) => {
          const phone = v.contactPhone.trim();
          rememberPhone(phone);
          const comments = Object.fromEntries(drafts.commented.map((k) => [k, drafts.comments[k]?.trim() ?? '']));
          await run(
            {
              action: 'return',
              comments,
              deadline: v.deadline.second(0).millisecond(0).format(),
              contactName: v.contactName.trim(),
              contactPhone: phone,
            },
            '已退回修改，申报单位修改后可重新提交',
            form,
          );
        }}
      />
      <ApproveModal
        open={modal === 'approve'}
        busy={decide.isPending}
        onCancel={() => setModal(null)}
        onOk={(v, form) => run({ action: 'approve', opinion: v.opinion?.trim() ?? '' }, '已审核通过', form)}
      />
      <RejectModal
        open={modal === 'reject'}
        busy={decide.isPending}
        onCancel={() => setModal(null)}
        onOk={(v, form) => run({ action: 'reject', reason: v.reason.trim() }, '已审核不通过', form)}
      />
    </div>
  );
}
