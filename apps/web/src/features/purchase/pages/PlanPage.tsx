import {
  CheckCircleFilled,
  ClockCircleOutlined,
  RightOutlined,
  TeamOutlined,
  UserOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Table, Tag } from 'antd';
import type { ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useMe, useSite } from '../../identity/api';
import { usePlan } from '../api';
import { LoadError, Money, StudyButton } from '../components/common';
import { PlanCover } from '../components/PlanCover';
import { formatSalePeriod } from '../format';
import type { PlanForMe } from '../types';
import '../purchase.css';

/** One of the two big choices; its accessible name is just the choice (个人购买 / 团体购买). */
function Choice({
  id,
  icon,
  name,
  desc,
  to,
  disabled,
}: {
  id: string;
  icon: ReactNode;
  name: string;
  desc: string;
  to: string;
  disabled?: boolean;
}) {
  const navigate = useNavigate();
  return (
    <button
      type="button"
      className="cpe-buy-choice"
      aria-label={name}
      aria-describedby={`${id}-desc`}
      disabled={disabled}
      onClick={() => navigate(to)}
    >
      <span className="cpe-buy-choice-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="cpe-buy-choice-text">
        <span className="cpe-buy-choice-name">{name}</span>
        <span className="cpe-buy-choice-desc" id={`${id}-desc`}>
          {desc}
        </span>
      </span>
      <RightOutlined className="cpe-buy-choice-go" aria-hidden="true" />
    </button>
  );
}

function PurchaseChoices({ plan, loggedIn }: { plan: PlanForMe; loggedIn: boolean }) {
  const navigate = useNavigate();
  const mine = plan.mine;
  const base = `/gxkm/plans/${plan.id}`;
  const closed = !plan.onSale;

  let individual: ReactNode = (
    <Choice
      id="cpe-choice-individual"
      icon={<UserOutlined />}
      name="个人购买"
      desc="为本人购买，核实项目信息后提交订单并在线支付"
      to={`${base}/order`}
      disabled={closed}
    />
  );
  if (mine?.enrolled)
    individual = (
      <div className="cpe-buy-choice is-done" role="status">
        <span className="cpe-buy-choice-icon" aria-hidden="true">
          <CheckCircleFilled />
        </span>
        <span className="cpe-buy-choice-text">
          <span className="cpe-buy-choice-name">已购买</span>
          <span className="cpe-buy-choice-desc">您已购买该培训项目，可在“课程培训”中进入学习</span>
        </span>
        <StudyButton planId={plan.id} />
      </div>
    );
  else if (mine?.pendingInGroup)
    individual = (
      <div className="cpe-buy-choice is-open" role="status">
        <span className="cpe-buy-choice-icon" aria-hidden="true">
          <TeamOutlined />
        </span>
        <span className="cpe-buy-choice-text">
          <span className="cpe-buy-choice-name">单位团购待支付</span>
          <span className="cpe-buy-choice-desc">您已被列入他人提交的团购订单，待购买人完成支付后即可学习</span>
        </span>
      </div>
    );
  else if (mine?.openOrderId)
    individual = (
      <div className="cpe-buy-choice is-open" role="status">
        <span className="cpe-buy-choice-icon" aria-hidden="true">
          <ClockCircleOutlined />
        </span>
        <span className="cpe-buy-choice-text">
          <span className="cpe-buy-choice-name">待支付</span>
          <span className="cpe-buy-choice-desc">您有该项目的待支付订单，请在有效期内完成支付</span>
        </span>
        <Button type="primary" onClick={() => navigate(`/orders/${mine.openOrderId}`)}>
          去支付
        </Button>
      </div>
    );

  return (
    <section className="cpe-buy-panel" aria-labelledby="cpe-choose-title">
      <h2 className="cpe-buy-section-title" id="cpe-choose-title">
        选择购买方式
      </h2>
      {closed && (
        <Alert
          className="cpe-buy-alert"
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          title="该培训项目当前不在销售期，暂不能购买。"
        />
      )}
      {!loggedIn && !closed && (
        <Alert
          className="cpe-buy-alert"
          type="info"
          showIcon
          title={
            <>
              购买前请先<Link to={`/login?redirect=${encodeURIComponent(base)}`}>登录</Link>
              ，选择购买方式后将引导您登录。
            </>
          }
        />
      )}
      <div className="cpe-buy-choices">
        {individual}
        <Choice
          id="cpe-choice-group"
          icon={<TeamOutlined />}
          name="团体购买"
          desc="单位专人为多名学员统一下单，输入学员身份证号码即可"
          to={`${base}/group`}
          disabled={closed}
        />
      </div>
    </section>
  );
}

/** 项目购买页面 (public; the standing needs a login): the plan, its courses, 个人购买 / 团体购买. */
export function PlanPage() {
  const { id = '' } = useParams();
  const site = useSite().data;
  const meQuery = useMe();
  const loggedIn = Boolean(meQuery.data);
  const plan = usePlan(id, loggedIn);
  usePageTitle(plan.data?.name ?? '项目购买', site?.name);

  const crumbs = (name?: string) => (
    <Breadcrumb
      className="cpe-buy-breadcrumb"
      items={[
        { title: <Link to="/">首页</Link> },
        { title: <Link to="/gxkm">公需科目</Link> },
        { title: name ?? '项目购买' },
      ]}
    />
  );

  if (meQuery.isPending || plan.isPending) return <PageSpin />;
  if (plan.isError)
    return (
      <div className="cpe-buy-page">
        {crumbs()}
        <LoadError
          error={plan.error}
          onRetry={() => plan.refetch()}
          extra={
            <Link to="/gxkm">
              <Button type="primary">返回公需科目</Button>
            </Link>
          }
        />
      </div>
    );

  const p = plan.data;
  const totalHours = p.courses.reduce((sum, c) => sum + c.hours, 0);
  return (
    <div className="cpe-buy-page">
      {crumbs(p.name)}
      <section className="cpe-buy-panel cpe-buy-plan">
        <PlanCover plan={p} variant="banner" />
        <div className="cpe-buy-plan-info">
          <h1 className="cpe-buy-plan-name">{p.name}</h1>
          <div className="cpe-buy-plan-tags">
            <Tag color="blue">{p.year}年度</Tag>
            {p.onSale ? <Tag color="green">销售中</Tag> : <Tag>不在销售期</Tag>}
            {p.mine?.enrolled && (
              <Tag color="success" icon={<CheckCircleFilled />}>
                已购买
              </Tag>
            )}
          </div>
          <div className="cpe-buy-plan-price">
            <span className="cpe-buy-plan-price-label">价格</span>
            <Money fen={p.priceFen} strong />
            <span className="cpe-muted">/ 人</span>
          </div>
          <dl className="cpe-buy-plan-facts">
            <div>
              <dt>要求学时</dt>
              <dd>{p.requiredHours} 学时</dd>
            </div>
            <div>
              <dt>课程</dt>
              <dd>
                {p.courses.length} 门，共 {totalHours} 学时
              </dd>
            </div>
            <div>
              <dt>销售期</dt>
              <dd>{formatSalePeriod(p.saleFrom, p.saleTo)}</dd>
            </div>
          </dl>
        </div>
      </section>

      <PurchaseChoices plan={p} loggedIn={loggedIn} />

      <div className="cpe-buy-plan-grid">
        <section className="cpe-buy-panel" aria-labelledby="cpe-courses-title">
          <h2 className="cpe-buy-section-title" id="cpe-courses-title">
            课程列表
          </h2>
          <Table
            className="cpe-buy-courses"
            size="middle"
            pagination={false}
            dataSource={p.courses.map((c, i) => ({ ...c, key: i }))}
            locale={{ emptyText: '课程安排即将公布' }}
            columns={[
              { title: '序号', key: 'index', width: 64, align: 'center', render: (_v, _c, i) => i + 1 },
              { title: '课程名称', dataIndex: 'title' },
              { title: '学时', dataIndex: 'hours', width: 80, align: 'center' },
            ]}
            summary={() =>
              p.courses.length > 0 ? (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} colSpan={2} align="right">
                    合计
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="center">
                    {totalHours}
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              ) : null
            }
          />
        </section>
        <section className="cpe-buy-panel" aria-labelledby="cpe-desc-title">
          <h2 className="cpe-buy-section-title" id="cpe-desc-title">
            项目说明
          </h2>
          <p className="cpe-buy-desc">{p.description || '暂无说明'}</p>
        </section>
      </div>
    </div>
  );
}
