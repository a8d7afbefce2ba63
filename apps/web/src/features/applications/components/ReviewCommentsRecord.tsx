import { Descriptions } from 'antd';
import { formatDateTime } from '../../../shared/format';
import type { ReviewRound } from '../types';
import '../applications.css';

/** The 退回修改 rounds that commented on a section, newest first. */
export function commentRounds(history: ReviewRound[], sectionId: string): ReviewRound[] {
  return history.filter((r) => r.action === 'return' && (r.comments[sectionId] ?? '').trim() !== '').reverse();
}

/**
 * 修改意见记录 at the foot of a section: every 退回修改 that commented on it, as the seed lays it out
 * (审核部门, 审核时间, 联系人, 联系电话, 审核操作, 修改意见). Nothing when the section was never commented.
 */
export function ReviewCommentsRecord({ history, sectionId }: { history: ReviewRound[]; sectionId: string }) {
  const rounds = commentRounds(history, sectionId);
  if (rounds.length === 0) return null;
  return (
    <section className="cpe-app-record" aria-label="修改意见记录" data-testid="review-comments-record">
      <h3 className="cpe-app-record-title">修改意见记录</h3>
      {rounds.map((r) => (
        <Descriptions
          key={`${r.round}-${r.at}`}
          className="cpe-app-record-round"
          bordered
          size="small"
          column={{ xs: 1, sm: 1, md: 2 }}
          styles={{ label: { width: 96 } }}
          items={[
            { key: 'department', label: '审核部门', children: r.departmentName ?? '' },
            { key: 'at', label: '审核时间', children: formatDateTime(r.at) },
            { key: 'contact', label: '联系人', children: r.contactName ?? '' },
            { key: 'phone', label: '联系电话', children: r.contactPhone ?? '' },
            { key: 'action', label: '审核操作', children: r.actionLabel, span: 'filled' },
            {
              key: 'comment',
              label: '修改意见',
              span: 'filled',
              children: <div className="cpe-app-pre">{r.comments[sectionId]}</div>,
            },
          ]}
        />
      ))}
    </section>
  );
}
