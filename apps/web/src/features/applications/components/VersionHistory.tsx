import { Empty } from 'antd';
import { formatDateTime } from '../../../shared/format';
import type { ApplicationDetail } from '../types';
import '../filing.css';

/**
 * 计划变化记录 of a 开班方案: each approved 计划变化, oldest first, with what it changed (修改前 / 修改后).
 * The 开班方案 shown above is the one in force.
 */
export function VersionHistory({ versions }: { versions: ApplicationDetail['versions'] }) {
  return (
    <section className="cpe-filing-versions" aria-labelledby="plan-versions" data-testid="plan-versions">
      <h3 className="cpe-filing-heading" id="plan-versions">
        计划变化记录
      </h3>
      {versions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无计划变化，以上为审核通过的开班方案" />
      ) : (
        versions.map((v, i) => (
          <div key={v.at} className="cpe-filing-version">
            <div className="cpe-filing-version-head">
              <span>第{i + 1}次变化</span>
              <span>审核通过时间：{formatDateTime(v.at)}</span>
              {v.reason && <span>依据：{v.reason}</span>}
            </div>
            <div className="cpe-filing-scroll">
              <table className="cpe-filing-grid">
                <thead>
                  <tr>
                    <th scope="col">填报项</th>
                    <th scope="col">内容</th>
                    <th scope="col">修改前</th>
                    <th scope="col">修改后</th>
                  </tr>
                </thead>
                <tbody>
                  {v.changes.map((c) => (
                    <tr key={`${c.sectionId}.${c.field}`}>
                      <td>{c.sectionTitle}</td>
                      <td>{c.label}</td>
                      <td className="cpe-filing-before cpe-app-pre">{c.before || '（空）'}</td>
                      <td className="cpe-filing-after cpe-app-pre">{c.after || '（空）'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))
      )}
    </section>
  );
}
