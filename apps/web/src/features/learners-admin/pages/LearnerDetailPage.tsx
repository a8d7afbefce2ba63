import { EyeOutlined, KeyOutlined, UnlockOutlined } from '@ant-design/icons';
import { ORDER_KIND_LABELS, ORDER_STATUS_LABELS } from '@cpe/shared/labels/purchase';
import {
  CREDIT_PROFESSIONAL_MIN,
  CREDIT_YEARLY_TARGET,
  type TCreditEntry,
  type TCreditYear,
} from '@cpe/shared/schemas/credits';
import { ID_TYPE_LABELS, idNumberLabel } from '@cpe/shared/validators/id-document';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Descriptions,
  Empty,
  Progress,
  Result,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useStaffMe } from '../../identity/staff-api';
import { ORDER_STATUS_COLORS, signedFen } from '../../purchase-admin/components/OrderDetailDrawer';
import { useLearner, useLearnerCredits, useResetLearnerPassword, useRevealLearner, useUnlockLearner } from '../api';
import type { LearnerDetail } from '../types';
import { LockTag } from './LearnersPage';

type Order = LearnerDetail['orders'][number];
type Enrollment = LearnerDetail['enrollments'][number];
type Certificate = LearnerDetail['certificates'][number];

const mono = { fontVariantNumeric: 'tabular-nums' } as const;
const time = (v: string | null) => (v ? formatDateTime(v) : '—');

const ORDER_COLUMNS: ColumnsType<Order> = [
  {
    title: '订单号',
    dataIndex: 'orderNo',
    width: 180,
    render: (v: string) => (
      <Link to={`/orders-admin?orderNo=${encodeURIComponent(v)}`} style={mono}>
        {v}
      </Link>
    ),
  },
  { title: '学习计划', dataIndex: 'planName', ellipsis: true },
  {
    title: '购买方式',
    dataIndex: 'kind',
    width: 120,
    render: (v: Order['kind'], r) => (
      <>
        {ORDER_KIND_LABELS[v]}
        {r.role === 'member' && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            （被购买）
          </Typography.Text>
        )}
      </>
    ),
  },
  { title: '金额', dataIndex: 'amountFen', width: 100, align: 'right', render: (v: number) => signedFen(v) },
  {
    title: '状态',
    dataIndex: 'status',
    width: 84,
    render: (s: Order['status']) => <Tag color={ORDER_STATUS_COLORS[s]}>{ORDER_STATUS_LABELS[s]}</Tag>,
  },
  { title: '下单时间', dataIndex: 'createdAt', width: 160, render: time },
  { title: '支付时间', dataIndex: 'paidAt', width: 160, render: time },
];

const ENROLLMENT_COLUMNS: ColumnsType<Enrollment> = [
  { title: '学习计划', dataIndex: 'planName', ellipsis: true },
  { title: '年度', dataIndex: 'year', width: 70 },
  {
    title: '学时',
    key: 'hours',
    width: 260,
    render: (_v, r) => (
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <Progress
          percent={Math.min(100, Math.floor((r.creditedHours * 100) / Math.max(1, r.requiredHours)))}
          size="small"
          status={r.completed ? 'success' : 'active'}
          style={{ flex: 1, margin: 0 }}
        />
        <span style={{ ...mono, whiteSpace: 'nowrap' }}>
          {r.creditedHours}/{r.requiredHours}
        </span>
      </div>
    ),
  },
  {
    title: '状态',
    dataIndex: 'completed',
    width: 90,
    render: (v: boolean) => (v ? <Tag color="success">已完成</Tag> : <Tag color="processing">学习中</Tag>),
  },
  { title: '开通时间', dataIndex: 'enrolledAt', width: 160, render: time },
  { title: '完成时间', dataIndex: 'completedAt', width: 160, render: time },
];

const CERT_COLUMNS: ColumnsType<Certificate> = [
  { title: '证书编号', dataIndex: 'certNo', width: 200, render: (v: string) => <span style={mono}>{v}</span> },
  { title: '学习计划', dataIndex: 'planName', ellipsis: true },
  { title: '年度', dataIndex: 'year', width: 70 },
  { title: '学时', dataIndex: 'hours', width: 70, align: 'right' },
  { title: '发证时间', dataIndex: 'issuedAt', width: 160, render: time },
  {
    title: '状态',
    dataIndex: 'status',
    width: 84,
    render: (v: Certificate['status']) => (v === 'valid' ? <Tag color="success">有效</Tag> : <Tag>已撤销</Tag>),
  },
];

function SubTable<T extends object>(props: { rows: T[]; columns: ColumnsType<T>; rowKey: keyof T; empty: string }) {
  return (
    <Table<T>
      size="small"
      bordered
      rowKey={props.rowKey as string}
      columns={props.columns}
      dataSource={props.rows}
      pagination={props.rows.length > 20 ? { pageSize: 20, size: 'small' } : false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.empty} /> }}
    />
  );
}

const CREDIT_YEAR_COLUMNS: ColumnsType<TCreditYear> = [
  { title: '年度', dataIndex: 'year', width: 80 },
  { title: '总学时', dataIndex: 'hours', width: 80, align: 'right' },
  { title: '公需科目', dataIndex: 'publicHours', width: 90, align: 'right' },
  { title: '专业科目', dataIndex: 'professionalHours', width: 90, align: 'right' },
  {
    title: `是否达标（${CREDIT_YEARLY_TARGET}学时，专业科目${CREDIT_PROFESSIONAL_MIN}学时）`,
    dataIndex: 'met',
    render: (met: boolean) => (met ? <Tag color="success">达标</Tag> : <Tag color="warning">未达标</Tag>),
  },
];
const CREDIT_ENTRY_COLUMNS: ColumnsType<TCreditEntry> = [
  { title: '年度', dataIndex: 'year', width: 70 },
  { title: '类别', dataIndex: 'categoryLabel', width: 90 },
  { title: '学习形式', dataIndex: 'form', width: 90 },
  { title: '名称', dataIndex: 'title' },
  { title: '学时', dataIndex: 'hours', width: 70, align: 'right' },
  { title: '记录时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
];

/** 学时档案 tab: each year's totals against the requirement, then every confirmed entry. */
function LearnerCredits({ id }: { id: string }) {
  const credits = useLearnerCredits(id);
  if (credits.isPending) return <Skeleton active />;
  if (credits.isError) return <Alert type="error" showIcon message={toApiError(credits.error).message} />;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <SubTable rows={credits.data.years} columns={CREDIT_YEAR_COLUMNS} rowKey="year" empty="暂无学时" />
      <SubTable rows={credits.data.items} columns={CREDIT_ENTRY_COLUMNS} rowKey="id" empty="暂无学时记录" />
    </Space>
  );
}

/** 学员详情 (console route /learners/:id): profile, orders, plans with 学时 progress, certificates, and actions. */
export function LearnerDetailPage() {
  const { id } = useParams();
  const site = useSite().data;
  const me = useStaffMe().data;
  const detail = useLearner(id);
  const reveal = useRevealLearner();
  const reset = useResetLearnerPassword();
  const unlock = useUnlockLearner();
  const { modal, message } = App.useApp();
  const d = detail.data;
  usePageTitle(d ? `学员详情 · ${d.profile.realName}` : '学员详情', site?.staffConsoleName);
  const canReveal = Boolean(me?.roles.includes('pii-viewer'));

  const failed = (err: unknown) => {
    message.error(toApiError(err).message);
  };

  const onReveal = () => {
    if (!d) return;
    modal.confirm({
      title: '查看完整信息',
      content: `将显示 ${d.profile.realName} 的完整证件号码和手机号。查看操作将被记录（操作人、时间、IP）。`,
      okText: '确认查看',
      cancelText: '取消',
      onOk: () =>
        reveal.mutateAsync(d.profile.id).then(
          (r) =>
            void modal.info({
              title: '完整身份信息',
              width: 440,
              okText: '关闭',
              content: (
                <Descriptions size="small" column={1} bordered styles={{ label: { width: 96 } }}>
                  <Descriptions.Item label="姓名">{d.profile.realName}</Descriptions.Item>
                  <Descriptions.Item label={idNumberLabel(d.profile.idType)}>
                    <Typography.Text copyable style={mono}>
                      {r.idNumber}
                    </Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label="手机号码">
                    {r.phone ? (
                      <Typography.Text copyable style={mono}>
                        {r.phone}
                      </Typography.Text>
                    ) : (
                      '未绑定'
                    )}
                  </Descriptions.Item>
                </Descriptions>
              ),
            }),
          failed,
        ),
    });
  };

  const onReset = () => {
    if (!d) return;
    const p = d.profile;
    modal.confirm({
      title: '重置密码',
      content: (
        <>
          <p>
            确定重置 {p.realName}（{p.username}）的登录密码吗？
          </p>
          <ul style={{ paddingLeft: 18, margin: 0 }}>
            <li>
              系统生成临时密码，
              {p.phoneMasked ? `以短信发送至 ${p.phoneMasked}` : '该学员未绑定手机号，临时密码将显示给您一次'}；
            </li>
            <li>该学员已登录的设备全部退出，首次登录须修改密码；</li>
            <li>账号如被锁定将一并解除。</li>
          </ul>
        </>
      ),
      okText: '确定重置',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () =>
        reset.mutateAsync(p.id).then(
          (r) =>
            void (r.temporaryPassword
              ? modal.warning({
                  title: '密码已重置',
                  okText: '我已记下',
                  content: (
                    <>
                      <p>该学员未绑定手机号，无法短信通知。临时密码仅显示这一次，请当面或电话告知本人：</p>
                      <Typography.Text copyable strong style={{ ...mono, fontSize: 18 }}>
                        {r.temporaryPassword}
                      </Typography.Text>
                    </>
                  ),
                })
              : modal.success({
                  title: '密码已重置',
                  okText: '知道了',
                  content: `临时密码已通过短信发送至 ${r.phoneMasked}，已结束 ${r.sessionsEnded} 个登录会话。学员首次登录须修改密码。`,
                })),
          failed,
        ),
    });
  };

  const onUnlock = () => {
    if (!d) return;
    modal.confirm({
      title: '解除锁定',
      content: `${d.profile.realName} 因密码错误次数过多被锁定至 ${time(d.profile.lockedUntil)}。确定解除锁定吗？`,
      okText: '解除锁定',
      cancelText: '取消',
      onOk: () =>
        unlock.mutateAsync(d.profile.id).then(
          (r) =>
            void modal.success({
              title: '已解除锁定',
              okText: '知道了',
              content: r.smsSent
                ? `已短信通知本人（${r.phoneMasked}），可以重新登录。`
                : '该学员未绑定手机号，请另行告知本人可以重新登录。',
            }),
          failed,
        ),
    });
  };

  const crumbs = (
    <Breadcrumb
      style={{ marginBottom: 12 }}
      items={[
        { title: <Link to="/">首页</Link> },
        { title: '公需科目' },
        { title: <Link to="/learners">学员管理</Link> },
        { title: '学员详情' },
      ]}
    />
  );

  const code = errorCode(detail.error);
  if (code === 'FORBIDDEN' || code === 'NOT_FOUND')
    return (
      <div className="cpe-console-page">
        {crumbs}
        <Result
          status={code === 'FORBIDDEN' ? '403' : '404'}
          title={code === 'FORBIDDEN' ? '没有权限' : '学员不存在'}
          subTitle={code === 'FORBIDDEN' ? '学员管理仅限培训中心运营和系统管理员使用。' : undefined}
          extra={
            <Link to="/learners">
              <Button type="primary">返回学员管理</Button>
            </Link>
          }
        />
      </div>
    );
  const error = detail.error && !isUnauthenticated(detail.error) ? toApiError(detail.error) : null;
  if (error)
    return (
      <div className="cpe-console-page">
        {crumbs}
        <Alert
          type="error"
          showIcon
          title={error.message}
          action={
            <Button size="small" onClick={() => detail.refetch()}>
              重试
            </Button>
          }
        />
      </div>
    );
  if (!d)
    return (
      <div className="cpe-console-page">
        {crumbs}
        <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
          <Skeleton active paragraph={{ rows: 8 }} />
        </div>
      </div>
    );

  const p = d.profile;
  return (
    <div className="cpe-console-page">
      {crumbs}
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <div
          style={{
            display: 'flex',
            flexWrap: 'wrap',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 12,
            marginBottom: 8,
          }}
        >
          <Space size={8} wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {p.realName}
            </Typography.Title>
            <Typography.Text type="secondary">{p.username}</Typography.Text>
            <LockTag locked={p.locked} />
            {p.mustChangePassword && <Tag color="warning">待修改初始密码</Tag>}
            {p.status !== 'active' && <Tag>已停用</Tag>}
          </Space>
          <Space wrap>
            <Button icon={<KeyOutlined />} onClick={onReset} loading={reset.isPending}>
              重置密码
            </Button>
            {p.locked && (
              <Button icon={<UnlockOutlined />} onClick={onUnlock} loading={unlock.isPending}>
                解除锁定
              </Button>
            )}
          </Space>
        </div>
        <Tabs
          items={[
            {
              key: 'profile',
              label: '基本信息',
              children: (
                <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} styles={{ label: { width: 120 } }}>
                  <Descriptions.Item label="姓名">{p.realName}</Descriptions.Item>
                  <Descriptions.Item label="用户账号">{p.username}</Descriptions.Item>
                  <Descriptions.Item label="证件类型">{ID_TYPE_LABELS[p.idType]}</Descriptions.Item>
                  <Descriptions.Item label="证件号码">
                    <Space size={8} wrap>
                      <span style={mono}>{p.idNumberMasked}</span>
                      {canReveal && (
                        <Button size="small" icon={<EyeOutlined />} onClick={onReveal} loading={reveal.isPending}>
                          查看完整信息
                        </Button>
                      )}
                    </Space>
                  </Descriptions.Item>
                  <Descriptions.Item label="手机号码">
                    {p.phoneMasked ? <span style={mono}>{p.phoneMasked}</span> : '未绑定'}
                  </Descriptions.Item>
                  <Descriptions.Item label="实名认证">
                    {p.realNameVerified ? (
                      <>
                        <Tag color="success">已认证</Tag>
                        {time(p.realNameVerifiedAt)}
                      </>
                    ) : (
                      <Tag>未认证</Tag>
                    )}
                  </Descriptions.Item>
                  <Descriptions.Item label="账号状态">
                    {p.locked ? (
                      <>
                        <Tag color="error">锁定</Tag>至 {time(p.lockedUntil)}
                      </>
                    ) : p.status === 'active' ? (
                      '正常'
                    ) : (
                      '已停用'
                    )}
                  </Descriptions.Item>
                  <Descriptions.Item label="注册时间">{time(p.createdAt)}</Descriptions.Item>
                  <Descriptions.Item label="密码修改时间">{time(p.passwordChangedAt)}</Descriptions.Item>
                </Descriptions>
              ),
            },
            {
              key: 'orders',
              label: `订单（${d.orders.length}）`,
              children: <SubTable rows={d.orders} columns={ORDER_COLUMNS} rowKey="id" empty="暂无订单" />,
            },
            {
              key: 'plans',
              label: `学习计划（${d.enrollments.length}）`,
              children: <SubTable rows={d.enrollments} columns={ENROLLMENT_COLUMNS} rowKey="id" empty="暂无学习计划" />,
            },
            {
              key: 'certificates',
              label: `证书（${d.certificates.length}）`,
              children: <SubTable rows={d.certificates} columns={CERT_COLUMNS} rowKey="certNo" empty="暂无证书" />,
            },
            // Rendered (and fetched) when opened: antd Tabs mounts an inactive pane only once it is shown.
            { key: 'credits', label: '学时档案', children: <LearnerCredits id={p.id} /> },
          ]}
        />
        {!canReveal && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '12px 0 0' }}>
            证件号码和手机号已脱敏显示；查看完整信息需具有“查看完整身份信息”角色。
          </Typography.Paragraph>
        )}
      </div>
    </div>
  );
}
