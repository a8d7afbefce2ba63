import {
  ArrowLeftOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  FilePdfOutlined,
  LoadingOutlined,
} from '@ant-design/icons';
import { ADVANCED_SEMINAR, applicationType, type SectionDef } from '@cpe/shared/applications/index';
import { useQuery } from '@tanstack/react-query';
import { Alert, Anchor, App, Breadcrumb, Button, Collapse, Input, Result, Skeleton, Tag } from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { fromPlatformPicker } from '../../../shared/platform-time';
import { usePageTitle } from '../../../shared/usePageTitle';
import { fetchMe, ME_KEY, useSite } from '../../identity/api';
import { fetchStaffMe, STAFF_ME_KEY } from '../../identity/staff-api';
import { ReviewTimeline } from '../components/ReviewTimeline';
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
import { StageTag } from './components/StatusTag';
import { shortArea } from './format';
import { type ReviewPageProps, reviewTypeView } from './review-types';
import { type SaveState, useCommentDrafts } from './useCommentDrafts';
import './review.css';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIFF_ID = 'ar-diff';
const HISTORY_ID = 'ar-history';
const PARENT_ID = 'ar-parent';
const VERSIONS_ID = 'ar-versions';

/** Back to the list as it was left (its filters, tab and page came along in the link's state). */
function listUrlOf(state: unknown, basePath: string): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('?') ? `${basePath}${from}` : basePath;
}

/** The reviewer's name, the default 联系人 of a 退回修改: a staff member in the console, a person on the portal. */
function useReviewerName(variant: 'console' | 'portal'): string {
  const portal = variant === 'portal';
  // The same keys and fetchers as useMe / useStaffMe: one cache entry, one request, whichever app this is.
  const me = useQuery<unknown, Error, string>({
    queryKey: portal ? ME_KEY : STAFF_ME_KEY,
    queryFn: portal ? fetchMe : fetchStaffMe,
    select: (v) => {
      const who = v as { realName?: string; displayName?: string } | null;
      return (portal ? who?.realName : who?.displayName) ?? '';
    },
    staleTime: 60_000,
  });
  return me.data ?? '';
}

/**
 * 审核 of one 申报书 (console `${basePath}/:id` for 项目审核管理, 开班方案审核, 计划变化审核, 结业审核, 继续教育基地认定,
 * 工程师基地认定; 单位中心 of a 主管部门 with `variant='portal'`): the whole 申报书, its changes, the project it belongs
 * to, the earlier versions, the review chain and history, and — at this reviewer's step only — the decision.
 */
export function ReviewDetailPage({
  type,
  basePath,
  variant = 'console',
  id: idProp,
}: ReviewPageProps & {
  /** Given by a parent that routes by itself (单位中心); else the route's `:id`. */ id?: string;
}) {
  const view = reviewTypeView(type);
  const inConsole = variant === 'console';
  const site = useSite().data;
  const params = useParams();
  const id = idProp ?? params.id ?? '';
  const location = useLocation();
  const listUrl = listUrlOf(location.state, basePath);
  const valid = UUID_RE.test(id);
  const review = useApplicationReview(id, valid);
  const listTitle = (inConsole ? view?.title : view?.portalTitle) ?? '审核';
  const actionable = review.data ? review.data.reviewActions.approve || review.data.reviewActions.return : false;
  usePageTitle(actionable ? '审核申报书' : '查看申报书', inConsole ? site?.staffConsoleName : site?.name);

  let body: ReactNode;
  if (!valid) body = <Result status="404" title="申报书不存在" subTitle={`请从${listTitle}列表中打开申报书。`} />;
  else if (review.isPending) body = <Skeleton active paragraph={{ rows: 12 }} />;
  else if (review.isError) body = <LoadError error={review.error} onRetry={() => review.refetch()} />;

  const screen =
    body || !review.data ? (
      <div className={inConsole ? 'cpe-console-panel cpe-ar-panel' : 'cpe-ar-panel is-portal'}>{body}</div>
    ) : (
      <ReviewScreen key={id} review={review.data} listUrl={listUrl} variant={variant} />
    );
  if (!inConsole) return <div className="cpe-ar-portal">{screen}</div>;
  return (
    <div className="cpe-console-page">
      <Breadcrumb
        className="cpe-ar-breadcrumb"
        items={[
          { title: <Link to="/">首页</Link> },
          { title: view?.group ?? '继续教育管理' },
          { title: <Link to={listUrl}>{listTitle}</Link> },
          { title: actionable ? '审核申报书' : '查看申报书' },
        ]}
      />
      {screen}
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

function StatusAlert({ r, actionable }: { r: ApplicationReview; actionable: boolean }) {
  if (r.status === 'pending') {
    const step = r.chain.find((c) => c.state === 'current');
    if (actionable)
      return r.chain.length > 1 ? (
        <Alert
          className="cpe-ar-alert"
          type="info"
          showIcon
          title={`待您审核（${step?.levelLabel ?? ''}）`}
          description="审核通过后将转至下一审核环节；退回修改后申报单位修改并重新提交，回到本环节审核。"
        />
      ) : null;
    return (
      <Alert
        className="cpe-ar-alert"
        type="info"
        showIcon
        title={`${r.stageLabel}：当前由${step?.name ?? step?.levelLabel ?? '上级'}审核`}
        description="您可以查看申报书和审核记录；轮到您审核时才能通过、退回或不通过。"
      />
    );
  }
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

function ReviewScreen({
  review: r,
  listUrl,
  variant,
}: {
  review: ApplicationReview;
  listUrl: string;
  variant: 'console' | 'portal';
}) {
  const def = applicationType(r.type) ?? ADVANCED_SEMINAR;
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showApiError = useShowApiError();
  const reviewerName = useReviewerName(variant);
  const decide = useDecideReview(r.id);
  // At this reviewer's step now: the 修改意见 boxes and the decision. Elsewhere on the chain: read only.
  const pending = r.status === 'pending' && (r.reviewActions.return || r.reviewActions.approve);
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
        // Decided meanwhile, or no longer at this reviewer's step (the message names who reviews now).
        drafts.stop();
        setModal(null);
        message.info(`${toApiError(err).message}，已为您刷新`);
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
    ...(r.parent ? [{ key: PARENT_ID, href: `#${PARENT_ID}`, title: '所属项目' }] : []),
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
    ...(r.versions.length > 0 ? [{ key: VERSIONS_ID, href: `#${VERSIONS_ID}`, title: '计划变化记录' }] : []),
    { key: HISTORY_ID, href: `#${HISTORY_ID}`, title: '审核进度与记录' },
  ];
  const traineesUrl = `/api/application-reviews/${encodeURIComponent(r.id)}/trainees`;

  return (
    <div className={variant === 'console' ? 'cpe-console-panel cpe-ar-panel' : 'cpe-ar-panel is-portal'}>
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
              <StageTag stage={r.stage} label={r.stageLabel} />
              {r.overdue && <Tag color="error">逾期</Tag>}
            </dd>
          </div>
        </dl>
      </header>

      <StatusAlert r={r} actionable={pending} />

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
          {r.parent && <ParentPanel parent={r.parent} />}
          {r.diff && <DiffPanel diff={r.diff} id={DIFF_ID} />}
          {def.sections.map((s, i) => (
            <DocumentSection
              key={s.id}
              section={s}
              index={i}
              values={r.data[s.id] ?? {}}
              changes={changes.get(s.id) ?? new Map()}
              fileUrl={(fileId) => reviewFileUrl(r.id, fileId)}
              traineesUrl={traineesUrl}
              marks={marks(s)}
              footer={footer(s)}
            />
          ))}
          {r.versions.length > 0 && <VersionsPanel versions={r.versions} />}
          <ReviewTimeline
            chain={r.chain}
            history={r.history}
            sections={def.sections}
            id={HISTORY_ID}
            title="审核进度与记录"
          />
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
        contactName={reviewerName}
        onOk={async (v, form) => {
          const phone = v.contactPhone.trim();
          rememberPhone(phone);
          const comments = Object.fromEntries(drafts.commented.map((k) => [k, drafts.comments[k]?.trim() ?? '']));
          await run(
            {
              action: 'return',
              comments,
              deadline: fromPlatformPicker(v.deadline.second(0).millisecond(0)),
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

/** 所属项目: the approved 申报 this one follows (开班方案 → 市级高级研修项目 …), its data readable on demand. */
function ParentPanel({ parent }: { parent: NonNullable<ApplicationReview['parent']> }) {
  const def = applicationType(parent.type);
  return (
    <section className="cpe-ar-parent" id={PARENT_ID} aria-labelledby={`${PARENT_ID}-title`}>
      <h3 className="cpe-ar-block-title" id={`${PARENT_ID}-title`}>
        所属{def?.key === 'advanced-seminar' ? '项目' : parent.label}：
        <span className="cpe-ar-number">{parent.number}</span> {parent.projectName}
      </h3>
      {def && (
        <Collapse
          size="small"
          items={[
            {
              key: 'data',
              label: `展开${parent.label}的全部内容（${def.sections.length}个填报项）`,
              children: def.sections.map((s, i) => (
                <DocumentSection
                  key={s.id}
                  nested
                  section={s}
                  index={i}
                  values={parent.data[s.id] ?? {}}
                  changes={new Map()}
                  fileUrl={(fileId) => reviewFileUrl(parent.id, fileId)}
                />
              )),
            },
          ]}
        />
      )}
    </section>
  );
}

/** 计划变化记录: each approved 计划变化 that replaced the 开班方案, oldest first, with 修改前 / 修改后 per field. */
function VersionsPanel({ versions }: { versions: ApplicationReview['versions'] }) {
  return (
    <section className="cpe-ar-versions" id={VERSIONS_ID} aria-labelledby={`${VERSIONS_ID}-title`}>
      <h3 className="cpe-ar-block-title" id={`${VERSIONS_ID}-title`}>
        计划变化记录（共{versions.length}次）
      </h3>
      {versions.map((v, i) => (
        <DiffPanel
          key={v.at}
          id={`${VERSIONS_ID}-${i}`}
          diff={v.changes}
          title={`第${i + 1}次计划变化（${formatDateTime(v.at)}生效）`}
          empty="该次计划变化未改动开班方案的内容。"
        >
          {v.reason && <p className="cpe-ar-version-reason">变化原因：{v.reason}</p>}
        </DiffPanel>
      ))}
    </section>
  );
}
