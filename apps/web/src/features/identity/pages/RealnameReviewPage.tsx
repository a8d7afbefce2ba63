import { REALNAME_REVIEW_STATUS_LABELS } from '@cpe/shared/schemas/identity';
import { ID_TYPE_LABELS } from '@cpe/shared/validators/id-document';
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
import { nationalityName } from '../nationality';
import { realnameReviewPhotoUrl, useDecideRealnameReview, useRealnameReviews } from '../staff-api';
import type { RealnameReview } from '../types';

// Staff open the page to work: the pending ones first, unless 全部 was chosen.
const STATUS_TABS: ReviewTab[] = [
  { key: 'pending', label: '待审核' },
  { key: 'approved', label: '已通过' },
  { key: 'rejected', label: '已退回' },
  { key: 'all', label: '全部' },
];
const statusTag = (s: ReviewStatus) => reviewStatusTag(s, REALNAME_REVIEW_STATUS_LABELS);

const COLUMNS: ColumnsType<RealnameReview> = [
  { title: '姓名', dataIndex: 'realName', width: 140 },
  { title: '用户账号', dataIndex: 'username', width: 130 },
  {
    title: '证件类型',
    dataIndex: 'idType',
    width: 150,
    render: (t: RealnameReview['idType']) => ID_TYPE_LABELS[t],
  },
  { title: '证件号码', dataIndex: 'idNumberMasked', width: 170 },
  {
    title: '国籍',
    dataIndex: 'nationality',
    width: 100,
    render: (n: string | null) => (n ? nationalityName(n) : ''),
  },
  {
    title: '提交',
    dataIndex: 'attempt',
    width: 80,
    render: (n: number) => (n > 1 ? <Tag color="orange">第{n}次</Tag> : '首次'),
  },
  { title: '提交时间', dataIndex: 'submittedAt', width: 165, render: (v: string) => formatDateTime(v) },
  { title: '状态', dataIndex: 'status', width: 84, render: statusTag },
  { title: '审核人', dataIndex: 'decidedBy', width: 100, render: (v: string | null) => v ?? '' },
];

/** One application: what the person declared, the document photo (each view is audited), 通过 / 退回. */
function RealnameDrawer(props: ReviewDrawerProps<RealnameReview>) {
  const decide = useDecideRealnameReview();
  return (
    <ReviewDrawer
      {...props}
      titles={{ pending: '审核实名申请', done: '实名审核详情' }}
      size={600}
      notice={(item) =>
        item.status === 'pending' && (
          <Alert
            className="cpe-drawer-alert"
            type="info"
            showIcon
            title="请核对证件照片上的姓名、证件号码、国籍与申请信息一致，照片清晰完整、无遮挡。"
          />
        )
      }
      details={(item) => [
        { key: 'username', label: '用户账号', children: item.username },
        { key: 'realName', label: '姓名', children: item.realName },
        { key: 'idType', label: '证件类型', children: ID_TYPE_LABELS[item.idType] },
        { key: 'idNumber', label: '证件号码', children: item.idNumberMasked },
        ...(item.nationality
          ? [
              {
                key: 'nationality',
                label: '国籍',
                children: `${nationalityName(item.nationality)}（${item.nationality}）`,
              },
            ]
          : []),
        {
          key: 'attempt',
          label: '提交次数',
          children: item.attempt > 1 ? `第${item.attempt}次（此前被退回后重新提交）` : '第1次（注册时提交）',
        },
        { key: 'submittedAt', label: '提交时间', children: formatDateTime(item.submittedAt) },
        { key: 'status', label: '状态', children: statusTag(item.status) },
        ...(item.status === 'pending'
          ? []
          : [
              { key: 'decidedBy', label: '审核人', children: item.decidedBy ?? '' },
              { key: 'decidedAt', label: '审核时间', children: formatDateTime(item.decidedAt) },
              { key: 'reason', label: '退回原因', children: item.reason || '无' },
            ]),
      ]}
      photo={{ label: '证件照片', url: realnameReviewPhotoUrl, width: 360 }}
      reason={{
        label: '退回原因',
        max: 200,
        extra: '退回时必填，申请人将在个人中心看到；通过时无需填写',
        placeholder: '如：照片模糊，无法看清证件号码，请重新拍摄',
      }}
      approve={{
        confirm: '确认通过该实名审核申请？',
        description: '通过后，申请人的姓名和证件信息以本次提交为准，并可购买公需科目和学习。',
        done: '已通过，该账号已完成实名认证',
      }}
      reject={{ label: '退回', confirm: '确认退回该实名审核申请？', done: '已退回，申请人可修改后重新提交' }}
      decide={(v) => decide.mutateAsync(v)}
      decidedCode="REALNAME_REVIEW_DECIDED"
    />
  );
}

/** 实名审核: status tabs, search by name, a paged table and the drawer to 审核. */
export function RealnameReviewPage() {
  const queue = useReviewQueue(STATUS_TABS, { search: true });
  const { status, q, page, pageSize } = queue;
  const list = useRealnameReviews({ status, q: q || undefined, page, pageSize });
  return (
    <ReviewQueue
      title="实名审核"
      queue={queue}
      list={list}
      columns={COLUMNS}
      actionLabel="审核"
      scrollX={1250}
      emptyText={status === 'pending' && !q ? '暂无待审核的实名申请' : '暂无数据'}
      search={{ placeholder: '按姓名搜索', maxLength: 30, className: 'cpe-realname-search' }}
      retry
      drawer={RealnameDrawer}
    />
  );
}
