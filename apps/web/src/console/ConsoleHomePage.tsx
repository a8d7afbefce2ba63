import { STAFF_ROLE_LABELS } from '@cpe/shared/schemas/identity';
import type { TTodoItem, TTodoList } from '@cpe/shared/schemas/todos';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Row, Skeleton, Tag } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useSite } from '../features/identity/api';
import { useStaffMe } from '../features/identity/staff-api';
import { api, toApiError } from '../shared/api/client';
import { formatDateTime } from '../shared/format';
import { usePageTitle } from '../shared/usePageTitle';

export function ConsoleHomePage() {
  const me = useStaffMe().data;
  const site = useSite().data;
  usePageTitle('首页', site?.staffConsoleName);

  return (
    <div className="cpe-console-page">
      <h1 className="cpe-console-page-title">首页</h1>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card title="欢迎" size="small">
            <p className="cpe-welcome">
              {me?.displayName}，您好！当前身份：{me?.roles.map((r) => STAFF_ROLE_LABELS[r] ?? r).join('、') || '无'}
            </p>
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <TodoCard />
        </Col>
      </Row>
    </div>
  );
}

/**
 * 待办事项: every queue waiting for this staff member (by role and bureau), as the server's registry counts them.
 * Queues with something waiting come first as lines with 去处理; the empty ones are named in one muted line.
 */
function TodoCard() {
  const todos = useQuery({
    queryKey: ['todos'],
    queryFn: () => api.get<TTodoList>('/api/todos'),
    retry: false,
  });
  const retry = (
    <Button size="small" loading={todos.isFetching} onClick={() => todos.refetch()}>
      重试
    </Button>
  );

  return (
    <Card
      title="待办事项"
      size="small"
      className="cpe-todos"
      extra={todos.data && <span className="cpe-todo-time">更新于 {formatDateTime(todos.data.generatedAt)}</span>}
    >
      {todos.isPending ? (
        <Skeleton active title={false} paragraph={{ rows: 4 }} />
      ) : todos.isError ? (
        <Alert
          type="error"
          showIcon
          title="待办事项加载失败"
          description={toApiError(todos.error).message}
          action={retry}
        />
      ) : (
        <TodoBody list={todos.data} retry={retry} />
      )}
    </Card>
  );
}

function TodoBody({ list, retry }: { list: TTodoList; retry: ReactNode }) {
  const waiting = list.items.filter((i) => i.count > 0);
  const idle = list.items.filter((i) => i.count === 0);
  return (
    <>
      {list.unavailable.length > 0 && (
        <Alert
          className="cpe-todo-alert"
          type="warning"
          showIcon
          title={`以下待办暂时无法统计：${list.unavailable.join('、')}`}
          action={retry}
        />
      )}
      {waiting.length > 0 ? (
        <ul className="cpe-todo-list">
          {waiting.map((item) => (
            <TodoLine key={item.key} item={item} />
          ))}
        </ul>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无待办事项" className="cpe-todo-empty" />
      )}
      {idle.length > 0 && (
        <p className="cpe-todo-idle">
          <span className="cpe-todo-idle-title">无待办：</span>
          {idle.map((i) => i.label.split(' · ')[0]).join('、')}
        </p>
      )}
    </>
  );
}

function TodoLine({ item }: { item: TTodoItem }) {
  return (
    <li className="cpe-todo-item" data-todo={item.key}>
      <span className="cpe-todo-label">{item.label}</span>
      <span className="cpe-todo-figures">
        <span className="cpe-todo-count">
          <strong>{item.count}</strong> 件
        </span>
        {item.overdue ? (
          <Tag color="red" className="cpe-todo-overdue">
            超期 {item.overdue}
          </Tag>
        ) : null}
      </span>
      <Link to={item.href} aria-label={`去处理：${item.label}`}>
        <Button type="primary" size="small" tabIndex={-1}>
          去处理
        </Button>
      </Link>
    </li>
  );
}
