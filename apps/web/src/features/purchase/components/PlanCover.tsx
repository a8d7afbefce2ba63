import { ReadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { planCoverUrl } from '../api';
import type { Plan } from '../types';

/**
 * 封面: the plan's picture, or (none uploaded, or it failed to load) a drawn banner with the year, so a
 * card never shows a broken image.
 */
export function PlanCover({ plan, variant = 'card' }: { plan: Plan; variant?: 'card' | 'banner' }) {
  const [failed, setFailed] = useState(false);
  const className = `cpe-buy-cover is-${variant}`;
  if (plan.coverFileId && !failed)
    return (
      <div className={className}>
        <img src={planCoverUrl(plan.id)} alt={`${plan.name}封面`} loading="lazy" onError={() => setFailed(true)} />
      </div>
    );
  return (
    <div className={`${className} is-placeholder`} role="img" aria-label={`${plan.name}封面`}>
      <span className="cpe-buy-cover-year">{plan.year}</span>
      <span className="cpe-buy-cover-title">
        <ReadOutlined /> 公需科目培训
      </span>
      <span className="cpe-buy-cover-sub">专业技术人员继续教育</span>
    </div>
  );
}
