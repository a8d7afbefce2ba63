import { applicationType, classHours, displayValue, isBlank } from '@cpe/shared/applications/index';
import { Tag } from 'antd';
import type { ApplicationDetail } from '../types';
import '../filing.css';

/** The parent's facts shown above a form that follows it: `sectionId.field` of the parent's definition. */
const PARENT_FACTS: Record<string, readonly string[]> = {
  'advanced-seminar': ['basic.period', 'basic.venue', 'basic.subsidyFen'],
  'class-plan': ['basic.startDate', 'basic.endDate', 'basic.venue', 'basic.quota'],
};

/**
 * 所属项目 of a filing that follows an approved one (开班方案 → 市级高级研修项目, 计划变化 / 结业 → 开班方案):
 * its 编号, 项目名称 and the facts the filer works from, read-only.
 */
export function ParentContext({ detail }: { detail: ApplicationDetail }) {
  const parent = detail.parent;
  if (!parent) return null;
  const def = applicationType(parent.type);
  const facts = (PARENT_FACTS[parent.type] ?? []).flatMap((key) => {
    const [sectionId = '', name = ''] = key.split('.');
    const field = def?.sections.find((s) => s.id === sectionId)?.fields.find((f) => f.name === name);
    const value = parent.data[sectionId]?.[name];
    return field && !isBlank(value) ? [{ key, label: field.label, text: displayValue(field, value) }] : [];
  });
  const hours = parent.type === 'class-plan' ? classHours(parent.data) : 0;
  return (
    <section className="cpe-filing-parent" aria-label="所属项目" data-testid="parent-context">
      <div className="cpe-filing-parent-line">
        <span>
          所属项目：<span className="cpe-filing-parent-name">{parent.projectName || '（未填写项目名称）'}</span>
        </span>
        <span>编号：{parent.number ?? '—'}</span>
        <Tag color="success">{parent.label}已审核通过</Tag>
      </div>
      {(facts.length > 0 || hours > 0) && (
        <div className="cpe-filing-parent-facts">
          {facts.map((f) => (
            <span key={f.key}>
              {f.label}：{f.text}
            </span>
          ))}
          {hours > 0 && <span>学时：{hours}学时</span>}
        </div>
      )}
    </section>
  );
}
