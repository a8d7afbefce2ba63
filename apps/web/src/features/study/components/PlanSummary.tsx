import { CheckCircleFilled } from '@ant-design/icons';
import type { TStudyPlan } from '@cpe/shared/schemas/study';
import { Button, Progress } from 'antd';
import { Link } from 'react-router';

/** The plan's 学分要求 and 计划完成度 above its courses. */
export function PlanSummary({ plan }: { plan: TStudyPlan }) {
  return (
    <section className="cpe-study-summary" aria-label="项目完成情况">
      <div className="cpe-study-summary-main">
        <h1 className="cpe-study-title">{plan.name}</h1>
        <p className="cpe-study-summary-facts">
          <span>
            学分要求 <strong>{plan.requiredHours}</strong> 学时
          </span>
          <span>
            已获 <strong>{plan.creditedHours}</strong> 学时
          </span>
          <span>
            已完成课程 <strong>{plan.completedCourses}</strong> / {plan.courseCount}
          </span>
        </p>
      </div>
      <div className="cpe-study-summary-progress">
        <span className="cpe-study-label">计划完成度</span>
        <Progress percent={plan.percent} status={plan.completedAt ? 'success' : 'active'} />
        {plan.certificate && (
          <p className="cpe-study-summary-done">
            <CheckCircleFilled /> 已达到学分要求，
            <Link to="/certificates">
              <Button type="link" size="small" className="cpe-study-inline-link">
                查看我的证书
              </Button>
            </Link>
          </p>
        )}
      </div>
    </section>
  );
}
