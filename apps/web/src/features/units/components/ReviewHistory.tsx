import { Empty, Timeline } from 'antd';
import { formatDateTime } from '../../../shared/format';
import type { UnitApplicationEvent } from '../types';

const EVENT: Record<UnitApplicationEvent['action'], { label: string; color: string }> = {
  submit: { label: '提交申请', color: 'blue' },
  resubmit: { label: '修改后重新提交', color: 'blue' },
  approve: { label: '审核通过', color: 'green' },
  reject: { label: '审核未通过', color: 'red' },
};

/** 审核记录: every submission and decision, oldest first. */
export function ReviewHistory({ events, title = '审核记录' }: { events: UnitApplicationEvent[]; title?: string }) {
  return (
    <section className="cpe-unit-history" aria-label={title}>
      <h3 className="cpe-unit-section-title">{title}</h3>
      {events.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无审核记录" />
      ) : (
        <Timeline
          items={events.map((e, i) => ({
            key: `${e.at}-${i}`,
            color: EVENT[e.action].color,
            content: (
              <div className="cpe-unit-history-body">
                <div className="cpe-unit-history-title">
                  {EVENT[e.action].label}
                  {e.round > 1 && <span className="cpe-muted">（第{e.round}次提交）</span>}
                </div>
                <div className="cpe-muted">
                  {formatDateTime(e.at)}
                  {'　'}
                  {e.reviewerName && e.reviewerName !== e.actorName ? `${e.reviewerName} · ` : ''}
                  {e.actorName}
                </div>
                {e.reason && (
                  <div
                    className={e.action === 'reject' ? 'cpe-unit-history-reason is-reject' : 'cpe-unit-history-reason'}
                  >
                    {e.action === 'reject' ? '原因：' : '审核意见：'}
                    {e.reason}
                  </div>
                )}
              </div>
            ),
          }))}
        />
      )}
    </section>
  );
}
