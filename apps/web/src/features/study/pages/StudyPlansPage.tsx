import { CheckCircleFilled, ReadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { TStudyPlan } from '@cpe/shared/schemas/study';
import { Breadcrumb, Button, Empty, Progress, Tag } from 'antd';
import { Link, useNavigate } from 'react-router';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useStudyPlans } from '../api';
import { StudyLoadError } from '../components/common';
import '../study.css';

function PlanCard({ plan }: { plan: TStudyPlan }) {
  const navigate = useNavigate();
  const done = Boolean(plan.completedAt);
  return (
    <article className="cpe-study-plan" data-plan-id={plan.planId}>
      <div className="cpe-study-plan-head">
        <h2 className="cpe-study-plan-name">{plan.name}</h2>
        {done && (
          <Tag color="success" icon={<CheckCircleFilled />}>
            已完成
          </Tag>
        )}
      </div>
      <dl className="cpe-study-plan-facts">
        <div>
          <dt>学分要求</dt>
          <dd>{plan.requiredHours} 学时</dd>
        </div>
        <div>
          <dt>已获学时</dt>
          <dd>{plan.creditedHours} 学时</dd>
        </div>
        <div>
          <dt>已完成课程</dt>
          <dd>
            {plan.completedCourses}/{plan.courseCount} 门
          </dd>
        </div>
      </dl>
      <div className="cpe-study-plan-progress">
        <span className="cpe-study-label">计划完成度</span>
        <Progress
          percent={plan.percent}
          status={done ? 'success' : 'active'}
          aria-label={`计划完成度 ${plan.percent}%`}
        />
      </div>
      <div className="cpe-study-plan-actions">
        <Button type="primary" icon={<ReadOutlined />} onClick={() => navigate(`/study/plans/${plan.planId}`)}>
          进入学习
        </Button>
        {plan.certificate && (
          <Button icon={<SafetyCertificateOutlined />} onClick={() => navigate('/certificates')}>
            我的证书
          </Button>
        )}
      </div>
    </article>
  );
}

/** 课程培训: the plans I bought, with 学分要求 and 计划完成度, and 进入学习. */
export function StudyPlansPage() {
  const site = useSite().data;
  usePageTitle('课程培训', site?.name);
  const plans = useStudyPlans();
  const items = plans.data?.items ?? [];
  return (
    <div className="cpe-study-page">
      <Breadcrumb
        className="cpe-study-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: '在线学习中心' }, { title: '课程培训' }]}
      />
      <header className="cpe-study-hero">
        <h1 className="cpe-study-title">课程培训</h1>
        <p className="cpe-study-lead">
          通过“学分要求”和“计划完成度”查看项目完成情况。一个课程有多个章节，需要学习完每个章节才可获得学分；平台已开启防挂机功能，学习过程中请注意答题。
          也可以<Link to="/mobile-study">用手机学习</Link>。
        </p>
      </header>
      {plans.isPending ? (
        <PageSpin />
      ) : plans.isError ? (
        <StudyLoadError error={plans.error} onRetry={() => plans.refetch()} />
      ) : items.length === 0 ? (
        <div className="cpe-study-panel">
          <Empty description="您还没有已购买的学习计划">
            <Link to="/gxkm">
              <Button type="primary">去公需科目购买</Button>
            </Link>
          </Empty>
        </div>
      ) : (
        <div className="cpe-study-plans">
          {items.map((p) => (
            <PlanCard key={p.enrollmentId} plan={p} />
          ))}
        </div>
      )}
    </div>
  );
}
