import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { GROUP_MAX_LINES } from '@cpe/shared/schemas/purchase';
import { Alert, App, Breadcrumb, Button, Form, Input, Radio, Result, Table } from 'antd';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { downloadFile } from '../../../shared/api/download';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { groupErrorsUrl, useCreateGroupOrder, useGroupCheck, usePlan } from '../api';
import { LoadError, Money, PurchaseSteps } from '../components/common';
import { InvoiceNotes, InvoiceTitleFields, invoiceTitleOf } from '../components/InvoiceFields';
import { formatFen } from '../format';
import type { GroupCheck, InvoiceChoice, InvoiceTitleInput } from '../types';
import '../purchase.css';

/** The seed's 注意事项, word for word. */
const PASTE_HINT =
  '注意事项：人员数量较多的情况，可直接从名单表格中复制身份证号码粘贴至输入框内，仅复制身份证号码，每行一个，请注意身份证中字母X大写，身份证前后不要有空格、特殊字符。';

/** Lines as the server counts them: every line up to the last non-blank one. */
function countLines(text: string): number {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1]?.trim() === '') lines.pop();
  return lines.length;
}

interface InvoiceValues {
  invoice: { mode: 'now' | 'later'; title?: Partial<InvoiceTitleInput> };
}

/**
 * 团体购买 (login required): the ID numbers pasted one a line → 立即购买 checks them on the server → 有效 /
 * 无效 with the reasons (下载错误文件 for all of them) → the 发票 choice (单位 titles only) → 提交订单.
 */
export function GroupBuyPage() {
  const { id = '' } = useParams();
  const site = useSite().data;
  usePageTitle('团体购买', site?.name);
  const plan = usePlan(id, true);
  const runCheck = useGroupCheck();
  const createOrder = useCreateGroupOrder();
  const [text, setText] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [check, setCheck] = useState<{ result: GroupCheck; text: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [form] = Form.useForm<InvoiceValues>();
  const mode = Form.useWatch(['invoice', 'mode'], form);
  const resultRef = useRef<HTMLElement>(null);
  const showError = useShowApiError();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const lines = countLines(text);

  const crumbs = (
    <Breadcrumb
      className="cpe-buy-breadcrumb"
      items={[
        { title: <Link to="/">首页</Link> },
        { title: <Link to="/gxkm">公需科目</Link> },
        { title: plan.data ? <Link to={`/gxkm/plans/${id}`}>{plan.data.name}</Link> : '项目购买' },
        { title: '团体购买' },
      ]}
    />
  );

  if (plan.isPending) return <PageSpin />;
  if (plan.isError)
    return (
      <div className="cpe-buy-page">
        {crumbs}
        <LoadError error={plan.error} onRetry={() => plan.refetch()} />
      </div>
    );
  const p = plan.data;
  if (!p.onSale)
    return (
      <div className="cpe-buy-page">
        {crumbs}
        <div className="cpe-buy-panel">
          <Result
            status="warning"
            title="该培训项目当前不在销售期"
            subTitle={p.name}
            extra={<Button onClick={() => navigate(`/gxkm/plans/${p.id}`)}>返回项目</Button>}
          />
        </div>
      </div>
    );

  const onCheck = async () => {
    if (lines === 0) {
      setInputError('请输入需参训学员的身份证号码，每行一个');
      return;
    }
    if (lines > GROUP_MAX_LINES) {
      setInputError(`一次最多提交${GROUP_MAX_LINES}个身份证号码，请分批购买`);
      return;
    }
    setInputError(null);
    setNotice(null);
    try {
      const result = await runCheck.mutateAsync({ planId: p.id, idNumbers: text });
      setCheck({ result, text });
      requestAnimationFrame(() => resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
    } catch (err) {
      const e = toApiError(err);
      if (e.fields?.idNumbers) setInputError(e.fields.idNumbers);
      else showError(err);
      if (errorCode(err) === 'PLAN_NOT_ON_SALE') void plan.refetch();
    }
  };

  const onDownload = async () => {
    if (!check) return;
    setDownloading(true);
    try {
      await downloadFile(groupErrorsUrl(check.result.checkId), '错误文件.xlsx');
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    } finally {
      setDownloading(false);
    }
  };

  const stale = check !== null && check.text !== text;
  const canSubmit = check !== null && !stale && check.result.valid > 0;

  const onSubmit = async (v: InvoiceValues) => {
    if (!check || !canSubmit) return;
    const invoice: InvoiceChoice =
      v.invoice.mode === 'now'
        ? { mode: 'now', title: invoiceTitleOf({ ...v.invoice.title, titleType: 'unit' }) }
        : { mode: 'later' };
    setSubmitting(true);
    try {
      const order = await createOrder.mutateAsync({ checkId: check.result.checkId, invoice });
      message.success('订单已提交，请选择支付方式完成支付');
      navigate(`/orders/${order.id}`);
    } catch (err) {
      const code = errorCode(err);
      // Someone else's order took a member meanwhile, or the check aged out: the list must be checked again.
      if (code === 'GROUP_MEMBER_TAKEN' || code === 'GROUP_CHECK_EXPIRED' || code === 'GROUP_NO_VALID') {
        setCheck(null);
        setNotice(toApiError(err).message);
      } else showError(err, form);
    } finally {
      setSubmitting(false);
    }
  };

  const r = check?.result;
  return (
    <div className="cpe-buy-page">
      {crumbs}
      <div className="cpe-buy-panel">
        <h1 className="cpe-buy-title is-center">团体购买</h1>
        <p className="cpe-buy-subtitle">
          {p.name} · 单价 {formatFen(p.priceFen)} / 人
        </p>
        <PurchaseSteps current={1} />

        <section aria-labelledby="cpe-group-input-title">
          <h2 className="cpe-buy-section-title" id="cpe-group-input-title">
            输入需参训学员的身份证号码
          </h2>
          <p className="cpe-buy-form-hint">
            输入完成后点击“立即购买”，等待系统验证：学员账号存在且未购买该学习计划的，即可提交订单；购买成功后，学员即可登录进行学习。
          </p>
          <Alert className="cpe-buy-alert" type="info" showIcon icon={<InfoCircleOutlined />} title={PASTE_HINT} />
          <label className="cpe-buy-visually-hidden" htmlFor="cpe-group-ids">
            学员身份证号码（每行一个）
          </label>
          <Input.TextArea
            id="cpe-group-ids"
            className="cpe-buy-ids"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (inputError) setInputError(null);
            }}
            rows={10}
            spellCheck={false}
            autoComplete="off"
            placeholder={
              '每行一个身份证号码（港澳台居民居住证、外国人永久居留身份证号码亦可），例如：\n500103199001011232\n50010319850312004X'
            }
            status={inputError ? 'error' : undefined}
            aria-invalid={inputError ? true : undefined}
            aria-describedby="cpe-group-ids-count"
          />
          <div className="cpe-buy-ids-foot">
            <span
              id="cpe-group-ids-count"
              className={lines > GROUP_MAX_LINES ? 'cpe-buy-ids-count is-over' : 'cpe-buy-ids-count'}
              aria-live="polite"
            >
              已输入 <span className="cpe-buy-ids-num">{lines}</span> 行（最多{GROUP_MAX_LINES}行）
            </span>
            {text && (
              <button type="button" className="cpe-link-button" onClick={() => setText('')}>
                清空
              </button>
            )}
          </div>
          {inputError && (
            <div className="cpe-buy-input-error" role="alert">
              {inputError}
            </div>
          )}
          <div className="cpe-buy-check-bar">
            <Button type="primary" size="large" onClick={onCheck} loading={runCheck.isPending}>
              立即购买
            </Button>
          </div>
        </section>

        {notice && (
          <Alert
            className="cpe-buy-alert"
            type="warning"
            showIcon
            title={notice}
            action={
              <Button size="small" type="primary" onClick={onCheck} loading={runCheck.isPending}>
                重新校验
              </Button>
            }
          />
        )}

        {r && (
          <section ref={resultRef} className="cpe-buy-check" aria-labelledby="cpe-group-result-title">
            <h2 className="cpe-buy-section-title" id="cpe-group-result-title">
              验证结果
            </h2>
            {stale && (
              <Alert
                className="cpe-buy-alert"
                type="warning"
                showIcon
                title="名单已修改，请重新点击“立即购买”进行验证后再提交订单。"
              />
            )}
            <div className="cpe-buy-counts" data-testid="group-counts" aria-live="polite">
              <span className="cpe-buy-count is-valid">
                <CheckCircleFilled /> 有效 <strong>{r.valid}</strong> 人
              </span>
              <span className="cpe-buy-count-sep">/</span>
              <span className="cpe-buy-count is-invalid">
                <CloseCircleFilled /> 无效 <strong>{r.invalid}</strong> 人
              </span>
              <span className="cpe-buy-count-amount">
                应付金额 <Money fen={r.amountFen} strong />
                <span className="cpe-muted">
                  （{r.valid} × {formatFen(p.priceFen)}）
                </span>
              </span>
            </div>
            {r.valid === 0 && (
              <Alert
                className="cpe-buy-alert"
                type="error"
                showIcon
                title="没有可购买的学员，请下载错误文件查看原因，修改后重新提交。"
              />
            )}
            {r.errors.length > 0 && (
              <>
                <Table
                  className="cpe-buy-errors"
                  size="small"
                  rowKey="line"
                  dataSource={r.errors}
                  pagination={r.errors.length > 10 ? { pageSize: 10, showSizeChanger: false, size: 'small' } : false}
                  columns={[
                    { title: '行号', dataIndex: 'line', width: 56, align: 'center' },
                    {
                      title: '证件号码',
                      dataIndex: 'value',
                      width: '42%',
                      render: (v: string) => <span className="cpe-buy-mono">{v || '（空行）'}</span>,
                    },
                    { title: '错误原因', dataIndex: 'reason' },
                  ]}
                />
                {r.invalid > r.errors.length && (
                  <p className="cpe-buy-form-hint">
                    仅显示前{r.errors.length}条，共{r.invalid}条错误，完整信息请下载错误文件。
                  </p>
                )}
              </>
            )}
            <p className="cpe-muted cpe-buy-check-expiry">
              验证结果有效期至 {formatDateTime(r.expiresAt)}，过期请重新验证。
            </p>

            <h2 className="cpe-buy-section-title">发票</h2>
            <Form
              form={form}
              name="group-order"
              labelCol={{ sm: { span: 6 }, md: { span: 4 } }}
              wrapperCol={{ sm: { span: 16 }, md: { span: 12 } }}
              className="cpe-buy-form"
              initialValues={{ invoice: { mode: 'later', title: { titleType: 'unit' } } }}
              onFinish={onSubmit}
              scrollToFirstError={{ block: 'center', behavior: 'smooth' }}
            >
              <Form.Item
                label="申请发票"
                name={['invoice', 'mode']}
                rules={[{ required: true, message: '请选择发票' }]}
              >
                <Radio.Group>
                  <Radio value="now">立即申请</Radio>
                  <Radio value="later">以后申请</Radio>
                </Radio.Group>
              </Form.Item>
              {mode === 'now' ? (
                <InvoiceTitleFields form={form} prefix={['invoice', 'title']} unitOnly />
              ) : (
                <Form.Item wrapperCol={{ sm: { offset: 6, span: 16 }, md: { offset: 4, span: 16 } }}>
                  <p className="cpe-buy-form-hint">缴费成功后，可在“团购订单”对应订单处点击“申请开票”补开发票。</p>
                </Form.Item>
              )}
              <InvoiceNotes />
              <div className="cpe-buy-submit-bar">
                <div className="cpe-buy-submit-left">
                  {r.invalid > 0 && (
                    <Button icon={<DownloadOutlined />} onClick={onDownload} loading={downloading}>
                      下载错误文件
                    </Button>
                  )}
                </div>
                <span className="cpe-buy-pay-due">
                  应付金额：<span className="cpe-buy-money is-strong is-large">{formatFen(r.amountFen)}</span>
                </span>
                <Button type="primary" size="large" htmlType="submit" loading={submitting} disabled={!canSubmit}>
                  提交订单
                </Button>
              </div>
            </Form>
          </section>
        )}
      </div>
    </div>
  );
}
