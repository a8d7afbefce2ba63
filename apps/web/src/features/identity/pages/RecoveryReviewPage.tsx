import { Alert, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { formatDateTime } from '../../../shared/format';
import {
  ReviewDrawer,
  type ReviewDrawerProps,
  ReviewQueue,
  type ReviewStatus,
  type ReviewTab,
  reviewStatusTag,
  useReviewQueue,
} from '../components/ReviewQueue';
import { recoveryPhotoUrl, useDecideRecovery, useRecoveries } from '../staff-api';
import type { ManualRecovery } from '../types';

const STATUS_TABS: ReviewTab[] = [
  { key: 'all', label: '全部' },
  { key: 'pending', label: '待处理' },
  { key: 'approved', label: '已通过' },
  { key: 'rejected', label: '已驳回' },
];

const STATUS_LABELS: Record<ReviewStatus, string> = {
  pending: '待处理',
  approved: '已通过',
  rejected: '已驳回',
};

const accountTag = (found: boolean) =>
  found ? <Tag color="success">已匹配</Tag> : <Tag color="warning">未找到账号</Tag>;

const COLUMNS: ColumnsType<ManualRecovery> = [
  { title: '姓名', dataIndex: 'realName', width: 90 },
  { title: '身份证号码', dataIndex: 'idNumberMasked', width: 170 },
  { title: '新手机号', dataIndex: 'newPhoneMasked', width: 120 },
  { title: '账号匹配', dataIndex: 'accountFound', width: 100, render: accountTag },
  { title: '申请时间', dataIndex: 'createdAt', width: 165, render: (v: string) => formatDateTime(v) },
  { title: '状态', dataIndex: 'status', width: 84, render: (s: ReviewStatus) => reviewStatusTag(s, STATUS_LABELS) },
  { title: '处理人', dataIndex: 'handledBy', width: 100, render: (v: string | null) => v ?? '' },
];

/** The drawer of one application: details, the ID photo (each view is audited), 通过 / 驳回. */
function RecoveryDrawer(props: ReviewDrawerProps<ManualRecovery>) {
  const decide = useDecideRecovery();
  return (
    <ReviewDrawer
      {...props}
      titles={{ pending: '处理人工找回申请', done: '人工找回申请详情' }}
      size={560}
      notice={(item) =>
        item.status === 'pending' &&
        !item.accountFound && (
          <Alert
            className="cpe-drawer-alert"
            type="warning"
            showIcon
            title="未找到姓名与身份证号码一致的账号，无法通过，请驳回"
          />
        )
      }
      noticeAboveError
      details={(item) => [
        { key: 'realName', label: '姓名', children: item.realName },
        { key: 'idNumber', label: '身份证号码', children: item.idNumberMasked },
        { key: 'newPhone', label: '新手机号', children: item.newPhoneMasked },
        { key: 'account', label: '账号匹配', children: accountTag(item.accountFound) },
        { key: 'note', label: '补充说明', children: item.note || '无' },
        { key: 'createdAt', label: '申请时间', children: formatDateTime(item.createdAt) },
        { key: 'status', label: '状态', children: reviewStatusTag(item.status, STATUS_LABELS) },
        ...(item.status === 'pending'
          ? []
          : [
              { key: 'handledBy', label: '处理人', children: item.handledBy ?? '' },
              { key: 'handledAt', label: '处理时间', children: formatDateTime(item.handledAt) },
              { key: 'reason', label: '处理意见', children: item.reason || '无' },
            ]),
      ]}
      photo={{ label: '身份证照片', url: recoveryPhotoUrl, width: 320 }}
      reason={{ label: '处理意见', max: 500, extra: '驳回时必填；通过时选填', sentOnApprove: true }}
      approve={{
        confirm: '确认通过该申请？',
        description: '通过后，新手机号将绑定到该账号，并退出该账号的全部登录。',
        disabled: !props.item?.accountFound,
        done: '已通过，新手机号已绑定到该账号',
      }}
      reject={{ label: '驳回', done: '已驳回' }}
      decide={(v) => decide.mutateAsync(v)}
      decidedCode="RECOVERY_NOT_PENDING"
    />
  );
}

/** 人工找回审核: status tabs, a paged table, and the drawer to 处理. */
export function RecoveryReviewPage() {
  const queue = useReviewQueue(STATUS_TABS);
  const list = useRecoveries({ status: queue.status, page: queue.page, pageSize: queue.pageSize });
  return (
    <ReviewQueue
      title="人工找回审核"
      queue={queue}
      list={list}
      columns={COLUMNS}
      actionLabel="处理"
      scrollX={960}
      drawer={RecoveryDrawer}
    />
  );
}
