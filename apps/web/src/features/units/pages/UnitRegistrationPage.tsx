import { ClockCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Result, Steps } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { ownFileUrl, useMyRegistration, useSaveDraft, useSubmitRegistration, useUnitCenter } from '../api';
import { ReviewHistory } from '../components/ReviewHistory';
import { UnitDataView } from '../components/UnitDataView';
import { UnitForm } from '../components/UnitForm';
import type { UnitApplication, UnitData } from '../types';
import '../units.css';

const STEP_ITEMS = [{ title: '填写单位资料' }, { title: '待主管部门审核' }, { title: '审核通过' }];

function RegistrationSteps({ application }: { application: UnitApplication | null }) {
  const status = application?.status ?? 'draft';
  const current = status === 'draft' ? 0 : status === 'approved' ? 2 : 1;
  const items = STEP_ITEMS.map((s, i) => (i === 1 && status === 'rejected' ? { title: '审核未通过' } : s));
  return (
    <Steps
      className="cpe-unit-steps"
      size="small"
      current={current}
      status={status === 'rejected' ? 'error' : status === 'approved' ? 'finish' : 'process'}
      items={items}
      responsive={false}
    />
  );
}

/** 确认无误后, 提交注册: the form, new or from the saved draft, or back from review to be fixed. */
function RegistrationForm({ application }: { application: UnitApplication | null }) {
  const { message } = App.useApp();
  const submit = useSubmitRegistration();
  const saveDraft = useSaveDraft();
  const mine = useMyRegistration();
  // A draft is the person's own registration: new, saved, or returned to be fixed (not a 变更管理员).
  const canDraft = !application || application.kind === 'register';

  const onSubmit = async (data: UnitData) => {
    try {
      await submit.mutateAsync(data);
      message.success('注册申请已提交，请等待主管部门审核');
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } catch (err) {
      // Someone (this person in another tab) changed the state meanwhile: show what it is now.
      const code = errorCode(err);
      if (code === 'UNIT_APPLICATION_OPEN' || code === 'UNIT_ADMIN_EXISTS') void mine.refetch();
      throw err;
    }
  };

  return (
    <UnitForm
      mode="register"
      initial={application && application.kind === 'register' ? application.data : undefined}
      submitText="提交注册"
      submitNote="确认无误后, 提交注册"
      confirmTitle="确认提交注册？"
      confirmContent="提交后将由所选申报地区(部门)审核，审核期间不能修改单位资料。"
      onSubmit={onSubmit}
      onSaveDraft={canDraft ? (d) => saveDraft.mutateAsync(d) : undefined}
      onAdminChangeSubmitted={() => window.scrollTo({ top: 0, behavior: 'smooth' })}
    />
  );
}

/** A new registration, or the saved draft (said once, as it is opened). */
function NewRegistration({ application, notice }: { application: UnitApplication | null; notice?: string }) {
  const [fromDraft] = useState(() => application !== null);
  return (
    <>
      {notice && <Alert className="cpe-unit-alert" type="info" showIcon title={notice} />}
      {fromDraft && (
        <Alert className="cpe-unit-alert" type="info" showIcon title="已为您载入上次保存的草稿，请继续填写。" />
      )}
      <RegistrationForm application={application} />
    </>
  );
}

function Body({ application, notice }: { application: UnitApplication | null; notice?: string }) {
  const history = application && application.events.length > 0 && <ReviewHistory events={application.events} />;

  if (!application || (application.kind === 'register' && application.status === 'draft')) {
    return <NewRegistration key="edit" application={application} notice={notice} />;
  }

  const unitName = application.data.unitName ?? '';
  if (application.status === 'approved') {
    return (
      <>
        <Result
          status="success"
          title="审核通过"
          subTitle={`您已是「${unitName}」的单位管理员，可进入单位中心管理单位事务。`}
          extra={
            <Link to="/unit-center">
              <Button type="primary" size="large">
                进入单位中心
              </Button>
            </Link>
          }
        />
        {history}
      </>
    );
  }

  if (application.kind === 'change-info') {
    // Only a unit's administrator files 单位信息修改: its state lives in 单位中心.
    return (
      <Result
        status="success"
        title="您已是单位管理员"
        subTitle="单位信息修改的审核进度请在单位中心查看。"
        extra={
          <Link to="/unit-center/unit-info">
            <Button type="primary">进入单位中心</Button>
          </Link>
        }
      />
    );
  }

  if (application.status === 'pending') {
    const adminChange = application.kind === 'change-admin';
    return (
      <>
        <Result
          className="cpe-unit-result"
          icon={<ClockCircleOutlined />}
          title="待主管部门审核"
          subTitle={
            adminChange
              ? `您申请成为「${unitName}」的管理员，申请已提交至${application.reviewerName}，请耐心等待审核结果。`
              : `您的单位注册申请已提交至${application.reviewerName}，请耐心等待审核结果。审核期间不能修改单位资料。`
          }
        />
        <h3 className="cpe-unit-section-title">{adminChange ? '变更管理员申请' : '已提交的单位资料'}</h3>
        <UnitDataView data={application.data} reviewerName={application.reviewerName} fileUrl={ownFileUrl} />
        {history}
      </>
    );
  }

  // rejected
  const adminChange = application.kind === 'change-admin';
  return (
    <>
      <Alert
        className="cpe-unit-alert"
        type="error"
        showIcon
        title={adminChange ? `变更管理员申请审核未通过（${unitName}）` : '审核未通过'}
        description={
          <>
            <div>原因：{application.reason || '未填写'}</div>
            <div>
              {adminChange
                ? '您可以重新上传单位授权书申请变更管理员，或填写下方资料注册新的单位。'
                : '请根据审核意见修改单位资料后重新提交注册。'}
            </div>
          </>
        }
      />
      <RegistrationForm key={`rejected-${application.id}-${application.round}`} application={application} />
      {history}
    </>
  );
}

/** 注册管理员 (login required): 单位管理员注册 and the state of the person's application. */
export function UnitRegistrationPage() {
  const site = useSite().data;
  usePageTitle('注册管理员', site?.name);
  const mine = useMyRegistration();
  const latest = mine.data?.application ?? null;
  // An approved application is history once the unit has another administrator (变更管理员).
  const approved = latest?.status === 'approved';
  const center = useUnitCenter(approved);
  const formerAdmin = approved && errorCode(center.error) === 'FORBIDDEN';
  const application = formerAdmin ? null : latest;
  const notice = formerAdmin
    ? `您已不再是「${latest?.data.unitName ?? ''}」的管理员。如需注册其他单位，请填写以下单位资料。`
    : undefined;

  let content: ReactNode;
  if (mine.isPending || (approved && center.isPending)) content = <PageSpin />;
  else if (mine.isError)
    content = isUnauthenticated(mine.error) ? (
      <PageSpin />
    ) : (
      <Result
        status="error"
        title="加载失败"
        subTitle={toApiError(mine.error).message}
        extra={<Button onClick={() => mine.refetch()}>重试</Button>}
      />
    );
  else content = <Body application={application} notice={notice} />;

  return (
    <div className="cpe-unit-page">
      <div className="cpe-unit-panel">
        <h1 className="cpe-unit-title">单位管理员注册</h1>
        <p className="cpe-unit-subtitle">
          根据单位情况，填写单位资料；上级部门审核通过后，点击单位中心，进入单位的管理后台。
        </p>
        {mine.data && application?.kind !== 'change-info' && <RegistrationSteps application={application} />}
        {content}
      </div>
    </div>
  );
}
