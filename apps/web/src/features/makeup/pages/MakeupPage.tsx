import { DeleteOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { MAKEUP_EVIDENCE_LABELS, MAKEUP_FIRST_YEAR, MAKEUP_LAST_YEAR } from '@cpe/shared/schemas/makeup';
import { Alert, App, Button, DatePicker, Empty, Form, Input, InputNumber, Radio, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { type HTMLAttributes, useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { downloadFile } from '../../../shared/api/download';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useMe, useSite } from '../../identity/api';
import { LoadError } from '../../purchase/components/common';
import { PurchaseCenter } from '../../purchase/components/PurchaseCenter';
import { pledgeUrl, useMakeupEnrollments, useMyMakeupRequests, useSubmitMakeup } from '../api';
import { EvidenceUpload } from '../components/EvidenceUpload';
import { minutes, StatusText } from '../format';
import type { MakeupFile, MakeupRequest, MakeupSubmit } from '../types';
import '../../purchase/purchase.css';
import '../makeup.css';

const YEARS = Array.from({ length: MAKEUP_LAST_YEAR - MAKEUP_FIRST_YEAR + 1 }, (_, i) => MAKEUP_LAST_YEAR - i);

export const MAKEUP_NOTES = [
  '1.请提前在平台注册账号，并如实填写姓名、身份证号码、手机号等信息，工作人员将依据上表信息及平台注册信息免费开通2011-2022年度专业技术人员继续教育公需科目补学权限。',
  '2.工作人员审核通过后（一般在3个工作日内完成审核）可免费进入现平台进行补学。',
];

interface RowValues {
  year?: number;
  orderNo?: string;
  payer?: string;
  paidAt?: Dayjs | null;
  platform?: string;
  fileId?: MakeupFile | null;
}

interface FormValues {
  year?: number;
  evidenceKind: 'receipt' | 'pledge';
  rows?: RowValues[];
  pledge?: { paidOn?: Dayjs | null; reason?: string };
  pledgeFileId?: MakeupFile | null;
}

const blankRow = (year: number | undefined, payer: string | undefined): RowValues => ({ year, payer });

function toInput(v: FormValues): MakeupSubmit {
  const year = v.year as number;
  if (v.evidenceKind === 'pledge')
    return {
      year,
      evidenceKind: 'pledge',
      pledge: { paidOn: v.pledge?.paidOn?.format('YYYY-MM-DD') ?? '', reason: v.pledge?.reason?.trim() ?? '' },
      pledgeFileId: v.pledgeFileId?.id ?? '',
    };
  return {
    year,
    evidenceKind: 'receipt',
    rows: (v.rows ?? []).map((r) => ({
      year: r.year ?? year,
      orderNo: r.orderNo?.trim() ?? '',
      payer: r.payer?.trim() ?? '',
      paidAt: r.paidAt?.format('YYYY-MM-DD') ?? '',
      platform: r.platform?.trim() ?? '',
      fileId: r.fileId?.id ?? '',
    })),
  };
}

const required = (message: string) => [{ required: true, message }];
/** An uploaded file's field: its value is the server's {id, …}. */
const fileRequired = (message: string) => [
  {
    required: true,
    validator: async (_r: unknown, v: MakeupFile | null | undefined) => {
      if (!v?.id) throw new Error(message);
    },
  },
];

/** 附件3's table: one line per payment, each with its screenshot. */
function ReceiptRows({ payer }: { payer: string | undefined }) {
  const form = Form.useFormInstance<FormValues>();
  return (
    <Form.List
      name="rows"
      rules={[
        {
          validator: async (_r, rows: RowValues[] | undefined) => {
            if (!rows || rows.length === 0) throw new Error('请至少填写一条缴费记录');
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => {
        const columns: ColumnsType<(typeof fields)[number]> = [
          {
            title: '缴费年度',
            key: 'year',
            width: 110,
            render: (_v, f) => (
              <Form.Item name={[f.name, 'year']} rules={required('请填写缴费年度')} className="cpe-mk-cell">
                <InputNumber aria-label="缴费年度" min={2000} max={2100} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            ),
          },
          {
            title: '订单编号',
            key: 'orderNo',
            render: (_v, f) => (
              <Form.Item name={[f.name, 'orderNo']} rules={required('请填写订单编号')} className="cpe-mk-cell">
                <Input aria-label="订单编号" maxLength={64} placeholder="订单编号" />
              </Form.Item>
            ),
          },
          {
            title: '付款人',
            key: 'payer',
            width: 120,
            render: (_v, f) => (
              <Form.Item name={[f.name, 'payer']} rules={required('请填写付款人')} className="cpe-mk-cell">
                <Input aria-label="付款人" maxLength={50} placeholder="付款人" />
              </Form.Item>
            ),
          },
          {
            title: '缴费时间',
            key: 'paidAt',
            width: 150,
            render: (_v, f) => (
              <Form.Item name={[f.name, 'paidAt']} rules={required('请选择缴费时间')} className="cpe-mk-cell">
                <DatePicker
                  aria-label="缴费时间"
                  format="YYYY-MM-DD"
                  placeholder="选择日期"
                  style={{ width: '100%' }}
                />
              </Form.Item>
            ),
          },
          {
            title: '缴费平台',
            key: 'platform',
            render: (_v, f) => (
              <Form.Item name={[f.name, 'platform']} rules={required('请填写缴费平台')} className="cpe-mk-cell">
                <Input aria-label="缴费平台" maxLength={100} placeholder="如：重庆人社培训网" />
              </Form.Item>
            ),
          },
          {
            title: '缴费证明材料',
            key: 'fileId',
            width: 170,
            render: (_v, f) => (
              <Form.Item name={[f.name, 'fileId']} rules={fileRequired('请上传缴费截图')} className="cpe-mk-cell">
                <EvidenceUpload label="上传截图" />
              </Form.Item>
            ),
          },
          {
            title: '操作',
            key: 'op',
            width: 60,
            align: 'center',
            render: (_v, f) => (
              <Button
                type="text"
                danger
                size="small"
                icon={<DeleteOutlined />}
                aria-label="删除此行"
                disabled={fields.length <= 1}
                onClick={() => remove(f.name)}
              />
            ),
          },
        ];
        return (
          <>
            <p className="cpe-mk-hint">
              以下请填写相关缴费证明材料（如缴费平台网页截图等），截图支持JPG、PNG或PDF，每个不超过5M。
            </p>
            <Table
              className="cpe-mk-rows"
              rowKey="key"
              size="small"
              bordered
              pagination={false}
              columns={columns}
              dataSource={fields}
              scroll={{ x: 900 }}
            />
            <Form.ErrorList errors={errors} />
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              className="cpe-mk-add"
              disabled={fields.length >= 20}
              onClick={() => add(blankRow(form.getFieldValue('year'), payer))}
            >
              添加一行
            </Button>
          </>
        );
      }}
    </Form.List>
  );
}

function PledgeFields() {
  const { message } = App.useApp();
  const year = Form.useWatch<number | undefined>('year');
  const [busy, setBusy] = useState(false);
  const onDownload = async () => {
    if (!year) {
      message.warning('请先选择补学年度');
      return;
    }
    setBusy(true);
    try {
      await downloadFile(pledgeUrl(year), `${year}年度缴费承诺书.docx`);
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Form.Item label="缴费承诺书" extra="请下载所选年度的缴费承诺书，打印并签字后，将扫描件或照片上传。">
        <Button icon={<DownloadOutlined />} onClick={onDownload} loading={busy} disabled={!year}>
          下载缴费承诺书
        </Button>
      </Form.Item>
      <Form.Item label="缴费日期" name={['pledge', 'paidOn']} rules={required('请选择缴费日期')}>
        <DatePicker format="YYYY-MM-DD" placeholder="选择日期" style={{ width: 200 }} />
      </Form.Item>
      <Form.Item
        label="无法提供缴费凭证的原因"
        name={['pledge', 'reason']}
        rules={[{ required: true, whitespace: true, min: 2, message: '请填写无法提供缴费凭证的原因' }]}
      >
        <Input.TextArea rows={3} maxLength={200} showCount placeholder="如：原缴费平台已关闭，无法查询缴费记录" />
      </Form.Item>
      <Form.Item label="签字后的承诺书" name="pledgeFileId" rules={fileRequired('请上传签字后的缴费承诺书')}>
        <EvidenceUpload label="上传扫描件" />
      </Form.Item>
    </>
  );
}

function NewRequestForm({ blockedYears }: { blockedYears: Set<number> }) {
  const me = useMe().data;
  const { modal, message } = App.useApp();
  const showError = useShowApiError();
  const submit = useSubmitMakeup();
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('evidenceKind', form);

  const onYear = (year: number) => {
    // 缴费年度 follows the chosen year.
    const rows = (form.getFieldValue('rows') as RowValues[] | undefined) ?? [];
    form.setFieldValue(
      'rows',
      rows.map((r) => ({ ...r, year })),
    );
  };

  const onFinish = (v: FormValues) => {
    const input = toInput(v);
    modal.confirm({
      title: '确认提交补学申请？',
      content: `补学年度：${input.year}年；证明方式：${MAKEUP_EVIDENCE_LABELS[input.evidenceKind]}。提交后工作人员将在3个工作日内完成审核。`,
      okText: '确认提交',
      cancelText: '取消',
      onOk: async () => {
        try {
          await submit.mutateAsync(input);
          message.success('补学申请已提交，请等待审核');
          form.resetFields();
        } catch (err) {
          showError(err, form);
        }
      },
    });
  };

  return (
    <Form<FormValues>
      form={form}
      name="makeupRequest"
      layout="horizontal"
      labelCol={{ flex: '11em' }}
      wrapperCol={{ flex: '1 1 0', style: { minWidth: 0 } }}
      initialValues={{ evidenceKind: 'receipt', rows: [blankRow(undefined, me?.realName)] }}
      onFinish={onFinish}
      scrollToFirstError
      className="cpe-mk-form"
    >
      <Form.Item label="补学年度" name="year" rules={required('请选择补学年度')}>
        <Select
          placeholder="请选择年度"
          style={{ width: 200 }}
          onChange={onYear}
          options={YEARS.map((y) => ({
            value: y,
            label: blockedYears.has(y) ? `${y}年（已申请）` : `${y}年`,
            disabled: blockedYears.has(y),
          }))}
        />
      </Form.Item>
      <Form.Item label="证明方式" name="evidenceKind">
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={[
            { value: 'receipt', label: MAKEUP_EVIDENCE_LABELS.receipt },
            { value: 'pledge', label: MAKEUP_EVIDENCE_LABELS.pledge },
          ]}
        />
      </Form.Item>
      {kind === 'pledge' ? (
        <PledgeFields />
      ) : (
        <Form.Item wrapperCol={{ span: 24 }}>
          <ReceiptRows payer={me?.realName} />
        </Form.Item>
      )}
      <div className="cpe-mk-submit">
        <Button type="primary" htmlType="submit" size="large" loading={submit.isPending}>
          提交申请
        </Button>
      </div>
    </Form>
  );
}

function MyRequests({ items }: { items: MakeupRequest[] }) {
  const columns: ColumnsType<MakeupRequest> = [
    { title: '补学年度', dataIndex: 'year', width: 90, render: (y: number) => `${y}年` },
    {
      title: '证明方式',
      dataIndex: 'evidenceKind',
      width: 100,
      render: (k: MakeupRequest['evidenceKind']) => MAKEUP_EVIDENCE_LABELS[k],
    },
    { title: '提交时间', dataIndex: 'submittedAt', width: 150, render: (v: string) => minutes(v) },
    {
      title: '审核状态',
      key: 'status',
      render: (_v, r) => <StatusText status={r.status} dueAt={r.dueAt} reason={r.reason} />,
    },
  ];
  return (
    <Table<MakeupRequest>
      rowKey="id"
      size="small"
      bordered
      pagination={false}
      columns={columns}
      dataSource={items}
      scroll={{ x: 560 }}
      onRow={(r) => ({ 'data-year': r.year, 'data-status': r.status }) as HTMLAttributes<HTMLElement>}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无补学申请" /> }}
    />
  );
}

/** 补学申请 (/makeup): 2011–2022 make-up study, free once an operator approves the evidence. */
export function MakeupPage() {
  const site = useSite().data;
  usePageTitle('补学申请', site?.name);
  const requests = useMyMakeupRequests();
  const enrollments = useMakeupEnrollments();

  const items = requests.data?.items ?? [];
  const enrolled = enrollments.data?.items ?? [];
  const blocked = new Set<number>([
    ...items.filter((r) => r.status !== 'rejected').map((r) => r.year),
    ...enrolled.map((e) => e.year),
  ]);

  return (
    <PurchaseCenter active="makeup" title="补学申请">
      <Alert
        className="cpe-buy-alert"
        type="info"
        showIcon
        title="2011—2022年度公需科目补学说明"
        description={
          <div className="cpe-mk-notes">
            {MAKEUP_NOTES.map((n) => (
              <p key={n}>{n}</p>
            ))}
          </div>
        }
      />

      <h2 className="cpe-buy-section-title">已开通补学</h2>
      {enrollments.isError ? (
        <LoadError error={enrollments.error} onRetry={() => enrollments.refetch()} />
      ) : enrolled.length === 0 ? (
        <p className="cpe-muted">{enrollments.isPending ? '加载中…' : '暂无已开通的补学年度'}</p>
      ) : (
        <ul className="cpe-mk-enrolled" data-testid="makeup-enrolled">
          {enrolled.map((e) => (
            <li key={e.year} data-year={e.year}>
              <span className="cpe-mk-enrolled-year">{e.year}年度</span>
              <Tag color="success">已开通补学</Tag>
              <span className="cpe-mk-enrolled-plan">{e.planName}</span>
              <span className="cpe-muted">
                免费开通 · 订单号 {e.orderNo} · {formatDateTime(e.enrolledAt)}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2 className="cpe-buy-section-title">我的补学申请</h2>
      {requests.isError ? (
        <LoadError error={requests.error} onRetry={() => requests.refetch()} />
      ) : (
        <MyRequests items={items} />
      )}

      <h2 className="cpe-buy-section-title">新增申请</h2>
      <NewRequestForm blockedYears={blocked} />
    </PurchaseCenter>
  );
}
