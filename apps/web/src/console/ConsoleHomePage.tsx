import { STAFF_ROLE_LABELS } from '@cpe/shared/schemas/identity';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Statistic } from 'antd';
import { Link } from 'react-router';
import { useSite } from '../features/identity/api';
import { useStaffMe } from '../features/identity/staff-api';
import type { ManualRecoveryList, RealnameReviewList } from '../features/identity/types';
import { api } from '../shared/api/client';
import { usePageTitle } from '../shared/usePageTitle';

export function ConsoleHomePage() {
  const me = useStaffMe().data;
  const site = useSite().data;
  usePageTitle('首页', site?.staffConsoleName);
  const pending = useQuery({
    queryKey: ['manual-recoveries', 'pending', 'count'],
    queryFn: () => api.get<ManualRecoveryList>('/api/manual-recoveries?status=pending&page=1&pageSize=1'),
    retry: false,
  });
  const pendingRealname = useQuery({
    queryKey: ['realname-reviews', 'pending', 'count'],
    queryFn: () => api.get<RealnameReviewList>('/api/realname-reviews?status=pending&page=1&pageSize=1'),
    retry: false,
  });

  return (
    <div className="cpe-console-page">
      <h1 className="cpe-console-page-title">首页</h1>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title="欢迎" size="small">
            <p className="cpe-welcome">
              {me?.displayName}，您好！当前身份：{me?.roles.map((r) => STAFF_ROLE_LABELS[r] ?? r).join('、') || '无'}
            </p>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="待办事项" size="small">
            <Statistic
              title="待处理的人工找回申请"
              value={pending.data?.total ?? '-'}
              suffix={pending.data ? '件' : undefined}
            />
            <Link to="/recoveries?status=pending">
              <Button type="primary" size="small" className="cpe-todo-button">
                去处理
              </Button>
            </Link>
            <Statistic
              className="cpe-todo-next"
              title="待审核的实名申请"
              value={pendingRealname.data?.total ?? '-'}
              suffix={pendingRealname.data ? '件' : undefined}
            />
            <Link to="/realname-reviews">
              <Button type="primary" size="small" className="cpe-todo-button">
                去审核
              </Button>
            </Link>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
