import type { SectionDef } from '@cpe/shared/applications/index';
import { Empty, Steps, type StepsProps, Timeline } from 'antd';
import { formatDateTime } from '../../../shared/format';
import type { ApplicationDetail, ReviewRound } from '../types';
import './review-timeline.css';

type ChainStep = ApplicationDetail['chain'][number];
type StepItem = NonNullable<StepsProps['items']>[number];

const COLORS: Record<ReviewRound['action'], string> = {
  submit: 'blue',
  resubmit: 'blue',
  withdraw: 'gray',
  return: 'orange',
  approve: 'green',
  reject: 'red',
  amend: 'purple',
};

const STEP_STATUS: Record<ChainStep['state'], NonNullable<StepItem['status']>> = {
  done: 'finish',
  current: 'process',
  waiting: 'wait',
  returned: 'error',
  rejected: 'error',
};
const STEP_TEXT: Record<ChainStep['state'], string> = {
  done: '审核通过',
  current: '审核中',
  waiting: '待审核',
  returned: '已退回修改',
  rejected: '审核不通过',
};

const REVIEW_ACTIONS: ReadonlySet<ReviewRound['action']> = new Set(['return', 'approve', 'reject']);

/** When a level last acted (its 通过, 退回 or 不通过), shown under its step. */
function lastActAt(history: ReviewRound[], level: ChainStep['level']): string | null {
  return history.findLast((h) => h.level === level && REVIEW_ACTIONS.has(h.action))?.at ?? null;
}

/**
 * 审核进度 and 审核记录: the review chain as steps (申报单位 → 主管部门 → 区县人社局 → 市人社局, the step reviewing now
 * highlighted), then every round oldest first — who (department, person), when (Asia/Shanghai), what, the
 * 修改意见 per section, the reason. Used by the reviewers' pages and the filer's 申报书.
 */
export function ReviewTimeline({
  chain,
  history,
  sections,
  id,
  title = '审核记录',
}: {
  chain: ApplicationDetail['chain'];
  history: ReviewRound[];
  sections: readonly SectionDef[];
  /** Anchor of the block (the review page's 目录 links to it). */
  id?: string;
  title?: string;
}) {
  const submitted = history.some((h) => h.action === 'submit' || h.action === 'resubmit');
  const returned = chain.some((c) => c.state === 'returned');
  const withdrawn = history.at(-1)?.action === 'withdraw';
  const items: StepItem[] = [
    {
      title: '申报单位提交',
      status: returned || withdrawn ? 'process' : submitted ? 'finish' : 'wait',
      content: returned ? '修改后重新提交' : withdrawn ? '已撤回' : submitted ? '已提交' : '未提交',
    },
    ...chain.map(
      (c): StepItem => ({
        title: c.levelLabel,
        status: STEP_STATUS[c.state],
        content: (
          <div className="cpe-rt-step">
            <div className="cpe-rt-step-name">{c.name}</div>
            <div className={`cpe-rt-step-state is-${c.state}`}>{STEP_TEXT[c.state]}</div>
            {(c.state === 'done' || c.state === 'returned' || c.state === 'rejected') && (
              <div className="cpe-rt-step-at">{formatDateTime(lastActAt(history, c.level))}</div>
            )}
          </div>
        ),
      }),
    ),
  ];
  const currentIndex = chain.findIndex(
    (c) => c.state === 'current' || c.state === 'returned' || c.state === 'rejected',
  );
  const current = returned || withdrawn ? 0 : currentIndex >= 0 ? currentIndex + 1 : items.length - 1;
  const titleId = id ? `${id}-title` : undefined;

  return (
    <section className="cpe-rt" id={id} aria-labelledby={titleId} aria-label={titleId ? undefined : title}>
      <h3 className="cpe-rt-title" id={titleId}>
        {title}
      </h3>
      {chain.length > 0 && (
        <div className="cpe-rt-steps" data-testid="review-chain">
          <Steps size="small" current={current} items={items} responsive />
        </div>
      )}
      {history.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无审核记录" />
      ) : (
        <Timeline
          className="cpe-rt-list"
          items={history.map((h, i) => ({
            key: `${h.at}-${i}`,
            color: COLORS[h.action] ?? 'gray',
            content: <Round round={h} sections={sections} />,
          }))}
        />
      )}
    </section>
  );
}

function Round({ round: h, sections }: { round: ReviewRound; sections: readonly SectionDef[] }) {
  const submission = h.action === 'submit' || h.action === 'resubmit';
  const review = REVIEW_ACTIONS.has(h.action);
  const who = [review ? h.levelLabel : null, h.departmentName, h.actorName].filter(Boolean);
  // Comments of sections the type no longer has still show, under their key.
  const known = new Set(sections.map((s) => s.id));
  const comments = [
    ...sections.filter((s) => h.comments[s.id]?.trim()).map((s) => ({ key: s.id, title: s.title })),
    ...Object.keys(h.comments)
      .filter((k) => !known.has(k) && h.comments[k]?.trim())
      .map((k) => ({ key: k, title: k })),
  ];
  const reasonLabel = h.action === 'reject' ? '原因：' : h.action === 'amend' ? '说明：' : '审核意见：';
  return (
    <div className="cpe-rt-item" data-action={h.action}>
      <div className="cpe-rt-head">
        <span className="cpe-rt-action">{h.actionLabel}</span>
        {submission && h.round > 1 && <span className="cpe-muted">（第{h.round}次提交）</span>}
        {submission && h.levelLabel && <span className="cpe-muted">提交至{h.levelLabel}</span>}
        <time className="cpe-muted" dateTime={h.at}>
          {formatDateTime(h.at)}
        </time>
      </div>
      {who.length > 0 && <div className="cpe-rt-who">{who.join(' · ')}</div>}
      {h.action === 'return' && (h.deadline || h.contactName || h.contactPhone) && (
        <div className="cpe-rt-meta">
          {h.deadline && <span>修改截止时间：{formatDateTime(h.deadline)}</span>}
          {h.contactName && <span>联系人：{h.contactName}</span>}
          {h.contactPhone && <span>联系电话：{h.contactPhone}</span>}
        </div>
      )}
      {comments.length > 0 && (
        <ul className="cpe-rt-comments" aria-label="修改意见">
          {comments.map((c) => (
            <li key={c.key}>
              <span className="cpe-rt-section">{c.title}：</span>
              {h.comments[c.key]}
            </li>
          ))}
        </ul>
      )}
      {h.reason && (
        <div className={h.action === 'reject' ? 'cpe-rt-reason is-reject' : 'cpe-rt-reason'}>
          {reasonLabel}
          {h.reason}
        </div>
      )}
    </div>
  );
}
