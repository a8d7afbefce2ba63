import type { SectionDef } from '@cpe/shared/applications/index';
import { Empty, Timeline } from 'antd';
import { formatDateTime } from '../../../../shared/format';
import type { ReviewRound } from '../api-review';

const COLORS: Record<ReviewRound['action'], string> = {
  submit: 'blue',
  resubmit: 'blue',
  withdraw: 'gray',
  return: 'orange',
  approve: 'green',
  reject: 'red',
};

/** 审核记录: submissions, returns with their comments per section, and the decision, oldest first. */
export function ReviewTimeline({
  history,
  sections,
  id,
}: {
  history: ReviewRound[];
  sections: readonly SectionDef[];
  id: string;
}) {
  return (
    <section className="cpe-ar-history" id={id} aria-labelledby={`${id}-title`}>
      <h3 className="cpe-ar-block-title" id={`${id}-title`}>
        审核记录
      </h3>
      {history.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无审核记录" />
      ) : (
        <Timeline
          items={history.map((h, i) => ({
            key: `${h.at}-${i}`,
            color: COLORS[h.action],
            content: (
              <div className="cpe-ar-history-item">
                <div className="cpe-ar-history-head">
                  <span className="cpe-ar-history-action">{h.actionLabel}</span>
                  {h.round > 1 && (h.action === 'submit' || h.action === 'resubmit') && (
                    <span className="cpe-muted">（第{h.round}次提交）</span>
                  )}
                  <span className="cpe-muted">{formatDateTime(h.at)}</span>
                </div>
                <div className="cpe-muted">{[h.departmentName, h.actorName].filter(Boolean).join(' · ')}</div>
                {h.action === 'return' && (
                  <>
                    <div className="cpe-ar-history-meta">
                      {h.deadline && <span>修改截止时间：{formatDateTime(h.deadline)}</span>}
                      {h.contactName && <span>联系人：{h.contactName}</span>}
                      {h.contactPhone && <span>联系电话：{h.contactPhone}</span>}
                    </div>
                    <ul className="cpe-ar-history-comments">
                      {sections
                        .filter((s) => h.comments[s.id])
                        .map((s) => (
                          <li key={s.id}>
                            <span className="cpe-ar-history-section">{s.title}：</span>
                            {h.comments[s.id]}
                          </li>
                        ))}
                    </ul>
                  </>
                )}
                {h.reason && (
                  <div className={h.action === 'reject' ? 'cpe-ar-history-reason is-reject' : 'cpe-ar-history-reason'}>
                    {h.action === 'reject' ? '原因：' : '审核意见：'}
                    {h.reason}
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
