import { ArrowLeftOutlined, FormOutlined } from '@ant-design/icons';
import {
  CREDIT_CATEGORY_LABELS,
  creditMaxHours,
  type TCreditClaimInput,
  type TCreditEntry,
  type TCreditStandard,
  ZCreditClaimInput,
} from '@cpe/shared/schemas/credits';
import { Alert, App, Button, DatePicker, Form, Grid, Input, InputNumber, Result, Select, Skeleton } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../shared/api/client';
import { applyApiError } from '../../shared/api/form-errors';
import { zodMessage, zodRule } from '../../shared/form/rules';
import { platformToday, platformYear } from '../../shared/platform-time';
import { usePageTitle } from '../../shared/usePageTitle';
import { useSite } from '../identity/api';
import { useMyCredits } from '../seminars/api';
import { useMyWorkUnit } from '../units/members-api';
import { useCreditStandards, useSubmitCreditClaim } from './api';
import { EVIDENCE_MAX_FILES, type EvidenceFile, EvidenceFilesInput } from './EvidenceFilesInput';
import { CreditStatusTag, RESUBMITTABLE, standardRule } from './parts';
import '../certificates/certificates.css';
import './credits.css';

const DAY = 'YYYY-MM-DD';
const shape = ZCreditClaimInput.shape;

interface FormValues {
  standardId?: string;
  title?: string;
  host?: string;
  startedOn?: Dayjs | null;
  endedOn?: Dayjs | null;
  content?: string;
  hours?: number | null;
  evidenceFileIds?: EvidenceFile[];
}

function initialOf(entry: TCreditEntry | null): FormValues {
  if (!entry) return { evidenceFileIds: [] };
  return {
    standardId: entry.standardId ?? undefined,
    title: entry.title,
    host: entry.host ?? undefined,
    startedOn: entry.startedOn ? dayjs(entry.startedOn, DAY) : null,
    endedOn: entry.endedOn ? dayjs(entry.endedOn, DAY) : null,
    content: entry.content ?? undefined,
    hours: entry.hours,
    evidenceFileIds: entry.evidence.map((f) => ({ id: f.id, name: f.name, mime: f.mime })),
  };
}

function toInput(v: FormValues): TCreditClaimInput {
  return {
    standardId: v.standardId ?? '',
    title: v.title?.trim() ?? '',
    host: v.host?.trim() ?? '',
    startedOn: v.startedOn?.format(DAY) ?? '',
    endedOn: v.endedOn?.format(DAY) ?? '',
    content: v.content?.trim() ?? '',
    hours: v.hours ?? 0,
    evidenceFileIds: (v.evidenceFileIds ?? []).map((f) => f.id),
  };
}

/** The most the chosen standard allows for the dates (null until it can be worked out). */
function maxOf(standard: TCreditStandard | undefined, startedOn?: Dayjs | null, endedOn?: Dayjs | null) {
  if (!standard) return null;
  if (standard.basis === 'day' && !(startedOn && endedOn)) return null;
  return creditMaxHours(standard, startedOn?.format(DAY) ?? '', endedOn?.format(DAY) ?? '', standard.usedThisYear ?? 0);
}

/**
 * The 学时登记 form, new or filled in from a 不予认定 / 已撤回 entry. The standards are those of the year of 结束日期
 * (their usedThisYear is that year's); 学时 may not exceed what the standard allows for the dates, as the server
 * checks again. When the server refuses, the draft stays and its messages land on the fields.
 */
function ClaimForm({ entry }: { entry: TCreditEntry | null }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const phone = screens.sm === false;
  const [form] = Form.useForm<FormValues>();
  const submit = useSubmitCreditClaim();
  const [noUnit, setNoUnit] = useState<string | null>(null);
  // Said before the form is filled in; the server has the last word on submit (CREDIT_NO_UNIT).
  const workUnit = useMyWorkUnit();
  const pendingUnit = workUnit.data?.pending?.unitName;
  const unitWarning =
    noUnit ??
    (workUnit.isSuccess && !workUnit.data.current
      ? pendingUnit
        ? `您加入${pendingUnit}的申请尚待单位确认，确认后才能提交学时登记`
        : '您还没有经单位确认的工作单位，暂不能提交学时登记'
      : null);

  const standardId = Form.useWatch('standardId', form);
  const startedOn = Form.useWatch('startedOn', form);
  const endedOn = Form.useWatch('endedOn', form);
  const year = endedOn ? endedOn.year() : (startedOn?.year() ?? platformYear());
  const standards = useCreditStandards(year);
  const items = standards.data?.items ?? [];
  const standard = items.find((s) => s.id === standardId);
  const max = maxOf(standard, startedOn, endedOn);
  // An earlier claim's form may have been switched off since: the person picks one in force.
  const gone = Boolean(standards.isSuccess && standardId && !standard);
  useEffect(() => {
    if (gone) form.setFieldValue('standardId', undefined);
  }, [gone, form]);

  const onFinish = async (v: FormValues) => {
    setNoUnit(null);
    try {
      const saved = await submit.mutateAsync({ id: entry?.id, input: toInput(v) });
      message.success(entry ? '已重新提交，请等待单位确认' : '学时登记已提交，请等待单位确认');
      navigate(`/credits?year=${saved.year}`);
    } catch (err) {
      if (isUnauthenticated(err)) return;
      if (errorCode(err) === 'CREDIT_NO_UNIT') {
        setNoUnit(toApiError(err).message);
        window.scrollTo({ top: 0, behavior: 'smooth' });
        return;
      }
      // What was used of a yearly cap may have changed meanwhile.
      if (errorCode(err) === 'CREDIT_HOURS_OVER') void standards.refetch();
      const rest = applyApiError(err, form);
      if (rest) message.error(rest);
    }
  };

  const today = platformToday();
  const hoursHelp =
    max === null ? (
      <span className="cpe-muted">
        {standard ? '选择起止日期后，按学时折算标准计算可登记的学时' : '请先选择学习形式和起止日期'}
      </span>
    ) : max === 0 ? (
      <span className="cpe-credit-max is-zero" data-testid="credit-max">
        该学习形式{year}年度可登记的学时已用完
      </span>
    ) : (
      <span className="cpe-credit-max" data-testid="credit-max">
        按学时折算标准最多可登记<strong className="cpe-credit-max-figure">{max}</strong>学时
      </span>
    );

  return (
    <Form<FormValues>
      form={form}
      name="creditClaim"
      layout="vertical"
      initialValues={initialOf(entry)}
      onFinish={onFinish}
      scrollToFirstError={{ block: 'center' }}
      className="cpe-credit-form"
      requiredMark
    >
      {unitWarning && (
        <Alert
          className="cpe-credit-form-alert"
          type="warning"
          showIcon
          title={unitWarning}
          description={
            <>
              学时登记需经工作单位确认。请先在
              <Link to="/me#work-unit">个人中心 → 工作单位</Link>
              申请加入您所在的单位，单位确认后再提交。
            </>
          }
        />
      )}
      {gone && (
        <Alert className="cpe-credit-form-alert" type="warning" showIcon title="原学习形式已停用，请重新选择学习形式" />
      )}
      <Form.Item
        label="学习形式"
        name="standardId"
        rules={[zodRule(shape.standardId, '请选择学习形式')]}
        extra={
          standard ? (
            <span data-testid="credit-rule">
              {CREDIT_CATEGORY_LABELS[standard.category]} · {standardRule(standard)}
            </span>
          ) : undefined
        }
      >
        <Select
          placeholder="请选择学习形式"
          loading={standards.isFetching}
          notFoundContent={standards.isError ? toApiError(standards.error).message : '暂无可登记的学习形式'}
          options={items.map((s) => ({ value: s.id, label: s.label, rule: standardRule(s) }))}
          optionRender={(o) => (
            <div className="cpe-credit-option">
              <div>{o.label}</div>
              <div className="cpe-muted">{o.data.rule}</div>
            </div>
          )}
        />
      </Form.Item>
      <Form.Item label="项目名称" name="title" rules={[zodRule(shape.title, '请填写项目名称')]}>
        <Input maxLength={100} placeholder="如：2026年全国土木工程学术年会" />
      </Form.Item>
      <Form.Item label="主办单位" name="host" rules={[zodRule(shape.host, '请填写主办单位')]}>
        <Input maxLength={100} placeholder="会议、培训或研修的主办单位" />
      </Form.Item>
      <div className="cpe-credit-dates">
        <Form.Item label="开始日期" name="startedOn" rules={[{ required: true, message: '请选择开始日期' }]}>
          <DatePicker
            format={DAY}
            placeholder="开始日期"
            maxDate={today}
            inputReadOnly={phone}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item
          label="结束日期"
          name="endedOn"
          dependencies={['startedOn']}
          rules={[
            { required: true, message: '请选择结束日期' },
            ({ getFieldValue }) => ({
              validator: async (_r, v: Dayjs | null | undefined) => {
                const from = getFieldValue('startedOn') as Dayjs | null | undefined;
                if (v && from && v.isBefore(from, 'day')) throw new Error('结束日期不能早于开始日期');
              },
            }),
          ]}
          extra={<span className="cpe-muted">学时计入结束日期所在年度</span>}
        >
          <DatePicker
            format={DAY}
            placeholder="结束日期"
            minDate={startedOn ?? undefined}
            maxDate={today}
            inputReadOnly={phone}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </div>
      <Form.Item label="学习内容" name="content" rules={[zodRule(shape.content, '请填写学习内容')]}>
        <Input.TextArea
          rows={4}
          maxLength={1000}
          showCount
          placeholder="主要学习内容，如会议主题、报告题目、研修课程等（至少5个字）"
        />
      </Form.Item>
      <Form.Item
        label="学时"
        name="hours"
        dependencies={['standardId', 'startedOn', 'endedOn']}
        extra={hoursHelp}
        rules={[
          {
            required: true,
            validator: async (_r, v: number | null | undefined) => {
              const m = zodMessage(shape.hours, v, '请填写学时');
              if (m) throw new Error(m);
              if (max !== null && (v as number) > max)
                throw new Error(
                  max === 0
                    ? `该学习形式${year}年度可登记的学时已用完`
                    : `学时不能超过按学时折算标准可登记的${max}学时`,
                );
            },
          },
        ]}
      >
        <InputNumber min={1} precision={0} style={{ width: 160 }} suffix="学时" placeholder="学时" />
      </Form.Item>
      <Form.Item
        label="证明材料"
        name="evidenceFileIds"
        rules={[
          {
            required: true,
            validator: async (_r, v: EvidenceFile[] | undefined) => {
              if (!v || v.length === 0) throw new Error('请上传至少1份证明材料（证书、通知或照片）');
              if (v.length > EVIDENCE_MAX_FILES) throw new Error(`证明材料最多${EVIDENCE_MAX_FILES}份`);
            },
          },
        ]}
      >
        <EvidenceFilesInput />
      </Form.Item>
      <div className="cpe-credit-form-actions">
        <Button type="primary" htmlType="submit" size="large" loading={submit.isPending}>
          {entry ? '重新提交' : '提交登记'}
        </Button>
        <Link to={entry ? `/credits?year=${entry.year}` : '/credits'}>
          <Button size="large">取消</Button>
        </Link>
      </div>
    </Form>
  );
}

/**
 * 学时登记 (portal /credits/claim, and /credits/claims/:id to file a 不予认定 / 已撤回 one again): a 学术会议, 进修访学
 * and so on that no feed brings in, with its evidence; the person's 工作单位 confirms it, then the bureau 认定s it.
 */
export function CreditClaimPage() {
  const { id } = useParams();
  const site = useSite().data;
  const title = id ? '修改学时登记' : '学时登记';
  usePageTitle(title, site?.name);
  const credits = useMyCredits();
  const entry = id ? (credits.data?.items.find((e) => e.id === id) ?? null) : null;

  let body: ReactNode;
  if (!id) body = <ClaimForm entry={null} />;
  else if (credits.isPending) body = <Skeleton active />;
  else if (credits.isError)
    body = (
      <Result
        status="error"
        title="加载失败"
        subTitle={toApiError(credits.error).message}
        extra={<Button onClick={() => credits.refetch()}>重试</Button>}
      />
    );
  else if (entry?.source !== 'claim')
    body = (
      <Result
        status="404"
        title="未找到该学时登记"
        extra={
          <Link to="/credits">
            <Button type="primary">返回学时档案</Button>
          </Link>
        }
      />
    );
  else if (!RESUBMITTABLE.includes(entry.status))
    body = (
      <Result
        status="info"
        title="该学时登记当前不能修改"
        subTitle={
          <>
            当前状态：
            <CreditStatusTag status={entry.status} />
            只有不予认定或已撤回的学时登记可以修改后重新提交。
          </>
        }
        extra={
          <Link to={`/credits?year=${entry.year}`}>
            <Button type="primary">返回学时档案</Button>
          </Link>
        }
      />
    );
  else {
    const lastReason = entry.status === 'rejected' ? entry.reason : null;
    body = (
      <>
        {lastReason && (
          <Alert
            className="cpe-credit-form-alert"
            type="error"
            showIcon
            title="该学时登记不予认定"
            description={`原因：${lastReason}。请根据原因修改后重新提交。`}
          />
        )}
        <ClaimForm entry={entry} />
      </>
    );
  }

  return (
    <div className="cpe-cert-page cpe-credit-page cpe-credit-claim-page">
      <Link to="/credits" className="cpe-credit-back">
        <ArrowLeftOutlined /> 返回学时档案
      </Link>
      <h1 className="cpe-cert-title">
        <FormOutlined /> {title}
      </h1>
      <Alert
        className="cpe-cert-note"
        type="info"
        showIcon
        title="参加学术会议、进修访学、面授培训等未在本平台自动记入的继续教育，可在此登记学时。"
        description="提交后由您的工作单位确认，再经人社部门认定后计入学时档案。学时按学时折算标准计算，可以少于、不能超过标准允许的学时。"
      />
      {body}
    </div>
  );
}
