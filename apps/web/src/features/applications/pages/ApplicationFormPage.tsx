import { ArrowLeftOutlined, EyeOutlined, FilePdfOutlined, FormOutlined, SendOutlined } from '@ant-design/icons';
import {
  type ApplicationTypeDef,
  applicationType,
  classHours,
  HOURS_PER_HALF_DAY,
} from '@cpe/shared/applications/index';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Grid, Result, Skeleton, Tag, Tooltip } from 'antd';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { useLeaveGuard } from '../../units/hooks';
import {
  applicationKey,
  applicationPdfUrl,
  useApplication,
  useSubmitApplication,
  useWithdrawApplication,
} from '../api';
import { ApplicationPreview } from '../components/ApplicationPreview';
import { MissingList } from '../components/MissingList';
import { ParentContext } from '../components/ParentContext';
import { SectionForm, type SectionFormHandle } from '../components/SectionForm';
import { SectionNav } from '../components/SectionNav';
import { ApplicationStageTag } from '../components/StatusTag';
import { VersionHistory } from '../components/VersionHistory';
import type { ApplicationDetail, SectionValues } from '../types';
import '../applications.css';
import '../filing.css';

const LEAVE_MESSAGE = '当前填报项有未保存的修改，确定离开吗？';

/**
 * A 计划变化's 原方案: the values of the 开班方案 in force that its 变化后安排 replaces, by section and field,
 * shown read-only beside the new ones.
 */
function originalOf(detail: ApplicationDetail): Record<string, SectionValues> {
  if (detail.type !== 'plan-change' || !detail.parent) return {};
  const p = detail.parent.data;
  return {
    plan: {
      startDate: p.basic?.startDate,
      endDate: p.basic?.endDate,
      venue: p.basic?.venue,
      schedule: p.schedule?.schedule,
    },
  };
}

/** 学时 of a class as its 日程安排 stands (开班方案, and a 计划变化's 变化后安排). */
function hoursOf(detail: ApplicationDetail): number | null {
  if (detail.type === 'class-plan') return classHours(detail.data);
  if (detail.type === 'plan-change') return classHours({ schedule: { schedule: detail.data.plan?.schedule } });
  return null;
}

/** Where a status that cannot be edited leaves the filer. */
function lockedNotice(detail: ApplicationDetail) {
  if (detail.status === 'pending')
    return detail.actions.withdraw
      ? '申报书已提交，等待审核。审核开始前可以撤回后修改。'
      : '申报书已提交，正在审核，暂不能修改。';
  if (detail.status === 'approved') return `${detail.label}已审核通过。`;
  if (detail.status === 'rejected') return `申报书审核不通过。${detail.reason ? `原因：${detail.reason}` : ''}`;
  return '申报书当前不能修改。';
}

function Filing({ detail, def, basePath }: { detail: ApplicationDetail; def: ApplicationTypeDef; basePath: string }) {
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [params] = useSearchParams();
  const submit = useSubmitApplication();
  const withdraw = useWithdrawApplication();
  const [dirty, setDirty] = useState(false);
  const [submitTried, setSubmitTried] = useState(false);
  const sectionRef = useRef<SectionFormHandle>(null);
  useLeaveGuard(dirty, LEAVE_MESSAGE);

  const editable = detail.actions.edit;
  const preview = !editable || params.get('view') === 'preview';
  const sections = def.sections;
  const index = Math.max(
    0,
    sections.findIndex((s) => s.id === params.get('section')),
  );
  const section = sections[index] ?? sections[0];
  const focusField = params.get('field') ?? undefined;

  const hrefOf = (sectionId: string, field?: string) =>
    `?${new URLSearchParams(field ? { section: sectionId, field } : { section: sectionId })}`;
  /** In-app moves made by buttons (links are caught by useLeaveGuard): ask first when the section is dirty. */
  const go = (to: string) => {
    if (!dirty) {
      navigate(to);
      return;
    }
    modal.confirm({
      title: '离开此页面？',
      content: LEAVE_MESSAGE,
      okText: '离开',
      cancelText: '留在此页',
      onOk: () => {
        setDirty(false);
        navigate(to);
      },
    });
  };
  const jump = (sectionId: string, field?: string) => go(hrefOf(sectionId, field));
  const top = () => window.scrollTo({ top: 0 });

  const doSubmit = async () => {
    // The server submits what is saved: the open section is saved first.
    if (dirty && !preview && !(await sectionRef.current?.save())) return;
    // Completeness first: what is still missing is listed (each a link to its field) instead of a confirmation that
    // could only fail. Every save puts the server's answer, with its missing list, in the cache.
    const missing = queryClient.getQueryData<ApplicationDetail>(applicationKey(detail.id))?.missing ?? detail.missing;
    if (Object.keys(missing).length > 0) {
      setSubmitTried(true);
      top();
      return;
    }
    modal.confirm({
      title: '确认提交申报书？',
      content: '提交后进入审核，审核期间不能修改。',
      okText: '提交',
      cancelText: '取消',
      onOk: async () => {
        try {
          const done = await submit.mutateAsync(detail.id);
          message.success(`提交成功，编号：${done.number}`);
          navigate(basePath);
        } catch (err) {
          const e = toApiError(err);
          if (e.code === 'APPLICATION_INCOMPLETE' && e.fields) {
            // What the server found missing replaces the cached list, so the page shows exactly that.
            queryClient.setQueryData<ApplicationDetail>(applicationKey(detail.id), (d) =>
              d ? { ...d, missing: e.fields ?? {} } : d,
            );
            setSubmitTried(true);
            top();
          } else if (!isUnauthenticated(e)) {
            message.error(e.message);
            void queryClient.invalidateQueries({ queryKey: applicationKey(detail.id) });
          }
        }
      },
    });
  };

  const doWithdraw = () =>
    modal.confirm({
      title: '确认撤回申报书？',
      content: '撤回后可修改并重新提交；审核开始后不能撤回。',
      okText: '撤回',
      cancelText: '取消',
      onOk: async () => {
        try {
          await withdraw.mutateAsync(detail.id);
          message.success('已撤回，可修改后重新提交');
        } catch (err) {
          const e = toApiError(err);
          if (!isUnauthenticated(e)) message.error(e.message);
          void queryClient.invalidateQueries({ queryKey: applicationKey(detail.id) });
        }
      },
    });

  const missingCount = Object.keys(detail.missing).length;
  const submitBlocked = editable && !detail.actions.submit;
  const blockedReason =
    detail.deadline && new Date(detail.deadline).getTime() < Date.now()
      ? detail.status === 'returned'
        ? '已过修改截止时间，申报书不能再提交。'
        : '已过申报截止时间，申报书不能再提交。'
      : def.batched
        ? '当前不在申报开放时间内，暂不能提交。'
        : '申报书当前不能提交。';
  const original = originalOf(detail);
  const hours = hoursOf(detail);

  return (
    <div className="cpe-app-page">
      <div className="cpe-app-page-head">
        <p className="cpe-app-current">
          您当前申报的是：{detail.label}
          <ApplicationStageTag stage={detail.stage} label={detail.stageLabel} />
        </p>
        <div className="cpe-app-toolbar">
          {editable && (
            <Tooltip title={submitBlocked ? blockedReason : undefined}>
              <Button
                type="primary"
                icon={<SendOutlined />}
                onClick={doSubmit}
                loading={submit.isPending}
                disabled={submitBlocked}
              >
                提交申报书
              </Button>
            </Tooltip>
          )}
          {editable &&
            (preview ? (
              <Button icon={<FormOutlined />} onClick={() => navigate(hrefOf(section?.id ?? ''))}>
                返回填报
              </Button>
            ) : (
              <Button icon={<EyeOutlined />} onClick={() => go('?view=preview')}>
                预览申报书
              </Button>
            ))}
          {detail.actions.withdraw && (
            <Button danger onClick={doWithdraw} loading={withdraw.isPending}>
              撤回
            </Button>
          )}
          {preview && (
            <Button icon={<FilePdfOutlined />} href={applicationPdfUrl(detail.id)} target="_blank" rel="noopener">
              下载PDF
            </Button>
          )}
          <Button icon={<ArrowLeftOutlined />} onClick={() => go(basePath)}>
            返回列表
          </Button>
        </div>
      </div>
      <div className="cpe-app-facts">
        <span>编号：{detail.number ?? '提交后生成'}</span>
        {detail.deadline && (
          <span>
            {detail.status === 'returned' ? '修改截止时间' : '申报截止时间'}：{formatDateTime(detail.deadline)}
          </span>
        )}
        {detail.submittedAt && <span>提交时间：{formatDateTime(detail.submittedAt)}</span>}
        {detail.dueAt && (
          <span>
            上报截止时间：{formatDateTime(detail.dueAt).slice(0, 10)}
            {detail.overdue && (
              <Tag color="red" className="cpe-filing-overdue">
                逾期
              </Tag>
            )}
          </span>
        )}
        {hours !== null && hours > 0 && (
          <span>
            学时：共{hours / HOURS_PER_HALF_DAY}个半天，计{hours}学时
          </span>
        )}
      </div>
      <ParentContext detail={detail} />
      {def.forbiddenFields && editable && (
        <Alert
          className="cpe-app-alert"
          type="info"
          showIcon
          title="研修内容和培训对象经批准后不能变更，只能变更举办时间、举办地点、授课专家和日程安排。"
        />
      )}
      {detail.overdue && detail.status !== 'approved' && (
        <Alert
          className="cpe-app-alert"
          type="error"
          showIcon
          title={`已逾期：应于${formatDateTime(detail.dueAt).slice(0, 10)}前上报${detail.label}`}
        />
      )}

      {!editable && <Alert className="cpe-app-alert" type="info" showIcon title={lockedNotice(detail)} />}
      {detail.status === 'returned' && (
        <Alert
          className="cpe-app-alert"
          type="warning"
          showIcon
          title="申报书已退回修改"
          description={`请按修改意见修改标有“改”的填报项${
            detail.deadline ? `，并于${formatDateTime(detail.deadline)}前` : '后'
          }重新提交申报书。`}
        />
      )}
      {detail.status === 'withdrawn' && (
        <Alert className="cpe-app-alert" type="info" showIcon title="申报书已撤回，修改后可重新提交。" />
      )}
      {submitBlocked && <Alert className="cpe-app-alert" type="error" showIcon title={blockedReason} />}
      {submitTried && !preview && missingCount > 0 && (
        <MissingList
          def={def}
          fields={detail.missing}
          onJump={jump}
          title={`申报书还有${missingCount}项未填写或填写有误，请补充后再提交`}
        />
      )}

      {preview ? (
        <>
          <ApplicationPreview detail={detail} onJump={editable ? jump : undefined} />
          {detail.type === 'class-plan' && detail.status === 'approved' && (
            <VersionHistory versions={detail.versions} />
          )}
        </>
      ) : (
        section && (
          <div className="cpe-app-body">
            <SectionNav
              sections={sections}
              current={section.id}
              hrefOf={(id) => hrefOf(id)}
              commented={detail.commentedSections}
              missing={detail.missing}
              compact={screens.lg === false}
            />
            <SectionForm
              key={`${section.id}-${focusField ?? ''}`}
              ref={sectionRef}
              detail={detail}
              section={section}
              index={index}
              total={sections.length}
              disabled={!editable}
              focusField={focusField}
              showMissing={submitTried || Boolean(focusField)}
              original={original[section.id]}
              onDirtyChange={setDirty}
              onPrev={
                index > 0
                  ? () => {
                      go(hrefOf(sections[index - 1]?.id ?? ''));
                      top();
                    }
                  : undefined
              }
              onSaveAndNext={() => {
                const next = sections[index + 1];
                message.success({ key: 'section-saved', content: `${section.title}已保存` });
                // The page re-renders clean before moving: the leave guard must not ask.
                setDirty(false);
                navigate(next ? hrefOf(next.id) : '?view=preview');
                top();
              }}
            />
          </div>
        )
      )}
    </div>
  );
}

/**
 * 填报 of one application (`${basePath}/:id`): the sections beside their navigation, one at a time
 * (`?section=`, `&field=` focuses a field), or the whole 申报书 read-only (`?view=preview`), which is
 * also all a filer sees once it is submitted.
 */
export function ApplicationFormPage({ basePath }: { basePath: string }) {
  const { id } = useParams();
  const q = useApplication(id);

  if (q.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (q.isError) {
    const e = toApiError(q.error);
    if (isUnauthenticated(e)) return <Skeleton active />;
    const missing = e.code === 'NOT_FOUND' || e.code === 'VALIDATION_FAILED';
    return (
      <Result
        status={missing ? '404' : e.code === 'APPLICATION_FORBIDDEN' ? '403' : 'error'}
        title={missing ? '申报书不存在' : '加载失败'}
        subTitle={missing ? '该申报书不存在或已删除。' : e.message}
        extra={[
          !missing && (
            <Button key="retry" onClick={() => q.refetch()}>
              重试
            </Button>
          ),
          <Link key="back" to={basePath}>
            <Button type="primary">返回列表</Button>
          </Link>,
        ]}
      />
    );
  }
  const def = applicationType(q.data.type);
  if (!def) return <Result status="warning" title="不支持的申报类型" subTitle={q.data.type} />;
  return <Filing key={q.data.id} detail={q.data} def={def} basePath={basePath} />;
}
